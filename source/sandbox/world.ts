// The world file: a whole sandbox AWS account as JSON. Scenarios are world files.
// Times are relative to the sandbox clock's start ("-25m", "-3h", "-2d", "0s"), so a world
// looks current whenever it is loaded. Strings may hold placeholders, resolved on load:
//   {{account}} {{region}} {{endpoint}} (host:port of the sandbox, the ALB's DNS name)
//   {{secretArn:NAME}} (the full ARN of a secret in this world)

import type { Document as PolicyDocument } from "../lib/iam-policy.js";

export type Rel = string; // "-25m", "-3h", "-90s", "-2d", "0s"

export interface World {
  /** One line, shown by `afu9-tui sandbox --list`. */
  description: string;
  /** What the diagnosis should conclude; documentation for humans and the scenario tests. */
  expect?: { scenario: string; fix?: string | null };
  account?: string;
  region?: string;
  /** Seed for task ids and other generated names; the same seed gives the same account. */
  seed?: number;
  /** Absolute start of the clock (ISO 8601). Default: the real time when the sandbox starts. */
  clockStart?: string;
  stacks?: StackSpec[];
  cluster: string;
  services: ServiceSpec[];
  taskDefinitions: TaskDefinitionSpec[];
  secrets?: SecretSpec[];
  kmsKeys?: KmsKeySpec[];
  roles?: RoleSpec[];
  /** Customer managed policies. AWS managed ones (SecretsManagerReadWrite, ...) are built in. */
  policies?: ManagedPolicySpec[];
  logGroups?: LogGroupSpec[];
  /** Images that cannot be pulled, by image reference; everything else pulls. */
  images?: Record<string, { pullable: boolean; reason?: string }>;
  network?: NetworkSpec;
  database?: DatabaseSpec;
  app?: AppSpec;
  faults?: FaultSpec[];
}

export interface StackSpec {
  name: string;
  status?: string; // CREATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE, ...
  description?: string;
  createdAt?: Rel;
  updatedAt?: Rel;
  parameters?: Record<string, string>;
  outputs?: Record<string, string>;
  /** Oldest first in the file; served newest first as CloudFormation does. */
  events?: StackEventSpec[];
}

export interface StackEventSpec {
  at: Rel;
  logicalResourceId: string;
  resourceType: string;
  status: string; // UPDATE_IN_PROGRESS, UPDATE_FAILED, ...
  reason?: string;
  physicalResourceId?: string;
}

export interface ServiceSpec {
  name: string;
  /** "family:revision" the service ran before `history` (its deployment is COMPLETED). */
  taskDefinition: string;
  desiredCount: number;
  /** When that first deployment completed. */
  since?: Rel;
  circuitBreaker?: { enable: boolean; rollback: boolean };
  minimumHealthyPercent?: number;
  maximumPercent?: number;
  healthCheckGracePeriodSeconds?: number;
  loadBalancer?: LoadBalancerSpec | null;
  /** Deployments replayed through the simulator, oldest first, before the clock reaches 0s. */
  history?: { at: Rel; taskDefinition?: string; forceNewDeployment?: boolean }[];
}

export interface LoadBalancerSpec {
  targetGroupName: string;
  containerName: string;
  containerPort: number;
  healthCheckPath?: string; // /api/ready
  intervalSeconds?: number; // 30
  healthyThreshold?: number; // 2
  unhealthyThreshold?: number; // 3
  deregistrationDelaySeconds?: number; // 30
}

export interface TaskDefinitionSpec {
  family: string;
  revision: number;
  executionRoleArn?: string;
  taskRoleArn?: string;
  cpu?: string;
  memory?: string;
  registeredAt?: Rel;
  containerDefinitions: ContainerSpec[];
}

export interface ContainerSpec {
  name: string;
  image: string;
  essential?: boolean;
  memory?: number;
  portMappings?: { containerPort: number; protocol?: string }[];
  environment?: { name: string; value: string }[];
  secrets?: { name: string; valueFrom: string }[];
  logConfiguration?: { logDriver: string; options?: Record<string, string> };
}

export interface SecretSpec {
  name: string;
  /** A string, or an object that is stored as its JSON text. Omit for a secret with no value yet. */
  value?: string | Record<string, unknown>;
  description?: string;
  /** KMS key id, ARN or alias of a customer managed key; omitted means aws/secretsmanager. */
  kmsKeyId?: string;
  createdAt?: Rel;
  lastChangedAt?: Rel;
  lastAccessedAt?: Rel;
  /** Scheduled for deletion at this time (DeletedDate). */
  deletedAt?: Rel;
  /** Six characters AWS appends to the name in the ARN; generated from the name if omitted. */
  arnSuffix?: string;
  tags?: Record<string, string>;
}

