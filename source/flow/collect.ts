// Gathers the runbook's evidence from AWS. Calls that do not depend on each other run at the same
// time; each answer is fetched once and shared by every step that needs it. A failed call marks
// what depends on it; everything else still runs.

import type { Clients } from "../aws/clients.js";
import { describeStack, listStackNames, type StackInfo, stackEvents } from "../aws/cloudformation.js";
import { describeService, describeTaskDefinition, stoppedTasks } from "../aws/ecs.js";
import { AwsProblem } from "../aws/errors.js";
import {
  type RolePolicies,
  roleDocuments,
  roleNameFromArn,
  rolePolicies,
  type SimulationResult,
  simulate,
} from "../aws/iam.js";
import { filterLogs } from "../aws/logs.js";
import { inspectSecret, type SecretFacts } from "../aws/secrets.js";
import { RUNBOOK_FILTER_PATTERN } from "../diagnosis/logs.js";
import type { LogLine, ServiceInfo, StackEvent, StoppedTask, TaskDefinition } from "../diagnosis/model.js";
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
  /** For access-denied: the action and resource AWS named (AwsProblem.action/resource). */
  action?: string;
  resource?: string;
  /** For a skipped dependant ("needs …"): what it needed, and that dependency's problem. */
  needs?: string;
  cause?: ProblemInfo;
}

/** Problems that stop every call the same way: nothing can be checked until they are solved. */
export const FATAL_PROBLEMS: ReadonlySet<string> = new Set([
  "no-credentials",
  "sso-expired",
  "token-expired",
  "network",
]);

/** The problem that kept the whole diagnosis from running, if any (the service is step 2's core). */
export function fatalProblem(ev: Partial<Evidence>): ProblemInfo | undefined {
  const s = ev.service;
  return s && !s.ok && FATAL_PROBLEMS.has(s.problem.kind) ? s.problem : undefined;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problem: ProblemInfo };

export function problemInfo(e: unknown): ProblemInfo {
  if (e instanceof AwsProblem)
    return {
      kind: e.kind,
      code: e.code,
      message: e.message,
      hint: e.hint,
      operation: e.operation,
      ...(e.action ? { action: e.action } : {}),
      ...(e.resource ? { resource: e.resource } : {}),
    };
  const skip = e as { skipped?: boolean; needs?: string; cause?: ProblemInfo } | undefined;
  return {
    kind: "other",
    code: "Error",
    message: e instanceof Error ? e.message : String(e),
    hint: "",
    ...(skip?.skipped && skip.needs ? { needs: skip.needs } : {}),
    ...(skip?.skipped && skip.cause ? { cause: skip.cause } : {}),
  };
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
  throw Object.assign(new Error(`needs ${what}: ${r.problem.message}`), {
    skipped: true,
    needs: what,
    cause: r.problem,
  });
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
  const failedTask = (tasks ?? []).find(
    (t) => t.stopCode === "TaskFailedToStart" || t.stopCode === "EssentialContainerExited",
  );
  return failedTask?.taskDefinitionArn || service.taskDefinition;
}

export function awslogsGroup(td: TaskDefinition): string | undefined {
  for (const c of td.containers) {
    const g =
      c.logConfiguration?.logDriver === "awslogs" ? c.logConfiguration.options?.["awslogs-group"] : undefined;
    if (g) return g;
  }
  return undefined;
}

export interface CollectHooks {
  /** Called as each piece of evidence arrives (the UI draws steps as they finish). */
  onEvidence?: (key: Collected, ev: Partial<Evidence>) => void;
  now?: () => number;
}

type Value<K extends Collected> = Evidence[K] extends Result<infer T> ? T : never;
type Await = <K extends Collected>(key: K) => Promise<Evidence[K]>;
type Fetcher<K extends Collected> = (
  c: Clients,
  target: Target,
  get: Await,
  ev: Partial<Evidence>,
  now: () => number,
) => Promise<Value<K>>;

