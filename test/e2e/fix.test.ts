// End to end, one whole run: the built afu9-tui at 80x24 in a pseudo-terminal on the sandbox:
// diagnose, f, the recommended fix, preview, confirm, watch, READY with /api/ready's checks;
// no secret value of the world on any screen; quitting restores the terminal.

import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import type { Action, KeyContext } from "../../source/flow/ui-state.js";
import { loadScenario } from "../../source/sandbox/scenarios/index.js";
import { keySequence } from "../../source/ui/keymap.js";
import { secretValues } from "../helpers/sandbox.js";
import { keyFor } from "../ui/harness.js";
import { BIN, type Pty, spawnTui } from "./pty.js";

let t: Pty | undefined;
afterEach(() => {
  try {
    t?.kill("SIGKILL");
  } catch {
    // already gone
  }
  t = undefined;
});

beforeAll(() => {
  if (!existsSync(new URL("../../dist/main.js", import.meta.url)))
    throw new Error("run `npm run build` first");
});

const press = (p: Pty, action: Action, ctx: KeyContext) => p.write(keySequence(keyFor(action, ctx)));
const tui = (args: string) => `printf 'before\\n'; node ${BIN} ${args}; printf "after %s\\n" $?`;

describe("one whole run in a pseudo-terminal", () => {
  test("db-secret-missing: diagnose, fix, watch, ready; no secret on screen; the terminal restored", async () => {
    const screens: string[] = [];
    t = spawnTui(tui("--sandbox db-secret-missing --speed 100"), {
      env: {
        AFU9_WATCH_INTERVAL_MS: "200",
        AFU9_AUDIT_LOG: join(mkdtempSync(join(tmpdir(), "afu9-e2e-fix-")), "audit.log"),
        LANG: "C",
      },
    });
    const p = t;
    const see = (pred: (s: string) => boolean, what: string, ms?: number) =>
      p.waitFor(
        (s) => {
          screens.push(s);
          return pred(s);
        },
        what,
        ms,
      );
    await see((s) => s.includes("Scenario: db-secret-missing"), "the verdict");
    press(p, "step6", "cloudformation");
    await see((s) => s.includes("press f to open fix database-secret"), "the verdict pane");
    press(p, "openFix", "verdict");
    await see((s) => s.includes("Fix menu") && s.includes("★ database-secret"), "the fix menu");
    press(p, "fixSelect", "fix-menu");
    await see(
      (s) => s.includes("Preview of fix database-secret") && s.includes("What will change"),
      "the preview",
    );
    expect(p.screen()[23]).toBe("");
    press(p, "fixApply", "fix-preview");
    await see(
      (s) => s.includes("Apply fix database-secret to afu9-cluster/afu9-control-center-stage now?"),
      "the confirmation",
    );
    press(p, "confirmYes", "fix-confirm");
    await see((s) => s.includes("Watching deployment ecs-svc/"), "the watch");
    await see((s) => /rolloutState \S+ +running \d+\/\d+/.test(s), "the rollout counts");
    await see((s) => s.includes("✓ READY"), "READY", 60_000);
    const done = p.text();
    expect(done).toMatch(/\/api\/ready → 200: ready=true/);
    expect(done).toContain("service: ok");
    expect(done).toContain("database: ok");
    // The frame stays below the terminal's height.
    expect(p.screen()[23]).toBe("");
    press(p, "back", "fix-result");
    await see(
      (s) => s.includes("Verdict") && !s.includes("Fix database-secret: result"),
      "back on the panes",
    );
    press(p, "quit", "verdict");
    expect(await p.exited).toBe(0);
    expect(p.buffer()).toBe("normal");
    expect(p.cursorHidden()).toBe(false);
    expect(p.screen().filter((l) => l !== "")).toEqual(["before", "after 0"]);
    const values = secretValues(loadScenario("db-secret-missing"));
    expect(values.length).toBeGreaterThan(0);
    const raw = p.raw();
    for (const v of values) {
      expect(screens.some((s) => s.includes(v))).toBe(false);
      expect(raw.includes(v)).toBe(false);
    }
  }, 120_000);
});