export interface KmsKeySpec {
  keyId: string;
  alias?: string;
  enabled?: boolean;
  /** Role ARNs the key policy lets decrypt. Omitted: the key policy defers to IAM. */
  keyPolicyAllows?: string[];
}

export interface RoleSpec {
  name: string;
  path?: string;
  description?: string;
  createdAt?: Rel;
  attachedPolicies?: string[]; // policy ARNs
  inlinePolicies?: Record<string, PolicyDocument>;
}

export interface ManagedPolicySpec {
  name: string;
  path?: string;
  description?: string;
  document: PolicyDocument;
}

/** IAM policy documents as IAM writes them (one shape for the world file and the evaluator). */
export type { Document as PolicyDocument, Statement as PolicyStatement } from "../lib/iam-policy.js";

export interface LogGroupSpec {
  name: string;
  retentionInDays?: number;
  lines?: { at: Rel; stream: string; message: string }[];
}

export interface NetworkSpec {
  /** Whether tasks reach Secrets Manager (a missing VPC endpoint or NAT route times out). */
  secretsManager?: "ok" | "timeout";
  ecr?: "ok" | "timeout";
}

export interface DatabaseSpec {
  endpoint: string;
  port?: number;
  name?: string;
  /** The RDS master secret ({username, password}); the database accepts what it holds. */
  masterSecret: string;
  reachable?: boolean;
}

export interface AppSpec {
  /** Seconds from container start until the app listens (default 5). */
  startupSeconds?: number;
  /** Seconds between the app's own "ready" log lines while healthy (default 60; 0 for none). */
  heartbeatSeconds?: number;
}

export type FaultKind = "throttle" | "error5xx" | "latency" | "drop" | "accessDenied";

export interface FaultSpec {
  /** ecs, secretsmanager, logs, cloudformation, iam, or * for all. */
  service: string;
  /** Operation name (GetSecretValue) or * (default). */
  operation?: string;
  kind: FaultKind;
  /** How many requests it affects; omitted: every matching request. */
  count?: number;
  /** Let this many matching requests through first. */
  after?: number;
  /** For latency: milliseconds to wait before answering. */
  latencyMs?: number;
}

