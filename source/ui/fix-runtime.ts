// The fix view's effects: the fix engine (source/flow/fix-prepare.ts, apply.ts, watch.ts) driven
// from the state machine's effects, its answers fed back as messages. In the same order as
// `afu9-tui fix` (source/cli/fix-command.ts).
//
// The only place typed values live: `values` (key → characters) until the plan is built, then
// inside the plan's Sealed until apply returns (applyPlan drops them), and `forget(prep)` drops
// the values read from AWS. Every text that goes into a message is masked first.

import type { Clients } from "../aws/clients.js";
import type { ReadyResult } from "../aws/ready.js";
import { maskCredentials } from "../diagnosis/mask.js";
import { applyPlan, ReadOnlyError } from "../flow/apply.js";
import { AuditLog, auditPath } from "../flow/audit.js";
import { problemInfo } from "../flow/collect.js";
import { cdkAppIn, forget, type PreparedFix, planFor, prepareFix } from "../flow/fix-prepare.js";
import { type PreviewNote, previewModel } from "../flow/fix-preview.js";
import {
  contextFromEvidence,
  dropValues,
  type FixContext,
  type FixId,
  fixMenu,
  type Plan,
} from "../flow/fixes.js";
import {
  actionDetailOf,
  type FixEffect,
  stoppedTaskOf,
  watchReasonOf,
  watchSummaryOf,
} from "../flow/ui-fix.js";
import { watchDeployment } from "../flow/watch.js";
import type { Store } from "./store.js";

export interface FixRuntimeOptions {
  /** --cdk-dir (default: the current directory). */
  cdkDir?: string;
  /** How long to follow the deployment (default 15 minutes, the CLI's --timeout). */
  timeoutMs?: number;
  /** The watch's poll interval (default: AFU9_WATCH_INTERVAL_MS, else the engine's). */
  intervalMs?: number;
  /** The audit log's path (default: auditPath()). */
  auditPath?: string;
  env?: Record<string, string | undefined>;
}

export interface FixRuntime {
  open(store: Store): void;
  run(e: FixEffect, store: Store, clients: Clients): void;
  stop(): void;
}

const text = (e: unknown) => maskCredentials(e instanceof Error ? e.message : String(e));

function intervalFrom(env: Record<string, string | undefined>): number | undefined {
  const v = Number(env.AFU9_WATCH_INTERVAL_MS);
  return Number.isFinite(v) && v >= 50 ? v : undefined;
}

/** The app's answer, with anything credential-like masked (it is drawn). */
function maskReady(r: ReadyResult): ReadyResult {
  return {
    ...r,
    ...(r.error ? { error: maskCredentials(r.error) } : {}),
    checks: r.checks.map((c) => ({ ...c, ...(c.message ? { message: maskCredentials(c.message) } : {}) })),
  };
}

