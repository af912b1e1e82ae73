// The live log tail: StartLiveTail where it works (an event stream over HTTP/2 in AWS, HTTP/1.1
// against the sandbox); otherwise FilterLogEvents polling with an overlap window, deduplicated by
// event id, so no line is lost or shown twice. Lines come out in batches of our own LogLine type.
//
// StartLiveTail has no event ids; its lines get a synthetic id (stream|time|message) and so do the
// backlog lines fetched before it starts, so the two never show a line twice.

import type { LogLine } from "../diagnosis/model.js";
import type { Clients } from "./clients.js";
import { AwsProblem, call, toProblem } from "./errors.js";
import { filterLogs, taskIdOfStream } from "./logs.js";

export type TailMode = "live" | "polling";

export interface TailHandlers {
  /** A batch of new lines, oldest first. */
  onLines(lines: LogLine[]): void;
  /** The tail runs in this mode now; `reason` says why it is not live, when it fell back. */
  onMode?(mode: TailMode, reason?: string): void;
  /** A problem the tail cannot get past by itself (the log group does not exist, access denied). */
  onError?(problem: AwsProblem): void;
}

export interface TailOptions {
  /** How far back the backlog reaches (default 30 minutes, the runbook's --since 30m). */
  backlogMs?: number;
  /** Polling interval of the fallback (default 2 s). */
  pollMs?: number;
  /** How far each poll reaches back before the newest line seen (default 10 s). */
  overlapMs?: number;
  /** "polling" skips StartLiveTail (tests, networks without it). */
  prefer?: TailMode;
  now?: () => number;
  /** Backlog size (default 1000 lines). */
  backlogMax?: number;
}

export interface Tail {
  readonly mode: TailMode | undefined;
  stop(): void;
  /** Resolves when the tail has stopped (after stop() or a fatal error). */
  readonly done: Promise<void>;
}

export const syntheticId = (l: { stream: string; timestamp: Date | undefined; message: string }) =>
  `${l.stream}|${l.timestamp?.getTime() ?? 0}|${l.message}`;

/** Remembers event ids for a while, bounded. */
export class SeenIds {
  private readonly ids = new Map<string, number>();
  constructor(private readonly max = 20_000) {}
  /** True when the id was new. */
  add(id: string, t: number): boolean {
    if (this.ids.has(id)) return false;
    this.ids.set(id, t);
    if (this.ids.size > this.max) {
      const cut = this.ids.size - this.max;
      let i = 0;
      for (const k of this.ids.keys()) {
        if (i++ >= cut) break;
        this.ids.delete(k);
      }
    }
    return true;
  }
}

/** The log group's ARN (StartLiveTail wants ARNs); the name when it cannot be found out. */
async function groupArn(c: Clients, group: string): Promise<string> {
  const { DescribeLogGroupsCommand } = await import("@aws-sdk/client-cloudwatch-logs");
  const logs = await c.logs();
  const out = await call(
    "logs:DescribeLogGroups",
    () => logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group, limit: 5 })),
    c.target.profile,
  );
  const g = (out.logGroups ?? []).find((x) => x.logGroupName === group);
  if (!g)
    throw new AwsProblem(
      "not-found",
      `Log group ${group} does not exist`,
      "check --log-group",
      "ResourceNotFoundException",
      "logs:DescribeLogGroups",
    );
  return (g.logGroupArn ?? g.arn?.replace(/:\*$/, "")) || group;
}

/**
 * Starts tailing `group`. Fetches the backlog first, then streams. Never throws: problems go to
 * onError / onMode.
 */
