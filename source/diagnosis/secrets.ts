// Step 5: which secrets a task definition needs, and whether a secret's JSON has the keys.
// Pure: no I/O. The key check returns key NAMES only, never values.

import type { TaskDefinition } from "./model.js";

// ── valueFrom ─────────────────────────────────────────────────────────────────────────────

export interface SecretRef {
  /** The valueFrom as written. */
  raw: string;
  service: "secretsmanager" | "ssm" | "unknown";
  /** Secret name without the six-character ARN suffix (afu9/database); SSM: the parameter name. */
  name: string;
  /** The ARN without json-key/version parts, when valueFrom was an ARN. */
  arn?: string;
  region?: string;
  account?: string;
  /** "AbCdEf" when the ARN is a full ARN (name-XXXXXX). */
  arnSuffix?: string;
  isFullArn: boolean;
  jsonKey?: string;
  versionStage?: string;
  versionId?: string;
  /** What to pass to DescribeSecret / GetSecretValue as SecretId. */
  secretId: string;
}

const SM_ARN = /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$/;
const SSM_ARN = /^arn:(aws[a-z-]*):ssm:([a-z0-9-]+):(\d{12}):parameter(\/?.+)$/;
/** AWS appends "-" and six random characters to a secret's name in its ARN. */
const SUFFIX = /^(.+)-([A-Za-z0-9]{6})$/;

/** Splits "name-AbCdEf" into name and suffix; a name without such an ending is returned as is. */
export function splitArnSuffix(nameWithSuffix: string): { name: string; suffix?: string } {
  const m = SUFFIX.exec(nameWithSuffix);
  return m ? { name: m[1]!, suffix: m[2]! } : { name: nameWithSuffix };
}

/**
 * Parses an ECS secrets[].valueFrom:
 *   afu9/database                                                   (name, same account and region)
 *   arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9/database-AbCdEf       (full ARN)
 *   arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9/database              (partial ARN)
 *   arn:aws:secretsmanager:REGION:ACCT:secret:NAME-AbCdEf:json-key:version-stage:version-id
 *   arn:aws:ssm:eu-central-1:123456789012:parameter/afu9/x          (SSM; set aside)
 * A secret name cannot contain ":", so everything after the name is json-key:stage:id.
 */
