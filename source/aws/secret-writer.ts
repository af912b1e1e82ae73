// Reading and writing secret VALUES, for fixes only. Values stay in memory for the length of one
// fix and are never returned to anything that draws, logs or reports (the diagnosis uses
// inspectSecret, which keeps key names only).
//
// Safety, beyond the runbook's `update-secret --secret-string '{...}'` (which overwrites every key):
// - an update merges: keys the user did not ask to change keep their values;
// - every write carries a ClientRequestToken, so a retried request cannot make two versions;
// - a write is refused when the secret's AWSCURRENT version moved since the preview was made;
// - the previous version id is reported, so the change can be rolled back.

import type { DescribeSecretCommandOutput } from "@aws-sdk/client-secrets-manager";
import type { Clients } from "./clients.js";
import { AwsProblem, call } from "./errors.js";

export interface SecretSnapshot {
  id: string;
  exists: boolean;
  name?: string;
  arn?: string;
  /** AWSCURRENT version when read; the write checks it has not moved. */
  versionId?: string;
  deleted: boolean;
  /** The parsed JSON object, when the value is one. Never displayed. */
  json?: Record<string, unknown>;
  /** The value exists but is not a JSON object. */
  notJson: boolean;
}

export class ConcurrentChangeError extends AwsProblem {
  constructor(id: string, expected: string | undefined, found: string | undefined) {
    super(
      "invalid",
      `Secret ${id} changed since the preview (version ${expected ?? "none"} → ${found ?? "none"})`,
      "nothing was written; review the new state and preview the fix again",
      "ConcurrentChange",
      "secretsmanager:PutSecretValue",
    );
  }
}

export async function readSecret(c: Clients, id: string): Promise<SecretSnapshot> {
  const { DescribeSecretCommand, GetSecretValueCommand } = await import("@aws-sdk/client-secrets-manager");
  const sm = await c.secrets();
  const p = c.target.profile;
  let d: DescribeSecretCommandOutput;
  try {
    d = await call(
      "secretsmanager:DescribeSecret",
      () => sm.send(new DescribeSecretCommand({ SecretId: id })),
      p,
    );
  } catch (e) {
    if (e instanceof AwsProblem && e.code === "ResourceNotFoundException")
      return { id, exists: false, deleted: false, notJson: false };
    throw e;
  }
  const versionId = currentVersion(d.VersionIdsToStages);
  const snap: SecretSnapshot = {
    id,
    exists: true,
    name: d.Name,
    arn: d.ARN,
    versionId,
    deleted: Boolean(d.DeletedDate),
    notJson: false,
  };
  if (snap.deleted || !versionId) return snap;
  const v = await call(
    "secretsmanager:GetSecretValue",
    () => sm.send(new GetSecretValueCommand({ SecretId: d.ARN ?? id, VersionId: versionId })),
    p,
  );
  try {
    const parsed: unknown = JSON.parse(v.SecretString ?? "");
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
      snap.json = parsed as Record<string, unknown>;
    else snap.notJson = true;
  } catch {
    snap.notJson = v.SecretString !== undefined;
  }
  return snap;
}

function currentVersion(stages: Record<string, string[]> | undefined): string | undefined {
  return Object.entries(stages ?? {}).find(([, s]) => s.includes("AWSCURRENT"))?.[0];
}

export interface WriteResult {
  arn: string;
  name: string;
  versionId: string;
  /** The version that was AWSCURRENT before (now AWSPREVIOUS); undefined for a new secret. */
  previousVersionId?: string;
  created: boolean;
}

/**
 * Writes the whole new value (already merged by the caller) with an idempotency token.
 * `expect` is the snapshot the preview was made from.
 */
export async function writeSecret(
  c: Clients,
  expect: SecretSnapshot,
  secretString: string,
  token: string,
  opts: { description?: string } = {},
): Promise<WriteResult> {
  const { CreateSecretCommand, DescribeSecretCommand, PutSecretValueCommand } = await import(
    "@aws-sdk/client-secrets-manager"
  );
  const sm = await c.secrets();
  const p = c.target.profile;
  if (expect.deleted)
    throw new AwsProblem(
      "invalid",
      `Secret ${expect.name ?? expect.id} is scheduled for deletion`,
      "restore it first (aws secretsmanager restore-secret --secret-id ...) or pick another name",
      "InvalidRequestException",
      "secretsmanager:PutSecretValue",
    );
  if (!expect.exists) {
    try {
      const out = await call(
        "secretsmanager:CreateSecret",
        () =>
          sm.send(
            new CreateSecretCommand({
              Name: expect.id,
              SecretString: secretString,
              ClientRequestToken: token,
              Description: opts.description,
            }),
          ),
        p,
      );
      return {
        arn: out.ARN ?? "",
        name: out.Name ?? expect.id,
        versionId: out.VersionId ?? "",
        created: true,
      };
    } catch (e) {
      if (e instanceof AwsProblem && e.code === "ResourceExistsException")
        throw new ConcurrentChangeError(expect.id, undefined, "created meanwhile");
      throw e;
    }
  }
  const now = await call(
    "secretsmanager:DescribeSecret",
    () => sm.send(new DescribeSecretCommand({ SecretId: expect.arn ?? expect.id })),
    p,
  );
  const found = currentVersion(now.VersionIdsToStages);
  // A retry after a lost answer finds its own version current: that is success, not a conflict.
  if (found !== expect.versionId && found !== token)
    throw new ConcurrentChangeError(expect.name ?? expect.id, expect.versionId, found);
  if (found === token)
    return {
      arn: now.ARN ?? "",
      name: now.Name ?? "",
      versionId: token,
      previousVersionId: expect.versionId,
      created: false,
    };
  const out = await call(
    "secretsmanager:PutSecretValue",
    () =>
      sm.send(
        new PutSecretValueCommand({
          SecretId: expect.arn ?? expect.id,
          SecretString: secretString,
          ClientRequestToken: token,
        }),
      ),
    p,
  );
  return {
    arn: out.ARN ?? expect.arn ?? "",
    name: out.Name ?? expect.name ?? "",
    versionId: out.VersionId ?? token,
    previousVersionId: expect.versionId,
    created: false,
  };
}
