// The sandbox: a fake AWS account on 127.0.0.1 that the real SDK clients and the AWS CLI talk
// to with an endpoint override. Listen first (so the endpoint is known: the ALB's DNS name in
// world strings), then build the account and the ECS simulator.

import { Account } from "./account.js";
import { type Clock, ScaledClock } from "./clock.js";
import { createEcs, type Ecs } from "./ecs/index.js";
import { addFault as addFaultTo, clearFaults as clearFaultsOf } from "./faults.js";
import { SandboxServer } from "./server.js";
import { createCloudFormation } from "./services/cloudformation.js";
import { createIam } from "./services/iam.js";
import { createLogs } from "./services/logs.js";
import { createSecretsManager } from "./services/secretsmanager.js";
import type { FaultSpec, World } from "./world.js";

export interface SandboxOptions {
  world: World;
  clock?: Clock;
  /** 0 = any free port (default). */
  port?: number;
  /** A loopback address (default 127.0.0.1); anything else is refused. */
  host?: string;
  /** Speed of the default ScaledClock (default 10). */
  speed?: number;
}

export interface Sandbox {
  /** http://127.0.0.1:PORT */
  url: string;
  /** 127.0.0.1:PORT */
  endpoint: string;
  account: Account;
  ecs: Ecs;
  addFault(f: FaultSpec): void;
  clearFaults(): void;
  close(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const server = new SandboxServer();
  const { host, port } = await server.listen(opts.host ?? "127.0.0.1", opts.port ?? 0);
  try {
    const hostPart = host.includes(":") ? `[${host}]` : host;
    const endpoint = `${hostPart}:${port}`;
    const start = opts.world.clockStart ? Date.parse(opts.world.clockStart) : Date.now();
    const clock = opts.clock ?? new ScaledClock(start, opts.speed ?? 10);
    const account = new Account(opts.world, clock, endpoint);
    const ecs = createEcs(account);
    account.addMover(ecs.simulator);
    server.attach({
      account,
      modules: [ecs.module, createSecretsManager(), createLogs(), createCloudFormation(), createIam()],
      readyCheck: () => ecs.readyCheck(),
    });
    return {
      url: `http://${endpoint}`,
      endpoint,
      account,
      ecs,
      addFault: (f) => addFaultTo(account, f),
      clearFaults: () => clearFaultsOf(account),
      close: () => server.close(),
    };
  } catch (e) {
    await server.close();
    throw e;
  }
}

export { AwsError } from "./account.js";
export type { FaultSpec, World } from "./world.js";
