// Gathers the runbook's evidence from AWS. Calls that do not depend on each other run at the same
// time; each answer is fetched once and shared by every step that needs it. A failed call marks
// what depends on it; everything else still runs.

import { describeStack, type StackInfo, stackEvents } from "../aws/cloudformation.js";
import type { Clients } from "../aws/clients.js";
import { describeService, describeTaskDefinition, stoppedTasks } from "../aws/ecs.js";
import { AwsProblem } from "../aws/errors.js";
import { roleDocuments, roleNameFromArn, rolePolicies, type RolePolicies, simulate, type SimulationResult } from "../aws/iam.js";
import { filterLogs } from "../aws/logs.js";
import { inspectSecret, type SecretFacts } from "../aws/secrets.js";
import type { LogLine, ServiceInfo, StackEvent, StoppedTask, TaskDefinition } from "../diagnosis/model.js";
import { RUNBOOK_FILTER_PATTERN } from "../diagnosis/logs.js";
import { type RequiredSecret, requiredSecrets } from "../diagnosis/secrets.js";
import { evaluate, type NamedDocument } from "../lib/iam-policy.js";

export interface Target {
  region: string;
  profile?: string;
  cluster: string;
  service: string;
  stack: string;
  networkStack: string;
  databaseStack: string;
  /** --log-group; otherwise the task definition's awslogs group, else the runbook's. */
  logGroup?: string;
}

export const DEFAULT_LOG_GROUP = "/ecs/afu9/control-center";
/** The runbook's `aws logs tail --since 30m`. */
export const LOG_WINDOW_MS = 30 * 60_000;

export interface ProblemInfo {
  kind: string;
  code: string;
  message: string;
  hint: string;
  operation?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problem: ProblemInfo };

export function problemInfo(e: unknown): ProblemInfo {
  if (e instanceof AwsProblem)
    return { kind: e.kind, code: e.code, message: e.message, hint: e.hint, operation: e.operation };
  return { kind: "other", code: "Error", message: e instanceof Error ? e.message : String(e), hint: "" };
}

async function settle<T>(p: Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    return { ok: false, problem: problemInfo(e) };
  }
}

/** A dependency that did not answer: the dependant is skipped with the dependency's reason. */
function needs<T>(r: Result<T>, what: string): T {
  if (r.ok) return r.value;
  throw Object.assign(new Error(`needs ${what}: ${r.problem.message}`), { skipped: true, cause: r.problem });
}

export interface SecretEvidence {
  required: RequiredSecret;
  facts: SecretFacts;
}

export interface AccessCheck {
  secretArn: string;
  secretName: string;
  /** secretsmanager:GetSecretValue on the secret. */
  getSecretValue: "allowed" | "explicitDeny" | "implicitDeny" | "conditional" | "unknown";
  /** kms:Decrypt on the secret's customer managed key, when it has one. */
  kmsDecrypt?: "allowed" | "explicitDeny" | "implicitDeny" | "conditional" | "unknown";
  kmsKeyId?: string;
  via: "simulate" | "policy";
}

export interface RoleEvidence {
  roleArn: string;
  /** Where the ARN came from. */
  source: "stack-output" | "task-definition";
  policies: RolePolicies;
  access: AccessCheck[];
  /** Why SimulatePrincipalPolicy was not used, when the documents were read instead. */
  simulateProblem?: ProblemInfo;
}

export interface Evidence {
  target: Target;
  collectedAt: Date;
  stack: Result<StackInfo | undefined>;
  stackEvents: Result<StackEvent[]>;
  databaseStack: Result<StackInfo | undefined>;
  networkStack: Result<StackInfo | undefined>;
  service: Result<ServiceInfo>;
  stoppedTasks: Result<StoppedTask[]>;
  /** The task definition the failing deployment runs (else the service's). */
  taskDefinition: Result<TaskDefinition>;
  logGroup: string;
  logGroupSource: "flag" | "task-definition" | "default";
  logs: Result<LogLine[]>;
  secrets: Result<SecretEvidence[]>;
  role: Result<RoleEvidence>;
}

