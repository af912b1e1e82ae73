// Fault injection per service and operation: from the world file (account.faults) and at run
// time (Sandbox.addFault, POST /_sandbox/faults). A fault lets `after` matching requests through,
// then affects `count` of them (every one when count is omitted).

import { type Account, AwsError } from "./account.js";
import type { Input, ServiceId } from "./protocol.js";
import type { FaultKind, FaultSpec } from "./world.js";

const KINDS: FaultKind[] = ["throttle", "error5xx", "latency", "drop", "accessDenied"];
const QUERY_SERVICES = new Set<string>(["cloudformation", "iam"]);

/** What the server does about one request. */
export type FaultAction =
  | { kind: "none" }
  | { kind: "error"; error: AwsError }
  | { kind: "latency"; ms: number }
  | { kind: "drop" };

/** Checks a fault spec from an untrusted source (the admin endpoint); throws Error with the reason. */
export function checkFaultSpec(raw: unknown): FaultSpec {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new Error("a fault is a JSON object");
  const f = raw as Record<string, unknown>;
  if (typeof f.service !== "string" || f.service === "")
    throw new Error("fault.service: expected a service name or *");
  if (!KINDS.includes(f.kind as FaultKind))
    throw new Error(`fault.kind: expected one of ${KINDS.join(", ")}`);
  if (f.operation !== undefined && typeof f.operation !== "string")
    throw new Error("fault.operation: expected a string");
  for (const k of ["count", "after", "latencyMs"]) {
    const v = f[k];
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0))
      throw new Error(`fault.${k}: expected a number ≥ 0`);
  }
  return {
    service: f.service,
    operation: f.operation as string | undefined,
    kind: f.kind as FaultKind,
    count: f.count as number | undefined,
    after: f.after as number | undefined,
    latencyMs: f.latencyMs as number | undefined,
  };
}

export function addFault(account: Account, f: FaultSpec): void {
  account.faults.push({ ...checkFaultSpec(f), seen: 0, used: 0 });
}

export function clearFaults(account: Account): void {
  account.faults.length = 0;
}

function matches(f: FaultSpec, service: string, operation: string): boolean {
  const svcOk = f.service === "*" || f.service === service;
  const opOk = f.operation === undefined || f.operation === "*" || f.operation === operation;
  return svcOk && opOk;
}

/** The caller every sandbox request is signed as (for AccessDenied texts). */
export function callerArn(account: Account, accessKeyId = "sandbox"): string {
  return `arn:aws:sts::${account.id}:assumed-role/afu9-oncall/${accessKeyId}`;
}

/** The resource an AccessDenied message names for this request, as AWS would. */
function resourceOf(account: Account, service: ServiceId, input: Input): string {
  const r = account.region;
  const id = account.id;
  switch (service) {
    case "secretsmanager": {
      const sid =
        typeof input.SecretId === "string"
          ? input.SecretId
          : typeof input.Name === "string"
            ? input.Name
            : "";
      if (!sid) return "*";
      return account.findSecret(sid)?.arn ?? sid;
    }
    case "iam":
      if (typeof input.PolicySourceArn === "string") return input.PolicySourceArn;
      if (typeof input.RoleName === "string") return `arn:aws:iam::${id}:role/${input.RoleName}`;
      if (typeof input.PolicyArn === "string") return input.PolicyArn;
      return "*";
    case "cloudformation": {
      const name = typeof input.StackName === "string" ? input.StackName : "";
      if (!name) return "*";
      return account.stacks.get(name)?.stackId ?? `arn:aws:cloudformation:${r}:${id}:stack/${name}/*`;
    }
    case "logs": {
      const g =
        typeof input.logGroupName === "string"
          ? input.logGroupName
          : typeof input.logGroupIdentifier === "string"
            ? input.logGroupIdentifier
            : "";
      if (!g) return "*";
      return g.startsWith("arn:") ? g : `arn:aws:logs:${r}:${id}:log-group:${g}:*`;
    }
    case "ecs": {
      const c = typeof input.cluster === "string" ? input.cluster : "default";
      return c.startsWith("arn:") ? c : `arn:aws:ecs:${r}:${id}:cluster/${c}`;
    }
  }
}

export function accessDeniedError(
  account: Account,
  service: ServiceId,
  operation: string,
  input: Input,
  accessKeyId?: string,
): AwsError {
  const action = `${service}:${operation}`;
  const msg =
    `User: ${callerArn(account, accessKeyId)} is not authorized to perform: ${action} on resource: ` +
    `${resourceOf(account, service, input)} because no identity-based policy allows the ${action} action`;
  return QUERY_SERVICES.has(service)
    ? new AwsError("AccessDenied", msg, 403)
    : new AwsError("AccessDeniedException", msg, 400);
}

/**
 * Decides the fault for one request and counts it. The first fault that matches and is
 * active wins; matching faults that are still in their `after` phase count the request as seen.
 */
export function pickFault(
  account: Account,
  service: ServiceId,
  operation: string,
  input: Input,
  accessKeyId?: string,
): FaultAction {
  for (const f of account.faults) {
    if (!matches(f, service, operation)) continue;
    f.seen++;
    if (f.seen <= (f.after ?? 0)) continue;
    if (f.count !== undefined && f.used >= f.count) continue;
    f.used++;
    switch (f.kind) {
      case "throttle":
        return {
          kind: "error",
          error: QUERY_SERVICES.has(service)
            ? new AwsError("Throttling", "Rate exceeded", 400)
            : new AwsError("ThrottlingException", "Rate exceeded", 400),
        };
      case "error5xx":
        // Alternates, so a client sees both kinds AWS sends: 500 first, then 503.
        return {
          kind: "error",
          error:
            f.used % 2 === 1
              ? new AwsError(
                  "InternalFailure",
                  "The request processing has failed because of an unknown error, exception or failure.",
                  500,
                )
              : new AwsError(
                  "ServiceUnavailable",
                  "The request has failed due to a temporary failure of the server.",
                  503,
                ),
        };
      case "latency":
        return { kind: "latency", ms: f.latencyMs ?? 1000 };
      case "drop":
        return { kind: "drop" };
      case "accessDenied":
        return { kind: "error", error: accessDeniedError(account, service, operation, input, accessKeyId) };
    }
  }
  return { kind: "none" };
}

/** For GET /_sandbox/state. */
export function faultSummary(account: Account): (FaultSpec & { seen: number; used: number })[] {
  return account.faults.map((f) => ({ ...f }));
}
