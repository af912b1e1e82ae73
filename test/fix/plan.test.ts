// Pure planning: the menu order, the key-level diff, the merge, placeholders instead of values.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import type { SecretSnapshot } from "../../source/aws/secret-writer.js";
import type { TaskDefinition } from "../../source/diagnosis/model.js";
import type { Verdict } from "../../source/diagnosis/verdict.js";
import { previewLines } from "../../source/flow/fix-preview.js";
import { buildPlan, diffKeys, type FixContext, fixMenu, PlanError, Sealed } from "../../source/flow/fixes.js";

const target = {
  region: "eu-central-1",
  cluster: "afu9-cluster",
  service: "afu9-control-center-stage",
  stack: "Afu9EcsStack",
  networkStack: "Afu9NetworkStack",
  databaseStack: "Afu9DatabaseStack",
};

const td: TaskDefinition = {
  family: "afu9-control-center",
  revision: 2,
  arn: "arn:aws:ecs:eu-central-1:123456789012:task-definition/afu9-control-center:2",
  containers: [
    {
      name: "control-center",
      image: "app:2",
      environment: [{ name: "DATABASE_ENABLED", value: "true" }],
      secrets: [
        {
          name: "GITHUB_TOKEN",
          valueFrom: "arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9/github:token::",
        },
        {
          name: "DATABASE_SECRET",
          valueFrom: "arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9/database",
        },
      ],
    },
  ],
};

function verdict(fix: Verdict["fix"], scenario: Verdict["scenario"] = "db-secret-incomplete"): Verdict {
  return {
    scenario,
    fix,
    summary: "",
    evidence: [],
    nextStep: "",
    confidence: "high",
    detail: {},
    notChecked: [],
  };
}

const ctx = (fix: Verdict["fix"], extra: Partial<FixContext> = {}): FixContext => ({
  target,
  verdict: verdict(fix),
  taskDefinition: td,
  databaseStack: {
    name: "Afu9DatabaseStack",
    stackId: "x",
    status: "CREATE_COMPLETE",
    outputs: { Afu9DbEndpoint: "db.example.rds.amazonaws.com", Afu9DbSecretArn: "arn:master" },
  },
  ...extra,
});

const PASSWORD = "Very-Secret-Master-Password-42";
const OLD_PASSWORD = "Old-Password-Not-Anymore-17";

const snap = (json: Record<string, unknown> | undefined, id = "afu9/database"): SecretSnapshot => ({
  id,
  exists: json !== undefined,
  name: id,
  arn: `arn:aws:secretsmanager:eu-central-1:123456789012:secret:${id}-AbCdEf`,
  versionId: json ? "v-1" : undefined,
  deleted: false,
  notJson: false,
  ...(json ? { json } : {}),
});
const master = snap({ username: "afu9_admin", password: PASSWORD, engine: "postgres" }, "arn:master");
let n = 0;
const token = () => `token-${++n}`;

describe("fix menu", () => {
  it("lists every fix once, the recommended one first", () => {
    const m = fixMenu(ctx("sync-db-credentials"));
    expect(m.map((e) => e.id)).toEqual([
      "sync-db-credentials",
      "disable-database",
      "database-secret",
      "github-secret",
      "llm-secret",
      "redeploy",
    ]);
    expect(m[0]!.recommended).toBe(true);
    expect(m.filter((e) => e.recommended)).toHaveLength(1);
  });
  it("without a recommendation keeps the runbook's order", () => {
    expect(fixMenu(ctx(null)).map((e) => e.id)[0]).toBe("disable-database");
  });
});

describe("key-level diff", () => {
  it("names added, changed and unchanged keys", () => {
    const d = diffKeys("s", { a: "1", b: "2", c: "3" }, { b: "2", c: "x", d: "4" });
    expect(d).toMatchObject({ create: false, added: ["d"], changed: ["c"], unchanged: ["a", "b"] });
  });
  it("a new secret: everything added", () => {
    expect(diffKeys("s", undefined, { a: "1" })).toMatchObject({ create: true, added: ["a"] });
  });
  it("a key to be typed later is added when missing, pending otherwise", () => {
    const d = diffKeys("s", { token: "t" }, {}, ["token", "repo"]);
    expect(d.added).toEqual(["repo"]);
    expect(d.pending).toEqual(["token", "repo"]);
  });
});

