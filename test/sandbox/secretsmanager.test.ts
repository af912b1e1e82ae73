import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  UpdateSecretCommand,
} from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aws, baseWorld, creds, hasCli, region, sh, start, T0 } from "./fixture.js";

type SB = Awaited<ReturnType<typeof start>>;
const DAY = 86_400_000;

async function err(
  p: Promise<unknown>,
): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (e) {
    return e as { name: string; message: string; $metadata: { httpStatusCode?: number } };
  }
  throw new Error("expected the call to fail");
}

describe("Secrets Manager over JSON 1.1", () => {
  let sb: SB;
  let sm: SecretsManagerClient;
  beforeAll(async () => {
    sb = await start(baseWorld());
    sm = new SecretsManagerClient({ endpoint: sb.url, region, credentials: creds, maxAttempts: 1 });
  });
  afterAll(async () => {
    sm.destroy();
    await sb.close();
  });

  it("describes a secret: ARN with suffix, dates, LastAccessedDate rounded to the day, stages", async () => {
    const d = await sm.send(new DescribeSecretCommand({ SecretId: "afu9/github" }));
    expect(d.Name).toBe("afu9/github");
    expect(d.ARN).toMatch(
      /^arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9\/github-[A-Za-z0-9]{6}$/,
    );
    expect(d.LastChangedDate).toBeInstanceOf(Date);
    // accessed at 23:00 the day before T0 (02:00) → reported as that day's midnight
    expect(d.LastAccessedDate!.toISOString()).toBe(
      new Date(Math.floor((T0 - 3 * 3600_000) / DAY) * DAY).toISOString(),
    );
    expect(Object.values(d.VersionIdsToStages!)).toEqual([["AWSCURRENT"]]);
    const llm = await sm.send(new DescribeSecretCommand({ SecretId: "afu9/llm" }));
    expect(llm.Description).toBe("LLM keys");
    expect(llm.Tags).toEqual([{ Key: "team", Value: "afu9" }]);
    const old = await sm.send(new DescribeSecretCommand({ SecretId: "afu9/old" }));
    expect(old.DeletedDate).toBeInstanceOf(Date);
  });

  it("gets a value by name, full ARN and partial ARN, and records the access", async () => {
    const d = await sm.send(new DescribeSecretCommand({ SecretId: "afu9/github" }));
    const byName = await sm.send(new GetSecretValueCommand({ SecretId: "afu9/github" }));
    expect(Object.keys(JSON.parse(byName.SecretString!)).sort()).toEqual(["owner", "repo", "token"]);
    expect(byName.VersionStages).toEqual(["AWSCURRENT"]);
    const byArn = await sm.send(new GetSecretValueCommand({ SecretId: d.ARN }));
    expect(byArn.VersionId).toBe(byName.VersionId);
    const partial = d.ARN!.slice(0, -7);
    const byPartial = await sm.send(new GetSecretValueCommand({ SecretId: partial }));
    expect(byPartial.ARN).toBe(d.ARN);
    const after = await sm.send(new DescribeSecretCommand({ SecretId: "afu9/github" }));
    expect(after.LastAccessedDate!.getTime()).toBe(Math.floor(T0 / DAY) * DAY);
  });

  it("answers missing, deleted and KMS-disabled secrets with AWS's errors", async () => {
    const missing = await err(sm.send(new GetSecretValueCommand({ SecretId: "afu9/database" })));
    expect(missing.name).toBe("ResourceNotFoundException");
    expect(missing.message).toBe("Secrets Manager can't find the specified secret.");
    expect(missing.$metadata.httpStatusCode).toBe(400);
    const dmissing = await err(sm.send(new DescribeSecretCommand({ SecretId: "afu9/database" })));
    expect(dmissing.name).toBe("ResourceNotFoundException");
    const deleted = await err(sm.send(new GetSecretValueCommand({ SecretId: "afu9/old" })));
    expect(deleted.name).toBe("InvalidRequestException");
    expect(deleted.message).toBe(
      "You can't perform this operation on the secret because it was marked for deletion.",
    );
    const kms = await err(sm.send(new GetSecretValueCommand({ SecretId: "afu9/locked" })));
    expect(kms.name).toBe("DecryptionFailure");
    expect(kms.message).toContain(
      "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
    );
    const stage = await err(
      sm.send(new GetSecretValueCommand({ SecretId: "afu9/github", VersionStage: "AWSPENDING" })),
    );
    expect(stage.name).toBe("ResourceNotFoundException");
    expect(stage.message).toContain("staging label: AWSPENDING");
  });

  it("restores a secret scheduled for deletion", async () => {
    await sm.send(new RestoreSecretCommand({ SecretId: "afu9/old" }));
    const v = await sm.send(new GetSecretValueCommand({ SecretId: "afu9/old" }));
    expect(v.Name).toBe("afu9/old");
  });

  it("creates a secret, idempotently per ClientRequestToken", async () => {
    const token = "11111111-2222-4333-8444-555555555555";
    const value = JSON.stringify({
      host: "db",
      port: "5432",
      database: "afu9",
      username: "u",
      password: "p",
    });
    const a = await sm.send(
      new CreateSecretCommand({ Name: "afu9/database", SecretString: value, ClientRequestToken: token }),
    );
    expect(a.VersionId).toBe(token);
    expect(a.ARN).toMatch(/secret:afu9\/database-[A-Za-z0-9]{6}$/);
    const again = await sm.send(
      new CreateSecretCommand({ Name: "afu9/database", SecretString: value, ClientRequestToken: token }),
    );
    expect(again).toMatchObject({ ARN: a.ARN, Name: "afu9/database", VersionId: token });
    const clash = await err(
      sm.send(
        new CreateSecretCommand({ Name: "afu9/database", SecretString: "{}", ClientRequestToken: token }),
      ),
    );
    expect(clash.name).toBe("ResourceExistsException");
    const exists = await err(
      sm.send(new CreateSecretCommand({ Name: "afu9/database", SecretString: value })),
    );
    expect(exists.name).toBe("ResourceExistsException");
    expect(exists.message).toBe("The operation failed because the secret afu9/database already exists.");
    const got = await sm.send(new GetSecretValueCommand({ SecretId: "afu9/database" }));
    expect(Object.keys(JSON.parse(got.SecretString!)).sort()).toEqual([
      "database",
      "host",
      "password",
      "port",
      "username",
    ]);
  });

  it("moves stages on PutSecretValue and UpdateSecret: AWSCURRENT → AWSPREVIOUS", async () => {
    const first = await sm.send(new GetSecretValueCommand({ SecretId: "afu9/llm" }));
    const put = await sm.send(
      new PutSecretValueCommand({ SecretId: "afu9/llm", SecretString: '{"openai_api_key":"v2"}' }),
    );
    expect(put.VersionStages).toEqual(["AWSCURRENT"]);
    const prev = await sm.send(
      new GetSecretValueCommand({ SecretId: "afu9/llm", VersionStage: "AWSPREVIOUS" }),
    );
    expect(prev.VersionId).toBe(first.VersionId);
    const retry = await sm.send(
      new PutSecretValueCommand({
        SecretId: "afu9/llm",
        SecretString: '{"openai_api_key":"v2"}',
        ClientRequestToken: put.VersionId,
      }),
    );
    expect(retry.VersionId).toBe(put.VersionId);
    const reuse = await err(
      sm.send(
        new PutSecretValueCommand({
          SecretId: "afu9/llm",
          SecretString: "other",
          ClientRequestToken: put.VersionId,
        }),
      ),
    );
    expect(reuse.name).toBe("ResourceExistsException");
    const upd = await sm.send(
      new UpdateSecretCommand({
        SecretId: "afu9/llm",
        SecretString: '{"openai_api_key":"v3"}',
        Description: "new",
      }),
    );
    const d = await sm.send(new DescribeSecretCommand({ SecretId: "afu9/llm" }));
    expect(d.Description).toBe("new");
    expect(d.VersionIdsToStages).toEqual({
      [put.VersionId!]: ["AWSPREVIOUS"],
      [upd.VersionId!]: ["AWSCURRENT"],
    });
    const descOnly = await sm.send(new UpdateSecretCommand({ SecretId: "afu9/llm", Description: "again" }));
    expect(descOnly.VersionId).toBeUndefined();
  });

  it("lists secrets with a name filter and MaxResults/NextToken paging", async () => {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await sm.send(new ListSecretsCommand({ MaxResults: 2, NextToken: token }));
      names.push(...r.SecretList!.map((s) => s.Name!));
      token = r.NextToken;
      pages++;
    } while (token);
    expect(pages).toBeGreaterThan(1);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain("afu9/github");
    const f = await sm.send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: ["afu9/gi"] }] }));
    expect(f.SecretList!.map((s) => s.Name)).toEqual(["afu9/github"]);
  });

  it.skipIf(!hasCli)(
    "serves the runbook's get-secret-value | jq 'keys' and describe-secret --output table",
    async () => {
      const r = await sh(
        sb,
        '/usr/bin/aws secretsmanager get-secret-value --secret-id afu9/github --endpoint-url "$SANDBOX_URL" --query SecretString --output text | jq -c keys',
      );
      expect(r.stderr).toBe("");
      expect(r.stdout.trim()).toBe('["owner","repo","token"]');
      const t = await aws(sb, [
        "secretsmanager",
        "describe-secret",
        "--secret-id",
        "afu9/github",
        "--query",
        "{Name:Name,ARN:ARN,LastAccessedDate:LastAccessedDate}",
        "--output",
        "table",
      ]);
      expect(t.status).toBe(0);
      expect(t.stdout).toContain("afu9/github");
      expect(t.stdout).toMatch(/LastAccessedDate.*\n?.*20\d\d-/s);
      const missing = await aws(sb, ["secretsmanager", "describe-secret", "--secret-id", "nope"]);
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toMatch(
        /\(ResourceNotFoundException\).*Secrets Manager can't find the specified secret\./,
      );
    },
  );

  it.skipIf(!hasCli)("takes the runbook's create-secret and update-secret from the CLI", async () => {
    const value = '{"token":"t","owner":"adaefler-art","repo":"codefactory-control"}';
    const c = await aws(sb, [
      "secretsmanager",
      "create-secret",
      "--name",
      "afu9/cli",
      "--secret-string",
      value,
    ]);
    expect(c.stderr).toBe("");
    expect(JSON.parse(c.stdout)).toMatchObject({ Name: "afu9/cli" });
    const again = await aws(sb, [
      "secretsmanager",
      "create-secret",
      "--name",
      "afu9/cli",
      "--secret-string",
      value,
    ]);
    expect(again.stderr).toMatch(
      /\(ResourceExistsException\).*The operation failed because the secret afu9\/cli already exists\./,
    );
    const u = await aws(sb, [
      "secretsmanager",
      "update-secret",
      "--secret-id",
      "afu9/cli",
      "--secret-string",
      '{"token":"t2"}',
    ]);
    expect(u.status).toBe(0);
    const v = await sm.send(new GetSecretValueCommand({ SecretId: "afu9/cli" }));
    expect(Object.keys(JSON.parse(v.SecretString!))).toEqual(["token"]);
    const prev = await sm.send(
      new GetSecretValueCommand({ SecretId: "afu9/cli", VersionStage: "AWSPREVIOUS" }),
    );
    expect(prev.VersionId).toBe(JSON.parse(c.stdout).VersionId);
  });
});
