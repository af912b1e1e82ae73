// Sandbox helpers for the fix tests: a shipped scenario on a ManualClock, real SDK clients, the
// diagnosis, and a watch whose sleep advances the sandbox clock.

import { type Clients, createClients } from "../../source/aws/clients.js";
import { analyze } from "../../source/flow/analyze.js";
import { collect, type Evidence, type Target } from "../../source/flow/collect.js";
import { contextFromEvidence, type FixContext } from "../../source/flow/fixes.js";
import { ManualClock } from "../../source/sandbox/clock.js";
import { type Sandbox, startSandbox } from "../../source/sandbox/index.js";
import { loadScenario } from "../../source/sandbox/scenarios/index.js";
import type { World } from "../../source/sandbox/world.js";

export const T0 = Date.parse("2026-03-02T08:00:00Z");

export interface Env {
  sb: Sandbox;
  clock: ManualClock;
  clients: Clients;
  target: Target;
  world: World;
  close(): Promise<void>;
}

export async function scenario(id: string): Promise<Env> {
  const world = loadScenario(id);
  const clock = new ManualClock(T0);
  const sb = await startSandbox({ world: structuredClone(world), clock });
  const clients = createClients({
    region: sb.account.region,
    endpointUrl: sb.url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  const target: Target = {
    region: sb.account.region,
    cluster: "afu9-cluster",
    service: "afu9-control-center-stage",
    stack: "Afu9EcsStack",
    networkStack: "Afu9NetworkStack",
    databaseStack: "Afu9DatabaseStack",
  };
  return {
    sb,
    clock,
    clients,
    target,
    world,
    async close() {
      clients.destroy();
      await sb.close();
    },
  };
}

export async function diagnose(
  env: Env,
  cdk: { cdkDir?: string; hasCdkApp?: boolean } = {},
): Promise<{ evidence: Evidence; ctx: FixContext }> {
  const evidence = await collect(env.clients, env.target, { now: () => env.clock.now() });
  const verdict = analyze(evidence, false).verdict;
  return { evidence, ctx: contextFromEvidence(evidence, verdict, cdk) };
}

/** A watch sleep that moves the sandbox clock instead of waiting. */
export const clockSleep = (env: Env) => async (ms: number) => {
  env.clock.advance(ms);
};

/** Every secret value of a world (strings of 4+ characters), for leak scans. */
export function worldSecretValues(world: World, extra: string[] = []): string[] {
  const out: string[] = [...extra];
  for (const s of world.secrets ?? []) {
    const v = s.value as unknown;
    if (typeof v === "string") out.push(v);
    else if (v && typeof v === "object")
      for (const x of Object.values(v as Record<string, unknown>)) if (typeof x === "string") out.push(x);
  }
  // Values that are not secret (host names, ports, names) are shown on purpose.
  const notSecret =
    /^(\d+|afu9|afu9_admin|postgres|localhost|adaefler-art|codefactory-control)$|\.rds\.amazonaws\.com$/;
  return [...new Set(out)].filter((v) => v.length >= 4 && !notSecret.test(v));
}
