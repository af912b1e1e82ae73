// `afu9-tui diagnose` as a user runs it: the built bin, every shipped scenario, every format.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario, SCENARIO_IDS } from "../../source/sandbox/scenarios/index.js";
import { secretValues } from "../helpers/sandbox.js";

const BIN = new URL("../../bin/afu9-tui.js", import.meta.url).pathname;

function run(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => resolve({ code: code ?? -1, out, err }));
  });
}

describe("afu9-tui diagnose", () => {
  it.each(SCENARIO_IDS)("--sandbox %s --json names the scenario and the fix", async (id) => {
    const world = loadScenario(id);
    const r = await run(["diagnose", "--sandbox", id, "--json"]);
    expect(r.err).toBe("");
    const json = JSON.parse(r.out);
    expect(json.verdict.scenario).toBe(world.expect?.scenario);
    expect(json.verdict.fix).toBe(world.expect?.fix ?? null);
    expect(r.code).toBe(id === "healthy" ? 0 : 1);
    expect(json.steps.map((s: { section: string }) => s.section)).toEqual([
      "1",
      "2",
      "3",
      "4",
      "5",
      "5.5",
      "6",
    ]);
  });

  it("prints plain text by default and the support bundle as Markdown to a file", async () => {
    const text = await run(["diagnose", "--sandbox", "db-secret-incomplete"]);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/Verdict: db-secret-incomplete/);
    expect(text.out).toMatch(/Fix: database-secret — run: afu9-tui fix database-secret/);
    const dir = mkdtempSync(join(tmpdir(), "afu9-"));
    const file = join(dir, "bundle.md");
    const md = await run(["diagnose", "--sandbox", "db-secret-incomplete", "--markdown", "--output", file]);
    expect(md.code).toBe(1);
    expect(md.out).toBe("");
    const bundle = readFileSync(file, "utf8");
    for (const h of [
      "## 1. CloudFormation events",
      "## 2. ECS service events",
      "## 3. Stopped tasks",
      "## 4. Container logs",
      "## 5. Secrets (keys only)",
    ])
      expect(bundle).toContain(h);
    expect(bundle).toContain("Environment variable DATABASE_PORT is not set");
    expect(bundle).toMatch(/\| afu9\/database \| yes \| yes \| .* \| port \|/);
    expect(statSync(file).mode & 0o077).toBe(0);
    const values = secretValues(loadScenario("db-secret-incomplete"));
    for (const v of values) expect(bundle.includes(v) || text.out.includes(v)).toBe(false);
  });

  it("runs your own world file, and names the path and the problem of a bad one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "afu9-world-"));
    const good = join(dir, "mine.json");
    writeFileSync(good, JSON.stringify(loadScenario("llm-secret-incomplete")));
    const ok = await run(["diagnose", "--world", good, "--json"]);
    expect(JSON.parse(ok.out).verdict.scenario).toBe("llm-secret-incomplete");
    const w = loadScenario("healthy");
    (w.services[0] as { taskDefinition: string }).taskDefinition = "afu9-control-center:99";
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify(w));
    const r = await run(["sandbox", "--world", bad]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `afu9-tui sandbox: ${bad}: $.services[0].taskDefinition: no task definition afu9-control-center:99 in $.taskDefinitions (write family:revision)\n`,
    );
    writeFileSync(bad, '{"description": "x",');
    const r2 = await run(["diagnose", "--world", bad]);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/bad\.json: \$: not valid JSON/);
  });

  it("prints the diagnosis instead of a screen when stdout is not a terminal", async () => {
    const r = await run(["--sandbox", "db-credentials-wrong"]);
    expect(r.out).toMatch(/Verdict: db-credentials-wrong/);
    expect(r.code).toBe(1);
  });

  it("exits 2 with one line on a bad scenario or flag, 3 when it cannot diagnose", async () => {
    const bad = await run(["diagnose", "--sandbox", "db-secret-mising"]);
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split("\n")).toHaveLength(1);
    expect(bad.err).toMatch(/db-secret-mising/);
    expect(bad.err).toMatch(/db-secret-missing/);
    const flag = await run(["diagnose", "--sandbox", "healthy", "--servce", "x"]);
    expect(flag.code).toBe(2);
    expect(flag.err).toBe(
      "afu9-tui: unknown flag --servce (did you mean --service?); run afu9-tui --help for the flags\n",
    );
    const missing = await run(["diagnose", "--sandbox", "healthy", "--service", "nope"]);
    expect(missing.code).toBe(3);
    expect(missing.out).toMatch(
      /Service "nope" not found in cluster afu9-cluster — services here: afu9-control-center-prod, afu9-control-center-stage/,
    );
  });
});
