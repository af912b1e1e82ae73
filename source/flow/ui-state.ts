// The terminal UI's model: one state, messages, and a pure `update(state, msg) → {state, effects}`.
// Nothing here blocks or talks to the network; the runtime (source/ui/runtime.ts) performs the
// effects and feeds the answers back as messages. Tested without a terminal.

import { matchesRunbookFilter } from "../diagnosis/logs.js";
import { maskCredentials } from "../diagnosis/mask.js";
import type { LogLine, StepId, StoppedTask } from "../diagnosis/model.js";
import { type Analysis, analyze } from "./analyze.js";
import { ALL_EVIDENCE, type Collected, type Evidence, type ProblemInfo, type Target } from "./collect.js";
import { addLines, DEFAULT_LOG_CAPACITY, emptyBuffer, type LogBuffer } from "./log-buffer.js";
import {
  type FixEffect,
  type FixKeyContext,
  type FixMsg,
  type FixView,
  fixAction,
  fixKeyContext,
  fixUpdate,
  isFixMsg,
  openFixView,
} from "./ui-fix.js";

// ── Panes ─────────────────────────────────────────────────────────────────────────────────

export type PaneId = "cloudformation" | "service" | "tasks" | "logs" | "secrets" | "verdict";

/** In runbook order: pane N is step N. */
export const PANES: readonly PaneId[] = ["cloudformation", "service", "tasks", "logs", "secrets", "verdict"];

/** The evidence each pane shows (and refreshes on its cadence). */
export const PANE_EVIDENCE: Record<PaneId, Collected[]> = {
  cloudformation: ["stackEvents", "stack"],
  service: ["service"],
  tasks: ["stoppedTasks"],
  logs: ["logs"],
  secrets: ["secrets", "role"],
  verdict: ["taskDefinition", "databaseStack", "networkStack"],
};

/** The runbook steps each pane stands for. */
export const PANE_STEPS: Record<PaneId, StepId[]> = {
  cloudformation: ["cloudformation"],
  service: ["service-events"],
  tasks: ["stopped-tasks"],
  logs: ["logs"],
  secrets: ["secrets", "iam"],
  verdict: ["decision"],
};

/** How often each pane refreshes by itself (ms). The service moves fastest during a rollout. */
export const DEFAULT_CADENCE: Record<PaneId, number> = {
  cloudformation: 60_000,
  service: 10_000,
  tasks: 15_000,
  logs: 30_000,
  secrets: 60_000,
  verdict: 60_000,
};

// ── Layout (shared with the view, so PgUp/PgDn move by what is on screen) ──────────────────

export interface Size {
  cols: number;
  rows: number;
}

/** Wide terminals put the steps and the verdict beside the pane. */
export const isWide = (s: Size) => s.cols >= 140 && s.rows >= 20;

export interface Layout {
  wide: boolean;
  /** Rows of the frame: always below the terminal's height (Ink clears the screen otherwise). */
  frameRows: number;
  stepsRows: number;
  /** Rows of the pane body (without its title line). */
  bodyRows: number;
  /** Columns of the pane body. */
  bodyCols: number;
  sideCols: number;
}

export const STEP_ROWS = 7;

/** Columns drawn: one less than the terminal's, so no row ever touches the last column (some
 * terminals wrap there, and Ink's incremental renderer then loses a row). */
export const drawCols = (size: Size) => Math.max(20, size.cols - 1);

/**
 * On a short terminal the step list (seven rows) shows with the verdict, the overview; the other
 * panes get its rows for their content, and the tab row still carries each pane's status.
 */
export const STEPS_ALWAYS_FROM_ROWS = 30;

