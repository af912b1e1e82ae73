// The fix flow's reducer, pure: menu order, masked input that never stores the text in the state,
// read-only that refuses to apply, and the transitions menu → … → result.

import { describe, expect, test } from "vitest";
import type { Verdict } from "../../source/diagnosis/verdict.js";
import type { PreviewItem } from "../../source/flow/fix-preview.js";
import { fixMenu } from "../../source/flow/fixes.js";
import { Masked } from "../../source/flow/ui-fix.js";
import {
  type Action,
  type Effect,
  initialState,
  keyContext,
  type Msg,
  type UiState,
  update,
} from "../../source/flow/ui-state.js";
import { resolveKey } from "../../source/ui/keymap.js";
import { defaultTarget } from "../helpers/sandbox.js";

const target = defaultTarget();

const title = (fixId: string): PreviewItem => ({
  type: "title",
  fixId,
  section: "6.3",
  title: "t",
  recommended: false,
});
const SECRET = "Hunter2-very-secret-p4ss";

function stateWith(fix: string, readOnly = false): UiState {
  const s = initialState({ target, session: { readOnly }, size: { cols: 80, rows: 24 }, now: 0 });
  const verdict = { scenario: "db-credentials-wrong", fix, summary: "", nextStep: "" } as unknown as Verdict;
  return { ...s, phase: "running", pane: "verdict", analysis: { ...s.analysis, verdict } };
}

function run(s: UiState, ...msgs: Msg[]): { s: UiState; effects: Effect[] } {
  let effects: Effect[] = [];
  for (const m of msgs) {
    const r = update(s, m);
    s = r.state;
    effects = r.effects;
  }
  return { s, effects };
}
const a = (action: Action): Msg => ({ type: "action", action });

function menuOpen(fix = "sync-db-credentials", readOnly = false) {
  const s0 = stateWith(fix, readOnly);
  const r = run(s0, a("openFix"));
  expect(r.effects).toEqual([{ type: "open-fix", fixId: fix, readOnly }]);
  const entries = fixMenu({ target, verdict: r.s.analysis.verdict });
  return run(r.s, { type: "fix-menu", entries }).s;
}

describe("the fix menu", () => {
  test("f on the verdict opens the menu, the recommended fix first and under the cursor", () => {
    const s = menuOpen("sync-db-credentials");
    expect(keyContext(s)).toBe("fix-menu");
    expect(s.fix?.menu[0]).toMatchObject({ id: "sync-db-credentials", recommended: true });
    expect(s.fix?.menu.map((e) => e.id)).toEqual([
      "sync-db-credentials",
      "disable-database",
      "database-secret",
      "github-secret",
      "llm-secret",
      "redeploy",
    ]);
    expect(s.fix?.cursor).toBe(0);
    const down = run(s, a("down"), a("down")).s;
    expect(down.fix?.cursor).toBe(2);
    const r = run(down, a("fixSelect"));
    expect(r.s.fix?.stage).toBe("preparing");
    expect(r.effects).toEqual([{ type: "fix-prepare", fixId: "database-secret" }]);
  });

  test("Esc closes the menu and returns to the verdict pane", () => {
    const r = run(menuOpen(), a("back"));
    expect(r.s.fix).toBeUndefined();
    expect(r.s.pane).toBe("verdict");
    expect(r.effects).toEqual([{ type: "fix-close" }]);
  });
});

describe("masked value input", () => {
  function inputs() {
    const s = run(menuOpen("github-secret"), a("fixSelect")).s;
    return run(s, { type: "fix-prepared", fixId: "github-secret", inputKeys: ["token", "owner"] }).s;
  }

  test("typed characters are counted in the state, the text goes only into the effect", () => {
    let s = inputs();
    expect(s.fix?.stage).toBe("inputs");
    expect(keyContext(s)).toBe("fix-input");
    // q and y are text here, not keys
    expect(resolveKey("fix-input", "q")).toBeUndefined();
    expect(resolveKey("fix-input", "enter")).toBe("fixNext");
    const r = update(s, { type: "fix-typed", text: new Masked(SECRET) });
    s = r.state;
    expect(s.fix?.typed).toEqual([SECRET.length, 0]);
    expect(JSON.stringify(s)).not.toContain(SECRET);
    expect(r.effects).toHaveLength(1);
    const e = r.effects[0]!;
    expect(e).toMatchObject({ type: "fix-input", key: "token", op: "type" });
    expect(JSON.stringify(e)).not.toContain(SECRET);
    expect(String(e.type === "fix-input" && e.op === "type" ? e.text : "")).toBe("[masked]");
    const b = update(s, { type: "fix-backspace" });
    expect(b.state.fix?.typed[0]).toBe(SECRET.length - 1);
    expect(b.effects).toEqual([{ type: "fix-input", key: "token", op: "backspace" }]);
  });

  test("Enter needs a value, moves to the next key, and after the last builds the preview", () => {
    let s = inputs();
    expect(update(s, a("fixNext")).state.fix?.inputIndex).toBe(0);
    s = run(s, { type: "fix-typed", text: new Masked("x") }, a("fixNext")).s;
    expect(s.fix?.inputIndex).toBe(1);
    const r = run(s, { type: "fix-typed", text: new Masked("y") }, a("fixNext"));
    expect(r.s.fix?.stage).toBe("preparing");
    expect(r.effects).toEqual([{ type: "fix-plan", fixId: "github-secret" }]);
  });

  test("Esc cancels: back to the menu, the runtime drops what was typed", () => {
    const r = run(inputs(), { type: "fix-typed", text: new Masked("abc") }, a("back"));
    expect(r.s.fix?.stage).toBe("menu");
    expect(r.s.fix?.typed).toEqual([]);
    expect(r.effects).toEqual([{ type: "fix-close" }]);
  });
});

