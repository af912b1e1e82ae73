// The runbook's own commands, with the AWS CLI (Debian's awscli v2) and jq, against
// `afu9-tui sandbox --scenario ID` running as its own process: what each of the runbook's tables
// says for its four scenarios, and that the runbook's fix through the CLI (secret, then a forced
// new deployment) makes the next deployment COMPLETE and /api/ready ready — and a wrong fix fails
// and rolls back.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";

const AWS = "/usr/bin/aws";
const BIN = new URL("../../bin/afu9-tui.js", import.meta.url).pathname;
const haveCli = existsSync(AWS) && existsSync(new URL("../../dist/main.js", import.meta.url));
if (!haveCli)
  console.warn("runbook-cli tests skipped: need /usr/bin/aws (apt-get install awscli) and npm run build");

interface Served {
  url: string;
  env: NodeJS.ProcessEnv;
  child: ChildProcess;
}

let served: Served | undefined;
afterEach(async () => {
  if (served) {
    served.child.kill("SIGTERM");
    await new Promise((r) => served!.child.once("exit", r));
    served = undefined;
  }
});

async function serve(scenario: string, speed = 40): Promise<Served> {
  const child = spawn(
    process.execPath,
    [BIN, "sandbox", "--scenario", scenario, "--port", "0", "--speed", String(speed)],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /^export AWS_ENDPOINT_URL=(\S+)$/m.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`sandbox exited ${code}: ${out}`)));
  });
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "eu-central-1",
    AWS_DEFAULT_REGION: "eu-central-1",
    AWS_PAGER: "",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_MAX_ATTEMPTS: "1",
    STACK_NAME: "Afu9EcsStack",
    NETWORK_STACK_NAME: "Afu9NetworkStack",
    DATABASE_STACK_NAME: "Afu9DatabaseStack",
    CLUSTER_NAME: "afu9-cluster",
    SERVICE_NAME: "afu9-control-center-stage",
    EP: url,
  };
  served = { url, env, child };
  return served;
}

/** Runs a runbook snippet in bash, with `aws` meaning the CLI pointed at the sandbox. */
function sh(s: Served, script: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", `aws() { ${AWS} --endpoint-url "$EP" "$@"; }\n${script}`], {
      env: s.env,
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => resolve({ code: code ?? -1, out, err }));
  });
}

const STEP1 = `aws cloudformation describe-stack-events \\
  --stack-name \${STACK_NAME} --region \${AWS_REGION} --max-items 20 \\
  --query 'StackEvents[?ResourceStatus==\`CREATE_FAILED\` || ResourceStatus==\`UPDATE_FAILED\`].{Time:Timestamp,Resource:LogicalResourceId,Status:ResourceStatus,Reason:ResourceStatusReason}' \\
  --output table`;
const STEP2 = `aws ecs describe-services --cluster \${CLUSTER_NAME} --services \${SERVICE_NAME} --region \${AWS_REGION} \\
  --query 'services[0].events[:10]' --output table`;
const STEP3 = `TASK_ARN=$(aws ecs list-tasks --cluster \${CLUSTER_NAME} --service-name \${SERVICE_NAME} --desired-status STOPPED \\
  --region \${AWS_REGION} --query 'taskArns[0]' --output text)
aws ecs describe-tasks --cluster \${CLUSTER_NAME} --tasks \${TASK_ARN} --region \${AWS_REGION} \\
  --query 'tasks[0].{stoppedReason:stoppedReason,containers:containers[*].{name:name,exitCode:exitCode,reason:reason}}' --output json`;
const STEP4 = `aws logs tail /ecs/afu9/control-center --since 30m \\
  --filter-pattern "?error ?Error ?ERROR ?exception ?Exception ?fail ?Fail ?FAIL" --region \${AWS_REGION} --format short`;
const STEP5_DB = `aws secretsmanager get-secret-value --secret-id afu9/database --region \${AWS_REGION} --query 'SecretString' --output text | jq 'has("host", "port", "database", "username", "password")'`;
const STEP6 = `SERVICE_TASK_DEF=$(aws ecs describe-services --cluster \${CLUSTER_NAME} --services \${SERVICE_NAME} --region \${AWS_REGION} --query 'services[0].taskDefinition' --output text)
aws ecs describe-task-definition --task-definition \${SERVICE_TASK_DEF} --region \${AWS_REGION} \\
  --query 'taskDefinition.containerDefinitions[0].environment[?name==\`DATABASE_ENABLED\`].value' --output text`;
