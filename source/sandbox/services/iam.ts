// IAM (Query protocol): roles, their attached and inline policies, managed policies and their
// versions, SimulatePrincipalPolicy. Policy documents go out URL-encoded, as IAM sends them.

import { type Account, AwsError, type ManagedPolicy, type Role } from "../account.js";
import type { Input, ServiceModule } from "../protocol.js";
import { qBool, qInt, qList } from "../protocols/query.js";
import { decodeToken, encodeToken } from "./paging.js";

const ECS_TASKS_TRUST = {
  Version: "2012-10-17",
  Statement: [
    { Sid: "", Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" },
  ],
};

/** IAM's wire form of a policy document: RFC 3986 percent-encoding of the JSON text. */
export function encodePolicyDocument(doc: unknown): string {
  return encodeURIComponent(JSON.stringify(doc));
}

function noSuchEntity(message: string): AwsError {
  return new AwsError("NoSuchEntity", message, 404);
}

function required(input: Input, name: string): string {
  const v = input[name];
  if (typeof v !== "string" || v === "") {
    const member = name.charAt(0).toLowerCase() + name.slice(1);
    throw new AwsError(
      "ValidationError",
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return v;
}

function getRole(account: Account, name: string): Role {
  const r = account.roles.get(name);
  if (!r) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return r;
}

function getPolicy(account: Account, arn: string): ManagedPolicy {
  const p = account.policies.get(arn);
  if (!p) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return p;
}

/** Marker paging as IAM does it: MaxItems (default 100), IsTruncated, Marker. */
function markerPage<T>(items: T[], input: Input): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const max = qInt(input.MaxItems) ?? 100;
  if (max < 1 || max > 1000) {
    throw new AwsError(
      "ValidationError",
      `1 validation error detected: Value '${max}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  }
  let offset = 0;
  if (typeof input.Marker === "string" && input.Marker !== "") {
    const c = decodeToken<{ o?: unknown }>(input.Marker, "ValidationError", "Invalid Marker.");
    if (typeof c.o !== "number") throw new AwsError("ValidationError", "Invalid Marker.");
    offset = c.o;
  }
  const slice = items.slice(offset, offset + max);
  const truncated = offset + max < items.length;
  return {
    items: slice,
    IsTruncated: truncated,
    Marker: truncated ? encodeToken({ o: offset + max }) : undefined,
  };
}

function attachmentCount(account: Account, arn: string): number {
  let n = 0;
  for (const r of account.roles.values()) if (r.attachedPolicies.includes(arn)) n++;
  return n;
}

function policyOut(account: Account, p: ManagedPolicy) {
  return {
    PolicyName: p.name,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: attachmentCount(account, p.arn),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: p.description,
    CreateDate: new Date(p.createdAt),
    UpdateDate: new Date(p.createdAt),
  };
}

function roleOut(r: Role) {
  return {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.roleId,
    Arn: r.arn,
    CreateDate: new Date(r.createdAt),
    AssumeRolePolicyDocument: encodePolicyDocument(ECS_TASKS_TRUST),
    Description: r.description,
    MaxSessionDuration: 3600,
    RoleLastUsed: {},
  };
}

export function createIam(): ServiceModule {
  return {
    service: "iam",
    ops: {
      GetRole(input: Input, { account }) {
        return { Role: roleOut(getRole(account, required(input, "RoleName"))) };
      },
      ListRoles(input: Input, { account }) {
        const prefix = typeof input.PathPrefix === "string" ? input.PathPrefix : "/";
        const roles = [...account.roles.values()].filter((r) => r.path.startsWith(prefix));
        const p = markerPage(roles, input);
        return { Roles: p.items.map(roleOut), IsTruncated: p.IsTruncated, Marker: p.Marker };
      },
      ListAttachedRolePolicies(input: Input, { account }) {
        const r = getRole(account, required(input, "RoleName"));
        const prefix = typeof input.PathPrefix === "string" ? input.PathPrefix : "/";
        const attached = r.attachedPolicies
          .map((arn) => {
            const p = account.policies.get(arn);
            return {
              PolicyName: p?.name ?? arn.split("/").pop() ?? arn,
              PolicyArn: arn,
              path: p?.path ?? "/",
            };
          })
          .filter((a) => a.path.startsWith(prefix))
          .map(({ PolicyName, PolicyArn }) => ({ PolicyName, PolicyArn }));
        const p = markerPage(attached, input);
        return { AttachedPolicies: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
      },
      ListRolePolicies(input: Input, { account }) {
        const r = getRole(account, required(input, "RoleName"));
        const p = markerPage(Object.keys(r.inlinePolicies).sort(), input);
        return { PolicyNames: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
      },
      GetRolePolicy(input: Input, { account }) {
        const r = getRole(account, required(input, "RoleName"));
        const name = required(input, "PolicyName");
        const doc = r.inlinePolicies[name];
        if (!doc) throw noSuchEntity(`The role policy with name ${name} cannot be found.`);
        return { RoleName: r.name, PolicyName: name, PolicyDocument: encodePolicyDocument(doc) };
      },
      GetPolicy(input: Input, { account }) {
        return { Policy: policyOut(account, getPolicy(account, required(input, "PolicyArn"))) };
      },
      GetPolicyVersion(input: Input, { account }) {
        const arn = required(input, "PolicyArn");
        const versionId = required(input, "VersionId");
        const p = getPolicy(account, arn);
        if (versionId !== p.defaultVersionId) {
          throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
        }
        return {
          PolicyVersion: {
            Document: encodePolicyDocument(p.document),
            VersionId: p.defaultVersionId,
            IsDefaultVersion: true,
            CreateDate: new Date(p.createdAt),
          },
        };
      },
      ListPolicies(input: Input, { account }) {
        const scope = typeof input.Scope === "string" ? input.Scope : "All";
        const onlyAttached = qBool(input.OnlyAttached) ?? false;
        const prefix = typeof input.PathPrefix === "string" ? input.PathPrefix : "/";
        const all = [...account.policies.values()].filter((p) => {
          const aws = p.arn.startsWith("arn:aws:iam::aws:");
          if (scope === "AWS" && !aws) return false;
          if (scope === "Local" && aws) return false;
          if (onlyAttached && attachmentCount(account, p.arn) === 0) return false;
          return p.path.startsWith(prefix);
        });
        const p = markerPage(all, input);
        return {
          Policies: p.items.map((x) => policyOut(account, x)),
          IsTruncated: p.IsTruncated,
          Marker: p.Marker,
        };
      },
      SimulatePrincipalPolicy(input: Input, { account }) {
        const source = required(input, "PolicySourceArn");
        const actions = qList(input.ActionNames).map(String);
        if (actions.length === 0) {
          throw new AwsError(
            "ValidationError",
            "1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null",
          );
        }
        const role = account.roleByArn(source);
        if (!role) {
          const name = source.split("/").pop() ?? source;
          if (!source.includes(":role/")) throw new AwsError("InvalidInput", `Invalid ARN: ${source}`);
          throw noSuchEntity(`The role with name ${name} cannot be found.`);
        }
        const resources = qList(input.ResourceArns).map(String);
        const targets = resources.length > 0 ? resources : ["*"];
        const results = [];
        for (const action of actions) {
          for (const resource of targets) {
            const ev = account.evaluateRole(role, action, resource);
            const decisive = ev.matched.filter((m) =>
              ev.decision === "explicitDeny"
                ? m.effect === "Deny"
                : ev.decision === "allowed"
                  ? m.effect === "Allow"
                  : false,
            );
            results.push({
              EvalActionName: action,
              EvalResourceName: resource,
              EvalDecision: ev.decision,
              MatchedStatements: decisive.map((m) => sourceOf(account, m.source)),
              MissingContextValues: [],
            });
          }
        }
        const p = markerPage(results, input);
        return { EvaluationResults: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
      },
    },
  };
}

/** How SimulatePrincipalPolicy names the policy a statement came from. */
function sourceOf(account: Account, source: string) {
  if (source.startsWith("inline:")) {
    return {
      SourcePolicyId: source.slice("inline:".length),
      SourcePolicyType: "role",
      StartPosition: { Line: 1, Column: 1 },
      EndPosition: { Line: 1, Column: 1 },
    };
  }
  const p = account.policies.get(source);
  return {
    SourcePolicyId: p?.name ?? source,
    SourcePolicyType: source.startsWith("arn:aws:iam::aws:") ? "aws-managed" : "user-managed",
    StartPosition: { Line: 1, Column: 1 },
    EndPosition: { Line: 1, Column: 1 },
  };
}