export function layoutOf(size: Size, pane: PaneId = "verdict"): Layout {
  const frameRows = Math.max(6, size.rows - 1);
  const cols = drawCols(size);
  const wide = isWide(size);
  // header, tabs, pane title, status, footer = 5 fixed rows
  if (wide) {
    const sideCols = Math.min(70, Math.floor(cols * 0.4));
    return {
      wide,
      frameRows,
      stepsRows: STEP_ROWS,
      bodyRows: Math.max(1, frameRows - 5),
      bodyCols: Math.max(20, cols - sideCols - 1),
      sideCols,
    };
  }
  const fits = frameRows >= 18 ? STEP_ROWS : Math.max(0, Math.min(STEP_ROWS, frameRows - 10));
  const stepsRows = pane === "verdict" || frameRows >= STEPS_ALWAYS_FROM_ROWS ? fits : 0;
  return {
    wide,
    frameRows,
    stepsRows,
    bodyRows: Math.max(1, frameRows - 5 - stepsRows),
    bodyCols: cols,
    sideCols: 0,
  };
}

// ── The state ─────────────────────────────────────────────────────────────────────────────

export interface LogView {
  buffer: LogBuffer;
  /** Undefined: follow the newest line. Else the key of the line under the cursor. */
  anchor?: string;
  filter: string;
  editing: boolean;
  errorsOnly: boolean;
  wrap: boolean;
  timestamps: boolean;
  /** Pretty-print the cursor line when it is JSON. */
  pretty: boolean;
}

export interface TaskDetail {
  taskId: string;
  scroll: number;
  logs?: LogLine[];
  logsLoading: boolean;
  logsProblem?: ProblemInfo;
}

export type Overlay =
  | { kind: "help" }
  | { kind: "confirm-quit" }
  | { kind: "services"; loading: boolean; services: string[]; cursor: number; problem?: ProblemInfo };

export interface Session {
  sandbox?: string;
  readOnly: boolean;
  profile?: string;
}

export interface UiState {
  size: Size;
  noColor: boolean;
  phase: "connecting" | "running" | "failed";
  connectProblem?: string;
  target: Target;
  session: Session;
  evidence: Partial<Evidence>;
  analysis: Analysis;
  inFlight: Collected[];
  /** When each piece last arrived (ms since epoch). */
  fetchedAt: Partial<Record<Collected, number>>;
  cadence: Record<PaneId, number>;
  now: number;
  pane: PaneId;
  /** Cursor / scroll per pane (list panes: selected row; text panes: top row). */
  cursor: Record<PaneId, number>;
  task?: TaskDetail;
  logs: LogView;
  tail: {
    state: "off" | "starting" | "live" | "polling";
    group?: string;
    note?: string;
    problem?: ProblemInfo;
  };
  overlay?: Overlay;
  /** One line of news at the bottom (e.g. "fixes: afu9-tui fix database-secret"). */
  status?: string;
  /** Set by the fix flow (issue 5) while a fix runs: `q` asks first. */
  fixRunning: boolean;
  /** The fix view (source/flow/ui-fix.ts): open from the verdict with `f`. Never holds a value. */
  fix?: FixView;
  quitting: boolean;
}

export interface InitOptions {
  target: Target;
  session: Session;
  size: Size;
  now: number;
  noColor?: boolean;
  logCapacity?: number;
  cadence?: Partial<Record<PaneId, number>>;
}

export function initialState(o: InitOptions): UiState {
  return {
    size: o.size,
    noColor: o.noColor ?? false,
    phase: "connecting",
    target: o.target,
    session: o.session,
    evidence: {},
    analysis: analyze({ target: o.target }, true),
    inFlight: [],
    fetchedAt: {},
    cadence: { ...DEFAULT_CADENCE, ...o.cadence },
    now: o.now,
    // The root cause on screen as soon as it is known: the verdict pane first, unless a wide
    // terminal shows the verdict beside the panes anyway.
    pane: isWide(o.size) ? "cloudformation" : "verdict",
    cursor: { cloudformation: 0, service: 0, tasks: 0, logs: 0, secrets: 0, verdict: 0 },
    logs: {
      buffer: emptyBuffer(o.logCapacity ?? DEFAULT_LOG_CAPACITY),
      filter: "",
      editing: false,
      errorsOnly: false,
      wrap: false,
      timestamps: true,
      pretty: false,
    },
    tail: { state: "off" },
    fixRunning: false,
    quitting: false,
  };
}

