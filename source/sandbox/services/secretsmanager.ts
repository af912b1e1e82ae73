// Secrets Manager (JSON 1.1): DescribeSecret, GetSecretValue, ListSecrets, CreateSecret,
// PutSecretValue, UpdateSecret, RestoreSecret, DeleteSecret. Versions and staging labels move
// as AWS moves them; ClientRequestToken makes writes idempotent (the token is the VersionId).

import { type Account, AwsError, arnSuffixFor, type Secret, type SecretVersion } from "../account.js";
import type { Input, ServiceModule } from "../protocol.js";
import { page } from "./paging.js";

const NOT_FOUND = "Secrets Manager can't find the specified secret.";
const MARKED_FOR_DELETION =
  "You can't perform this operation on the secret because it was marked for deletion.";
const DAY = 86_400_000;

const notFound = () => new AwsError("ResourceNotFoundException", NOT_FOUND);
const invalidParam = (m: string) => new AwsError("InvalidParameterException", m);

function requireString(input: Input, name: string): string {
  const v = input[name];
  if (typeof v !== "string" || v === "") {
    throw new AwsError(
      "ValidationException",
      `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return v;
}

export function findSecretOrThrow(account: Account, id: string): Secret {
  const s = account.findSecret(id);
  if (!s) throw notFound();
  return s;
}

function notDeleted(s: Secret): void {
  if (s.deletedAt !== undefined) throw new AwsError("InvalidRequestException", MARKED_FOR_DELETION);
}

/** AWS reports LastAccessedDate to the day (midnight UTC). */
export function roundToDay(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

export function versionIdsToStages(s: Secret): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const v of s.versions) if (v.stages.length > 0) out[v.versionId] = [...v.stages];
  return out;
}

/** Picks the version GetSecretValue means: VersionId and/or VersionStage, default AWSCURRENT. */
export function selectVersion(s: Secret, versionId?: string, stage?: string): SecretVersion {
  if (versionId !== undefined) {
    const v = s.versions.find((x) => x.versionId === versionId);
    if (!v || (stage !== undefined && !v.stages.includes(stage))) {
      throw new AwsError(
        "ResourceNotFoundException",
        stage !== undefined && v
          ? `Secrets Manager can't find the specified secret value for VersionId: ${versionId} and staging label: ${stage}`
          : `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
      );
    }
    return v;
  }
  const label = stage ?? "AWSCURRENT";
  const v = s.versions.find((x) => x.stages.includes(label));
  if (!v)
    throw new AwsError(
      "ResourceNotFoundException",
      `Secrets Manager can't find the specified secret value for staging label: ${label}`,
    );
  return v;
}

/**
 * Adds a version (or returns the existing one for a retried token) and moves staging labels:
 * every label in `stages` leaves the version that had it; when AWSCURRENT moves, the old
 * current version becomes AWSPREVIOUS. Returns the version and whether it is new.
 */
export function addVersion(
  account: Account,
  s: Secret,
  value: string,
  token: string | undefined,
  stages: string[] = ["AWSCURRENT"],
): { version: SecretVersion; created: boolean } {
  if (token !== undefined) {
    const existing = s.versions.find((v) => v.versionId === token || v.token === token);
    if (existing) {
      if (existing.secretString === value) return { version: existing, created: false };
      throw new AwsError(
        "ResourceExistsException",
        "You can't modify an existing version, you can only create a new version.",
      );
    }
  }
  const now = account.now();
  const version: SecretVersion = {
    versionId: token ?? account.rng.uuid(),
    secretString: value,
    stages: [],
    createdAt: now,
    token,
  };
  for (const label of stages) {
    const holder = s.versions.find((v) => v.stages.includes(label));
    if (holder) {
      holder.stages = holder.stages.filter((x) => x !== label);
      if (label === "AWSCURRENT") {
        for (const v of s.versions) v.stages = v.stages.filter((x) => x !== "AWSPREVIOUS");
        holder.stages.push("AWSPREVIOUS");
      }
    }
    version.stages.push(label);
  }
  s.versions.push(version);
  s.lastChangedAt = now;
  return { version, created: true };
}

function checkKms(account: Account, s: Secret): void {
  if (!s.kmsKeyId) return;
  const key = account.findKmsKey(s.kmsKeyId);
  if (key && !key.enabled) {
    throw new AwsError(
      "DecryptionFailure",
      `Secrets Manager can't decrypt the protected secret text using the provided KMS key. (KMS: ${key.arn} is disabled.)`,
    );
  }
}

function checkKmsKeyId(account: Account, kmsKeyId: unknown): string | undefined {
  if (kmsKeyId === undefined || kmsKeyId === "") return undefined;
  if (typeof kmsKeyId !== "string") throw invalidParam("Invalid KmsKeyId.");
  const key = account.findKmsKey(kmsKeyId);
  if (!key) throw new AwsError("InvalidRequestException", "The KMS key specified in the request is invalid.");
  if (!key.enabled) throw new AwsError("EncryptionFailure", `${key.arn} is disabled.`);
  return kmsKeyId;
}

function tagsOut(s: Secret) {
  const tags = Object.entries(s.tags).map(([Key, Value]) => ({ Key, Value }));
  return tags.length > 0 ? tags : undefined;
}

function describe(s: Secret) {
  return {
    ARN: s.arn,
    Name: s.name,
    Description: s.description,
    KmsKeyId: s.kmsKeyId,
    RotationEnabled: false,
    LastChangedDate: new Date(s.lastChangedAt),
    LastAccessedDate: s.lastAccessedAt !== undefined ? new Date(roundToDay(s.lastAccessedAt)) : undefined,
    DeletedDate: s.deletedAt !== undefined ? new Date(s.deletedAt) : undefined,
    Tags: tagsOut(s),
    VersionIdsToStages: versionIdsToStages(s),
    CreatedDate: new Date(s.createdAt),
  };
}

function secretValue(input: Input): string | undefined {
  if (input.SecretBinary !== undefined) {
    throw invalidParam("SecretBinary is not supported by the sandbox; use SecretString.");
  }
  const v = input.SecretString;
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw invalidParam("SecretString must be a string.");
  return v;
}

function optString(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** ListSecrets Filters: name, description, tag-key, tag-value, all; prefix matches, "!" negates. */
function filterMatches(s: Secret, filters: { Key?: string; Values?: string[] }[]): boolean {
  for (const f of filters) {
    const values = f.Values ?? [];
    const fields: string[] =
      f.Key === "name"
        ? [s.name]
        : f.Key === "description"
          ? [s.description ?? ""]
          : f.Key === "tag-key"
            ? Object.keys(s.tags)
            : f.Key === "tag-value"
              ? Object.values(s.tags)
              : f.Key === "all"
                ? [s.name, s.description ?? "", ...Object.keys(s.tags), ...Object.values(s.tags)]
                : (() => {
                    throw invalidParam(`Invalid filter key: ${f.Key}`);
                  })();
    const positive = values.filter((v) => !v.startsWith("!"));
    const negative = values.filter((v) => v.startsWith("!")).map((v) => v.slice(1));
    const ci = f.Key === "all";
    const pre = (field: string, v: string) =>
      ci ? field.toLowerCase().startsWith(v.toLowerCase()) : field.startsWith(v);
    if (positive.length > 0 && !positive.some((v) => fields.some((x) => pre(x, v)))) return false;
    if (negative.some((v) => fields.some((x) => pre(x, v)))) return false;
  }
  return true;
}

export function createSecretsManager(): ServiceModule {
  return {
    service: "secretsmanager",
    ops: {
      DescribeSecret(input: Input, { account }) {
        return describe(findSecretOrThrow(account, requireString(input, "SecretId")));
      },

      GetSecretValue(input: Input, { account }) {
        const s = findSecretOrThrow(account, requireString(input, "SecretId"));
        notDeleted(s);
        const v = selectVersion(s, optString(input.VersionId), optString(input.VersionStage));
        checkKms(account, s);
        s.lastAccessedAt = account.now();
        return {
          ARN: s.arn,
          Name: s.name,
          VersionId: v.versionId,
          SecretString: v.secretString,
          VersionStages: [...v.stages],
          CreatedDate: new Date(v.createdAt),
        };
      },

      ListSecrets(input: Input, { account }) {
        const max = typeof input.MaxResults === "number" ? input.MaxResults : 100;
        if (max < 1 || max > 100) throw invalidParam("MaxResults must be between 1 and 100.");
        const filters = Array.isArray(input.Filters)
          ? (input.Filters as { Key?: string; Values?: string[] }[])
          : [];
        const includeDeleted = input.IncludePlannedDeletion === true;
        let all = account.secrets.filter(
          (s) => (includeDeleted || s.deletedAt === undefined) && filterMatches(s, filters),
        );
        if (input.SortOrder === "desc") all = [...all].reverse();
        const p = page(all, max, optString(input.NextToken), {
          code: "InvalidNextTokenException",
          message: "The NextToken value is invalid.",
        });
        return {
          SecretList: p.items.map((s) => {
            const d = describe(s);
            const { VersionIdsToStages, ...rest } = d;
            return { ...rest, SecretVersionsToStages: VersionIdsToStages };
          }),
          NextToken: p.next,
        };
      },

      CreateSecret(input: Input, { account }) {
        const name = requireString(input, "Name");
        const value = secretValue(input);
        const token = optString(input.ClientRequestToken);
        const existing = account.secrets.find((s) => s.name === name);
        if (existing) {
          if (existing.deletedAt !== undefined) {
            throw new AwsError(
              "InvalidRequestException",
              "You can't create this secret because a secret with this name is already scheduled for deletion.",
            );
          }
          const retried =
            token !== undefined
              ? existing.versions.find((v) => v.token === token || v.versionId === token)
              : undefined;
          if (retried && retried.secretString === value) {
            return { ARN: existing.arn, Name: existing.name, VersionId: retried.versionId };
          }
          throw new AwsError(
            "ResourceExistsException",
            `The operation failed because the secret ${name} already exists.`,
          );
        }
        const kmsKeyId = checkKmsKeyId(account, input.KmsKeyId);
        const now = account.now();
        const tags: Record<string, string> = {};
        if (Array.isArray(input.Tags))
          for (const t of input.Tags as { Key: string; Value: string }[]) tags[t.Key] = t.Value;
        const s: Secret = {
          name,
          arn: `arn:aws:secretsmanager:${account.region}:${account.id}:secret:${name}-${arnSuffixFor(name)}`,
          description: optString(input.Description),
          kmsKeyId,
          createdAt: now,
          lastChangedAt: now,
          tags,
          versions: [],
        };
        account.secrets.push(s);
        if (value === undefined) return { ARN: s.arn, Name: s.name };
        const { version } = addVersion(account, s, value, token);
        return { ARN: s.arn, Name: s.name, VersionId: version.versionId };
      },

      PutSecretValue(input: Input, { account }) {
        const s = findSecretOrThrow(account, requireString(input, "SecretId"));
        notDeleted(s);
        const value = secretValue(input);
        if (value === undefined) throw invalidParam("You must provide either SecretString or SecretBinary.");
        const stages = Array.isArray(input.VersionStages) ? (input.VersionStages as string[]) : undefined;
        const { version } = addVersion(account, s, value, optString(input.ClientRequestToken), stages);
        return { ARN: s.arn, Name: s.name, VersionId: version.versionId, VersionStages: [...version.stages] };
      },

      UpdateSecret(input: Input, { account }) {
        const s = findSecretOrThrow(account, requireString(input, "SecretId"));
        notDeleted(s);
        const value = secretValue(input);
        if (input.KmsKeyId !== undefined) s.kmsKeyId = checkKmsKeyId(account, input.KmsKeyId);
        if (input.Description !== undefined) s.description = optString(input.Description);
        if (value === undefined) {
          s.lastChangedAt = account.now();
          return { ARN: s.arn, Name: s.name };
        }
        const { version } = addVersion(account, s, value, optString(input.ClientRequestToken));
        return { ARN: s.arn, Name: s.name, VersionId: version.versionId };
      },

      RestoreSecret(input: Input, { account }) {
        const s = findSecretOrThrow(account, requireString(input, "SecretId"));
        s.deletedAt = undefined;
        s.lastChangedAt = account.now();
        return { ARN: s.arn, Name: s.name };
      },

      DeleteSecret(input: Input, { account }) {
        const s = findSecretOrThrow(account, requireString(input, "SecretId"));
        const force = input.ForceDeleteWithoutRecovery === true;
        const days = typeof input.RecoveryWindowInDays === "number" ? input.RecoveryWindowInDays : 30;
        if (force && input.RecoveryWindowInDays !== undefined) {
          throw invalidParam(
            "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
          );
        }
        if (!force && (days < 7 || days > 30)) {
          throw invalidParam("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }
        const now = account.now();
        if (force) {
          account.secrets.splice(account.secrets.indexOf(s), 1);
          return { ARN: s.arn, Name: s.name, DeletionDate: new Date(now) };
        }
        if (s.deletedAt === undefined) s.deletedAt = now;
        return { ARN: s.arn, Name: s.name, DeletionDate: new Date(s.deletedAt + days * DAY) };
      },
    },
  };
}
