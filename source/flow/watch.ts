// Follows ONE deployment by its id until it is really done. `aws ecs wait services-stable` (and
// the SDK's waitUntilServicesStable) report success after a circuit-breaker rollback, because the
// service is stable again on the OLD task definition; here a rollback is a failure.
//
// Every few seconds: DescribeServices (rolloutState, counts, new events), ListTasks STOPPED and
// DescribeTasks for stopped tasks not seen yet. COMPLETED → GET /api/ready through the network
// stack's LoadBalancerDNS. Emits progress events for the UI; `judge` is pure and tested alone.

import type { Clients } from "../aws/clients.js";
import { describeStack } from "../aws/cloudformation.js";
import { describeService, describeTasks, stoppedTaskArns } from "../aws/ecs.js";
import { checkReady, type ReadyResult, readyUrl } from "../aws/ready.js";
import type { Deployment, ServiceEvent, ServiceInfo, Severity, StoppedTask } from "../diagnosis/model.js";
import { classifyServiceEvent } from "../diagnosis/service-events.js";
import { type ProblemInfo, problemInfo, type Target } from "./collect.js";

export const WATCH_INTERVAL_MS = 2_500;

export type WatchOutcome =
  /** Our deployment COMPLETED and /api/ready says ready. */
  | "ready"
  /** COMPLETED, but /api/ready does not say ready (or does not answer). */
  | "not-ready"
  /** Our deployment FAILED (circuit breaker without rollback). */
  | "failed"
  /** Our deployment FAILED and the circuit breaker rolled back to the previous one. */
  | "rolled-back"
  /** Another deployment (not a rollback) replaced ours before it finished. */
  | "superseded"
  | "timeout"
  /** Could not watch (AWS did not answer, the deployment is unknown). */
  | "error";

export interface WatchSnapshot {
  deploymentId: string;
  found: boolean;
  status?: string;
  rolloutState?: string;
  rolloutStateReason?: string;
  taskDefinition?: string;
  desired: number;
  running: number;
  pending: number;
  failed: number;
}

export type WatchEvent =
  | { type: "poll"; at: Date; snapshot: WatchSnapshot }
  | { type: "state"; from?: string; to: string; reason?: string }
  | { type: "service-event"; event: ServiceEvent; text: string; severity: Severity }
  | { type: "stopped-task"; task: StoppedTask; ours: boolean }
  | { type: "poll-error"; problem: ProblemInfo; consecutive: number }
  | { type: "ready-check"; result: ReadyResult; attempt: number }
  | { type: "done"; result: WatchResult };

export interface WatchResult {
  outcome: WatchOutcome;
  deploymentId: string;
  /** One line: what happened. */
  reason: string;
  snapshot?: WatchSnapshot;
  rollbackDeploymentId?: string;
  /** Stopped reasons of the watched deployment's tasks, newest first, deduplicated. */
  stoppedReasons: string[];
  ready?: ReadyResult;
  elapsedMs: number;
  /** New service events seen while watching, oldest first. */
  events: ServiceEvent[];
  stoppedTasks: StoppedTask[];
}

/** watch exit code: 0 ready; 1 failed, rolled back, superseded, not ready, timeout; 3 could not watch. */
export function watchExitCode(r: WatchResult): number {
  return r.outcome === "ready" ? 0 : r.outcome === "error" ? 3 : 1;
}

// ── Judging ───────────────────────────────────────────────────────────────────────────────

export type Judgement =
  | { state: "in-progress" }
  | { state: "completed" }
  | { state: "failed"; reason: string }
  | { state: "rolled-back"; reason: string; rollbackDeploymentId?: string }
  | { state: "superseded"; reason: string; by: string };

const ROLLBACK_REASON = /rolling back/i;

export function snapshotOf(deploymentId: string, s: ServiceInfo): WatchSnapshot {
  const d = s.deployments.find((x) => x.id === deploymentId);
  if (!d) return { deploymentId, found: false, desired: s.desiredCount, running: 0, pending: 0, failed: 0 };
  return {
    deploymentId,
    found: true,
    status: d.status,
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
    taskDefinition: d.taskDefinition,
    desired: d.desiredCount,
    running: d.runningCount,
    pending: d.pendingCount,
    failed: d.failedTasks,
  };
}

/**
 * Where our deployment stands, from the service alone. `events` are the service events seen so
 * far (all of them, any order); ECS names the deployment in "deployment failed" / "completed".
 */
