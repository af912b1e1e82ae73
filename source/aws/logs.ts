// CloudWatch Logs: filtered history (FilterLogEvents, paged) and the live tail (StartLiveTail with a
// polling fallback) in our own LogLine type.

import type { LogLine } from "../diagnosis/model.js";
import type { Clients } from "./clients.js";
import { AwsProblem, call } from "./errors.js";

/** awslogs stream names are PREFIX/CONTAINER/TASK_ID. */
export function taskIdOfStream(stream: string): string | undefined {
  const parts = stream.split("/");
  const last = parts[parts.length - 1] ?? "";
  return parts.length >= 3 && /^[0-9a-f]{32}$/.test(last) ? last : undefined;
}

export interface FilterOptions {
  startTime?: number;
  endTime?: number;
  filterPattern?: string;
  streamNames?: string[];
  /** Stop after this many lines (newest kept). */
  max?: number;
}

/** FilterLogEvents over all pages, oldest first. A missing log group gives an AwsProblem not-found. */
export async function filterLogs(c: Clients, group: string, o: FilterOptions = {}): Promise<LogLine[]> {
  const { FilterLogEventsCommand } = await import("@aws-sdk/client-cloudwatch-logs");
  const logs = await c.logs();
  const lines: LogLine[] = [];
  let token: string | undefined;
  const max = o.max ?? 2000;
  let pages = 0;
  do {
    const out = await call(
      "logs:FilterLogEvents",
      () =>
        logs.send(
          new FilterLogEventsCommand({
            logGroupName: group,
            startTime: o.startTime,
            endTime: o.endTime,
            filterPattern: o.filterPattern || undefined,
            logStreamNames: o.streamNames?.length ? o.streamNames : undefined,
            nextToken: token,
          }),
        ),
      c.target.profile,
    );
    for (const e of out.events ?? []) {
      const stream = e.logStreamName ?? "";
      lines.push({
        timestamp: e.timestamp !== undefined ? new Date(e.timestamp) : undefined,
        stream,
        taskId: taskIdOfStream(stream),
        message: (e.message ?? "").replace(/\n$/, ""),
        eventId: e.eventId,
      });
    }
    token = out.nextToken;
    pages++;
  } while (token && lines.length < max * 2 && pages < 50);
  lines.sort((a, b) => (a.timestamp?.getTime() ?? 0) - (b.timestamp?.getTime() ?? 0));
  return lines.length > max ? lines.slice(lines.length - max) : lines;
}

export function isMissingGroup(e: unknown): boolean {
  return e instanceof AwsProblem && e.code === "ResourceNotFoundException";
}
