import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ListStacksCommand,
  paginateDescribeStackEvents,
} from "@aws-sdk/client-cloudformation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackEventSpec } from "../../source/sandbox/world.js";
import { aws, baseWorld, creds, hasCli, region, start } from "./fixture.js";

type SB = Awaited<ReturnType<typeof start>>;

describe("CloudFormation over the Query protocol", () => {
  let sb: SB;
  let cfn: CloudFormationClient;
  beforeAll(async () => {
    const many: StackEventSpec[] = [];
    for (let i = 0; i < 150; i++) {
      many.push({
        at: `-${300 - i}m`,
        logicalResourceId: `Res${i}`,
        resourceType: "AWS::SNS::Topic",
        status: "CREATE_COMPLETE",
      });
    }
    const w = baseWorld();
    w.stacks!.push({ name: "BigStack", events: many });
    sb = await start(w);
    cfn = new CloudFormationClient({ endpoint: sb.url, region, credentials: creds, maxAttempts: 1 });
  });
  afterAll(async () => {
    cfn.destroy();
    await sb.close();
  });

  it("describes one stack with its outputs, resolving {{endpoint}}", async () => {
    const r = await cfn.send(new DescribeStacksCommand({ StackName: "Afu9NetworkStack" }));
    expect(r.Stacks).toHaveLength(1);
    expect(r.Stacks![0]!.StackName).toBe("Afu9NetworkStack");
    expect(r.Stacks![0]!.StackStatus).toBe("CREATE_COMPLETE");
    expect(r.Stacks![0]!.Outputs).toEqual([{ OutputKey: "LoadBalancerDNS", OutputValue: sb.endpoint }]);
    expect(r.Stacks![0]!.CreationTime).toBeInstanceOf(Date);
    expect(r.Stacks![0]!.StackId).toMatch(
      /^arn:aws:cloudformation:eu-central-1:123456789012:stack\/Afu9NetworkStack\//,
    );
  });

  it("describes every stack without StackName, and lists them", async () => {
    const r = await cfn.send(new DescribeStacksCommand({}));
    expect(r.Stacks!.map((s) => s.StackName).sort()).toEqual([
      "Afu9EcsStack",
      "Afu9NetworkStack",
      "BigStack",
    ]);
    const l = await cfn.send(new ListStacksCommand({ StackStatusFilter: ["UPDATE_ROLLBACK_COMPLETE"] }));
    expect(l.StackSummaries!.map((s) => s.StackName)).toEqual(["Afu9EcsStack"]);
  });

  it("answers a missing stack with ValidationError as CloudFormation words it", async () => {
    const e = await cfn.send(new DescribeStacksCommand({ StackName: "Nope" })).catch((x: unknown) => x);
    expect(e).toMatchObject({ name: "ValidationError", message: "Stack with id Nope does not exist" });
    expect((e as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
  });

  it("serves stack events newest first", async () => {
    const r = await cfn.send(new DescribeStackEventsCommand({ StackName: "Afu9EcsStack" }));
    const ev = r.StackEvents!;
    expect(ev.map((e) => e.ResourceStatus)).toEqual([
      "UPDATE_ROLLBACK_COMPLETE",
      "UPDATE_FAILED",
      "UPDATE_IN_PROGRESS",
    ]);
    expect(ev[1]!.ResourceStatusReason).toBe("Resource creation cancelled");
    expect(ev[0]!.Timestamp!.getTime()).toBeGreaterThan(ev[1]!.Timestamp!.getTime());
    expect(r.NextToken).toBeUndefined();
  });

  it("pages stack events with NextToken, 100 a page, without gaps or repeats", async () => {
    const first = await cfn.send(new DescribeStackEventsCommand({ StackName: "BigStack" }));
    expect(first.StackEvents).toHaveLength(100);
    expect(first.NextToken).toBeTruthy();
    const ids: string[] = [];
    for await (const p of paginateDescribeStackEvents({ client: cfn }, { StackName: "BigStack" })) {
      for (const e of p.StackEvents ?? []) ids.push(e.LogicalResourceId!);
    }
    expect(ids).toHaveLength(150);
    expect(new Set(ids).size).toBe(150);
    expect(ids[0]).toBe("Res149");
    expect(ids[149]).toBe("Res0");
  });

  it.skipIf(!hasCli)(
    "works with the runbook's aws cloudformation describe-stack-events --query --output table",
    async () => {
      const r = await aws(sb, [
        "cloudformation",
        "describe-stack-events",
        "--stack-name",
        "Afu9EcsStack",
        "--max-items",
        "20",
        "--query",
        "StackEvents[?ResourceStatus==`CREATE_FAILED` || ResourceStatus==`UPDATE_FAILED`].{Time:Timestamp,Resource:LogicalResourceId,Status:ResourceStatus,Reason:ResourceStatusReason}",
        "--output",
        "table",
      ]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("Resource creation cancelled");
      expect(r.stdout).toContain("UPDATE_FAILED");
      expect(r.stdout).toContain("Service");
      expect(r.stdout).not.toContain("UPDATE_ROLLBACK_COMPLETE");
    },
  );

  it.skipIf(!hasCli)("gives the CLI the runbook's Outputs query and the missing-stack error", async () => {
    const r = await aws(sb, [
      "cloudformation",
      "describe-stacks",
      "--stack-name",
      "Afu9EcsStack",
      "--query",
      "Stacks[0].Outputs[?OutputKey==`TaskExecutionRoleArn`].OutputValue",
      "--output",
      "text",
    ]);
    expect(r.stdout.trim()).toBe("arn:aws:iam::123456789012:role/afu9-task-exec");
    const m = await aws(sb, ["cloudformation", "describe-stacks", "--stack-name", "Nope"]);
    expect(m.status).not.toBe(0);
    expect(m.stderr).toMatch(
      /An error occurred \(ValidationError\) when calling the DescribeStacks operation.*: Stack with id Nope does not exist/,
    );
  });
});