export function judge(deploymentId: string, s: ServiceInfo, events: ServiceEvent[]): Judgement {
  const ours = s.deployments.find((d) => d.id === deploymentId);
  const t = (d: Deployment | undefined) => d?.createdAt?.getTime() ?? 0;
  const classified = events.map(classifyServiceEvent);
  const failedEvent = classified.find(
    (c) =>
      c.deploymentId === deploymentId &&
      ["deployment-failed", "cb-tasks-failed-to-start", "cb-elb-health-checks"].includes(c.id),
  );
  const completedEvent = classified.find(
    (c) => c.deploymentId === deploymentId && c.id === "deployment-completed",
  );
  const newer = s.deployments
    .filter((d) => d.id !== deploymentId && (!ours || t(d) > t(ours) || d.status === "PRIMARY"))
    .sort((a, b) => t(b) - t(a));
  const rollback = newer.find((d) => ROLLBACK_REASON.test(d.rolloutStateReason ?? ""));
  const rollbackEvent = classified.find((c) => c.id === "rolling-back");
  const failReason =
    (ours?.rolloutState === "FAILED" ? ours.rolloutStateReason : undefined) ??
    failedEvent?.event.message.replace(/^\(service [^)]+\)\s*(\(deployment [^)]+\)\s*)?/, "") ??
    "the deployment failed";

  if (ours?.rolloutState === "COMPLETED") return { state: "completed" };
  if (ours?.rolloutState === "FAILED" || (!ours && failedEvent)) {
    if (rollback || rollbackEvent)
      return {
        state: "rolled-back",
        reason: `${failReason} The circuit breaker rolled back${rollbackEvent?.rollbackTo ? ` to ${rollbackEvent.rollbackTo}` : ""}.`,
        ...(rollback ? { rollbackDeploymentId: rollback.id } : {}),
      };
    return { state: "failed", reason: failReason };
  }
  if (!ours && completedEvent) return { state: "completed" };
  const primary = s.deployments.find((d) => d.status === "PRIMARY");
  if (!ours || (primary && primary.id !== deploymentId && t(primary) >= t(ours))) {
    if (rollback)
      return {
        state: "rolled-back",
        reason: rollback.rolloutStateReason ?? "the circuit breaker rolled back",
        rollbackDeploymentId: rollback.id,
      };
    const by = primary?.id ?? newer[0]?.id ?? "?";
    return {
      state: "superseded",
      reason: ours
        ? `deployment ${by} replaced ${deploymentId} before it finished`
        : `deployment ${deploymentId} is no longer listed (now ${by})`,
      by,
    };
  }
  return { state: "in-progress" };
}

/**
 * The deployment `afu9-tui watch` follows without --deployment: the newest. When the newest is a
 * circuit-breaker rollback, the deployment that matters is the one that failed.
 */
export function pickDeployment(s: ServiceInfo): { deploymentId: string; note?: string } | undefined {
  const t = (d: Deployment) => d.createdAt?.getTime() ?? 0;
  const byAge = [...s.deployments].sort((a, b) => t(b) - t(a));
  const primary = s.deployments.find((d) => d.status === "PRIMARY") ?? byAge[0];
  if (!primary) return undefined;
  const classified = s.events.map(classifyServiceEvent);
  const rollbackEvent = classified.find((c) => c.id === "rolling-back");
  const rollbackAt = rollbackEvent?.event.createdAt?.getTime();
  // A rollback deployment reads "rolling back" while in progress and "completed" after; the
  // "rolling back to deployment" event at its creation tells it apart from a real deployment.
  const isRollback =
    ROLLBACK_REASON.test(primary.rolloutStateReason ?? "") ||
    (rollbackAt !== undefined && Math.abs(t(primary) - rollbackAt) <= 5_000);
  if (isRollback) {
    const failed = byAge.find((d) => d.rolloutState === "FAILED");
    const fromEvent = classified.find(
      (c) =>
        ["deployment-failed", "cb-tasks-failed-to-start", "cb-elb-health-checks"].includes(c.id) &&
        c.deploymentId &&
        c.deploymentId !== primary.id,
    )?.deploymentId;
    const id = failed?.id ?? fromEvent;
    if (id) return { deploymentId: id, note: `the newest deployment ${primary.id} is a rollback of ${id}` };
  }
  return { deploymentId: primary.id };
}

// ── The loop ──────────────────────────────────────────────────────────────────────────────

