// applyPlan against the sandbox with the real SDK clients: the merge loses no key, a concurrent
// change between preview and apply is refused, read-only changes nothing, a retried write makes
// no second version, and the audit log has one line per action with mode 0600 and no values.

import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { afterEach, describe, expect, it } from "vitest";
import { describeService } from "../../source/aws/ecs.js";
import { writeSecret } from "../../source/aws/secret-writer.js";
import { applyPlan, ReadOnlyError } from "../../source/flow/apply.js";
import { AuditLog } from "../../source/flow/audit.js";
import { planFor, prepareFix } from "../../source/flow/fix-prepare.js";
import { watchDeployment } from "../../source/flow/watch.js";
import { clockSleep, diagnose, type Env, scenario, worldSecretValues } from "./helpers.js";

let env: Env | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

function sm(e: Env) {
  return new SecretsManagerClient({
    endpoint: e.sb.url,
    region: e.sb.account.region,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
}
async function value(e: Env, id: string): Promise<Record<string, unknown>> {
  const c = sm(e);
  try {
    const v = await c.send(new GetSecretValueCommand({ SecretId: id }));
    return JSON.parse(v.SecretString ?? "{}");
  } finally {
    c.destroy();
  }
}
async function versions(e: Env, id: string): Promise<string[]> {
  const c = sm(e);
  try {
    const d = await c.send(new DescribeSecretCommand({ SecretId: id }));
    return Object.keys(d.VersionIdsToStages ?? {}).sort();
  } finally {
    c.destroy();
  }
}

describe("updating a secret", () => {
  it("loses no key: keys the fix does not set keep their values (db-secret-incomplete)", async () => {
    env = await scenario("db-secret-incomplete");
    const c = sm(env);
    const before = await value(env, "afu9/database");
    // A key the runbook does not know: the runbook's update-secret would drop it.
    await c.send(
      new PutSecretValueCommand({
        SecretId: "afu9/database",
        SecretString: JSON.stringify({ ...before, sslmode: "require-full" }),
      }),
    );
    c.destroy();
    const { ctx } = await diagnose(env);
    expect(ctx.verdict?.fix).toBe("database-secret");
    const prep = await prepareFix(env.clients, "database-secret", ctx);
    const plan = planFor(prep);
    expect(plan.diffs[0]).toMatchObject({ added: ["port"], changed: [] });
    const r = await applyPlan(env.clients, plan, { target: env.target, readOnly: false });
    expect(r.ok).toBe(true);
    const after = await value(env, "afu9/database");
    expect(after).toEqual({ ...before, sslmode: "require-full", port: "5432" });
    expect(r.results[0]!.previousVersionId).toBeTruthy();
    expect(r.results[0]!.rollback).toContain(`--move-to-version-id ${r.results[0]!.previousVersionId}`);
    // and the deployment it started gets ready
    const w = await watchDeployment(env.clients, {
      target: env.target,
      deploymentId: r.deploymentId!,
      timeoutMs: 1_800_000,
      sleep: clockSleep(env),
      now: () => env!.clock.now(),
    });
    expect(w.outcome).toBe("ready");
  });

  it("refuses when the secret changed between preview and apply, and writes nothing", async () => {
    env = await scenario("db-credentials-wrong");
    const { ctx } = await diagnose(env);
    const prep = await prepareFix(env.clients, "sync-db-credentials", ctx);
    const plan = planFor(prep); // the preview
    const c = sm(env);
    const other = { ...(await value(env, "afu9/database")), note: "someone else" };
    await c.send(
      new PutSecretValueCommand({ SecretId: "afu9/database", SecretString: JSON.stringify(other) }),
    );
    c.destroy();
    const vBefore = await versions(env, "afu9/database");
    const deploymentsBefore = (
      await describeService(env.clients, env.target.cluster, env.target.service)
    ).deployments.map((d) => d.id);
    const dir = mkdtempSync(join(tmpdir(), "afu9-audit-"));
    const audit = new AuditLog(join(dir, "audit.log"));
    const r = await applyPlan(env.clients, plan, { target: env.target, readOnly: false, audit });
    expect(r.ok).toBe(false);
    expect(r.conflict).toBe(true);
    expect(r.results[0]!.detail).toMatch(/changed since the preview/);
    expect(r.deploymentId).toBeUndefined();
    expect(await value(env, "afu9/database")).toEqual(other);
    expect(await versions(env, "afu9/database")).toEqual(vBefore);
    const after = (
      await describeService(env.clients, env.target.cluster, env.target.service)
    ).deployments.map((d) => d.id);
    expect(after).toEqual(deploymentsBefore);
    const lines = readFileSync(join(dir, "audit.log"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      expect.objectContaining({ action: "write-secret", result: "refused", fix: "sync-db-credentials" }),
    ]);
  });

  it("a retry with the same ClientRequestToken makes no second version", async () => {
    env = await scenario("db-credentials-wrong");
    const { ctx } = await diagnose(env);
    const prep = await prepareFix(env.clients, "sync-db-credentials", ctx);
    const snap = { ...prep.current!, json: undefined };
    const text = JSON.stringify({ ...prep.current!.json, password: prep.master!.json!.password });
    const a = await writeSecret(env.clients, snap, text, "retry-token-0000000000000000000000001");
    const n = (await versions(env, "afu9/database")).length;
    const b = await writeSecret(env.clients, snap, text, "retry-token-0000000000000000000000001");
    expect(b.versionId).toBe(a.versionId);
    expect((await versions(env, "afu9/database")).length).toBe(n);
  });
});

describe("read-only", () => {
  it("applyPlan refuses before any call and changes nothing", async () => {
    env = await scenario("db-credentials-wrong");
    const { ctx } = await diagnose(env);
    const prep = await prepareFix(env.clients, "sync-db-credentials", ctx);
    const plan = planFor(prep);
    const before = await value(env, "afu9/database");
    const vBefore = await versions(env, "afu9/database");
    const deps = (await describeService(env.clients, env.target.cluster, env.target.service)).deployments
      .length;
    const calls = env.clients.counter.total;
    await expect(applyPlan(env.clients, plan, { target: env.target, readOnly: true })).rejects.toBeInstanceOf(
      ReadOnlyError,
    );
    expect(env.clients.counter.total).toBe(calls);
    expect(await value(env, "afu9/database")).toEqual(before);
    expect(await versions(env, "afu9/database")).toEqual(vBefore);
    expect(
      (await describeService(env.clients, env.target.cluster, env.target.service)).deployments.length,
    ).toBe(deps);
    // the sealed value is dropped even so
    const w = plan.actions[0]!;
    expect(w.kind === "write-secret" && w.value?.dropped).toBe(true);
  });
});

describe("audit log", () => {
  it("one JSON line per action, mode 0600, names and ids only", async () => {
    env = await scenario("db-secret-missing");
    const { ctx } = await diagnose(env);
    const prep = await prepareFix(env.clients, "database-secret", ctx);
    const plan = planFor(prep);
    const dir = mkdtempSync(join(tmpdir(), "afu9-audit-"));
    const path = join(dir, "state", "afu9-tui", "audit.log");
    const r = await applyPlan(env.clients, plan, {
      target: env.target,
      readOnly: false,
      audit: new AuditLog(path),
    });
    expect(r.ok).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, "utf8");
    const lines = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.action, l.result])).toEqual([
      ["write-secret", "ok"],
      ["force-new-deployment", "ok"],
    ]);
    expect(lines[0]).toMatchObject({
      resource: expect.stringContaining("afu9/database"),
      keys: ["database", "host", "password", "port", "username"],
    });
    expect(lines[1]).toMatchObject({ deploymentId: r.deploymentId });
    for (const v of worldSecretValues(env.world)) expect(text.includes(v)).toBe(false);
  });
});
