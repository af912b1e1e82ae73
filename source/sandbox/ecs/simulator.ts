// The deployment simulator: a lazy discrete-event simulation of an ECS cluster's services.
// `advanceTo(t)` processes queued events in time order up to t; nothing runs on timers. Every
// task reads the account's state when it starts (secrets, IAM, KMS, images, the database), so a
// scenario's evidence (service events, stopped tasks, log lines, the rollback) comes out of the
// simulation, and a fix made through the API changes what the next deployment does.

import type { Account, Advanceable } from "../account.js";
import type { LoadBalancerSpec, ServiceSpec, TaskDefinitionSpec } from "../world.js";
import { type AppOutcome, initialReady, type ReadyAnswer, runApp } from "./app.js";
import {
  type CircuitBreakerCause,
  rolloutReasons,
  serviceEvents,
  stopCodes,
  stoppedReasons,
} from "./messages.js";
import { initialiseTask } from "./resources.js";

export const STOPPED_TASK_RETENTION_MS = 60 * 60 * 1000;
const MAX_EVENTS = 100;
// Task lifecycle timing (sandbox ms).
const PROVISIONING_MS = 5_000;
const PENDING_MS = 15_000;
const CRASH_AFTER_MS = 2_000;
const RELAUNCH_DELAY_MS = 20_000;
const STOPPING_MS = 2_000;

export interface TaskDefinition {
  family: string;
  revision: number;
  arn: string;
  status: "ACTIVE" | "INACTIVE";
  registeredAt: number;
  spec: TaskDefinitionSpec;
}

export interface Deployment {
  id: string;
  status: "PRIMARY" | "ACTIVE" | "INACTIVE";
  taskDefinitionArn: string;
  desiredCount: number;
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  rolloutState: "IN_PROGRESS" | "COMPLETED" | "FAILED";
  rolloutStateReason: string;
  lastFailure?: CircuitBreakerCause;
}

export interface ContainerState {
  name: string;
  image: string;
  lastStatus: string;
  exitCode?: number;
  reason?: string;
  healthStatus: string;
}

export interface Task {
  id: string;
  arn: string;
  service: string;
  /** The deployment that started it (startedBy). */
  startedBy: string;
  /** The deployment it counts for now (a rollback adopts the tasks of the deployment it returns to). */
  deploymentId: string;
  taskDefinitionArn: string;
  lastStatus: string;
  desiredStatus: "RUNNING" | "STOPPED";
  healthStatus: string;
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stoppedReason?: string;
  stopCode?: string;
  containers: ContainerState[];
  /** Registered in the target group. */
  registered: boolean;
  /** Passed the load balancer's health checks (or, without one, running). */
  healthy: boolean;
  passes: number;
  fails: number;
  outcome?: AppOutcome;
  logStream?: { group: string; stream: string };
}

export interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface Service {
  name: string;
  arn: string;
  createdAt: number;
  desiredCount: number;
  taskDefinitionArn: string;
  circuitBreaker: { enable: boolean; rollback: boolean };
  minimumHealthyPercent: number;
  maximumPercent: number;
  healthCheckGracePeriodSeconds: number;
  loadBalancer?: Required<LoadBalancerSpec> & { targetGroupArn: string };
  /** Newest first. */
  deployments: Deployment[];
  /** Newest first, at most 100. */
  events: ServiceEvent[];
  /** The last deployment that reached COMPLETED (what a rollback returns to). */
  lastCompleted?: Deployment;
  /** After a task failure the scheduler waits before it launches a replacement. */
  nextLaunchAt: number;
}

interface QueuedEvent {
  t: number;
  seq: number;
  run: (t: number) => void;
}

export interface UpdateServiceInput {
  taskDefinition?: string;
  desiredCount?: number;
  forceNewDeployment?: boolean;
  circuitBreaker?: { enable: boolean; rollback: boolean };
}

/** The circuit breaker's failure threshold: 0.5 × desired count, at least 3, at most 200. */
export function failureThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desiredCount * 0.5)));
}

export class EcsSimulator implements Advanceable {
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly services = new Map<string, Service>();
  readonly tasks: Task[] = [];
  /** By ARN. */
  readonly taskDefinitions = new Map<string, TaskDefinition>();
  private queue: QueuedEvent[] = [];
  private seq = 0;
  private now: number;
  private pendingReconcile = new Set<string>();

