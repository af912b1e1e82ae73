// The decision: from all steps' findings, one verdict with stable scenario and fix ids.
// Evidence is weighed strongest first: a stopped reason naming a secret beats the secret checks,
// which beat a guess from log lines, which beat the service events alone.

import type { CfnAnalysis } from "./cloudformation.js";
import type { LogFinding, LogsAnalysis } from "./logs.js";
import {
  type DatabaseStackInfo,
  isUnchecked,
  type RoleCheck,
  type SecretCheck,
  STEP_ORDER,
  type StepId,
  type TaskDefinition,
  type Unchecked,
} from "./model.js";
import {
  type DatabaseEnabledDecision,
  databaseEnabledDecision,
  type SecretKind,
  secretKindOf,
} from "./secrets.js";
import type { ServiceEventsAnalysis } from "./service-events.js";
import type { StoppedTaskFinding, StoppedTasksAnalysis } from "./stopped-tasks.js";

// ── Catalog ───────────────────────────────────────────────────────────────────────────────

export type ScenarioId =
  | "db-secret-missing"
  | "db-secret-incomplete"
  | "db-enabled-not-needed"
  | "db-credentials-wrong"
  | "github-secret-missing"
  | "github-secret-incomplete"
  | "llm-secret-missing"
  | "llm-secret-incomplete"
  | "secret-access-denied"
  | "kms-access-denied"
  | "secret-not-json"
  | "secrets-network-unreachable"
  | "image-pull-failed"
  | "load-balancer-misconfigured"
  | "healthy"
  | "unknown";

export type FixId =
  | "disable-database"
  | "database-secret"
  | "github-secret"
  | "llm-secret"
  | "sync-db-credentials";

export interface ScenarioInfo {
  id: ScenarioId;
  /** Runbook section ("Szenario 1", "5.5", ...); "" when the runbook has none. */
  section: string;
  description: string;
}

export interface FixInfo {
  id: FixId;
  section: string;
  description: string;
}

export const SCENARIOS: Record<ScenarioId, ScenarioInfo> = {
  "db-secret-missing": {
    id: "db-secret-missing",
    section: "Szenario 1",
    description: "The database secret afu9/database does not exist (or is scheduled for deletion)",
  },
  "db-secret-incomplete": {
    id: "db-secret-incomplete",
    section: "Szenario 2",
    description: "The database secret lacks keys (host, port, database, username, password)",
  },
  "db-enabled-not-needed": {
    id: "db-enabled-not-needed",
    section: "Szenario 3",
    description: "The database is enabled, but none is deployed: health checks fail with ECONNREFUSED",
  },
  "db-credentials-wrong": {
    id: "db-credentials-wrong",
    section: "Szenario 4",
    description: "The database rejects the credentials in afu9/database",
  },
  "github-secret-missing": {
    id: "github-secret-missing",
    section: "6.3",
    description: "The GitHub secret afu9/github does not exist",
  },
  "github-secret-incomplete": {
    id: "github-secret-incomplete",
    section: "5.2",
    description: "The GitHub secret lacks keys (token, owner, repo)",
  },
  "llm-secret-missing": {
    id: "llm-secret-missing",
    section: "6.4",
    description: "The LLM secret afu9/llm does not exist",
  },
  "llm-secret-incomplete": {
    id: "llm-secret-incomplete",
    section: "6.4",
    description: "The LLM secret lacks keys (openai_api_key, anthropic_api_key, deepseek_api_key)",
  },
  "secret-access-denied": {
    id: "secret-access-denied",
    section: "5.5",
    description: "The task execution role may not read a secret (secretsmanager:GetSecretValue)",
  },
  "kms-access-denied": {
    id: "kms-access-denied",
    section: "5.5",
    description: "The task execution role may not decrypt a secret's KMS key (kms:Decrypt)",
  },
  "secret-not-json": {
    id: "secret-not-json",
    section: "5.2",
    description: "A secret's value is not a JSON object, but the task reads JSON keys from it",
  },
  "secrets-network-unreachable": {
    id: "secrets-network-unreachable",
    section: "3",
    description: "Tasks cannot reach Secrets Manager (VPC endpoint, NAT or security groups)",
  },
  "image-pull-failed": {
    id: "image-pull-failed",
    section: "3",
    description: "The container image cannot be pulled (ECR; not a secrets problem)",
  },
  "load-balancer-misconfigured": {
    id: "load-balancer-misconfigured",
    section: "1",
    description: "The target group has no load balancer (network stack)",
  },
  healthy: { id: "healthy", section: "2", description: "The service is stable; no problem found" },
  unknown: { id: "unknown", section: "", description: "No known scenario fits; see the evidence" },
};

