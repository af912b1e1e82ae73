// Step 2: ECS service events and deployments.
//
// The runbook's wording:
//   (service afu9-control-center-stage) has reached a steady state.
//   (service afu9-control-center-stage) failed circuit breaker: tasks failed to start.
//   (service afu9-control-center-stage) failed circuit breaker: tasks failed ELB health checks.
// ECS's real wording (public issue threads and runbooks, e.g. github.com/aws/containers-roadmap/issues/1488;
// AWS docs "Amazon ECS service event messages", docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages-list.html):
//   (service X) (deployment ecs-svc/4135006185409410497) deployment failed: tasks failed to start.
//   (service X) rolling back to deployment ecs-svc/1675294001379389663.
//   (service X) (deployment ecs-svc/...) deployment completed.
//   (service X) (task b5067ed30cc5431d89fe74c47fd9981f) failed container health checks.
//   (service X) (port 8080) is unhealthy in (target-group arn:...) due to (reason Health checks failed with these codes: [503]).
//   (service X) is unable to consistently start tasks successfully.
//   (service X) was unable to place a task. Reason: ResourceInitializationError: unable to pull secrets ...
//   (service X) operations are being throttled. Will try again later.
//   (service X) has started 1 tasks: (task 22450d8cbf7b4648ac0837b9a710e807).
//   (service X) has stopped 1 running tasks: (task 60a736a708f44dfcb1191e0771825ad5).
// and the deployment's rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start."

import type { Deployment, Finding, ServiceEvent, ServiceInfo, Severity } from "./model.js";

export type ServiceEventClassId =
  | "steady-state"
  | "deployment-completed"
  | "cb-tasks-failed-to-start"
  | "cb-elb-health-checks"
  | "deployment-failed"
  | "rolling-back"
  | "unhealthy-in-target-group"
  | "task-failed-elb-health-checks"
  | "task-failed-container-health-checks"
  | "unable-to-start-consistently"
  | "unable-to-place-task"
  | "throttled"
  | "tasks-started"
  | "tasks-stopped"
  | "targets-registered"
  | "draining"
  | "other";

export interface ClassifiedServiceEvent extends Finding {
  id: ServiceEventClassId;
  event: ServiceEvent;
  serviceName?: string;
  deploymentId?: string;
  taskIds: string[];
  targetGroup?: string;
  /** For unhealthy / unable to place: the reason ECS gives. */
  reason?: string;
  /** For rolling-back: the deployment it rolls back to. */
  rollbackTo?: string;
}

const TASK_IDS = /\(task ([0-9a-f]{32}|[0-9a-f-]{36})\)|\btask ([0-9a-f]{32})\b/g;

function extract(message: string) {
  const serviceName = /\(service ([^)]+)\)/.exec(message)?.[1];
  const deploymentId = /\(deployment (ecs-svc\/\d+)\)/.exec(message)?.[1];
  const targetGroup = /\(target-group ([^)]+)\)/.exec(message)?.[1];
  const taskIds: string[] = [];
  for (const m of message.matchAll(TASK_IDS)) {
    const id = m[1] ?? m[2];
    if (id && !taskIds.includes(id)) taskIds.push(id);
  }
  // "(task a, task b)" lists several tasks in one parenthesis
  for (const m of message.matchAll(/\(task ([^)]+)\)/g)) {
    for (const part of (m[1] ?? "").split(/,\s*(?:task\s+)?/)) {
      const id = part.trim();
      if (/^[0-9a-f]{32}$/.test(id) && !taskIds.includes(id)) taskIds.push(id);
    }
  }
  return { serviceName, deploymentId, targetGroup, taskIds };
}

interface Rule {
  id: ServiceEventClassId;
  re: RegExp;
  severity: Severity;
  text: (m: RegExpExecArray, message: string) => string;
  nextStep?: string;
}