  constructor(readonly account: Account) {
    const w = account.world;
    this.clusterName = w.cluster;
    this.clusterArn = `arn:aws:ecs:${account.region}:${account.id}:cluster/${w.cluster}`;
    for (const td of w.taskDefinitions) {
      this.addTaskDefinition(account.resolveDeep(td), account.at(td.registeredAt, "-30d"));
    }
    const starts = w.services.map((s) => account.at(s.since, "-3d"));
    this.now = Math.min(account.t0, ...starts) - 60_000;
    w.services.forEach((s, i) => {
      this.installService(s, starts[i]!);
    });
    for (const s of w.services) {
      for (const h of s.history ?? []) {
        const at = account.at(h.at);
        this.schedule(at, () =>
          this.updateService(s.name, {
            taskDefinition: h.taskDefinition,
            forceNewDeployment: h.forceNewDeployment ?? true,
          }),
        );
      }
    }
    this.advanceTo(account.t0);
  }

  // ------------------------------------------------------------ time

  advanceTo(t: number): void {
    while (this.queue.length > 0 && this.queue[0]!.t <= t) {
      const ev = this.queue.shift()!;
      this.now = Math.max(this.now, ev.t);
      ev.run(ev.t);
    }
    this.now = Math.max(this.now, t);
  }

  /** Current simulation time. */
  time(): number {
    return this.now;
  }

