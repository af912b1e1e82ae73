// The sandbox account's state, built from a world file. The stores here are shared by the
// wire handlers (source/sandbox/services/*) and the deployment simulator (source/sandbox/ecs/*).
// Everything is in memory; nothing here does I/O.

import { createHash } from "node:crypto";
import { type Document, type Evaluation, evaluate, type NamedDocument } from "../lib/iam-policy.js";
import type { Clock } from "./clock.js";
import { AWS_MANAGED_POLICIES } from "./managed-policies.js";
import { type FaultSpec, parseRel, type StackEventSpec, type World } from "./world.js";

/** An error as AWS answers it: the code goes on the wire (__type / <Code>), the message as is. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Query protocol: Sender or Receiver. */
    readonly type: "Sender" | "Receiver" = status >= 500 ? "Receiver" : "Sender",
  ) {
    super(message);
  }
}

/** A small deterministic generator (mulberry32) so a world's ids are the same every run. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  hex(n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }
  digits(n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += Math.floor(this.next() * 10).toString();
    return out;
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** The six characters Secrets Manager appends to a secret's name in its ARN, stable per name. */
export function arnSuffixFor(name: string): string {
  const h = createHash("sha256").update(name).digest();
  let s = "";
  for (let i = 0; i < 6; i++) s += ALNUM[h[i]! % ALNUM.length];
  return s;
}

// ---------------------------------------------------------------- CloudFormation

export interface StackEvent {
  eventId: string;
  stackName: string;
  stackId: string;
  logicalResourceId: string;
  physicalResourceId: string;
  resourceType: string;
  timestamp: number;
  resourceStatus: string;
  resourceStatusReason?: string;
}

export interface Stack {
  name: string;
  stackId: string;
  status: string;
  description?: string;
  createdAt: number;
  updatedAt?: number;
  parameters: Record<string, string>;
  outputs: Record<string, string>;
  /** Newest first, as DescribeStackEvents returns them. */
  events: StackEvent[];
}

// ---------------------------------------------------------------- Secrets Manager

export interface SecretVersion {
  versionId: string;
  secretString?: string;
  stages: string[];
  createdAt: number;
  /** The ClientRequestToken that created it (for idempotent retries). */
  token?: string;
}

export interface Secret {
  name: string;
  arn: string;
  description?: string;
  kmsKeyId?: string;
  createdAt: number;
  lastChangedAt: number;
  lastAccessedAt?: number;
  deletedAt?: number;
  tags: Record<string, string>;
  /** Oldest first. */
  versions: SecretVersion[];
}

// ---------------------------------------------------------------- IAM / KMS

export interface Role {
  name: string;
  arn: string;
  roleId: string;
  path: string;
  description?: string;
  createdAt: number;
  attachedPolicies: string[];
  inlinePolicies: Record<string, Document>;
}

export interface ManagedPolicy {
  name: string;
  arn: string;
  policyId: string;
  path: string;
  description?: string;
  createdAt: number;
  document: Document;
  defaultVersionId: string;
}

export interface KmsKey {
  keyId: string;
  arn: string;
  alias?: string;
  enabled: boolean;
  keyPolicyAllows?: string[];
}

// ---------------------------------------------------------------- CloudWatch Logs

export interface LogEvent {
  eventId: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
  logStreamName: string;
}

export interface LogStream {
  name: string;
  arn: string;
  createdAt: number;
  /** Sorted by timestamp (then by insertion). */
  events: LogEvent[];
}

export interface LogGroup {
  name: string;
  arn: string;
  createdAt: number;
  retentionInDays?: number;
  streams: Map<string, LogStream>;
}

/** Anything that moves with the clock (the deployment simulator). */
export interface Advanceable {
  advanceTo(t: number): void;
}

export class Account {
  readonly id: string;
  readonly region: string;
  readonly rng: Rng;
  /** Sandbox time at which the world's relative times are measured (their "0s"). */
  readonly t0: number;
  readonly stacks = new Map<string, Stack>();
  readonly secrets: Secret[] = [];
  readonly roles = new Map<string, Role>();
  readonly policies = new Map<string, ManagedPolicy>();
  readonly kmsKeys: KmsKey[] = [];
  readonly logGroups = new Map<string, LogGroup>();
  readonly faults: (FaultSpec & { seen: number; used: number })[] = [];
  private readonly movers: Advanceable[] = [];
  private eventSeq = 0;

  constructor(
    readonly world: World,
    readonly clock: Clock,
    /** host:port of the sandbox, used for {{endpoint}} (the ALB's DNS name). */
    readonly endpoint: string,
  ) {
    this.id = world.account ?? "123456789012";
    this.region = world.region ?? "eu-central-1";
    this.rng = new Rng(world.seed ?? 42);
    this.t0 = clock.now();
    this.load();
  }

  /** Absolute sandbox time of a world-relative time. */
  at(rel: string | undefined, fallback = "0s"): number {
    return this.t0 + parseRel(rel ?? fallback);
  }

  now(): number {
    return this.clock.now();
  }