const RULES: Rule[] = [
  {
    id: "steady-state",
    re: /has reached a steady state/i,
    severity: "ok",
    text: () => "Service reached a steady state",
  },
  {
    id: "deployment-completed",
    re: /deployment completed/i,
    severity: "ok",
    text: () => "Deployment completed",
  },
  {
    id: "cb-tasks-failed-to-start",
    re: /(?:failed circuit breaker|deployment failed|circuit breaker)\s*:\s*tasks failed to start/i,
    severity: "fail",
    text: () => "Circuit breaker: tasks failed to start",
    nextStep: "→ Schritt 3",
  },
  {
    id: "cb-elb-health-checks",
    re: /(?:failed circuit breaker|deployment failed|circuit breaker)\s*:\s*tasks failed (?:ELB|load balancer) health checks/i,
    severity: "fail",
    text: () => "Circuit breaker: tasks failed ELB health checks",
    nextStep: "→ Schritt 3 & 4",
  },
  {
    id: "deployment-failed",
    re: /deployment failed(?:\s*:\s*(.+?))?\.?$/i,
    severity: "fail",
    text: (m) => `Deployment failed${m[1] ? `: ${m[1]}` : ""}`,
    nextStep: "→ Schritt 3",
  },
  {
    id: "rolling-back",
    re: /rolling back to deployment (ecs-svc\/\d+)/i,
    severity: "warn",
    text: (m) => `Rolling back to deployment ${m[1]}`,
  },
  {
    id: "unhealthy-in-target-group",
    re: /is unhealthy in \(target-group [^)]*\)(?: due to \(reason (.*)\))?/i,
    severity: "warn",
    text: (m) => `Target unhealthy${m[1] ? `: ${m[1]}` : ""}`,
    nextStep: "→ Schritt 3 & 4",
  },
  {
    id: "task-failed-elb-health-checks",
    re: /failed (?:ELB|load balancer) health checks/i,
    severity: "warn",
    text: () => "Task failed ELB health checks",
    nextStep: "→ Schritt 3 & 4",
  },
  {
    id: "task-failed-container-health-checks",
    re: /failed container health checks/i,
    severity: "warn",
    text: () => "Task failed container health checks",
    nextStep: "→ Schritt 4",
  },
  {
    id: "unable-to-start-consistently",
    re: /is unable to consistently start tasks successfully/i,
    severity: "fail",
    text: () => "Service is unable to consistently start tasks",
    nextStep: "→ Schritt 3",
  },
  {
    id: "unable-to-place-task",
    re: /was unable to place a task(?: because ([^.]+?))?\.?(?:\s*Reason:\s*(.*))?$/is,
    severity: "fail",
    text: (m) => {
      const why = [m[1], m[2]].filter(Boolean).join(" — ");
      return `Unable to place a task${why ? `: ${why}` : ""}`;
    },
    nextStep: "→ Schritt 3",
  },
  {
    id: "throttled",
    re: /operations are being throttled|rate exceeded|throttl/i,
    severity: "warn",
    text: () => "ECS operations are being throttled; ECS retries",
  },
  {
    id: "tasks-started",
    re: /has started (\d+) tasks?/i,
    severity: "info",
    text: (m) => `Started ${m[1]} task(s)`,
  },
  {
    id: "tasks-stopped",
    re: /has stopped (\d+) (?:running )?tasks?/i,
    severity: "info",
    text: (m) => `Stopped ${m[1]} task(s)`,
  },
  {
    id: "targets-registered",
    re: /(?:de)?registered (\d+) targets?/i,
    severity: "info",
    text: (m, msg) => `${/deregistered/i.test(msg) ? "Deregistered" : "Registered"} ${m[1]} target(s)`,
  },
  {
    id: "draining",
    re: /has begun draining connections on (\d+) tasks?/i,
    severity: "info",
    text: (m) => `Draining connections on ${m[1]} task(s)`,
  },
];

/** Classifies one ECS service event message. */
export function classifyServiceEvent(event: ServiceEvent): ClassifiedServiceEvent {
  const x = extract(event.message);
  for (const rule of RULES) {
    const m = rule.re.exec(event.message);
    if (!m) continue;
    const out: ClassifiedServiceEvent = {
      step: "service-events",
      id: rule.id,
      severity: rule.severity,
      text: rule.text(m, event.message),
      event,
      taskIds: x.taskIds,
      ...(rule.nextStep ? { nextStep: rule.nextStep } : {}),
      ...(x.serviceName ? { serviceName: x.serviceName } : {}),
      ...(x.deploymentId ? { deploymentId: x.deploymentId } : {}),
      ...(x.targetGroup ? { targetGroup: x.targetGroup } : {}),
    };
    if (rule.id === "rolling-back") out.rollbackTo = m[1];
    if (rule.id === "unhealthy-in-target-group" && m[1]) out.reason = m[1];
    if (rule.id === "unable-to-place-task") {
      const why = [m[1], m[2]].filter(Boolean).join(" — ").trim();
      if (why) out.reason = why.replace(/\.$/, "");
    }
    return out;
  }
  const rest = event.message.replace(/^\(service [^)]+\)\s*/, "");
  return { step: "service-events", id: "other", severity: "info", text: rest, event, taskIds: x.taskIds };
}

/** The message with its service name kept; used as the dedup key. */
function dedupKey(message: string): string {
  return message.trim().replace(/\s+/g, " ");
}