/** How to fetch each piece of evidence; `get` awaits another piece (fetched once per run). */
const FETCHERS: { [K in Collected]: Fetcher<K> } = {
  stack: (c, t) => describeStack(c, t.stack),
  stackEvents: async (c, t) => {
    try {
      return await stackEvents(c, t.stack);
    } catch (e) {
      if (!(e instanceof AwsProblem) || e.kind !== "not-found") throw e;
      const names = await listStackNames(c).catch(() => [] as string[]);
      throw new AwsProblem(
        "not-found",
        `Stack ${t.stack} does not exist in ${t.region}`,
        names.length
          ? `stacks here: ${names.slice(0, 8).join(", ")} (use --stack)`
          : "check --stack and --region",
        e.code,
        e.operation,
      );
    }
  },
  databaseStack: (c, t) => describeStack(c, t.databaseStack),
  networkStack: (c, t) => describeStack(c, t.networkStack),
  service: (c, t) => describeService(c, t.cluster, t.service),
  stoppedTasks: (c, t) => stoppedTasks(c, t.cluster, t.service),
  taskDefinition: async (c, _t, get) => {
    const s = needs(await get("service"), "the service (step 2)");
    const tasks = await get("stoppedTasks");
    return describeTaskDefinition(c, focusTaskDefinition(s, tasks.ok ? tasks.value : undefined));
  },
  // Step 4 needs the log group: the flag, else the task definition's, else the runbook's.
  logs: async (c, t, get, ev, now) => {
    const td = await get("taskDefinition");
    const fromTd = td.ok ? awslogsGroup(td.value) : undefined;
    ev.logGroup = t.logGroup ?? fromTd ?? DEFAULT_LOG_GROUP;
    ev.logGroupSource = t.logGroup ? "flag" : fromTd ? "task-definition" : "default";
    return filterLogs(c, ev.logGroup, {
      startTime: now() - LOG_WINDOW_MS,
      filterPattern: RUNBOOK_FILTER_PATTERN,
      max: 500,
    });
  },
  secrets: async (c, _t, get) => {
    const td = needs(await get("taskDefinition"), "the task definition");
    const required = requiredSecrets(td).filter((r) => r.service === "secretsmanager");
    return Promise.all(
      required.map(async (r) => ({ required: r, facts: await inspectSecret(c, r.secretId, r.requiredKeys) })),
    );
  },
  role: async (c, _t, get) => {
    const [s, td] = await Promise.all([get("stack"), get("taskDefinition")]);
    const fromStack = s.ok ? s.value?.outputs.TaskExecutionRoleArn : undefined;
    const fromTd = td.ok ? td.value.executionRoleArn : undefined;
    const roleArn = fromStack || fromTd;
    if (!roleArn) {
      if (!td.ok) needs(td, "the task definition");
      throw new AwsProblem(
        "not-found",
        "No task execution role: neither the stack output TaskExecutionRoleArn nor the task definition names one",
        "ECS needs an execution role to read secrets; check the CDK code",
        "NoExecutionRole",
      );
    }
    const sec = await get("secrets");
    return checkRole(c, roleArn, fromStack ? "stack-output" : "task-definition", sec.ok ? sec.value : []);
  },
};

export const ALL_EVIDENCE = Object.keys(FETCHERS) as Collected[];

/** Which pieces depend on which (a refresh of one refreshes what depends on it). */
export const DEPENDANTS: Partial<Record<Collected, Collected[]>> = {
  service: ["taskDefinition"],
  stoppedTasks: ["taskDefinition"],
  taskDefinition: ["logs", "secrets", "role"],
  stack: ["role"],
  secrets: ["role"],
};

/** `keys` and everything that depends on them. */
export function withDependants(keys: readonly Collected[]): Collected[] {
  const out = new Set<Collected>(keys);
  let grew = true;
  while (grew) {
    grew = false;
    for (const k of [...out])
      for (const d of DEPENDANTS[k] ?? []) {
        if (out.has(d)) continue;
        out.add(d);
        grew = true;
      }
  }
  return ALL_EVIDENCE.filter((k) => out.has(k));
}

/**
 * Fetches `keys` (all by default). Pieces not in `keys` are taken from `previous`; each request is
 * made once per run and shared by every step that needs it.
 */
export async function collect(
  c: Clients,
  target: Target,
  hooks: CollectHooks = {},
  keys: readonly Collected[] = ALL_EVIDENCE,
  previous: Partial<Evidence> = {},
): Promise<Evidence> {
  const now = hooks.now ?? Date.now;
  const ev: Partial<Evidence> = { ...previous, target, collectedAt: new Date(now()) };
  const running = new Map<Collected, Promise<unknown>>();
  const get: Await = (key) => {
    let p = running.get(key);
    if (!p) {
      if (!keys.includes(key) && ev[key] !== undefined)
        return Promise.resolve(ev[key] as Evidence[typeof key]);
      const fetcher = FETCHERS[key] as Fetcher<typeof key>;
      p = settle(fetcher(c, target, get, ev, now)).then((res) => {
        (ev as Record<string, unknown>)[key] = res;
        hooks.onEvidence?.(key, ev);
        return res;
      });
      running.set(key, p);
    }
    return p as Promise<Evidence[typeof key]>;
  };
  await Promise.all(keys.map((k) => get(k)));
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

  const resources = [
    ...targets.map((t) => t.secretArn),
    ...targets.flatMap((t) => (t.kmsKeyArn ? [t.kmsKeyArn] : [])),
  ];
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