export function parseValueFrom(valueFrom: string): SecretRef {
  const raw = valueFrom.trim();
  const ssm = SSM_ARN.exec(raw);
  if (ssm) {
    return {
      raw,
      service: "ssm",
      name: ssm[4]!.replace(/^\//, ""),
      arn: raw,
      region: ssm[2]!,
      account: ssm[3]!,
      isFullArn: true,
      secretId: raw,
    };
  }
  const sm = SM_ARN.exec(raw);
  if (sm) {
    const [withSuffix = "", jsonKey, versionStage, versionId] = sm[4]!.split(":");
    const { name, suffix } = splitArnSuffix(withSuffix);
    const arn = `arn:${sm[1]}:secretsmanager:${sm[2]}:${sm[3]}:secret:${withSuffix}`;
    return {
      raw,
      service: "secretsmanager",
      name,
      arn,
      region: sm[2]!,
      account: sm[3]!,
      ...(suffix ? { arnSuffix: suffix } : {}),
      isFullArn: suffix !== undefined,
      ...(jsonKey ? { jsonKey } : {}),
      ...(versionStage ? { versionStage } : {}),
      ...(versionId ? { versionId } : {}),
      secretId: arn,
    };
  }
  if (raw.startsWith("arn:")) return { raw, service: "unknown", name: raw, isFullArn: false, secretId: raw };
  // A plain name (ECS resolves it in the task's account and region). Parameter names also look
  // like this; the runbook's secrets are Secrets Manager secrets, so we read it as one.
  return { raw, service: "secretsmanager", name: raw, isFullArn: false, secretId: raw };
}

/** The secret's name from any ARN or name string (suffix removed). */
export function secretNameOf(arnOrName: string): string {
  return parseValueFrom(arnOrName).name;
}

// ── The runbook's expected secrets ────────────────────────────────────────────────────────

export type SecretKind = "github" | "llm" | "database";

export interface ExpectedSecret {
  kind: SecretKind;
  name: string;
  keys: string[];
  /** Runbook section that creates/fixes it. */
  fixSection: string;
  /** Only needed when DATABASE_ENABLED=true. */
  onlyWithDatabase: boolean;
}

export const EXPECTED_SECRETS: readonly ExpectedSecret[] = [
  {
    kind: "github",
    name: "afu9/github",
    keys: ["token", "owner", "repo"],
    fixSection: "6.3",
    onlyWithDatabase: false,
  },
  {
    kind: "llm",
    name: "afu9/llm",
    keys: ["openai_api_key", "anthropic_api_key", "deepseek_api_key"],
    fixSection: "6.4",
    onlyWithDatabase: false,
  },
  {
    kind: "database",
    name: "afu9/database",
    keys: ["host", "port", "database", "username", "password"],
    fixSection: "6.2",
    onlyWithDatabase: true,
  },
];

/** Which of the runbook's secrets a name means: exact name first, then the last path segment. */
export function secretKindOf(name: string): SecretKind | undefined {
  const n = secretNameOf(name);
  const exact = EXPECTED_SECRETS.find((e) => e.name === n);
  if (exact) return exact.kind;
  const last = n.split("/").pop()?.toLowerCase() ?? "";
  if (/^(database|db|rds)$/.test(last)) return "database";
  if (last === "github") return "github";
  if (last === "llm") return "llm";
  return undefined;
}

// ── DATABASE_ENABLED ──────────────────────────────────────────────────────────────────────

export interface DatabaseEnabledDecision {
  /** true → Fix 6.2, false → Fix 6.1, missing → check the CDK code; other: an unexpected value. */
  value: "true" | "false" | "missing" | "other";
  /** The environment value as written (not a secret). */
  raw?: string;
  container?: string;
  fixSection: "6.1" | "6.2" | undefined;
  text: string;
}

/**
 * The runbook reads containerDefinitions[0].environment[DATABASE_ENABLED]. We look at the first
 * container first, then at any other container that sets it.
 */
export function databaseEnabledDecision(td: TaskDefinition): DatabaseEnabledDecision {
  const ordered = td.containers;
  for (const c of ordered) {
    const env = c.environment.find((e) => e.name === "DATABASE_ENABLED");
    if (!env) continue;
    const v = env.value.trim().toLowerCase();
    if (v === "true")
      return {
        value: "true",
        raw: env.value,
        container: c.name,
        fixSection: "6.2",
        text: "DATABASE_ENABLED=true: database is enabled → Fix 6.2",
      };
    if (v === "false")
      return {
        value: "false",
        raw: env.value,
        container: c.name,
        fixSection: "6.1",
        text: "DATABASE_ENABLED=false: database is disabled → Fix 6.1",
      };
    return {
      value: "other",
      raw: env.value,
      container: c.name,
      fixSection: undefined,
      text: `DATABASE_ENABLED has an unexpected value "${env.value}": check the CDK code`,
    };
  }
  return {
    value: "missing",
    fixSection: undefined,
    text: "DATABASE_ENABLED is not set in the task definition: check the CDK code (afu9-enable-database)",
  };
}

// ── Required secrets ──────────────────────────────────────────────────────────────────────

export interface SecretUse {
  container: string;
  /** The environment variable the container gets. */
  envName: string;
  valueFrom: string;
  /** The json key it takes, if any (whole secret otherwise). */
  jsonKey?: string;
}

export interface RequiredSecret {
  /** Secret name without suffix. */
  name: string;
  kind: SecretKind | undefined;
  /** SecretId to look it up with: the ARN from the task definition, else the name. */
  secretId: string;
  /** The first reference's valueFrom, or the runbook's name when not referenced. */
  ref: string;
  service: "secretsmanager" | "ssm" | "unknown";
  /** Referenced by the task definition. */
  referenced: boolean;
  /** One of the runbook's secrets that the configuration needs. */
  expectedByRunbook: boolean;
  uses: SecretUse[];
  /** Keys referenced by json key in valueFrom. */
  referencedKeys: string[];
  /** All keys the value must have: referenced ∪ runbook's structure. */
  requiredKeys: string[];
}

/**
 * The secrets the task definition needs: each referenced secret with its json keys, merged with
 * the runbook's structures (afu9/github, afu9/llm; afu9/database only when DATABASE_ENABLED=true).
 * SSM parameters are listed with service "ssm" and no keys.
 */
export function requiredSecrets(td: TaskDefinition): RequiredSecret[] {
  const dbEnabled = databaseEnabledDecision(td).value === "true";
  const byName = new Map<string, RequiredSecret>();
  for (const c of td.containers) {
    for (const s of c.secrets) {
      const ref = parseValueFrom(s.valueFrom);
      const key = `${ref.service}:${ref.name}`;
      let r = byName.get(key);
      if (!r) {
        const kind = ref.service === "secretsmanager" ? secretKindOf(ref.name) : undefined;
        r = {
          name: ref.name,
          kind,
          secretId: ref.secretId,
          ref: s.valueFrom,
          service: ref.service,
          referenced: true,
          expectedByRunbook: false,
          uses: [],
          referencedKeys: [],
          requiredKeys: [],
        };
        byName.set(key, r);
      }
      // prefer an ARN as SecretId (exact account/region) over a bare name
      if (ref.arn && !r.secretId.startsWith("arn:")) r.secretId = ref.secretId;
      r.uses.push({
        container: c.name,
        envName: s.name,
        valueFrom: s.valueFrom,
        ...(ref.jsonKey ? { jsonKey: ref.jsonKey } : {}),
      });
      if (ref.jsonKey && !r.referencedKeys.includes(ref.jsonKey)) r.referencedKeys.push(ref.jsonKey);
    }
  }
  for (const e of EXPECTED_SECRETS) {
    if (e.onlyWithDatabase && !dbEnabled) continue;
    const existing = [...byName.values()].find((r) => r.service === "secretsmanager" && r.kind === e.kind);
    if (existing) existing.expectedByRunbook = true;
    else
      byName.set(`secretsmanager:${e.name}`, {
        name: e.name,
        kind: e.kind,
        secretId: e.name,
        ref: e.name,
        service: "secretsmanager",
        referenced: false,
        expectedByRunbook: true,
        uses: [],
        referencedKeys: [],
        requiredKeys: [],
      });
  }
  for (const r of byName.values()) {
    const expected = r.kind ? (EXPECTED_SECRETS.find((e) => e.kind === r.kind)?.keys ?? []) : [];
    const keys = [...r.referencedKeys];
    if (r.expectedByRunbook || r.kind) for (const k of expected) if (!keys.includes(k)) keys.push(k);
    r.requiredKeys = keys;
  }
  return [...byName.values()];
}

// ── Key check ─────────────────────────────────────────────────────────────────────────────

export interface KeyCheck {
  /** The value parsed as JSON at all. */
  isJson: boolean;
  /** The value is a JSON object (the only shape with keys). */
  isObject: boolean;
  presentKeys: string[];
  missingKeys: string[];
  /** Required keys that are present but null or "" (jq has() says true; the app gets nothing). */
  emptyKeys: string[];
  /** All keys of the object, sorted (jq 'keys'). Names only. */
  allKeys: string[];
  /** Why it is not usable, without any part of the value (JSON.parse messages quote the text). */
  problem?: string;
}

/**
 * Checks a secret's value for required keys. Returns key NAMES only; nothing of the value.
 *
 * The runbook runs `jq 'has("host", "port", ...)'` and expects `true`. jq evaluates has() once per
 * argument and prints one boolean per key, so "true" really means "every line is true": every key
 * must be present. We return the missing keys by name instead of a list of booleans.
 */
export function checkSecretKeys(secretString: string | undefined, requiredKeys: readonly string[]): KeyCheck {
  const none = (problem: string, isJson = false): KeyCheck => ({
    isJson,
    isObject: false,
    presentKeys: [],
    missingKeys: [...requiredKeys],
    emptyKeys: [],
    allKeys: [],
    problem,
  });
  if (secretString === undefined) return none("the secret has no string value");
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch (e) {
    const pos = /position (\d+)/.exec((e as Error).message)?.[1];
    return none(`not valid JSON${pos ? ` (at position ${pos})` : ""}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    const shape = parsed === null ? "null" : Array.isArray(parsed) ? "an array" : `a ${typeof parsed}`;
    return none(`JSON is ${shape}, not an object with keys`, true);
  }
  const obj = parsed as Record<string, unknown>;
  const has = (k: string) => Object.hasOwn(obj, k);
  const presentKeys = requiredKeys.filter(has);
  const missingKeys = requiredKeys.filter((k) => !has(k));
  const emptyKeys = presentKeys.filter((k) => obj[k] === null || obj[k] === "");
  return {
    isJson: true,
    isObject: true,
    presentKeys,
    missingKeys,
    emptyKeys,
    allKeys: Object.keys(obj).sort(),
  };
}