export interface DedupedEvent {
  /** The newest occurrence. */
  event: ServiceEvent;
  count: number;
  firstAt: Date | undefined;
  lastAt: Date | undefined;
}

/**
 * ECS repeats the same message (steady state every 6 hours, "unable to place" every few
 * minutes). Collapses identical messages (same text, any id) into one, newest first.
 */
export function dedupeServiceEvents(events: ServiceEvent[]): DedupedEvent[] {
  const t = (e: ServiceEvent) => e.createdAt?.getTime() ?? 0;
  const sorted = [...events].sort((a, b) => t(b) - t(a));
  const byKey = new Map<string, DedupedEvent>();
  const seenIds = new Set<string>();
  for (const e of sorted) {
    if (seenIds.has(e.id)) continue;
    seenIds.add(e.id);
    const k = dedupKey(e.message);
    const d = byKey.get(k);
    if (d) {
      d.count++;
      d.firstAt = e.createdAt;
    } else byKey.set(k, { event: e, count: 1, firstAt: e.createdAt, lastAt: e.createdAt });
  }
  return [...byKey.values()];
}

export interface DeploymentState {
  /** The newest deployment (PRIMARY, else the newest by createdAt). */
  newest: Deployment | undefined;
  /** The newest deployment whose rolloutState is FAILED. */
  failed: Deployment | undefined;
  /** Is the newest deployment itself FAILED (circuit breaker fired, no rollback, or rollback pending)? */
  newestFailed: boolean;
  /** The circuit breaker rolled back (a newer deployment replaced the failed one, or ECS said so). */
  rolledBack: boolean;
  rolledBackTo?: string;
  /** The failed deployment's id, also when it is already gone from the list (from events). */
  failedDeploymentId?: string;
  /** e.g. "ECS deployment circuit breaker: tasks failed to start." */
  circuitBreakerReason?: string;
  inProgress: boolean;
  /** Newest deployment COMPLETED and running == desired, and it is not a rollback. */
  healthy: boolean;
  /**
   * The service came back: its newest deployment completed and was started well after the last
   * failure (circuit breaker, rollback) — a fix, not the rollback that ECS makes at the moment of
   * failure. Then the failure's evidence is history.
   */
  recovered: boolean;
  /** The newest failure event (circuit breaker, deployment failed, rolling back). */
  lastFailureAt?: Date;
}

/** A deployment started this long after the failure is not the circuit breaker's rollback. */
export const RECOVERY_MARGIN_MS = 60_000;

/** Per deployment: is the newest one FAILED, was there a rollback? */
export function deploymentState(service: ServiceInfo): DeploymentState {
  const t = (d: Deployment) => d.createdAt?.getTime() ?? 0;
  const byAge = [...service.deployments].sort((a, b) => t(b) - t(a));
  const newest = service.deployments.find((d) => d.status === "PRIMARY") ?? byAge[0];
  const failed = byAge.find((d) => d.rolloutState === "FAILED");
  const classified = service.events.map(classifyServiceEvent);
  const cbEvent = classified.find((c) =>
    ["cb-tasks-failed-to-start", "cb-elb-health-checks", "deployment-failed"].includes(c.id),
  );
  const rollbackEvent = classified.find((c) => c.id === "rolling-back");
  const failedDeploymentId = failed?.id ?? cbEvent?.deploymentId;
  const newestFailed = newest?.rolloutState === "FAILED";
  const failureTimes = classified
    .filter((c) =>
      ["cb-tasks-failed-to-start", "cb-elb-health-checks", "deployment-failed", "rolling-back"].includes(
        c.id,
      ),
    )
    .map((c) => c.event.createdAt?.getTime() ?? 0);
  const lastFailure = failureTimes.length ? Math.max(...failureTimes) : undefined;
  const settled =
    !!newest &&
    newest.rolloutState === "COMPLETED" &&
    newest.runningCount === newest.desiredCount &&
    service.deployments.filter((d) => d.status !== "INACTIVE").length === 1;
  const recovered =
    settled &&
    lastFailure !== undefined &&
    (newest.createdAt?.getTime() ?? 0) > lastFailure + RECOVERY_MARGIN_MS;
  const rolledBack =
    !recovered &&
    ((!!failed && !!newest && failed.id !== newest.id) ||
      (!!rollbackEvent && (!newest || newest.id === rollbackEvent.rollbackTo || !newestFailed)));
  const reason =
    failed?.rolloutStateReason ??
    (cbEvent
      ? cbEvent.event.message.replace(/^\(service [^)]+\)\s*(\(deployment [^)]+\)\s*)?/, "")
      : undefined);
  const inProgress = newest?.rolloutState === "IN_PROGRESS";
  const healthy =
    !!newest &&
    newest.rolloutState !== "FAILED" &&
    newest.rolloutState !== "IN_PROGRESS" &&
    newest.runningCount === newest.desiredCount &&
    service.deployments.length === 1 &&
    !rolledBack;
  return {
    newest,
    failed,
    newestFailed,
    rolledBack,
    ...(rolledBack && (rollbackEvent?.rollbackTo ?? newest?.id)
      ? { rolledBackTo: rollbackEvent?.rollbackTo ?? newest?.id }
      : {}),
    ...(failedDeploymentId ? { failedDeploymentId } : {}),
    ...(reason ? { circuitBreakerReason: reason } : {}),
    inProgress,
    healthy,
    recovered,
    ...(lastFailure !== undefined ? { lastFailureAt: new Date(lastFailure) } : {}),
  };
}

