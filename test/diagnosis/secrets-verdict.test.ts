import { describe, expect, it } from "vitest";
import { analyzeLogs } from "../../source/diagnosis/logs.js";
import type { SecretCheck, ServiceInfo, StoppedTask, TaskDefinition } from "../../source/diagnosis/model.js";
import { unchecked } from "../../source/diagnosis/model.js";
import {
  checkSecretKeys,
  databaseEnabledDecision,
  parseValueFrom,
  requiredSecrets,
} from "../../source/diagnosis/secrets.js";
import { analyzeService } from "../../source/diagnosis/service-events.js";
import { analyzeStoppedTasks } from "../../source/diagnosis/stopped-tasks.js";
import { decideVerdict, FIXES, SCENARIOS } from "../../source/diagnosis/verdict.js";

const ACCT = "123456789012";
const arn = (name: string, suffix = "AbCdEf") =>
  `arn:aws:secretsmanager:eu-central-1:${ACCT}:secret:${name}-${suffix}`;

describe("valueFrom", () => {
  it("parses names, full and partial ARNs, json keys and SSM", () => {
    expect(parseValueFrom("afu9/database")).toMatchObject({
      name: "afu9/database",
      isFullArn: false,
      secretId: "afu9/database",
    });
    expect(parseValueFrom(arn("afu9/database"))).toMatchObject({
      name: "afu9/database",
      arnSuffix: "AbCdEf",
      isFullArn: true,
      account: ACCT,
      region: "eu-central-1",
    });
    expect(parseValueFrom(`arn:aws:secretsmanager:eu-central-1:${ACCT}:secret:afu9/github`)).toMatchObject({
      name: "afu9/github",
      isFullArn: false,
    });
    const k = parseValueFrom(`${arn("afu9/database")}:password:AWSCURRENT:`);
    expect(k).toMatchObject({
      name: "afu9/database",
      jsonKey: "password",
      versionStage: "AWSCURRENT",
      secretId: arn("afu9/database"),
    });
    expect(k.versionId).toBeUndefined();
    expect(parseValueFrom(`${arn("afu9/llm")}:openai_api_key::v-123`)).toMatchObject({
      jsonKey: "openai_api_key",
      versionId: "v-123",
    });
    expect(parseValueFrom(`arn:aws:ssm:eu-central-1:${ACCT}:parameter/afu9/flag`)).toMatchObject({
      service: "ssm",
      name: "afu9/flag",
    });
  });
});

const td = (env: Record<string, string>, secrets: { name: string; valueFrom: string }[]): TaskDefinition => ({
  family: "afu9-control-center",
  revision: 7,
  arn: `arn:aws:ecs:eu-central-1:${ACCT}:task-definition/afu9-control-center:7`,
  executionRoleArn: `arn:aws:iam::${ACCT}:role/Afu9TaskExecutionRole`,
  containers: [
    {
      name: "control-center",
      image: `${ACCT}.dkr.ecr.eu-central-1.amazonaws.com/afu9:v9`,
      environment: Object.entries(env).map(([name, value]) => ({ name, value })),
      secrets,
    },
  ],
});

const DB_SECRETS = ["host", "port", "database", "username", "password"].map((k) => ({
  name: `DATABASE_${k === "username" ? "USER" : k === "database" ? "NAME" : k.toUpperCase()}`,
  valueFrom: `${arn("afu9/database")}:${k}::`,
}));
const GH = [{ name: "GITHUB_TOKEN", valueFrom: `${arn("afu9/github", "Gh1234")}:token::` }];

