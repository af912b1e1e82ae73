import { describe, expect, it } from "vitest";
import { helpText, parseArgs, UsageError } from "../../source/cli/args.js";

const usage = (argv: string[], env = {}) => {
  try {
    parseArgs(argv, env);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(" ")}`);
};

describe("command line", () => {
  it("defaults to the runbook's Quick Setup values", () => {
    const o = parseArgs([]);
    expect(o).toMatchObject({
      command: "ui",
      region: "eu-central-1",
      stack: "Afu9EcsStack",
      networkStack: "Afu9NetworkStack",
      databaseStack: "Afu9DatabaseStack",
      cluster: "afu9-cluster",
      service: "afu9-control-center-stage",
      readOnly: false,
    });
  });

  it("reads the runbook's environment variables, and flags win over them", () => {
    const env = {
      AWS_REGION: "eu-west-1",
      SERVICE_NAME: "afu9-control-center-prod",
      CLUSTER_NAME: "c1",
      STACK_NAME: "S",
    };
    expect(parseArgs([], env)).toMatchObject({
      region: "eu-west-1",
      service: "afu9-control-center-prod",
      cluster: "c1",
      stack: "S",
    });
    expect(parseArgs(["--service", "other", "--region=us-east-1"], env)).toMatchObject({
      service: "other",
      region: "us-east-1",
    });
  });

  it("takes --sandbox with or without a scenario", () => {
    expect(parseArgs(["--sandbox"]).sandbox).toBe("");
    expect(parseArgs(["--sandbox", "db-secret-missing"]).sandbox).toBe("db-secret-missing");
    expect(parseArgs(["--sandbox", "--read-only"])).toMatchObject({ sandbox: "", readOnly: true });
    expect(parseArgs(["diagnose", "--sandbox", "healthy", "--json"])).toMatchObject({
      command: "diagnose",
      format: "json",
      sandbox: "healthy",
    });
  });

  it("ignores AWS_ENDPOINT_URL for the sandbox but refuses both flags", () => {
    expect(
      parseArgs(["--sandbox", "healthy"], { AWS_ENDPOINT_URL: "http://x:1" }).endpointUrl,
    ).toBeUndefined();
    expect(usage(["--sandbox", "--endpoint-url", "http://127.0.0.1:1"])).toMatch(/leave out --endpoint-url/);
  });

  it("names what is wrong and what is accepted", () => {
    expect(usage(["--regoin", "x"])).toBe(
      "unknown flag --regoin (did you mean --region?); run afu9-tui --help for the flags",
    );
    expect(usage(["--region"])).toBe("--region needs a value: --region REGION");
    expect(usage(["--region", "eu-centrl"])).toMatch(
      /"eu-centrl" is not an AWS region name \(e.g. eu-central-1\)/,
    );
    expect(usage(["--cluster", "bad name"])).toMatch(/not a valid cluster name/);
    expect(usage(["--stack", "9abc"])).toMatch(/not a valid stack name/);
    expect(usage(["--endpoint-url", "localhost"])).toMatch(/not a URL/);
    expect(usage(["diagnos"])).toMatch(/unknown command "diagnos" \(did you mean diagnose\?\)/);
    expect(usage(["--json"])).toMatch(/--json does not apply to afu9-tui; it is for afu9-tui diagnose/);
    expect(usage(["diagnose", "--json", "--markdown"])).toMatch(/exclude each other/);
    expect(usage(["fix"])).toMatch(/fix needs a FIX-ID: one of disable-database, database-secret/);
    expect(usage(["fix", "database-secrets"])).toMatch(
      /unknown fix "database-secrets" \(did you mean database-secret\?\)/,
    );
    expect(usage(["diagnose", "--sandbox"])).toMatch(/needs a scenario id/);
    expect(usage(["sandbox", "--host", "0.0.0.0"])).toMatch(/loopback only/);
    expect(usage(["sandbox", "--port", "70000"])).toMatch(/not a port number/);
    expect(usage(["--read-only=yes"])).toMatch(/takes no value/);
    expect(usage([], { AWS_REGION: "nowhere" })).toMatch(/^AWS_REGION \(environment\): "nowhere"/);
    expect(usage(["-x"])).toMatch(/unknown flag -x/);
    expect(usage(["--log-lines", "10"])).toMatch(/between 100 and 1000000/);
  });

  it("parses the fix and sandbox commands", () => {
    expect(
      parseArgs(["fix", "database-secret", "--dry-run", "--sandbox", "db-secret-missing"]),
    ).toMatchObject({
      command: "fix",
      fixId: "database-secret",
      dryRun: true,
    });
    expect(parseArgs(["sandbox", "--scenario", "healthy", "--port", "0", "--speed", "50"])).toMatchObject({
      command: "sandbox",
      scenario: "healthy",
      port: 0,
      speed: 50,
    });
  });

  it("sizes the log tail's ring buffer", () => {
    expect(parseArgs([]).logLines).toBe(5000);
    expect(parseArgs(["--log-lines", "20000"]).logLines).toBe(20000);
  });

  it("picks German from LANG or --lang", () => {
    expect(parseArgs([], { LANG: "de_DE.UTF-8" }).lang).toBe("de");
    expect(parseArgs(["--lang", "en"], { LANG: "de_DE.UTF-8" }).lang).toBe("en");
  });

  it("has help for every flag", () => {
    const h = helpText("1.0.0");
    for (const f of ["--region", "--sandbox [SCENARIO]", "--world FILE", "--read-only", "--endpoint-url URL"])
      expect(h).toContain(f);
  });
});