// ── Messages and effects ──────────────────────────────────────────────────────────────────

/** Everything a key can do; the keymap (source/ui/keymap.ts) binds keys to these names. */
export type Action =
  | "quit"
  | "forceQuit"
  | "help"
  | "nextPane"
  | "prevPane"
  | "step1"
  | "step2"
  | "step3"
  | "step4"
  | "step5"
  | "step6"
  | "refresh"
  | "switchEnv"
  | "openFix"
  | "up"
  | "down"
  | "pageUp"
  | "pageDown"
  | "top"
  | "bottom"
  | "drill"
  | "back"
  | "filter"
  | "nextMatch"
  | "prevMatch"
  | "errorsOnly"
  | "wrap"
  | "timestamps"
  | "pretty"
  | "confirmYes"
  | "confirmNo"
  | "filterApply"
  | "filterCancel"
  | "fixSelect"
  | "fixNext"
  | "fixPrevField"
  | "fixApply";

export type Msg =
  /** `limit`: the last row the current pane can scroll to (the view knows its content). */
  | { type: "action"; action: Action; limit?: number }
  | { type: "filter-input"; text: string }
  | { type: "filter-backspace" }
  | { type: "filter-done"; keep: boolean }
  | { type: "connected"; target: Target; session: Session }
  | { type: "connect-failed"; message: string }
  | { type: "refresh-started"; keys: Collected[] }
  | { type: "evidence"; key: Collected; value: Evidence[Collected]; logGroup?: string; at: number }
  | { type: "refresh-done"; keys: Collected[] }
  | { type: "tick"; now: number }
  | { type: "resize"; size: Size }
  | { type: "log-lines"; lines: LogLine[] }
  | { type: "tail-mode"; mode: "live" | "polling"; note?: string }
  | { type: "tail-problem"; problem: ProblemInfo }
  | { type: "task-logs"; taskId: string; lines?: LogLine[]; problem?: ProblemInfo }
  | { type: "services"; services?: string[]; problem?: ProblemInfo }
  | { type: "fix-status"; running: boolean; status?: string }
  | { type: "status"; text: string | undefined }
  | FixMsg;

export type Effect =
  | { type: "refresh"; keys: Collected[] }
  | { type: "tail-start"; group: string }
  | { type: "tail-stop" }
  | { type: "task-logs"; taskId: string; group: string; startTime?: number; endTime?: number }
  | { type: "list-services"; cluster: string }
  | { type: "switch-service"; service: string }
  /** The fix menu hook (issue 5): the runtime opens the fix flow for this fix id. */
  | { type: "open-fix"; fixId: string; readOnly: boolean }
  | FixEffect
  | { type: "quit" };

export interface Update {
  state: UiState;
  effects: Effect[];
}

// ── Derived views (pure; the screen and update share them) ────────────────────────────────

export const lineKey = (l: LogLine) => l.eventId ?? `${l.stream}|${l.timestamp?.getTime() ?? 0}|${l.message}`;

/** The lines the log pane shows: error-only toggle and the `/` filter (case-insensitive). */
export function visibleLogLines(v: LogView): readonly LogLine[] {
  const q = v.filter.toLowerCase();
  if (!v.errorsOnly && q === "") return v.buffer.lines;
  return v.buffer.lines.filter(
    (l) =>
      (!v.errorsOnly || matchesRunbookFilter(l.message)) && (q === "" || l.message.toLowerCase().includes(q)),
  );
}

/** Index of the cursor line among the visible lines (the last one when following). */
export function logCursor(v: LogView, visible: readonly LogLine[] = visibleLogLines(v)): number {
  if (v.anchor === undefined) return visible.length - 1;
  const i = visible.findIndex((l) => lineKey(l) === v.anchor);
  return i >= 0 ? i : visible.length - 1;
}

export function stoppedTasksOf(s: UiState): StoppedTask[] {
  const r = s.evidence.stoppedTasks;
  if (!r?.ok) return [];
  return [...r.value].sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));
}

