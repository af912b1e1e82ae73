// The built bin: `node bin/afu9-tui.js fix ... --sandbox ID --yes` with values from standard input
// and from the environment; `watch`. Exit codes, and no secret value in stdout, stderr or the audit log.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadScenario } from "../../source/sandbox/scenarios/index.js";
import { worldSecretValues } from "./helpers.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "afu9-bin-"));
const auditLog = join(dir, "audit.log");

beforeAll(() => {
  execFileSync("npm", ["run", "build"], { cwd: root, stdio: "ignore", timeout: 120_000 });
}, 130_000);

function bin(
  args: string[],
  env: Record<string, string> = {},
  input = "",
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "bin", "afu9-tui.js"), ...args], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        AFU9_AUDIT_LOG: auditLog,
        AFU9_WATCH_INTERVAL_MS: "200",
        ...env,
      },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
    child.stdin.end(input);
  });
}

const TOKEN = "ghp_FromStdinToken00000000000000000042";
const OWNER = "stdin-owner-value";
const REPO = "env-repo-value-77";

describe("afu9-tui fix through the built bin", () => {
  it("github-secret-missing: values on stdin (JSON) and in the environment; watched to ready; nothing leaks", async () => {
    const r = await bin(
      ["fix", "github-secret", "--sandbox", "github-secret-missing", "--yes", "--speed", "200"],
      { AFU9_SECRET_REPO: REPO },
      JSON.stringify({ token: TOKEN, owner: OWNER }),
    );
    expect(r.out).toContain("+ added:     token, owner, repo");
    expect(r.out).toContain("READY:");
    expect(r.code).toBe(0);
    const audit = readFileSync(auditLog, "utf8");
    const all = r.out + r.err + audit;
    for (const v of [TOKEN, OWNER, REPO, ...worldSecretValues(loadScenario("github-secret-missing"))])
      expect(all.includes(v)).toBe(false);
  });

  it("llm-secret-missing: KEY=VALUE lines on stdin", async () => {
    const keys = [
      "sk-StdinOpenAiKey-000000000001",
      "sk-ant-StdinAnthropic-0000002",
      "StdinDeepseekKey-000003",
    ];
    const r = await bin(
      ["fix", "llm-secret", "--sandbox", "llm-secret-missing", "--yes", "--speed", "200"],
      {},
      `openai_api_key=${keys[0]}\nanthropic_api_key=${keys[1]}\n# comment\ndeepseek_api_key=${keys[2]}\n`,
    );
    expect(r.out).toContain("+ added:     openai_api_key, anthropic_api_key, deepseek_api_key");
    expect(r.out).toContain("READY:");
    expect(r.code).toBe(0);
    const all = r.out + r.err + readFileSync(auditLog, "utf8");
    for (const v of [...keys, ...worldSecretValues(loadScenario("llm-secret-missing"))])
      expect(all.includes(v)).toBe(false);
  });

  it("a wrong fix exits 1 and says rolled back", async () => {
    const r = await bin(["fix", "redeploy", "--sandbox", "db-credentials-wrong", "--yes", "--speed", "300"]);
    expect(r.out).toContain("FAILED, ROLLED BACK");
    expect(r.code).toBe(1);
  });

  it("--read-only exits 2 and says nothing was changed", async () => {
    const r = await bin(["fix", "sync-db-credentials", "--sandbox", "db-credentials-wrong", "--read-only"]);
    expect(r.err).toContain("read-only mode");
    expect(r.code).toBe(2);
  });

  it("watch after a rollback exits 1", async () => {
    const r = await bin(["watch", "--sandbox", "db-credentials-wrong", "--speed", "200"]);
    expect(r.out).toContain("FAILED, ROLLED BACK");
    expect(r.code).toBe(1);
  });
});
