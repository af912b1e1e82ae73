// Value input (stdin JSON / KEY=VALUE, AFU9_SECRET_<KEY>, masked typing) and the pure judging of a
// deployment (a rollback is not a success).
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { gatherValues, InputError, parseValues, readMasked } from "../../source/cli/secret-input.js";
import type { Deployment, ServiceInfo } from "../../source/diagnosis/model.js";
import { judge, pickDeployment, watchExitCode } from "../../source/flow/watch.js";

describe("secret input", () => {
  it("parses a JSON object and KEY=VALUE lines", () => {
    expect([...parseValues('{"token":"a","port":5432}')]).toEqual([
      ["token", "a"],
      ["port", "5432"],
    ]);
    expect([...parseValues("# c\ntoken=a=b\n\nrepo=r\n")]).toEqual([
      ["token", "a=b"],
      ["repo", "r"],
    ]);
  });
  it("errors never quote the input", () => {
    const secret = "{not-json-SECRET-VALUE";
    try {
      parseValues(secret);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as Error).message).not.toContain("SECRET-VALUE");
    }
    expect(() => parseValues("justaline-SECRET")).toThrow(/line 1: expected KEY=VALUE/);
  });
  it("takes AFU9_SECRET_<KEY> and removes it from the environment", async () => {
    const env: Record<string, string | undefined> = { AFU9_SECRET_OPENAI_API_KEY: "v1", OTHER: "x" };
    const stdin = Object.assign(Readable.from([""]), { isTTY: false });
    const v = await gatherValues({ required: ["openai_api_key"], known: ["openai_api_key"], env, stdin });
    expect(v.get("openai_api_key")).toBe("v1");
    expect(env.AFU9_SECRET_OPENAI_API_KEY).toBeUndefined();
    expect(env.OTHER).toBe("x");
  });
  it("refuses a key on stdin that the secret does not have", async () => {
    const stdin = Object.assign(Readable.from(['{"tokn":"x"}']), { isTTY: false });
    await expect(gatherValues({ required: ["token"], known: ["token"], env: {}, stdin })).rejects.toThrow(
      /"tokn" is not a key/,
    );
  });
  it("masked typing echoes stars, never the value; backspace works", async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });
    let shown = "";
    const output = new PassThrough();
    output.on("data", (d: Buffer) => {
      shown += d.toString();
    });
    const p = readMasked("password: ", input, output);
    input.write("hunter2x\u007f\r");
    expect(await p).toBe("hunter2");
    expect(shown).not.toContain("hunter");
    expect(shown).toContain("********");
  });
});

const dep = (id: string, over: Partial<Deployment>): Deployment => ({
  id,
  status: "PRIMARY",
  taskDefinition: "td:1",
  rolloutState: "IN_PROGRESS",
  desiredCount: 1,
  runningCount: 0,
  pendingCount: 1,
  failedTasks: 0,
  createdAt: new Date(1_000),
  ...over,
});
const svc = (deployments: Deployment[], messages: string[] = []): ServiceInfo => ({
  serviceName: "s",
  taskDefinition: "td:1",
  desiredCount: 1,
  runningCount: 1,
  pendingCount: 0,
  deployments,
  events: messages.map((m, i) => ({ id: `e${i}`, createdAt: new Date(10_000 - i), message: m })),
});

describe("judging one deployment", () => {
  it("in progress, completed", () => {
    expect(judge("ecs-svc/1", svc([dep("ecs-svc/1", {})]), []).state).toBe("in-progress");
    expect(judge("ecs-svc/1", svc([dep("ecs-svc/1", { rolloutState: "COMPLETED" })]), []).state).toBe(
      "completed",
    );
  });
  it("FAILED with a rollback deployment: rolled back, even though the service is stable again", () => {
    const s = svc([
      dep("ecs-svc/2", {
        createdAt: new Date(5_000),
        rolloutState: "COMPLETED",
        runningCount: 1,
        rolloutStateReason: "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/0.",
      }),
      dep("ecs-svc/1", {
        status: "ACTIVE",
        rolloutState: "FAILED",
        rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
      }),
    ]);
    const j = judge("ecs-svc/1", s, []);
    expect(j).toMatchObject({ state: "rolled-back", rollbackDeploymentId: "ecs-svc/2" });
  });
  it("FAILED without rollback: failed", () => {
    const j = judge(
      "ecs-svc/1",
      svc([dep("ecs-svc/1", { rolloutState: "FAILED", rolloutStateReason: "circuit breaker" })]),
      [],
    );
    expect(j).toEqual({ state: "failed", reason: "circuit breaker" });
  });
  it("gone from the list after a rollback: rolled back, from the events", () => {
    const s = svc(
      [dep("ecs-svc/2", { createdAt: new Date(5_000), rolloutState: "COMPLETED" })],
      [
        "(service s) rolling back to deployment ecs-svc/0.",
        "(service s) (deployment ecs-svc/1) deployment failed: tasks failed ELB health checks.",
      ],
    );
    expect(judge("ecs-svc/1", s, s.events).state).toBe("rolled-back");
  });
  it("replaced by someone else's deployment: superseded", () => {
    const s = svc([dep("ecs-svc/3", { createdAt: new Date(9_000) }), dep("ecs-svc/1", { status: "ACTIVE" })]);
    expect(judge("ecs-svc/1", s, []).state).toBe("superseded");
  });
  it("watch picks the failed deployment when the newest is a rollback", () => {
    const s = svc(
      [
        dep("ecs-svc/2", {
          createdAt: new Date(9_998),
          rolloutState: "COMPLETED",
          rolloutStateReason: "ECS deployment ecs-svc/2 completed.",
        }),
      ],
      [
        "(service s) rolling back to deployment ecs-svc/0.",
        "(service s) (deployment ecs-svc/1) deployment failed: tasks failed to start.",
      ],
    );
    expect(pickDeployment(s)).toMatchObject({ deploymentId: "ecs-svc/1" });
    expect(pickDeployment(svc([dep("ecs-svc/5", {})]))).toEqual({ deploymentId: "ecs-svc/5" });
  });
  it("exit codes: 0 only for ready", () => {
    const base = {
      deploymentId: "x",
      reason: "",
      stoppedReasons: [],
      elapsedMs: 0,
      events: [],
      stoppedTasks: [],
    };
    expect(watchExitCode({ ...base, outcome: "ready" })).toBe(0);
    for (const o of ["not-ready", "failed", "rolled-back", "superseded", "timeout"] as const)
      expect(watchExitCode({ ...base, outcome: o })).toBe(1);
    expect(watchExitCode({ ...base, outcome: "error" })).toBe(3);
  });
});
