// ECS: the service with its deployments and events, stopped tasks, task definitions.

import type { DescribeServicesCommandOutput } from "@aws-sdk/client-ecs";
import type {
  ContainerDefinition,
  Deployment,
  ServiceInfo,
  StoppedTask,
  TaskDefinition,
} from "../diagnosis/model.js";
import type { Clients } from "./clients.js";
import { AwsProblem, call } from "./errors.js";

const lastSegment = (arn: string) => arn.split("/").pop() ?? arn;

export async function listClusters(c: Clients): Promise<string[]> {
  const { ListClustersCommand } = await import("@aws-sdk/client-ecs");
  const ecs = await c.ecs();
  const out = await call("ecs:ListClusters", () => ecs.send(new ListClustersCommand({})), c.target.profile);
  return (out.clusterArns ?? []).map(lastSegment);
}

export async function listServices(c: Clients, cluster: string): Promise<string[]> {
  const { ListServicesCommand } = await import("@aws-sdk/client-ecs");
  const ecs = await c.ecs();
  const names: string[] = [];
  let token: string | undefined;
  do {
    const out = await call(
      "ecs:ListServices",
      () => ecs.send(new ListServicesCommand({ cluster, nextToken: token, maxResults: 100 })),
      c.target.profile,
    );
    names.push(...(out.serviceArns ?? []).map(lastSegment));
    token = out.nextToken;
  } while (token);
  return names.sort();
}

/** Names what exists nearby when a cluster or service is not there. */
async function notFound(
  c: Clients,
  cluster: string,
  service: string,
  clusterMissing: boolean,
): Promise<AwsProblem> {
  try {
    if (clusterMissing) {
      const clusters = await listClusters(c);
      return new AwsProblem(
        "not-found",
        `Cluster "${cluster}" not found in ${c.target.region}`,
        clusters.length
          ? `clusters here: ${clusters.join(", ")} (use --cluster)`
          : "this region has no ECS clusters; check --region",
        "ClusterNotFoundException",
        "ecs:DescribeServices",
      );
    }
    const services = await listServices(c, cluster);
    return new AwsProblem(
      "not-found",
      `Service "${service}" not found in cluster ${cluster}`,
      services.length
        ? `services here: ${services.join(", ")} (use --service)`
        : `cluster ${cluster} has no services`,
      "ServiceNotFoundException",
      "ecs:DescribeServices",
    );
  } catch {
    return new AwsProblem(
      "not-found",
      clusterMissing
        ? `Cluster "${cluster}" not found`
        : `Service "${service}" not found in cluster ${cluster}`,
      clusterMissing ? "check --cluster and --region" : "check --service",
      clusterMissing ? "ClusterNotFoundException" : "ServiceNotFoundException",
      "ecs:DescribeServices",
    );
  }
}

export async function describeService(c: Clients, cluster: string, service: string): Promise<ServiceInfo> {
  const { DescribeServicesCommand } = await import("@aws-sdk/client-ecs");
  const ecs = await c.ecs();
  let out: DescribeServicesCommandOutput;
  try {
    out = await call(
      "ecs:DescribeServices",
      () => ecs.send(new DescribeServicesCommand({ cluster, services: [service] })),
      c.target.profile,
    );
  } catch (e) {
    if (e instanceof AwsProblem && e.code === "ClusterNotFoundException")
      throw await notFound(c, cluster, service, true);
    throw e;
  }
  const s = out.services?.[0];
  if (!s || s.status === "INACTIVE") throw await notFound(c, cluster, service, false);
  const deployments: Deployment[] = (s.deployments ?? []).map((d) => ({
    id: d.id ?? "",
    status: d.status ?? "",
    taskDefinition: d.taskDefinition ?? "",
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
    desiredCount: d.desiredCount ?? 0,
    runningCount: d.runningCount ?? 0,
    pendingCount: d.pendingCount ?? 0,
    failedTasks: d.failedTasks ?? 0,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  }));
  const cb = s.deploymentConfiguration?.deploymentCircuitBreaker;
  return {
    serviceName: s.serviceName ?? service,
    serviceArn: s.serviceArn,
    clusterArn: s.clusterArn,
    status: s.status,
    taskDefinition: s.taskDefinition ?? "",
    desiredCount: s.desiredCount ?? 0,
    runningCount: s.runningCount ?? 0,
    pendingCount: s.pendingCount ?? 0,
    deployments,
    events: (s.events ?? []).map((e) => ({
      id: e.id ?? "",
      createdAt: e.createdAt,
      message: e.message ?? "",
    })),
    circuitBreaker: cb ? { enable: Boolean(cb.enable), rollback: Boolean(cb.rollback) } : undefined,
    loadBalancers: (s.loadBalancers ?? []).map((l) => ({
      targetGroupArn: l.targetGroupArn,
      containerName: l.containerName,
      containerPort: l.containerPort,
    })),
  };
}

