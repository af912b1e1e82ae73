// The engine end to end against the sandbox: every shipped scenario gets its verdict and fix,
// no secret value reaches any output, and a denied service still yields a verdict.
import { afterEach, describe, expect, it } from "vitest";
import { updateService } from "../../source/aws/ecs.js";
import { analyze } from "../../source/flow/analyze.js";
import { ALL_EVIDENCE, collect, withDependants } from "../../source/flow/collect.js";
import { exitCodeOf, type Report, toJson, toMarkdown, toText } from "../../source/flow/report.js";
import { loadScenario, SCENARIO_IDS } from "../../source/sandbox/scenarios/index.js";
import { type Harness, harness, secretValues } from "../helpers/sandbox.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function report(hh: Harness): Promise<Report> {
  const evidence = await collect(hh.clients, hh.target, { now: () => hh.clock.now() });
  return { evidence, analysis: analyze(evidence, false), requests: hh.clients.counter.total, elapsedMs: 0 };
}

describe("diagnosis against the sandbox", () => {
  it.each(SCENARIO_IDS)("names scenario %s and its fix", async (id) => {
    const world = loadScenario(id);
    h = await harness(world);
    const r = await report(h);
    const json = toJson(r) as { verdict: { scenario: string; fix: string | null } };
    expect(json.verdict.scenario).toBe(world.expect?.scenario ?? id);
    expect(json.verdict.fix).toBe(world.expect?.fix ?? null);
    expect(exitCodeOf(r)).toBe(id === "healthy" ? 0 : 1);
    // No request twice.
    expect(h.clients.counter.repeated).toEqual([]);
  });

  it.each(SCENARIO_IDS)("shows no secret value of %s in text, JSON or Markdown", async (id) => {
    const world = loadScenario(id);
    h = await harness(world);
    const r = await report(h);
    const outputs = [toText(r), JSON.stringify(toJson(r)), toMarkdown(r)].join("\n");
    const values = secretValues(world);
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) expect(outputs.includes(v), `value of length ${v.length} leaked`).toBe(false);
  });

  it("keeps the other steps and a verdict when IAM denies every call", async () => {
    h = await harness("db-secret-incomplete");
    h.sandbox.addFault({ service: "iam", kind: "accessDenied" });
    const r = await report(h);
    const iam = r.analysis.steps.find((s) => s.id === "iam")!;
    expect(iam.status).toBe("fail");
    expect(iam.summary).toMatch(/Access denied: iam:/);
    expect(r.analysis.steps.find((s) => s.id === "secrets")!.status).toBe("fail");
    expect(r.analysis.verdict?.scenario).toBe("db-secret-incomplete");
    expect(r.analysis.verdict?.notChecked.map((n) => n.step)).toContain("iam");
    expect(toText(r)).toMatch(/Could not check:\n {2}\[iam\] Access denied/);
  });

  it("rides out throttling, 5xx answers and a dropped connection with retries", async () => {
    h = await harness("db-secret-incomplete");
    h.sandbox.addFault({ service: "ecs", operation: "DescribeServices", kind: "error5xx", count: 1 });
    h.sandbox.addFault({
      service: "secretsmanager",
      operation: "GetSecretValue",
      kind: "throttle",
      count: 1,
    });
    h.sandbox.addFault({ service: "logs", operation: "FilterLogEvents", kind: "drop", count: 1 });
    h.sandbox.addFault({ service: "cloudformation", kind: "latency", latencyMs: 200 });
    const r = await report(h);
    expect(r.analysis.steps.every((s) => s.status !== "fail" || s.problem === undefined)).toBe(true);
    expect(r.analysis.verdict?.scenario).toBe("db-secret-incomplete");
  });

  it("reads the policy documents when SimulatePrincipalPolicy is denied", async () => {
    h = await harness("secret-access-denied");
    h.sandbox.addFault({ service: "iam", operation: "SimulatePrincipalPolicy", kind: "accessDenied" });
    const r = await report(h);
    const role = r.evidence.role;
    expect(role.ok && role.value.simulateProblem?.code).toBe("AccessDenied");
    expect(role.ok && role.value.access.every((a) => a.via === "policy")).toBe(true);
    expect(r.analysis.verdict?.scenario).toBe("secret-access-denied");
  });

  it("says what exists when the service is not there, and cannot diagnose", async () => {
    h = await harness("healthy");
    h.target = { ...h.target, service: "afu9-control-center-stag" };
    const r = await report(h);
    const s2 = r.analysis.steps.find((s) => s.id === "service-events")!;
    expect(s2.status).toBe("fail");
    expect(s2.summary).toContain('Service "afu9-control-center-stag" not found in cluster afu9-cluster');
    expect(s2.summary).toContain("afu9-control-center-prod, afu9-control-center-stage");
    expect(exitCodeOf(r)).toBe(3);
  });

  it("names the stacks that exist when --stack is wrong, and still diagnoses", async () => {
    h = await harness("db-secret-missing");
    h.target = { ...h.target, stack: "Afu9EcsStak" };
    const r = await report(h);
    const s1 = r.analysis.steps.find((s) => s.id === "cloudformation")!;
    expect(s1.status).toBe("warn");
    expect(s1.summary).toMatch(
      /^Stack Afu9EcsStak does not exist in eu-central-1 — stacks here: .*Afu9EcsStack.* \(use --stack\)$/,
    );
    expect(r.analysis.verdict?.scenario).toBe("db-secret-missing");
  });

  it("calls a service that came back after a fix healthy, not a rollback", async () => {
    h = await harness("db-credentials-wrong");
    const { SecretsManagerClient, GetSecretValueCommand, PutSecretValueCommand } = await import(
      "@aws-sdk/client-secrets-manager"
    );
    const sm = new SecretsManagerClient({
      region: "eu-central-1",
      endpoint: h.sandbox.url,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const master = JSON.parse(
      (await sm.send(new GetSecretValueCommand({ SecretId: "afu9/database-master" }))).SecretString!,
    );
    const current = JSON.parse(
      (await sm.send(new GetSecretValueCommand({ SecretId: "afu9/database" }))).SecretString!,
    );
    await sm.send(
      new PutSecretValueCommand({
        SecretId: "afu9/database",
        SecretString: JSON.stringify({ ...current, username: master.username, password: master.password }),
      }),
    );
    sm.destroy();
    // Still the rollback's picture until a new deployment completes.
    expect((await report(h)).analysis.verdict?.scenario).toBe("db-credentials-wrong");
    h.clock.advance(5 * 60_000);
    await updateService(h.clients, "afu9-cluster", "afu9-control-center-stage", { forceNewDeployment: true });
    h.clock.advance(10 * 60_000);
    const r = await report(h);
    expect(r.analysis.verdict?.scenario).toBe("healthy");
    expect(r.analysis.verdict?.summary).toMatch(
      /^Recovered: deployment ecs-svc\/\d+ completed after the earlier failure/,
    );
    expect(exitCodeOf(r)).toBe(0);
  });

  it("refreshes one piece with its dependants only", async () => {
    h = await harness("db-secret-missing");
    const first = await collect(h.clients, h.target, { now: () => h!.clock.now() });
    const before = h.clients.counter.total;
    const keys = withDependants(["stoppedTasks"]);
    expect(keys).toEqual(["stoppedTasks", "taskDefinition", "logs", "secrets", "role"]);
    const again = await collect(h.clients, h.target, { now: () => h!.clock.now() }, keys, first);
    expect(again.service).toBe(first.service);
    expect(h.clients.counter.byOperation.get("ecs:DescribeServices")).toBe(1);
    expect(h.clients.counter.total).toBeGreaterThan(before);
    expect(ALL_EVIDENCE.every((k) => again[k] !== undefined)).toBe(true);
  });
});
