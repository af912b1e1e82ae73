// The UI state machine without a terminal: cadences, follow mode, filter, masking, bounded memory,
// quitting, the fix hook and switching the service.

import { describe, expect, test } from "vitest";
import type { LogLine } from "../../source/diagnosis/model.js";
import {
  DEFAULT_CADENCE,
  initialState,
  layoutOf,
  logCursor,
  type Msg,
  type UiState,
  update,
  visibleLogLines,
} from "../../source/flow/ui-state.js";

const target = {
  region: "eu-central-1",
  cluster: "afu9-cluster",
  service: "afu9-control-center-stage",
  stack: "Afu9EcsStack",
  networkStack: "Afu9NetworkStack",
  databaseStack: "Afu9DatabaseStack",
};
const T0 = Date.parse("2026-01-01T10:00:00Z");

function start(over: Partial<Parameters<typeof initialState>[0]> = {}): UiState {
  const s = initialState({
    target,
    session: { readOnly: false },
    size: { cols: 80, rows: 24 },
    now: T0,
    ...over,
  });
  return update(s, { type: "connected", target, session: { readOnly: false } }).state;
}

function run(s: UiState, ...msgs: Msg[]) {
  let state = s;
  const effects = [];
  for (const m of msgs) {
    const r = update(state, m);
    state = r.state;
    effects.push(...r.effects);
  }
  return { state, effects };
}

const line = (i: number, message = `line ${i}`, taskId = "a".repeat(32)): LogLine => ({
  timestamp: new Date(T0 + i * 1000),
  stream: `ecs/control-center/${taskId}`,
  taskId,
  message,
  eventId: `e${i}`,
});
const lines = (n: number, from = 0) => Array.from({ length: n }, (_, i) => line(from + i));

describe("connect and refresh", () => {
  test("connecting asks for every piece of evidence", () => {
    const s = initialState({ target, session: { readOnly: false }, size: { cols: 80, rows: 24 }, now: T0 });
    const r = update(s, { type: "connected", target, session: { readOnly: false } });
    expect(r.state.phase).toBe("running");
    expect(r.effects).toEqual([
      { type: "refresh", keys: expect.arrayContaining(["service", "stackEvents", "logs", "role"]) },
    ]);
  });

  test("each pane refreshes on its own cadence", () => {
    let s = start();
    s = run(s, {
      type: "evidence",
      key: "service",
      value: { ok: false, problem: { kind: "other", code: "X", message: "x", hint: "" } },
      at: T0,
    }).state;
    s = run(s, {
      type: "evidence",
      key: "stackEvents",
      value: { ok: true, value: [] },
      at: T0,
    }).state;
    const early = update(s, { type: "tick", now: T0 + DEFAULT_CADENCE.service - 1 });
    expect(early.effects).toEqual([]);
    const due = update(s, { type: "tick", now: T0 + DEFAULT_CADENCE.service });
    expect(due.effects).toEqual([{ type: "refresh", keys: ["service"] }]);
    const both = update(s, { type: "tick", now: T0 + DEFAULT_CADENCE.cloudformation });
    expect(both.effects[0]).toEqual({
      type: "refresh",
      keys: expect.arrayContaining(["service", "stackEvents"]),
    });
  });

  test("r refreshes everything, but not what is in flight", () => {
    let s = start();
    s = run(s, { type: "refresh-started", keys: ["service"] }).state;
    const r = update(s, { type: "action", action: "refresh" });
    const keys = (r.effects[0] as { keys: string[] }).keys;
    expect(keys).not.toContain("service");
    expect(keys).toContain("stackEvents");
  });

  test("the tail starts once the log group is known", () => {
    const s = start();
    const r = update(s, {
      type: "evidence",
      key: "logs",
      value: { ok: true, value: [] },
      logGroup: "/ecs/afu9/control-center",
      at: T0,
    });
    expect(r.effects).toEqual([{ type: "tail-start", group: "/ecs/afu9/control-center" }]);
    const again = update(r.state, { type: "refresh-done", keys: ["logs"] });
    expect(again.effects).toEqual([]);
  });
});