const READY = `ALB_DNS=$(aws cloudformation describe-stacks --stack-name \${NETWORK_STACK_NAME} --region \${AWS_REGION} \\
  --query 'Stacks[0].Outputs[?OutputKey==\`LoadBalancerDNS\`].OutputValue' --output text)
curl -s http://\${ALB_DNS}/api/ready | jq -c .`;
const FORCE = `aws ecs update-service --cluster \${CLUSTER_NAME} --service \${SERVICE_NAME} --force-new-deployment --region \${AWS_REGION} \\
  --query 'service.deployments[?status==\`PRIMARY\`].id' --output text`;

/** Polls describe-services until the deployment we started is no longer IN_PROGRESS. */
async function waitRollout(s: Served, deploymentId: string): Promise<string> {
  for (let i = 0; i < 60; i++) {
    const r = await sh(
      s,
      `aws ecs describe-services --cluster \${CLUSTER_NAME} --services \${SERVICE_NAME} --query 'services[0].deployments[?id==\`${deploymentId}\`].rolloutState' --output text`,
    );
    const state = r.out.trim();
    if (state === "COMPLETED" || state === "FAILED") return state;
    // Gone from the list: superseded (rolled back).
    if (state === "") return "GONE";
    await new Promise((res) => setTimeout(res, 500));
  }
  return "TIMEOUT";
}