  private schedule(t: number, run: (t: number) => void): void {
    const ev = { t, seq: this.seq++, run };
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const q = this.queue[mid]!;
      if (q.t < t || (q.t === t && q.seq < ev.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, ev);
  }

  // ------------------------------------------------------------ task definitions

  addTaskDefinition(spec: TaskDefinitionSpec, registeredAt: number): TaskDefinition {
    const arn = `arn:aws:ecs:${this.account.region}:${this.account.id}:task-definition/${spec.family}:${spec.revision}`;
    const td: TaskDefinition = {
      family: spec.family,
      revision: spec.revision,
      arn,
      status: "ACTIVE",
      registeredAt,
      spec,
    };
    this.taskDefinitions.set(arn, td);
    return td;
  }

  /** family, family:revision or ARN; a bare family means its latest ACTIVE revision. */
  findTaskDefinition(ref: string): TaskDefinition | undefined {
    if (ref.startsWith("arn:")) {
      const direct = this.taskDefinitions.get(ref);
      if (direct) return direct;
      ref = ref.split("/").pop() ?? ref;
    }
    const [family, rev] = ref.split(":");
    const all = [...this.taskDefinitions.values()].filter((t) => t.family === family);
    if (rev !== undefined) return all.find((t) => String(t.revision) === rev);
    return all.filter((t) => t.status === "ACTIVE").sort((a, b) => b.revision - a.revision)[0];
  }

  nextRevision(family: string): number {
    let max = 0;
    for (const t of this.taskDefinitions.values()) if (t.family === family) max = Math.max(max, t.revision);
    return max + 1;
  }

  // ------------------------------------------------------------ services

  private deploymentId(): string {
    return `ecs-svc/${1 + Math.floor(this.account.rng.next() * 9)}${this.account.rng.digits(18)}`;
  }

  private installService(s: ServiceSpec, since: number): void {
    const a = this.account;
    const td = this.findTaskDefinition(s.taskDefinition);
    if (!td) throw new Error(`service ${s.name}: no task definition ${s.taskDefinition}`);
    const lb = s.loadBalancer
      ? {
          healthCheckPath: "/api/ready",
          intervalSeconds: 30,
          healthyThreshold: 2,
          unhealthyThreshold: 3,
          deregistrationDelaySeconds: 30,
          ...s.loadBalancer,
          targetGroupArn: `arn:aws:elasticloadbalancing:${a.region}:${a.id}:targetgroup/${s.loadBalancer.targetGroupName}/${a.rng.hex(16)}`,
        }
      : undefined;
    const svc: Service = {
      name: s.name,
      arn: `arn:aws:ecs:${a.region}:${a.id}:service/${this.clusterName}/${s.name}`,
      createdAt: since - 10 * 60_000,
      desiredCount: s.desiredCount,
      taskDefinitionArn: td.arn,
      circuitBreaker: s.circuitBreaker ?? { enable: true, rollback: true },
      minimumHealthyPercent: s.minimumHealthyPercent ?? 100,
      maximumPercent: s.maximumPercent ?? 200,
      healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds ?? 0,
      loadBalancer: lb,
      deployments: [],
      events: [],
      nextLaunchAt: 0,
    };
    this.services.set(s.name, svc);
    const dep: Deployment = {
      id: this.deploymentId(),
      status: "PRIMARY",
      taskDefinitionArn: td.arn,
      desiredCount: s.desiredCount,
      failedTasks: 0,
      createdAt: since - 5 * 60_000,
      updatedAt: since,
      rolloutState: "COMPLETED",
      rolloutStateReason: rolloutReasons.completed(""),
    };
    dep.rolloutStateReason = rolloutReasons.completed(dep.id);
    svc.deployments.push(dep);
    svc.lastCompleted = dep;
    const started: Task[] = [];
    for (let i = 0; i < s.desiredCount; i++) {
      const task = this.newTask(svc, dep, td, since - 60_000);
      task.pullStartedAt = since - 50_000;
      task.pullStoppedAt = since - 30_000;
      task.startedAt = since - 20_000;
      task.lastStatus = "RUNNING";
      for (const c of task.containers) c.lastStatus = "RUNNING";
      const env: Record<string, string> = {};
      for (const e of td.spec.containerDefinitions[0]?.environment ?? []) env[e.name] = e.value;
      task.outcome = initialReady(env);
      task.registered = lb !== undefined;
      task.healthy = true;
      started.push(task);
      this.log(task, task.startedAt, task.outcome.kind === "serving" ? task.outcome.startLines : []);
      this.scheduleHeartbeat(task, Math.max(task.startedAt, a.t0 - 30 * 60_000));
    }
    this.event(
      svc,
      since - 60_000,
      serviceEvents.startedTasks(
        svc.name,
        started.map((t) => t.id),
      ),
    );
    if (lb)
      this.event(
        svc,
        since - 15_000,
        serviceEvents.registeredTargets(svc.name, started.length, lb.targetGroupArn),
      );
    this.event(svc, since - 1_000, serviceEvents.deploymentCompleted(svc.name, dep.id));
    this.event(svc, since, serviceEvents.steadyState(svc.name));
  }

  updateService(name: string, input: UpdateServiceInput): Service {
    const svc = this.services.get(name);
    if (!svc) throw new Error(`no service ${name}`);
    const t = this.now;
    if (input.circuitBreaker) svc.circuitBreaker = input.circuitBreaker;
    let td = this.taskDefinitions.get(svc.taskDefinitionArn)!;
    if (input.taskDefinition !== undefined) {
      const found = this.findTaskDefinition(input.taskDefinition);
      if (!found) throw new Error(`no task definition ${input.taskDefinition}`);
      td = found;
    }
    const changedTd = td.arn !== svc.taskDefinitionArn;
    if (input.desiredCount !== undefined) {
      svc.desiredCount = input.desiredCount;
      const primary = svc.deployments[0];
      if (primary) primary.desiredCount = input.desiredCount;
    }
    if (changedTd || input.forceNewDeployment) {
      for (const d of svc.deployments) d.status = "ACTIVE";
      const dep: Deployment = {
        id: this.deploymentId(),
        status: "PRIMARY",
        taskDefinitionArn: td.arn,
        desiredCount: svc.desiredCount,
        failedTasks: 0,
        createdAt: t,
        updatedAt: t,
        rolloutState: "IN_PROGRESS",
        rolloutStateReason: rolloutReasons.inProgress,
      };
      svc.deployments.unshift(dep);
      svc.taskDefinitionArn = td.arn;
    }
    this.reconcileSoon(svc, t);
    return svc;
  }

  private event(svc: Service, t: number, message: string): void {
    const ev = { id: this.account.rng.uuid(), createdAt: t, message };
    let i = 0;
    while (i < svc.events.length && svc.events[i]!.createdAt > t) i++;
    svc.events.splice(i, 0, ev);
    if (svc.events.length > MAX_EVENTS) svc.events.length = MAX_EVENTS;
  }

  // ------------------------------------------------------------ tasks

  private newTask(svc: Service, dep: Deployment, td: TaskDefinition, t: number): Task {
    const id = this.account.rng.hex(32);
    const task: Task = {
      id,
      arn: `arn:aws:ecs:${this.account.region}:${this.account.id}:task/${this.clusterName}/${id}`,
      service: svc.name,
      startedBy: dep.id,
      deploymentId: dep.id,
      taskDefinitionArn: td.arn,
      lastStatus: "PROVISIONING",
      desiredStatus: "RUNNING",
      healthStatus: "UNKNOWN",
      createdAt: t,
      containers: td.spec.containerDefinitions.map((c) => ({
        name: c.name,
        image: c.image,
        lastStatus: "PENDING",
        healthStatus: "UNKNOWN",
      })),
      registered: false,
      healthy: false,
      passes: 0,
      fails: 0,
    };
    const main = td.spec.containerDefinitions[0];
    const opts = main?.logConfiguration?.logDriver === "awslogs" ? main.logConfiguration.options : undefined;
    if (main && opts?.["awslogs-group"]) {
      const prefix = opts["awslogs-stream-prefix"];
      task.logStream = {
        group: opts["awslogs-group"],
        stream: prefix ? `${prefix}/${main.name}/${id}` : id,
      };
    }
    this.tasks.unshift(task);
    return task;
  }

  private log(task: Task, t: number, lines: string[]): void {
    if (!task.logStream) return;
    lines.forEach((line, i) => {
      this.account.putLog(task.logStream!.group, task.logStream!.stream, t + i, line);
    });
  }

  private launch(svc: Service, dep: Deployment, n: number, t: number): void {
    const td = this.taskDefinitions.get(dep.taskDefinitionArn)!;
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const task = this.newTask(svc, dep, td, t);
      ids.push(task.id);
      this.schedule(t + PROVISIONING_MS, () => {
        if (task.desiredStatus !== "RUNNING") return;
        task.lastStatus = "PENDING";
        task.pullStartedAt = t + PROVISIONING_MS;
      });
      this.schedule(t + PENDING_MS, (at) => this.initialise(svc, task, td, at));
    }
    this.event(svc, t, serviceEvents.startedTasks(svc.name, ids));
  }