describe("log pane", () => {
  const inLogs = () => run(start(), { type: "action", action: "step4" }).state;

  test("follows the newest line; scrolling up pauses; bottom resumes", () => {
    let s = run(inLogs(), { type: "log-lines", lines: lines(50) }).state;
    expect(s.logs.anchor).toBeUndefined();
    expect(logCursor(s.logs)).toBe(49);
    s = run(s, { type: "action", action: "up" }, { type: "action", action: "up" }).state;
    expect(s.logs.anchor).toBe("e47");
    s = run(s, { type: "log-lines", lines: lines(10, 50) }).state;
    // Paused: the cursor stays on its line while new ones arrive.
    expect(visibleLogLines(s.logs)[logCursor(s.logs)]?.eventId).toBe("e47");
    s = run(s, { type: "action", action: "bottom" }).state;
    expect(s.logs.anchor).toBeUndefined();
    expect(logCursor(s.logs)).toBe(59);
  });

  test("page up moves by the pane's height", () => {
    let s = run(inLogs(), { type: "log-lines", lines: lines(100) }).state;
    s = run(s, { type: "action", action: "pageUp" }).state;
    expect(logCursor(s.logs)).toBe(99 - (layoutOf(s.size, s.pane).bodyRows - 1));
  });

  test("the filter narrows as you type; the error toggle uses the runbook's filter", () => {
    let s = run(inLogs(), {
      type: "log-lines",
      lines: [
        line(1, "GET /api/ready 200"),
        line(2, "Error: Environment variable DATABASE_PORT is not set"),
        line(3, "listening on 3000"),
      ],
    }).state;
    s = run(s, { type: "action", action: "filter" }, { type: "filter-input", text: "DATA" }).state;
    expect(visibleLogLines(s.logs).map((l) => l.eventId)).toEqual(["e2"]);
    s = run(
      s,
      { type: "filter-backspace" },
      { type: "filter-backspace" },
      { type: "filter-backspace" },
      { type: "filter-backspace" },
    ).state;
    expect(visibleLogLines(s.logs)).toHaveLength(3);
    s = run(s, { type: "filter-done", keep: true }, { type: "action", action: "errorsOnly" }).state;
    expect(visibleLogLines(s.logs).map((l) => l.eventId)).toEqual(["e2"]);
  });

  test("credentials are masked before they reach the state", () => {
    const token = `ghp_${"A1b2C3d4".repeat(5)}`;
    const s = run(inLogs(), {
      type: "log-lines",
      lines: [line(1, `using token ${token}`), line(2, "postgres://afu9_admin:hunter2hunter2@db:5432/afu9")],
    }).state;
    const text = s.logs.buffer.lines.map((l) => l.message).join("\n");
    expect(text).not.toContain(token);
    expect(text).not.toContain("hunter2hunter2");
    expect(text).toContain("ghp_***");
  });

  test("memory stays bounded and no line is shown twice", () => {
    let s = start({ logCapacity: 100 });
    for (let i = 0; i < 50; i++) s = run(s, { type: "log-lines", lines: lines(40, i * 20) }).state;
    expect(s.logs.buffer.lines.length).toBe(100);
    const ids = s.logs.buffer.lines.map((l) => l.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(s.logs.buffer.lines.at(-1)?.eventId).toBe(`e${49 * 20 + 39}`);
  });
});

describe("keys", () => {
  test("Tab and Shift-Tab cycle the panes; 1-6 jump", () => {
    let s = start();
    expect(s.pane).toBe("verdict"); // the overview first at 80x24
    s = run(s, { type: "action", action: "nextPane" }).state;
    expect(s.pane).toBe("cloudformation");
    s = run(s, { type: "action", action: "nextPane" }).state;
    expect(s.pane).toBe("service");
    s = run(s, { type: "action", action: "prevPane" }, { type: "action", action: "prevPane" }).state;
    expect(s.pane).toBe("verdict");
    s = run(s, { type: "action", action: "step3" }).state;
    expect(s.pane).toBe("tasks");
  });

  test("q quits at once, but asks while a fix runs", () => {
    expect(update(start(), { type: "action", action: "quit" }).effects).toEqual([{ type: "quit" }]);
    const busy = run(start(), { type: "fix-status", running: true }).state;
    const asked = update(busy, { type: "action", action: "quit" });
    expect(asked.effects).toEqual([]);
    expect(asked.state.overlay).toEqual({ kind: "confirm-quit" });
    expect(update(asked.state, { type: "action", action: "confirmNo" }).state.overlay).toBeUndefined();
    expect(update(asked.state, { type: "action", action: "confirmYes" }).effects).toEqual([{ type: "quit" }]);
    expect(update(busy, { type: "action", action: "forceQuit" }).effects).toEqual([{ type: "quit" }]);
  });

  test("f without a verdict says there is no fix yet", () => {
    const r = update(start(), { type: "action", action: "openFix" });
    expect(r.effects).toEqual([]);
    expect(r.state.status).toBe("no-fix");
  });

  test("e lists the services; choosing one starts over on it", () => {
    let r = update(start(), { type: "action", action: "switchEnv" });
    expect(r.effects).toEqual([{ type: "list-services", cluster: "afu9-cluster" }]);
    r = update(r.state, {
      type: "services",
      services: ["afu9-control-center-stage", "afu9-control-center-prod"],
    });
    r = run(r.state, { type: "action", action: "down" }, { type: "action", action: "drill" });
    expect(r.state.target.service).toBe("afu9-control-center-prod");
    expect(r.state.evidence).toEqual({});
    expect(r.effects.map((e) => e.type)).toEqual(["tail-stop", "switch-service", "refresh"]);
  });
});

describe("layout", () => {
  test("the frame stays below the terminal's height, and wide terminals get a side column", () => {
    for (const size of [
      { cols: 80, rows: 24 },
      { cols: 200, rows: 50 },
      { cols: 60, rows: 12 },
    ]) {
      const L = layoutOf(size);
      expect(L.frameRows).toBe(size.rows - 1);
      const used = L.wide ? 5 + L.bodyRows : 5 + L.stepsRows + L.bodyRows;
      expect(used).toBe(L.frameRows);
    }
    expect(layoutOf({ cols: 80, rows: 24 }).wide).toBe(false);
    expect(layoutOf({ cols: 200, rows: 50 }).wide).toBe(true);
  });

  test("on a short terminal the steps show with the verdict, and the other panes take their rows", () => {
    const small = { cols: 80, rows: 24 };
    expect(layoutOf(small, "verdict").stepsRows).toBe(7);
    expect(layoutOf(small, "logs").stepsRows).toBe(0);
    expect(layoutOf(small, "logs").bodyRows).toBe(layoutOf(small, "verdict").bodyRows + 7);
    expect(layoutOf({ cols: 100, rows: 40 }, "logs").stepsRows).toBe(7);
  });
});
