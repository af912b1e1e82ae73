// `afu9-tui fix` in process, against the in-process sandbox (real SDK clients over HTTP): for
// each of the runbook's four scenarios the recommended fix reaches COMPLETED and a ready
// /api/ready; a wrong fix is watched to the rollback and reported as that; read-only changes
// nothing; and no secret value of the world reaches stdout, stderr or the audit log.
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseArgs } from "../../source/cli/args.js";
import { fixCommand } from "../../source/cli/fix-command.js";
import { watchCommand } from "../../source/cli/watch-command.js";
import { loadScenario } from "../../source/sandbox/scenarios/index.js";
import { worldSecretValues } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "afu9-fix-"));
const auditLog = join(dir, "audit.log");
const emptyDir = mkdtempSync(join(tmpdir(), "afu9-nocdk-"));
const FAKE_CDK = join(import.meta.dirname, "fake-cdk.mjs");
chmodSync(FAKE_CDK, 0o755);

const captured: string[] = [];
const typed = {
  token: "ghp_TypedInTestToken000000000000000001",
  owner: "typed-owner-name",
  repo: "typed-repo-name",
};

function sink() {
  let text = "";
  return {
    stream: {
      write: (s: string) => {
        text += s;
        return true;
      },
    } as unknown as NodeJS.WritableStream,
    text: () => text,
  };
}

async function run(
  argv: string[],
  env: Record<string, string | undefined> = {},
  stdinText = "",
): Promise<{ code: number; out: string; err: string }> {
  const o = sink();
  const e = sink();
  const fullEnv = { AFU9_AUDIT_LOG: auditLog, AFU9_WATCH_INTERVAL_MS: "100", ...env };
  const extra = argv[0] === "fix" ? ["--cdk-dir", env.CDK_DIR ?? emptyDir] : [];
  const opts = parseArgs([...argv, "--speed", "300", ...extra], {});
  const stdin = Readable.from([stdinText]) as unknown as NodeJS.ReadableStream & { isTTY?: boolean };
  const code =
    opts.command === "watch"
      ? await watchCommand({ ...opts }, { stdout: o.stream, stderr: e.stream, env: fullEnv })
      : await fixCommand(opts, { stdout: o.stream, stderr: e.stream, env: fullEnv, stdin });
  captured.push(o.text(), e.text());
  return { code, out: o.text(), err: e.text() };
}

describe("the runbook's four scenarios: the recommended fix, watched to ready", () => {
  for (const [sc, fix] of [
    ["db-secret-missing", "database-secret"],
    ["db-secret-incomplete", "database-secret"],
    ["db-enabled-not-needed", "disable-database"],
    ["db-credentials-wrong", "sync-db-credentials"],
  ] as const) {
    it(`${sc}: ${fix}`, async () => {
      const r = await run(["fix", fix, "--sandbox", sc, "--yes"]);
      expect(r.err).toBe("");
      expect(r.out).toContain(`(recommends ${fix})`);
      expect(r.out).toMatch(/READY: deployment ecs-svc\/\d+ COMPLETED and \/api\/ready is ready/);
      expect(r.out).toMatch(/database: (ok|not_configured)/);
      expect(r.code).toBe(0);
    });
  }

  it("db-enabled-not-needed through cdk deploy (a fake cdk in the CDK directory)", async () => {
    const cdkDir = mkdtempSync(join(tmpdir(), "afu9-cdk-"));
    writeFileSync(join(cdkDir, "cdk.json"), '{"app":"node app.js"}');
    process.env.AFU9_CDK = FAKE_CDK;
    try {
      const r = await run(["fix", "disable-database", "--sandbox", "db-enabled-not-needed", "--yes"], {
        CDK_DIR: cdkDir,
      });
      expect(r.out).toContain("npx cdk deploy Afu9EcsStack -c afu9-enable-database=false");
      expect(r.out).toContain("cdk | Afu9EcsStack | UPDATE_IN_PROGRESS | AWS::ECS::Service");
      expect(r.out).toContain("database: not_configured — Database disabled in configuration");
      expect(r.code).toBe(0);
    } finally {
      delete process.env.AFU9_CDK;
    }
  });
});

