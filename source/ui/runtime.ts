// The runtime performs the state machine's effects: evidence refreshes through the engine, the
// live tail, the task drill-down's log lines, the service list for `e`, the fix hook and quitting.
// It feeds every answer back as a message. A generation counter drops answers that belong to a
// service the user has switched away from.

import type { Clients } from "../aws/clients.js";
import { listServices } from "../aws/ecs.js";
import { filterLogs } from "../aws/logs.js";
import { startTail, type Tail } from "../aws/tail.js";
import type { LogLine } from "../diagnosis/model.js";
import { collect, problemInfo } from "../flow/collect.js";
import type { Effect } from "../flow/ui-state.js";
import { createFixRuntime, type FixRuntimeOptions } from "./fix-runtime.js";
import type { Store } from "./store.js";

export interface RuntimeOptions {
  /** Replaces the built-in fix view's menu (source/ui/fix-runtime.ts) when given. */
  onOpenFix?: (fixId: string, ctx: { store: Store; clients: Clients; readOnly: boolean }) => void;
  /** The fix view's engine options: --cdk-dir, --timeout, the watch interval, the audit log. */
  fix?: FixRuntimeOptions;
  onQuit: () => void;
  /** Coalesce streaming log lines into one render per this many ms (default 100). */
  coalesceMs?: number;
  tailPollMs?: number;
  tailPrefer?: "live" | "polling";
  now?: () => number;
}

export interface Runtime {
  /** Performs one effect (the store's effect handler). */
  run(e: Effect, store: Store): void;
  /** Sets the clients once the session is open. */
  attach(clients: Clients): void;
  /** Starts the 1-second tick that drives the cadences and the age display. */
  start(store: Store): void;
  stop(): void;
}

export function createRuntime(o: RuntimeOptions): Runtime {
  const now = o.now ?? Date.now;
  let clients: Clients | undefined;
  let gen = 0;
  let tail: Tail | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  let pending: LogLine[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const fix = createFixRuntime(o.fix);

  const stopTail = () => {
    tail?.stop();
    tail = undefined;
    pending = [];
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
  };

  function run(e: Effect, store: Store): void {
    if (stopped) return;
    const c = clients;
    const my = gen;
    const live = () => my === gen && !stopped;
    switch (e.type) {
      case "quit":
        o.onQuit();
        return;
      case "open-fix":
        if (o.onOpenFix && c) o.onOpenFix(e.fixId, { store, clients: c, readOnly: e.readOnly });
        else fix.open(store);
        return;
      case "fix-close":
        fix.run(e, store, c as Clients);
        return;
      case "switch-service":
        gen++;
        stopTail();
        return;
      case "tail-stop":
        stopTail();
        return;
    }
    if (!c) return;
    switch (e.type) {
      case "refresh": {
        store.dispatch({ type: "refresh-started", keys: e.keys });
        const s = store.getState();
        collect(
          c,
          s.target,
          {
            onEvidence: (key, ev) => {
              if (!live()) return;
              const value = ev[key];
              if (value === undefined) return;
              store.dispatch({ type: "evidence", key, value, logGroup: ev.logGroup, at: now() });
            },
          },
          e.keys,
          s.evidence,
        ).then(
          () => live() && store.dispatch({ type: "refresh-done", keys: e.keys }),
          () => live() && store.dispatch({ type: "refresh-done", keys: e.keys }),
        );
        return;
      }
      case "tail-start": {
        stopTail();
        const flush = () => {
          flushTimer = undefined;
          const lines = pending;
          pending = [];
          if (lines.length && live()) store.dispatch({ type: "log-lines", lines });
        };
        tail = startTail(
          c,
          e.group,
          {
            onLines: (lines) => {
              if (!live()) return;
              pending.push(...lines);
              flushTimer ??= setTimeout(flush, o.coalesceMs ?? 100);
            },
            onMode: (mode, note) =>
              live() && store.dispatch({ type: "tail-mode", mode, ...(note ? { note } : {}) }),
            onError: (p) => live() && store.dispatch({ type: "tail-problem", problem: problemInfo(p) }),
          },
          { pollMs: o.tailPollMs, prefer: o.tailPrefer, now },
        );
        return;
      }
      case "task-logs":
        filterLogs(c, e.group, { startTime: e.startTime, endTime: e.endTime, max: 1000 }).then(
          (lines) =>
            live() &&
            store.dispatch({
              type: "task-logs",
              taskId: e.taskId,
              lines: lines.filter((l) => l.taskId === e.taskId),
            }),
          (err) =>
            live() && store.dispatch({ type: "task-logs", taskId: e.taskId, problem: problemInfo(err) }),
        );
        return;
      case "fix-prepare":
      case "fix-input":
      case "fix-plan":
      case "fix-apply":
      case "fix-watch":
        fix.run(e, store, c);
        return;
      case "list-services":
        listServices(c, e.cluster).then(
          (services) => live() && store.dispatch({ type: "services", services }),
          (err) => live() && store.dispatch({ type: "services", problem: problemInfo(err) }),
        );
        return;
    }
  }

  return {
    run,
    attach(c) {
      clients = c;
    },
    start(store) {
      ticker = setInterval(() => store.dispatch({ type: "tick", now: now() }), 1000);
    },
    stop() {
      stopped = true;
      if (ticker) clearInterval(ticker);
      stopTail();
      fix.stop();
    },
  };
}
