// biome-ignore-all lint/suspicious/noExplicitAny: the handlers answer decoded wire data; the tests read it as such
// The deployment simulator in process (no HTTP), driven by a ManualClock: each runbook scenario's
// history yields the runbook's evidence; the runbook's fix plus a forced deployment completes; a
// wrong fix fails again.
import { describe, expect, it } from "vitest";
import { type Account, Account as AccountClass, arnSuffixFor } from "../../source/sandbox/account.js";
import { ManualClock } from "../../source/sandbox/clock.js";
import { createEcs, type Ecs, failureThreshold } from "../../source/sandbox/ecs/index.js";
import type { Input } from "../../source/sandbox/protocol.js";
import { loadScenario } from "../../source/sandbox/scenarios/index.js";

const START = Date.parse("2026-03-02T08:00:00Z");
const STAGE = "afu9-control-center-stage";
const CLUSTER = "afu9-cluster";

interface Env {
  clock: ManualClock;
  account: Account;
  ecs: Ecs;
  call: (op: string, input: Input) => Record<string, any>;
}

function boot(id: string): Env {
  const clock = new ManualClock(START);
  const account = new AccountClass(loadScenario(id), clock, "127.0.0.1:4599");
  const ecs = createEcs(account);
  const call = (op: string, input: Input) => {
    const h = ecs.module.ops[op];
    if (!h) throw new Error(`no op ${op}`);
    return h(input, { account, service: "ecs", operation: op, requestId: "test" }) as Record<string, any>;
  };
  return { clock, account, ecs, call };
}

function service(env: Env) {
  return env.call("DescribeServices", { cluster: CLUSTER, services: [STAGE] }).services[0];
}

function stoppedTasks(env: Env) {
  const arns = env.call("ListTasks", {
    cluster: CLUSTER,
    serviceName: STAGE,
    desiredStatus: "STOPPED",
  }).taskArns;
  if (arns.length === 0) return [];
  return env.call("DescribeTasks", { cluster: CLUSTER, tasks: arns }).tasks;
}

function logLines(env: Env, sinceMs: number): string[] {
  const g = env.account.logGroups.get("/ecs/afu9/control-center");
  if (!g) return [];
  return [...g.streams.values()]
    .flatMap((s) => s.events)
    .filter((e) => e.timestamp >= env.account.now() - sinceMs)
    .map((e) => e.message);
}

function putSecret(env: Env, name: string, value: unknown) {
  const a = env.account;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  let s = a.findSecret(name);
  if (!s) {
    s = {
      name,
      arn: `arn:aws:secretsmanager:${a.region}:${a.id}:secret:${name}-${arnSuffixFor(`${name}-new`)}`,
      createdAt: a.now(),
      lastChangedAt: a.now(),
      tags: {},
      versions: [],
    };
    a.secrets.push(s);
  }
  for (const v of s.versions) v.stages = v.stages.filter((x) => x !== "AWSCURRENT");
  s.versions.push({
    versionId: a.rng.uuid(),
    secretString: text,
    stages: ["AWSCURRENT"],
    createdAt: a.now(),
  });
}

function secretJson(env: Env, name: string): Record<string, unknown> {
  const s = env.account.findSecret(name)!;
  return JSON.parse(env.account.currentVersion(s)!.secretString!);
}

/** Forces a new deployment, runs the clock 10 minutes, returns that deployment as DescribeServices shows it. */
function forceDeployment(env: Env, extra: Input = {}) {
  const out = env.call("UpdateService", {
    cluster: CLUSTER,
    service: STAGE,
    forceNewDeployment: true,
    ...extra,
  });
  const id = out.service.deployments[0].id as string;
  expect(out.service.deployments[0].rolloutState).toBe("IN_PROGRESS");
  env.clock.advance(10 * 60_000);
  const svc = service(env);
  return { id, svc, deployment: svc.deployments.find((d: { id: string }) => d.id === id) };
}

function expectRolledBack(svc: any, failedCause: "tasks failed to start" | "tasks failed ELB health checks") {
  const messages: string[] = svc.events.map((e: { message: string }) => e.message);
  expect(messages.some((m) => m.endsWith(`deployment failed: ${failedCause}.`))).toBe(true);
  expect(messages).toContain(`(service ${STAGE}) failed circuit breaker: ${failedCause}.`);
  expect(messages.some((m) => /rolling back to deployment ecs-svc\/\d{19}\.$/.test(m))).toBe(true);
  expect(svc.deployments).toHaveLength(1);
  expect(svc.deployments[0].rolloutStateReason).toMatch(
    /^ECS deployment (circuit breaker: rolling back to deploymentId|ecs-svc)/,
  );
  expect(svc.taskDefinition).toMatch(/task-definition\/afu9-control-center:1$/);
  expect(svc.runningCount).toBe(1);
}

