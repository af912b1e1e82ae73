// Evidence types of the diagnosis: what the gateways (source/aws/*) return, in our own shapes.
// Plain strings, numbers, Date | undefined and optional fields, so they are easy to fill from SDK
// answers. Nothing here holds a secret VALUE: secret checks carry key names only.

/** The runbook's steps, in order. */
export type StepId =
  | "cloudformation" // 1
  | "service-events" // 2
  | "stopped-tasks" // 3
  | "logs" // 4
  | "secrets" // 5.1-5.4
  | "iam" // 5.5
  | "decision"; // 6

export const STEP_ORDER: readonly StepId[] = [
  "cloudformation",
  "service-events",
  "stopped-tasks",
  "logs",
  "secrets",
  "iam",
  "decision",
];

/** Runbook section of each step, for "→ Schritt N" texts. */
export const STEP_SECTION: Record<StepId, string> = {
  cloudformation: "1",
  "service-events": "2",
  "stopped-tasks": "3",
  logs: "4",
  secrets: "5",
  iam: "5.5",
  decision: "6",
};

export type StepStatus = "pending" | "running" | "ok" | "warn" | "fail" | "skipped";

/** How bad one finding is. `info` is neutral (e.g. "has started 1 tasks"). */
export type Severity = "info" | "ok" | "warn" | "fail";

/** One classified piece of evidence. `id` is the classifier's stable class id. */
export interface Finding {
  step: StepId;
  id: string;
  severity: Severity;
  /** One line for the screen (already free of secret values). */
  text: string;
  /** The runbook's next step, e.g. "→ Schritt 5", "ECR prüfen". */
  nextStep?: string;
}

/** A step that could not be run or did not answer: the verdict says what could not be checked. */
export interface Unchecked {
  unchecked: true;
  /** Why, e.g. "AccessDenied on iam:ListAttachedRolePolicies". */
  reason: string;
}

export function unchecked(reason: string): Unchecked {
  return { unchecked: true, reason };
}

export function isUnchecked(v: unknown): v is Unchecked {
  return typeof v === "object" && v !== null && (v as Unchecked).unchecked === true;
}

// ── Step 1: CloudFormation ────────────────────────────────────────────────────────────────

export interface StackEvent {
  eventId?: string;
  stackName?: string;
  timestamp: Date | undefined;
  logicalResourceId: string;
  physicalResourceId?: string;
  /** AWS::ECS::Service, AWS::CloudFormation::Stack, ... */
  resourceType: string;
  /** CREATE_FAILED, UPDATE_IN_PROGRESS, ... (ResourceStatus) */
  status: string;
  /** ResourceStatusReason */
  reason?: string;
}

// ── Step 2: ECS service and its events ────────────────────────────────────────────────────

export interface Deployment {
  /** ecs-svc/1234567890123456789 */
  id: string;
  /** PRIMARY (newest), ACTIVE (older, still running tasks), INACTIVE. */
  status: "PRIMARY" | "ACTIVE" | "INACTIVE" | string;
  /** Task definition ARN. */
  taskDefinition: string;
  /** IN_PROGRESS, COMPLETED, FAILED. */
  rolloutState?: string;
  /** e.g. "ECS deployment circuit breaker: tasks failed to start." */
  rolloutStateReason?: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  createdAt: Date | undefined;
  updatedAt?: Date | undefined;
}

export interface ServiceEvent {
  id: string;
  createdAt: Date | undefined;
  message: string;
}

export interface ServiceInfo {
  serviceName: string;
  serviceArn?: string;
  clusterArn?: string;
  status?: string; // ACTIVE
  /** The service's current task definition ARN. */
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  deployments: Deployment[];
  /** Newest first, as DescribeServices returns them. */
  events: ServiceEvent[];
  circuitBreaker?: { enable: boolean; rollback: boolean };
  loadBalancers?: { targetGroupArn?: string; containerName?: string; containerPort?: number }[];
}

// ── Step 3: stopped tasks ─────────────────────────────────────────────────────────────────

export interface StoppedContainer {
  name: string;
  exitCode?: number;
  reason?: string;
  image?: string;
  lastStatus?: string;
}