export interface WatchOptions {
  target: Target;
  deploymentId: string;
  timeoutMs: number;
  intervalMs?: number;
  onEvent?: (e: WatchEvent) => void;
  /** Injectable for tests: a ManualClock-driven sleep. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  signal?: AbortSignal;
  /** Attempts of the ready check after COMPLETED (the ALB may still answer 502 for a moment). */
  readyAttempts?: number;
  /** Override of the /api/ready URL (default: LoadBalancerDNS of the network stack). */
  readyUrl?: string;
  /** Consecutive failed polls before giving up with outcome "error". */
  maxPollErrors?: number;
}

const realSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export async function watchDeployment(c: Clients, o: WatchOptions): Promise<WatchResult> {
  const now = o.now ?? Date.now;
  const interval = o.intervalMs ?? WATCH_INTERVAL_MS;
  const sleep = o.sleep ?? ((ms: number) => realSleep(ms, o.signal));
  const emit = (e: WatchEvent) => o.onEvent?.(e);
  const t0 = now();
  const t = o.target;
  const seenEvents = new Set<string>();
  const allEvents: ServiceEvent[] = [];
  const newEvents: ServiceEvent[] = [];
  const seenTasks = new Set<string>();
  const tasks: StoppedTask[] = [];
  let since: number | undefined;
  let snapshot: WatchSnapshot | undefined;
  let lastState: string | undefined;
  let errors = 0;
  let first = true;

  const finish = (
    r: Omit<WatchResult, "elapsedMs" | "events" | "stoppedTasks" | "stoppedReasons" | "deploymentId">,
  ) => {
    const ours = tasks.filter((x) => x.startedBy === o.deploymentId);
    const reasons: string[] = [];
    for (const x of [...ours].reverse()) {
      const why = x.stoppedReason ?? "";
      if (why && !reasons.includes(why)) reasons.push(why);
    }
    const result: WatchResult = {
      deploymentId: o.deploymentId,
      ...r,
      ...(snapshot ? { snapshot } : {}),
      stoppedReasons: reasons,
      elapsedMs: now() - t0,
      events: newEvents,
      stoppedTasks: tasks,
    };
    emit({ type: "done", result });
    return result;
  };

  for (;;) {
    if (o.signal?.aborted) return finish({ outcome: "timeout", reason: "stopped by the user" });
    let s: ServiceInfo;
    try {
      s = await describeService(c, t.cluster, t.service);
      await newStoppedTasks(s);
      errors = 0;
    } catch (e) {
      errors++;
      const problem = problemInfo(e);
      emit({ type: "poll-error", problem, consecutive: errors });
      if (
        errors >= (o.maxPollErrors ?? 5) ||
        problem.kind === "access-denied" ||
        problem.kind === "not-found"
      )
        return finish({ outcome: "error", reason: `cannot watch: ${problem.message}` });
      if (now() - t0 >= o.timeoutMs)
        return finish({ outcome: "timeout", reason: `no answer within ${Math.round(o.timeoutMs / 1000)} s` });
      await sleep(interval);
      continue;
    }
    const snap = snapshotOf(o.deploymentId, s);
    // Keep the last counts when the deployment has just left the list (replaced by a rollback).
    const gone = !snap.found && snapshot?.found;
    const cur: WatchSnapshot = gone && snapshot ? snapshot : snap;
    snapshot = cur;
    if (first && !cur.found) {
      first = false;
      // Unknown id: maybe already replaced; judge from the events, else give up.
      const j = judge(o.deploymentId, s, s.events);
      if (j.state === "superseded")
        return finish({
          outcome: "error",
          reason: `deployment ${o.deploymentId} is not a deployment of ${t.service}`,
        });
    }
    first = false;
    emit({ type: "poll", at: new Date(now()), snapshot: snap });
    if (snapshot!.rolloutState && snapshot.rolloutState !== lastState) {
      emit({
        type: "state",
        from: lastState,
        to: snapshot.rolloutState,
        reason: snapshot.rolloutStateReason,
      });
      lastState = snapshot.rolloutState;
    }
    const j = judge(o.deploymentId, s, allEvents.concat(s.events));
    if (j.state === "completed") {
      const ready = await readyCheck();
      return finish({
        outcome: ready.ready ? "ready" : "not-ready",
        reason: ready.ready
          ? `deployment ${o.deploymentId} COMPLETED and /api/ready is ready`
          : `deployment ${o.deploymentId} COMPLETED, but /api/ready is not ready${ready.error ? ` (${ready.error})` : ""}`,
        ready,
      });
    }
    if (j.state === "failed") return finish({ outcome: "failed", reason: j.reason });
    if (j.state === "rolled-back")
      return finish({
        outcome: "rolled-back",
        reason: j.reason,
        ...(j.rollbackDeploymentId ? { rollbackDeploymentId: j.rollbackDeploymentId } : {}),
      });
    if (j.state === "superseded") return finish({ outcome: "superseded", reason: j.reason });
    if (now() - t0 >= o.timeoutMs)
      return finish({
        outcome: "timeout",
        reason: `still ${cur.rolloutState ?? "unknown"} after ${Math.round(o.timeoutMs / 1000)} s: running ${cur.running}/${cur.desired}, pending ${cur.pending}, failed ${cur.failed}`,
      });
    await sleep(interval);
  }

  async function newStoppedTasks(s: ServiceInfo): Promise<void> {
    const ours = s.deployments.find((d) => d.id === o.deploymentId);
    if (since === undefined) since = ours?.createdAt?.getTime() ?? s.events[0]?.createdAt?.getTime() ?? 0;
    // Service events: new since the deployment started, oldest first.
    const fresh = s.events
      .filter((e) => !seenEvents.has(e.id) && (e.createdAt?.getTime() ?? 0) >= since! - 1_000)
      .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
    for (const e of s.events) seenEvents.add(e.id);
    for (const e of fresh) {
      allEvents.push(e);
      newEvents.push(e);
      const k = classifyServiceEvent(e);
      emit({ type: "service-event", event: e, text: k.text, severity: k.severity });
    }
    const arns = (await stoppedTaskArns(c, t.cluster, t.service)).filter((a) => !seenTasks.has(a));
    if (arns.length === 0) return;
    const described = await describeTasks(c, t.cluster, arns);
    const stopped = described
      .filter((x) => x.lastStatus === "STOPPED")
      .sort((a, b) => (a.stoppedAt?.getTime() ?? 0) - (b.stoppedAt?.getTime() ?? 0));
    for (const x of described) {
      // Stopped before our deployment started: old news, never shown.
      if (x.lastStatus === "STOPPED" && (x.stoppedAt?.getTime() ?? 0) < since!) seenTasks.add(x.taskArn);
    }
    for (const x of stopped) {
      if (seenTasks.has(x.taskArn)) continue;
      seenTasks.add(x.taskArn);
      tasks.push(x);
      emit({ type: "stopped-task", task: x, ours: x.startedBy === o.deploymentId });
    }
  }

  async function readyCheck(): Promise<ReadyResult> {
    let url = o.readyUrl;
    if (!url) {
      try {
        const dns = (await describeStack(c, t.networkStack))?.outputs.LoadBalancerDNS;
        if (!dns)
          return {
            url: `(${t.networkStack} output LoadBalancerDNS)`,
            ready: false,
            checks: [],
            error: `the network stack ${t.networkStack} has no LoadBalancerDNS output`,
          };
        url = readyUrl(dns);
      } catch (e) {
        return { url: "(LoadBalancerDNS)", ready: false, checks: [], error: problemInfo(e).message };
      }
    }
    const attempts = o.readyAttempts ?? 3;
    let r: ReadyResult = { url, ready: false, checks: [] };
    for (let i = 1; i <= attempts; i++) {
      r = await checkReady(url);
      emit({ type: "ready-check", result: r, attempt: i });
      if (r.ready) return r;
      if (i < attempts) await sleep(interval);
    }
    return r;
  }
}

