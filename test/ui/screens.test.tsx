// The whole App on the sandbox, driven by keymap action names: a scenario, keys, what each pane
// shows (lazygit style).

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { loadScenario } from "../../source/sandbox/scenarios/index.js";
import { openScreen, type Screen } from "./harness.js";

let screen: Screen | undefined;
afterEach(async () => {
  await screen?.quit();
  screen = undefined;
});

const verdictReady = (_t: string, s: { analysis: { verdict?: unknown } }) => Boolean(s.analysis.verdict);

describe("a runbook scenario from start to verdict", () => {
  test("db-secret-missing: steps, panes and the verdict with its fix key", async () => {
    screen = await openScreen("db-secret-missing");
    await screen.waitFor(verdictReady, "the verdict");
    await screen.waitFor((t) => t.includes("afu9/database: does not exist"), "step 5's finding");
    const lines = screen.lines();
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(lines[0]).toMatch(/^ SANDBOX {2}afu9-cluster/);
    expect(lines[0]).toContain("afu9-cluster/afu9-control-center-stage");
    expect(screen.text()).toMatch(/✗ 3 +Stopped tasks/);
    await screen.press("step6");
    expect(screen.text()).toContain("Scenario: db-secret-missing");
    expect(screen.text()).toContain("Fix: database-secret");
    expect(screen.text()).toContain("press f to open fix database-secret");
    expect(screen.lines().at(-1)).toContain("f fix");
    await screen.press("openFix");
    expect(screen.text()).toContain("★ database-secret");
  });

  test("the secret checklist names each missing key", async () => {
    screen = await openScreen("db-secret-incomplete");
    await screen.waitFor(verdictReady, "the verdict");
    await screen.press("step5");
    const text = screen.text();
    expect(text).toContain("afu9/database");
    expect(text).toMatch(/missing: .*port/);
    expect(text).toContain("execution role: may read it");
    expect(text).toContain("afu9/github");
  });

  test("the service pane shows deployments with their rolloutState and the events", async () => {
    screen = await openScreen("db-secret-missing");
    await screen.waitFor(verdictReady, "the verdict");
    await screen.press("step2");
    const text = screen.text();
    expect(text).toContain("Deployments");
    expect(text).toMatch(/PRIMARY +(COMPLETED|FAILED|IN_PROGRESS)/);
    expect(text).toContain("failed circuit breaker");
  });
});

describe("stopped tasks", () => {
  test("Enter drills into a task: stoppedReason in full, stopCode, revision; Esc goes back", async () => {
    screen = await openScreen("db-secret-missing");
    await screen.waitFor(verdictReady, "the verdict");
    await screen.press("step3");
    expect(screen.text()).toContain("TaskFailedToStart");
    await screen.press("drill");
    await screen.waitFor((_t, s) => s.task?.logsLoading === false, "the task's log lines");
    const text = screen.text();
    expect(text).toContain("stoppedReason");
    // The end of the long reason is on screen (wrapped, not cut).
    expect(text.replace(/\s+/g, " ")).toContain("can't find the specified secret.");
    expect(text).toContain("stopCode        TaskFailedToStart");
    expect(text).toMatch(/revision \d+/);
    await screen.press("back");
    expect(screen.text()).not.toContain("stopCode        ");
    expect(screen.text()).toContain("Enter open");
  });
});

describe("logs", () => {
  test("tail, filter as you type, errors only, pause and resume", async () => {
    screen = await openScreen("db-secret-incomplete");
    await screen.press("step4");
    await screen.waitFor((_t, s) => s.logs.buffer.lines.length > 5, "log lines");
    await screen.waitFor((t) => /live tail|polling/.test(t), "the tail's mode");
    expect(screen.text()).toContain("following");
    await screen.press("filter");
    await screen.type("DATABASE_PORT");
    let text = screen.text();
    expect(text).toContain("filter: DATABASE_PORT");
    const body = screen
      .lines()
      .slice(3, -2)
      .filter((l) => /^[ ▸]\d\d:\d\d:\d\d/.test(l));
    expect(body.length).toBeGreaterThan(0);
    for (const l of body) expect(l).toContain("DATABASE_PORT");
    await screen.press("filterCancel");
    expect(screen.text()).not.toContain("filter: DATABASE_PORT");
    await screen.press("errorsOnly");
    expect(screen.text()).toContain("[errors only]");
    await screen.press("errorsOnly");
    await screen.press("up", 3);
    expect(screen.text()).toContain("paused");
    await screen.press("bottom");
    text = screen.text();
    expect(text).toContain("following");
  });
});