export const FIXES: Record<FixId, FixInfo> = {
  "disable-database": {
    id: "disable-database",
    section: "6.1",
    description:
      "Deploy the ECS stack with enableDatabase=false (no database secrets, DATABASE_ENABLED=false)",
  },
  "database-secret": {
    id: "database-secret",
    section: "6.2",
    description: "Create or update afu9/database with all keys, then force a new deployment",
  },
  "github-secret": {
    id: "github-secret",
    section: "6.3",
    description: "Create or update afu9/github (token, owner, repo), then force a new deployment",
  },
  "llm-secret": {
    id: "llm-secret",
    section: "6.4",
    description: "Create or update afu9/llm (three API keys), then force a new deployment",
  },
  "sync-db-credentials": {
    id: "sync-db-credentials",
    section: "Szenario 4",
    description: "Copy the credentials from the RDS master secret into afu9/database, then redeploy",
  },
};

// ── Input and output ──────────────────────────────────────────────────────────────────────

/** What the steps found. Omitted: not run; Unchecked: could not run (says why). */
export interface VerdictInput {
  cloudformation?: CfnAnalysis | Unchecked;
  service?: ServiceEventsAnalysis | Unchecked;
  stoppedTasks?: StoppedTasksAnalysis | Unchecked;
  logs?: LogsAnalysis | Unchecked;
  taskDefinition?: TaskDefinition | Unchecked;
  secrets?: SecretCheck[] | Unchecked;
  role?: RoleCheck | Unchecked;
  database?: DatabaseStackInfo | Unchecked;
}

export interface Verdict {
  scenario: ScenarioId;
  fix: FixId | null;
  summary: string;
  evidence: { step: StepId; text: string }[];
  /** What to do next: the fix's section, or the manual step. */
  nextStep: string;
  confidence: "high" | "medium" | "low";
  /** Details the fix needs (names only, never values). */
  detail: {
    secretName?: string;
    missingKeys?: string[];
    /** The secret is scheduled for deletion: restore it before updating. */
    secretDeleted?: boolean;
    roleName?: string;
    databaseEnabled?: DatabaseEnabledDecision["value"];
  };
  /** Steps that could not run, with the reason. */
  notChecked: { step: StepId; reason: string }[];
}

// ── Helpers ───────────────────────────────────────────────────────────────────────────────

const known = <T>(v: T | Unchecked | undefined): T | undefined =>
  v === undefined || isUnchecked(v) ? undefined : v;

const MISSING: Record<SecretKind, ScenarioId> = {
  database: "db-secret-missing",
  github: "github-secret-missing",
  llm: "llm-secret-missing",
};
const INCOMPLETE: Record<SecretKind, ScenarioId> = {
  database: "db-secret-incomplete",
  github: "github-secret-incomplete",
  llm: "llm-secret-incomplete",
};
const FIX_OF: Record<SecretKind, FixId> = {
  database: "database-secret",
  github: "github-secret",
  llm: "llm-secret",
};