/** The service's stopped tasks (ECS keeps them about an hour), newest first. */
export async function stoppedTasks(
  c: Clients,
  cluster: string,
  service: string,
  max = 10,
): Promise<StoppedTask[]> {
  const arns = await stoppedTaskArns(c, cluster, service);
  if (arns.length === 0) return [];
  const tasks = await describeTasks(c, cluster, arns.slice(0, 100));
  return tasks.sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0)).slice(0, max);
}

export async function describeTasks(c: Clients, cluster: string, arns: string[]): Promise<StoppedTask[]> {
  const { DescribeTasksCommand } = await import("@aws-sdk/client-ecs");
  const ecs = await c.ecs();
  const out = await call(
    "ecs:DescribeTasks",
    () => ecs.send(new DescribeTasksCommand({ cluster, tasks: arns })),
    c.target.profile,
  );
  return (out.tasks ?? []).map((t) => ({
    taskArn: t.taskArn ?? "",
    taskId: lastSegment(t.taskArn ?? ""),
    taskDefinitionArn: t.taskDefinitionArn ?? "",
    startedBy: t.startedBy,
    group: t.group,
    lastStatus: t.lastStatus,
    stoppedReason: t.stoppedReason,
    stopCode: t.stopCode,
    createdAt: t.createdAt,
    startedAt: t.startedAt,
    stoppingAt: t.stoppingAt,
    stoppedAt: t.stoppedAt,
    containers: (t.containers ?? []).map((k) => ({
      name: k.name ?? "",
      exitCode: k.exitCode,
      reason: k.reason,
      image: k.image,
      lastStatus: k.lastStatus,
    })),
  }));
}

export async function describeTaskDefinition(c: Clients, id: string): Promise<TaskDefinition> {
  const { DescribeTaskDefinitionCommand } = await import("@aws-sdk/client-ecs");
  const ecs = await c.ecs();
  const out = await call(
    "ecs:DescribeTaskDefinition",
    () => ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: id })),
    c.target.profile,
  );
  const td = out.taskDefinition;
  if (!td)
    throw new AwsProblem(
      "not-found",
      `Task definition ${id} not found`,
      "",
      "ClientException",
      "ecs:DescribeTaskDefinition",
    );
  const containers: ContainerDefinition[] = (td.containerDefinitions ?? []).map((k) => ({
    name: k.name ?? "",
    image: k.image ?? "",
    essential: k.essential,
    environment: (k.environment ?? []).map((e) => ({ name: e.name ?? "", value: e.value ?? "" })),
    secrets: (k.secrets ?? []).map((s) => ({ name: s.name ?? "", valueFrom: s.valueFrom ?? "" })),
    logConfiguration: k.logConfiguration
      ? { logDriver: k.logConfiguration.logDriver ?? "", options: k.logConfiguration.options }
      : undefined,
  }));
  return {
    family: td.family ?? "",
    revision: td.revision ?? 0,
    arn: td.taskDefinitionArn ?? id,
    executionRoleArn: td.executionRoleArn,
    taskRoleArn: td.taskRoleArn,
    containers,
  };
}

