// Step 1: CloudFormation events of the latest stack operation, classified per the runbook's table.
//
// | Fehlermeldung                                                     | Nächster Schritt     |
// | `Resource creation cancelled`                                     | → Schritt 2          |
// | `The target group ... does not have an associated load balancer`  | Network Stack prüfen |
// | (Leer)                                                            | → Schritt 2          |
//
// Real CloudFormation texts seen with a fired circuit breaker (github.com/aws/copilot-cli/issues/2640,
// github.com/aws-cloudformation/rain/issues/458):
//   Resource handler returned message: "Error occurred during operation 'ECS Deployment Circuit
//   Breaker was triggered'." (RequestToken: ..., HandlerErrorCode: GeneralServiceException)

import type { Finding, StackEvent } from "./model.js";

export type CfnClassId =
  | "cfn-circuit-breaker"
  | "cfn-cancelled"
  | "cfn-not-stabilized"
  | "cfn-target-group-no-lb"
  | "cfn-rollback-summary"
  | "cfn-none"
  | "cfn-unknown";

export interface CfnFailure {
  event: StackEvent;
  finding: Finding & { id: CfnClassId };
}

export interface CfnAnalysis {
  /** When the latest operation began (its stack-level *_IN_PROGRESS event), if found. */
  operationStartedAt: Date | undefined;
  /** The newest stack-level status (UPDATE_ROLLBACK_COMPLETE, ...), if any event says it. */
  stackStatus: string | undefined;
  /** Failed events of that operation, newest first, each classified. */
  failures: CfnFailure[];
  /** The one finding to show for the step: the strongest failure, or cfn-none. */
  primary: Finding & { id: CfnClassId };
}

const OPERATION_START = new Set([
  "CREATE_IN_PROGRESS",
  "UPDATE_IN_PROGRESS",
  "DELETE_IN_PROGRESS",
  "IMPORT_IN_PROGRESS",
]);
const ROLLBACK_START = new Set([
  "ROLLBACK_IN_PROGRESS",
  "UPDATE_ROLLBACK_IN_PROGRESS",
  "IMPORT_ROLLBACK_IN_PROGRESS",
]);

function isStackLevel(e: StackEvent, stackName: string | undefined): boolean {
  if (e.resourceType !== "AWS::CloudFormation::Stack") return false;
  const name = stackName ?? e.stackName;
  return name === undefined || e.logicalResourceId === name;
}

const time = (e: StackEvent) => e.timestamp?.getTime() ?? 0;

/** Events of the latest stack operation, newest first. Input in any order. */
export function latestOperationEvents(events: StackEvent[], stackName?: string): StackEvent[] {
  const sorted = [...events].sort((a, b) => time(b) - time(a));
  const start = sorted.findIndex((e) => isStackLevel(e, stackName) && OPERATION_START.has(e.status));
  return start === -1 ? sorted : sorted.slice(0, start + 1);
}

/** Is this event one the runbook's step 1 shows? (*_FAILED, and the rollback's reason.) */
export function isFailureEvent(e: StackEvent, stackName?: string): boolean {
  if (e.status.endsWith("_FAILED")) return true;
  return ROLLBACK_START.has(e.status) && isStackLevel(e, stackName) && !!e.reason?.trim();
}

/** Classifies one ResourceStatusReason. */
export function classifyStackReason(reason: string | undefined): Finding & { id: CfnClassId } {
  const r = (reason ?? "").trim();
  const f = (id: CfnClassId, severity: Finding["severity"], text: string, nextStep?: string) => ({
    step: "cloudformation" as const,
    id,
    severity,
    text,
    ...(nextStep ? { nextStep } : {}),
  });
  if (r === "") return f("cfn-none", "ok", "No CloudFormation error", "→ Schritt 2");
  if (/circuit breaker was triggered/i.test(r))
    return f("cfn-circuit-breaker", "fail", "ECS deployment circuit breaker was triggered", "→ Schritt 2");
  if (/^Resource (creation|update) cancell?ed/i.test(r))
    return f("cfn-cancelled", "warn", "ECS service failed to stabilise (resource cancelled)", "→ Schritt 2");
  if (/did not stabili[sz]e/i.test(r))
    return f("cfn-not-stabilized", "fail", "ECS service did not stabilise", "→ Schritt 2");
  if (/target group .* does not have an associated load balancer/i.test(r))
    return f(
      "cfn-target-group-no-lb",
      "fail",
      "ALB misconfiguration: the target group has no load balancer",
      "Network Stack prüfen",
    );
  if (/^The following resource\(s\) failed to/i.test(r))
    return f("cfn-rollback-summary", "info", r, "→ Schritt 2");
  return f("cfn-unknown", "warn", `Unrecognised CloudFormation error: ${r}`, "→ Schritt 2");
}

const RANK: Record<CfnClassId, number> = {
  "cfn-target-group-no-lb": 6,
  "cfn-circuit-breaker": 5,
  "cfn-not-stabilized": 4,
  "cfn-unknown": 3,
  "cfn-cancelled": 2,
  "cfn-rollback-summary": 1,
  "cfn-none": 0,
};

/** Step 1: failed events of the latest operation, classified; `primary` is the strongest. */
export function analyzeStackEvents(events: StackEvent[], stackName?: string): CfnAnalysis {
  const op = latestOperationEvents(events, stackName);
  const startEvent = op.length > 0 ? op[op.length - 1] : undefined;
  const operationStartedAt =
    startEvent && isStackLevel(startEvent, stackName) && OPERATION_START.has(startEvent.status)
      ? startEvent.timestamp
      : undefined;
  const stackStatus = op.find((e) => isStackLevel(e, stackName))?.status;
  const failures: CfnFailure[] = op
    .filter((e) => isFailureEvent(e, stackName))
    .map((event) => ({
      event,
      finding: event.reason?.trim()
        ? classifyStackReason(event.reason)
        : {
            step: "cloudformation" as const,
            id: "cfn-unknown" as const,
            severity: "warn" as const,
            text: `${event.logicalResourceId} ${event.status} without a reason`,
            nextStep: "→ Schritt 2",
          },
    }));
  let primary = classifyStackReason(undefined);
  for (const { finding } of failures) if (RANK[finding.id] > RANK[primary.id]) primary = finding;
  return { operationStartedAt, stackStatus, failures, primary };
}
