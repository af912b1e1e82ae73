import {
  type EvaluationResult,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  SimulatePrincipalPolicyCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aws, baseWorld, creds, hasCli, start } from "./fixture.js";

type SB = Awaited<ReturnType<typeof start>>;
const ROLE_ARN = "arn:aws:iam::123456789012:role/afu9-task-exec";

describe("IAM over the Query protocol", () => {
  let sb: SB;
  let iam: IAMClient;
  beforeAll(async () => {
    sb = await start(baseWorld());
    iam = new IAMClient({ endpoint: sb.url, region: "us-east-1", credentials: creds, maxAttempts: 1 });
  });
  afterAll(async () => {
    iam.destroy();
    await sb.close();
  });

  it("gets a role, with its trust policy URL-encoded as IAM sends it", async () => {
    const r = await iam.send(new GetRoleCommand({ RoleName: "afu9-task-exec" }));
    expect(r.Role!.Arn).toBe(ROLE_ARN);
    expect(r.Role!.CreateDate).toBeInstanceOf(Date);
    const doc = JSON.parse(decodeURIComponent(r.Role!.AssumeRolePolicyDocument!));
    expect(doc.Statement[0].Principal.Service).toBe("ecs-tasks.amazonaws.com");
  });

  it("answers a missing role with NoSuchEntity (404)", async () => {
    const e = (await iam.send(new GetRoleCommand({ RoleName: "ghost" })).catch((x: unknown) => x)) as {
      name: string;
      message: string;
      $metadata: { httpStatusCode: number };
    };
    expect(e.name).toBe("NoSuchEntityException");
    expect(e.message).toBe("The role with name ghost cannot be found.");
    expect(e.$metadata.httpStatusCode).toBe(404);
  });

  it("lists attached policies with Marker paging, and inline ones", async () => {
    const p1 = await iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: "afu9-task-exec", MaxItems: 1 }),
    );
    expect(p1.IsTruncated).toBe(true);
    expect(p1.AttachedPolicies).toEqual([
      {
        PolicyName: "AmazonECSTaskExecutionRolePolicy",
        PolicyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
      },
    ]);
    const p2 = await iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: "afu9-task-exec", MaxItems: 1, Marker: p1.Marker }),
    );
    expect(p2.IsTruncated).toBe(false);
    expect(p2.AttachedPolicies![0]!.PolicyName).toBe("afu9-secrets-read");
    const inline = await iam.send(new ListRolePoliciesCommand({ RoleName: "afu9-task-exec" }));
    expect(inline.PolicyNames).toEqual(["DenyLlm"]);
    const doc = await iam.send(
      new GetRolePolicyCommand({ RoleName: "afu9-task-exec", PolicyName: "DenyLlm" }),
    );
    expect(JSON.parse(decodeURIComponent(doc.PolicyDocument!)).Statement.Effect).toBe("Deny");
  });

  it("gets a managed policy and its default version document", async () => {
    const arn = "arn:aws:iam::123456789012:policy/afu9-secrets-read";
    const p = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    expect(p.Policy).toMatchObject({
      PolicyName: "afu9-secrets-read",
      DefaultVersionId: "v1",
      AttachmentCount: 1,
    });
    const v = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" }));
    const doc = JSON.parse(decodeURIComponent(v.PolicyVersion!.Document!));
    expect(doc.Statement[0].Resource).toBe("arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9/*");
    const missing = (await iam
      .send(new GetPolicyCommand({ PolicyArn: "arn:aws:iam::123456789012:policy/nope" }))
      .catch((x: unknown) => x)) as { name: string; message: string };
    expect(missing.name).toBe("NoSuchEntityException");
    expect(missing.message).toBe(
      "Policy arn:aws:iam::123456789012:policy/nope does not exist or is not attachable.",
    );
    const local = await iam.send(new ListPoliciesCommand({ Scope: "Local" }));
    expect(local.Policies!.map((x) => x.PolicyName)).toEqual(["afu9-secrets-read"]);
  });

  it("simulates: allowed, explicit deny and implicit deny, with matched statements", async () => {
    const r = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: ROLE_ARN,
        ActionNames: ["secretsmanager:GetSecretValue"],
        ResourceArns: [
          "arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9/github-AbCdEf",
          "arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9/llm-AbCdEf",
          "arn:aws:secretsmanager:eu-central-1:123456789012:secret:other-AbCdEf",
        ],
      }),
    );
    const byRes: Record<string, EvaluationResult> = Object.fromEntries(
      r.EvaluationResults!.map((x) => [x.EvalResourceName!.split(":secret:")[1], x]),
    );
    expect(byRes["afu9/github-AbCdEf"]!.EvalDecision).toBe("allowed");
    expect(byRes["afu9/github-AbCdEf"]!.MatchedStatements!.map((m) => m.SourcePolicyId)).toEqual([
      "afu9-secrets-read",
    ]);
    expect(byRes["afu9/llm-AbCdEf"]!.EvalDecision).toBe("explicitDeny");
    expect(byRes["afu9/llm-AbCdEf"]!.MatchedStatements![0]).toMatchObject({
      SourcePolicyId: "DenyLlm",
      SourcePolicyType: "role",
    });
    expect(byRes["other-AbCdEf"]!.EvalDecision).toBe("implicitDeny");
    expect(byRes["other-AbCdEf"]!.MatchedStatements).toEqual([]);
  });

  it.skipIf(!hasCli)("serves the runbook's aws iam list-attached-role-policies --output table", async () => {
    const r = await aws(sb, [
      "iam",
      "list-attached-role-policies",
      "--role-name",
      "afu9-task-exec",
      "--output",
      "table",
    ]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("AmazonECSTaskExecutionRolePolicy");
    expect(r.stdout).toContain("arn:aws:iam::123456789012:policy/afu9-secrets-read");
    const sim = await aws(sb, [
      "iam",
      "simulate-principal-policy",
      "--policy-source-arn",
      ROLE_ARN,
      "--action-names",
      "secretsmanager:GetSecretValue",
      "--resource-arns",
      "arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9/llm-AbCdEf",
      "--query",
      "EvaluationResults[0].EvalDecision",
      "--output",
      "text",
    ]);
    expect(sim.stdout.trim()).toBe("explicitDeny");
  });
});
