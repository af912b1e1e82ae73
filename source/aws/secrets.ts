// Secrets Manager. The diagnosis side never sees a value: `inspectSecret` reads the value, keeps
// the JSON key names and drops the rest before it returns. Reading and writing values for a fix
// lives in source/aws/secret-writer.ts.

import type { AwsErrorInfo } from "../diagnosis/model.js";
import type { Clients } from "./clients.js";
import { AwsProblem, call } from "./errors.js";

export interface SecretFacts {
  id: string;
  name?: string;
  arn?: string;
  /** false: ResourceNotFoundException; undefined: could not tell (access denied, network). */
  exists: boolean | undefined;
  deletedDate?: Date;
  kmsKeyId?: string;
  lastAccessed?: Date;
  lastChanged?: Date;
  currentVersionId?: string;
  /** Whether the value is a JSON object; undefined when it could not be read. */
  isJson?: boolean;
  /** Key names of the JSON value, sorted (jq 'keys'). */
  keys?: string[];
  /** Keys whose value is null or "". */
  emptyKeys?: string[];
  describeError?: AwsErrorInfo;
  valueError?: AwsErrorInfo;
}

const info = (e: unknown): AwsErrorInfo =>
  e instanceof AwsProblem ? { code: e.code, message: e.message } : { code: "Error", message: String(e) };

/** Keys of a secret string, never its values. */
export function keysOf(secretString: string | undefined): { isJson: boolean; keys: string[]; emptyKeys: string[] } {
  if (secretString === undefined) return { isJson: false, keys: [], emptyKeys: [] };
  try {
    const v: unknown = JSON.parse(secretString);
    if (typeof v !== "object" || v === null || Array.isArray(v)) return { isJson: false, keys: [], emptyKeys: [] };
    const keys = Object.keys(v).sort();
    const emptyKeys = keys.filter((k) => {
      const x = (v as Record<string, unknown>)[k];
      return x === null || x === "";
    });
    return { isJson: true, keys, emptyKeys };
  } catch {
    return { isJson: false, keys: [], emptyKeys: [] };
  }
}

/** DescribeSecret, then GetSecretValue for the key names (unless the secret is gone or deleted). */
export async function inspectSecret(c: Clients, id: string, opts: { readValue?: boolean } = {}): Promise<SecretFacts> {
  const { DescribeSecretCommand, GetSecretValueCommand } = await import("@aws-sdk/client-secrets-manager");
  const sm = await c.secrets();
  const facts: SecretFacts = { id, exists: undefined };
  try {
    const d = await call("secretsmanager:DescribeSecret", () => sm.send(new DescribeSecretCommand({ SecretId: id })), c.target.profile);
    facts.exists = true;
    facts.name = d.Name;
    facts.arn = d.ARN;
    facts.deletedDate = d.DeletedDate;
    facts.kmsKeyId = d.KmsKeyId;
    facts.lastAccessed = d.LastAccessedDate;
    facts.lastChanged = d.LastChangedDate;
    facts.currentVersionId = Object.entries(d.VersionIdsToStages ?? {}).find(([, st]) => st.includes("AWSCURRENT"))?.[0];
  } catch (e) {
    facts.describeError = info(e);
    if (e instanceof AwsProblem && e.code === "ResourceNotFoundException") {
      facts.exists = false;
      return facts;
    }
  }
  if (opts.readValue === false || facts.deletedDate) return facts;
  try {
    const v = await call(
      "secretsmanager:GetSecretValue",
      () => sm.send(new GetSecretValueCommand({ SecretId: facts.arn ?? id })),
      c.target.profile,
    );
    if (facts.exists === undefined) facts.exists = true;
    const k = keysOf(v.SecretString);
    facts.isJson = k.isJson;
    facts.keys = k.keys;
    facts.emptyKeys = k.emptyKeys;
  } catch (e) {
    facts.valueError = info(e);
    if (e instanceof AwsProblem && e.code === "ResourceNotFoundException") facts.exists = false;
  }
  return facts;
}