export function startTail(c: Clients, group: string, h: TailHandlers, o: TailOptions = {}): Tail {
  const now = o.now ?? Date.now;
  const pollMs = o.pollMs ?? 2000;
  const overlapMs = o.overlapMs ?? 10_000;
  let stopped = false;
  let mode: TailMode | undefined;
  let abort: AbortController | undefined;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  const setMode = (m: TailMode, reason?: string) => {
    mode = m;
    h.onMode?.(m, reason);
  };

  const seen = new SeenIds();
  let newest = now() - (o.backlogMs ?? 30 * 60_000);

  const emit = (lines: LogLine[], synthetic: boolean) => {
    const fresh: LogLine[] = [];
    for (const l of lines) {
      const line = synthetic ? { ...l, eventId: syntheticId(l) } : l;
      const id = line.eventId ?? syntheticId(line);
      if (!seen.add(id, line.timestamp?.getTime() ?? 0)) continue;
      fresh.push(line);
      const t = line.timestamp?.getTime() ?? 0;
      if (t > newest) newest = t;
    }
    if (fresh.length > 0 && !stopped) h.onLines(fresh);
  };

  async function live(): Promise<"ended" | string> {
    const { StartLiveTailCommand } = await import("@aws-sdk/client-cloudwatch-logs");
    const logs = await c.logs();
    const arn = await groupArn(c, group);
    abort = new AbortController();
    const out = await call(
      "logs:StartLiveTail",
      () =>
        logs.send(new StartLiveTailCommand({ logGroupIdentifiers: [arn] }), { abortSignal: abort!.signal }),
      c.target.profile,
    );
    if (!out.responseStream) return "no event stream in the answer";
    setMode("live");
    for await (const ev of out.responseStream) {
      if (stopped) break;
      if (ev.sessionUpdate) {
        const lines: LogLine[] = (ev.sessionUpdate.sessionResults ?? []).map((r) => {
          const stream = r.logStreamName ?? "";
          return {
            timestamp: r.timestamp !== undefined ? new Date(r.timestamp) : undefined,
            stream,
            taskId: taskIdOfStream(stream),
            message: (r.message ?? "").replace(/\n$/, ""),
          };
        });
        emit(lines, true);
      } else if (ev.SessionTimeoutException) return "ended";
      else if (ev.SessionStreamingException) return ev.SessionStreamingException.message ?? "stream failed";
    }
    return "ended";
  }

  async function poll(): Promise<void> {
    while (!stopped) {
      try {
        const lines = await filterLogs(c, group, { startTime: newest - overlapMs, max: 2000 });
        emit(lines, false);
      } catch (e) {
        const p = e instanceof AwsProblem ? e : toProblem(e, "logs:FilterLogEvents", c.target.profile);
        h.onError?.(p);
        if (p.kind === "access-denied" || p.kind === "not-found") return;
      }
      await sleep(pollMs);
    }
  }

  const done = (async () => {
    // Backlog
    try {
      const backlog = await filterLogs(c, group, {
        startTime: newest,
        max: o.backlogMax ?? 1000,
      });
      emit(backlog, o.prefer !== "polling");
    } catch (e) {
      const p = e instanceof AwsProblem ? e : toProblem(e, "logs:FilterLogEvents", c.target.profile);
      h.onError?.(p);
      if (p.kind === "not-found" || p.kind === "access-denied") return;
    }
    if (stopped) return;
    if (o.prefer !== "polling") {
      // Live tail sessions end after 3 hours; start a new one then.
      while (!stopped) {
        let reason: string;
        try {
          reason = await live();
        } catch (e) {
          if (stopped) return;
          const p = e instanceof AwsProblem ? e : toProblem(e, "logs:StartLiveTail", c.target.profile);
          reason = p.line;
        }
        if (stopped) return;
        if (reason !== "ended") {
          // Lines may have arrived between the backlog and the failure: polling's overlap finds them.
          setMode("polling", reason);
          break;
        }
      }
    } else setMode("polling");
    await poll();
  })().catch((e) => {
    h.onError?.(e instanceof AwsProblem ? e : toProblem(e, "logs", c.target.profile));
  });

  return {
    get mode() {
      return mode;
    },
    stop() {
      stopped = true;
      abort?.abort();
      wake?.();
    },
    done,
  };
}