/** How old the pane's data is (ms), undefined when nothing arrived yet. */
export function paneAge(s: UiState, pane: PaneId): number | undefined {
  const times = PANE_EVIDENCE[pane].map((k) => s.fetchedAt[k]).filter((t): t is number => t !== undefined);
  if (times.length === 0) return undefined;
  return s.now - Math.min(...times);
}

/** The first failed piece of a pane's evidence (the pane says why, the rest keeps working). */
export function paneProblem(s: UiState, pane: PaneId): ProblemInfo | undefined {
  for (const k of PANE_EVIDENCE[pane]) {
    const r = s.evidence[k];
    if (r && !r.ok) return r.problem;
  }
  return undefined;
}

export const paneLoading = (s: UiState, pane: PaneId) =>
  PANE_EVIDENCE[pane].some((k) => s.inFlight.includes(k));

/** The account id, from the service's or the stack's ARN. */
export function accountOf(s: UiState): string | undefined {
  const arn =
    (s.evidence.service?.ok ? s.evidence.service.value.serviceArn : undefined) ??
    (s.evidence.taskDefinition?.ok ? s.evidence.taskDefinition.value.arn : undefined);
  return arn?.split(":")[4] || undefined;
}

export const recommendedFix = (s: UiState): string | undefined => s.analysis.verdict?.fix ?? undefined;

/** The key context: which keymap bindings apply now. */
export type KeyContext = "confirm-quit" | "help" | "services" | "filter" | "task" | FixKeyContext | PaneId;

export function keyContext(s: UiState): KeyContext {
  if (s.overlay) return s.overlay.kind;
  if (s.fix) return fixKeyContext(s.fix);
  if (s.pane === "logs" && s.logs.editing) return "filter";
  if (s.pane === "tasks" && s.task) return "task";
  return s.pane;
}

// ── update ────────────────────────────────────────────────────────────────────────────────

const none = (state: UiState): Update => ({ state, effects: [] });

function reanalyze(s: UiState): UiState {
  return { ...s, analysis: analyze({ ...s.evidence, target: s.target }, s.inFlight.length > 0) };
}

function withEvidence(
  s: UiState,
  key: Collected,
  value: Evidence[Collected],
  at: number,
  group?: string,
): UiState {
  const evidence: Partial<Evidence> = { ...s.evidence, [key]: value };
  if (group) {
    evidence.logGroup = group;
  }
  return {
    ...s,
    evidence,
    inFlight: s.inFlight.filter((k) => k !== key),
    fetchedAt: { ...s.fetchedAt, [key]: at },
  };
}

function startTailIfKnown(s: UiState): Update {
  const group = s.evidence.logGroup;
  if (!group || s.tail.state !== "off" || s.phase !== "running") return none(s);
  return { state: { ...s, tail: { state: "starting", group } }, effects: [{ type: "tail-start", group }] };
}

function refresh(s: UiState, keys: Collected[]): Update {
  const wanted = keys.filter((k) => !s.inFlight.includes(k));
  if (wanted.length === 0) return none(s);
  return { state: s, effects: [{ type: "refresh", keys: wanted }] };
}

function goPane(s: UiState, pane: PaneId): UiState {
  return { ...s, pane, task: pane === s.pane ? s.task : undefined, status: undefined };
}

function moveLogCursor(s: UiState, delta: number | "top" | "bottom"): UiState {
  const visible = visibleLogLines(s.logs);
  if (visible.length === 0) return s;
  const cur = logCursor(s.logs, visible);
  const next =
    delta === "top"
      ? 0
      : delta === "bottom"
        ? visible.length - 1
        : Math.max(0, Math.min(visible.length - 1, cur + delta));
  // Reaching the newest line resumes follow mode.
  const anchor = next >= visible.length - 1 ? undefined : lineKey(visible[next]!);
  return { ...s, logs: { ...s.logs, anchor, pretty: false } };
}