  private initialise(svc: Service, task: Task, td: TaskDefinition, t: number): void {
    if (task.desiredStatus !== "RUNNING") return;
    const init = initialiseTask(this.account, td.spec, task.id);
    if (!init.ok) {
      for (const c of task.containers) {
        c.lastStatus = "STOPPED";
        if (init.container === c.name) c.reason = init.reason;
      }
      this.stopTask(svc, task, t, init.reason, stopCodes.taskFailedToStart, "start");
      return;
    }
    task.pullStoppedAt = t;
    task.startedAt = t;
    task.lastStatus = "RUNNING";
    for (const c of task.containers) c.lastStatus = "RUNNING";
    const outcome = runApp(init.env[0] ?? {}, this.account);
    task.outcome = outcome;
    if (outcome.kind === "crash") {
      this.log(task, t + 500, outcome.lines);
      this.schedule(t + CRASH_AFTER_MS, (at) => {
        if (task.desiredStatus !== "RUNNING") return;
        for (const [i, c] of task.containers.entries()) {
          c.lastStatus = "STOPPED";
          c.exitCode = i === 0 ? outcome.exitCode : 0;
        }
        this.stopTask(
          svc,
          task,
          at,
          stoppedReasons.essentialContainerExited,
          stopCodes.essentialContainerExited,
          "start",
        );
      });
      return;
    }
    this.log(task, t + 500, outcome.startLines);
    const lb = svc.loadBalancer;
    if (!lb) {
      const startup = (this.account.world.app?.startupSeconds ?? 5) * 1000;
      this.schedule(t + startup, (at) => {
        if (task.desiredStatus !== "RUNNING") return;
        task.healthy = true;
        this.scheduleHeartbeat(task, at);
        this.reconcileSoon(svc, at);
      });
      return;
    }
    task.registered = true;
    this.event(svc, t, serviceEvents.registeredTargets(svc.name, 1, lb.targetGroupArn));
    this.schedule(t + lb.intervalSeconds * 1000, (at) => this.healthCheck(svc, task, at));
  }