export function createFixRuntime(o: FixRuntimeOptions = {}): FixRuntime {
  const env = o.env ?? process.env;
  let ctx: FixContext | undefined;
  let prep: PreparedFix | undefined;
  let plan: Plan | undefined;
  const values = new Map<string, string>();
  let watch: AbortController | undefined;
  /** Answers for a flow that was closed meanwhile are dropped. */
  let gen = 0;
  let stopped = false;

  const drop = () => {
    values.clear();
    if (plan) dropValues(plan);
    plan = undefined;
    if (prep) forget(prep);
    prep = undefined;
  };
  const closeAll = () => {
    gen++;
    watch?.abort();
    watch = undefined;
    drop();
  };

  return {
    open(store) {
      closeAll();
      const s = store.getState();
      ctx = contextFromEvidence({ ...s.evidence, target: s.target }, s.analysis.verdict, cdkAppIn(o.cdkDir));
      store.dispatch({
        type: "fix-menu",
        entries: fixMenu(ctx).map((e) => ({ ...e, ...(e.note ? { note: maskCredentials(e.note) } : {}) })),
      });
    },
    run(e, store, clients) {
      if (stopped) return;
      const my = gen;
      const live = () => my === gen && !stopped;
      switch (e.type) {
        case "fix-close":
          closeAll();
          return;
        case "fix-prepare": {
          drop();
          if (!ctx) return;
          prepareFix(clients, e.fixId as FixId, ctx).then(
            (p) => {
              if (!live()) {
                forget(p);
                return;
              }
              prep = p;
              store.dispatch({
                type: "fix-prepared",
                fixId: e.fixId,
                inputKeys: p.inputKeys,
                ...(p.masterProblem ? { masterProblem: maskCredentials(p.masterProblem) } : {}),
              });
            },
            (err) =>
              live() &&
              store.dispatch({ type: "fix-problem", message: maskCredentials(problemInfo(err).message) }),
          );
          return;
        }
        case "fix-input": {
          const cur = values.get(e.key) ?? "";
          if (e.op === "type") values.set(e.key, cur + e.text.reveal());
          else values.set(e.key, [...cur].slice(0, -1).join(""));
          return;
        }
        case "fix-plan": {
          if (!prep || prep.fixId !== e.fixId) {
            store.dispatch({ type: "fix-problem", message: "the fix was not prepared; open it again" });
            return;
          }
          if (plan) dropValues(plan);
          plan = undefined;
          const given = new Map([...values].filter(([, v]) => v !== ""));
          try {
            // A new plan per preview: its ClientRequestToken is made now.
            plan = planFor(prep, given.size ? given : undefined);
          } catch (err) {
            values.clear();
            given.clear();
            // PlanError: scheduled for deletion, not JSON, cdk without a CDK app.
            store.dispatch({ type: "fix-problem", message: text(err) });
            return;
          } finally {
            values.clear();
            given.clear();
          }
          const svcTd = prep.ctx.service?.taskDefinition;
          const failedTd = prep.ctx.taskDefinition?.arn;
          const extra: PreviewNote[] = [];
          if (
            plan.watch === "deployment" &&
            e.fixId !== "disable-database" &&
            svcTd &&
            failedTd &&
            svcTd !== failedTd
          )
            extra.push({
              kind: "service-runs",
              running: svcTd.split("/").pop() ?? svcTd,
              failed: failedTd.split("/").pop() ?? failedTd,
            });
          store.dispatch({
            type: "fix-preview",
            fixId: e.fixId,
            // Value-free by construction (names, placeholders, stack outputs, value SOURCES), as
            // `afu9-tui fix` prints it; maskCredentials would cut ARNs (".../secret:NAME") out of
            // the CLI lines.
            items: previewModel(plan, extra),
            missing: [...plan.missingInputs],
          });
          return;
        }
        case "fix-apply": {
          const p = plan;
          if (!p) {
            store.dispatch({ type: "fix-problem", message: "nothing to apply: open the fix again" });
            return;
          }
          plan = undefined;
          const s = store.getState();
          const audit = new AuditLog(o.auditPath ?? auditPath(env));
          applyPlan(clients, p, {
            target: s.target,
            readOnly: e.readOnly,
            audit,
            onEvent: (ev) => {
              if (!live()) return;
              if (ev.type === "action-start")
                store.dispatch({
                  type: "fix-action-start",
                  index: ev.index,
                  total: ev.total,
                  kind: ev.kind,
                  resource: ev.resource,
                });
              else if (ev.type === "action-done")
                store.dispatch({
                  type: "fix-action-done",
                  index: ev.index,
                  ok: ev.result.ok,
                  detail: actionDetailOf(ev.result, maskCredentials(ev.result.detail)),
                });
              else store.dispatch({ type: "fix-cdk-line", line: maskCredentials(ev.line) });
            },
          }).then(
            (r) => {
              dropValues(p);
              if (prep) forget(prep);
              prep = undefined;
              if (!live()) return;
              const failed = r.results.find((x) => !x.ok);
              store.dispatch({
                type: "fix-applied",
                ok: r.ok,
                conflict: r.conflict,
                rollback: r.results.flatMap((x) => (x.rollback ? [maskCredentials(x.rollback)] : [])),
                auditPath: audit.path,
                ...(r.deploymentId ? { deploymentId: r.deploymentId } : {}),
                ...(failed ? { problem: maskCredentials(failed.problem?.message ?? failed.detail) } : {}),
              });
            },
            (err) => {
              dropValues(p);
              if (prep) forget(prep);
              prep = undefined;
              if (!live()) return;
              store.dispatch({
                type: "fix-problem",
                message: err instanceof ReadOnlyError ? text(err) : maskCredentials(problemInfo(err).message),
              });
            },
          );
          return;
        }
        case "fix-watch": {
          watch?.abort();
          const ac = new AbortController();
          watch = ac;
          const s = store.getState();
          watchDeployment(clients, {
            target: s.target,
            deploymentId: e.deploymentId,
            timeoutMs: o.timeoutMs ?? 900_000,
            intervalMs: o.intervalMs ?? intervalFrom(env),
            signal: ac.signal,
            onEvent: (ev) => {
              if (!live() || ac.signal.aborted) return;
              switch (ev.type) {
                case "poll":
                  store.dispatch({ type: "fix-watch-poll", at: Date.now(), snapshot: ev.snapshot });
                  return;
                case "state":
                  store.dispatch({
                    type: "fix-watch-state",
                    to: ev.to,
                    ...(ev.reason ? { reason: maskCredentials(ev.reason) } : {}),
                  });
                  return;
                case "service-event":
                  store.dispatch({
                    type: "fix-watch-event",
                    line: {
                      // "(service NAME) " starts every event: the header names the service.
                      text: maskCredentials(ev.event.message.replace(/^\(service [^)]+\) /, "")),
                      severity: ev.severity,
                      ...(ev.event.createdAt ? { at: ev.event.createdAt.getTime() } : {}),
                    },
                  });
                  return;
                case "stopped-task": {
                  store.dispatch({
                    type: "fix-watch-stopped",
                    task: {
                      task: stoppedTaskOf(ev.task, ev.ours, maskCredentials),
                      severity: ev.ours ? "fail" : "warn",
                      ...(ev.task.stoppedAt ? { at: ev.task.stoppedAt.getTime() } : {}),
                    },
                  });
                  return;
                }
                case "poll-error":
                  store.dispatch({ type: "fix-watch-error", message: maskCredentials(ev.problem.message) });
                  return;
                case "ready-check":
                  store.dispatch({ type: "fix-watch-ready", result: maskReady(ev.result) });
                  return;
                case "done":
                  return;
              }
            },
          }).then(
            (r) => {
              if (watch === ac) watch = undefined;
              if (!live() || ac.signal.aborted) return;
              store.dispatch({
                type: "fix-watch-done",
                outcome: r.outcome,
                summary: watchSummaryOf(r, maskCredentials),
                ...(r.snapshot ? { snapshot: r.snapshot } : {}),
                ...(r.ready ? { ready: maskReady(r.ready) } : {}),
              });
            },
            (err) => {
              if (watch === ac) watch = undefined;
              if (!live()) return;
              const message = maskCredentials(problemInfo(err).message);
              store.dispatch({
                type: "fix-watch-done",
                outcome: "error",
                summary: {
                  outcome: "error",
                  deploymentId: e.deploymentId,
                  reason: watchReasonOf("error", message),
                  stoppedReasons: [],
                },
              });
            },
          );
          return;
        }
      }
    },
    stop() {
      stopped = true;
      closeAll();
    },
  };
}