const REL = /^([+-]?)(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "-25m" → -1500000. Throws on anything else. */
export function parseRel(rel: string): number {
  const m = REL.exec(rel.trim());
  if (!m) throw new Error(`"${rel}" is not a relative time; write e.g. "-25m", "-3h", "-90s", "-2d" or "0s"`);
  const n = Number(m[2]) * UNIT_MS[m[3]!]!;
  return m[1] === "-" ? -n : n;
}

export class WorldError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${file}: ${path}: ${problem}`);
  }
}

type Check = (path: string, problem: string) => never;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Validates a parsed world file; throws WorldError naming the path and the problem. */
export function validateWorld(raw: unknown, file = "world"): World {
  const fail: Check = (path, problem) => {
    throw new WorldError(file, path, problem);
  };
  if (!isObj(raw)) fail("$", "a world file is a JSON object");
  const w = raw as Record<string, unknown>;
  const str = (v: unknown, path: string, optional = false) => {
    if (v === undefined && optional) return;
    if (typeof v !== "string" || v === "") fail(path, "expected a non-empty string");
  };
  const num = (v: unknown, path: string, optional = false) => {
    if (v === undefined && optional) return;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) fail(path, "expected a number ≥ 0");
  };
  const rel = (v: unknown, path: string, optional = true) => {
    if (v === undefined && optional) return;
    str(v, path);
    try {
      parseRel(v as string);
    } catch (e) {
      fail(path, (e as Error).message);
    }
  };
  const arr = (v: unknown, path: string, optional = true): unknown[] => {
    if (v === undefined && optional) return [];
    if (!Array.isArray(v)) fail(path, "expected an array");
    return v as unknown[];
  };
  const obj = (v: unknown, path: string) => {
    if (!isObj(v)) fail(path, "expected an object");
    return v as Record<string, unknown>;
  };
  const known = (o: Record<string, unknown>, path: string, keys: string[]) => {
    for (const k of Object.keys(o)) {
      if (!keys.includes(k)) fail(`${path}.${k}`, `unknown field; known fields: ${keys.join(", ")}`);
    }
  };

  known(w, "$", [
    "$schema",
    "description",
    "expect",
    "account",
    "region",
    "seed",
    "clockStart",
    "stacks",
    "cluster",
    "services",
    "taskDefinitions",
    "secrets",
    "kmsKeys",
    "roles",
    "policies",
    "logGroups",
    "images",
    "network",
    "database",
    "app",
    "faults",
  ]);
  str(w.description, "$.description");
  if (w.account !== undefined && !/^\d{12}$/.test(String(w.account))) fail("$.account", "expected 12 digits");
  str(w.region, "$.region", true);
  if (w.clockStart !== undefined && Number.isNaN(Date.parse(String(w.clockStart))))
    fail("$.clockStart", "expected an ISO 8601 time such as 2026-12-04T02:00:00Z");
  str(w.cluster, "$.cluster");

  arr(w.stacks, "$.stacks").forEach((s, i) => {
    const p = `$.stacks[${i}]`;
    const o = obj(s, p);
    known(o, p, [
      "name",
      "status",
      "description",
      "createdAt",
      "updatedAt",
      "parameters",
      "outputs",
      "events",
    ]);
    str(o.name, `${p}.name`);
    rel(o.createdAt, `${p}.createdAt`);
    rel(o.updatedAt, `${p}.updatedAt`);
    if (o.outputs !== undefined) {
      for (const [k, v] of Object.entries(obj(o.outputs, `${p}.outputs`))) str(v, `${p}.outputs.${k}`);
    }
    arr(o.events, `${p}.events`).forEach((e, j) => {
      const q = `${p}.events[${j}]`;
      const ev = obj(e, q);
      rel(ev.at, `${q}.at`, false);
      str(ev.logicalResourceId, `${q}.logicalResourceId`);
      str(ev.resourceType, `${q}.resourceType`);
      str(ev.status, `${q}.status`);
    });
  });

  const families = new Set<string>();
  arr(w.taskDefinitions, "$.taskDefinitions", false).forEach((t, i) => {
    const p = `$.taskDefinitions[${i}]`;
    const o = obj(t, p);
    str(o.family, `${p}.family`);
    num(o.revision, `${p}.revision`);
    const key = `${o.family}:${o.revision}`;
    if (families.has(key)) fail(p, `task definition ${key} is defined twice`);
    families.add(key);
    const cds = arr(o.containerDefinitions, `${p}.containerDefinitions`, false);
    if (cds.length === 0) fail(`${p}.containerDefinitions`, "a task definition needs at least one container");
    cds.forEach((c, j) => {
      const q = `${p}.containerDefinitions[${j}]`;
      const cd = obj(c, q);
      str(cd.name, `${q}.name`);
      str(cd.image, `${q}.image`);
      arr(cd.environment, `${q}.environment`).forEach((e, k) => {
        const eo = obj(e, `${q}.environment[${k}]`);
        str(eo.name, `${q}.environment[${k}].name`);
        if (typeof eo.value !== "string") fail(`${q}.environment[${k}].value`, "expected a string");
      });
      arr(cd.secrets, `${q}.secrets`).forEach((e, k) => {
        const eo = obj(e, `${q}.secrets[${k}]`);
        str(eo.name, `${q}.secrets[${k}].name`);
        str(eo.valueFrom, `${q}.secrets[${k}].valueFrom`);
      });
    });
  });

  const services = arr(w.services, "$.services", false);
  if (services.length === 0) fail("$.services", "a world needs at least one service");
  services.forEach((s, i) => {
    const p = `$.services[${i}]`;
    const o = obj(s, p);
    known(o, p, [
      "name",
      "taskDefinition",
      "desiredCount",
      "since",
      "circuitBreaker",
      "minimumHealthyPercent",
      "maximumPercent",
      "healthCheckGracePeriodSeconds",
      "loadBalancer",
      "history",
    ]);
    str(o.name, `${p}.name`);
    str(o.taskDefinition, `${p}.taskDefinition`);
    if (!families.has(String(o.taskDefinition)))
      fail(
        `${p}.taskDefinition`,
        `no task definition ${o.taskDefinition} in $.taskDefinitions (write family:revision)`,
      );
    num(o.desiredCount, `${p}.desiredCount`);
    rel(o.since, `${p}.since`);
    if (o.loadBalancer !== undefined && o.loadBalancer !== null) {
      const lb = obj(o.loadBalancer, `${p}.loadBalancer`);
      str(lb.targetGroupName, `${p}.loadBalancer.targetGroupName`);
      str(lb.containerName, `${p}.loadBalancer.containerName`);
      num(lb.containerPort, `${p}.loadBalancer.containerPort`);
    }
    arr(o.history, `${p}.history`).forEach((h, j) => {
      const q = `${p}.history[${j}]`;
      const ho = obj(h, q);
      rel(ho.at, `${q}.at`, false);
      if (ho.taskDefinition !== undefined && !families.has(String(ho.taskDefinition)))
        fail(`${q}.taskDefinition`, `no task definition ${ho.taskDefinition} in $.taskDefinitions`);
    });
  });

  arr(w.secrets, "$.secrets").forEach((s, i) => {
    const p = `$.secrets[${i}]`;
    const o = obj(s, p);
    known(o, p, [
      "name",
      "value",
      "description",
      "kmsKeyId",
      "createdAt",
      "lastChangedAt",
      "lastAccessedAt",
      "deletedAt",
      "arnSuffix",
      "tags",
    ]);
    str(o.name, `${p}.name`);
    if (o.value !== undefined && typeof o.value !== "string" && !isObj(o.value))
      fail(`${p}.value`, "expected a string or an object");
    for (const f of ["createdAt", "lastChangedAt", "lastAccessedAt", "deletedAt"]) rel(o[f], `${p}.${f}`);
    if (o.arnSuffix !== undefined && !/^[A-Za-z0-9]{6}$/.test(String(o.arnSuffix)))
      fail(`${p}.arnSuffix`, "expected six letters or digits");
  });

  arr(w.kmsKeys, "$.kmsKeys").forEach((k, i) => {
    const o = obj(k, `$.kmsKeys[${i}]`);
    str(o.keyId, `$.kmsKeys[${i}].keyId`);
  });

  const checkDoc = (d: unknown, path: string) => {
    const o = obj(d, path);
    const st = o.Statement;
    const list = Array.isArray(st) ? st : [st];
    list.forEach((s, i) => {
      const so = obj(s, `${path}.Statement[${i}]`);
      if (so.Effect !== "Allow" && so.Effect !== "Deny")
        fail(`${path}.Statement[${i}].Effect`, 'expected "Allow" or "Deny"');
      if (so.Action === undefined && so.NotAction === undefined)
        fail(`${path}.Statement[${i}]`, "a statement needs Action or NotAction");
    });
  };
  arr(w.roles, "$.roles").forEach((r, i) => {
    const p = `$.roles[${i}]`;
    const o = obj(r, p);
    str(o.name, `${p}.name`);
    arr(o.attachedPolicies, `${p}.attachedPolicies`).forEach((a, j) => {
      str(a, `${p}.attachedPolicies[${j}]`);
    });
    if (o.inlinePolicies !== undefined) {
      for (const [k, v] of Object.entries(obj(o.inlinePolicies, `${p}.inlinePolicies`)))
        checkDoc(v, `${p}.inlinePolicies.${k}`);
    }
  });
  arr(w.policies, "$.policies").forEach((r, i) => {
    const p = `$.policies[${i}]`;
    const o = obj(r, p);
    str(o.name, `${p}.name`);
    checkDoc(o.document, `${p}.document`);
  });

  arr(w.logGroups, "$.logGroups").forEach((g, i) => {
    const p = `$.logGroups[${i}]`;
    const o = obj(g, p);
    str(o.name, `${p}.name`);
    arr(o.lines, `${p}.lines`).forEach((l, j) => {
      const lo = obj(l, `${p}.lines[${j}]`);
      rel(lo.at, `${p}.lines[${j}].at`, false);
      str(lo.stream, `${p}.lines[${j}].stream`);
      if (typeof lo.message !== "string") fail(`${p}.lines[${j}].message`, "expected a string");
    });
  });

  if (w.network !== undefined) {
    const n = obj(w.network, "$.network");
    for (const k of ["secretsManager", "ecr"]) {
      if (n[k] !== undefined && n[k] !== "ok" && n[k] !== "timeout")
        fail(`$.network.${k}`, 'expected "ok" or "timeout"');
    }
  }
  if (w.database !== undefined) {
    const d = obj(w.database, "$.database");
    str(d.endpoint, "$.database.endpoint");
    str(d.masterSecret, "$.database.masterSecret");
  }
  const kinds = ["throttle", "error5xx", "latency", "drop", "accessDenied"];
  arr(w.faults, "$.faults").forEach((f, i) => {
    const o = obj(f, `$.faults[${i}]`);
    str(o.service, `$.faults[${i}].service`);
    if (!kinds.includes(String(o.kind))) fail(`$.faults[${i}].kind`, `expected one of ${kinds.join(", ")}`);
    num(o.count, `$.faults[${i}].count`, true);
    num(o.after, `$.faults[${i}].after`, true);
    num(o.latencyMs, `$.faults[${i}].latencyMs`, true);
  });
  return raw as unknown as World;
}

/** Parses and validates world-file text. */
export function parseWorld(text: string, file = "world"): World {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new WorldError(file, "$", `not valid JSON (${(e as Error).message})`);
  }
  return validateWorld(raw, file);
}