  private healthCheck(svc: Service, task: Task, t: number): void {
    const lb = svc.loadBalancer!;
    if (task.desiredStatus !== "RUNNING" || !task.registered || task.healthy) return;
    const startup = (this.account.world.app?.startupSeconds ?? 5) * 1000;
    const listening = task.startedAt !== undefined && t - task.startedAt >= startup;
    const passes = listening && task.outcome?.kind === "serving" && task.outcome.healthy;
    if (passes) {
      task.passes++;
      task.fails = 0;
      if (task.passes >= lb.healthyThreshold) {
        task.healthy = true;
        this.scheduleHeartbeat(task, t);
        this.reconcileSoon(svc, t);
        return;
      }
    } else {
      task.passes = 0;
      task.fails++;
      if (listening && task.outcome?.kind === "serving") this.log(task, t, task.outcome.failLines);
      const inGrace =
        task.startedAt !== undefined && t - task.startedAt < svc.healthCheckGracePeriodSeconds * 1000;
      if (task.fails >= lb.unhealthyThreshold && !inGrace) {
        this.event(
          svc,
          t,
          serviceEvents.unhealthyTarget(svc.name, lb.containerPort, lb.targetGroupArn, [503]),
        );
        this.stopTask(
          svc,
          task,
          t,
          stoppedReasons.elbHealthChecks(lb.targetGroupArn),
          stopCodes.serviceSchedulerInitiated,
          "elb",
        );
        return;
      }
    }
    this.schedule(t + lb.intervalSeconds * 1000, (at) => this.healthCheck(svc, task, at));
  }

  private scheduleHeartbeat(task: Task, from: number): void {
    const every = (this.account.world.app?.heartbeatSeconds ?? 60) * 1000;
    if (every <= 0 || task.outcome?.kind !== "serving" || !task.outcome.healthy) return;
    const beat = (at: number) => {
      if (task.desiredStatus !== "RUNNING" || task.outcome?.kind !== "serving") return;
      this.log(task, at, [task.outcome.heartbeatLine]);
      this.schedule(at + every, beat);
    };
    this.schedule(from + every, beat);
  }

  /**
   * Stops a task. `failure` marks a task that failed (counts toward the circuit breaker); a task
   * the scheduler drains passes undefined.
   */
  private stopTask(
    svc: Service,
    task: Task,
    t: number,
    reason: string,
    stopCode: string,
    failure?: CircuitBreakerCause,
  ): void {
    if (task.desiredStatus === "STOPPED") return;
    task.desiredStatus = "STOPPED";
    task.stoppedReason = reason;
    task.stopCode = stopCode;
    task.stoppingAt = t;
    const wasRunning = task.lastStatus === "RUNNING";
    const lb = svc.loadBalancer;
    let delay = STOPPING_MS;
    if (task.registered && lb) {
      task.lastStatus = "DEACTIVATING";
      this.event(svc, t, serviceEvents.deregisteredTargets(svc.name, 1, lb.targetGroupArn));
      this.event(svc, t, serviceEvents.drainingConnections(svc.name, 1));
      delay = lb.deregistrationDelaySeconds * 1000;
      task.registered = false;
    } else if (wasRunning) {
      task.lastStatus = "STOPPING";
    }
    task.healthy = false;
    if (wasRunning && (failure === "elb" || failure === undefined)) {
      this.event(svc, t, serviceEvents.stoppedRunningTasks(svc.name, [task.id]));
    }
    const finish = (at: number) => {
      task.lastStatus = "STOPPED";
      task.stoppedAt = at;
      task.pullStoppedAt ??= at;
      for (const c of task.containers) {
        if (c.lastStatus === "RUNNING") {
          c.lastStatus = "STOPPED";
          if (c.exitCode === undefined && task.startedAt !== undefined)
            c.exitCode = failure === "elb" ? 143 : 0;
        } else c.lastStatus = "STOPPED";
      }
      if (task.outcome?.kind === "serving" && task.startedAt !== undefined) {
        this.log(task, at - 100, ["[afu9] SIGTERM received, shutting down gracefully"]);
      }
      this.reconcileSoon(svc, at);
    };
    if (
      task.lastStatus === "RUNNING" ||
      task.lastStatus === "DEACTIVATING" ||
      task.lastStatus === "STOPPING"
    ) {
      this.schedule(t + delay, finish);
    } else {
      finish(t + 1_000);
    }
    if (failure) {
      svc.nextLaunchAt = Math.max(svc.nextLaunchAt, t + RELAUNCH_DELAY_MS);
      this.recordFailure(svc, task, t, failure);
      this.reconcileSoon(svc, svc.nextLaunchAt);
    } else this.reconcileSoon(svc, t);
  }

