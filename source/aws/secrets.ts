// Secrets Manager. The diagnosis side never sees a value: `inspectSecret` reads the value, keeps
// the JSON key names and drops the rest before it returns. Reading and writing values for a fix
// lives in source/aws/secret-writer.ts.

import type { AwsErrorInfo } from "../diagnosis/model.js";
import { checkSecretKeys, type KeyCheck } from "../diagnosis/secrets.js";
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
  /** The key check of the value (names only); undefined when the value could not be read. */
  keys?: KeyCheck;
  describeError?: AwsErrorInfo;
  valueError?: AwsErrorInfo;
}

const info = (e: unknown): AwsErrorInfo =>
  e instanceof AwsProblem ? { code: e.code, message: e.message } : { code: "Error", message: String(e) };

/** DescribeSecret, then GetSecretValue for the key names (unless the secret is gone or deleted). */
export async function inspectSecret(
  c: Clients,
  id: string,
  requiredKeys: readonly string[],
  opts: { readValue?: boolean } = {},
): Promise<SecretFacts> {
  const { DescribeSecretCommand, GetSecretValueCommand } = await import("@aws-sdk/client-secrets-manager");
  const sm = await c.secrets();
  const facts: SecretFacts = { id, exists: undefined };
  try {
    const d = await call(
      "secretsmanager:DescribeSecret",
      () => sm.send(new DescribeSecretCommand({ SecretId: id })),
      c.target.profile,
    );
    facts.exists = true;
    facts.name = d.Name;
    facts.arn = d.ARN;
    facts.deletedDate = d.DeletedDate;
    facts.kmsKeyId = d.KmsKeyId;
    facts.lastAccessed = d.LastAccessedDate;
    facts.lastChanged = d.LastChangedDate;
    facts.currentVersionId = Object.entries(d.VersionIdsToStages ?? {}).find(([, st]) =>
      st.includes("AWSCURRENT"),
    )?.[0];
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
    facts.keys = checkSecretKeys(v.SecretString, requiredKeys);
  } catch (e) {
    facts.valueError = info(e);
    if (e instanceof AwsProblem && e.code === "ResourceNotFoundException") facts.exists = false;
  }
  return facts;
}
