// biome-ignore-all lint/correctness/noComponentHookFactories: the ops are AWS operation names (PascalCase), not React components
// The ECS API (JSON 1.1, AmazonEC2ContainerServiceV20141113) over the simulator's state.
// Handlers return plain objects with Date timestamps and throw AwsError as ECS does.

import { AwsError } from "../account.js";
import type { Input, ServiceModule } from "../protocol.js";
import type { ContainerSpec, TaskDefinitionSpec } from "../world.js";
import { apiErrors } from "./messages.js";
import type { EcsSimulator, Service, Task, TaskDefinition } from "./simulator.js";

const date = (t: number | undefined) => (t === undefined ? undefined : new Date(t));

function invalid(message: string): never {
  throw new AwsError("InvalidParameterException", message);
}

export function createHandlers(sim: EcsSimulator): ServiceModule {
  const account = sim.account;

  const cluster = (ref: unknown): void => {
    const name = ref === undefined || ref === null || ref === "" ? "default" : String(ref);
    if (name !== sim.clusterName && name !== sim.clusterArn)
      throw new AwsError("ClusterNotFoundException", apiErrors.clusterNotFound);
  };
  const serviceName = (ref: string) => (ref.startsWith("arn:") ? (ref.split("/").pop() ?? ref) : ref);
  const findService = (ref: unknown): Service | undefined => {
    if (typeof ref !== "string") return undefined;
    const s = sim.services.get(serviceName(ref));
    if (!s) return undefined;
    return ref.startsWith("arn:") && ref !== s.arn && !ref.endsWith(`service/${s.name}`) ? undefined : s;
  };
  const requireService = (ref: unknown): Service => {
    if (ref === undefined || ref === "") invalid("Service cannot be empty.");
    const s = findService(ref);
    if (!s) throw new AwsError("ServiceNotFoundException", apiErrors.serviceNotFound);
    return s;
  };

  const describeService = (s: Service) => {
    const total = sim.counts(s);
    return {
      serviceArn: s.arn,
      serviceName: s.name,
      clusterArn: sim.clusterArn,
      loadBalancers: s.loadBalancer
        ? [
            {
              targetGroupArn: s.loadBalancer.targetGroupArn,
              containerName: s.loadBalancer.containerName,
              containerPort: s.loadBalancer.containerPort,
            },
          ]
        : [],
      serviceRegistries: [],
      status: "ACTIVE",
      desiredCount: s.desiredCount,
      runningCount: total.running,
      pendingCount: total.pending,
      launchType: "FARGATE",
      platformVersion: "LATEST",
      platformFamily: "Linux",
      taskDefinition: s.taskDefinitionArn,
      deploymentConfiguration: {
        deploymentCircuitBreaker: { ...s.circuitBreaker },
        maximumPercent: s.maximumPercent,
        minimumHealthyPercent: s.minimumHealthyPercent,
      },
      deployments: s.deployments.map((d) => {
        const c = sim.counts(s, d);
        return {
          id: d.id,
          status: d.status,
          taskDefinition: d.taskDefinitionArn,
          desiredCount: d.desiredCount,
          pendingCount: c.pending,
          runningCount: c.running,
          failedTasks: d.failedTasks,
          createdAt: date(d.createdAt),
          updatedAt: date(d.updatedAt),
          launchType: "FARGATE",
          platformVersion: "1.4.0",
          platformFamily: "Linux",
          rolloutState: d.rolloutState,
          rolloutStateReason: d.rolloutStateReason,
        };
      }),
      roleArn: `arn:aws:iam::${account.id}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
      events: s.events.map((e) => ({ id: e.id, createdAt: date(e.createdAt), message: e.message })),
      createdAt: date(s.createdAt),
      placementConstraints: [],
      placementStrategy: [],
      healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds,
      schedulingStrategy: "REPLICA",
      deploymentController: { type: "ECS" },
      createdBy: `arn:aws:iam::${account.id}:role/cdk-hnb659fds-cfn-exec-role-${account.id}-${account.region}`,
      enableECSManagedTags: false,
      propagateTags: "NONE",
      enableExecuteCommand: false,
      availabilityZoneRebalancing: "ENABLED",
    };
  };

  const describeTask = (t: Task) => ({
    taskArn: t.arn,
    clusterArn: sim.clusterArn,
    taskDefinitionArn: t.taskDefinitionArn,
    group: `service:${t.service}`,
    startedBy: t.startedBy,
    lastStatus: t.lastStatus,
    desiredStatus: t.desiredStatus,
    healthStatus: t.healthStatus,
    launchType: "FARGATE",
    platformVersion: "1.4.0",
    platformFamily: "Linux",
    availabilityZone: `${account.region}a`,
    connectivity: t.startedAt !== undefined ? "CONNECTED" : undefined,
    createdAt: date(t.createdAt),
    pullStartedAt: date(t.pullStartedAt),
    pullStoppedAt: date(t.pullStoppedAt),
    startedAt: date(t.startedAt),
    stoppingAt: date(t.stoppingAt),
    stoppedAt: date(t.stoppedAt),
    executionStoppedAt: date(t.stoppedAt),
    stoppedReason: t.stoppedReason,
    stopCode: t.stopCode,
    cpu: sim.taskDefinitions.get(t.taskDefinitionArn)?.spec.cpu,
    memory: sim.taskDefinitions.get(t.taskDefinitionArn)?.spec.memory,
    containers: t.containers.map((c, i) => ({
      containerArn: `arn:aws:ecs:${account.region}:${account.id}:container/${sim.clusterName}/${t.id}/${containerUuid(t.id, i)}`,
      taskArn: t.arn,
      name: c.name,
      image: c.image,
      lastStatus: c.lastStatus,
      exitCode: c.exitCode,
      reason: c.reason,
      healthStatus: c.healthStatus,
    })),
    overrides: { containerOverrides: t.containers.map((c) => ({ name: c.name })) },
    tags: [],
    version: t.lastStatus === "STOPPED" ? 5 : 3,
  });

  const describeTaskDefinition = (td: TaskDefinition) => ({
    taskDefinitionArn: td.arn,
    family: td.family,
    revision: td.revision,
    status: td.status,
    executionRoleArn: td.spec.executionRoleArn,
    taskRoleArn: td.spec.taskRoleArn,
    networkMode: "awsvpc",
    cpu: td.spec.cpu ?? "512",
    memory: td.spec.memory ?? "1024",
    requiresCompatibilities: ["FARGATE"],
    compatibilities: ["EC2", "FARGATE"],
    registeredAt: date(td.registeredAt),
    registeredBy: `arn:aws:sts::${account.id}:assumed-role/cdk-hnb659fds-cfn-exec-role-${account.id}-${account.region}/AWSCloudFormation`,
    containerDefinitions: td.spec.containerDefinitions.map((c) => ({
      name: c.name,
      image: c.image,
      essential: c.essential ?? true,
      memory: c.memory,
      portMappings: (c.portMappings ?? []).map((p) => ({
        containerPort: p.containerPort,
        hostPort: p.containerPort,
        protocol: p.protocol ?? "tcp",
      })),
      environment: c.environment ?? [],
      secrets: c.secrets ?? [],
      logConfiguration: c.logConfiguration,
      mountPoints: [],
      volumesFrom: [],
    })),
    volumes: [],
    placementConstraints: [],
  });

  const requireTaskDefinition = (ref: unknown): TaskDefinition => {
    if (typeof ref !== "string" || ref === "")
      throw new AwsError("ClientException", apiErrors.taskDefinitionNotFound);
    const td = sim.findTaskDefinition(ref);
    if (!td) throw new AwsError("ClientException", apiErrors.taskDefinitionNotFound);
    return td;
  };

  const ops: ServiceModule["ops"] = {
    ListClusters: () => ({ clusterArns: [sim.clusterArn] }),

    DescribeClusters: (input: Input) => {
      const refs: string[] = input.clusters?.length ? input.clusters : ["default"];
      const clusters = [];
      const failures = [];
      for (const r of refs) {
        if (r === sim.clusterName || r === sim.clusterArn) {
          const live = sim.tasks.filter((t) => t.desiredStatus === "RUNNING");
          clusters.push({
            clusterArn: sim.clusterArn,
            clusterName: sim.clusterName,
            status: "ACTIVE",
            registeredContainerInstancesCount: 0,
            runningTasksCount: live.filter((t) => t.lastStatus === "RUNNING").length,
            pendingTasksCount: live.filter((t) => t.lastStatus !== "RUNNING").length,
            activeServicesCount: sim.services.size,
            statistics: [],
            tags: [],
            settings: [{ name: "containerInsights", value: "disabled" }],
            capacityProviders: ["FARGATE", "FARGATE_SPOT"],
          });
        } else {
          failures.push({
            arn: r.startsWith("arn:") ? r : `arn:aws:ecs:${account.region}:${account.id}:cluster/${r}`,
            reason: "MISSING",
          });
        }
      }
      return { clusters, failures };
    },

    ListServices: (input: Input) => {
      cluster(input.cluster);
      const all = [...sim.services.values()].map((s) => s.arn);
      return page(all, input.maxResults, input.nextToken, "serviceArns");
    },

    DescribeServices: (input: Input) => {
      cluster(input.cluster);
      const refs: unknown = input.services;
      if (!Array.isArray(refs) || refs.length === 0) invalid("Services cannot be empty.");
      if (refs.length > 10) invalid("Services cannot contain more than 10 elements.");
      const services = [];
      const failures = [];
      for (const r of refs as string[]) {
        const s = findService(r);
        if (s) services.push(describeService(s));
        else
          failures.push({
            arn: r.startsWith("arn:")
              ? r
              : `arn:aws:ecs:${account.region}:${account.id}:service/${sim.clusterName}/${r}`,
            reason: "MISSING",
          });
      }
      return { services, failures };
    },

    ListTasks: (input: Input) => {
      cluster(input.cluster);
      const desired = input.desiredStatus ?? "RUNNING";
      if (!["RUNNING", "PENDING", "STOPPED"].includes(desired))
        invalid("desiredStatus must be one of RUNNING, PENDING, STOPPED.");
      if (input.serviceName !== undefined && input.family !== undefined)
        invalid("Only one of serviceName or family can be specified.");
      let svc: Service | undefined;
      if (input.serviceName !== undefined) svc = requireService(input.serviceName);
      const tasks = sim
        .visibleTasks()
        .filter((t) => (svc ? t.service === svc.name : true))
        .filter((t) =>
          desired === "STOPPED" ? t.desiredStatus === "STOPPED" : t.desiredStatus === "RUNNING",
        )
        .filter((t) => (desired === "PENDING" ? t.lastStatus !== "RUNNING" : true))
        .filter((t) =>
          input.family ? sim.taskDefinitions.get(t.taskDefinitionArn)?.family === input.family : true,
        )
        .filter((t) => (input.startedBy ? t.startedBy === input.startedBy : true))
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((t) => t.arn);
      return page(tasks, input.maxResults, input.nextToken, "taskArns");
    },

    DescribeTasks: (input: Input) => {
      cluster(input.cluster);
      const refs: unknown = input.tasks;
      if (!Array.isArray(refs) || refs.length === 0) invalid("Tasks cannot be empty.");
      if (refs.length > 100) invalid("Tasks cannot contain more than 100 elements.");
      const visible = sim.visibleTasks();
      const tasks = [];
      const failures = [];
      for (const r of refs as string[]) {
        const t = visible.find((x) => x.arn === r || x.id === r);
        if (t) tasks.push(describeTask(t));
        else
          failures.push({
            arn: r.startsWith("arn:")
              ? r
              : `arn:aws:ecs:${account.region}:${account.id}:task/${sim.clusterName}/${r}`,
            reason: "MISSING",
          });
      }
      return { tasks, failures };
    },

    DescribeTaskDefinition: (input: Input) => ({
      taskDefinition: describeTaskDefinition(requireTaskDefinition(input.taskDefinition)),
      tags: [],
    }),

    ListTaskDefinitions: (input: Input) => {
      const status = input.status ?? "ACTIVE";
      let list = [...sim.taskDefinitions.values()]
        .filter((t) => t.status === status)
        .filter((t) => (input.familyPrefix ? t.family.startsWith(input.familyPrefix) : true))
        .sort((a, b) => (a.family === b.family ? a.revision - b.revision : a.family < b.family ? -1 : 1));
      if (input.sort === "DESC") list = list.reverse();
      return page(
        list.map((t) => t.arn),
        input.maxResults,
        input.nextToken,
        "taskDefinitionArns",
      );
    },

    RegisterTaskDefinition: (input: Input) => {
      const family = input.family;
      if (typeof family !== "string" || !/^[A-Za-z0-9_-]{1,255}$/.test(family))
        throw new AwsError(
          "ClientException",
          "Family contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.",
        );
      const cds: unknown = input.containerDefinitions;
      if (!Array.isArray(cds) || cds.length === 0)
        throw new AwsError("ClientException", "Container list cannot be empty.");
      for (const c of cds as Record<string, unknown>[]) {
        if (typeof c.name !== "string" || c.name === "")
          throw new AwsError("ClientException", "Container.name should not be null or empty.");
        if (typeof c.image !== "string" || c.image === "")
          throw new AwsError("ClientException", "Container.image should not be null or empty.");
      }
      const spec: TaskDefinitionSpec = {
        family,
        revision: sim.nextRevision(family),
        executionRoleArn: input.executionRoleArn,
        taskRoleArn: input.taskRoleArn,
        cpu: input.cpu,
        memory: input.memory,
        containerDefinitions: (cds as Record<string, unknown>[]).map(
          (c): ContainerSpec => ({
            name: String(c.name),
            image: String(c.image),
            essential: c.essential as boolean | undefined,
            memory: c.memory as number | undefined,
            portMappings: c.portMappings as ContainerSpec["portMappings"],
            environment: (c.environment as ContainerSpec["environment"]) ?? [],
            secrets: (c.secrets as ContainerSpec["secrets"]) ?? [],
            logConfiguration: c.logConfiguration as ContainerSpec["logConfiguration"],
          }),
        ),
      };
      const td = sim.addTaskDefinition(spec, account.now());
      return { taskDefinition: describeTaskDefinition(td), tags: input.tags ?? [] };
    },

    DeregisterTaskDefinition: (input: Input) => {
      const ref = input.taskDefinition;
      if (typeof ref !== "string" || !/:\d+$/.test(ref))
        invalid(`Invalid revision number. Number: ${String(ref).split(":").pop()}`);
      const td = requireTaskDefinition(ref);
      td.status = "INACTIVE";
      return { taskDefinition: describeTaskDefinition(td) };
    },

    UpdateService: (input: Input) => {
      cluster(input.cluster);
      const svc = requireService(input.service);
      if (
        input.desiredCount !== undefined &&
        (!Number.isInteger(input.desiredCount) || input.desiredCount < 0)
      )
        invalid("desiredCount must be a non-negative integer.");
      let taskDefinition: string | undefined;
      if (input.taskDefinition !== undefined) {
        const td = sim.findTaskDefinition(String(input.taskDefinition));
        if (!td) throw new AwsError("ClientException", "TaskDefinition not found.");
        if (td.status !== "ACTIVE") invalid(`TaskDefinition is inactive`);
        taskDefinition = td.arn;
      }
      const cb = input.deploymentConfiguration?.deploymentCircuitBreaker;
      sim.updateService(svc.name, {
        taskDefinition,
        desiredCount: input.desiredCount,
        forceNewDeployment: input.forceNewDeployment === true,
        circuitBreaker: cb ? { enable: cb.enable === true, rollback: cb.rollback === true } : undefined,
      });
      return { service: describeService(svc) };
    },
  };

  // Every call sees the simulation caught up with the clock.
  const synced: ServiceModule["ops"] = {};
  for (const [name, handler] of Object.entries(ops)) {
    synced[name] = (input, ctx) => {
      sim.advanceTo(account.now());
      return handler(input ?? {}, ctx);
    };
  }
  return { service: "ecs", ops: synced };
}

function containerUuid(taskId: string, i: number): string {
  const h = `${taskId.slice(i % 4)}${taskId}`.slice(0, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function page(
  items: string[],
  maxResults: unknown,
  nextToken: unknown,
  key: string,
): Record<string, unknown> {
  const max = typeof maxResults === "number" ? maxResults : 100;
  if (max < 1 || max > 100) invalid("maxResults must be between 1 and 100.");
  let start = 0;
  if (typeof nextToken === "string" && nextToken !== "") {
    const n = Number(
      Buffer.from(nextToken, "base64")
        .toString("utf8")
        .replace(/^offset:/, ""),
    );
    if (!Number.isInteger(n) || n < 0) invalid("Invalid nextToken.");
    start = n;
  }
  const slice = items.slice(start, start + max);
  const next =
    start + max < items.length ? Buffer.from(`offset:${start + max}`).toString("base64") : undefined;
  return { [key]: slice, nextToken: next };
}