describe("read-only", () => {
  test("asks for no values, previews, and offers no apply", () => {
    let s = run(menuOpen("github-secret", true), a("fixSelect")).s;
    const r = run(s, { type: "fix-prepared", fixId: "github-secret", inputKeys: ["token"] });
    expect(r.s.fix?.stage).toBe("preparing");
    expect(r.effects).toEqual([{ type: "fix-plan", fixId: "github-secret" }]);
    s = run(r.s, {
      type: "fix-preview",
      fixId: "github-secret",
      items: [title("github-secret")],
      missing: [],
    }).s;
    expect(s.fix?.stage).toBe("preview");
    const ap = update(s, a("fixApply"));
    expect(ap.state.fix?.stage).toBe("preview");
    expect(ap.effects).toEqual([]);
    // Even a confirmation that arrives somehow applies nothing.
    const y = update({ ...s, fix: { ...s.fix!, stage: "confirm" } }, a("confirmYes"));
    expect(y.effects).toEqual([]);
    expect(y.state.fixRunning).toBe(false);
  });
});

describe("preview → confirm → apply → watch → result", () => {
  function preview() {
    const s = run(menuOpen("sync-db-credentials"), a("fixSelect")).s;
    return run(
      s,
      { type: "fix-prepared", fixId: "sync-db-credentials", inputKeys: [] },
      {
        type: "fix-preview",
        fixId: "sync-db-credentials",
        items: [title("sync-db-credentials"), { type: "heading", section: "changes" }],
        missing: [],
      },
    ).s;
  }

  test("missing values block the apply", () => {
    const s = run(menuOpen("github-secret"), a("fixSelect")).s;
    const p = run(
      s,
      { type: "fix-prepared", fixId: "github-secret", inputKeys: [] },
      { type: "fix-preview", fixId: "github-secret", items: [title("github-secret")], missing: ["token"] },
    ).s;
    expect(update(p, a("fixApply")).state.fix?.stage).toBe("preview");
  });

  test("a plan error is shown in the preview and cannot be applied", () => {
    const s = run(menuOpen(), a("fixSelect"), { type: "fix-problem", message: "scheduled for deletion" }).s;
    expect(s.fix).toMatchObject({ stage: "preview", problem: "scheduled for deletion" });
    expect(update(s, a("fixApply")).state.fix?.stage).toBe("preview");
  });

  test("the whole way to a rollback, then the diagnosis refreshes", () => {
    let s = preview();
    expect(s.fix?.stage).toBe("preview");
    s = run(s, a("fixApply")).s;
    expect(s.fix?.stage).toBe("confirm");
    expect(keyContext(s)).toBe("fix-confirm");
    expect(resolveKey("fix-confirm", "y")).toBe("confirmYes");
    s = run(s, a("confirmNo")).s;
    expect(s.fix?.stage).toBe("preview");
    let r = run(s, a("fixApply"), a("confirmYes"));
    s = r.s;
    expect(s.fix?.stage).toBe("applying");
    expect(s.fixRunning).toBe(true);
    expect(r.effects).toEqual([{ type: "fix-apply", fixId: "sync-db-credentials", readOnly: false }]);
    // q asks while the fix runs
    expect(update(s, a("quit")).state.overlay).toEqual({ kind: "confirm-quit" });
    s = run(
      s,
      { type: "fix-action-start", index: 0, total: 2, kind: "write-secret", resource: "afu9/database" },
      {
        type: "fix-action-done",
        index: 0,
        ok: true,
        detail: { kind: "updated", name: "afu9/database", version: "v2", previous: "v1" },
      },
    ).s;
    expect(s.fix?.actions).toEqual([
      {
        kind: "write-secret",
        resource: "afu9/database",
        status: "ok",
        detail: { kind: "updated", name: "afu9/database", version: "v2", previous: "v1" },
      },
      { kind: "", resource: "", status: "pending" },
    ]);
    r = run(s, { type: "fix-applied", ok: true, deploymentId: "ecs-svc/1", conflict: false, rollback: [] });
    s = r.s;
    expect(s.fix?.stage).toBe("watching");
    expect(r.effects).toEqual([{ type: "fix-watch", deploymentId: "ecs-svc/1" }]);
    s = run(
      s,
      {
        type: "fix-watch-poll",
        at: 5,
        snapshot: {
          deploymentId: "ecs-svc/1",
          found: true,
          rolloutState: "IN_PROGRESS",
          desired: 1,
          running: 0,
          pending: 1,
          failed: 1,
        },
      },
      {
        type: "fix-watch-stopped",
        task: {
          task: { taskId: "abc", ours: true, reason: "Essential container exited", exits: [] },
          severity: "fail",
        },
      },
    ).s;
    expect(s.fix).toMatchObject({ rolloutState: "IN_PROGRESS", lastPollAt: 5 });
    expect(s.fix?.stopped).toHaveLength(1);
    r = run(s, {
      type: "fix-watch-done",
      outcome: "rolled-back",
      summary: {
        outcome: "rolled-back",
        deploymentId: "ecs-svc/1",
        reason: { kind: "cb-rolled-back" },
        stoppedReasons: ["Essential container exited"],
      },
    });
    expect(r.s.fix).toMatchObject({ stage: "result", outcome: "rolled-back", refreshed: true });
    expect(r.s.fixRunning).toBe(false);
    expect(r.effects[0]).toMatchObject({ type: "refresh" });
    expect(keyContext(r.s)).toBe("fix-result");
    const back = run(r.s, a("back"));
    expect(back.s.fix).toBeUndefined();
    expect(back.s.pane).toBe("verdict");
  });
});