/** The outcome's heading, as the CLI and the English UI write it. */
export const WATCH_HEAD_EN: Record<WatchOutcome, string> = {
  ready: "READY",
  "not-ready": "COMPLETED, NOT READY",
  failed: "FAILED",
  "rolled-back": "FAILED, ROLLED BACK",
  superseded: "SUPERSEDED",
  timeout: "TIMEOUT",
  error: "COULD NOT WATCH",
};

/** Lines for a finished watch (the CLI prints them; the UI may too). */
export function watchSummaryLines(r: WatchResult): string[] {
  const out = [`${WATCH_HEAD_EN[r.outcome]}: ${r.reason}`];
  if (r.snapshot?.found)
    out.push(
      `  deployment ${r.deploymentId}: ${r.snapshot.rolloutState ?? "?"}, running ${r.snapshot.running}/${r.snapshot.desired}, pending ${r.snapshot.pending}, failed tasks ${r.snapshot.failed}`,
    );
  if (r.rollbackDeploymentId) out.push(`  rollback deployment: ${r.rollbackDeploymentId}`);
  if (r.outcome !== "ready" && r.stoppedReasons.length) {
    out.push("  stopped tasks of this deployment:");
    for (const why of r.stoppedReasons.slice(0, 5)) out.push(`    - ${why}`);
  }
  return out;
}