export interface StoppedTask {
  taskArn: string;
  /** Last path segment of the ARN. */
  taskId: string;
  taskDefinitionArn: string;
  /** ecs-svc/<deployment id> when the service scheduler started it. */
  startedBy?: string;
  group?: string;
  lastStatus?: string;
  stoppedReason?: string;
  /** TaskFailedToStart, EssentialContainerExited, ServiceSchedulerInitiated, UserInitiated, ... */
  stopCode?: string;
  createdAt?: Date | undefined;
  startedAt?: Date | undefined;
  stoppingAt?: Date | undefined;
  stoppedAt?: Date | undefined;
  containers: StoppedContainer[];
}

// ── Step 4: logs ──────────────────────────────────────────────────────────────────────────

export interface LogLine {
  timestamp: Date | undefined;
  /** Log stream name, e.g. ecs/control-center/0123abcd... */
  stream: string;
  /** From the awslogs stream name (prefix/container/taskId), when it has that form. */
  taskId?: string;
  message: string;
  /** For deduplication across polls. */
  eventId?: string;
}

// ── Task definition ───────────────────────────────────────────────────────────────────────

export interface ContainerDefinition {
  name: string;
  image: string;
  essential?: boolean;
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  logConfiguration?: { logDriver: string; options?: Record<string, string> };
}

export interface TaskDefinition {
  family: string;
  revision: number;
  arn: string;
  executionRoleArn?: string;
  taskRoleArn?: string;
  containers: ContainerDefinition[];
}

// ── Step 5: secrets and IAM ───────────────────────────────────────────────────────────────

/**
 * Whether the task execution role may read a secret.
 * allowed · denied (no Allow / explicit Deny on GetSecretValue) · kms-denied (may read the secret
 * but not decrypt its customer managed key) · conditional (allowed only under a Condition that was
 * not evaluated) · unknown (not checked).
 */
export type AccessVerdict = "allowed" | "denied" | "kms-denied" | "conditional" | "unknown";

/** An AWS error as the gateways report it: code (exception name) and message. */
export interface AwsErrorInfo {
  code: string;
  message: string;
}

/** What was found about one secret. Key NAMES only; never values. */
export interface SecretCheck {
  /** What the task definition asks for (valueFrom) or the runbook's name. */
  ref: string;
  /** Secret name without the ARN's six-character suffix (afu9/database). */
  name: string;
  arn?: string;
  /** DescribeSecret answered (true) / ResourceNotFoundException (false) / not known. */
  exists: boolean | undefined;
  /** Scheduled for deletion (DeletedDate set). */
  deleted: boolean;
  deletedDate?: Date | undefined;
  /** The value parses as a JSON object; undefined when the value could not be read. */
  isJson: boolean | undefined;
  /** Keys the value must have (from the task definition's json keys and the runbook). */
  requiredKeys: string[];
  presentKeys: string[];
  missingKeys: string[];
  /** Present but null or "" (the app sees "null", e.g. getaddrinfo ENOTFOUND null). */
  emptyKeys?: string[];
  kmsKeyId?: string;
  lastAccessed?: Date | undefined;
  /** Whether the execution role may read it (from SimulatePrincipalPolicy or the policy documents). */
  access: AccessVerdict;
  /** The error of DescribeSecret / GetSecretValue, if any. */
  error?: AwsErrorInfo;
}

export interface RoleCheck {
  roleArn: string;
  roleName: string;
  attachedPolicies: string[];
  inlinePolicies: string[];
  /** Per secret: may the role call secretsmanager:GetSecretValue (and kms:Decrypt)? */
  access: {
    secretArn: string;
    verdict: AccessVerdict;
    via: "simulate" | "policy" | "none";
    detail?: string;
  }[];
  error?: AwsErrorInfo;
}

/** From the database stack's outputs (Afu9DbEndpoint, Afu9DbSecretArn). */
export interface DatabaseStackInfo {
  /** true: the stack exists and has Afu9DbEndpoint; false: no stack / no output; undefined: unknown. */
  deployed: boolean | undefined;
  endpoint?: string;
  masterSecretArn?: string;
}
