// The shipped scenarios: stable ids, valid worlds with the runbook's names, and each one's
// simulated history shows what its id promises.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Account } from "../../source/sandbox/account.js";
import { ManualClock } from "../../source/sandbox/clock.js";
import { createEcs } from "../../source/sandbox/ecs/index.js";
import {
  loadScenario,
  loadWorldFile,
  SCENARIO_IDS,
  SCENARIOS,
} from "../../source/sandbox/scenarios/index.js";
import { WorldError } from "../../source/sandbox/world.js";

const IDS = [
  "healthy",
  "db-secret-missing",
  "db-secret-incomplete",
  "db-enabled-not-needed",
  "db-credentials-wrong",
  "github-secret-missing",
  "github-secret-incomplete",
  "llm-secret-missing",
  "llm-secret-incomplete",
  "secret-access-denied",
  "kms-access-denied",
  "secret-not-json",
  "secrets-network-unreachable",
  "image-pull-failed",
  "load-balancer-misconfigured",
];
const FIXES = new Set([
  "disable-database",
  "database-secret",
  "github-secret",
  "llm-secret",
  "sync-db-credentials",
]);

describe("scenario catalogue", () => {
  it("ships the stable ids with descriptions", () => {
    expect(SCENARIO_IDS).toEqual(IDS);
    for (const s of SCENARIOS) expect(s.description.length).toBeGreaterThan(10);
  });

  it("rejects an unknown id listing the valid ones", () => {
    expect(() => loadScenario("db-secret-mising")).toThrow(
      /unknown scenario "db-secret-mising"; valid scenarios: healthy, db-secret-missing/,
    );
  });

  it("returns a fresh copy each time", () => {
    const a = loadScenario("healthy");
    a.services[0]!.desiredCount = 99;
    expect(loadScenario("healthy").services[0]!.desiredCount).toBe(1);
  });

  it("loads a user's world file and names the problem in a broken one", () => {
    const dir = mkdtempSync(join(tmpdir(), "afu9-world-"));
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify(loadScenario("healthy")));
    expect(loadWorldFile(good).cluster).toBe("afu9-cluster");
    const bad = join(dir, "bad.json");
    const w = loadScenario("healthy") as unknown as Record<string, unknown>;
    (w.services as Record<string, unknown>[])[0]!.taskDefinition = "afu9-control-center:7";
    writeFileSync(bad, JSON.stringify(w));
    expect(() => loadWorldFile(bad)).toThrow(WorldError);
    expect(() => loadWorldFile(bad)).toThrow(
      /\$\.services\[0\]\.taskDefinition: no task definition afu9-control-center:7/,
    );
    expect(() => loadWorldFile(join(dir, "missing.json"))).toThrow(/cannot read world file/);
  });
});

describe.each(IDS)("scenario %s", (id) => {
  it("has the runbook's names and an expectation", () => {
    const w = loadScenario(id);
    expect(w.expect?.scenario).toBe(id);
    expect(w.expect?.fix === null || FIXES.has(String(w.expect?.fix))).toBe(true);
    expect(w.cluster).toBe("afu9-cluster");
    expect(w.services.map((s) => s.name)).toEqual(["afu9-control-center-stage", "afu9-control-center-prod"]);
    const stacks = (w.stacks ?? []).map((s) => s.name);
    expect(stacks).toContain("Afu9EcsStack");
    expect(stacks).toContain("Afu9NetworkStack");
    expect(w.stacks?.find((s) => s.name === "Afu9NetworkStack")?.outputs?.LoadBalancerDNS).toBe(
      "{{endpoint}}",
    );
    expect(w.stacks?.find((s) => s.name === "Afu9EcsStack")?.outputs?.TaskExecutionRoleArn).toMatch(
      /:role\//,
    );
    if (w.database) {
      const db = w.stacks?.find((s) => s.name === "Afu9DatabaseStack")?.outputs;
      expect(db?.Afu9DbEndpoint).toBe(w.database.endpoint);
      expect(db?.Afu9DbSecretArn).toBe(`{{secretArn:${w.database.masterSecret}}}`);
    }
    for (const td of w.taskDefinitions) {
      expect(td.family).toBe("afu9-control-center");
      const c = td.containerDefinitions[0]!;
      expect(c.environment?.some((e) => e.name === "DATABASE_ENABLED")).toBe(true);
      expect(c.logConfiguration?.options?.["awslogs-group"]).toBe("/ecs/afu9/control-center");
    }
  });

  it("its history ends as the id says, without a secret value in any log line", () => {
    const clock = new ManualClock(Date.parse("2026-03-02T08:00:00Z"));
    const account = new Account(loadScenario(id), clock, "127.0.0.1:4599");
    const ecs = createEcs(account);
    const stage = ecs.sim.services.get("afu9-control-center-stage")!;
    const messages = stage.events.map((e) => e.message);
    const tripped = messages.some((m) => m.includes("failed circuit breaker"));
    expect(tripped).toBe(id !== "healthy" && id !== "load-balancer-misconfigured");
    expect(stage.deployments.at(0)?.rolloutState).toBe("COMPLETED");
    expect(ecs.readyCheck().status).toBe(200);
    const values = account.secrets
      .flatMap((s) => s.versions.map((v) => v.secretString ?? ""))
      .flatMap((text) => {
        try {
          return Object.values(JSON.parse(text) as Record<string, unknown>).map(String);
        } catch {
          return [text];
        }
      })
      .filter((v) => /sandbox|FAKE|sk-|ghp_/.test(v));
    expect(values.length).toBeGreaterThan(0);
    const lines = [...account.logGroups.values()].flatMap((g) =>
      [...g.streams.values()].flatMap((s) => s.events),
    );
    for (const l of lines) for (const v of values) expect(l.message.includes(v)).toBe(false);
  });
});