describe.skipIf(!haveCli)(
  "the runbook's commands with the AWS CLI against afu9-tui sandbox",
  { timeout: 120_000 },
  () => {
    it("Szenario 1, db-secret-missing: ResourceInitializationError, no logs, ResourceNotFoundException; the fix completes", async () => {
      const s = await serve("db-secret-missing");
      const one = await sh(s, STEP1);
      expect(one.code).toBe(0);
      expect(one.out).toMatch(/UPDATE_FAILED/);
      const two = await sh(s, STEP2);
      expect(two.out).toContain(
        "(service afu9-control-center-stage) failed circuit breaker: tasks failed to start.",
      );
      const three = await sh(s, STEP3);
      expect(JSON.parse(three.out).stoppedReason).toMatch(
        /^ResourceInitializationError: unable to pull secrets or registry auth: .*ResourceNotFoundException: Secrets Manager can't find the specified secret\./,
      );
      expect(JSON.parse(three.out).containers[0].exitCode).toBeNull();
      const four = await sh(s, STEP4);
      expect(four.code).toBe(0);
      expect(four.out.trim()).toBe(""); // Logs: (keine, Container startet nicht)
      const five = await sh(
        s,
        "aws secretsmanager describe-secret --secret-id afu9/database --region ${AWS_REGION} --query '{Name:Name,ARN:ARN,LastAccessedDate:LastAccessedDate}' --output table",
      );
      expect(five.code).not.toBe(0);
      expect(five.err).toMatch(/ResourceNotFoundException.*Secrets Manager can't find the specified secret/);
      expect((await sh(s, STEP6)).out.trim()).toBe("true");

      // Fix 6.2: create the secret with the runbook's structure, credentials from the RDS master secret.
      const created = await sh(
        s,
        `RDS_ENDPOINT=$(aws cloudformation describe-stacks --stack-name \${DATABASE_STACK_NAME} --query 'Stacks[0].Outputs[?OutputKey==\`Afu9DbEndpoint\`].OutputValue' --output text)
RDS_SECRET_ARN=$(aws cloudformation describe-stacks --stack-name \${DATABASE_STACK_NAME} --query 'Stacks[0].Outputs[?OutputKey==\`Afu9DbSecretArn\`].OutputValue' --output text)
MASTER=$(aws secretsmanager get-secret-value --secret-id "$RDS_SECRET_ARN" --query SecretString --output text)
VALUE=$(jq -c --arg host "$RDS_ENDPOINT" '{host: $host, port: "5432", database: "afu9", username: .username, password: .password}' <<<"$MASTER")
aws secretsmanager create-secret --name afu9/database --secret-string "$VALUE" --query Name --output text`,
      );
      expect(created.out.trim()).toBe("afu9/database");
      expect((await sh(s, STEP5_DB)).out.trim().split("\n")).toEqual([
        "true",
        "true",
        "true",
        "true",
        "true",
      ]);
      const dep = (await sh(s, FORCE)).out.trim();
      expect(dep).toMatch(/^ecs-svc\/\d+$/);
      expect(await waitRollout(s, dep)).toBe("COMPLETED");
      const ready = JSON.parse((await sh(s, READY)).out);
      expect(ready).toEqual({
        ready: true,
        checks: { service: { status: "ok" }, database: { status: "ok", message: "connection_configured" } },
      });
    });

    it("Szenario 2, db-secret-incomplete: essential container exited, DATABASE_PORT is not set, jq has() shows a false", async () => {
      const s = await serve("db-secret-incomplete");
      expect((await sh(s, STEP2)).out).toContain("failed circuit breaker: tasks failed to start.");
      const three = JSON.parse((await sh(s, STEP3)).out);
      expect(three.stoppedReason).toMatch(/^Essential container in task exited/);
      expect(three.containers[0].exitCode).toBe(1);
      expect((await sh(s, STEP4)).out).toContain("Error: Environment variable DATABASE_PORT is not set");
      const has = (await sh(s, STEP5_DB)).out.trim().split("\n");
      expect(has).toContain("false");
      const keys = await sh(
        s,
        "aws secretsmanager get-secret-value --secret-id afu9/database --query SecretString --output text | jq -c 'keys'",
      );
      expect(JSON.parse(keys.out)).not.toContain("port");
    });

    it("Szenario 3, db-enabled-not-needed: ELB health checks, ECONNREFUSED, no database stack", async () => {
      const s = await serve("db-enabled-not-needed");
      expect((await sh(s, STEP2)).out).toContain("failed circuit breaker: tasks failed ELB health checks.");
      expect(JSON.parse((await sh(s, STEP3)).out).stoppedReason).toMatch(/^Task failed ELB health checks/);
      expect((await sh(s, STEP4)).out).toMatch(/Error: connect ECONNREFUSED/);
      const db = await sh(s, "aws cloudformation describe-stacks --stack-name ${DATABASE_STACK_NAME}");
      expect(db.err).toMatch(/Stack with id Afu9DatabaseStack does not exist/);
      expect((await sh(s, STEP6)).out.trim()).toBe("true");
    });

    it("Szenario 4, db-credentials-wrong: password authentication failed; a wrong fix fails and rolls back", async () => {
      const s = await serve("db-credentials-wrong", 100);
      expect((await sh(s, STEP2)).out).toContain("failed circuit breaker: tasks failed ELB health checks.");
      expect(JSON.parse((await sh(s, STEP3)).out).stoppedReason).toMatch(/^Task failed ELB health checks/);
      expect((await sh(s, STEP4)).out).toContain(
        'FATAL: password authentication failed for user "afu9_admin"',
      );

      // The runbook's update-secret with its placeholder password is a wrong fix: it fails again.
      await sh(
        s,
        `aws secretsmanager update-secret --secret-id afu9/database --secret-string '{"host":"afu9-db.cluster-c9fakeq2x1yz.eu-central-1.rds.amazonaws.com","port":"5432","database":"afu9","username":"afu9_admin","password":"DEIN_SICHERES_PASSWORT"}'`,
      );
      const dep = (await sh(s, FORCE)).out.trim();
      const outcome = await waitRollout(s, dep);
      expect(["FAILED", "GONE"]).toContain(outcome);
      const events = (
        await sh(
          s,
          `aws ecs describe-services --cluster \${CLUSTER_NAME} --services \${SERVICE_NAME} --query 'services[0].events[:20].message' --output text`,
        )
      ).out;
      expect(events).toContain(`(deployment ${dep}) deployment failed: tasks failed ELB health checks.`);
      expect(events).toMatch(/rolling back to deployment ecs-svc\/\d+/);
      // services-stable's view: one deployment, running == desired — yet the fix failed.
      const stable = await sh(
        s,
        `aws ecs describe-services --cluster \${CLUSTER_NAME} --services \${SERVICE_NAME} --query 'services[0].[length(deployments), runningCount, desiredCount]' --output text`,
      );
      const [n, running, desired] = stable.out.trim().split(/\s+/);
      expect(n).toBe("1");
      expect(running).toBe(desired);

      // The right fix: copy the credentials from the RDS master secret.
      await sh(
        s,
        `RDS_SECRET_ARN=$(aws cloudformation describe-stacks --stack-name \${DATABASE_STACK_NAME} --query 'Stacks[0].Outputs[?OutputKey==\`Afu9DbSecretArn\`].OutputValue' --output text)
MASTER=$(aws secretsmanager get-secret-value --secret-id "$RDS_SECRET_ARN" --query SecretString --output text)
CURRENT=$(aws secretsmanager get-secret-value --secret-id afu9/database --query SecretString --output text)
aws secretsmanager put-secret-value --secret-id afu9/database --secret-string "$(jq -c --argjson m "$MASTER" '.username = $m.username | .password = $m.password' <<<"$CURRENT")" >/dev/null`,
      );
      const dep2 = (await sh(s, FORCE)).out.trim();
      expect(await waitRollout(s, dep2)).toBe("COMPLETED");
      expect(JSON.parse((await sh(s, READY)).out).ready).toBe(true);
    });
  },
);