/** Rows of content of the text panes, so scrolling stops at the end (the view tells via cursor max). */
function moveCursor(s: UiState, delta: number | "top" | "bottom", limit = 10_000): UiState {
  const pane = s.pane;
  if (pane === "logs") return moveLogCursor(s, delta);
  if (pane === "tasks" && s.task) {
    const cur = Math.min(s.task.scroll, limit);
    const scroll =
      delta === "top" ? 0 : delta === "bottom" ? limit : Math.max(0, Math.min(limit, cur + delta));
    return { ...s, task: { ...s.task, scroll } };
  }
  const max = pane === "tasks" ? Math.max(0, stoppedTasksOf(s).length - 1) : limit;
  const cur = Math.min(s.cursor[pane], max);
  const next = delta === "top" ? 0 : delta === "bottom" ? max : Math.max(0, Math.min(max, cur + delta));
  return { ...s, cursor: { ...s.cursor, [pane]: next } };
}

function onAction(s: UiState, action: Action, limit?: number): Update {
  const page = Math.max(1, layoutOf(s.size, s.pane).bodyRows - 1);
  const ov = s.overlay;
  // Overlays take the keys first.
  if (ov?.kind === "confirm-quit") {
    if (action === "confirmYes" || action === "forceQuit")
      return { state: { ...s, overlay: undefined, quitting: true }, effects: [{ type: "quit" }] };
    if (action === "confirmNo" || action === "back" || action === "quit")
      return none({ ...s, overlay: undefined });
    return none(s);
  }
  if (ov?.kind === "help") {
    if (action === "forceQuit") return { state: { ...s, quitting: true }, effects: [{ type: "quit" }] };
    if (action === "help" || action === "back" || action === "quit")
      return none({ ...s, overlay: undefined });
    return none(s);
  }
  if (ov?.kind === "services") {
    const n = ov.services.length;
    switch (action) {
      case "up":
        return none({ ...s, overlay: { ...ov, cursor: Math.max(0, ov.cursor - 1) } });
      case "down":
        return none({ ...s, overlay: { ...ov, cursor: Math.min(Math.max(0, n - 1), ov.cursor + 1) } });
      case "drill": {
        const svc = ov.services[ov.cursor];
        if (!svc) return none(s);
        return switchService({ ...s, overlay: undefined }, svc);
      }
      case "back":
      case "switchEnv":
      case "quit":
        return none({ ...s, overlay: undefined });
      case "forceQuit":
        return { state: { ...s, quitting: true }, effects: [{ type: "quit" }] };
      default:
        return none(s);
    }
  }

  if (s.fix) return fixAction(s, s.fix, action, page, limit);

  switch (action) {
    case "forceQuit":
      return { state: { ...s, quitting: true }, effects: [{ type: "quit" }] };
    case "quit":
      if (s.fixRunning) return none({ ...s, overlay: { kind: "confirm-quit" } });
      return { state: { ...s, quitting: true }, effects: [{ type: "quit" }] };
    case "help":
      return none({ ...s, overlay: { kind: "help" } });
    case "nextPane":
    case "prevPane": {
      const i = PANES.indexOf(s.pane);
      const d = action === "nextPane" ? 1 : PANES.length - 1;
      return none(goPane(s, PANES[(i + d) % PANES.length]!));
    }
    case "step1":
    case "step2":
    case "step3":
    case "step4":
    case "step5":
    case "step6":
      return none(goPane(s, PANES[Number(action.slice(4)) - 1]!));
    case "refresh":
      if (s.phase !== "running") return none(s);
      return refresh({ ...s, status: undefined }, [...ALL_EVIDENCE]);
    case "switchEnv":
      if (s.phase !== "running") return none(s);
      return {
        state: { ...s, overlay: { kind: "services", loading: true, services: [], cursor: 0 } },
        effects: [{ type: "list-services", cluster: s.target.cluster }],
      };
    case "openFix": {
      const fix = recommendedFix(s);
      if (!fix) return none({ ...s, status: "no-fix" });
      return {
        state: { ...s, status: undefined, fix: openFixView(s.session.readOnly, fix) },
        effects: [{ type: "open-fix", fixId: fix, readOnly: s.session.readOnly }],
      };
    }
    case "up":
      return none(moveCursor(s, -1, limit));
    case "down":
      return none(moveCursor(s, 1, limit));
    case "pageUp":
      return none(moveCursor(s, -page, limit));
    case "pageDown":
      return none(moveCursor(s, page, limit));
    case "top":
      return none(moveCursor(s, "top", limit));
    case "bottom":
      return none(moveCursor(s, "bottom", limit));
    case "drill":
      return drill(s);
    case "back":
      if (s.task) return none({ ...s, task: undefined });
      if (s.pane === "logs" && (s.logs.filter || s.logs.pretty))
        return none({ ...s, logs: { ...s.logs, filter: "", pretty: false } });
      return none(s);
    case "filterApply":
    case "filterCancel":
      return none({
        ...s,
        logs: { ...s.logs, editing: false, filter: action === "filterApply" ? s.logs.filter : "" },
      });
    case "filter":
      if (s.pane !== "logs") return none(s);
      return none({ ...s, logs: { ...s.logs, editing: true } });
    case "nextMatch":
    case "prevMatch":
      if (s.pane !== "logs") return none(s);
      return none(moveLogCursor(s, action === "nextMatch" ? 1 : -1));
    case "errorsOnly":
      return none({ ...s, logs: { ...s.logs, errorsOnly: !s.logs.errorsOnly, anchor: undefined } });
    case "wrap":
      return none({ ...s, logs: { ...s.logs, wrap: !s.logs.wrap } });
    case "timestamps":
      return none({ ...s, logs: { ...s.logs, timestamps: !s.logs.timestamps } });
    case "pretty":
      return none({ ...s, logs: { ...s.logs, pretty: !s.logs.pretty } });
    default:
      return none(s);
  }
}