describe("failing panes", () => {
  test("a pane without permission says which one; the rest keep working", async () => {
    const world = loadScenario("db-secret-missing") as unknown as Record<string, unknown>;
    world.faults = [{ service: "cloudformation", operation: "DescribeStackEvents", kind: "accessDenied" }];
    const dir = mkdtempSync(join(tmpdir(), "afu9-ui-"));
    const file = join(dir, "world.json");
    writeFileSync(file, JSON.stringify(world));
    screen = await openScreen("custom", { world: file });
    await screen.waitFor(verdictReady, "the verdict");
    expect(screen.text()).toMatch(/✗ 2 +ECS service events/);
    await screen.press("step1");
    const text = screen.text();
    expect(text).toContain("This pane could not be loaded");
    expect(text).toContain("Missing permission: cloudformation:DescribeStackEvents");
  });
});

describe("help, language and size", () => {
  test("? shows the keymap", async () => {
    screen = await openScreen("healthy");
    await screen.press("help");
    const text = screen.text();
    for (const label of [
      "filter (Logs)",
      "errors only",
      "next pane",
      "refresh",
      "environment",
      "jump to step 1–6",
    ])
      expect(text).toContain(label);
    await screen.press("back");
    expect(screen.text()).not.toContain("Esc or ? closes");
  });

  test("German uses the runbook's terms", async () => {
    screen = await openScreen("db-secret-missing", { lang: "de" });
    await screen.waitFor(verdictReady, "the verdict");
    await screen.press("step6");
    const text = screen.text();
    expect(text).toContain("Szenario: db-secret-missing");
    expect(text).toContain("Nächster Schritt");
    expect(text).toContain("Secrets validieren");
  });

  test("a resize reflows at once; a wide terminal shows steps and verdict beside the pane", async () => {
    screen = await openScreen("db-secret-missing");
    await screen.waitFor(verdictReady, "the verdict");
    await screen.press("step1");
    await screen.resize({ cols: 160, rows: 40 });
    const lines = screen.lines();
    expect(lines.length).toBe(39);
    // The steps on the left and the pane's tabs on the right, on the same rows
    expect(lines[1]).toMatch(/CloudFormation events.*\[1.CloudFormation\]/);
    // ... and the verdict below the steps while a pane is open
    expect(lines[3]).toMatch(/Stopped tasks.*Stack status/);
    expect(lines.some((l) => l.startsWith("Scenario: db-secret-missing"))).toBe(true);
    await screen.resize({ cols: 80, rows: 24 });
    expect(screen.lines().length).toBe(23);
  });

  test("e lists the cluster's services and switches without restarting", async () => {
    screen = await openScreen("db-secret-missing");
    await screen.waitFor(verdictReady, "the verdict");
    await screen.press("switchEnv");
    await screen.waitFor((t) => t.includes("afu9-control-center-prod"), "the service list");
    const s = screen.store.getState();
    const prodAt =
      s.overlay?.kind === "services" ? s.overlay.services.indexOf("afu9-control-center-prod") : -1;
    const stageAt = s.overlay?.kind === "services" ? s.overlay.cursor : 0;
    await screen.press(prodAt > stageAt ? "down" : "up", Math.abs(prodAt - stageAt));
    await screen.press("drill");
    await screen.waitFor((t) => t.includes("afu9-cluster/afu9-control-center-prod"), "the prod header");
    await screen.waitFor(verdictReady, "prod's verdict");
  });
});
