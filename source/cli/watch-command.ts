// `afu9-tui watch [--deployment ID]`: follow one deployment until it is really done. Exit 0 only
// when it COMPLETED and /api/ready is ready; 1 when it failed, was rolled back (which
// `aws ecs wait services-stable` reports as success), was superseded, is not ready or timed out;
// 3 when it could not be watched.

import type { Clients } from "../aws/clients.js";
import { describeService } from "../aws/ecs.js";
import { AwsProblem } from "../aws/errors.js";
import { readyLines } from "../aws/ready.js";
import { maskCredentials } from "../diagnosis/mask.js";
import type { Target } from "../flow/collect.js";
import {
  pickDeployment,
  type WatchEvent,
  type WatchResult,
  watchDeployment,
  watchExitCode,
  watchSummaryLines,
} from "../flow/watch.js";
import type { Options } from "./args.js";
import { openSession } from "./session.js";

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

const hhmmss = () => new Date().toISOString().slice(11, 19);

/** A printer for watch events: one line per change, event and stopped task. */
export function watchPrinter(write: (line: string) => void): (e: WatchEvent) => void {
  let last = "";
  return (e) => {
    switch (e.type) {
      case "poll": {
        const s = e.snapshot;
        const line = s.found
          ? `${s.rolloutState ?? "?"}  running ${s.running}/${s.desired}  pending ${s.pending}  failed ${s.failed}`
          : "deployment not listed";
        if (line !== last) write(`[${hhmmss()}] ${line}`);
        last = line;
        break;
      }
      case "service-event":
        write(`  event: ${maskCredentials(e.event.message)}`);
        break;
      case "stopped-task": {
        const exits = e.task.containers
          .filter((k) => k.exitCode !== undefined || k.reason)
          .map(
            (k) => `${k.name} exit ${k.exitCode ?? "-"}${k.reason ? ` (${maskCredentials(k.reason)})` : ""}`,
          )
          .join(", ");
        write(
          `  stopped task ${e.task.taskId}${e.ours ? "" : " (older deployment)"}: ${maskCredentials(e.task.stoppedReason ?? "?")}${exits ? `; ${exits}` : ""}`,
        );
        break;
      }
      case "poll-error":
        write(`  (AWS did not answer: ${e.problem.message}; retrying)`);
        break;
      case "ready-check":
        for (const l of readyLines(e.result)) write(`  ${l}`);
        break;
      case "state":
      case "done":
        break;
    }
  };
}

export function watchIntervalMs(env: Record<string, string | undefined>): number | undefined {
  const v = Number(env.AFU9_WATCH_INTERVAL_MS);
  return Number.isFinite(v) && v >= 50 ? v : undefined;
}

export async function follow(
  clients: Clients,
  target: Target,
  deploymentId: string,
  timeoutSeconds: number,
  io: Io,
): Promise<WatchResult> {
  const write = (l: string) => io.stdout.write(`${l}\n`);
  write(
    `Watching deployment ${deploymentId} of ${target.cluster}/${target.service} (timeout ${timeoutSeconds} s)`,
  );
  const r = await watchDeployment(clients, {
    target,
    deploymentId,
    timeoutMs: timeoutSeconds * 1000,
    intervalMs: watchIntervalMs(io.env),
    onEvent: watchPrinter(write),
  });
  for (const l of watchSummaryLines(r)) write(maskCredentials(l));
  return r;
}

export async function watchCommand(opts: Options, io: Io): Promise<number> {
  let session: Awaited<ReturnType<typeof openSession>> | undefined;
  try {
    session = await openSession(opts);
    let id = opts.deploymentId;
    if (!id) {
      const s = await describeService(session.clients, session.target.cluster, session.target.service);
      const pick = pickDeployment(s);
      if (!pick) {
        io.stderr.write(`afu9-tui: ${session.target.service} has no deployments to watch\n`);
        return 3;
      }
      if (pick.note) io.stdout.write(`Note: ${pick.note}\n`);
      id = pick.deploymentId;
    }
    const r = await follow(session.clients, session.target, id, opts.timeoutSeconds, io);
    return watchExitCode(r);
  } catch (e) {
    if (e instanceof AwsProblem) {
      io.stderr.write(`afu9-tui: ${e.line}\n`);
      return 3;
    }
    throw e;
  } finally {
    await session?.close();
  }
}