function drill(s: UiState): Update {
  if (s.pane !== "tasks" || s.task) return none(s);
  const t = stoppedTasksOf(s)[s.cursor.tasks];
  if (!t) return none(s);
  const group = s.evidence.logGroup;
  const detail: TaskDetail = { taskId: t.taskId, scroll: 0, logsLoading: Boolean(group) };
  const start = (t.createdAt ?? t.startedAt)?.getTime();
  const end = (t.stoppedAt ?? t.stoppingAt)?.getTime();
  return {
    state: { ...s, task: detail },
    effects: group
      ? [
          {
            type: "task-logs",
            taskId: t.taskId,
            group,
            ...(start !== undefined ? { startTime: start - 60_000 } : {}),
            ...(end !== undefined ? { endTime: end + 60_000 } : {}),
          },
        ]
      : [],
  };
}

function switchService(s: UiState, service: string): Update {
  if (service === s.target.service) return none(s);
  const target = { ...s.target, service };
  const fresh = initialState({
    target,
    session: s.session,
    size: s.size,
    now: s.now,
    noColor: s.noColor,
    logCapacity: s.logs.buffer.capacity,
    cadence: s.cadence,
  });
  const state: UiState = { ...fresh, phase: "running", pane: s.pane };
  return {
    state,
    effects: [
      { type: "tail-stop" },
      { type: "switch-service", service },
      { type: "refresh", keys: [...ALL_EVIDENCE] },
    ],
  };
}

/** Panes whose evidence is older than their cadence (and not being fetched). */
function dueKeys(s: UiState): Collected[] {
  const keys = new Set<Collected>();
  for (const p of PANES) {
    for (const k of PANE_EVIDENCE[p]) {
      const at = s.fetchedAt[k];
      if (at === undefined || s.inFlight.includes(k)) continue;
      if (s.now - at >= s.cadence[p]) keys.add(k);
    }
  }
  return [...keys];
}

