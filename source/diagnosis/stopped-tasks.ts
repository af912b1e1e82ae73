// Step 3: why tasks stopped. stoppedReason + stopCode + container exit codes/reasons.
//
// The runbook's table:
// | `ResourceInitializationError: unable to pull secrets or registry auth` | Secret fehlt / IAM  | → Schritt 5 |
// | `CannotPullContainerError: pull image manifest has been retried`       | ECR (nicht Secrets) | ECR prüfen  |
// | `Task failed ELB health checks`                                        | /api/ready failing  | → Schritt 4 |
// | `Essential container in task exited`                                   | Container crash     | → Schritt 4 |
//
// AWS documents the families in "Amazon ECS stopped tasks error messages"
// (docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html), with pages for
// ResourceInitializationError (…/resource-initialization-error.html), CannotPullContainerError
// (…/task_cannot_pull_image.html) and CannotStartContainerError (…/cannot-start-container.html); stop
// codes are the TaskStopCode enum (TaskFailedToStart, EssentialContainerExited,
// ServiceSchedulerInitiated, SpotInterruption, TerminationNotice, UserInitiated).

import type { Finding, Severity, StoppedContainer, StoppedTask } from "./model.js";
import { splitArnSuffix } from "./secrets.js";

export type StoppedClassId =
  | "secret-not-found"
  | "secret-access-denied"
  | "kms-access-denied"
  | "secret-json-key-missing"
  | "secret-marked-for-deletion"
  | "secret-not-json"
  | "secrets-network"
  | "ssm-parameter-error"
  | "registry-auth"
  | "resource-init-other"
  | "image-not-found"
  | "image-access-denied"
  | "image-pull-timeout"
  | "image-pull-failed"
  | "container-runtime-timeout"
  | "cannot-start-container"
  | "out-of-memory"
  | "essential-container-exited"
  | "elb-health-checks"
  | "container-health-checks"
  | "scheduler-stop"
  | "user-stop"
  | "spot-interruption"
  | "unknown";

export interface StoppedClass {
  id: StoppedClassId;
  severity: Severity;
  /** The runbook's "Ursache", in English. */
  cause: string;
  nextStep: string;
  /** A Secrets Manager problem (the runbook's subject). */
  secretRelated: boolean;
  /** A failure (counts for the circuit breaker); scheduler/user/spot stops are not. */
  failure: boolean;
}

const C = (
  id: StoppedClassId,
  cause: string,
  nextStep: string,
  secretRelated: boolean,
  failure = true,
  severity: Severity = failure ? "fail" : "info",
): StoppedClass => ({ id, severity, cause, nextStep, secretRelated, failure });

