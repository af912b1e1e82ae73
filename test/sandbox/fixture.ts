// A small world for the sandbox's wire tests, and helpers to start it.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { ManualClock } from "../../source/sandbox/clock.js";
import { type Sandbox, startSandbox } from "../../source/sandbox/index.js";
import type { World } from "../../source/sandbox/world.js";

export const T0 = Date.parse("2026-12-04T02:00:00Z");
export const creds = { accessKeyId: "test", secretAccessKey: "test" };
export const region = "eu-central-1";

export function baseWorld(extra: Partial<World> = {}): World {
  return {
    description: "wire test world",
    account: "123456789012",
    region,
    seed: 7,
    cluster: "afu9-cluster",
    services: [{ name: "afu9-control-center-stage", taskDefinition: "afu9:1", desiredCount: 1 }],
    taskDefinitions: [
      { family: "afu9", revision: 1, containerDefinitions: [{ name: "control-center", image: "app:1" }] },
    ],
    stacks: [
      {
        name: "Afu9EcsStack",
        status: "UPDATE_ROLLBACK_COMPLETE",
        description: "afu9 ECS stack",
        outputs: { TaskExecutionRoleArn: "arn:aws:iam::{{account}}:role/afu9-task-exec" },
        events: [
          {
            at: "-30m",
            logicalResourceId: "Afu9EcsStack",
            resourceType: "AWS::CloudFormation::Stack",
            status: "UPDATE_IN_PROGRESS",
          },
          {
            at: "-20m",
            logicalResourceId: "Service",
            resourceType: "AWS::ECS::Service",
            status: "UPDATE_FAILED",
            reason: "Resource creation cancelled",
          },
          {
            at: "-19m",
            logicalResourceId: "Afu9EcsStack",
            resourceType: "AWS::CloudFormation::Stack",
            status: "UPDATE_ROLLBACK_COMPLETE",
          },
        ],
      },
      { name: "Afu9NetworkStack", outputs: { LoadBalancerDNS: "{{endpoint}}" } },
    ],
    secrets: [
      { name: "afu9/github", value: { token: "ghp_x", owner: "o", repo: "r" }, lastAccessedAt: "-3h" },
      {
        name: "afu9/llm",
        value: { openai_api_key: "sk-x" },
        description: "LLM keys",
        tags: { team: "afu9" },
      },
      { name: "afu9/old", value: "x", deletedAt: "-1d" },
      { name: "afu9/locked", value: "x", kmsKeyId: "alias/afu9" },
    ],
    kmsKeys: [{ keyId: "1234abcd-12ab-34cd-56ef-1234567890ab", alias: "alias/afu9", enabled: false }],
    policies: [
      {
        name: "afu9-secrets-read",
        document: {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "ReadAfu9",
              Effect: "Allow",
              Action: "secretsmanager:GetSecretValue",
              Resource: "arn:aws:secretsmanager:{{region}}:{{account}}:secret:afu9/*",
            },
          ],
        },
      },
    ],
    roles: [
      {
        name: "afu9-task-exec",
        attachedPolicies: [
          "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
          "arn:aws:iam::{{account}}:policy/afu9-secrets-read",
        ],
        inlinePolicies: {
          DenyLlm: {
            Statement: {
              Sid: "NoLlm",
              Effect: "Deny",
              Action: "secretsmanager:GetSecretValue",
              Resource: "arn:aws:secretsmanager:*:*:secret:afu9/llm-*",
            },
          },
        },
      },
    ],
    logGroups: [
      {
        name: "/ecs/afu9/control-center",
        lines: [
          { at: "-10m", stream: "ecs/control-center/aaa", message: "Server starting" },
          {
            at: "-9m",
            stream: "ecs/control-center/aaa",
            message: "Error: Environment variable DATABASE_PORT is not set",
          },
          {
            at: "-8m",
            stream: "ecs/control-center/bbb",
            message: '{"level":"error","code":500,"msg":"boom"}',
          },
          { at: "-7m", stream: "ecs/control-center/bbb", message: '{"level":"info","code":200,"msg":"ok"}' },
          { at: "-6m", stream: "ecs/control-center/bbb", message: "connection refused by host" },
        ],
      },
    ],
    ...extra,
  };
}

export async function start(
  world: World = baseWorld(),
  clock = new ManualClock(T0),
): Promise<Sandbox & { clock: ManualClock }> {
  const sb = await startSandbox({ world, clock });
  return Object.assign(sb, { clock });
}

export const AWS_CLI = "/usr/bin/aws";
export const hasCli = existsSync(AWS_CLI);
if (!hasCli) console.warn(`${AWS_CLI} is absent: the AWS CLI tests are skipped (apt-get install awscli)`);

/** Runs /usr/bin/aws against the sandbox (asynchronously: the sandbox runs in this process). */
export function aws(
  sb: Sandbox,
  args: string[],
  input?: string,
): Promise<{ stdout: string; stderr: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(AWS_CLI, [...args, "--endpoint-url", sb.url], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? "/tmp",
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_DEFAULT_REGION: region,
        AWS_PAGER: "",
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_MAX_ATTEMPTS: "1",
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status });
    });
    child.stdin.end(input ?? "");
  });
}

/** Runs a shell pipeline (for `aws ... | jq`), with the same environment plus SANDBOX_URL. */
export function sh(
  sb: Sandbox,
  script: string,
): Promise<{ stdout: string; stderr: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", script], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? "/tmp",
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_DEFAULT_REGION: region,
        AWS_PAGER: "",
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        AWS_MAX_ATTEMPTS: "1",
        SANDBOX_URL: sb.url,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status });
    });
  });
}
