import { describe, expect, it } from "vitest";
import { analyzeStackEvents, classifyStackReason } from "../../source/diagnosis/cloudformation.js";
import {
  analyzeLogs,
  classifyLogLine,
  matchesFilterPattern,
  matchesRunbookFilter,
  taskIdFromStream,
} from "../../source/diagnosis/logs.js";
import { maskCredentials, redactKnownValues } from "../../source/diagnosis/mask.js";
import type { LogLine, ServiceInfo, StackEvent, StoppedTask } from "../../source/diagnosis/model.js";
import {
  analyzeService,
  classifyServiceEvent,
  dedupeServiceEvents,
  deploymentState,
} from "../../source/diagnosis/service-events.js";
import { analyzeStoppedTasks, classifyStoppedTask } from "../../source/diagnosis/stopped-tasks.js";

const T0 = Date.parse("2026-12-04T02:00:00Z");
const at = (min: number) => new Date(T0 + min * 60_000);
const ACCT = "123456789012";
const DB_ARN = `arn:aws:secretsmanager:eu-central-1:${ACCT}:secret:afu9/database-AbCdEf`;

describe("cloudformation", () => {
  const ev = (min: number, id: string, type: string, status: string, reason?: string): StackEvent => ({
    timestamp: at(min),
    logicalResourceId: id,
    resourceType: type,
    status,
    stackName: "Afu9EcsStack",
    ...(reason ? { reason } : {}),
  });

  it("classifies the runbook's table", () => {
    expect(classifyStackReason("Resource creation cancelled").id).toBe("cfn-cancelled");
    expect(classifyStackReason("Resource creation cancelled").nextStep).toBe("→ Schritt 2");
    const tg = classifyStackReason(
      "The target group with targetGroupArn arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/afu9-tg/abc does not have an associated load balancer.",
    );
    expect(tg.id).toBe("cfn-target-group-no-lb");
    expect(tg.nextStep).toBe("Network Stack prüfen");
    expect(classifyStackReason("").id).toBe("cfn-none");
    expect(classifyStackReason("Something odd").text).toContain("Something odd");
  });

  it("recognises CloudFormation's real circuit-breaker message", () => {
    // github.com/aws/copilot-cli/issues/2640
    const r = classifyStackReason(
      `Resource handler returned message: "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'." (RequestToken: 2f1c, HandlerErrorCode: GeneralServiceException)`,
    );
    expect(r.id).toBe("cfn-circuit-breaker");
  });

  it("keeps only the latest operation's failures", () => {
    const events = [
      ev(-120, "Afu9EcsStack", "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS"),
      ev(-110, "Service", "AWS::ECS::Service", "UPDATE_FAILED", "Old failure from last week"),
      ev(-100, "Afu9EcsStack", "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_COMPLETE"),
      ev(-30, "Afu9EcsStack", "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", "User Initiated"),
      ev(-29, "Service", "AWS::ECS::Service", "UPDATE_IN_PROGRESS"),
      ev(
        -10,
        "Service",
        "AWS::ECS::Service",
        "UPDATE_FAILED",
        `Resource handler returned message: "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'."`,
      ),
      ev(
        -9,
        "Afu9EcsStack",
        "AWS::CloudFormation::Stack",
        "UPDATE_ROLLBACK_IN_PROGRESS",
        "The following resource(s) failed to update: [Service].",
      ),
      ev(-5, "Afu9EcsStack", "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_COMPLETE"),
    ].reverse();
    const a = analyzeStackEvents(events, "Afu9EcsStack");
    expect(a.failures.map((f) => f.finding.id)).toEqual(["cfn-rollback-summary", "cfn-circuit-breaker"]);
    expect(a.primary.id).toBe("cfn-circuit-breaker");
    expect(a.stackStatus).toBe("UPDATE_ROLLBACK_COMPLETE");
    expect(a.operationStartedAt).toEqual(at(-30));
  });

  it("no failures → no CloudFormation error → step 2", () => {
    const a = analyzeStackEvents([ev(-5, "Afu9EcsStack", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE")]);
    expect(a.primary.id).toBe("cfn-none");
    expect(a.primary.nextStep).toBe("→ Schritt 2");
  });
});

describe("service events", () => {
  const e = (message: string, min = 0, id = message) => ({ id, createdAt: at(min), message });
  const S = "(service afu9-control-center-stage)";

  it.each([
    [`${S} has reached a steady state.`, "steady-state"],
    [`${S} failed circuit breaker: tasks failed to start.`, "cb-tasks-failed-to-start"],
    [`${S} failed circuit breaker: tasks failed ELB health checks.`, "cb-elb-health-checks"],
    [
      `${S} (deployment ecs-svc/4135006185409410497) deployment failed: tasks failed to start.`,
      "cb-tasks-failed-to-start",
    ],
    [`${S} rolling back to deployment ecs-svc/1675294001379389663.`, "rolling-back"],
    [
      `${S} (task b5067ed30cc5431d89fe74c47fd9981f) failed container health checks.`,
      "task-failed-container-health-checks",
    ],
    [
      `${S} (port 3000) is unhealthy in (target-group arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/afu9/abc) due to (reason Health checks failed with these codes: [503]).`,
      "unhealthy-in-target-group",
    ],
    [`${S} is unable to consistently start tasks successfully.`, "unable-to-start-consistently"],
    [`${S} operations are being throttled. Will try again later.`, "throttled"],
    [`${S} has started 1 tasks: (task 22450d8cbf7b4648ac0837b9a710e807).`, "tasks-started"],
    [`${S} has stopped 1 running tasks: (task 60a736a708f44dfcb1191e0771825ad5).`, "tasks-stopped"],
    [`${S} (deployment ecs-svc/1675294001379389663) deployment completed.`, "deployment-completed"],
  ])("%s → %s", (message, id) => {
    expect(classifyServiceEvent(e(message)).id).toBe(id);
  });

  it("extracts deployment, tasks and placement reasons", () => {
    const c = classifyServiceEvent(
      e(`${S} (deployment ecs-svc/4135006185409410497) deployment failed: tasks failed to start.`),
    );
    expect(c.deploymentId).toBe("ecs-svc/4135006185409410497");
    expect(c.serviceName).toBe("afu9-control-center-stage");
    const started = classifyServiceEvent(
      e(`${S} has started 1 tasks: (task 22450d8cbf7b4648ac0837b9a710e807).`),
    );
    expect(started.taskIds).toEqual(["22450d8cbf7b4648ac0837b9a710e807"]);
    const place = classifyServiceEvent(
      e(
        `${S} was unable to place a task. Reason: ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key app_definition_id.`,
      ),
    );
    expect(place.id).toBe("unable-to-place-task");
    expect(place.reason).toContain("did not contain json key app_definition_id");
    const rb = classifyServiceEvent(e(`${S} rolling back to deployment ecs-svc/1675294001379389663.`));
    expect(rb.rollbackTo).toBe("ecs-svc/1675294001379389663");
  });

  it("deduplicates repeated events", () => {
    const d = dedupeServiceEvents([
      e(`${S} has reached a steady state.`, -300, "a"),
      e(`${S} has reached a steady state.`, -600, "b"),
      e(`${S} has reached a steady state.`, -60, "c"),
      e(`${S} has reached a steady state.`, -60, "c"),
      e(`${S} is unable to consistently start tasks successfully.`, -30, "d"),
    ]);
    expect(d).toHaveLength(2);
    expect(d[1]?.count).toBe(3);
    expect(d[1]?.lastAt).toEqual(at(-60));
    expect(d[1]?.firstAt).toEqual(at(-600));
  });

  const svc = (over: Partial<ServiceInfo>): ServiceInfo => ({
    serviceName: "afu9-control-center-stage",
    taskDefinition: "arn:aws:ecs:eu-central-1:123456789012:task-definition/afu9:7",
    desiredCount: 1,
    runningCount: 1,
    pendingCount: 0,
    deployments: [],
    events: [],
    ...over,
  });

  it("sees a rolled-back circuit breaker deployment", () => {
    const s = svc({
      deployments: [
        {
          id: "ecs-svc/222",
          status: "PRIMARY",
          taskDefinition: "afu9:6",
          rolloutState: "IN_PROGRESS",
          desiredCount: 1,
          runningCount: 1,
          pendingCount: 0,
          failedTasks: 0,
          createdAt: at(-2),
        },
        {
          id: "ecs-svc/111",
          status: "ACTIVE",
          taskDefinition: "afu9:7",
          rolloutState: "FAILED",
          rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
          desiredCount: 0,
          runningCount: 0,
          pendingCount: 0,
          failedTasks: 10,
          createdAt: at(-20),
        },
      ],
      events: [
        e(`${S} rolling back to deployment ecs-svc/222.`, -2),
        e(`${S} (deployment ecs-svc/111) deployment failed: tasks failed to start.`, -2.1),
      ],
    });
    const d = deploymentState(s);
    expect(d.failed?.id).toBe("ecs-svc/111");
    expect(d.rolledBack).toBe(true);
    expect(d.newestFailed).toBe(false);
    expect(d.healthy).toBe(false);
    expect(d.circuitBreakerReason).toBe("ECS deployment circuit breaker: tasks failed to start.");
    const a = analyzeService(s);
    expect(a.circuitBreaker).toBe("tasks-failed-to-start");
    expect(a.primary.id).toBe("cb-tasks-failed-to-start");
  });

  it("a failed newest deployment without rollback", () => {
    const d = deploymentState(
      svc({
        deployments: [
          {
            id: "ecs-svc/111",
            status: "PRIMARY",
            taskDefinition: "afu9:7",
            rolloutState: "FAILED",
            rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
            desiredCount: 1,
            runningCount: 0,
            pendingCount: 0,
            failedTasks: 3,
            createdAt: at(-20),
          },
        ],
      }),
    );
    expect(d.newestFailed).toBe(true);
    expect(d.rolledBack).toBe(false);
  });

  it("steady state: healthy", () => {
    const a = analyzeService(
      svc({
        deployments: [
          {
            id: "ecs-svc/1",
            status: "PRIMARY",
            taskDefinition: "afu9:7",
            rolloutState: "COMPLETED",
            desiredCount: 1,
            runningCount: 1,
            pendingCount: 0,
            failedTasks: 0,
            createdAt: at(-60),
          },
        ],
        events: [e(`${S} has reached a steady state.`, -1)],
      }),
    );
    expect(a.deployment.healthy).toBe(true);
    expect(a.primary.severity).toBe("ok");
    expect(a.circuitBreaker).toBe("none");
  });
});

describe("stopped tasks", () => {
  const task = (stoppedReason: string, over: Partial<StoppedTask> = {}): StoppedTask => ({
    taskArn: "arn:aws:ecs:eu-central-1:123456789012:task/afu9-cluster/0123456789abcdef0123456789abcdef",
    taskId: "0123456789abcdef0123456789abcdef",
    taskDefinitionArn: "arn:aws:ecs:eu-central-1:123456789012:task-definition/afu9:7",
    startedBy: "ecs-svc/111",
    stoppedReason,
    stopCode: "TaskFailedToStart",
    containers: [{ name: "control-center" }],
    ...over,
  });

  it("the runbook's ResourceInitializationError example → secret not found → step 5", () => {
    const f = classifyStoppedTask(
      task(
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): ResourceNotFoundException: Secrets Manager can't find the specified secret.",
      ),
    );
    expect(f.id).toBe("secret-not-found");
    expect(f.secretRelated).toBe(true);
    expect(f.nextStep).toContain("Schritt 5");
  });

  it("names the secret when the message has its ARN", () => {
    const f = classifyStoppedTask(
      task(
        `ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret ${DB_ARN} from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret.`,
      ),
    );
    expect(f.secret).toEqual({ arn: DB_ARN, name: "afu9/database" });
  });

  it("json key missing: extracts the key", () => {
    // Real text, e.g. from public incident notes: "... did not contain json key SUPABASE_SECRET_KEY"
    const f = classifyStoppedTask(
      task(
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key port",
      ),
    );
    expect(f.id).toBe("secret-json-key-missing");
    expect(f.jsonKey).toBe("port");
  });

  it("AccessDenied on GetSecretValue: role and secret", () => {
    const f = classifyStoppedTask(
      task(
        `ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): AccessDeniedException: User: arn:aws:sts::${ACCT}:assumed-role/Afu9TaskExecutionRole/5f0c1e is not authorized to perform: secretsmanager:GetSecretValue on resource: ${DB_ARN} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
      ),
    );
    expect(f.id).toBe("secret-access-denied");
    expect(f.roleName).toBe("Afu9TaskExecutionRole");
    expect(f.secret?.name).toBe("afu9/database");
  });

  it("KMS denied", () => {
    const f = classifyStoppedTask(
      task(
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): AccessDeniedException: Access to KMS is not allowed",
      ),
    );
    expect(f.id).toBe("kms-access-denied");
  });

  it("marked for deletion, not JSON, network", () => {
    expect(
      classifyStoppedTask(
        task(
          "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): InvalidRequestException: You can't perform this operation on the secret because it was marked for deletion.",
        ),
      ).id,
    ).toBe("secret-marked-for-deletion");
    expect(
      classifyStoppedTask(
        task(
          "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: invalid character 'p' in literal true (expecting 'r').",
        ),
      ).id,
    ).toBe("secret-not-json");
    expect(
      classifyStoppedTask(
        task(
          "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 5 time(s): RequestCanceled: request context canceled caused by: context deadline exceeded",
        ),
      ).id,
    ).toBe("secrets-network");
    expect(
      classifyStoppedTask(
        task(
          "ResourceInitializationError: unable to pull secrets or registry auth: There is a connection issue between the task and AWS Secrets Manager. Check your task network configuration. failed to fetch secret from asm: context deadline exceeded",
        ),
      ).id,
    ).toBe("secrets-network");
    expect(
      classifyStoppedTask(
        task(
          "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed",
        ),
      ).id,
    ).toBe("registry-auth");
  });

  it("CannotPullContainerError variants → ECR", () => {
    const timeout = classifyStoppedTask(
      task(
        `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/tryretool/backend:2.110.5: failed to do request: Head "https://registry-1.docker.io/v2/tryretool/backend/manifests/2.110.5": dial tcp 34.205.13.154:443: i/o timeout`,
      ),
    );
    expect(timeout.id).toBe("image-pull-timeout");
    expect(timeout.nextStep).toBe("ECR prüfen");
    expect(timeout.secretRelated).toBe(false);
    expect(
      classifyStoppedTask(
        task(
          "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref 123456789012.dkr.ecr.eu-central-1.amazonaws.com/afu9:v9: 123456789012.dkr.ecr.eu-central-1.amazonaws.com/afu9:v9: not found",
        ),
      ).id,
    ).toBe("image-not-found");
    expect(
      classifyStoppedTask(
        task(
          "CannotPullContainerError: The task can’t pull the image. Check that the role has the permissions to pull images from the registry. failed to resolve ref: pulling from host 123456789012.dkr.ecr.eu-central-1.amazonaws.com failed with status code [manifests v9]: 403 Forbidden",
        ),
      ).id,
    ).toBe("image-access-denied");
  });

  it("crashes, health checks, OOM and scheduler stops", () => {
    const exited = classifyStoppedTask(
      task("Essential container in task exited", {
        stopCode: "EssentialContainerExited",
        containers: [{ name: "control-center", exitCode: 1 }],
      }),
    );
    expect(exited.id).toBe("essential-container-exited");
    expect(exited.exitCode).toBe(1);
    expect(exited.nextStep).toBe("→ Schritt 4");
    expect(
      classifyStoppedTask(
        task(
          "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/afu9/abc)",
          { stopCode: "ServiceSchedulerInitiated" },
        ),
      ).id,
    ).toBe("elb-health-checks");
    expect(
      classifyStoppedTask(
        task("Task failed container health checks", { stopCode: "ServiceSchedulerInitiated" }),
      ).id,
    ).toBe("container-health-checks");
    expect(
      classifyStoppedTask(
        task("Essential container in task exited", {
          stopCode: "EssentialContainerExited",
          containers: [
            {
              name: "control-center",
              exitCode: 137,
              reason: "OutOfMemoryError: Container killed due to memory usage",
            },
          ],
        }),
      ).id,
    ).toBe("out-of-memory");
    const scaling = classifyStoppedTask(
      task("Scaling activity initiated by (deployment ecs-svc/111)", {
        stopCode: "ServiceSchedulerInitiated",
      }),
    );
    expect(scaling.id).toBe("scheduler-stop");
    expect(scaling.failure).toBe(false);
    expect(
      classifyStoppedTask(
        task("CannotStartContainerError: Error response from daemon: failed to create shim"),
      ).id,
    ).toBe("cannot-start-container");
    expect(
      classifyStoppedTask(
        task("ContainerRuntimeTimeoutError: Could not transition to started; timed out after waiting 3m0s"),
      ).id,
    ).toBe("container-runtime-timeout");
  });

  it("analysis: only the deployment's tasks, strongest first", () => {
    const a = analyzeStoppedTasks(
      [
        task("Scaling activity initiated by (deployment ecs-svc/111)", {
          stopCode: "ServiceSchedulerInitiated",
        }),
        task("Essential container in task exited", { containers: [{ name: "c", exitCode: 1 }] }),
        task(
          "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): ResourceNotFoundException: Secrets Manager can't find the specified secret.",
        ),
        task("Task failed ELB health checks", { startedBy: "ecs-svc/OLD" }),
      ],
      "ecs-svc/111",
    );
    expect(a.findings).toHaveLength(3);
    expect(a.primary?.id).toBe("secret-not-found");
    expect(a.counts["scheduler-stop"]).toBe(1);
  });
});

describe("logs", () => {
  const line = (
    message: string,
    stream = "ecs/control-center/0123456789abcdef0123456789abcdef",
  ): LogLine => ({
    timestamp: at(-3),
    stream,
    message,
  });

  it("the runbook's filter, case-sensitive", () => {
    expect(matchesRunbookFilter("Error: Environment variable DATABASE_PORT is not set")).toBe(true);
    expect(matchesRunbookFilter('FATAL: password authentication failed for user "afu9_admin"')).toBe(true);
    expect(matchesRunbookFilter("TypeError: x is undefined")).toBe(true); // "Error" inside "TypeError"
    expect(matchesRunbookFilter("FAILED to start")).toBe(true); // FAIL
    expect(matchesRunbookFilter("eRRor mixed case")).toBe(false);
    expect(matchesRunbookFilter("Database not configured but DATABASE_ENABLED=true")).toBe(false);
    expect(matchesRunbookFilter("GET /api/ready 200")).toBe(false);
    expect(matchesFilterPattern("", "anything")).toBe(true);
    expect(matchesFilterPattern("ERROR -timeout", "ERROR timeout")).toBe(false);
    expect(matchesFilterPattern('"connect ECONNREFUSED"', "Error: connect ECONNREFUSED 127.0.0.1:5432")).toBe(
      true,
    );
  });

  it("task id from the awslogs stream name", () => {
    expect(taskIdFromStream("ecs/control-center/0123456789abcdef0123456789abcdef")).toBe(
      "0123456789abcdef0123456789abcdef",
    );
    expect(taskIdFromStream("afu9/control-center/9e1f")).toBeUndefined();
    expect(taskIdFromStream("single")).toBeUndefined();
  });

  it("the runbook's log table", () => {
    const env = classifyLogLine(
      line(
        "Error: Environment variable DATABASE_PORT is not set\n    at Object.<anonymous> (/app/lib/db.js:15:11)",
      ),
    );
    expect(env?.id).toBe("env-var-not-set");
    expect(env?.variable).toBe("DATABASE_PORT");
    expect(env?.nextStep).toBe("→ Schritt 5.3");
    expect(env?.taskId).toBe("0123456789abcdef0123456789abcdef");
    const pw = classifyLogLine(line('FATAL: password authentication failed for user "afu9_admin"'));
    expect(pw?.id).toBe("db-password-auth-failed");
    expect(pw?.user).toBe("afu9_admin");
    expect(pw?.nextStep).toBe("→ Schritt 5.4");
    expect(classifyLogLine(line("Error: getaddrinfo ENOTFOUND null"))?.id).toBe("db-host-null");
    const refused = classifyLogLine(line("Error: connect ECONNREFUSED 127.0.0.1:5432"));
    expect(refused?.id).toBe("db-connection-refused");
    expect(refused?.host).toBe("127.0.0.1");
    expect(refused?.port).toBe("5432");
    expect(refused?.localhost).toBe(true);
    expect(refused?.nextStep).toBe("Network/Security Groups prüfen");
    expect(classifyLogLine(line("Database not configured but DATABASE_ENABLED=true"))?.nextStep).toBe(
      "→ Schritt 6",
    );
    expect(
      classifyLogLine(line("SyntaxError: Unexpected token 'h', \"host=db\" is not valid JSON"))?.id,
    ).toBe("secret-json-syntax");
    expect(classifyLogLine(line("GET /health 200"))).toBeUndefined();
    expect(classifyLogLine(line("Error: something else entirely"))?.id).toBe("error-other");
  });

  it("masks credentials in log findings", () => {
    const f = classifyLogLine(
      line("Error: connect failed postgres://afu9_admin:S3cr3tPw@db.internal:5432/afu9"),
    );
    expect(f?.masked).not.toContain("S3cr3tPw");
    expect(f?.text).not.toContain("S3cr3tPw");
  });

  it("analysis dedups by eventId and ranks", () => {
    const a = analyzeLogs([
      { ...line("Error: connect ECONNREFUSED 127.0.0.1:5432"), eventId: "1" },
      { ...line("Error: connect ECONNREFUSED 127.0.0.1:5432"), eventId: "1" },
      { ...line("Error: Environment variable DATABASE_HOST is not set"), eventId: "2" },
    ]);
    expect(a.findings).toHaveLength(2);
    expect(a.primary?.id).toBe("env-var-not-set");
    expect(a.filteredCount).toBe(2);
  });
});

describe("mask", () => {
  it("masks tokens and passwords", () => {
    const text = [
      "token ghp_abcdefghijklmnopqrstuvwxyz0123456789",
      "pat github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
      "openai sk-proj-abcdefghijklmnopqrstuvwx",
      "anthropic sk-ant-api03-abcdefghijklmnop",
      "aws AKIAIOSFODNN7EXAMPLE",
      "url postgres://afu9_admin:hunter2pass@db:5432/afu9",
      "kv password=hunter3pass; next",
      'json {"password": "hunter4pass", "host": "db"}',
    ].join("\n");
    const m = maskCredentials(text);
    for (const secret of [
      "abcdefghijklmnopqrstuvwxyz0123456789",
      "11ABCDEFG0123456789",
      "abcdefghijklmnopqrstuvwx",
      "api03-abcdefghijklmnop",
      "IOSFODNN7EXAMPLE",
      "hunter2pass",
      "hunter3pass",
      "hunter4pass",
    ])
      expect(m).not.toContain(secret);
    expect(m).toContain("ghp_***");
    expect(m).toContain("postgres://afu9_admin:***@db:5432/afu9");
    expect(m).toContain('"host": "db"');
  });

  it("redacts known values, also JSON-escaped; ignores very short ones", () => {
    const out = redactKnownValues('pw is pa"ss\\word and {"p":"pa\\"ss\\\\word"} port 1', [
      'pa"ss\\word',
      "1",
    ]);
    expect(out).toBe('pw is *** and {"p":"***"} port 1');
  });
});