  private recordFailure(svc: Service, task: Task, t: number, cause: CircuitBreakerCause): void {
    const dep = svc.deployments.find((d) => d.id === task.deploymentId);
    if (!dep) return;
    dep.failedTasks++;
    dep.updatedAt = t;
    dep.lastFailure = cause;
    if (
      svc.circuitBreaker.enable &&
      dep.status === "PRIMARY" &&
      dep.rolloutState === "IN_PROGRESS" &&
      dep.failedTasks >= failureThreshold(dep.desiredCount)
    ) {
      this.tripCircuitBreaker(svc, dep, t, cause);
    }
  }

  private tripCircuitBreaker(svc: Service, dep: Deployment, t: number, cause: CircuitBreakerCause): void {
    dep.rolloutState = "FAILED";
    dep.rolloutStateReason = rolloutReasons.circuitBreakerFailed(cause);
    dep.updatedAt = t;
    this.event(svc, t, serviceEvents.deploymentFailed(svc.name, dep.id, cause));
    this.event(svc, t + 1, serviceEvents.circuitBreakerFailed(svc.name, cause));
    const target = svc.lastCompleted;
    if (!svc.circuitBreaker.rollback || !target || target === dep) return;
    // Roll back: a new PRIMARY deployment with the last completed deployment's task definition. It
    // adopts that deployment's tasks that are still running; the failed deployment's tasks drain.
    const rollback: Deployment = {
      id: this.deploymentId(),
      status: "PRIMARY",
      taskDefinitionArn: target.taskDefinitionArn,
      desiredCount: svc.desiredCount,
      failedTasks: 0,
      createdAt: t + 2,
      updatedAt: t + 2,
      rolloutState: "IN_PROGRESS",
      rolloutStateReason: rolloutReasons.rollingBack(target.id),
    };
    for (const d of svc.deployments) d.status = "ACTIVE";
    svc.deployments.unshift(rollback);
    svc.taskDefinitionArn = target.taskDefinitionArn;
    this.event(svc, t + 2, serviceEvents.rollingBack(svc.name, target.id));
    for (const task of this.tasks) {
      if (task.service !== svc.name || task.desiredStatus !== "RUNNING") continue;
      if (task.deploymentId === target.id) task.deploymentId = rollback.id;
    }
    svc.deployments = svc.deployments.filter(
      (d) => d === rollback || d === dep || this.liveTasks(svc, d).length > 0,
    );
    for (const task of this.liveTasks(svc, dep)) {
      this.stopTask(
        svc,
        task,
        t + 2,
        stoppedReasons.scalingActivity(rollback.id),
        stopCodes.serviceSchedulerInitiated,
      );
    }
    this.reconcileSoon(svc, t + 2);
  }

  private liveTasks(svc: Service, dep: Deployment): Task[] {
    return this.tasks.filter(
      (x) => x.service === svc.name && x.deploymentId === dep.id && x.desiredStatus === "RUNNING",
    );
  }

  private stillStopping(svc: Service, dep: Deployment): boolean {
    return this.tasks.some(
      (x) => x.service === svc.name && x.deploymentId === dep.id && x.lastStatus !== "STOPPED",
    );
  }

  private reconcileSoon(svc: Service, t: number): void {
    const key = `${svc.name}@${t}`;
    if (this.pendingReconcile.has(key)) return;
    this.pendingReconcile.add(key);
    this.schedule(t, (at) => {
      this.pendingReconcile.delete(key);
      this.reconcile(svc, at);
    });
  }

