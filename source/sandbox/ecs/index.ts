// The sandbox's ECS: the API handlers, the deployment simulator and the application behind the
// load balancer. `createEcs(account)` builds the simulator from the account's world (installing
// each service's first deployment and replaying its history up to "0s") and registers it with
// the account so `account.sync()` advances it.

import type { Account, Advanceable } from "../account.js";
import type { ServiceModule } from "../protocol.js";
import { createHandlers } from "./handlers.js";
import { EcsSimulator } from "./simulator.js";

export type { AppOutcome, ReadyAnswer } from "./app.js";
export { runApp } from "./app.js";
export * from "./messages.js";
export { parseValueFrom } from "./resources.js";
export type { Deployment, Service, Task, TaskDefinition } from "./simulator.js";
export { EcsSimulator, failureThreshold } from "./simulator.js";

export interface Ecs {
  module: ServiceModule;
  simulator: Advanceable;
  /** GET /api/ready as the application behind the load balancer answers it now. */
  readyCheck(serviceName?: string): { status: number; body: unknown };
  /** The simulator itself, for tests and the demo (state, task definitions, services). */
  sim: EcsSimulator;
}

export function createEcs(account: Account): Ecs {
  const sim = new EcsSimulator(account);
  account.addMover(sim);
  return {
    module: createHandlers(sim),
    simulator: sim,
    readyCheck: (serviceName?: string) => sim.readyCheck(serviceName),
    sim,
  };
}
