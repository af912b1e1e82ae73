// What the user is told when AWS says no: real SDK errors from the sandbox (faults), and the
// credential-chain errors the SDK raises before any request.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { describeService } from "../../source/aws/ecs.js";
import { AwsProblem, parseDenied, toProblem } from "../../source/aws/errors.js";
import { rolePolicies } from "../../source/aws/iam.js";
import { type Harness, harness } from "../helpers/sandbox.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const problemOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AwsProblem);
    return e as AwsProblem;
  }
  throw new Error("expected an AwsProblem");
};

describe("AWS errors become one line with what to do", () => {
  it("AccessDenied names the action, the resource and the permission needed", async () => {
    h = await harness("healthy");
    h.sandbox.addFault({ service: "iam", operation: "ListAttachedRolePolicies", kind: "accessDenied" });
    const p = await problemOf(rolePolicies(h.clients, "afu9-ecs-task-execution-role"));
    expect(p.kind).toBe("access-denied");
    expect(p.action).toBe("iam:ListAttachedRolePolicies");
    expect(p.line).toMatch(
      /^Access denied: iam:ListAttachedRolePolicies on arn:aws:iam::123456789012:role\/afu9-ecs-task-execution-role — the caller needs iam:ListAttachedRolePolicies on /,
    );
  });

  it("throttling that outlasts the retries says so", async () => {
    h = await harness("healthy");
    h.sandbox.addFault({ service: "ecs", operation: "DescribeServices", kind: "throttle" });
    const p = await problemOf(describeService(h.clients, "afu9-cluster", "afu9-control-center-stage"));
    expect(p.kind).toBe("throttled");
    expect(p.line).toBe(
      "AWS throttled ecs:DescribeServices and the retries ran out — wait a moment and try again (r in the UI)",
    );
  });

  it("a missing cluster lists the clusters that exist", async () => {
    h = await harness("healthy");
    const p = await problemOf(describeService(h.clients, "afu9-clustr", "afu9-control-center-stage"));
    expect(p.line).toBe(
      'Cluster "afu9-clustr" not found in eu-central-1 — clusters here: afu9-cluster (use --cluster)',
    );
  });

  it("a dropped connection is a network problem, retried first", async () => {
    h = await harness("healthy");
    h.sandbox.addFault({ service: "ecs", operation: "DescribeServices", kind: "drop", count: 1 });
    const s = await describeService(h.clients, "afu9-cluster", "afu9-control-center-stage");
    expect(s.serviceName).toBe("afu9-control-center-stage");
    h.sandbox.addFault({ service: "ecs", operation: "DescribeServices", kind: "drop" });
    const p = await problemOf(describeService(h.clients, "afu9-cluster", "afu9-control-center-stage"));
    expect(p.kind).toBe("network");
  });

  it("recognises the SDK's credential errors", () => {
    const none = toProblem(
      Object.assign(new Error("Could not load credentials from any providers"), {
        name: "CredentialsProviderError",
      }),
      "ecs:DescribeServices",
    );
    expect(none.kind).toBe("no-credentials");
    expect(none.hint).toMatch(/--profile NAME/);
    const sso = toProblem(
      Object.assign(
        new Error(
          "The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.",
        ),
        { name: "CredentialsProviderError" },
      ),
      "ecs:DescribeServices",
      "afu9-prod",
    );
    expect(sso.kind).toBe("sso-expired");
    expect(sso.line).toBe(
      "The SSO session has expired — run `aws sso login --profile afu9-prod`, then try again (r in the UI)",
    );
    const token = toProblem(
      Object.assign(new Error("The security token included in the request is expired"), {
        name: "ExpiredTokenException",
      }),
      "x",
    );
    expect(token.kind).toBe("token-expired");
  });

  it("parses AWS's AccessDenied sentence", () => {
    expect(
      parseDenied(
        "User: arn:aws:sts::123456789012:assumed-role/oncall/s is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9/database-AbCdEf because no identity-based policy allows the secretsmanager:GetSecretValue action",
      ),
    ).toEqual({
      principal: "arn:aws:sts::123456789012:assumed-role/oncall/s",
      action: "secretsmanager:GetSecretValue",
      resource: "arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9/database-AbCdEf",
    });
  });

  it("diagnose without any credentials prints one line and exits 3", async () => {
    h = await harness("healthy");
    const home = mkdtempSync(join(tmpdir(), "afu9-home-"));
    const r = await new Promise<{ code: number; out: string; err: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          new URL("../../bin/afu9-tui.js", import.meta.url).pathname,
          "diagnose",
          "--endpoint-url",
          h!.sandbox.url,
        ],
        {
          env: {
            PATH: process.env.PATH,
            HOME: home,
            AWS_EC2_METADATA_DISABLED: "true",
            AWS_CONFIG_FILE: join(home, "none"),
            AWS_SHARED_CREDENTIALS_FILE: join(home, "none"),
          },
        },
      );
      let out = "";
      let err = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (err += d));
      child.on("exit", (code) => resolve({ code: code ?? -1, out, err }));
    });
    expect(r.out).toBe("");
    expect(r.err).toBe(
      "afu9-tui: No AWS credentials found — pass --profile NAME, set AWS_PROFILE, or run `aws configure` / `aws sso login`\n",
    );
    expect(r.code).toBe(3);
  });

  it("the analysis says it could not diagnose, and what to do, when the credentials are missing", async () => {
    const { analyze } = await import("../../source/flow/analyze.js");
    const problem = {
      kind: "no-credentials",
      code: "CredentialsProviderError",
      message: "No AWS credentials found",
      hint: "pass --profile NAME",
    };
    const fail = { ok: false as const, problem };
    const ev = {
      target: {
        region: "eu-central-1",
        cluster: "c",
        service: "s",
        stack: "S",
        networkStack: "N",
        databaseStack: "D",
      },
      stack: fail,
      stackEvents: fail,
      databaseStack: fail,
      networkStack: fail,
      service: fail,
      stoppedTasks: fail,
      taskDefinition: fail,
      logs: fail,
      secrets: fail,
      role: fail,
    };
    const v = analyze(ev, false).verdict!;
    expect(v.summary).toBe("Could not diagnose: No AWS credentials found.");
    expect(v.nextStep).toBe("pass --profile NAME");
  });
});