  /** The service scheduler: launches, drains, completes. */
  private reconcile(svc: Service, t: number): void {
    const primary = svc.deployments[0];
    if (!primary) return;
    const others = svc.deployments.slice(1);
    const desired = svc.desiredCount;
    const primaryLive = this.liveTasks(svc, primary);
    const allLive = this.tasks.filter((x) => x.service === svc.name && x.desiredStatus === "RUNNING");
    const maxTotal = Math.max(desired, Math.floor((desired * svc.maximumPercent) / 100));
    const minHealthy = Math.ceil((desired * svc.minimumHealthyPercent) / 100);

    // Launch tasks for the primary deployment (a FAILED deployment launches no new tasks).
    if (primary.rolloutState !== "FAILED" && t >= svc.nextLaunchAt) {
      const room = Math.max(0, maxTotal - allLive.length);
      let need = Math.max(0, desired - primaryLive.length);
      // With maximumPercent 100 the scheduler must stop old tasks first.
      if (room === 0 && need > 0 && others.length > 0) {
        const healthyTotal = allLive.filter((x) => x.healthy).length;
        const victim = others.flatMap((d) => this.liveTasks(svc, d))[0];
        if (victim && healthyTotal - 1 >= minHealthy) {
          this.stopTask(
            svc,
            victim,
            t,
            stoppedReasons.scalingActivity(primary.id),
            stopCodes.serviceSchedulerInitiated,
          );
        }
      }
      need = Math.min(need, room);
      if (need > 0) this.launch(svc, primary, need, t);
    }

    // Drain old deployments as far as the primary's healthy tasks allow.
    const primaryHealthy = this.liveTasks(svc, primary).filter((x) => x.healthy).length;
    if (primary.rolloutState !== "FAILED") {
      for (const task of others.flatMap((d) => this.liveTasks(svc, d))) {
        const healthyTotal = this.tasks.filter(
          (x) => x.service === svc.name && x.desiredStatus === "RUNNING" && x.healthy,
        ).length;
        if (primaryHealthy >= desired || !task.healthy || healthyTotal - 1 >= minHealthy) {
          this.stopTask(
            svc,
            task,
            t,
            stoppedReasons.scalingActivity(primary.id),
            stopCodes.serviceSchedulerInitiated,
          );
        }
      }
    }
    // Forget deployments without tasks.
    const before = svc.deployments.length;
    svc.deployments = svc.deployments.filter(
      (d, i) => i === 0 || this.liveTasks(svc, d).length > 0 || this.stillStopping(svc, d),
    );
    if (svc.deployments.length !== before) primary.updatedAt = t;

    if (
      primary.rolloutState === "IN_PROGRESS" &&
      svc.deployments.length === 1 &&
      primaryHealthy >= desired &&
      this.liveTasks(svc, primary).length === desired
    ) {
      primary.rolloutState = "COMPLETED";
      primary.rolloutStateReason = rolloutReasons.completed(primary.id);
      primary.updatedAt = t;
      svc.lastCompleted = primary;
      this.event(svc, t, serviceEvents.deploymentCompleted(svc.name, primary.id));
      this.event(svc, t + 1, serviceEvents.steadyState(svc.name));
    }
  }

  // ------------------------------------------------------------ views

  /** Tasks of the cluster still visible (stopped ones for about an hour), newest first. */
  visibleTasks(): Task[] {
    const now = this.now;
    return this.tasks.filter(
      (t) => t.stoppedAt === undefined || now - t.stoppedAt < STOPPED_TASK_RETENTION_MS,
    );
  }

  counts(svc: Service, dep?: Deployment): { running: number; pending: number } {
    const tasks = this.tasks.filter(
      (x) => x.service === svc.name && x.desiredStatus === "RUNNING" && (!dep || x.deploymentId === dep.id),
    );
    const running = tasks.filter((x) => x.lastStatus === "RUNNING").length;
    return { running, pending: tasks.length - running };
  }

  /**
   * GET /api/ready through the load balancer: answered by a healthy registered target of the
   * service (the first service with a load balancer unless named). With no healthy target the
   * ALB fails open to the unhealthy ones; with none registered it answers 503 itself.
   */
  readyCheck(serviceName?: string): ReadyAnswer {
    this.advanceTo(this.account.now());
    const svc = serviceName
      ? this.services.get(serviceName)
      : [...this.services.values()].find((s) => s.loadBalancer !== undefined);
    if (!svc) return { status: 503, body: noTargets("no such service behind the load balancer") };
    const registered = this.tasks.filter(
      (x) => x.service === svc.name && x.registered && x.desiredStatus === "RUNNING",
    );
    const healthy = registered.filter((x) => x.healthy);
    const pick = healthy[0] ?? registered[0];
    if (pick?.outcome?.kind !== "serving") return { status: 503, body: noTargets("no registered targets") };
    const startup = (this.account.world.app?.startupSeconds ?? 5) * 1000;
    if (pick.startedAt !== undefined && this.now - pick.startedAt < startup)
      return { status: 502, body: noTargets("target not listening yet (502 Bad Gateway)") };
    return pick.outcome.ready;
  }
}

function noTargets(message: string) {
  return { ready: false, checks: { service: { status: "unavailable", message } } };
}
