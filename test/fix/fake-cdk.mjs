#!/usr/bin/env node
// A stand-in for `cdk deploy` in the sandbox: what CloudFormation would do for the ECS stack with
// afu9-enable-database=false — a task definition revision without the database secret and with
// DATABASE_ENABLED=false, and the service updated to it. Reads the context like CDK: `-c k=v`
// arguments, then cdk.context.json's top-level keys.
import { readFileSync } from "node:fs";
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";

const args = process.argv.slice(2);
if (args[0] !== "deploy") {
  console.error(`fake cdk: only "deploy" is supported, got ${args.join(" ")}`);
  process.exit(1);
}
const stack = args[1];
const context = {};
try {
  Object.assign(context, JSON.parse(readFileSync("cdk.context.json", "utf8")));
} catch {}
for (let i = 0; i < args.length; i++)
  if (args[i] === "-c" || args[i] === "--context") {
    const [k, v] = String(args[i + 1]).split("=");
    context[k] = v === "false" ? false : v === "true" ? true : v;
  }
const enabled = context["afu9-enable-database"] !== false;
console.log(`\n✨  Synthesis time: 0.42s\n`);
console.log(`${stack}: deploying... [1/1]`);
if (enabled) {
  console.log(`\n ✅  ${stack} (no changes)`);
  process.exit(0);
}
const ecs = new ECSClient({});
const cluster = "afu9-cluster";
const service = process.env.FAKE_CDK_SERVICE ?? "afu9-control-center-stage";
const s = (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services[0];
const family = s.taskDefinition.split("/").pop().split(":")[0];
const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }))).taskDefinition;
const containerDefinitions = td.containerDefinitions.map((c) => ({
  ...c,
  environment: [
    ...(c.environment ?? []).filter((e) => e.name !== "DATABASE_ENABLED"),
    { name: "DATABASE_ENABLED", value: "false" },
  ],
  secrets: (c.secrets ?? []).filter((x) => !x.name.startsWith("DATABASE_")),
}));
const reg = await ecs.send(
  new RegisterTaskDefinitionCommand({
    family: td.family,
    taskRoleArn: td.taskRoleArn,
    executionRoleArn: td.executionRoleArn,
    cpu: td.cpu,
    memory: td.memory,
    containerDefinitions,
  }),
);
console.log(`${stack} | UPDATE_IN_PROGRESS | AWS::ECS::TaskDefinition | TaskDefinitionB36D86D9`);
await ecs.send(
  new UpdateServiceCommand({ cluster, service, taskDefinition: reg.taskDefinition.taskDefinitionArn }),
);
console.log(`${stack} | UPDATE_IN_PROGRESS | AWS::ECS::Service | ServiceD69D759B`);
console.log(`\n ✅  ${stack}\n`);
ecs.destroy();
