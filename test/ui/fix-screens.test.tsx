// The fix flow on screen, on the sandbox, driven by keymap action names: for each of the runbook's
// four scenarios, the verdict → f → the recommended fix → preview → confirm → watched to READY
// with /api/ready's checks; a wrong fix watched to the rollback and reported as that; read-only
// that previews and refuses; typed values shown as • only. No secret value of the world (nor a
// typed one) is on any frame.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import type { UiState } from "../../source/flow/ui-state.js";
import { loadScenario } from "../../source/sandbox/scenarios/index.js";
import { secretValues } from "../helpers/sandbox.js";
import { openScreen, type Screen } from "./harness.js";

beforeAll(() => {
  process.env.AFU9_AUDIT_LOG = join(mkdtempSync(join(tmpdir(), "afu9-ui-fix-")), "audit.log");
  process.env.AFU9_WATCH_INTERVAL_MS = "100";
});

let screen: Screen | undefined;
let frames: string[] = [];
afterEach(async () => {
  await screen?.quit();
  screen = undefined;
  frames = [];
});

/** waitFor that keeps every frame it looked at (for the no-secret check). */
async function see(pred: (t: string, s: UiState) => boolean, what: string, ms = 20_000) {
  await screen!.waitFor(
    (t, s) => {
      frames.push(t);
      return pred(t, s);
    },
    what,
    ms,
  );
}

function expectNoSecrets(scenario: string, extra: string[] = []) {
  const values = [...secretValues(loadScenario(scenario)), ...extra];
  expect(values.length).toBeGreaterThan(0);
  for (const f of frames)
    for (const v of values) expect(f.includes(v), `a secret value on screen`).toBe(false);
}

async function toPreview(scenario: string, args: string[] = []) {
  screen = await openScreen(scenario, { speed: 300, args });
  await see((_t, s) => Boolean(s.analysis.verdict?.fix), "the verdict with a fix");
  await screen.press("step6");
  await screen.press("openFix");
  await see((t) => t.includes("Fix menu"), "the fix menu");
}

describe("the recommended fix, watched to READY", () => {
  for (const [sc, fix, expected] of [
    ["db-secret-missing", "database-secret", "database: ok"],
    ["db-secret-incomplete", "database-secret", "database: ok"],
    ["db-enabled-not-needed", "disable-database", "database: not_configured"],
    ["db-credentials-wrong", "sync-db-credentials", "database: ok"],
  ] as const) {
    test(`${sc}: ${fix}`, async () => {
      await toPreview(sc);
      const s = screen!;
      // The recommended fix is first, marked and under the cursor.
      const menu = s.lines().find((l) => l.includes("▸"));
      expect(menu).toContain(`★ ${fix}`);
      expect(s.lines().length).toBeLessThanOrEqual(23);
      await s.press("fixSelect");
      await see((t) => t.includes(`Preview of fix ${fix}`) && t.includes("What will change"), "the preview");
      expect(s.text()).toContain("press a to apply");
      if (fix !== "disable-database") expect(s.text()).toContain("Key-level diff (names only)");
      // Scroll to the CLI equivalents
      await s.press("bottom");
      await see((t) => t.includes("aws "), "the AWS CLI equivalent");
      await s.press("fixApply");
      await see(
        (t) => t.includes(`Apply fix ${fix} to afu9-cluster/afu9-control-center-stage now?`),
        "the confirmation",
      );
      await s.press("confirmYes");
      await see((t) => t.includes("Watching deployment ecs-svc/"), "the watch");
      await see((t) => /rolloutState \S+ +running \d+\/\d+ +pending \d+ +failed \d+/.test(t), "the counts");
      await see((t) => t.includes("✓ READY"), "READY", 40_000);
      const text = s.text();
      expect(text).toMatch(/COMPLETED and \/api\/ready is ready/);
      expect(text).toMatch(/\/api\/ready → 200: ready=true/);
      expect(text).toContain(expected);
      expect(s.store.getState().fixRunning).toBe(false);
      await s.press("back");
      await see((_t, st) => st.fix === undefined && st.pane === "verdict", "back on the verdict");
      expectNoSecrets(sc);
    }, 60_000);
  }
});

describe("a wrong fix", () => {
  test("redeploy on db-credentials-wrong is watched to the rollback and reported as that", async () => {
    await toPreview("db-credentials-wrong");
    const s = screen!;
    const idx = s.store.getState().fix!.menu.findIndex((e) => e.id === "redeploy");
    await s.press("down", idx);
    expect(s.lines().find((l) => l.includes("▸"))).toContain("redeploy");
    await s.press("fixSelect");
    await see((t) => t.includes("Preview of fix redeploy"), "the preview");
    await s.press("fixApply");
    await s.press("confirmYes");
    await see((t) => t.includes("Watching deployment"), "the watch");
    // q asks while it runs; n keeps it running
    await s.press("quit");
    expect(s.text()).toContain("A fix is running. Quit anyway?");
    await s.press("confirmNo");
    expect(s.quitCalled()).toBe(false);
    await see((_t, st) => st.fix?.stage === "result", "the result", 40_000);
    const text = s.text();
    expect(text).toMatch(/✗ FAILED( — ROLLED BACK)?/);
    expect(text).not.toContain("✓ READY");
    expect(text).toContain("Back to the diagnosis");
    await see((t) => t.includes("Diagnosis now: db-credentials-wrong"), "the new diagnosis");
    expect(s.store.getState().fixRunning).toBe(false);
    expectNoSecrets("db-credentials-wrong");
  }, 60_000);
});

describe("read-only", () => {
  test("the preview says nothing will be applied and offers no apply", async () => {
    await toPreview("db-secret-missing", ["--read-only"]);
    const s = screen!;
    await s.press("fixSelect");
    await see(
      (t) => t.includes("Preview of fix database-secret") && t.includes("What will change"),
      "the preview",
    );
    const text = s.text();
    expect(text).toContain("read-only: nothing will be applied");
    expect(text).not.toContain("press a to apply");
    expect(s.lines().at(-1)).not.toContain("apply");
    await s.press("fixApply");
    expect(s.store.getState().fix?.stage).toBe("preview");
    expect(s.text()).not.toContain("now?");
  }, 30_000);
});

describe("typed values", () => {
  test("github-secret-missing: values typed masked (• only), then READY", async () => {
    const typed = ["ghp_TypedOnScreenToken00000000000000001", "typed-owner-xyz", "typed-repo-xyz"];
    await toPreview("github-secret-missing");
    const s = screen!;
    await s.press("fixSelect");
    await see((_t, st) => st.fix?.stage === "inputs" || st.fix?.stage === "preview", "inputs");
    const keys = s.store.getState().fix!.inputKeys;
    expect(keys.length).toBeGreaterThan(0);
    for (const [i] of keys.entries()) {
      const v = typed[i] ?? `typed-value-${i}`;
      await s.type(v);
      frames.push(s.text());
      expect(s.text()).toContain("•".repeat(Math.min(v.length, 20)));
      expect(JSON.stringify(s.store.getState())).not.toContain(v);
      await s.press("fixNext");
    }
    await see(
      (t) => t.includes("Preview of fix github-secret") && t.includes("What will change"),
      "the preview",
    );
    await s.press("fixApply");
    await s.press("confirmYes");
    await see((t) => t.includes("✓ READY"), "READY", 40_000);
    expectNoSecrets("github-secret-missing", typed);
  }, 60_000);
});