/** App environment variable → (secret kind, json key), for when the task definition does not say. */
const ENV_KEYS: Record<string, [SecretKind, string]> = {
  DATABASE_HOST: ["database", "host"],
  DATABASE_PORT: ["database", "port"],
  DATABASE_NAME: ["database", "database"],
  DATABASE_DATABASE: ["database", "database"],
  DATABASE_USER: ["database", "username"],
  DATABASE_USERNAME: ["database", "username"],
  DATABASE_PASSWORD: ["database", "password"],
  GITHUB_TOKEN: ["github", "token"],
  GITHUB_OWNER: ["github", "owner"],
  GITHUB_REPO: ["github", "repo"],
  OPENAI_API_KEY: ["llm", "openai_api_key"],
  ANTHROPIC_API_KEY: ["llm", "anthropic_api_key"],
  DEEPSEEK_API_KEY: ["llm", "deepseek_api_key"],
};

/** Which secret and key feed an environment variable: the task definition first, then the table. */
function secretOfEnv(
  td: TaskDefinition | undefined,
  env: string,
): { kind: SecretKind | undefined; name?: string; key?: string } | undefined {
  for (const c of td?.containers ?? []) {
    const s = c.secrets.find((x) => x.name === env);
    if (!s) continue;
    const parts = s.valueFrom.split(":secret:")[1]?.split(":") ?? [s.valueFrom];
    const nameWithSuffix = parts[0] ?? s.valueFrom;
    const name = nameWithSuffix.replace(/-[A-Za-z0-9]{6}$/, "");
    return { kind: secretKindOf(name), name, ...(parts[1] ? { key: parts[1] } : {}) };
  }
  const t = ENV_KEYS[env];
  return t ? { kind: t[0], key: t[1] } : undefined;
}

function defaultName(kind: SecretKind): string {
  return `afu9/${kind}`;
}

// ── The verdict ───────────────────────────────────────────────────────────────────────────