export type Collected = keyof Omit<Evidence, "target" | "collectedAt" | "logGroup" | "logGroupSource">;

/**
 * The task definition worth diagnosing: the newest FAILED deployment's; else the one the newest
 * failed stopped task ran; else the service's. After a circuit-breaker rollback the service points
 * at the old revision, but the revision that failed is the one to explain.
 */
export function focusTaskDefinition(service: ServiceInfo, tasks: StoppedTask[] | undefined): string {
  const failed = [...service.deployments]
    .filter((d) => d.rolloutState === "FAILED")
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
  if (failed?.taskDefinition) return failed.taskDefinition;
  const failedTask = (tasks ?? []).find((t) => t.stopCode === "TaskFailedToStart" || t.stopCode === "EssentialContainerExited");
  return failedTask?.taskDefinitionArn || service.taskDefinition;
}

export function awslogsGroup(td: TaskDefinition): string | undefined {
  for (const c of td.containers) {
    const g = c.logConfiguration?.logDriver === "awslogs" ? c.logConfiguration.options?.["awslogs-group"] : undefined;
    if (g) return g;
  }
  return undefined;
}

export interface CollectHooks {
  /** Called as each piece of evidence arrives (the UI draws steps as they finish). */
  onEvidence?: (key: Collected, ev: Partial<Evidence>) => void;
  now?: () => number;
}

export async function collect(c: Clients, target: Target, hooks: CollectHooks = {}): Promise<Evidence> {
  const now = hooks.now ?? Date.now;
  const ev: Partial<Evidence> = { target, collectedAt: new Date(now()) };
  const track = <K extends Collected>(key: K, p: Promise<Evidence[K] extends Result<infer T> ? T : never>) => {
    const r = settle(p).then((res) => {
      (ev as Record<string, unknown>)[key] = res;
      hooks.onEvidence?.(key, ev);
      return res as Evidence[K];
    });
    return r;
  };

  const stack = track("stack", describeStack(c, target.stack));
  const events = track("stackEvents", stackEvents(c, target.stack));
  const dbStack = track("databaseStack", describeStack(c, target.databaseStack));
  const netStack = track("networkStack", describeStack(c, target.networkStack));
  const service = track("service", describeService(c, target.cluster, target.service));
  const stopped = track("stoppedTasks", stoppedTasks(c, target.cluster, target.service));

  const td = track(
    "taskDefinition",
    (async () => {
      const s = needs(await service, "the service (step 2)");
      const t = await stopped;
      return describeTaskDefinition(c, focusTaskDefinition(s, t.ok ? t.value : undefined));
    })(),
  );

  // Step 4 needs the log group: the flag, else the task definition's, else the runbook's.
  const logs = track(
    "logs",
    (async () => {
      const t = await td;
      const fromTd = t.ok ? awslogsGroup(t.value) : undefined;
      ev.logGroup = target.logGroup ?? fromTd ?? DEFAULT_LOG_GROUP;
      ev.logGroupSource = target.logGroup ? "flag" : fromTd ? "task-definition" : "default";
      return filterLogs(c, ev.logGroup, { startTime: now() - LOG_WINDOW_MS, filterPattern: RUNBOOK_FILTER_PATTERN, max: 500 });
    })(),
  );

  const secrets = track(
    "secrets",
    (async () => {
      const t = needs(await td, "the task definition");
      const required = requiredSecrets(t).filter((r) => r.service === "secretsmanager");
      return Promise.all(
        required.map(async (r) => ({ required: r, facts: await inspectSecret(c, r.secretId, r.requiredKeys) })),
      );
    })(),
  );

  const role = track(
    "role",
    (async () => {
      const [s, t] = await Promise.all([stack, td]);
      const fromStack = s.ok ? s.value?.outputs.TaskExecutionRoleArn : undefined;
      const fromTd = t.ok ? t.value.executionRoleArn : undefined;
      const roleArn = fromStack || fromTd;
      if (!roleArn) {
        if (!t.ok) needs(t, "the task definition");
        throw new AwsProblem(
          "not-found",
          "No task execution role: neither the stack output TaskExecutionRoleArn nor the task definition names one",
          "ECS needs an execution role to read secrets; check the CDK code",
          "NoExecutionRole",
        );
      }
      const sec = await secrets;
      return checkRole(c, roleArn, fromStack ? "stack-output" : "task-definition", sec.ok ? sec.value : []);
    })(),
  );

  await Promise.all([stack, events, dbStack, netStack, service, stopped, td, logs, secrets, role]);
  ev.logGroup ??= target.logGroup ?? DEFAULT_LOG_GROUP;
  ev.logGroupSource ??= target.logGroup ? "flag" : "default";
  return ev as Evidence;
}