  /** Replaces {{account}}, {{region}}, {{endpoint}} and {{secretArn:NAME}}. */
  resolve(s: string): string {
    return s.replace(/\{\{\s*([a-zA-Z]+)(?::([^}]+))?\s*\}\}/g, (whole, key: string, arg?: string) => {
      switch (key) {
        case "account":
          return this.id;
        case "region":
          return this.region;
        case "endpoint":
          return this.endpoint;
        case "secretArn": {
          const name = (arg ?? "").trim();
          const found = this.secrets.find((x) => x.name === name);
          return found ? found.arn : `arn:aws:secretsmanager:${this.region}:${this.id}:secret:${name}`;
        }
        default:
          return whole;
      }
    });
  }

  /** Deep copy of a JSON value with every string resolved. */
  resolveDeep<T>(v: T): T {
    if (typeof v === "string") return this.resolve(v) as T;
    if (Array.isArray(v)) return v.map((x) => this.resolveDeep(x)) as T;
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = this.resolveDeep(x);
      return out as T;
    }
    return v;
  }

  /** Registers a simulator; registering the same one twice is a no-op. */
  addMover(m: Advanceable): void {
    if (!this.movers.includes(m)) this.movers.push(m);
  }

  /** Brings every simulator up to the clock. Call before answering any request. */
  sync(): void {
    const t = this.clock.now();
    for (const m of this.movers) m.advanceTo(t);
  }

  // ------------------------------------------------------------ loading

  private load(): void {
    const w = this.world;
    // Secrets first: other strings may refer to their ARNs.
    for (const s of w.secrets ?? []) {
      const suffix = s.arnSuffix ?? arnSuffixFor(s.name);
      const createdAt = this.at(s.createdAt, "-30d");
      const secret: Secret = {
        name: s.name,
        arn: `arn:aws:secretsmanager:${this.region}:${this.id}:secret:${s.name}-${suffix}`,
        description: s.description,
        kmsKeyId: s.kmsKeyId,
        createdAt,
        lastChangedAt: this.at(s.lastChangedAt ?? s.createdAt, "-30d"),
        lastAccessedAt: s.lastAccessedAt ? this.at(s.lastAccessedAt) : undefined,
        deletedAt: s.deletedAt ? this.at(s.deletedAt) : undefined,
        tags: s.tags ?? {},
        versions: [],
      };
      if (s.value !== undefined) {
        secret.versions.push({
          versionId: this.rng.uuid(),
          secretString: typeof s.value === "string" ? s.value : JSON.stringify(s.value),
          stages: ["AWSCURRENT"],
          createdAt: secret.lastChangedAt,
        });
      }
      this.secrets.push(secret);
    }
    for (const k of w.kmsKeys ?? []) {
      this.kmsKeys.push({
        keyId: k.keyId,
        arn: `arn:aws:kms:${this.region}:${this.id}:key/${k.keyId}`,
        alias: k.alias,
        enabled: k.enabled ?? true,
        keyPolicyAllows: k.keyPolicyAllows?.map((a) => this.resolve(a)),
      });
    }
    for (const p of AWS_MANAGED_POLICIES) {
      this.policies.set(p.arn, { ...p, createdAt: this.at("-800d") });
    }
    for (const p of w.policies ?? []) {
      const path = p.path ?? "/";
      const arn = `arn:aws:iam::${this.id}:policy${path}${p.name}`;
      this.policies.set(arn, {
        name: p.name,
        arn,
        policyId: `ANPA${this.rng.hex(17).toUpperCase()}`,
        path,
        description: p.description,
        createdAt: this.at("-60d"),
        document: this.resolveDeep(p.document) as Document,
        defaultVersionId: "v1",
      });
    }
    for (const r of w.roles ?? []) {
      const path = r.path ?? "/";
      this.roles.set(r.name, {
        name: r.name,
        arn: `arn:aws:iam::${this.id}:role${path}${r.name}`,
        roleId: `AROA${this.rng.hex(17).toUpperCase()}`,
        path,
        description: r.description,
        createdAt: this.at(r.createdAt, "-60d"),
        attachedPolicies: (r.attachedPolicies ?? []).map((a) => this.resolve(a)),
        inlinePolicies: this.resolveDeep(r.inlinePolicies ?? {}) as Record<string, Document>,
      });
    }
    for (const s of w.stacks ?? []) {
      const stackId = `arn:aws:cloudformation:${this.region}:${this.id}:stack/${s.name}/${this.rng.uuid()}`;
      const stack: Stack = {
        name: s.name,
        stackId,
        status: s.status ?? "CREATE_COMPLETE",
        description: s.description,
        createdAt: this.at(s.createdAt, "-60d"),
        updatedAt: s.updatedAt ? this.at(s.updatedAt) : undefined,
        parameters: this.resolveDeep(s.parameters ?? {}),
        outputs: this.resolveDeep(s.outputs ?? {}),
        events: [],
      };
      this.stacks.set(s.name, stack);
      for (const e of s.events ?? []) this.addStackEvent(stack, e);
    }
    for (const g of w.logGroups ?? []) {
      const group = this.logGroup(g.name, this.at("-60d"));
      group.retentionInDays = g.retentionInDays;
      for (const l of g.lines ?? [])
        this.putLog(g.name, this.resolve(l.stream), this.at(l.at), this.resolve(l.message));
    }
    for (const f of w.faults ?? []) this.faults.push({ ...f, seen: 0, used: 0 });
  }

  addStackEvent(
    stack: Stack,
    e: StackEventSpec | (Omit<StackEventSpec, "at"> & { timestamp: number }),
  ): StackEvent {
    const timestamp = "timestamp" in e ? e.timestamp : this.at(e.at);
    const ev: StackEvent = {
      eventId:
        e.logicalResourceId === stack.name
          ? this.rng.uuid()
          : `${e.logicalResourceId}-${e.status}-${new Date(timestamp).toISOString()}`,
      stackName: stack.name,
      stackId: stack.stackId,
      logicalResourceId: e.logicalResourceId,
      physicalResourceId: this.resolve(
        e.physicalResourceId ?? (e.logicalResourceId === stack.name ? stack.stackId : ""),
      ),
      resourceType: e.resourceType,
      timestamp,
      resourceStatus: e.status,
      resourceStatusReason: e.reason ? this.resolve(e.reason) : undefined,
    };
    // Newest first; of events with the same time, the one added later is the newer.
    const at = stack.events.findIndex((x) => x.timestamp <= ev.timestamp);
    stack.events.splice(at === -1 ? stack.events.length : at, 0, ev);
    return ev;
  }

  // ------------------------------------------------------------ secrets

  /**
   * Finds a secret by name, full ARN or partial ARN (without the six-character suffix),
   * as Secrets Manager does. Deleted-but-scheduled secrets are found too (callers decide).
   */
  findSecret(id: string): Secret | undefined {
    if (id.startsWith("arn:")) {
      const exact = this.secrets.find((s) => s.arn === id);
      if (exact) return exact;
      const prefix = `arn:aws:secretsmanager:${this.region}:${this.id}:secret:`;
      if (!id.startsWith(prefix)) return undefined;
      const name = id.slice(prefix.length);
      return this.secrets.find((s) => s.name === name);
    }
    return this.secrets.find((s) => s.name === id);
  }

  currentVersion(s: Secret): SecretVersion | undefined {
    return s.versions.find((v) => v.stages.includes("AWSCURRENT"));
  }

  findKmsKey(id: string): KmsKey | undefined {
    return this.kmsKeys.find(
      (k) =>
        k.keyId === id ||
        k.arn === id ||
        (k.alias !== undefined && (k.alias === id || id.endsWith(`:${k.alias}`))),
    );
  }

  // ------------------------------------------------------------ IAM

  roleByArn(arn: string): Role | undefined {
    const name = arn.split("/").pop() ?? "";
    const r = this.roles.get(name);
    return r && r.arn === arn ? r : r && arn.endsWith(`/${name}`) ? r : undefined;
  }

  /** The identity-based policies of a role: attached managed policies and inline ones. */
  roleDocuments(role: Role): NamedDocument[] {
    const docs: NamedDocument[] = [];
    for (const arn of role.attachedPolicies) {
      const p = this.policies.get(arn);
      if (p) docs.push({ source: arn, document: p.document });
    }
    for (const [name, document] of Object.entries(role.inlinePolicies))
      docs.push({ source: `inline:${name}`, document });
    return docs;
  }

  evaluateRole(role: Role, action: string, resource: string): Evaluation {
    return evaluate(this.roleDocuments(role), action, resource);
  }

  // ------------------------------------------------------------ logs

  logGroup(name: string, createdAt = this.now()): LogGroup {
    let g = this.logGroups.get(name);
    if (!g) {
      g = {
        name,
        arn: `arn:aws:logs:${this.region}:${this.id}:log-group:${name}`,
        createdAt,
        streams: new Map(),
      };
      this.logGroups.set(name, g);
    }
    return g;
  }

  /** Appends one log line. Events keep timestamp order, as CloudWatch Logs serves them. */
  putLog(groupName: string, streamName: string, timestamp: number, message: string): LogEvent {
    const g = this.logGroup(groupName, timestamp);
    let s = g.streams.get(streamName);
    if (!s) {
      s = { name: streamName, arn: `${g.arn}:log-stream:${streamName}`, createdAt: timestamp, events: [] };
      g.streams.set(streamName, s);
    }
    this.eventSeq++;
    const ev: LogEvent = {
      // CloudWatch event ids are long decimal strings; ours sort by time, then by arrival.
      eventId: `${String(timestamp).padStart(16, "0")}${String(this.eventSeq).padStart(20, "0")}`,
      timestamp,
      ingestionTime: timestamp + 120,
      message,
      logStreamName: streamName,
    };
    let i = s.events.length;
    while (i > 0 && s.events[i - 1]!.timestamp > timestamp) i--;
    s.events.splice(i, 0, ev);
    return ev;
  }
}
