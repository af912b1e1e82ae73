// The ECS API through the real @aws-sdk/client-ecs against the sandbox over HTTP on 127.0.0.1,
// with a ManualClock: the runbook's steps 2 and 3, then the fix through Secrets Manager and a
// forced deployment watched by its deployment id.
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../source/sandbox/clock.js";
import { type Sandbox, startSandbox } from "../../source/sandbox/index.js";
import { loadScenario } from "../../source/sandbox/scenarios/index.js";

const CLUSTER = "afu9-cluster";
const SERVICE = "afu9-control-center-stage";

describe("ECS over the wire (db-secret-incomplete)", () => {
  let sandbox: Sandbox;
  let clock: ManualClock;
  let ecs: ECSClient;
  let sm: SecretsManagerClient;

  beforeAll(async () => {
    clock = new ManualClock(Date.parse("2026-03-02T08:00:00Z"));
    sandbox = await startSandbox({ world: loadScenario("db-secret-incomplete"), clock });
    const cfg = {
      endpoint: sandbox.url,
      region: "eu-central-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    };
    ecs = new ECSClient(cfg);
    sm = new SecretsManagerClient(cfg);
  });
  afterAll(async () => {
    ecs?.destroy();
    sm?.destroy();
    await sandbox?.close();
  });

  it("shows the circuit breaker, the stopped task and its reason", async () => {
    const out = await ecs.send(
      new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE, "ghost"] }),
    );
    const svc = out.services![0]!;
    expect(svc.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
    expect(svc.events![0]!.createdAt).toBeInstanceOf(Date);
    const messages = svc.events!.map((e) => e.message);
    expect(messages).toContain(`(service ${SERVICE}) failed circuit breaker: tasks failed to start.`);
    expect(out.failures).toEqual([
      { arn: `arn:aws:ecs:eu-central-1:123456789012:service/${CLUSTER}/ghost`, reason: "MISSING" },
    ]);

    const list = await ecs.send(
      new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE, desiredStatus: "STOPPED" }),
    );
    expect(list.taskArns).toHaveLength(3);
    const tasks = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [list.taskArns![0]!] }));
    const t = tasks.tasks![0]!;
    expect(t.stoppedReason).toBe("Essential container in task exited");
    expect(t.containers![0]).toMatchObject({ name: "control-center", exitCode: 1 });
    expect(t.stoppedAt).toBeInstanceOf(Date);

    await expect(ecs.send(new ListTasksCommand({ cluster: "nope" }))).rejects.toMatchObject({
      name: "ClusterNotFoundException",
      message: "Cluster not found.",
    });
    await expect(
      ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "afu9-control-center:99" })),
    ).rejects.toMatchObject({ name: "ClientException", message: "Unable to describe task definition." });
  });

  it("after fixing the secret a forced deployment completes", async () => {
    const cur = await sm.send(new GetSecretValueCommand({ SecretId: "afu9/database" }));
    const value = JSON.parse(cur.SecretString!);
    await sm.send(
      new PutSecretValueCommand({
        SecretId: "afu9/database",
        SecretString: JSON.stringify({ ...value, port: "5432" }),
      }),
    );

    const up = await ecs.send(
      new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, forceNewDeployment: true }),
    );
    const id = up.service!.deployments![0]!.id!;
    expect(id).toMatch(/^ecs-svc\/\d{19}$/);
    let state: string | undefined;
    for (let i = 0; i < 40 && state !== "COMPLETED" && state !== "FAILED"; i++) {
      clock.advance(15_000);
      const d = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
      state = d.services![0]!.deployments!.find((x) => x.id === id)?.rolloutState ?? "GONE";
    }
    expect(state).toBe("COMPLETED");
    expect(sandbox.ecs.readyCheck().status).toBe(200);
  });
});