export const STOPPED_CLASSES: Record<StoppedClassId, StoppedClass> = {
  "secret-not-found": C(
    "secret-not-found",
    "A secret does not exist or the ARN is wrong",
    "→ Schritt 5.1",
    true,
  ),
  "secret-access-denied": C(
    "secret-access-denied",
    "The task execution role may not read the secret (secretsmanager:GetSecretValue)",
    "→ Schritt 5.5",
    true,
  ),
  "kms-access-denied": C(
    "kms-access-denied",
    "The task execution role may not decrypt the secret's KMS key (kms:Decrypt)",
    "→ Schritt 5.5",
    true,
  ),
  "secret-json-key-missing": C(
    "secret-json-key-missing",
    "The secret lacks a JSON key the task definition asks for",
    "→ Schritt 5.3",
    true,
  ),
  "secret-marked-for-deletion": C(
    "secret-marked-for-deletion",
    "The secret is scheduled for deletion",
    "→ Schritt 5.1 (restore-secret)",
    true,
  ),
  "secret-not-json": C(
    "secret-not-json",
    "The secret's value is not valid JSON, but the task asks for a JSON key",
    "→ Schritt 5.2",
    true,
  ),
  "secrets-network": C(
    "secrets-network",
    "The task cannot reach Secrets Manager (no VPC endpoint / NAT route)",
    "Network prüfen (VPC endpoint, NAT, security groups)",
    true,
  ),
  "ssm-parameter-error": C(
    "ssm-parameter-error",
    "An SSM parameter could not be read",
    "SSM Parameter prüfen",
    false,
  ),
  "registry-auth": C(
    "registry-auth",
    "Registry authentication failed (ECR auth token or repositoryCredentials)",
    "ECR prüfen",
    false,
  ),
  "resource-init-other": C(
    "resource-init-other",
    "Secret missing or IAM error while initialising task resources",
    "→ Schritt 5",
    true,
  ),
  "image-not-found": C("image-not-found", "The image or tag does not exist", "ECR prüfen", false),
  "image-access-denied": C(
    "image-access-denied",
    "The execution role may not pull the image from ECR",
    "ECR prüfen",
    false,
  ),
  "image-pull-timeout": C(
    "image-pull-timeout",
    "ECR access failed (timeout; not a secrets problem)",
    "ECR prüfen",
    false,
  ),
  "image-pull-failed": C(
    "image-pull-failed",
    "ECR access failed (not a secrets problem)",
    "ECR prüfen",
    false,
  ),
  "container-runtime-timeout": C(
    "container-runtime-timeout",
    "The container runtime did not start the container in time",
    "→ Schritt 4",
    false,
  ),
  "cannot-start-container": C(
    "cannot-start-container",
    "The container could not be started (command, memory or runtime error)",
    "→ Schritt 4",
    false,
  ),
  "out-of-memory": C(
    "out-of-memory",
    "The container ran out of memory (OOM, exit 137)",
    "→ Schritt 4",
    false,
  ),
  "essential-container-exited": C(
    "essential-container-exited",
    "Container crash (probably a configuration error)",
    "→ Schritt 4",
    false,
  ),
  "elb-health-checks": C(
    "elb-health-checks",
    "The app starts, but /api/ready fails the ELB health check",
    "→ Schritt 4",
    false,
  ),
  "container-health-checks": C(
    "container-health-checks",
    "The container's own health check failed",
    "→ Schritt 4",
    false,
  ),
  "scheduler-stop": C(
    "scheduler-stop",
    "Stopped by the service scheduler (scaling or deployment); not a failure",
    "—",
    false,
    false,
  ),
  "user-stop": C("user-stop", "Stopped by a user; not a failure", "—", false, false),
  "spot-interruption": C(
    "spot-interruption",
    "Spot capacity was reclaimed; not a failure",
    "—",
    false,
    false,
  ),
  unknown: C("unknown", "Unrecognised stop reason", "→ Schritt 4", false, true, "warn"),
};

export interface StoppedTaskFinding extends Finding {
  id: StoppedClassId;
  taskId: string;
  cause: string;
  secretRelated: boolean;
  failure: boolean;
  /** The stoppedReason as ECS wrote it. */
  stoppedReason: string;
  stopCode?: string;
  /** Secret named in the message (ARN and/or name without suffix). */
  secret?: { arn?: string; name?: string };
  /** For secret-json-key-missing: the key. */
  jsonKey?: string;
  /** The role named in an AccessDenied message (assumed-role/NAME). */
  roleName?: string;
  /** The container that decided it (the essential one that exited, or the one with a reason). */
  container?: string;
  exitCode?: number;
  containerReason?: string;
  image?: string;
}

const SM_ARN_IN_TEXT = /arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+/;

/** The secret an error message names, if any. */
export function secretFromMessage(message: string): { arn?: string; name?: string } | undefined {
  const arnMatch = SM_ARN_IN_TEXT.exec(message)?.[0]?.replace(/[.]+$/, "");
  if (arnMatch) {
    const withSuffix = arnMatch.split(":secret:")[1] ?? "";
    return { arn: arnMatch, name: splitArnSuffix(withSuffix).name };
  }
  // "asm fetching secret from the service for afu9/database: ..." / "secret afu9/database"
  const forName = /(?:service for|secret(?: named)?|SecretId:?)\s+([A-Za-z0-9/_+=.@-]+?)(?::|\s|\.?$)/i.exec(
    message,
  );
  const n = forName?.[1];
  if (n?.includes("/") && !/^(from|asm|ssm)$/i.test(n)) return { name: splitArnSuffix(n).name };
  return undefined;
}

/** The container that explains the stop: an essential one that exited non-zero, or one with a reason. */
function decidingContainer(containers: StoppedContainer[]): StoppedContainer | undefined {
  return (
    containers.find((c) => c.exitCode !== undefined && c.exitCode !== 0) ??
    containers.find((c) => !!c.reason) ??
    containers[0]
  );
}

