// Fix planning: from the diagnosis and a snapshot of the secret, a Plan of what will change.
// Pure: no I/O. A plan carries the merged secret value sealed (never printed, logged or
// serialised), the API calls it will make, the AWS CLI equivalents with placeholders instead of
// values, and a key-level diff (names only).
//
// Differences from the runbook, on purpose:
// - The runbook's `update-secret --secret-string '{...}'` replaces every key; a plan here merges:
//   keys the fix does not set keep their values.
// - Every write carries a ClientRequestToken made at preview time (a retry makes no second version).
// - The runbook's option A, `jq '.context."afu9-enable-database" = false' cdk.context.json`, nests
//   the key under "context"; CDK reads cdk.context.json's top-level keys (the "context" object is
//   cdk.json's layout), so the plan sets the top-level key.

import type { StackInfo } from "../aws/cloudformation.js";
import type { SecretSnapshot } from "../aws/secret-writer.js";
import type { ServiceInfo, TaskDefinition } from "../diagnosis/model.js";
import { EXPECTED_SECRETS, requiredSecrets, type SecretKind } from "../diagnosis/secrets.js";
import { type FixId as DiagnosisFixId, FIXES, type Verdict } from "../diagnosis/verdict.js";
import type { Evidence, Target } from "./collect.js";
import { FIX_IDS } from "./fix-ids.js";

export type FixId = DiagnosisFixId | "redeploy";

/** Menu order after the recommended fix (the runbook's order). */
export const FIX_ORDER: readonly FixId[] = FIX_IDS;
export const FIX_TITLES: Record<FixId, { section: string; title: string; description: string }> = {
  "disable-database": {
    section: "6.1",
    title: "Disable the database",
    description: FIXES["disable-database"].description,
  },
  "database-secret": {
    section: "6.2",
    title: "Create or update the database secret",
    description: FIXES["database-secret"].description,
  },
  "github-secret": {
    section: "6.3",
    title: "Create or update the GitHub secret",
    description: FIXES["github-secret"].description,
  },
  "llm-secret": {
    section: "6.4",
    title: "Create or update the LLM secret",
    description: FIXES["llm-secret"].description,
  },
  "sync-db-credentials": {
    section: "Szenario 4",
    title: "Copy the credentials from the RDS master secret",
    description: FIXES["sync-db-credentials"].description,
  },
  redeploy: {
    section: "6.2 Schritt 2",
    title: "Force a new deployment",
    description: "Start a new deployment of the service with its current task definition",
  },
};

export const CDK_CONTEXT_KEY = "afu9-enable-database";
export const RUNBOOK_DB_PORT = "5432";
export const RUNBOOK_DB_NAME = "afu9";

// ── Sealed values ─────────────────────────────────────────────────────────────────────────

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * A secret value in memory. It does not print, serialise or inspect as anything but "[sealed]";
 * only `reveal()` gives the JSON text, and `drop()` forgets it.
 */