/** Which way the circuit breaker fired, judged from rolloutStateReason and events. */
export type CircuitBreakerKind = "tasks-failed-to-start" | "elb-health-checks" | "none";

export interface ServiceEventsAnalysis {
  events: (DedupedEvent & { classified: ClassifiedServiceEvent })[];
  deployment: DeploymentState;
  circuitBreaker: CircuitBreakerKind;
  /** The finding to show for step 2. */
  primary: Finding;
  /** Reasons from "unable to place a task. Reason: ..." (often a stoppedReason in full). */
  placementReasons: string[];
}

const EVENT_RANK: Partial<Record<ServiceEventClassId, number>> = {
  "cb-elb-health-checks": 10,
  "cb-tasks-failed-to-start": 10,
  "deployment-failed": 9,
  "unable-to-start-consistently": 8,
  "unable-to-place-task": 7,
  "rolling-back": 6,
  "task-failed-elb-health-checks": 5,
  "unhealthy-in-target-group": 5,
  "task-failed-container-health-checks": 5,
  throttled: 2,
  "steady-state": 1,
  "deployment-completed": 1,
};

/** Step 2 in one call. `since` limits the events to the latest deployment's window. */
export function analyzeService(service: ServiceInfo, since?: Date): ServiceEventsAnalysis {
  const window = since
    ? service.events.filter((e) => (e.createdAt?.getTime() ?? 0) >= since.getTime())
    : service.events;
  const events = dedupeServiceEvents(window).map((d) => ({
    ...d,
    classified: classifyServiceEvent(d.event),
  }));
  const deployment = deploymentState({ ...service, events: window });
  const ids = events.map((e) => e.classified.id);
  const reason = deployment.circuitBreakerReason ?? "";
  const circuitBreaker: CircuitBreakerKind =
    ids.includes("cb-elb-health-checks") || /ELB health checks/i.test(reason)
      ? "elb-health-checks"
      : ids.includes("cb-tasks-failed-to-start") || ids.includes("deployment-failed") || deployment.failed
        ? "tasks-failed-to-start"
        : "none";
  const placementReasons = events
    .filter((e) => e.classified.id === "unable-to-place-task" && e.classified.reason)
    .map((e) => e.classified.reason as string);
  let best: ClassifiedServiceEvent | undefined;
  for (const e of events) {
    const r = EVENT_RANK[e.classified.id] ?? 0;
    if (r > 0 && (!best || r > (EVENT_RANK[best.id] ?? 0))) best = e.classified;
  }
  let primary: Finding;
  if (best && (EVENT_RANK[best.id] ?? 0) > 1) primary = stripEvent(best);
  else if (deployment.failed)
    primary = {
      step: "service-events",
      id: "deployment-failed",
      severity: "fail",
      text: `Deployment ${deployment.failed.id} FAILED${reason ? `: ${reason}` : ""}`,
      nextStep: "→ Schritt 3",
    };
  else if (deployment.healthy)
    primary = { step: "service-events", id: "steady-state", severity: "ok", text: "Service is stable" };
  else if (deployment.inProgress)
    primary = { step: "service-events", id: "other", severity: "info", text: "Deployment in progress" };
  else
    primary = best
      ? stripEvent(best)
      : { step: "service-events", id: "other", severity: "info", text: "No significant service events" };
  return { events, deployment, circuitBreaker, primary, placementReasons };
}

function stripEvent(c: ClassifiedServiceEvent): Finding {
  return {
    step: c.step,
    id: c.id,
    severity: c.severity,
    text: c.text,
    ...(c.nextStep ? { nextStep: c.nextStep } : {}),
  };
}