/** Starts a deployment; returns the new PRIMARY deployment's id. */
export async function updateService(
  c: Clients,
  cluster: string,
  service: string,
  change: { forceNewDeployment?: boolean; taskDefinition?: string },
): Promise<{ deploymentId: string; taskDefinition: string }> {
  const { UpdateServiceCommand } = await import("@aws-sdk/client-ecs");
  const ecs = await c.ecs();
  const out = await call(
    "ecs:UpdateService",
    () => ecs.send(new UpdateServiceCommand({ cluster, service, ...change })),
    c.target.profile,
  );
  const primary = out.service?.deployments?.find((d) => d.status === "PRIMARY");
  return {
    deploymentId: primary?.id ?? "",
    taskDefinition: primary?.taskDefinition ?? out.service?.taskDefinition ?? "",
  };
}

/**
 * Registers a new revision of a task definition: a copy of `from` with environment variables set
 * and container secrets (by environment name) removed. Returns the new revision's ARN.
 */
export async function copyTaskDefinition(
  c: Clients,
  from: string,
  edit: { environment: Record<string, string>; removeSecrets: string[] },
): Promise<{ arn: string; family: string; revision: number }> {
  const { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand } = await import(
    "@aws-sdk/client-ecs"
  );
  const ecs = await c.ecs();
  const p = c.target.profile;
  const out = await call(
    "ecs:DescribeTaskDefinition",
    () => ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: from, include: ["TAGS"] })),
    p,
  );
  const td = out.taskDefinition;
  if (!td?.family)
    throw new AwsProblem(
      "not-found",
      `Task definition ${from} not found`,
      "",
      "ClientException",
      "ecs:DescribeTaskDefinition",
    );
  const containerDefinitions = (td.containerDefinitions ?? []).map((k) => {
    const env = (k.environment ?? []).filter((e) => !(e.name! in edit.environment));
    for (const [name, value] of Object.entries(edit.environment)) env.push({ name, value });
    const secrets = (k.secrets ?? []).filter((s) => !edit.removeSecrets.includes(s.name ?? ""));
    return { ...k, environment: env, secrets };
  });
  const reg = await call(
    "ecs:RegisterTaskDefinition",
    () =>
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family: td.family,
          taskRoleArn: td.taskRoleArn,
          executionRoleArn: td.executionRoleArn,
          networkMode: td.networkMode,
          containerDefinitions,
          volumes: td.volumes,
          placementConstraints: td.placementConstraints,
          requiresCompatibilities: td.requiresCompatibilities,
          cpu: td.cpu,
          memory: td.memory,
          runtimePlatform: td.runtimePlatform,
          ephemeralStorage: td.ephemeralStorage,
          pidMode: td.pidMode,
          ipcMode: td.ipcMode,
          proxyConfiguration: td.proxyConfiguration,
          inferenceAccelerators: td.inferenceAccelerators,
          ...(out.tags?.length ? { tags: out.tags } : {}),
        }),
      ),
    p,
  );
  const n = reg.taskDefinition;
  return { arn: n?.taskDefinitionArn ?? "", family: n?.family ?? td.family, revision: n?.revision ?? 0 };
}

/** ARNs of the service's tasks with desired status STOPPED (stopping or stopped), up to 100. */
export async function stoppedTaskArns(c: Clients, cluster: string, service: string): Promise<string[]> {
  const { ListTasksCommand } = await import("@aws-sdk/client-ecs");
  const ecs = await c.ecs();
  const out = await call(
    "ecs:ListTasks",
    () =>
      ecs.send(
        new ListTasksCommand({ cluster, serviceName: service, desiredStatus: "STOPPED", maxResults: 100 }),
      ),
    c.target.profile,
  );
  return out.taskArns ?? [];
}