describe("circuit breaker threshold", () => {
  it("is 0.5 × desired, at least 3 and at most 200", () => {
    expect(failureThreshold(1)).toBe(3);
    expect(failureThreshold(10)).toBe(5);
    expect(failureThreshold(1000)).toBe(200);
  });
});

describe("healthy", () => {
  it("the last deployment completed and /api/ready answers ready", () => {
    const env = boot("healthy");
    const svc = service(env);
    expect(svc.deployments).toHaveLength(1);
    expect(svc.deployments[0].rolloutState).toBe("COMPLETED");
    expect(svc.deployments[0].id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(svc.events[0].message).toBe(`(service ${STAGE}) has reached a steady state.`);
    expect(svc.serviceArn).toBe(`arn:aws:ecs:eu-central-1:123456789012:service/${CLUSTER}/${STAGE}`);
    expect(env.ecs.readyCheck()).toEqual({
      status: 200,
      body: {
        ready: true,
        checks: { service: { status: "ok" }, database: { status: "ok", message: "connection_configured" } },
      },
    });
    // the replaced task of the earlier deployment is visible as stopped for about an hour, then gone
    expect(stoppedTasks(env)[0].stoppedReason).toMatch(
      /^Scaling activity initiated by \(deployment ecs-svc\//,
    );
    env.clock.advance(60 * 60_000);
    expect(stoppedTasks(env)).toHaveLength(0);
  });
});

describe("runbook scenario 1: db-secret-missing", () => {
  it("tasks fail at resource initialisation, the breaker rolls back; creating the secret fixes it", () => {
    const env = boot("db-secret-missing");
    expectRolledBack(service(env), "tasks failed to start");
    const stopped = stoppedTasks(env);
    expect(stopped).toHaveLength(3);
    expect(stopped[0].stoppedReason).toBe(
      "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): ResourceNotFoundException: Secrets Manager can't find the specified secret.",
    );
    expect(stopped[0].stopCode).toBe("TaskFailedToStart");
    expect(stopped[0].containers[0].exitCode).toBeUndefined();
    expect(stopped[0].group).toBe(`service:${STAGE}`);
    expect(stopped[0].startedBy).toMatch(/^ecs-svc\/\d{19}$/);
    expect(logLines(env, 30 * 60_000).filter((l) => /error/i.test(l))).toEqual([]);

    // wrong fix: deploy again without creating the secret
    const again = forceDeployment(env);
    expect(again.deployment).toBeUndefined(); // rolled back and gone
    expect(again.svc.events.map((e: any) => e.message)).toContain(
      `(service ${STAGE}) failed circuit breaker: tasks failed to start.`,
    );

    // the runbook's fix 6.2, with the credentials of the RDS master secret
    const master = secretJson(env, "afu9/database-master");
    putSecret(env, "afu9/database", {
      host: "afu9-db.cluster-c9fakeq2x1yz.eu-central-1.rds.amazonaws.com",
      port: "5432",
      database: "afu9",
      username: master.username,
      password: master.password,
    });
    const fixed = forceDeployment(env);
    expect(fixed.deployment.rolloutState).toBe("COMPLETED");
    expect(fixed.svc.events[0].message).toBe(`(service ${STAGE}) has reached a steady state.`);
    expect(env.ecs.readyCheck().status).toBe(200);
  });
});

describe("runbook scenario 2: db-secret-incomplete", () => {
  it("the container exits with DATABASE_PORT is not set; adding the key fixes it", () => {
    const env = boot("db-secret-incomplete");
    expectRolledBack(service(env), "tasks failed to start");
    const stopped = stoppedTasks(env);
    expect(stopped[0].stoppedReason).toBe("Essential container in task exited");
    expect(stopped[0].stopCode).toBe("EssentialContainerExited");
    expect(stopped[0].containers[0].exitCode).toBe(1);
    const lines = logLines(env, 30 * 60_000);
    expect(lines).toContain("Error: Environment variable DATABASE_PORT is not set");
    expect(lines).toContain("    at Object.<anonymous> (/app/lib/db.js:15:11)");
    // the log stream is PREFIX/CONTAINER/TASKID
    const g = env.account.logGroups.get("/ecs/afu9/control-center")!;
    const id = stopped[0].taskArn.split("/").pop();
    expect(g.streams.has(`ecs/control-center/${id}`)).toBe(true);

    const v = secretJson(env, "afu9/database");
    putSecret(env, "afu9/database", { ...v, port: "5432" });
    expect(forceDeployment(env).deployment.rolloutState).toBe("COMPLETED");
  });
});

describe("runbook scenario 3: db-enabled-not-needed", () => {
  it("tasks fail ELB health checks with ECONNREFUSED; a task definition with DATABASE_ENABLED=false fixes it", () => {
    const env = boot("db-enabled-not-needed");
    expectRolledBack(service(env), "tasks failed ELB health checks");
    const svc = service(env);
    const tg = svc.loadBalancers[0].targetGroupArn;
    expect(svc.events.map((e: any) => e.message)).toContain(
      `(service ${STAGE}) (port 3000) is unhealthy in (target-group ${tg}) due to (reason Health checks failed with these codes: [503]).`,
    );
    expect(stoppedTasks(env)[0].stoppedReason).toBe(`Task failed ELB health checks in (target-group ${tg})`);
    expect(
      logLines(env, 30 * 60_000).some((l) => l.includes("Error: connect ECONNREFUSED 127.0.0.1:5432")),
    ).toBe(true);

    // a forced deployment alone fails again
    expect(forceDeployment(env).deployment).toBeUndefined();

    // fix 6.1: the task definition without the database
    const td = env.call("DescribeTaskDefinition", { taskDefinition: svc.taskDefinition }).taskDefinition;
    const c = td.containerDefinitions[0];
    const reg = env.call("RegisterTaskDefinition", {
      family: td.family,
      executionRoleArn: td.executionRoleArn,
      taskRoleArn: td.taskRoleArn,
      cpu: td.cpu,
      memory: td.memory,
      containerDefinitions: [
        {
          ...c,
          environment: c.environment.map((e: any) =>
            e.name === "DATABASE_ENABLED" ? { name: e.name, value: "false" } : e,
          ),
          secrets: c.secrets.filter((s: any) => s.name !== "DATABASE_SECRET"),
        },
      ],
    }).taskDefinition;
    expect(reg.revision).toBe(3);
    const fixed = forceDeployment(env, { taskDefinition: reg.taskDefinitionArn });
    expect(fixed.deployment.rolloutState).toBe("COMPLETED");
    expect(env.ecs.readyCheck()).toEqual({
      status: 200,
      body: {
        ready: true,
        checks: {
          service: { status: "ok" },
          database: { status: "not_configured", message: "Database disabled in configuration" },
        },
      },
    });
  });
});

describe("runbook scenario 4: db-credentials-wrong", () => {
  it("health checks fail with password authentication failed; copying the RDS credentials fixes it", () => {
    const env = boot("db-credentials-wrong");
    expectRolledBack(service(env), "tasks failed ELB health checks");
    const lines = logLines(env, 30 * 60_000);
    expect(lines.some((l) => l.includes('FATAL: password authentication failed for user "afu9_admin"'))).toBe(
      true,
    );
    // no secret value is logged
    expect(lines.some((l) => l.includes("sandbox-fake"))).toBe(false);

    // wrong fix: a new password that is still not the master's
    putSecret(env, "afu9/database", { ...secretJson(env, "afu9/database"), password: "still-wrong" });
    expect(forceDeployment(env).deployment).toBeUndefined();

    const master = secretJson(env, "afu9/database-master");
    putSecret(env, "afu9/database", { ...secretJson(env, "afu9/database"), password: master.password });
    expect(forceDeployment(env).deployment.rolloutState).toBe("COMPLETED");
    expect(env.ecs.readyCheck().status).toBe(200);
  });
});

describe("other secret failures", () => {
  const cases: [string, RegExp][] = [
    ["github-secret-incomplete", /did not contain json key repo$/],
    ["llm-secret-incomplete", /did not contain json key anthropic_api_key$/],
    [
      "secret-access-denied",
      /AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role\/afu9-ecs-task-execution-role\/[0-9a-f]{32} is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9\/database-\w{6} because no identity-based policy allows/,
    ],
    ["kms-access-denied", /AccessDeniedException: Access to KMS is not allowed/],
    [
      "secrets-network-unreachable",
      /connection issue between the task and AWS Secrets Manager.*context deadline exceeded$/,
    ],
    ["image-pull-failed", /^CannotPullContainerError: pull image manifest has been retried 5 time\(s\)/],
  ];
  for (const [id, reason] of cases) {
    it(`${id}: tasks fail to start with the agent's text`, () => {
      const env = boot(id);
      expectRolledBack(service(env), "tasks failed to start");
      const stopped = stoppedTasks(env);
      expect(stopped.length).toBe(3);
      expect(stopped[0].stoppedReason).toMatch(reason);
      expect(stopped[0].stopCode).toBe("TaskFailedToStart");
    });
  }

  it("github-secret-missing: creating afu9/github with all keys fixes it", () => {
    const env = boot("github-secret-missing");
    expect(stoppedTasks(env)[0].stoppedReason).toMatch(/ResourceNotFoundException/);
    putSecret(env, "afu9/github", { token: "ghp_FAKE", owner: "adaefler-art" });
    expect(forceDeployment(env).deployment).toBeUndefined(); // repo still missing
    expect(stoppedTasks(env)[0].stoppedReason).toMatch(/did not contain json key repo$/);
    putSecret(env, "afu9/github", { token: "ghp_FAKE", owner: "adaefler-art", repo: "codefactory-control" });
    expect(forceDeployment(env).deployment.rolloutState).toBe("COMPLETED");
  });

  it("secret-not-json: the app exits with a JSON SyntaxError", () => {
    const env = boot("secret-not-json");
    expect(stoppedTasks(env)[0].stoppedReason).toBe("Essential container in task exited");
    expect(logLines(env, 30 * 60_000).some((l) => l.startsWith("SyntaxError: Unexpected token"))).toBe(true);
  });
});

describe("ECS API", () => {
  it("answers errors and failures as ECS does", () => {
    const env = boot("healthy");
    expect(() => env.call("DescribeServices", { cluster: "nope", services: [STAGE] })).toThrow(
      "Cluster not found.",
    );
    const d = env.call("DescribeServices", { cluster: CLUSTER, services: ["ghost"] });
    expect(d.failures[0]).toEqual({
      arn: `arn:aws:ecs:eu-central-1:123456789012:service/${CLUSTER}/ghost`,
      reason: "MISSING",
    });
    expect(() => env.call("ListTasks", { cluster: CLUSTER, serviceName: "ghost" })).toThrow(
      "Service not found.",
    );
    expect(() => env.call("DescribeTaskDefinition", { taskDefinition: "nope:9" })).toThrow(
      "Unable to describe task definition.",
    );
    expect(
      env.call("DescribeTaskDefinition", { taskDefinition: "afu9-control-center" }).taskDefinition.revision,
    ).toBe(2);
    const running = env.call("ListTasks", {
      cluster: CLUSTER,
      serviceName: "afu9-control-center-prod",
    }).taskArns;
    expect(running).toHaveLength(2);
    const page1 = env.call("ListTasks", {
      cluster: CLUSTER,
      serviceName: "afu9-control-center-prod",
      maxResults: 1,
    });
    expect(page1.taskArns).toHaveLength(1);
    const page2 = env.call("ListTasks", {
      cluster: CLUSTER,
      serviceName: "afu9-control-center-prod",
      maxResults: 1,
      nextToken: page1.nextToken,
    });
    expect(page2.taskArns).toHaveLength(1);
    expect(page2.nextToken).toBeUndefined();
    expect(new Set([...page1.taskArns, ...page2.taskArns])).toEqual(new Set(running));
    const t = env.call("DescribeTasks", { cluster: CLUSTER, tasks: [running[0], "0".repeat(32)] });
    expect(t.tasks[0].lastStatus).toBe("RUNNING");
    expect(t.tasks[0].taskArn).toMatch(/task\/afu9-cluster\/[0-9a-f]{32}$/);
    expect(t.tasks[0].startedAt).toBeInstanceOf(Date);
    expect(t.failures[0].reason).toBe("MISSING");
  });

  it("a change of desiredCount alone starts no new deployment", () => {
    const env = boot("healthy");
    const before = service(env).deployments[0].id;
    env.call("UpdateService", { cluster: CLUSTER, service: STAGE, desiredCount: 2 });
    env.clock.advance(5 * 60_000);
    const svc = service(env);
    expect(svc.deployments[0].id).toBe(before);
    expect(svc.runningCount).toBe(2);
  });
});