describe("a wrong fix", () => {
  it("db-credentials-wrong + redeploy: rolled back, reported as that, exit 1", async () => {
    const r = await run(["fix", "redeploy", "--sandbox", "db-credentials-wrong", "--yes"]);
    expect(r.out).toContain("The diagnosis recommends sync-db-credentials");
    expect(r.out).toMatch(
      /FAILED, ROLLED BACK: ECS deployment circuit breaker: tasks failed ELB health checks/,
    );
    expect(r.out).toContain("Back to the diagnosis with the new evidence:");
    expect(r.out).toContain("db-credentials-wrong");
    expect(r.out).not.toContain("READY:");
    expect(r.code).toBe(1);
  });

  it("db-secret-missing + redeploy: tasks fail to start, rolled back, exit 1", async () => {
    const r = await run(["fix", "redeploy", "--sandbox", "db-secret-missing", "--yes"]);
    expect(r.out).toMatch(/FAILED, ROLLED BACK: .*tasks failed to start/);
    expect(r.out).toMatch(/ResourceInitializationError/);
    expect(r.code).toBe(1);
  });
});

describe("values from the environment, never echoed", () => {
  it("github-secret-missing: AFU9_SECRET_TOKEN/OWNER/REPO create the secret", async () => {
    const r = await run(["fix", "github-secret", "--sandbox", "github-secret-missing", "--yes"], {
      AFU9_SECRET_TOKEN: typed.token,
      AFU9_SECRET_OWNER: typed.owner,
      AFU9_SECRET_REPO: typed.repo,
    });
    expect(r.out).toContain("+ added:     token, owner, repo");
    expect(r.out).toContain("READY:");
    expect(r.code).toBe(0);
  });

  it("without the values and without a terminal it refuses and changes nothing", async () => {
    const r = await run(["fix", "github-secret", "--sandbox", "github-secret-missing", "--yes"]);
    expect(r.err).toMatch(/values needed for token, owner, repo: set AFU9_SECRET_TOKEN/);
    expect(r.code).toBe(2);
  });
});

describe("read-only and dry-run", () => {
  it("--read-only prints the preview, refuses with exit 2 and writes no audit line", async () => {
    const before = existsSync(auditLog) ? readFileSync(auditLog, "utf8") : "";
    const r = await run(["fix", "sync-db-credentials", "--sandbox", "db-credentials-wrong", "--read-only"]);
    expect(r.out).toContain("~ changed:   password");
    expect(r.err).toContain("read-only mode: the fix was not applied, nothing was changed");
    expect(r.out).not.toContain("Watching deployment");
    expect(r.code).toBe(2);
    expect(existsSync(auditLog) ? readFileSync(auditLog, "utf8") : "").toBe(before);
  });

  it("--dry-run exits 0 without applying", async () => {
    const r = await run(["fix", "database-secret", "--sandbox", "db-secret-missing", "--dry-run"]);
    expect(r.out).toContain("Dry run: nothing was changed.");
    expect(r.out).toContain("aws secretsmanager create-secret --name afu9/database");
    expect(r.code).toBe(0);
  });

  it("without --yes and without a terminal it refuses before anything", async () => {
    const r = await run(["fix", "database-secret", "--sandbox", "db-secret-missing"]);
    expect(r.err).toMatch(/pass --yes/);
    expect(r.code).toBe(2);
  });
});

describe("afu9-tui watch", () => {
  it("after a circuit-breaker rollback (services-stable says success) exits 1", async () => {
    const r = await run(["watch", "--sandbox", "db-credentials-wrong"]);
    expect(r.out).toMatch(/is a rollback of ecs-svc\/\d+/);
    expect(r.out).toMatch(/FAILED, ROLLED BACK/);
    expect(r.code).toBe(1);
  });

  it("a healthy service's completed deployment with a ready /api/ready exits 0", async () => {
    const r = await run(["watch", "--sandbox", "healthy"]);
    expect(r.out).toContain("READY:");
    expect(r.code).toBe(0);
  });
});

it("no secret value of the worlds or typed reached stdout, stderr or the audit log (runs last)", () => {
  // Every secret value of every world used here, and the typed ones: none in any output or the audit log.
  const values = [
    ...[
      "db-secret-missing",
      "db-secret-incomplete",
      "db-enabled-not-needed",
      "db-credentials-wrong",
      "github-secret-missing",
    ].flatMap((s) => worldSecretValues(loadScenario(s))),
    ...Object.values(typed),
  ];
  expect(values.length).toBeGreaterThan(8);
  expect(existsSync(auditLog)).toBe(true);
  const audit = readFileSync(auditLog, "utf8");
  const all = [...captured, audit].join("\n");
  for (const v of values) expect(all.includes(v), `a secret value leaked (${v.length} chars)`).toBe(false);
});
