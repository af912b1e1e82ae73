// IAM: the execution role's policies, SimulatePrincipalPolicy, and the documents themselves for
// when simulation is not permitted. IAM sends policy documents URL-encoded; we decode them here.

import type { Document } from "../lib/iam-policy.js";
import type { Clients } from "./clients.js";
import { call } from "./errors.js";

export interface RolePolicies {
  roleName: string;
  roleArn?: string;
  attached: { name: string; arn: string }[];
  inline: string[];
}

export const roleNameFromArn = (arn: string) => arn.split("/").pop() ?? arn;

function decodeDocument(doc: string | undefined): Document | undefined {
  if (!doc) return undefined;
  try {
    return JSON.parse(decodeURIComponent(doc)) as Document;
  } catch {
    try {
      return JSON.parse(doc) as Document;
    } catch {
      return undefined;
    }
  }
}

export async function rolePolicies(c: Clients, roleName: string): Promise<RolePolicies> {
  const { ListAttachedRolePoliciesCommand, ListRolePoliciesCommand, GetRoleCommand } = await import(
    "@aws-sdk/client-iam"
  );
  const iam = await c.iam();
  const p = c.target.profile;
  const [role, attached, inline] = await Promise.all([
    call("iam:GetRole", () => iam.send(new GetRoleCommand({ RoleName: roleName })), p),
    (async () => {
      const all: { name: string; arn: string }[] = [];
      let marker: string | undefined;
      do {
        const out = await call(
          "iam:ListAttachedRolePolicies",
          () => iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: marker })),
          p,
        );
        for (const a of out.AttachedPolicies ?? [])
          all.push({ name: a.PolicyName ?? "", arn: a.PolicyArn ?? "" });
        marker = out.IsTruncated ? out.Marker : undefined;
      } while (marker);
      return all;
    })(),
    (async () => {
      const all: string[] = [];
      let marker: string | undefined;
      do {
        const out = await call(
          "iam:ListRolePolicies",
          () => iam.send(new ListRolePoliciesCommand({ RoleName: roleName, Marker: marker })),
          p,
        );
        all.push(...(out.PolicyNames ?? []));
        marker = out.IsTruncated ? out.Marker : undefined;
      } while (marker);
      return all;
    })(),
  ]);
  return { roleName, roleArn: role.Role?.Arn, attached, inline };
}

export interface SimulationResult {
  action: string;
  resource: string;
  decision: "allowed" | "explicitDeny" | "implicitDeny";
  matched: string[];
}

export async function simulate(
  c: Clients,
  roleArn: string,
  actions: string[],
  resources: string[],
): Promise<SimulationResult[]> {
  const { SimulatePrincipalPolicyCommand } = await import("@aws-sdk/client-iam");
  const iam = await c.iam();
  const results: SimulationResult[] = [];
  let marker: string | undefined;
  do {
    const out = await call(
      "iam:SimulatePrincipalPolicy",
      () =>
        iam.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: roleArn,
            ActionNames: actions,
            ResourceArns: resources,
            Marker: marker,
          }),
        ),
      c.target.profile,
    );
    for (const r of out.EvaluationResults ?? []) {
      results.push({
        action: r.EvalActionName ?? "",
        resource: r.EvalResourceName ?? "",
        decision: (r.EvalDecision as SimulationResult["decision"]) ?? "implicitDeny",
        matched: (r.MatchedStatements ?? []).map((m) => m.SourcePolicyId ?? ""),
      });
    }
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return results;
}

/** The role's policy documents (attached managed policies' default versions and inline ones). */
export async function roleDocuments(
  c: Clients,
  pol: RolePolicies,
): Promise<{ source: string; document: Document }[]> {
  const { GetPolicyCommand, GetPolicyVersionCommand, GetRolePolicyCommand } = await import(
    "@aws-sdk/client-iam"
  );
  const iam = await c.iam();
  const p = c.target.profile;
  const managed = pol.attached.map(async (a) => {
    const meta = await call("iam:GetPolicy", () => iam.send(new GetPolicyCommand({ PolicyArn: a.arn })), p);
    const v = await call(
      "iam:GetPolicyVersion",
      () =>
        iam.send(
          new GetPolicyVersionCommand({ PolicyArn: a.arn, VersionId: meta.Policy?.DefaultVersionId ?? "v1" }),
        ),
      p,
    );
    const document = decodeDocument(v.PolicyVersion?.Document);
    return document ? { source: a.arn, document } : undefined;
  });
  const inline = pol.inline.map(async (name) => {
    const out = await call(
      "iam:GetRolePolicy",
      () => iam.send(new GetRolePolicyCommand({ RoleName: pol.roleName, PolicyName: name })),
      p,
    );
    const document = decodeDocument(out.PolicyDocument);
    return document ? { source: `inline:${name}`, document } : undefined;
  });
  const docs = await Promise.all([...managed, ...inline]);
  return docs.filter((d): d is { source: string; document: Document } => d !== undefined);
}
