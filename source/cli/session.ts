// Where the AWS calls go: the real account (flags, profile, default credential chain) or a sandbox
// started inside this process.

import { type Clients, createClients } from "../aws/clients.js";
import type { Target } from "../flow/collect.js";
import type { Options } from "./args.js";
import { UsageError } from "./args.js";

export interface Session {
  clients: Clients;
  target: Target;
  /** The scenario id or world file when running on the sandbox. */
  sandbox?: { label: string; url: string; close(): Promise<void> };
  close(): Promise<void>;
}

export function targetOf(opts: Options): Target {
  return {
    region: opts.region,
    profile: opts.profile,
    cluster: opts.cluster,
    service: opts.service,
    stack: opts.stack,
    networkStack: opts.networkStack,
    databaseStack: opts.databaseStack,
    logGroup: opts.logGroup,
  };
}

export async function openSession(opts: Options, scenario = opts.sandbox): Promise<Session> {
  const target = targetOf(opts);
  if (scenario === undefined && !opts.world) {
    const clients = createClients({
      region: opts.region,
      profile: opts.profile,
      endpointUrl: opts.endpointUrl,
    });
    return {
      clients,
      target,
      async close() {
        clients.destroy();
      },
    };
  }
  const [{ startSandbox }, { loadScenario, loadWorldFile }] = await Promise.all([
    import("../sandbox/index.js"),
    import("../sandbox/scenarios/index.js"),
  ]);
  let world: import("../sandbox/world.js").World;
  try {
    world = opts.world ? await loadWorldFile(opts.world) : loadScenario(scenario!);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const sb = await startSandbox({ world, port: 0, speed: opts.speed ?? 10 });
  const region = sb.account.region;
  const clients = createClients({
    region,
    endpointUrl: sb.url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 3,
  });
  const label = opts.world ?? scenario!;
  return {
    clients,
    target: { ...target, region, profile: undefined },
    sandbox: { label, url: sb.url, close: () => sb.close() },
    async close() {
      clients.destroy();
      await sb.close();
    },
  };
}
