import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { IAMClient, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterEach, describe, expect, it } from "vitest";
import { aws, baseWorld, creds, hasCli, region, start } from "./fixture.js";

type SB = Awaited<ReturnType<typeof start>>;
type Err = { name: string; message: string; $metadata: { httpStatusCode?: number; attempts?: number } };

const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e as Err,
  );

describe("fault injection", () => {
  let sb: SB | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });
  const sm = (s: SB, maxAttempts = 1) =>
    new SecretsManagerClient({ endpoint: s.url, region, credentials: creds, maxAttempts });
  const get = (c: SecretsManagerClient) => c.send(new GetSecretValueCommand({ SecretId: "afu9/github" }));

  it("throttles JSON services with ThrottlingException, and the SDK's retries get through", async () => {
    sb = await start();
    sb.addFault({ service: "secretsmanager", operation: "GetSecretValue", kind: "throttle", count: 1 });
    const e = await fail(get(sm(sb)));
    expect(e.name).toBe("ThrottlingException");
    expect(e.message).toBe("Rate exceeded");
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect((await get(sm(sb))).Name).toBe("afu9/github"); // count used up
    sb.addFault({ service: "secretsmanager", kind: "throttle", count: 2 });
    const retried = await get(sm(sb, 3));
    expect(retried.$metadata.attempts).toBe(3);
  });

  it("throttles Query services with Throttling", async () => {
    sb = await start();
    sb.addFault({ service: "cloudformation", kind: "throttle" });
    const cfn = new CloudFormationClient({ endpoint: sb.url, region, credentials: creds, maxAttempts: 1 });
    const e = await fail(cfn.send(new DescribeStacksCommand({})));
    expect(e.name).toBe("Throttling");
    expect(e.message).toBe("Rate exceeded");
  });

  it("answers error5xx with 500 InternalFailure, then 503 ServiceUnavailable", async () => {
    sb = await start();
    sb.addFault({ service: "*", kind: "error5xx", count: 2 });
    const a = await fail(get(sm(sb)));
    expect([a.name, a.$metadata.httpStatusCode]).toEqual(["InternalFailure", 500]);
    const b = await fail(get(sm(sb)));
    expect([b.name, b.$metadata.httpStatusCode]).toEqual(["ServiceUnavailable", 503]);
    expect((await get(sm(sb))).Name).toBe("afu9/github");
  });

  it("delays with latency, and lets `after` requests through first", async () => {
    sb = await start();
    sb.addFault({ service: "secretsmanager", kind: "latency", latencyMs: 300, after: 1, count: 1 });
    let t = Date.now();
    await get(sm(sb));
    expect(Date.now() - t).toBeLessThan(250);
    t = Date.now();
    await get(sm(sb));
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
  });

  it("drops the connection without an answer", async () => {
    sb = await start();
    sb.addFault({ service: "secretsmanager", kind: "drop", count: 1 });
    const e = (await get(sm(sb)).catch((x: unknown) => x)) as Error & { code?: string };
    expect(e).toBeInstanceOf(Error);
    expect(`${e.name} ${e.code ?? ""} ${e.message}`).toMatch(/ECONNRESET|socket hang up|EPIPE/);
    expect((await get(sm(sb))).Name).toBe("afu9/github");
  });

  it("denies access with AWS's message, from the world file too", async () => {
    sb = await start(
      baseWorld({ faults: [{ service: "iam", operation: "SimulatePrincipalPolicy", kind: "accessDenied" }] }),
    );
    const iam = new IAMClient({ endpoint: sb.url, region, credentials: creds, maxAttempts: 1 });
    const arn = "arn:aws:iam::123456789012:role/afu9-task-exec";
    const e = await fail(
      iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: arn, ActionNames: ["s3:GetObject"] })),
    );
    expect(e.name).toBe("AccessDenied");
    expect(e.$metadata.httpStatusCode).toBe(403);
    expect(e.message).toBe(
      `User: arn:aws:sts::123456789012:assumed-role/afu9-oncall/test is not authorized to perform: iam:SimulatePrincipalPolicy on resource: ${arn} because no identity-based policy allows the iam:SimulatePrincipalPolicy action`,
    );
    sb.addFault({ service: "secretsmanager", kind: "accessDenied" });
    const s = await fail(get(sm(sb)));
    expect(s.name).toBe("AccessDeniedException");
    expect(s.message).toMatch(
      /^User: arn:aws:sts::123456789012:assumed-role\/.* is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9\/github-/,
    );
    sb.clearFaults();
    expect((await get(sm(sb))).Name).toBe("afu9/github");
  });

  it("is controlled over /_sandbox/faults and summarised at /_sandbox/state without secret values", async () => {
    sb = await start();
    const post = await fetch(`${sb.url}/_sandbox/faults`, {
      method: "POST",
      body: JSON.stringify({ service: "secretsmanager", kind: "throttle" }),
    });
    expect(post.status).toBe(200);
    expect((await fail(get(sm(sb)))).name).toBe("ThrottlingException");
    const bad = await fetch(`${sb.url}/_sandbox/faults`, {
      method: "POST",
      body: JSON.stringify({ service: "x", kind: "nope" }),
    });
    expect(bad.status).toBe(400);
    const state = await (await fetch(`${sb.url}/_sandbox/state`)).text();
    expect(state).toContain("afu9/github");
    expect(state).toContain('"kind":"throttle"');
    expect(state).not.toContain("ghp_x"); // the secret's token value
    const del = await fetch(`${sb.url}/_sandbox/faults`, { method: "DELETE" });
    expect(del.status).toBe(200);
    expect((await get(sm(sb))).Name).toBe("afu9/github");
  });

  it.skipIf(!hasCli)("reaches the AWS CLI as AWS's error", async () => {
    sb = await start();
    sb.addFault({ service: "secretsmanager", kind: "throttle" });
    const r = await aws(sb, ["secretsmanager", "describe-secret", "--secret-id", "afu9/github"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/\(ThrottlingException\).*Rate exceeded/);
  });
});