async function checkRole(
  c: Clients,
  roleArn: string,
  source: RoleEvidence["source"],
  secrets: SecretEvidence[],
): Promise<RoleEvidence> {
  const policies = await rolePolicies(c, roleNameFromArn(roleArn));
  const targets = secrets
    .filter((s) => s.facts.exists)
    .map((s) => ({
      secretArn: s.facts.arn ?? s.required.secretId,
      secretName: s.required.name,
      kmsKeyArn: kmsResource(s.facts.kmsKeyId, roleArn, c.target.region),
      kmsKeyId: s.facts.kmsKeyId,
    }));
  if (targets.length === 0) return { roleArn, source, policies, access: [] };

  const resources = [...targets.map((t) => t.secretArn), ...targets.flatMap((t) => (t.kmsKeyArn ? [t.kmsKeyArn] : []))];
  let results: SimulationResult[] | undefined;
  let simulateProblem: ProblemInfo | undefined;
  try {
    results = await simulate(c, roleArn, ["secretsmanager:GetSecretValue", "kms:Decrypt"], resources);
  } catch (e) {
    simulateProblem = problemInfo(e);
  }
  if (results) {
    const decision = (action: string, resource: string) =>
      results!.find((r) => r.action === action && r.resource === resource)?.decision ?? "unknown";
    return {
      roleArn,
      source,
      policies,
      access: targets.map((t) => ({
        secretArn: t.secretArn,
        secretName: t.secretName,
        getSecretValue: decision("secretsmanager:GetSecretValue", t.secretArn),
        ...(t.kmsKeyArn ? { kmsDecrypt: decision("kms:Decrypt", t.kmsKeyArn), kmsKeyId: t.kmsKeyId } : {}),
        via: "simulate" as const,
      })),
    };
  }
  // SimulatePrincipalPolicy not permitted: read the documents and judge them ourselves.
  const docs: NamedDocument[] = await roleDocuments(c, policies);
  const judge = (action: string, resource: string) => {
    const r = evaluate(docs, action, resource);
    return r.decision === "allowed" && r.conditional ? ("conditional" as const) : r.decision;
  };
  return {
    roleArn,
    source,
    policies,
    simulateProblem,
    access: targets.map((t) => ({
      secretArn: t.secretArn,
      secretName: t.secretName,
      getSecretValue: judge("secretsmanager:GetSecretValue", t.secretArn),
      ...(t.kmsKeyArn ? { kmsDecrypt: judge("kms:Decrypt", t.kmsKeyArn), kmsKeyId: t.kmsKeyId } : {}),
      via: "policy" as const,
    })),
  };
}

/** The KMS key ARN to check kms:Decrypt on; undefined for the AWS managed aws/secretsmanager key. */
function kmsResource(kmsKeyId: string | undefined, roleArn: string, region: string): string | undefined {
  if (!kmsKeyId || /alias\/aws\/secretsmanager$/.test(kmsKeyId)) return undefined;
  if (kmsKeyId.startsWith("arn:")) return kmsKeyId;
  const account = roleArn.split(":")[4];
  return kmsKeyId.startsWith("alias/")
    ? `arn:aws:kms:${region}:${account}:${kmsKeyId}`
    : `arn:aws:kms:${region}:${account}:key/${kmsKeyId}`;
}
