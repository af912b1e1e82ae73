// The fix flow of the terminal UI (issue 5), as part of the one state machine: menu (recommended
// first) → masked inputs → preview → explicit confirmation → applying → watching → result.
// Pure: the runtime (source/ui/fix-runtime.ts) performs the effects and feeds answers back.
//
// Secret values never enter this state (it is rendered and may be snapshotted): the inputs stage
// keeps only how many characters were typed per key; the characters travel once, inside a
// `Masked`, from the key handler through an effect to the runtime, which holds them until the
// plan is built and then drops them.

import type { ReadyResult } from "../aws/ready.js";
import type { Severity, StoppedTask } from "../diagnosis/model.js";
import type { ActionResult } from "./apply.js";
import { ALL_EVIDENCE } from "./collect.js";
import type { PreviewItem } from "./fix-preview.js";
import type { FixMenuEntry } from "./fixes.js";
import type { Action, Effect, UiState, Update } from "./ui-state.js";
import type { WatchOutcome, WatchResult, WatchSnapshot } from "./watch.js";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** Typed characters on their way to the runtime: they print, serialise and inspect as "[masked]". */
export class Masked {
  #text: string;
  constructor(text: string) {
    this.#text = text;
  }
  get length(): number {
    return [...this.#text].length;
  }
  reveal(): string {
    return this.#text;
  }
  toJSON(): string {
    return "[masked]";
  }
  toString(): string {
    return "[masked]";
  }
  [INSPECT](): string {
    return "[masked]";
  }
}

export type FixStage =
  /** The fix menu. */
  | "menu"
  /** Reading the secrets / building the preview. */
  | "preparing"
  | "inputs"
  | "preview"
  | "confirm"
  | "applying"
  | "watching"
  | "result";

export interface FixActionView {
  kind: string;
  resource: string;
  status: "pending" | "running" | "ok" | "failed";
  detail?: ActionDetail;
}

export interface FixLine {
  text: string;
  severity: Severity | "info";
  at?: number;
}

export type FixOutcome = WatchOutcome | "apply-failed" | "applied";

export interface FixView {
  stage: FixStage;
  readOnly: boolean;
  /** The diagnosis's recommendation when the menu opened. */
  recommended?: string;
  menu: FixMenuEntry[];
  menuLoading: boolean;
  cursor: number;
  fixId?: string;
  // inputs
  inputKeys: string[];
  inputIndex: number;
  /** Characters typed per input key: counts only, never the text. */
  typed: number[];
  masterProblem?: string;
  // preview
  /** The plan's preview as items (value sources only, never a value). */
  preview: PreviewItem[];
  missing: string[];
  scroll: number;
  /** Why the fix cannot be previewed or applied (prepare failed, PlanError, read-only). */
  problem?: string;
  // applying
  actions: FixActionView[];
  cdkLines: string[];
  rollback: string[];
  auditPath?: string;
  deploymentId?: string;
  // watching
  watchStartedAt?: number;
  snapshot?: WatchSnapshot;
  lastPollAt?: number;
  rolloutState?: string;
  events: FixLine[];
  stopped: FixStopped[];
  pollProblem?: string;
  ready?: ReadyResult;
  // result
  outcome?: FixOutcome;
  /** Why applying failed (a problem's message, or "conflict"). */
  reason?: string;
  /** The finished watch. */
  summary?: WatchSummary;
  /** The diagnosis was refreshed after the watch (the panes show the new evidence). */
  refreshed: boolean;
}

export type FixMsg =
  | { type: "fix-menu"; entries: FixMenuEntry[] }
  | { type: "fix-prepared"; fixId: string; inputKeys: string[]; masterProblem?: string }
  | { type: "fix-typed"; text: Masked }
  | { type: "fix-backspace" }
  | { type: "fix-preview"; fixId: string; items: PreviewItem[]; missing: string[] }
  | { type: "fix-problem"; message: string }
  | { type: "fix-action-start"; index: number; total: number; kind: string; resource: string }
  | { type: "fix-action-done"; index: number; ok: boolean; detail: ActionDetail }
  | { type: "fix-cdk-line"; line: string }
  | {
      type: "fix-applied";
      ok: boolean;
      deploymentId?: string;
      conflict: boolean;
      rollback: string[];
      auditPath?: string;
      problem?: string;
    }
  | { type: "fix-watch-poll"; at: number; snapshot: WatchSnapshot }
  | { type: "fix-watch-state"; to: string; reason?: string }
  | { type: "fix-watch-event"; line: FixLine }
  | { type: "fix-watch-stopped"; task: FixStopped }
  | { type: "fix-watch-error"; message: string }
  | { type: "fix-watch-ready"; result: ReadyResult }
  | {
      type: "fix-watch-done";
      outcome: WatchOutcome;
      summary: WatchSummary;
      snapshot?: WatchSnapshot;
      ready?: ReadyResult;
    };

export type FixEffect =
  /** Read the secrets the fix writes (prepareFix). */
  | { type: "fix-prepare"; fixId: string }
  /** Typed characters for one input key (the runtime keeps them). */
  | { type: "fix-input"; key: string; op: "type"; text: Masked }
  | { type: "fix-input"; key: string; op: "backspace" }
  /** Build the plan (a new ClientRequestToken) and its preview; the runtime drops the typed values. */
  | { type: "fix-plan"; fixId: string }
  | { type: "fix-apply"; fixId: string; readOnly: boolean }
  | { type: "fix-watch"; deploymentId: string }
  /** Drop values, plan and prepared snapshots; stop a watch. */
  | { type: "fix-close" };

/** How many rows the lists keep (events, stopped tasks, cdk output). */
const KEEP = 200;

export function openFixView(readOnly: boolean, recommended: string | undefined): FixView {
  return {
    stage: "menu",
    readOnly,
    ...(recommended ? { recommended } : {}),
    menu: [],
    menuLoading: true,
    cursor: 0,
    inputKeys: [],
    inputIndex: 0,
    typed: [],
    preview: [],
    missing: [],
    scroll: 0,
    actions: [],
    cdkLines: [],
    rollback: [],
    events: [],
    stopped: [],
    refreshed: false,
  };
}

/** The key context of the fix view (the keymap's contexts). */
export type FixKeyContext =
  | "fix-menu"
  | "fix-input"
  | "fix-preview"
  | "fix-confirm"
  | "fix-busy"
  | "fix-result";

export function fixKeyContext(f: FixView): FixKeyContext {
  switch (f.stage) {
    case "menu":
      return "fix-menu";
    case "inputs":
      return "fix-input";
    case "preview":
      return "fix-preview";
    case "confirm":
      return "fix-confirm";
    case "result":
      return "fix-result";
    default:
      return "fix-busy";
  }
}

/** Whether the preview may be applied (not read-only, every value given, no problem). */
export const canApply = (f: FixView): boolean =>
  !f.readOnly && f.stage === "preview" && f.preview.length > 0 && f.missing.length === 0 && !f.problem;

/** The outcomes after which the diagnosis is shown again with the new evidence. */
export const WENT_WRONG: readonly FixOutcome[] = [
  "failed",
  "rolled-back",
  "not-ready",
  "superseded",
  "timeout",
];

const none = (state: UiState): Update => ({ state, effects: [] });
const withFix = (s: UiState, fix: FixView, effects: Effect[] = []): Update => ({
  state: { ...s, fix },
  effects,
});

/** The state after closing the fix view: back on the verdict pane. */
function close(s: UiState): Update {
  return {
    state: { ...s, fix: undefined, fixRunning: false, pane: "verdict" },
    effects: [{ type: "fix-close" }],
  };
}

function scroll(f: FixView, action: Action, page: number, limit: number): FixView {
  const d =
    action === "up"
      ? -1
      : action === "down"
        ? 1
        : action === "pageUp"
          ? -page
          : action === "pageDown"
            ? page
            : action === "top"
              ? -Number.MAX_SAFE_INTEGER
              : Number.MAX_SAFE_INTEGER;
  const cur = Math.min(f.scroll, limit);
  return { ...f, scroll: Math.max(0, Math.min(limit, cur + d)) };
}

const SCROLL: readonly Action[] = ["up", "down", "pageUp", "pageDown", "top", "bottom"];

/** Keys while the fix view is open (overlays such as help and confirm-quit come first). */
export function fixAction(s: UiState, f: FixView, action: Action, page: number, limit = 10_000): Update {
  if (action === "forceQuit") return { state: { ...s, quitting: true }, effects: [{ type: "quit" }] };
  if (action === "quit") {
    if (s.fixRunning) return none({ ...s, overlay: { kind: "confirm-quit" } });
    return { state: { ...s, quitting: true }, effects: [{ type: "quit" }] };
  }
  if (action === "help") return none({ ...s, overlay: { kind: "help" } });
  switch (f.stage) {
    case "menu": {
      const n = f.menu.length;
      if (action === "up") return withFix(s, { ...f, cursor: Math.max(0, f.cursor - 1) });
      if (action === "down") return withFix(s, { ...f, cursor: Math.min(Math.max(0, n - 1), f.cursor + 1) });
      if (action === "fixSelect") {
        const e = f.menu[f.cursor];
        if (!e) return none(s);
        return withFix(
          s,
          {
            ...f,
            stage: "preparing",
            fixId: e.id,
            problem: undefined,
            preview: [],
            missing: [],
            scroll: 0,
            inputKeys: [],
            typed: [],
            inputIndex: 0,
            masterProblem: undefined,
          },
          [{ type: "fix-prepare", fixId: e.id }],
        );
      }
      if (action === "back") return close(s);
      return none(s);
    }
    case "inputs": {
      if (action === "fixNext") {
        if ((f.typed[f.inputIndex] ?? 0) === 0) return none(s);
        if (f.inputIndex < f.inputKeys.length - 1) return withFix(s, { ...f, inputIndex: f.inputIndex + 1 });
        return withFix(s, { ...f, stage: "preparing" }, [{ type: "fix-plan", fixId: f.fixId! }]);
      }
      if (action === "fixPrevField") return withFix(s, { ...f, inputIndex: Math.max(0, f.inputIndex - 1) });
      if (action === "back")
        return withFix(s, { ...f, stage: "menu", typed: [], inputIndex: 0 }, [{ type: "fix-close" }]);
      return none(s);
    }
    case "preview": {
      if (SCROLL.includes(action)) return withFix(s, scroll(f, action, page, limit));
      if (action === "fixApply") {
        if (f.readOnly) return withFix(s, { ...f, problem: undefined }, []);
        if (!canApply(f)) return none(s);
        return withFix(s, { ...f, stage: "confirm" });
      }
      if (action === "back")
        return withFix(s, { ...f, stage: "menu", problem: undefined }, [{ type: "fix-close" }]);
      return none(s);
    }
    case "confirm": {
      if (action === "confirmYes") {
        if (f.readOnly || f.missing.length > 0) return withFix(s, { ...f, stage: "preview" });
        return {
          state: { ...s, fixRunning: true, fix: { ...f, stage: "applying", actions: [], cdkLines: [] } },
          effects: [{ type: "fix-apply", fixId: f.fixId!, readOnly: f.readOnly }],
        };
      }
      if (action === "confirmNo" || action === "back") return withFix(s, { ...f, stage: "preview" });
      return none(s);
    }
    case "result": {
      if (SCROLL.includes(action)) return withFix(s, scroll(f, action, page, limit));
      if (action === "back" || action === "fixSelect") return close(s);
      return none(s);
    }
    default:
      // preparing, applying, watching: nothing to choose; the view follows by itself.
      if (SCROLL.includes(action)) return withFix(s, scroll(f, action, page, limit));
      if (action === "back" && f.stage === "preparing")
        return withFix(s, { ...f, stage: "menu" }, [{ type: "fix-close" }]);
      return none(s);
  }
}

const keep = <T>(xs: T[], x: T): T[] => (xs.length >= KEEP ? [...xs.slice(1 - KEEP), x] : [...xs, x]);

/** The fix messages; everything else goes through `update` in ui-state.ts. */
export function fixUpdate(s: UiState, msg: FixMsg): Update {
  const f = s.fix;
  if (!f) return none(s);
  switch (msg.type) {
    case "fix-menu": {
      const rec = Math.max(
        0,
        msg.entries.findIndex((e) => e.recommended),
      );
      return withFix(s, { ...f, menu: msg.entries, menuLoading: false, cursor: rec });
    }
    case "fix-prepared": {
      if (f.stage !== "preparing" || msg.fixId !== f.fixId) return none(s);
      const next: FixView = {
        ...f,
        inputKeys: msg.inputKeys,
        typed: msg.inputKeys.map(() => 0),
        inputIndex: 0,
        ...(msg.masterProblem ? { masterProblem: msg.masterProblem } : {}),
      };
      // Read-only shows the preview and never applies: no values are asked for.
      if (f.readOnly || msg.inputKeys.length === 0)
        return withFix(s, next, [{ type: "fix-plan", fixId: msg.fixId }]);
      return withFix(s, { ...next, stage: "inputs" });
    }
    case "fix-typed": {
      if (f.stage !== "inputs") return none(s);
      const key = f.inputKeys[f.inputIndex];
      if (key === undefined || msg.text.length === 0) return none(s);
      const typed = [...f.typed];
      typed[f.inputIndex] = (typed[f.inputIndex] ?? 0) + msg.text.length;
      return withFix(s, { ...f, typed }, [{ type: "fix-input", key, op: "type", text: msg.text }]);
    }
    case "fix-backspace": {
      if (f.stage !== "inputs") return none(s);
      const key = f.inputKeys[f.inputIndex];
      if (key === undefined || (f.typed[f.inputIndex] ?? 0) === 0) return none(s);
      const typed = [...f.typed];
      typed[f.inputIndex] = (typed[f.inputIndex] ?? 1) - 1;
      return withFix(s, { ...f, typed }, [{ type: "fix-input", key, op: "backspace" }]);
    }
    case "fix-preview":
      if (f.stage !== "preparing" || msg.fixId !== f.fixId) return none(s);
      return withFix(s, {
        ...f,
        stage: "preview",
        preview: msg.items,
        missing: msg.missing,
        scroll: 0,
        problem: undefined,
        // The typed values are gone with the plan's building: the counts go too.
        typed: f.typed.map(() => 0),
      });
    case "fix-problem":
      if (f.stage === "preparing" || f.stage === "preview")
        return withFix(s, { ...f, stage: "preview", preview: [], missing: [], problem: msg.message });
      if (f.stage === "applying")
        return {
          state: {
            ...s,
            fixRunning: false,
            fix: { ...f, stage: "result", outcome: "apply-failed", reason: msg.message },
          },
          effects: [],
        };
      return withFix(s, { ...f, problem: msg.message });
    case "fix-action-start": {
      const actions = [...f.actions];
      while (actions.length < msg.total) actions.push({ kind: "", resource: "", status: "pending" });
      actions[msg.index] = { kind: msg.kind, resource: msg.resource, status: "running" };
      return withFix(s, { ...f, actions });
    }
    case "fix-action-done": {
      const actions = [...f.actions];
      const a = actions[msg.index];
      if (a) actions[msg.index] = { ...a, status: msg.ok ? "ok" : "failed", detail: msg.detail };
      return withFix(s, { ...f, actions });
    }
    case "fix-cdk-line":
      return withFix(s, { ...f, cdkLines: keep(f.cdkLines, msg.line) });
    case "fix-applied": {
      if (f.stage !== "applying") return none(s);
      const base: FixView = {
        ...f,
        rollback: msg.rollback,
        ...(msg.auditPath ? { auditPath: msg.auditPath } : {}),
      };
      if (msg.deploymentId)
        return {
          state: {
            ...s,
            fixRunning: true,
            fix: {
              ...base,
              stage: "watching",
              deploymentId: msg.deploymentId,
              watchStartedAt: s.now,
              ...(msg.ok ? {} : { problem: msg.problem }),
            },
          },
          effects: [{ type: "fix-watch", deploymentId: msg.deploymentId }],
        };
      return {
        state: {
          ...s,
          fixRunning: false,
          fix: {
            ...base,
            stage: "result",
            outcome: msg.ok ? "applied" : "apply-failed",
            reason: msg.problem ?? (msg.conflict ? "conflict" : ""),
          },
        },
        effects: msg.ok ? [{ type: "refresh", keys: [...ALL_EVIDENCE] }] : [],
      };
    }
    case "fix-watch-poll":
      if (f.stage !== "watching") return none(s);
      return withFix(s, {
        ...f,
        snapshot: msg.snapshot,
        lastPollAt: msg.at,
        pollProblem: undefined,
        ...(msg.snapshot.rolloutState ? { rolloutState: msg.snapshot.rolloutState } : {}),
      });
    case "fix-watch-state":
      if (f.stage !== "watching") return none(s);
      return withFix(s, {
        ...f,
        rolloutState: msg.to,
        events: keep(f.events, {
          text: `→ ${msg.to}${msg.reason ? `: ${msg.reason}` : ""}`,
          severity: "info",
        }),
      });
    case "fix-watch-event":
      if (f.stage !== "watching") return none(s);
      return withFix(s, { ...f, events: keep(f.events, msg.line) });
    case "fix-watch-stopped":
      if (f.stage !== "watching") return none(s);
      return withFix(s, { ...f, stopped: keep(f.stopped, msg.task) });
    case "fix-watch-error":
      if (f.stage !== "watching") return none(s);
      return withFix(s, { ...f, pollProblem: msg.message });
    case "fix-watch-ready":
      if (f.stage !== "watching") return none(s);
      return withFix(s, { ...f, ready: msg.result });
    case "fix-watch-done": {
      if (f.stage !== "watching") return none(s);
      // Whatever the outcome, the panes get the new evidence; after a failure the view says so.
      const keys = ALL_EVIDENCE.filter((k) => !s.inFlight.includes(k));
      return {
        state: {
          ...s,
          fixRunning: false,
          fix: {
            ...f,
            stage: "result",
            outcome: msg.outcome,
            summary: msg.summary,
            scroll: 0,
            refreshed: true,
            ...(msg.snapshot ? { snapshot: msg.snapshot } : {}),
            ...(msg.ready ? { ready: msg.ready } : {}),
          },
        },
        effects: keys.length ? [{ type: "refresh", keys }] : [],
      };
    }
  }
}

export const isFixMsg = (m: { type: string }): m is FixMsg =>
  m.type.startsWith("fix-") && m.type !== "fix-status";

// ── Apply and watch as data ─────────────────────────────────────────────────────────────
// What the engine reports (ActionResult, WatchResult, the stopped tasks, /api/ready), kept as
// kinds with their parameters; the catalogs (source/ui/i18n/fix-*.ts) word them. The engine
// gives some of them as one English line only (ActionResult.detail, WatchResult.reason): a line
// is recognised into its kind when the kind renders back to exactly that line (the `en*`
// functions below are the engine's wording); a line not recognised stays `text`, shown as is
// (AWS's, ECS's and the app's own messages are such text).

export type ActionDetail =
  | { kind: "created"; name: string; version: string }
  | { kind: "updated"; name: string; version: string; previous: string }
  | { kind: "context-set"; key: string; value: string; was?: string }
  | { kind: "cdk-exited"; code: string; last: string }
  | { kind: "cdk-no-deployment" }
  | { kind: "cdk-done"; deployment: string; taskDefinition: string }
  | { kind: "registered"; name: string }
  | { kind: "started"; deployment: string; taskDefinition: string }
  /** A problem (message — hint) or a line not recognised: verbatim. */
  | { kind: "text"; text: string };

export type ReadyError = { kind: "no-dns"; stack: string } | { kind: "text"; text: string };

export type WatchReason =
  | { kind: "ready"; deployment: string }
  | { kind: "not-ready"; deployment: string; error?: ReadyError }
  | { kind: "replaced"; by: string; deployment: string }
  | { kind: "not-listed"; deployment: string; now: string }
  | { kind: "not-of-service"; deployment: string; service: string }
  | { kind: "stopped-by-user" }
  | { kind: "no-answer"; seconds: string }
  | {
      kind: "still";
      state: string;
      seconds: string;
      running: string;
      desired: string;
      pending: string;
      failed: string;
    }
  | { kind: "deployment-failed" }
  | { kind: "cb-rolled-back" }
  /** ECS's reason (undefined: "the deployment failed"), then the rollback. */
  | { kind: "rolled-back"; cause?: string; to?: string }
  | { kind: "cannot-watch"; message: string }
  | { kind: "text"; text: string };

export interface WatchSummary {
  outcome: WatchOutcome;
  deploymentId: string;
  reason: WatchReason;
  snapshot?: { state: string; running: number; desired: number; pending: number; failed: number };
  rollbackDeploymentId?: string;
  /** ECS's stopped reasons of the deployment's tasks (verbatim, masked). */
  stoppedReasons: string[];
}

export interface StoppedTaskView {
  taskId: string;
  ours: boolean;
  /** ECS's stopped reason, verbatim ("?" when none). */
  reason: string;
  exits: { name: string; code: string; reason?: string }[];
}

export interface FixStopped {
  task: StoppedTaskView;
  severity: Severity | "info";
  at?: number;
}

export interface ReadyHead {
  url: { kind: "url"; url: string } | { kind: "no-dns-output"; stack: string };
  status?: number;
  ready: boolean;
  error?: ReadyError;
}

export function enActionDetail(d: ActionDetail): string {
  switch (d.kind) {
    case "created":
      return `created ${d.name} (version ${d.version})`;
    case "updated":
      return `updated ${d.name}: version ${d.version}, previous ${d.previous}`;
    case "context-set":
      return `set "${d.key}": ${d.value} (was ${d.was ?? "unset"})`;
    case "cdk-exited":
      return `cdk exited with ${d.code}: ${d.last}`;
    case "cdk-no-deployment":
      return "cdk deploy finished but started no new deployment of the service (nothing changed?)";
    case "cdk-done":
      return `cdk deploy done; deployment ${d.deployment} (${d.taskDefinition})`;
    case "registered":
      return `registered ${d.name}`;
    case "started":
      return `started deployment ${d.deployment} (${d.taskDefinition})`;
    case "text":
      return d.text;
  }
}

export function enReadyError(e: ReadyError): string {
  return e.kind === "no-dns" ? `the network stack ${e.stack} has no LoadBalancerDNS output` : e.text;
}

export function enWatchReason(r: WatchReason): string {
  switch (r.kind) {
    case "ready":
      return `deployment ${r.deployment} COMPLETED and /api/ready is ready`;
    case "not-ready":
      return `deployment ${r.deployment} COMPLETED, but /api/ready is not ready${r.error ? ` (${enReadyError(r.error)})` : ""}`;
    case "replaced":
      return `deployment ${r.by} replaced ${r.deployment} before it finished`;
    case "not-listed":
      return `deployment ${r.deployment} is no longer listed (now ${r.now})`;
    case "not-of-service":
      return `deployment ${r.deployment} is not a deployment of ${r.service}`;
    case "stopped-by-user":
      return "stopped by the user";
    case "no-answer":
      return `no answer within ${r.seconds} s`;
    case "still":
      return `still ${r.state} after ${r.seconds} s: running ${r.running}/${r.desired}, pending ${r.pending}, failed ${r.failed}`;
    case "deployment-failed":
      return "the deployment failed";
    case "cb-rolled-back":
      return "the circuit breaker rolled back";
    case "rolled-back":
      return `${r.cause ?? "the deployment failed"} The circuit breaker rolled back${r.to ? ` to ${r.to}` : ""}.`;
    case "cannot-watch":
      return `cannot watch: ${r.message}`;
    case "text":
      return r.text;
  }
}

export function enStopped(t: StoppedTaskView): string {
  const exits = t.exits.map((e) => `${e.name} exit ${e.code}${e.reason ? ` (${e.reason})` : ""}`).join(", ");
  return `${t.taskId}${t.ours ? "" : " (older deployment)"}: ${t.reason}${exits ? `; ${exits}` : ""}`;
}

/** The first of `forms` that renders back to `text` with `render`. */
function recognise<T>(
  text: string,
  render: (x: T) => string,
  forms: Array<[RegExp, (m: string[]) => T]>,
): T | undefined {
  for (const [re, f] of forms) {
    const m = re.exec(text);
    if (!m) continue;
    const x = f(m.map((g) => g ?? ""));
    if (render(x) === text) return x;
  }
  return undefined;
}

export function readyErrorOf(text: string): ReadyError {
  return (
    recognise<ReadyError>(text, enReadyError, [
      [/^the network stack (\S+) has no LoadBalancerDNS output$/, (m) => ({ kind: "no-dns", stack: m[1]! })],
    ]) ?? { kind: "text", text }
  );
}

/** An applied action's detail (masked already) as data. */
export function actionDetailOf(r: Pick<ActionResult, "ok" | "kind">, detail: string): ActionDetail {
  // A failure's detail is a problem (message — hint) or cdk's end: only those have forms of ours.
  const failed: Array<[RegExp, (m: string[]) => ActionDetail]> = [
    [/^cdk exited with (\S+): ([\s\S]*)$/, (m) => ({ kind: "cdk-exited", code: m[1]!, last: m[2]! })],
    [/^cdk deploy finished but started no new deployment/, () => ({ kind: "cdk-no-deployment" })],
  ];
  const done: Array<[RegExp, (m: string[]) => ActionDetail]> = [
    [/^created (\S+) \(version (\S+)\)$/, (m) => ({ kind: "created", name: m[1]!, version: m[2]! })],
    [
      /^updated (\S+): version (\S+), previous (\S+)$/,
      (m) => ({ kind: "updated", name: m[1]!, version: m[2]!, previous: m[3]! }),
    ],
    [
      /^set "(.+)": (\S+) \(was (.+)\)$/,
      (m) => ({ kind: "context-set", key: m[1]!, value: m[2]!, ...(m[3] === "unset" ? {} : { was: m[3]! }) }),
    ],
    [
      /^cdk deploy done; deployment (\S+) \((\S+)\)$/,
      (m) => ({ kind: "cdk-done", deployment: m[1]!, taskDefinition: m[2]! }),
    ],
    [/^registered (\S+)$/, (m) => ({ kind: "registered", name: m[1]! })],
    [
      /^started deployment (\S+) \((\S+)\)$/,
      (m) => ({ kind: "started", deployment: m[1]!, taskDefinition: m[2]! }),
    ],
  ];
  return recognise(detail, enActionDetail, r.ok ? done : failed) ?? { kind: "text", text: detail };
}

/** A watch result's reason (masked already) as data. */
export function watchReasonOf(outcome: WatchOutcome, reason: string): WatchReason {
  const forms: Array<[RegExp, (m: string[]) => WatchReason]> = [
    [/^deployment (\S+) COMPLETED and \/api\/ready is ready$/, (m) => ({ kind: "ready", deployment: m[1]! })],
    [
      /^deployment (\S+) COMPLETED, but \/api\/ready is not ready(?: \(([\s\S]*)\))?$/,
      (m) => ({ kind: "not-ready", deployment: m[1]!, ...(m[2] ? { error: readyErrorOf(m[2]) } : {}) }),
    ],
    [
      /^deployment (\S+) replaced (\S+) before it finished$/,
      (m) => ({ kind: "replaced", by: m[1]!, deployment: m[2]! }),
    ],
    [
      /^deployment (\S+) is no longer listed \(now (\S+)\)$/,
      (m) => ({ kind: "not-listed", deployment: m[1]!, now: m[2]! }),
    ],
    [
      /^deployment (\S+) is not a deployment of (\S+)$/,
      (m) => ({ kind: "not-of-service", deployment: m[1]!, service: m[2]! }),
    ],
    [/^stopped by the user$/, () => ({ kind: "stopped-by-user" })],
    [/^no answer within (\d+) s$/, (m) => ({ kind: "no-answer", seconds: m[1]! })],
    [
      /^still (\S+) after (\d+) s: running (\d+)\/(\d+), pending (\d+), failed (\d+)$/,
      (m) => ({
        kind: "still",
        state: m[1]!,
        seconds: m[2]!,
        running: m[3]!,
        desired: m[4]!,
        pending: m[5]!,
        failed: m[6]!,
      }),
    ],
    [/^the deployment failed$/, () => ({ kind: "deployment-failed" })],
    [/^the circuit breaker rolled back$/, () => ({ kind: "cb-rolled-back" })],
    [
      /^([\s\S]*?) ?The circuit breaker rolled back(?: to (\S+))?\.$/,
      (m) => ({
        kind: "rolled-back",
        ...(m[1] && m[1] !== "the deployment failed" ? { cause: m[1] } : {}),
        ...(m[2] ? { to: m[2] } : {}),
      }),
    ],
    [/^cannot watch: ([\s\S]*)$/, (m) => ({ kind: "cannot-watch", message: m[1]! })],
  ];
  // ECS's own reasons (a failed deployment's rolloutStateReason) are text whatever they say.
  const ours = outcome === "failed" || outcome === "rolled-back" ? forms.slice(-4, -1) : forms;
  return recognise(reason, enWatchReason, ours) ?? { kind: "text", text: reason };
}

/** The finished watch as data; `mask` for the texts from AWS. */
export function watchSummaryOf(r: WatchResult, mask: (s: string) => string): WatchSummary {
  const s = r.snapshot;
  return {
    outcome: r.outcome,
    deploymentId: r.deploymentId,
    reason: watchReasonOf(r.outcome, mask(r.reason)),
    ...(s?.found
      ? {
          snapshot: {
            state: s.rolloutState ?? "?",
            running: s.running,
            desired: s.desired,
            pending: s.pending,
            failed: s.failed,
          },
        }
      : {}),
    ...(r.rollbackDeploymentId ? { rollbackDeploymentId: r.rollbackDeploymentId } : {}),
    stoppedReasons: r.outcome !== "ready" ? r.stoppedReasons.slice(0, 5).map(mask) : [],
  };
}

export function stoppedTaskOf(
  task: StoppedTask,
  ours: boolean,
  mask: (s: string) => string,
): StoppedTaskView {
  return {
    taskId: task.taskId.slice(0, 12),
    ours,
    reason: mask(task.stoppedReason ?? "?"),
    exits: task.containers
      .filter((k) => k.exitCode !== undefined || k.reason)
      .map((k) => ({
        name: k.name,
        code: k.exitCode === undefined ? "-" : String(k.exitCode),
        ...(k.reason ? { reason: mask(k.reason) } : {}),
      })),
  };
}

export function readyHeadOf(r: ReadyResult): ReadyHead {
  const m = /^\((\S+) output LoadBalancerDNS\)$/.exec(r.url);
  return {
    url: m ? { kind: "no-dns-output", stack: m[1]! } : { kind: "url", url: r.url },
    ...(r.status !== undefined ? { status: r.status } : {}),
    ready: r.ready,
    ...(r.error ? { error: readyErrorOf(r.error) } : {}),
  };
}