export class Sealed {
  #value: Record<string, unknown> | undefined;
  constructor(value: Record<string, unknown>) {
    this.#value = value;
  }
  /** The JSON text to write. Throws after drop(). */
  reveal(): string {
    if (!this.#value) throw new Error("the sealed value was dropped");
    return JSON.stringify(this.#value);
  }
  get dropped(): boolean {
    return this.#value === undefined;
  }
  drop(): void {
    if (this.#value) for (const k of Object.keys(this.#value)) this.#value[k] = undefined;
    this.#value = undefined;
  }
  toJSON(): string {
    return "[sealed]";
  }
  toString(): string {
    return "[sealed]";
  }
  [INSPECT](): string {
    return "[sealed]";
  }
}

// ── Context ───────────────────────────────────────────────────────────────────────────────

export interface FixContext {
  target: Target;
  verdict?: Verdict;
  service?: ServiceInfo;
  /** The task definition the failing deployment ran (the one to fix). */
  taskDefinition?: TaskDefinition;
  databaseStack?: StackInfo;
  networkStack?: StackInfo;
  /** --cdk-dir (default: the current directory) and whether it holds a CDK app (cdk.json). */
  cdkDir?: string;
  hasCdkApp?: boolean;
}

export function contextFromEvidence(
  ev: Partial<Evidence>,
  verdict: Verdict | undefined,
  cdk: { cdkDir?: string; hasCdkApp?: boolean } = {},
): FixContext {
  const ok = <T>(r: { ok: true; value: T } | { ok: false } | undefined): T | undefined =>
    r?.ok ? r.value : undefined;
  return {
    target: ev.target!,
    verdict,
    service: ok(ev.service),
    taskDefinition: ok(ev.taskDefinition),
    databaseStack: ok(ev.databaseStack),
    networkStack: ok(ev.networkStack),
    ...cdk,
  };
}

// ── Menu ──────────────────────────────────────────────────────────────────────────────────

export interface FixMenuEntry {
  id: FixId;
  section: string;
  title: string;
  description: string;
  recommended: boolean;
  /** One line about what it will do here (e.g. "afu9/database exists: update 2 keys"). */
  note?: string;
}

/** All fixes, the diagnosis's recommended fix first. */
export function fixMenu(ctx: FixContext): FixMenuEntry[] {
  const rec = ctx.verdict?.fix ?? undefined;
  const ids = rec ? [rec, ...FIX_ORDER.filter((f) => f !== rec)] : [...FIX_ORDER];
  return ids.map((id) => {
    const t = FIX_TITLES[id];
    const note =
      id === "disable-database"
        ? ctx.hasCdkApp
          ? `cdk deploy in ${ctx.cdkDir ?? "."}`
          : "no CDK app found (--cdk-dir): registers a task definition revision instead (drifts from CDK)"
        : id === "sync-db-credentials" && !ctx.databaseStack?.outputs.Afu9DbSecretArn
          ? `no Afu9DbSecretArn output on ${ctx.target.databaseStack}: credentials must be typed`
          : undefined;
    return {
      id,
      section: t.section,
      title: t.title,
      description: t.description,
      recommended: id === rec,
      ...(note ? { note } : {}),
    };
  });
}

// ── Secret fields ─────────────────────────────────────────────────────────────────────────

export type ValueSource =
  /** Not secret: a stack output or the runbook's constant. Shown in the preview. */
  | { kind: "literal"; value: string; origin: string }
  /** A key of another secret (the RDS master secret). */
  | { kind: "secret-key"; secretId: string; key: string; label: string }
  /** Typed (masked), from standard input or AFU9_SECRET_<KEY>. */
  | { kind: "input"; prompt: string };

export interface FieldPlan {
  key: string;
  source: ValueSource;
}

export interface SecretTarget {
  kind: SecretKind;
  /** The secret's name (what CreateSecret gets). */
  name: string;
  /** The runbook's keys for it. */
  keys: string[];
}

const SECRET_FIX_KIND: Partial<Record<FixId, SecretKind>> = {
  "database-secret": "database",
  "sync-db-credentials": "database",
  "github-secret": "github",
  "llm-secret": "llm",
};

/** Which secret a fix writes: the one the task definition references, else the runbook's name. */
export function secretTargetOf(fixId: FixId, ctx: FixContext): SecretTarget | undefined {
  const kind = SECRET_FIX_KIND[fixId];
  if (!kind) return undefined;
  const expected = EXPECTED_SECRETS.find((e) => e.kind === kind)!;
  const ref = ctx.taskDefinition
    ? requiredSecrets(ctx.taskDefinition).find((r) => r.kind === kind && r.service === "secretsmanager")
    : undefined;
  const keys = [...expected.keys];
  for (const k of ref?.referencedKeys ?? []) if (!keys.includes(k)) keys.push(k);
  return { kind, name: ref?.name ?? expected.name, keys };
}

/** The RDS master secret named by the database stack's Afu9DbSecretArn output. */
export function masterSecretIdOf(ctx: FixContext): string | undefined {
  return ctx.databaseStack?.outputs.Afu9DbSecretArn || undefined;
}

const PROMPTS: Record<string, string> = {
  token: "GitHub token (ghp_...)",
  owner: "GitHub owner (organisation or user)",
  repo: "GitHub repository",
  openai_api_key: "OpenAI API key",
  anthropic_api_key: "Anthropic API key",
  deepseek_api_key: "DeepSeek API key",
  host: "database host",
  port: "database port",
  database: "database name",
  username: "database user name",
  password: "database password",
};

function hasKey(snap: SecretSnapshot | undefined, key: string): boolean {
  const v = snap?.json?.[key];
  return v !== undefined && v !== null && v !== "";
}

function masterHas(master: SecretSnapshot | undefined, key: string): boolean {
  return master?.json !== undefined && typeof master.json[key] === "string" && master.json[key] !== "";
}

/**
 * The keys a fix sets and where each value comes from. Keys it does not list keep their values.
 * 6.2 sets the runbook's five keys (host from Afu9DbEndpoint, port 5432, database afu9, user and
 * password from the RDS master secret, else typed); Szenario 4 sets user and password from the
 * master secret; 6.3/6.4 set the keys that are missing or empty (all for a new secret), typed.
 */
export function fieldsFor(
  fixId: FixId,
  ctx: FixContext,
  current: SecretSnapshot | undefined,
  master: SecretSnapshot | undefined,
): FieldPlan[] {
  const target = secretTargetOf(fixId, ctx);
  if (!target) return [];
  const masterId = masterSecretIdOf(ctx);
  const fromMaster = (key: string): ValueSource =>
    masterId && masterHas(master, key)
      ? { kind: "secret-key", secretId: masterId, key, label: "RDS master secret" }
      : { kind: "input", prompt: PROMPTS[key] ?? key };
  if (fixId === "database-secret") {
    const endpoint = ctx.databaseStack?.outputs.Afu9DbEndpoint;
    return [
      {
        key: "host",
        source: endpoint
          ? { kind: "literal", value: endpoint, origin: `${ctx.target.databaseStack} output Afu9DbEndpoint` }
          : { kind: "input", prompt: PROMPTS.host! },
      },
      { key: "port", source: { kind: "literal", value: RUNBOOK_DB_PORT, origin: "runbook 6.2" } },
      { key: "database", source: { kind: "literal", value: RUNBOOK_DB_NAME, origin: "runbook 6.2" } },
      { key: "username", source: fromMaster("username") },
      { key: "password", source: fromMaster("password") },
    ];
  }
  if (fixId === "sync-db-credentials")
    return [
      { key: "username", source: fromMaster("username") },
      { key: "password", source: fromMaster("password") },
    ];
  // 6.3 / 6.4: what is missing, typed.
  return target.keys
    .filter((k) => !hasKey(current, k))
    .map((key) => ({ key, source: { kind: "input" as const, prompt: PROMPTS[key] ?? key } }));
}

/** The keys that must be typed (or given on stdin / in the environment). */
export function inputKeys(fields: FieldPlan[]): string[] {
  return fields.filter((f) => f.source.kind === "input").map((f) => f.key);
}

export function placeholder(f: FieldPlan): string {
  switch (f.source.kind) {
    case "literal":
      return f.source.value;
    case "secret-key":
      return `<${f.source.key} from ${f.source.label}>`;
    case "input":
      return `<${f.source.prompt}>`;
  }
}

// ── Diff ──────────────────────────────────────────────────────────────────────────────────

export interface KeyDiff {
  secretName: string;
  create: boolean;
  added: string[];
  changed: string[];
  unchanged: string[];
  /** Keys that will be set from input not given yet (a preview without values): not compared. */
  pending: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Key names only: which keys the write adds, changes, keeps. Never values. */
export function diffKeys(
  secretName: string,
  before: Record<string, unknown> | undefined,
  set: Record<string, unknown>,
  pending: string[] = [],
): KeyDiff {
  const b = before ?? {};
  const d: KeyDiff = {
    secretName,
    create: before === undefined,
    added: [],
    changed: [],
    unchanged: [],
    pending,
  };
  const keys = [...new Set([...Object.keys(b), ...Object.keys(set), ...pending])];
  for (const k of keys) {
    if (pending.includes(k) && !(k in set)) {
      if (!(k in b)) d.added.push(k);
      continue;
    }
    if (!(k in set)) d.unchanged.push(k);
    else if (!(k in b)) d.added.push(k);
    else if (same(b[k], set[k])) d.unchanged.push(k);
    else d.changed.push(k);
  }
  return d;
}

// ── Plan ──────────────────────────────────────────────────────────────────────────────────

/** The snapshot without its value: what a plan keeps to check for concurrent changes. */
export type SnapshotRef = Omit<SecretSnapshot, "json">;

export type PlannedAction =
  | {
      kind: "write-secret";
      secretName: string;
      create: boolean;
      snapshot: SnapshotRef;
      /** The whole new value (merged); undefined in a preview without input. */
      value?: Sealed;
      token: string;
      diff: KeyDiff;
    }
  | { kind: "cdk-context"; cdkDir: string; file: string; key: string; value: boolean; before?: unknown }
  | { kind: "cdk-deploy"; cdkDir: string; stack: string; args: string[] }
  | {
      kind: "register-task-definition";
      from: string;
      family: string;
      environment: Record<string, string>;
      /** Container secrets (environment names) to drop. */
      removeSecrets: string[];
    }
  | { kind: "force-new-deployment"; cluster: string; service: string; taskDefinition?: "registered" };

export interface Plan {
  fixId: FixId;
  section: string;
  title: string;
  recommended: boolean;
  actions: PlannedAction[];
  /** The API calls, in order, as one line each. */
  calls: string[];
  /** AWS CLI (and shell) equivalents, copy-paste ready, with placeholders instead of values. */
  cli: string[];
  diffs: KeyDiff[];
  /** Things to know before applying (drift from CDK, a fix other than the recommended one...). */
  notes: string[];
  /** Fields the secret write sets and where they come from (for the preview). */
  fields: FieldPlan[];
  /** Input keys still without a value: the plan cannot be applied until they are given. */
  missingInputs: string[];
  /** After applying: the deployment to watch comes from the force-new-deployment or from cdk. */
  watch: "deployment" | "cdk" | "none";
}

export type DisableMode = "cdk-deploy" | "cdk-context" | "task-definition";

export interface PlanInput {
  /** The secret the fix writes, as read now (readSecret). */
  current?: SecretSnapshot;
  /** The RDS master secret (for 6.2 and Szenario 4). */
  master?: SecretSnapshot;
  /** Typed values, by key. Extra keys the user gave are set too (they asked to change them). */
  values?: ReadonlyMap<string, string>;
  /** A fresh ClientRequestToken (crypto.randomUUID). */
  token: () => string;
  /** For disable-database: how (default: cdk-deploy with a CDK app, else task-definition). */
  disableMode?: DisableMode;
  /** Existing cdk.context.json content (for the cdk-context diff). */
  cdkContext?: Record<string, unknown>;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export class PlanError extends Error {}

export function buildPlan(fixId: FixId, ctx: FixContext, input: PlanInput): Plan {
  const t = ctx.target;
  const info = FIX_TITLES[fixId];
  const notes: string[] = [];
  const rec = ctx.verdict?.fix ?? null;
  if (rec && rec !== fixId)
    notes.push(`The diagnosis recommends ${rec} (${FIX_TITLES[rec].section}), not ${fixId}.`);
  if (!rec && ctx.verdict && fixId !== "redeploy")
    notes.push(`The diagnosis (${ctx.verdict.scenario}) recommends no automatic fix.`);
  const plan: Plan = {
    fixId,
    section: info.section,
    title: info.title,
    recommended: rec === fixId,
    actions: [],
    calls: [],
    cli: [],
    diffs: [],
    notes,
    fields: [],
    missingInputs: [],
    watch: "none",
  };
  const region = `--region ${t.region}`;
  const forceDeploy = () => {
    plan.actions.push({ kind: "force-new-deployment", cluster: t.cluster, service: t.service });
    plan.calls.push(`ecs:UpdateService cluster=${t.cluster} service=${t.service} forceNewDeployment=true`);
    plan.cli.push(
      `aws ecs update-service --cluster ${t.cluster} --service ${t.service} --force-new-deployment ${region}`,
    );
    plan.watch = "deployment";
  };

  if (fixId === "redeploy") {
    forceDeploy();
    return plan;
  }

  if (fixId === "disable-database") {
    const mode: DisableMode = input.disableMode ?? (ctx.hasCdkApp ? "cdk-deploy" : "task-definition");
    const dir = ctx.cdkDir ?? ".";
    if (mode === "cdk-context" || mode === "cdk-deploy") {
      if (!ctx.hasCdkApp)
        throw new PlanError(
          `no CDK app in ${dir} (no cdk.json): pass --cdk-dir DIR, or use the task definition route`,
        );
      const args = ["deploy", t.stack, "--region", t.region, "--require-approval", "never"];
      if (t.profile) args.push("--profile", t.profile);
      if (mode === "cdk-context") {
        const before = input.cdkContext?.[CDK_CONTEXT_KEY];
        plan.actions.push({
          kind: "cdk-context",
          cdkDir: dir,
          file: "cdk.context.json",
          key: CDK_CONTEXT_KEY,
          value: false,
          before,
        });
        plan.calls.push(`write ${dir}/cdk.context.json: "${CDK_CONTEXT_KEY}": false (top-level key)`);
        plan.cli.push(
          `cd ${q(dir)}`,
          `jq '."${CDK_CONTEXT_KEY}" = false' cdk.context.json > cdk.context.json.tmp && mv cdk.context.json.tmp cdk.context.json`,
        );
        notes.push(
          "cdk.context.json keeps context keys at the top level; the runbook's jq nests it under .context, which CDK does not read there.",
        );
      } else {
        args.splice(2, 0, "-c", `${CDK_CONTEXT_KEY}=false`);
        plan.cli.push(`cd ${q(dir)}`);
      }
      plan.actions.push({ kind: "cdk-deploy", cdkDir: dir, stack: t.stack, args });
      plan.calls.push(`cdk ${args.join(" ")} (CloudFormation updates the task definition and the service)`);
      plan.cli.push(`npx cdk ${args.join(" ")}`);
      plan.watch = "cdk";
      return plan;
    }
    // Without CDK: a task definition revision with the database switched off.
    const td = ctx.taskDefinition;
    if (!td) throw new PlanError("the task definition is not known (the diagnosis could not read it)");
    const remove = [
      ...new Set(
        requiredSecrets(td)
          .filter((r) => r.kind === "database")
          .flatMap((r) => r.uses.map((u) => u.envName)),
      ),
    ];
    plan.actions.push({
      kind: "register-task-definition",
      from: td.arn,
      family: td.family,
      environment: { DATABASE_ENABLED: "false" },
      removeSecrets: remove,
    });
    plan.actions.push({
      kind: "force-new-deployment",
      cluster: t.cluster,
      service: t.service,
      taskDefinition: "registered",
    });
    plan.calls.push(
      `ecs:DescribeTaskDefinition ${td.arn}`,
      `ecs:RegisterTaskDefinition family=${td.family}: copy of revision ${td.revision} with DATABASE_ENABLED=false${remove.length ? `, without secrets ${remove.join(", ")}` : ""}`,
      `ecs:UpdateService cluster=${t.cluster} service=${t.service} taskDefinition=<new revision> forceNewDeployment=true`,
    );
    const drop = remove.map((n) => `select(.name != ${JSON.stringify(n)})`).join(" | ");
    plan.cli.push(
      `aws ecs describe-task-definition --task-definition ${td.arn} ${region} --query taskDefinition \\`,
      `  | jq '{family, taskRoleArn, executionRoleArn, networkMode, requiresCompatibilities, cpu, memory, volumes, placementConstraints, runtimePlatform, containerDefinitions} | with_entries(select(.value != null))' \\`,
      `  | jq '.containerDefinitions |= map(.environment = ((.environment // []) | map(select(.name != "DATABASE_ENABLED"))) + [{"name":"DATABASE_ENABLED","value":"false"}]${remove.length ? ` | .secrets = ((.secrets // []) | map(${drop}))` : ""})' > td.json`,
      `aws ecs register-task-definition --cli-input-json file://td.json ${region}`,
      `aws ecs update-service --cluster ${t.cluster} --service ${t.service} --task-definition ${td.family} --force-new-deployment ${region}`,
    );
    notes.push(
      `This drifts from CDK: the stack ${t.stack} still says enableDatabase=true, and its next deploy brings the database back. Set ${CDK_CONTEXT_KEY}=false in the CDK app too (--cdk-dir).`,
    );
    plan.watch = "deployment";
    return plan;
  }

  // Secret fixes: 6.2, 6.3, 6.4, Szenario 4.
  const target = secretTargetOf(fixId, ctx)!;
  const cur = input.current;
  if (cur?.deleted)
    throw new PlanError(
      `${target.name} is scheduled for deletion: restore it first (aws secretsmanager restore-secret --secret-id ${target.name} ${region})`,
    );
  if (cur?.notJson && fixId !== "database-secret")
    throw new PlanError(
      `${target.name} holds a value that is not a JSON object: a merge would lose it; fix it by hand`,
    );
  const fields = fieldsFor(fixId, ctx, cur, input.master);
  plan.fields = fields;
  const values = input.values ?? new Map<string, string>();
  const set: Record<string, unknown> = {};
  const pending: string[] = [];
  for (const f of fields) {
    if (f.source.kind === "literal") set[f.key] = f.source.value;
    else if (f.source.kind === "secret-key") {
      const v = input.master?.json?.[f.source.key];
      if (typeof v === "string") set[f.key] = v;
      else pending.push(f.key);
    } else {
      const v = values.get(f.key);
      if (v !== undefined && v !== "") set[f.key] = v;
      else pending.push(f.key);
    }
  }
  // Extra keys the user gave: they asked to change them.
  for (const [k, v] of values) if (!(k in set) && !fields.some((f) => f.key === k) && v !== "") set[k] = v;
  const extra = [...values.keys()].filter((k) => !fields.some((f) => f.key === k) && values.get(k) !== "");

  const before = cur?.exists && !cur.notJson ? (cur.json ?? {}) : undefined;
  const diff = diffKeys(target.name, before, set, pending);
  if (cur?.exists && cur.notJson) {
    diff.create = false;
    notes.push(`${target.name} is not a JSON object today: the write replaces the whole value.`);
  }
  plan.diffs.push(diff);
  plan.missingInputs = pending.filter((k) => fields.find((f) => f.key === k)?.source.kind === "input");
  const create = !cur?.exists;
  const token = input.token();
  const merged = before ? { ...before, ...set } : { ...set };
  plan.actions.push({
    kind: "write-secret",
    secretName: target.name,
    create,
    snapshot: snapshotRef(cur ?? { id: target.name, exists: false, deleted: false, notJson: false }),
    ...(pending.length === 0 ? { value: new Sealed(merged) } : {}),
    token,
    diff,
  });
  const masterId = masterSecretIdOf(ctx);
  if (fields.some((f) => f.source.kind === "secret-key") && masterId)
    plan.calls.push(`secretsmanager:GetSecretValue ${masterId} (RDS master secret: username, password)`);
  if (create) {
    plan.calls.push(`secretsmanager:CreateSecret Name=${target.name} ClientRequestToken=${token}`);
  } else {
    plan.calls.push(
      `secretsmanager:DescribeSecret ${target.name} (refuse if AWSCURRENT is no longer ${cur?.versionId ?? "?"})`,
      `secretsmanager:PutSecretValue SecretId=${target.name} ClientRequestToken=${token} (all keys: ${[...new Set([...Object.keys(before ?? {}), ...Object.keys(set), ...pending])].join(", ")})`,
    );
  }
  const shown = fields.map((f) => [f.key, placeholder(f)] as const);
  for (const k of extra) shown.push([k, `<${PROMPTS[k] ?? k}>`]);
  const obj = `{${shown.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(", ")}}`;
  if (fields.some((f) => f.source.kind === "secret-key") && masterId)
    plan.cli.push(
      `# the <... from RDS master secret> values: aws secretsmanager get-secret-value --secret-id ${masterId} ${region} --query SecretString --output text | jq '{username, password}'`,
    );
  if (create) {
    plan.cli.push(
      `aws secretsmanager create-secret --name ${target.name} --client-request-token ${token} --secret-string ${q(obj)} ${region}`,
    );
  } else {
    plan.cli.push(
      `# merge: keys not listed keep their values (the runbook's update-secret would drop them)`,
      `aws secretsmanager get-secret-value --secret-id ${target.name} ${region} --query SecretString --output text \\`,
      `  | jq -c ${q(`. + ${obj}`)} \\`,
      `  | aws secretsmanager put-secret-value --secret-id ${target.name} --client-request-token ${token} --secret-string file:///dev/stdin ${region}`,
    );
  }
  if (plan.missingInputs.length > 0)
    notes.push(`Needs values for: ${plan.missingInputs.join(", ")} (typed, stdin, or AFU9_SECRET_<KEY>).`);
  const missingMaster = pending.filter((k) => fields.find((f) => f.key === k)?.source.kind === "secret-key");
  if (missingMaster.length > 0)
    notes.push(`The RDS master secret did not give: ${missingMaster.join(", ")}.`);
  forceDeploy();
  return plan;
}

export function snapshotRef(s: SecretSnapshot): SnapshotRef {
  const { json: _json, ...rest } = s;
  return rest;
}

/** Drops every sealed value of a plan (after apply, or when the preview is abandoned). */
export function dropValues(plan: Plan): void {
  for (const a of plan.actions) if (a.kind === "write-secret") a.value?.drop();
}
