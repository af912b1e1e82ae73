// The texts of the fix view in each language: the preview's items (source/flow/fix-preview.ts),
// the applied actions, the watch and its result (source/flow/ui-fix.ts). The state holds data
// (kinds and their parameters, never a value: the preview has value SOURCES only); a catalog
// words each kind. English is the engine's own wording, so the English screen shows what
// `afu9-tui fix` / `watch` print. API call names, AWS CLI commands, ARNs, ids, and the messages
// of AWS, ECS and the app (the `text` kinds) stay verbatim.

import { enPreview, type PreviewTexts } from "../../flow/fix-preview.js";
import {
  type ActionDetail,
  enActionDetail,
  enReadyError,
  enStopped,
  enWatchReason,
  type ReadyHead,
  type StoppedTaskView,
  type WatchReason,
  type WatchSummary,
} from "../../flow/ui-fix.js";
import { WATCH_HEAD_EN, type WatchOutcome } from "../../flow/watch.js";

export interface FixTexts extends PreviewTexts {
  /** An applied action's detail. */
  actionDetail(d: ActionDetail): string;
  /** The first word(s) of the watch's result: READY, FAILED, … */
  watchHead(o: WatchOutcome): string;
  reason(r: WatchReason): string;
  /** "deployment ID: STATE, running 1/1, pending 0, failed tasks 0". */
  summarySnapshot(deploymentId: string, s: NonNullable<WatchSummary["snapshot"]>): string;
  rollbackDeployment(id: string): string;
  stoppedOfDeployment: string;
  /** The first line of the /api/ready check. */
  readyHead(h: ReadyHead): string;
  /** A stopped task during the watch. */
  stopped(t: StoppedTaskView): string;
  /** A problem's message (applying failed): the app's or AWS's text. */
  problem(text: string): string;
}

/** The result of a watch as lines (watchSummaryLines in English). */
export function summaryLines(s: WatchSummary, t: FixTexts): string[] {
  const out = [`${t.watchHead(s.outcome)}: ${t.reason(s.reason)}`];
  if (s.snapshot) out.push(`  ${t.summarySnapshot(s.deploymentId, s.snapshot)}`);
  if (s.rollbackDeploymentId) out.push(`  ${t.rollbackDeployment(s.rollbackDeploymentId)}`);
  if (s.outcome !== "ready" && s.stoppedReasons.length) {
    out.push(`  ${t.stoppedOfDeployment}`);
    for (const why of s.stoppedReasons.slice(0, 5)) out.push(`    - ${why}`);
  }
  return out;
}

/** English: the engine's own lines. */
export const enFix: FixTexts = {
  ...enPreview,
  actionDetail: enActionDetail,
  watchHead: (o) => WATCH_HEAD_EN[o],
  reason: enWatchReason,
  summarySnapshot: (id, s) =>
    `deployment ${id}: ${s.state}, running ${s.running}/${s.desired}, pending ${s.pending}, failed tasks ${s.failed}`,
  rollbackDeployment: (id) => `rollback deployment: ${id}`,
  stoppedOfDeployment: "stopped tasks of this deployment:",
  readyHead: (h) =>
    `GET ${h.url.kind === "url" ? h.url.url : `(${h.url.stack} output LoadBalancerDNS)`} → ${h.status ?? "no answer"}: ready=${h.ready}${h.error ? ` (${enReadyError(h.error)})` : ""}`,
  stopped: enStopped,
  problem: (text) => text,
};