/** One verdict from all steps' findings. */
export function decideVerdict(input: VerdictInput): Verdict {
  const cfn = known(input.cloudformation);
  const service = known(input.service);
  const stopped = known(input.stoppedTasks);
  const logs = known(input.logs);
  const td = known(input.taskDefinition);
  const secrets = known(input.secrets);
  const role = known(input.role);
  const database = known(input.database);

  const notChecked: Verdict["notChecked"] = [];
  const uncheckedOf: [StepId, unknown][] = [
    ["cloudformation", input.cloudformation],
    ["service-events", input.service],
    ["stopped-tasks", input.stoppedTasks],
    ["logs", input.logs],
    ["decision", input.taskDefinition],
    ["secrets", input.secrets],
    ["iam", input.role],
    ["decision", input.database],
  ];
  for (const [step, v] of uncheckedOf) if (isUnchecked(v)) notChecked.push({ step, reason: v.reason });
  notChecked.sort((a, b) => STEP_ORDER.indexOf(a.step) - STEP_ORDER.indexOf(b.step));

  const dbDecision = td ? databaseEnabledDecision(td) : undefined;
  const evidence: Verdict["evidence"] = [];
  const add = (step: StepId, text: string | undefined) => {
    if (text && !evidence.some((e) => e.step === step && e.text === text)) evidence.push({ step, text });
  };

  // Context that always helps the reader
  if (cfn && cfn.primary.id !== "cfn-none") add("cloudformation", cfn.primary.text);
  if (service && service.primary.severity !== "info") add("service-events", service.primary.text);
  if (service?.deployment.circuitBreakerReason)
    add("service-events", `rolloutStateReason: ${service.deployment.circuitBreakerReason}`);

  const make = (
    scenario: ScenarioId,
    fix: FixId | null,
    summary: string,
    confidence: Verdict["confidence"],
    detail: Verdict["detail"] = {},
    manualNext?: string,
  ): Verdict => {
    const nextStep = fix
      ? `Fix ${FIXES[fix].section}: ${FIXES[fix].description}`
      : (manualNext ?? "Check the evidence manually");
    const nc = notChecked.length
      ? ` Not checked: ${notChecked.map((n) => `${n.step} (${n.reason})`).join("; ")}.`
      : "";
    if (dbDecision && detail.databaseEnabled === undefined) detail.databaseEnabled = dbDecision.value;
    return { scenario, fix, summary: `${summary}${nc}`, evidence, nextStep, confidence, detail, notChecked };
  };

  const check = (name: string | undefined) =>
    name ? secrets?.find((s) => s.name === name || s.arn === name || s.ref === name) : undefined;

  /** The fix for a missing/incomplete database secret depends on DATABASE_ENABLED. */
  const databaseSecretVerdict = (
    scenario: ScenarioId,
    summary: string,
    detail: Verdict["detail"],
    conf: Verdict["confidence"],
  ) => {
    if (dbDecision) add("decision", dbDecision.text);
    if (dbDecision?.value === "false")
      return make(
        scenario,
        "disable-database",
        `${summary} The database is disabled (DATABASE_ENABLED=false), but the task definition still asks for its secret.`,
        conf,
        detail,
      );
    if (dbDecision?.value === "missing" || dbDecision?.value === "other")
      return make(
        scenario,
        null,
        summary,
        "medium",
        detail,
        "DATABASE_ENABLED is not set: check the CDK code (afu9-enable-database), then Fix 6.1 or 6.2",
      );
    return make(scenario, "database-secret", summary, conf, detail);
  };

  const secretVerdict = (
    kind: SecretKind | undefined,
    what: "missing" | "incomplete" | "not-json",
    name: string | undefined,
    summary: string,
    conf: Verdict["confidence"],
    detail: Verdict["detail"] = {},
  ): Verdict => {
    const d = { ...(name ? { secretName: name } : {}), ...detail };
    if (what === "not-json") {
      return make(
        "secret-not-json",
        kind ? FIX_OF[kind] : null,
        summary,
        conf,
        d,
        "→ Schritt 5.2: store the secret as a JSON object",
      );
    }
    if (!kind)
      return make(
        "unknown",
        null,
        summary,
        "medium",
        d,
        `Create or fix secret ${name ?? "(unknown)"} (Schritt 5), then force a new deployment`,
      );
    const scenario = what === "missing" ? MISSING[kind] : INCOMPLETE[kind];
    if (kind === "database") return databaseSecretVerdict(scenario, summary, d, conf);
    return make(scenario, FIX_OF[kind], summary, conf, d);
  };

  // 0. The service came back after the failure (a fix was deployed): the old evidence is history.
  const dep = service?.deployment;
  if (dep?.recovered && dep.newest) {
    const at = dep.newest.createdAt?.toISOString().replace(/\.\d{3}Z$/, "Z") ?? "";
    add(
      "service-events",
      `Deployment ${dep.newest.id} (started ${at}) completed after the failure; running ${dep.newest.runningCount}/${dep.newest.desiredCount}`,
    );
    return make(
      "healthy",
      null,
      `Recovered: deployment ${dep.newest.id} completed after the earlier failure${dep.circuitBreakerReason ? ` (${dep.circuitBreakerReason})` : ""}.`,
      "high",
      {},
      "Nothing to fix; check /api/ready (afu9-tui watch)",
    );
  }

  // 1. A stopped reason that names the secret problem.
  const sp: StoppedTaskFinding | undefined = stopped?.primary;
  if (sp?.secretRelated) {
    add("stopped-tasks", sp.text);
    const named = sp.secret?.name;
    const chk = check(named) ?? check(sp.secret?.arn);
    switch (sp.id) {
      case "secret-not-found":
      case "secret-marked-for-deletion": {
        // The runbook's example does not name the secret: the secret checks do.
        const target = chk ?? secrets?.find((s) => s.exists === false) ?? secrets?.find((s) => s.deleted);
        const name = named ?? target?.name;
        if (target)
          add(
            "secrets",
            `${target.name}: ${target.deleted ? "scheduled for deletion" : target.exists === false ? "does not exist" : "exists"}`,
          );
        const deleted = sp.id === "secret-marked-for-deletion" || !!target?.deleted;
        if (!name)
          return make(
            "unknown",
            null,
            "A secret the task definition references does not exist, but the checks could not say which.",
            "low",
            {},
            "→ Schritt 5.1: describe-secret for each secret in the task definition",
          );
        const kind = secretKindOf(name);
        return secretVerdict(
          kind,
          "missing",
          name,
          `Tasks fail at start: secret ${name} ${deleted ? "is scheduled for deletion" : "does not exist"}.`,
          chk || target ? "high" : "medium",
          deleted ? { secretDeleted: true } : {},
        );
      }
      case "secret-json-key-missing": {
        const key = sp.jsonKey;
        const name =
          named ??
          secrets?.find((s) => key && s.missingKeys.includes(key))?.name ??
          td?.containers
            .flatMap((c) => c.secrets)
            .map((s) => s.valueFrom)
            .find((v) => key && v.includes(`:${key}:`))
            ?.split(":secret:")[1]
            ?.split(":")[0]
            ?.replace(/-[A-Za-z0-9]{6}$/, "");
        const c2 = check(name);
        const missing = c2?.missingKeys.length ? c2.missingKeys : key ? [key] : [];
        if (c2) add("secrets", `${c2.name}: missing keys ${missing.join(", ")}`);
        return secretVerdict(
          name ? secretKindOf(name) : undefined,
          "incomplete",
          name,
          `Tasks fail at start: secret ${name ?? "?"} has no JSON key ${key ?? "?"}.`,
          "high",
          { missingKeys: missing },
        );
      }
      case "secret-not-json": {
        const target = chk ?? secrets?.find((s) => s.isJson === false);
        const name = named ?? target?.name;
        return secretVerdict(
          name ? secretKindOf(name) : undefined,
          "not-json",
          name,
          `Tasks fail at start: secret ${name ?? "?"} is not valid JSON.`,
          "high",
        );
      }
      case "kms-access-denied":
        if (role) add("iam", `Role ${role.roleName}`);
        return make(
          "kms-access-denied",
          null,
          `Tasks fail at start: the execution role may not decrypt the KMS key of ${named ?? "a secret"}.`,
          "high",
          { ...(named ? { secretName: named } : {}), ...(sp.roleName ? { roleName: sp.roleName } : {}) },
          "→ Schritt 5.5: allow kms:Decrypt on the secret's key for the task execution role (key policy or IAM)",
        );
      case "secret-access-denied":
        if (role)
          add("iam", `Role ${role.roleName}: ${role.attachedPolicies.join(", ") || "no attached policies"}`);
        return make(
          "secret-access-denied",
          null,
          `Tasks fail at start: the execution role may not read ${named ?? "a secret"} (AccessDenied).`,
          "high",
          { ...(named ? { secretName: named } : {}), ...(sp.roleName ? { roleName: sp.roleName } : {}) },
          "→ Schritt 5.5: allow secretsmanager:GetSecretValue on the secret for the task execution role",
        );
      case "secrets-network":
        return make(
          "secrets-network-unreachable",
          null,
          "Tasks fail at start: they cannot reach Secrets Manager (timeout).",
          "high",
          {},
          "Check the Secrets Manager VPC endpoint / NAT route and the task's security group (outbound 443)",
        );
      default:
        break; // resource-init-other: let the secret checks decide below
    }
  }

  // 2. Image pull failures are not secrets problems.
  if (
    sp &&
    [
      "image-not-found",
      "image-access-denied",
      "image-pull-timeout",
      "image-pull-failed",
      "registry-auth",
    ].includes(sp.id)
  ) {
    add("stopped-tasks", sp.text);
    return make(
      "image-pull-failed",
      null,
      `Tasks fail at start: ${sp.cause}.`,
      "high",
      {},
      "ECR prüfen: image tag, repository policy, ecr:GetAuthorizationToken, network",
    );
  }

  // 3. CloudFormation: the target group has no load balancer.
  if (cfn?.primary.id === "cfn-target-group-no-lb") {
    return make(
      "load-balancer-misconfigured",
      null,
      "CloudFormation: the target group does not have an associated load balancer.",
      "high",
      {},
      "Network Stack prüfen (listener rule / load balancer of the target group)",
    );
  }

  // 4. The secret checks (step 5), when they ran.
  const required = secrets ?? [];
  const missingSecret = required.find((s) => s.exists === false || s.deleted);
  const strongFromResourceInit = sp?.id === "resource-init-other";
  if (sp) add("stopped-tasks", sp.text);
  if (missingSecret && (strongFromResourceInit || !logsDecisive(logs))) {
    add(
      "secrets",
      `${missingSecret.name}: ${missingSecret.deleted ? "scheduled for deletion" : "does not exist"}`,
    );
    return secretVerdict(
      secretKindOf(missingSecret.name),
      "missing",
      missingSecret.name,
      `Secret ${missingSecret.name} ${missingSecret.deleted ? "is scheduled for deletion" : "does not exist"}.`,
      strongFromResourceInit ? "high" : "medium",
      missingSecret.deleted ? { secretDeleted: true } : {},
    );
  }
  const denied = required.find((s) => s.access === "denied" || s.access === "kms-denied");
  if (denied && strongFromResourceInit) {
    add("iam", `${denied.name}: ${denied.access}`);
    return make(
      denied.access === "kms-denied" ? "kms-access-denied" : "secret-access-denied",
      null,
      `The execution role may not ${denied.access === "kms-denied" ? "decrypt" : "read"} ${denied.name}.`,
      "high",
      { secretName: denied.name },
      "→ Schritt 5.5: grant the task execution role access",
    );
  }

  // 5. Log lines (step 4).
  const lp: LogFinding | undefined = logs?.primary;
  if (lp) add("logs", lp.text);
  const logIds = new Set(logs?.summary.map((s) => s.id) ?? []);
  const logOf = (id: LogFinding["id"]) => logs?.summary.find((s) => s.id === id)?.example;

  const envMissing = logOf("env-var-not-set");
  if (envMissing?.variable) {
    const src = secretOfEnv(td, envMissing.variable);
    const name = src?.name ?? (src?.kind ? defaultName(src.kind) : undefined);
    const chk = check(name);
    if (chk) add("secrets", `${chk.name}: missing keys ${chk.missingKeys.join(", ") || "none"}`);
    const missing = chk?.missingKeys.length ? chk.missingKeys : src?.key ? [src.key] : [];
    return secretVerdict(
      src?.kind,
      "incomplete",
      name,
      `The app exits: environment variable ${envMissing.variable} is not set${name ? ` (secret ${name} lacks key ${src?.key ?? "?"})` : ""}.`,
      chk ? "high" : "medium",
      { missingKeys: missing },
    );
  }
  if (logIds.has("db-host-null")) {
    const chk = check("afu9/database") ?? required.find((s) => secretKindOf(s.name) === "database");
    const missing = chk?.missingKeys.length ? chk.missingKeys : ["host"];
    return secretVerdict(
      "database",
      "incomplete",
      chk?.name ?? "afu9/database",
      "The app connects to host null: the database secret lacks its host key.",
      chk ? "high" : "medium",
      { missingKeys: missing },
    );
  }
  if (logIds.has("db-password-auth-failed")) {
    const f = logOf("db-password-auth-failed");
    return make(
      "db-credentials-wrong",
      "sync-db-credentials",
      `The database rejects the password for user "${f?.user ?? "?"}".`,
      "high",
      { secretName: "afu9/database" },
    );
  }
  if (logIds.has("secret-json-syntax")) {
    const target = required.find((s) => s.isJson === false);
    return secretVerdict(
      target ? secretKindOf(target.name) : undefined,
      "not-json",
      target?.name,
      `The app cannot parse ${target ? `secret ${target.name}` : "a secret"}: not valid JSON.`,
      target ? "high" : "medium",
    );
  }
  const refused =
    logOf("db-connection-refused") ?? logOf("db-connection-timeout") ?? logOf("db-host-not-found");
  const dbNotConfigured = logOf("db-not-configured");
  if (refused || dbNotConfigured) {
    if (dbDecision) add("decision", dbDecision.text);
    if (database)
      add(
        "decision",
        database.deployed
          ? `Database deployed: ${database.endpoint ?? "endpoint known"}`
          : "No database deployed (no Afu9DbEndpoint)",
      );
    if (database?.deployed === false && dbDecision?.value !== "false") {
      return make(
        "db-enabled-not-needed",
        "disable-database",
        "The database is enabled, but none is deployed: the app cannot connect and /api/ready fails.",
        dbDecision?.value === "true" ? "high" : "medium",
      );
    }
    if (dbNotConfigured && database?.deployed !== false) {
      const dbSecret = required.find((s) => secretKindOf(s.name) === "database");
      if (dbSecret?.exists === false || !dbSecret)
        return secretVerdict(
          "database",
          "missing",
          "afu9/database",
          "DATABASE_ENABLED=true, but the app has no database configuration.",
          dbSecret ? "high" : "medium",
        );
      return secretVerdict(
        "database",
        "incomplete",
        dbSecret.name,
        "DATABASE_ENABLED=true, but the app has no database configuration.",
        "medium",
        { missingKeys: dbSecret.missingKeys },
      );
    }
    const why =
      database?.deployed === true
        ? "A database is deployed, so this is a network problem (security groups, host in the secret)."
        : "Could not check whether a database is deployed (database stack outputs).";
    return make(
      "unknown",
      null,
      `The app cannot reach the database (${refused?.text ?? dbNotConfigured?.text}). ${why}`,
      "low",
      {},
      "Network/Security Groups prüfen: DB security group inbound 5432 from the task, host in afu9/database",
    );
  }

  // 6. Secret structure and access from the checks, without a stronger hint.
  const notJson = required.find((s) => s.isJson === false && s.exists !== false);
  if (notJson)
    return secretVerdict(
      secretKindOf(notJson.name),
      "not-json",
      notJson.name,
      `Secret ${notJson.name} is not a JSON object.`,
      "medium",
    );
  const incomplete = required.find((s) => s.missingKeys.length > 0 && s.exists !== false);
  if (incomplete) {
    add("secrets", `${incomplete.name}: missing keys ${incomplete.missingKeys.join(", ")}`);
    return secretVerdict(
      secretKindOf(incomplete.name),
      "incomplete",
      incomplete.name,
      `Secret ${incomplete.name} lacks keys: ${incomplete.missingKeys.join(", ")}.`,
      sp ? "high" : "medium",
      { missingKeys: incomplete.missingKeys },
    );
  }
  if (denied) {
    add("iam", `${denied.name}: ${denied.access}`);
    return make(
      denied.access === "kms-denied" ? "kms-access-denied" : "secret-access-denied",
      null,
      `The execution role may not ${denied.access === "kms-denied" ? "decrypt" : "read"} ${denied.name}.`,
      "medium",
      { secretName: denied.name },
      "→ Schritt 5.5: grant the task execution role access",
    );
  }

  // 7. Healthy?
  const anyFailure =
    !!sp ||
    !!lp ||
    (service ? service.deployment.failed !== undefined || service.circuitBreaker !== "none" : false);
  if (service?.deployment.healthy && !anyFailure) {
    return make(
      "healthy",
      null,
      "The service is stable; the newest deployment completed.",
      "high",
      {},
      "Nothing to fix",
    );
  }

  // 8. Say what was seen.
  const seen = evidence.map((e) => e.text).join("; ");
  return make(
    "unknown",
    null,
    seen ? `No known scenario fits. Seen: ${seen}.` : "No evidence was found.",
    "low",
    {},
    sp?.nextStep && sp.nextStep !== "—" ? `${sp.nextStep} (manual)` : "Walk the runbook manually from step 3",
  );
}

/** Logs that point elsewhere than a missing secret. */
function logsDecisive(logs: LogsAnalysis | undefined): boolean {
  return !!logs?.summary.some((s) => ["db-password-auth-failed", "db-connection-refused"].includes(s.id));
}
