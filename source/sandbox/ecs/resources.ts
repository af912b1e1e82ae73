// Task resource initialisation as the ECS agent does it: registry auth, secrets from Secrets
// Manager (network, existence, deletion, IAM, KMS, JSON keys), then the image pull. Reads the
// account's CURRENT state, so a fix made through the API changes the next task.

import type { Account, Secret } from "../account.js";
import type { ContainerSpec, TaskDefinitionSpec } from "../world.js";
import { stoppedReasons } from "./messages.js";

export interface SecretRef {
  /** Name, or ARN (full or partial) without the json-key suffix. */
  secretId: string;
  jsonKey?: string;
  versionStage?: string;
  versionId?: string;
}

/** Parses a container secret's valueFrom (name, ARN, or ARN:json-key:version-stage:version-id). */
export function parseValueFrom(valueFrom: string): SecretRef {
  if (!valueFrom.startsWith("arn:")) return { secretId: valueFrom };
  const parts = valueFrom.split(":");
  const secretId = parts.slice(0, 7).join(":");
  const nz = (s: string | undefined) => (s === undefined || s === "" ? undefined : s);
  return { secretId, jsonKey: nz(parts[7]), versionStage: nz(parts[8]), versionId: nz(parts[9]) };
}

export type InitResult =
  | { ok: true; env: Record<string, string>[] }
  | { ok: false; reason: string; container?: string };

function requestId(account: Account): string {
  return account.rng.uuid();
}

/** Resolves every container's environment, or the stoppedReason the task stops with. */
export function initialiseTask(account: Account, td: TaskDefinitionSpec, taskId: string): InitResult {
  const world = account.world;
  const images: Record<string, { pullable: boolean; reason?: string }> = {};
  for (const [k, v] of Object.entries(world.images ?? {})) images[account.resolve(k)] = v;
  const usesEcr = td.containerDefinitions.some((c) => /\.dkr\.ecr\./.test(c.image));
  if (usesEcr && world.network?.ecr === "timeout")
    return { ok: false, reason: stoppedReasons.ecrNetwork(account.region) };

  const envs: Record<string, string>[] = [];
  for (const c of td.containerDefinitions) {
    const env: Record<string, string> = {};
    for (const e of c.environment ?? []) env[e.name] = e.value;
    for (const s of c.secrets ?? []) {
      const got = fetchSecret(account, td, s.valueFrom, taskId);
      if (!got.ok) return { ok: false, reason: got.reason };
      env[s.name] = got.value;
    }
    envs.push(env);
  }
  for (const c of td.containerDefinitions) {
    const pull = pullImage({ ...c, image: account.resolve(c.image) }, images);
    if (pull) return { ok: false, reason: pull, container: c.name };
  }
  return { ok: true, env: envs };
}

function pullImage(
  c: ContainerSpec,
  images: Record<string, { pullable: boolean; reason?: string }>,
): string | undefined {
  const spec = images[c.image];
  if (!spec || spec.pullable) return undefined;
  return spec.reason
    ? stoppedReasons.imagePullFailed(c.image, spec.reason)
    : stoppedReasons.imageNotFound(c.image);
}

function fetchSecret(
  account: Account,
  td: TaskDefinitionSpec,
  valueFrom: string,
  taskId: string,
): { ok: true; value: string } | { ok: false; reason: string } {
  const ref = parseValueFrom(valueFrom);
  if (valueFrom.startsWith("arn:aws:ssm:")) return { ok: true, value: "ssm-parameter-value" };
  const secret: Secret | undefined = account.findSecret(ref.secretId);
  const resourceArn =
    secret?.arn ?? (ref.secretId.startsWith("arn:") ? ref.secretId : secretArnFor(account, ref.secretId));

  if (account.world.network?.secretsManager === "timeout")
    return { ok: false, reason: stoppedReasons.secretsNetwork(resourceArn) };

  const role = td.executionRoleArn ? account.roleByArn(td.executionRoleArn) : undefined;
  const roleName = td.executionRoleArn?.split("/").pop() ?? "ecsTaskExecutionRole";
  const principal = `arn:aws:sts::${account.id}:assumed-role/${roleName}/${taskId}`;
  const evaluation = role
    ? account.evaluateRole(role, "secretsmanager:GetSecretValue", resourceArn)
    : undefined;
  if (evaluation?.decision !== "allowed") {
    const explicit = evaluation?.decision === "explicitDeny";
    return {
      ok: false,
      reason: stoppedReasons.secretAccessDenied(principal, resourceArn, explicit, requestId(account)),
    };
  }
  if (!secret) return { ok: false, reason: stoppedReasons.secretNotFound() };
  if (secret.deletedAt !== undefined)
    return { ok: false, reason: stoppedReasons.secretMarkedForDeletion(requestId(account)) };

  if (secret.kmsKeyId && !/alias\/aws\/secretsmanager$/.test(secret.kmsKeyId)) {
    const key = account.findKmsKey(secret.kmsKeyId);
    if (!key) return { ok: false, reason: stoppedReasons.kmsAccessDenied(requestId(account)) };
    if (!key.enabled)
      return { ok: false, reason: stoppedReasons.kmsKeyDisabled(key.arn, requestId(account)) };
    const allowed = key.keyPolicyAllows
      ? key.keyPolicyAllows.includes(role!.arn) ||
        (key.keyPolicyAllows.includes(`arn:aws:iam::${account.id}:root`) &&
          account.evaluateRole(role!, "kms:Decrypt", key.arn).decision === "allowed")
      : account.evaluateRole(role!, "kms:Decrypt", key.arn).decision === "allowed";
    if (!allowed) return { ok: false, reason: stoppedReasons.kmsAccessDenied(requestId(account)) };
  }

  const stage = ref.versionStage ?? "AWSCURRENT";
  const version = ref.versionId
    ? secret.versions.find((v) => v.versionId === ref.versionId)
    : secret.versions.find((v) => v.stages.includes(stage));
  if (!version || version.secretString === undefined)
    return { ok: false, reason: stoppedReasons.secretValueNotFound(stage) };
  secret.lastAccessedAt = account.now();

  if (ref.jsonKey === undefined) return { ok: true, value: version.secretString };
  let parsed: unknown;
  try {
    parsed = JSON.parse(version.secretString);
  } catch {
    return { ok: false, reason: stoppedReasons.secretNotJson(secret.arn) };
  }
  const obj =
    parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  const v = obj[ref.jsonKey];
  if (v === undefined) return { ok: false, reason: stoppedReasons.secretMissingJsonKey(ref.jsonKey) };
  return { ok: true, value: typeof v === "string" ? v : JSON.stringify(v) };
}

function secretArnFor(account: Account, name: string): string {
  return `arn:aws:secretsmanager:${account.region}:${account.id}:secret:${name}`;
}