/** Classifies the text of a ResourceInitializationError / registry / secrets failure. */
export function classifyResourceInitialization(reason: string): StoppedClassId {
  if (/did not contain json key/i.test(reason)) return "secret-json-key-missing";
  if (/marked for deletion/i.test(reason)) return "secret-marked-for-deletion";
  if (
    /Access to KMS is not allowed|kms:Decrypt|KMSAccessDenied|KMS\w*Exception|DecryptionFailure/i.test(reason)
  )
    return "kms-access-denied";
  if (/ecr registry auth|registry auth from asm|repositoryCredentials|unable to retrieve ecr/i.test(reason))
    return "registry-auth";
  if (/from ssm|ParameterNotFound|InvalidParameters/i.test(reason) && !/from asm/i.test(reason))
    return /context deadline exceeded|RequestCanceled|i\/o timeout|connection issue/i.test(reason)
      ? "secrets-network"
      : "ssm-parameter-error";
  if (/AccessDenied|not authorized to perform/i.test(reason)) return "secret-access-denied";
  if (
    /ResourceNotFoundException|can't find the specified secret|cannot find the specified secret/i.test(reason)
  )
    return "secret-not-found";
  if (/invalid character .* in literal|unmarshal|not valid JSON|invalid JSON|cannot unmarshal/i.test(reason))
    return "secret-not-json";
  if (
    /context deadline exceeded|RequestCanceled|i\/o timeout|connection issue between the task and AWS Secrets Manager|dial tcp|send request failed|RequestError/i.test(
      reason,
    )
  )
    return "secrets-network";
  return "resource-init-other";
}

function classifyPull(reason: string): StoppedClassId {
  if (/not found|manifest unknown|does not exist|failed to resolve reference.*not found/i.test(reason))
    return "image-not-found";
  if (
    /AccessDenied|403 Forbidden|not authorized|denied:|unauthorized|no basic auth credentials/i.test(reason)
  )
    return "image-access-denied";
  if (/timeout|timed out|deadline exceeded|has been retried|dial tcp/i.test(reason))
    return "image-pull-timeout";
  return "image-pull-failed";
}

