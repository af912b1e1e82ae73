// Test helpers: a sandbox with real SDK clients pointed at it.
import { type Clients, createClients } from "../../source/aws/clients.js";
import type { Target } from "../../source/flow/collect.js";
import { ManualClock } from "../../source/sandbox/clock.js";
import { type Sandbox, startSandbox } from "../../source/sandbox/index.js";
import { loadScenario } from "../../source/sandbox/scenarios/index.js";
import type { World } from "../../source/sandbox/world.js";

export const T0 = Date.parse("2026-12-04T02:00:00Z");

export interface Harness {
  sandbox: Sandbox;
  clients: Clients;
  target: Target;
  clock: ManualClock;
  close(): Promise<void>;
}

export const defaultTarget = (region = "eu-central-1"): Target => ({
  region,
  cluster: "afu9-cluster",
  service: "afu9-control-center-stage",
  stack: "Afu9EcsStack",
  networkStack: "Afu9NetworkStack",
  databaseStack: "Afu9DatabaseStack",
});

export async function harness(world: World | string): Promise<Harness> {
  const w = typeof world === "string" ? loadScenario(world) : world;
  const clock = new ManualClock(T0);
  const sandbox = await startSandbox({ world: w, clock });
  const clients = createClients({
    region: sandbox.account.region,
    endpointUrl: sandbox.url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 2,
  });
  return {
    sandbox,
    clients,
    clock,
    target: defaultTarget(sandbox.account.region),
    async close() {
      clients.destroy();
      await sandbox.close();
    },
  };
}

/**
 * The credential values of a world, to search outputs for: every value under a key that names a
 * credential (password, token, *_key, secret), every non-JSON secret string, and every other JSON
 * leaf of 16+ characters that appears nowhere else in the world (so not a host name that is also a
 * stack output). Plain configuration such as the port 5432 or the database name is not secret.
 */
export function secretValues(world: World): string[] {
  const outside = JSON.stringify({ ...world, secrets: undefined });
  const out = new Set<string>();
  const leaf = (key: string, v: unknown) => {
    if (typeof v === "string" && v.length >= 4) {
      if (/pass|token|key|secret|credential/i.test(key)) out.add(v);
      else if (v.length >= 16 && !outside.includes(v)) out.add(v);
    } else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) leaf(k, x);
  };
  for (const s of world.secrets ?? []) {
    if (typeof s.value === "string") {
      try {
        const parsed: unknown = JSON.parse(s.value);
        if (parsed && typeof parsed === "object") leaf("", parsed);
        else out.add(s.value);
      } catch {
        out.add(s.value);
      }
    } else if (s.value) leaf("", s.value);
  }
  return [...out];
}