describe("database secret (6.2)", () => {
  it("merges: keys it does not set keep their values; the new value has all keys", () => {
    const current = snap({
      host: "db.example.rds.amazonaws.com",
      database: "afu9",
      username: "afu9_admin",
      password: PASSWORD,
      extra: "keep-me",
    });
    const plan = buildPlan("database-secret", ctx("database-secret"), { current, master, token });
    const w = plan.actions[0]!;
    expect(w.kind).toBe("write-secret");
    if (w.kind !== "write-secret") return;
    expect(w.diff.added).toEqual(["port"]);
    expect(w.diff.changed).toEqual([]);
    expect(w.diff.unchanged).toEqual(
      expect.arrayContaining(["host", "database", "username", "password", "extra"]),
    );
    const value = JSON.parse(w.value!.reveal());
    expect(value).toEqual({
      host: "db.example.rds.amazonaws.com",
      port: "5432",
      database: "afu9",
      username: "afu9_admin",
      password: PASSWORD,
      extra: "keep-me",
    });
    expect(plan.actions[1]).toMatchObject({ kind: "force-new-deployment", service: target.service });
    expect(plan.missingInputs).toEqual([]);
  });

  it("creates the secret with a ClientRequestToken made at planning time", () => {
    const plan = buildPlan("database-secret", ctx("database-secret"), {
      current: snap(undefined),
      master,
      token,
    });
    const w = plan.actions[0]!;
    expect(w.kind === "write-secret" && w.create).toBe(true);
    const tok = w.kind === "write-secret" ? w.token : "";
    expect(tok).toMatch(/^token-\d+$/);
    expect(plan.calls.join("\n")).toContain(`ClientRequestToken=${tok}`);
    expect(plan.cli.join("\n")).toContain(`--client-request-token ${tok}`);
  });

  it("without a readable master secret asks for username and password", () => {
    const plan = buildPlan("database-secret", ctx("database-secret"), { current: snap(undefined), token });
    expect(plan.missingInputs).toEqual(["username", "password"]);
    expect(plan.actions[0]!.kind === "write-secret" && plan.actions[0]!.value).toBeFalsy();
  });
});

describe("the preview never holds a value", () => {
  it("placeholders in the CLI, names in the diff; the plan does not serialise or inspect its values", () => {
    const current = snap({
      host: "h.rds.amazonaws.com",
      port: "5432",
      database: "afu9",
      username: "afu9_admin",
      password: OLD_PASSWORD,
    });
    const plan = buildPlan("sync-db-credentials", ctx("sync-db-credentials"), { current, master, token });
    const text = [
      previewLines(plan).join("\n"),
      JSON.stringify(plan),
      inspect(plan, { depth: 20 }),
      String(plan.actions[0] && (plan.actions[0] as { value?: Sealed }).value),
    ].join("\n");
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(OLD_PASSWORD);
    expect(text).toContain("<password from RDS master secret>");
    expect(text).toContain("~ changed:   password");
    // the merged value is really there, only sealed
    const w = plan.actions[0]!;
    expect(w.kind === "write-secret" && JSON.parse(w.value!.reveal()).password).toBe(PASSWORD);
  });

  it("typed values do not show either, and extra keys given count as asked-for changes", () => {
    const current = snap({ token: "ghp_old0000000000000000000000", owner: "o" }, "afu9/github");
    const values = new Map([
      ["repo", "typed-repo-value"],
      ["token", "ghp_typedTokenValue0000000000000000"],
    ]);
    const plan = buildPlan("github-secret", ctx("github-secret"), { current, values, token });
    const text = previewLines(plan).join("\n") + JSON.stringify(plan);
    expect(text).not.toContain("typed-repo-value");
    expect(text).not.toContain("ghp_typedTokenValue");
    expect(plan.diffs[0]).toMatchObject({ added: ["repo"], changed: ["token"], unchanged: ["owner"] });
  });

  it("a dropped Sealed value cannot be revealed", () => {
    const s = new Sealed({ a: "b" });
    s.drop();
    expect(() => s.reveal()).toThrow(/dropped/);
  });
});

describe("disable the database (6.1)", () => {
  it("with a CDK app: cdk deploy -c afu9-enable-database=false", () => {
    const plan = buildPlan("disable-database", ctx("disable-database", { cdkDir: "/app", hasCdkApp: true }), {
      token,
    });
    expect(plan.actions).toEqual([
      expect.objectContaining({
        kind: "cdk-deploy",
        args: expect.arrayContaining(["-c", "afu9-enable-database=false"]),
      }),
    ]);
    expect(plan.cli.join("\n")).toContain("npx cdk deploy Afu9EcsStack -c afu9-enable-database=false");
  });
  it("option A sets the top-level key of cdk.context.json, then deploys", () => {
    const plan = buildPlan("disable-database", ctx("disable-database", { cdkDir: "/app", hasCdkApp: true }), {
      token,
      disableMode: "cdk-context",
    });
    expect(plan.actions.map((a) => a.kind)).toEqual(["cdk-context", "cdk-deploy"]);
    expect(plan.actions[1]!.kind === "cdk-deploy" && plan.actions[1]!.args).not.toContain("-c");
  });
  it("without a CDK app: a task definition revision, and it says that this drifts from CDK", () => {
    const plan = buildPlan("disable-database", ctx("disable-database"), { token });
    expect(plan.actions[0]).toMatchObject({
      kind: "register-task-definition",
      environment: { DATABASE_ENABLED: "false" },
      removeSecrets: ["DATABASE_SECRET"],
    });
    expect(plan.actions[1]).toMatchObject({ kind: "force-new-deployment", taskDefinition: "registered" });
    expect(plan.notes.join(" ")).toMatch(/drifts from CDK/);
  });
  it("cdk without a CDK app is refused", () => {
    expect(() =>
      buildPlan("disable-database", ctx("disable-database"), { token, disableMode: "cdk-deploy" }),
    ).toThrow(PlanError);
  });
});

it("a fix other than the recommended one says so", () => {
  const plan = buildPlan("redeploy", ctx("sync-db-credentials"), { token });
  expect(plan.notes[0]).toMatch(/recommends sync-db-credentials/);
  expect(plan.actions).toEqual([expect.objectContaining({ kind: "force-new-deployment" })]);
});