/** Classifies one stopped task. */
export function classifyStoppedTask(task: StoppedTask): StoppedTaskFinding {
  const reason = (task.stoppedReason ?? "").trim();
  const c = decidingContainer(task.containers);
  const containerReason = c?.reason?.trim();
  const both = `${reason}\n${containerReason ?? ""}`;
  let id: StoppedClassId;
  if (/ResourceInitializationError|unable to pull secrets|unable to retrieve secret/i.test(both))
    id = classifyResourceInitialization(both);
  else if (/CannotPullContainerError/i.test(both)) id = classifyPull(both);
  else if (/ContainerRuntimeTimeoutError/i.test(both)) id = "container-runtime-timeout";
  else if (
    /OutOfMemory|OOMKilled|out of memory/i.test(both) ||
    (c?.exitCode === 137 && /exited/i.test(reason))
  )
    id = "out-of-memory";
  else if (/CannotStartContainerError|CannotCreateContainerError/i.test(both)) id = "cannot-start-container";
  else if (/failed (?:ELB|load balancer) health checks/i.test(reason)) id = "elb-health-checks";
  else if (/failed container health checks/i.test(reason)) id = "container-health-checks";
  else if (/Essential container in task exited/i.test(reason) || task.stopCode === "EssentialContainerExited")
    id = "essential-container-exited";
  else if (task.stopCode === "SpotInterruption" || task.stopCode === "TerminationNotice")
    id = "spot-interruption";
  else if (/Scaling activity initiated by|deployment ecs-svc|Service .* (?:scaled|deployment)/i.test(reason))
    id = "scheduler-stop";
  else if (task.stopCode === "ServiceSchedulerInitiated" && !/error|fail/i.test(reason))
    id = "scheduler-stop";
  else if (task.stopCode === "UserInitiated" || /Task stopped by user|stopped by user/i.test(reason))
    id = "user-stop";
  else id = "unknown";

  const cls = STOPPED_CLASSES[id];
  const secret = cls.secretRelated ? secretFromMessage(both) : undefined;
  const jsonKey =
    id === "secret-json-key-missing"
      ? /did not contain json key\s+([^\s.,:;"']+)/i.exec(both)?.[1]
      : undefined;
  const roleName = /assumed-role\/([^/\s]+)/.exec(both)?.[1];
  const exitCode = c?.exitCode;
  let text: string;
  switch (id) {
    case "secret-json-key-missing":
      text = `Secret${secret?.name ? ` ${secret.name}` : ""} has no JSON key ${jsonKey ?? "?"}`;
      break;
    case "secret-not-found":
      text = `Secret${secret?.name ? ` ${secret.name}` : ""} not found (ResourceNotFoundException)`;
      break;
    case "secret-access-denied":
      text = `Access denied reading secret${secret?.name ? ` ${secret.name}` : ""}${roleName ? ` as ${roleName}` : ""}`;
      break;
    case "kms-access-denied":
      text = `KMS access denied for secret${secret?.name ? ` ${secret.name}` : ""}`;
      break;
    case "secret-marked-for-deletion":
      text = `Secret${secret?.name ? ` ${secret.name}` : ""} is marked for deletion`;
      break;
    case "essential-container-exited":
    case "out-of-memory":
      text = `${id === "out-of-memory" ? "Out of memory" : "Essential container exited"}${c ? `: ${c.name}` : ""}${exitCode !== undefined ? ` exit ${exitCode}` : ""}`;
      break;
    default:
      text = reason ? `${cls.cause}: ${reason}` : cls.cause;
  }
  return {
    step: "stopped-tasks",
    id,
    severity: cls.severity,
    text,
    nextStep: cls.nextStep,
    taskId: task.taskId,
    cause: cls.cause,
    secretRelated: cls.secretRelated,
    failure: cls.failure,
    stoppedReason: reason,
    ...(task.stopCode ? { stopCode: task.stopCode } : {}),
    ...(secret ? { secret } : {}),
    ...(jsonKey ? { jsonKey } : {}),
    ...(roleName ? { roleName } : {}),
    ...(c ? { container: c.name } : {}),
    ...(exitCode !== undefined ? { exitCode } : {}),
    ...(containerReason ? { containerReason } : {}),
    ...(c?.image ? { image: c.image } : {}),
  };
}

/** Strength order: a stop that names a secret beats a generic crash. */
const STRENGTH: StoppedClassId[] = [
  "secret-not-found",
  "secret-json-key-missing",
  "secret-marked-for-deletion",
  "kms-access-denied",
  "secret-access-denied",
  "secret-not-json",
  "secrets-network",
  "resource-init-other",
  "registry-auth",
  "ssm-parameter-error",
  "image-not-found",
  "image-access-denied",
  "image-pull-timeout",
  "image-pull-failed",
  "out-of-memory",
  "cannot-start-container",
  "container-runtime-timeout",
  "essential-container-exited",
  "elb-health-checks",
  "container-health-checks",
  "unknown",
  "spot-interruption",
  "user-stop",
  "scheduler-stop",
];

export interface StoppedTasksAnalysis {
  findings: StoppedTaskFinding[];
  /** Count per class. */
  counts: Partial<Record<StoppedClassId, number>>;
  /** The strongest failure, or undefined when no task failed. */
  primary: StoppedTaskFinding | undefined;
}

/**
 * Step 3 over several tasks. With `deploymentId` (ecs-svc/...) only that deployment's tasks
 * (startedBy) count, when any of them is among the tasks.
 */
export function analyzeStoppedTasks(tasks: StoppedTask[], deploymentId?: string): StoppedTasksAnalysis {
  const mine = deploymentId ? tasks.filter((t) => t.startedBy === deploymentId) : tasks;
  const chosen = mine.length > 0 ? mine : tasks;
  const findings = chosen.map(classifyStoppedTask);
  const counts: Partial<Record<StoppedClassId, number>> = {};
  for (const f of findings) counts[f.id] = (counts[f.id] ?? 0) + 1;
  const failures = findings.filter((f) => f.failure);
  const primary = [...failures].sort((a, b) => STRENGTH.indexOf(a.id) - STRENGTH.indexOf(b.id))[0];
  return { findings, counts, primary };
}

/** Task id from a task ARN (arn:aws:ecs:REGION:ACCT:task/CLUSTER/ID or the old task/ID). */
export function taskIdFromArn(arn: string): string {
  return arn.split("/").pop() ?? arn;
}