describe("required secrets and DATABASE_ENABLED", () => {
  it("merges the task definition's references with the runbook's structures", () => {
    const r = requiredSecrets(td({ DATABASE_ENABLED: "true" }, [...DB_SECRETS, ...GH]));
    const byName = Object.fromEntries(r.map((s) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(["afu9/database", "afu9/github", "afu9/llm"]);
    expect(byName["afu9/database"]?.requiredKeys).toEqual([
      "host",
      "port",
      "database",
      "username",
      "password",
    ]);
    expect(byName["afu9/database"]?.secretId).toBe(arn("afu9/database"));
    expect(byName["afu9/github"]?.requiredKeys).toEqual(["token", "owner", "repo"]);
    expect(byName["afu9/llm"]?.referenced).toBe(false);
    expect(byName["afu9/llm"]?.requiredKeys).toEqual([
      "openai_api_key",
      "anthropic_api_key",
      "deepseek_api_key",
    ]);
  });

  it("afu9/database only when DATABASE_ENABLED=true", () => {
    expect(requiredSecrets(td({ DATABASE_ENABLED: "false" }, GH)).map((s) => s.name)).not.toContain(
      "afu9/database",
    );
    // still listed when referenced, flagged as not expected
    const r = requiredSecrets(td({ DATABASE_ENABLED: "false" }, DB_SECRETS));
    expect(r.find((s) => s.name === "afu9/database")?.expectedByRunbook).toBe(false);
  });

  it("decision: true → 6.2, false → 6.1, missing → CDK code", () => {
    expect(databaseEnabledDecision(td({ DATABASE_ENABLED: "true" }, [])).fixSection).toBe("6.2");
    expect(databaseEnabledDecision(td({ DATABASE_ENABLED: "false" }, [])).fixSection).toBe("6.1");
    const m = databaseEnabledDecision(td({}, []));
    expect(m.value).toBe("missing");
    expect(m.text).toContain("CDK");
  });
});

describe("key check", () => {
  const VALUES = ["hunter2-very-secret", "db.cluster-xyz.eu-central-1.rds.amazonaws.com", "afu9_admin"];
  const value = JSON.stringify({ host: VALUES[1], username: VALUES[2], password: VALUES[0], port: "" });

  it("present and missing key names (jq has() needs every key)", () => {
    const c = checkSecretKeys(value, ["host", "port", "database", "username", "password"]);
    expect(c.presentKeys).toEqual(["host", "port", "username", "password"]);
    expect(c.missingKeys).toEqual(["database"]);
    expect(c.emptyKeys).toEqual(["port"]);
    expect(c.allKeys).toEqual(["host", "password", "port", "username"]);
  });

  it("never returns or embeds a value", () => {
    const outputs = [
      checkSecretKeys(value, ["host", "port", "database", "username", "password"]),
      checkSecretKeys(`{"password": "${VALUES[0]}", broken`, ["password"]),
      checkSecretKeys(`password=${VALUES[0]}`, ["password"]),
      checkSecretKeys(JSON.stringify(VALUES[0]), ["password"]),
    ];
    const text = JSON.stringify(outputs);
    for (const v of VALUES) expect(text).not.toContain(v);
    expect(text).not.toContain("hunter2");
    expect(outputs[1]?.problem).toMatch(/^not valid JSON/);
    expect(outputs[3]?.problem).toContain("a string");
  });
});

// ── Verdicts ──────────────────────────────────────────────────────────────────────────────

const now = Date.parse("2026-12-04T02:00:00Z");
const at = (m: number) => new Date(now + m * 60_000);
const S = "(service afu9-control-center-stage)";

function service(cb: "start" | "elb" | "ok"): ServiceInfo {
  const failed = cb !== "ok";
  return {
    serviceName: "afu9-control-center-stage",
    taskDefinition: "afu9:7",
    desiredCount: 1,
    runningCount: failed ? 0 : 1,
    pendingCount: 0,
    deployments: [
      {
        id: "ecs-svc/111",
        status: "PRIMARY",
        taskDefinition: "afu9:7",
        rolloutState: failed ? "FAILED" : "COMPLETED",
        ...(failed ? { rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start." } : {}),
        desiredCount: 1,
        runningCount: failed ? 0 : 1,
        pendingCount: 0,
        failedTasks: failed ? 10 : 0,
        createdAt: at(-30),
      },
    ],
    events:
      cb === "ok"
        ? [{ id: "1", createdAt: at(-1), message: `${S} has reached a steady state.` }]
        : [
            {
              id: "1",
              createdAt: at(-2),
              message: `${S} failed circuit breaker: tasks failed ${cb === "start" ? "to start" : "ELB health checks"}.`,
            },
          ],
  };
}

const stopped = (stoppedReason: string, exitCode?: number): StoppedTask => ({
  taskArn: `arn:aws:ecs:eu-central-1:${ACCT}:task/afu9-cluster/0123456789abcdef0123456789abcdef`,
  taskId: "0123456789abcdef0123456789abcdef",
  taskDefinitionArn: "afu9:7",
  startedBy: "ecs-svc/111",
  stoppedReason,
  containers: [{ name: "control-center", ...(exitCode !== undefined ? { exitCode } : {}) }],
});

const logs = (...messages: string[]) =>
  analyzeLogs(
    messages.map((message, i) => ({
      timestamp: at(-5),
      stream: "ecs/control-center/0123456789abcdef0123456789abcdef",
      message,
      eventId: String(i),
    })),
  );

const check = (name: string, over: Partial<SecretCheck> = {}): SecretCheck => ({
  ref: name,
  name,
  arn: arn(name),
  exists: true,
  deleted: false,
  isJson: true,
  requiredKeys: [],
  presentKeys: [],
  missingKeys: [],
  access: "allowed",
  ...over,
});

const RIE_NOT_FOUND =
  "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): ResourceNotFoundException: Secrets Manager can't find the specified secret.";
const DB_ON = td({ DATABASE_ENABLED: "true" }, [...DB_SECRETS, ...GH]);

describe("verdict", () => {
  it("Szenario 1: database secret missing → Fix 6.2", () => {
    const v = decideVerdict({
      service: analyzeService(service("start")),
      stoppedTasks: analyzeStoppedTasks([stopped(RIE_NOT_FOUND)]),
      logs: logs(),
      taskDefinition: DB_ON,
      secrets: [
        check("afu9/github"),
        check("afu9/llm"),
        check("afu9/database", { exists: false, isJson: undefined }),
      ],
    });
    expect(v.scenario).toBe("db-secret-missing");
    expect(v.fix).toBe("database-secret");
    expect(v.detail.secretName).toBe("afu9/database");
    expect(v.confidence).toBe("high");
    expect(v.evidence.map((e) => e.step)).toContain("stopped-tasks");
    expect(v.nextStep).toContain("6.2");
  });

  it("Szenario 1 with DATABASE_ENABLED=false → Fix 6.1", () => {
    const v = decideVerdict({
      stoppedTasks: analyzeStoppedTasks([stopped(RIE_NOT_FOUND)]),
      taskDefinition: td({ DATABASE_ENABLED: "false" }, [...DB_SECRETS, ...GH]),
      secrets: [check("afu9/database", { exists: false })],
    });
    expect(v.scenario).toBe("db-secret-missing");
    expect(v.fix).toBe("disable-database");
  });

  it("Szenario 2: database secret incomplete → Fix 6.2 with the missing keys", () => {
    const v = decideVerdict({
      service: analyzeService(service("start")),
      stoppedTasks: analyzeStoppedTasks([stopped("Essential container in task exited", 1)]),
      logs: logs("Error: Environment variable DATABASE_PORT is not set"),
      taskDefinition: td({ DATABASE_ENABLED: "true" }, GH),
      secrets: [
        check("afu9/database", {
          missingKeys: ["port"],
          presentKeys: ["host", "database", "username", "password"],
        }),
      ],
    });
    expect(v.scenario).toBe("db-secret-incomplete");
    expect(v.fix).toBe("database-secret");
    expect(v.detail.missingKeys).toEqual(["port"]);
  });

  it("Szenario 2 from the stopped reason's json key", () => {
    const v = decideVerdict({
      stoppedTasks: analyzeStoppedTasks([
        stopped(
          "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key port",
        ),
      ]),
      taskDefinition: DB_ON,
    });
    expect(v.scenario).toBe("db-secret-incomplete");
    expect(v.detail).toMatchObject({ secretName: "afu9/database", missingKeys: ["port"] });
  });

  it("Szenario 3: ECONNREFUSED and no database deployed → Fix 6.1", () => {
    const v = decideVerdict({
      service: analyzeService(service("elb")),
      stoppedTasks: analyzeStoppedTasks([stopped("Task failed ELB health checks")]),
      logs: logs("Error: connect ECONNREFUSED 127.0.0.1:5432"),
      taskDefinition: DB_ON,
      secrets: [check("afu9/database")],
      database: { deployed: false },
    });
    expect(v.scenario).toBe("db-enabled-not-needed");
    expect(v.fix).toBe("disable-database");
  });

  it("ECONNREFUSED with a deployed database is a network problem: unknown + manual step", () => {
    const v = decideVerdict({
      stoppedTasks: analyzeStoppedTasks([stopped("Task failed ELB health checks")]),
      logs: logs("Error: connect ECONNREFUSED 10.0.3.4:5432"),
      taskDefinition: DB_ON,
      database: { deployed: true, endpoint: "afu9.cluster-x.eu-central-1.rds.amazonaws.com" },
    });
    expect(v.scenario).toBe("unknown");
    expect(v.fix).toBeNull();
    expect(v.nextStep).toContain("Security Groups");
  });

  it("Szenario 4: wrong credentials → sync-db-credentials", () => {
    const v = decideVerdict({
      service: analyzeService(service("elb")),
      stoppedTasks: analyzeStoppedTasks([stopped("Task failed ELB health checks")]),
      logs: logs('FATAL: password authentication failed for user "afu9_admin"'),
      taskDefinition: DB_ON,
      secrets: [check("afu9/database")],
    });
    expect(v.scenario).toBe("db-credentials-wrong");
    expect(v.fix).toBe("sync-db-credentials");
  });

  it("GitHub and LLM secrets", () => {
    const gh = decideVerdict({
      stoppedTasks: analyzeStoppedTasks([stopped(RIE_NOT_FOUND)]),
      secrets: [check("afu9/github", { exists: false })],
    });
    expect([gh.scenario, gh.fix]).toEqual(["github-secret-missing", "github-secret"]);
    const llm = decideVerdict({
      stoppedTasks: analyzeStoppedTasks([stopped("Essential container in task exited", 1)]),
      logs: logs("Error: Environment variable ANTHROPIC_API_KEY is not set"),
    });
    expect([llm.scenario, llm.fix]).toEqual(["llm-secret-incomplete", "llm-secret"]);
    const ghInc = decideVerdict({ secrets: [check("afu9/github", { missingKeys: ["repo"] })] });
    expect([ghInc.scenario, ghInc.fix]).toEqual(["github-secret-incomplete", "github-secret"]);
    const llmMissing = decideVerdict({
      stoppedTasks: analyzeStoppedTasks([
        stopped(
          `${RIE_NOT_FOUND.replace("ResourceNotFound", `failed to fetch secret ${arn("afu9/llm")}: ResourceNotFound`)}`,
        ),
      ]),
    });
    expect([llmMissing.scenario, llmMissing.fix]).toEqual(["llm-secret-missing", "llm-secret"]);
  });

  it("access, KMS, not JSON, network, image, load balancer", () => {
    const rie =
      "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): ";
    expect(
      decideVerdict({
        stoppedTasks: analyzeStoppedTasks([
          stopped(
            `${rie}AccessDeniedException: User: arn:aws:sts::${ACCT}:assumed-role/Afu9TaskExecutionRole/x is not authorized to perform: secretsmanager:GetSecretValue on resource: ${arn("afu9/github")}`,
          ),
        ]),
      }),
    ).toMatchObject({
      scenario: "secret-access-denied",
      fix: null,
      detail: { roleName: "Afu9TaskExecutionRole", secretName: "afu9/github" },
    });
    expect(
      decideVerdict({
        stoppedTasks: analyzeStoppedTasks([
          stopped(`${rie}AccessDeniedException: Access to KMS is not allowed`),
        ]),
      }).scenario,
    ).toBe("kms-access-denied");
    expect(
      decideVerdict({
        stoppedTasks: analyzeStoppedTasks([
          stopped(`${rie}invalid character 'h' looking for beginning of value`),
        ]),
        secrets: [check("afu9/database", { isJson: false })],
      }),
    ).toMatchObject({ scenario: "secret-not-json", detail: { secretName: "afu9/database" } });
    expect(
      decideVerdict({
        stoppedTasks: analyzeStoppedTasks([
          stopped(`${rie}RequestCanceled: request context canceled caused by: context deadline exceeded`),
        ]),
      }).scenario,
    ).toBe("secrets-network-unreachable");
    expect(
      decideVerdict({
        stoppedTasks: analyzeStoppedTasks([
          stopped("CannotPullContainerError: pull image manifest has been retried 5 time(s): i/o timeout"),
        ]),
      }).scenario,
    ).toBe("image-pull-failed");
  });

  it("healthy", () => {
    const v = decideVerdict({
      service: analyzeService(service("ok")),
      stoppedTasks: analyzeStoppedTasks([]),
      logs: logs(),
    });
    expect(v.scenario).toBe("healthy");
    expect(v.fix).toBeNull();
  });

  it("a stopped reason naming a secret beats a guess from logs", () => {
    const v = decideVerdict({
      stoppedTasks: analyzeStoppedTasks([
        stopped(
          `${RIE_NOT_FOUND.replace("ResourceNotFound", `failed to fetch secret ${arn("afu9/github")}: ResourceNotFound`)}`,
        ),
        { ...stopped("Task failed ELB health checks"), taskId: "b".repeat(32) },
      ]),
      logs: logs('FATAL: password authentication failed for user "afu9_admin"'),
    });
    expect(v.scenario).toBe("github-secret-missing");
  });

  it("partial evidence: IAM not checked is reported, the verdict still comes", () => {
    const v = decideVerdict({
      stoppedTasks: analyzeStoppedTasks([stopped(RIE_NOT_FOUND)]),
      secrets: [check("afu9/database", { exists: false })],
      taskDefinition: DB_ON,
      role: unchecked("AccessDenied on iam:ListAttachedRolePolicies"),
      logs: unchecked("AccessDenied on logs:FilterLogEvents"),
    });
    expect(v.scenario).toBe("db-secret-missing");
    expect(v.notChecked.map((n) => n.step)).toEqual(["logs", "iam"]);
    expect(v.summary).toContain("iam:ListAttachedRolePolicies");
  });

  it("unknown says what was seen", () => {
    const v = decideVerdict({
      service: analyzeService(service("start")),
      stoppedTasks: analyzeStoppedTasks([stopped("Essential container in task exited", 2)]),
      logs: logs("Error: ENOSPC: no space left on device"),
    });
    expect(v.scenario).toBe("unknown");
    expect(v.summary).toContain("ENOSPC");
  });

  it("the catalog covers every id with a section and description", () => {
    for (const s of Object.values(SCENARIOS)) expect(s.description.length).toBeGreaterThan(10);
    expect(Object.keys(SCENARIOS)).toHaveLength(16);
    expect(Object.values(FIXES).map((f) => f.section)).toEqual(["6.1", "6.2", "6.3", "6.4", "Szenario 4"]);
  });
});