export function update(s: UiState, msg: Msg): Update {
  if (isFixMsg(msg)) return fixUpdate(s, msg);
  switch (msg.type) {
    case "action":
      return onAction(s, msg.action, msg.limit);
    case "filter-input": {
      const text = msg.text.replace(/[\r\n\t]/g, "");
      if (!text) return none(s);
      return none({ ...s, logs: { ...s.logs, filter: s.logs.filter + text, anchor: undefined } });
    }
    case "filter-backspace":
      return none({ ...s, logs: { ...s.logs, filter: s.logs.filter.slice(0, -1), anchor: undefined } });
    case "filter-done":
      return none({ ...s, logs: { ...s.logs, editing: false, filter: msg.keep ? s.logs.filter : "" } });
    case "connected":
      return refresh(
        { ...s, phase: "running", target: msg.target, session: msg.session, connectProblem: undefined },
        [...ALL_EVIDENCE],
      );
    case "connect-failed":
      return none({ ...s, phase: "failed", connectProblem: msg.message });
    case "refresh-started": {
      const inFlight = [...new Set([...s.inFlight, ...msg.keys])];
      return none(reanalyze({ ...s, inFlight }));
    }
    case "evidence": {
      const next = reanalyze(withEvidence(s, msg.key, msg.value, msg.at, msg.logGroup));
      return startTailIfKnown(next);
    }
    case "refresh-done": {
      const next = reanalyze({ ...s, inFlight: s.inFlight.filter((k) => !msg.keys.includes(k)) });
      return startTailIfKnown(next);
    }
    case "tick": {
      const next = { ...s, now: msg.now };
      if (s.phase !== "running") return none(next);
      return refresh(next, dueKeys(next));
    }
    case "resize":
      return none({ ...s, size: msg.size });
    case "log-lines": {
      if (msg.lines.length === 0) return none(s);
      const masked = msg.lines.map((l) => ({ ...l, message: maskCredentials(l.message) }));
      const buffer = addLines(s.logs.buffer, masked);
      if (buffer === s.logs.buffer) return none(s);
      return none({ ...s, logs: { ...s.logs, buffer } });
    }
    case "tail-mode":
      return none({
        ...s,
        tail: { ...s.tail, state: msg.mode, note: msg.note, problem: undefined },
      });
    case "tail-problem":
      return none({ ...s, tail: { ...s.tail, problem: msg.problem } });
    case "task-logs": {
      if (!s.task || s.task.taskId !== msg.taskId) return none(s);
      const lines = msg.lines?.map((l) => ({ ...l, message: maskCredentials(l.message) }));
      return none({
        ...s,
        task: {
          ...s.task,
          logsLoading: false,
          ...(lines ? { logs: lines } : {}),
          ...(msg.problem ? { logsProblem: msg.problem } : {}),
        },
      });
    }
    case "services": {
      if (s.overlay?.kind !== "services") return none(s);
      const services = msg.services ?? [];
      const cursor = Math.max(0, services.indexOf(s.target.service));
      return none({
        ...s,
        overlay: {
          kind: "services",
          loading: false,
          services,
          cursor,
          ...(msg.problem ? { problem: msg.problem } : {}),
        },
      });
    }
    case "fix-status":
      return none({
        ...s,
        fixRunning: msg.running,
        ...(msg.status !== undefined ? { status: msg.status } : {}),
      });
    case "status":
      return none({ ...s, status: msg.text });
  }
}

/** The log lines of one task: fetched for the drill-down, plus what the tail has of it. */
export function taskLogLines(s: UiState, taskId: string): LogLine[] {
  const fromTail = s.logs.buffer.lines.filter((l) => l.taskId === taskId);
  const fetched = s.task?.taskId === taskId ? (s.task.logs ?? []) : [];
  const seen = new Set<string>();
  const out: LogLine[] = [];
  for (const l of [...fetched, ...fromTail]) {
    const k = `${l.stream}|${l.timestamp?.getTime() ?? 0}|${l.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(l);
  }
  return out.sort((a, b) => (a.timestamp?.getTime() ?? 0) - (b.timestamp?.getTime() ?? 0));
}
