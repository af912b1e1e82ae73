// CloudWatch Logs (JSON 1.1): FilterLogEvents, GetLogEvents, DescribeLogStreams,
// DescribeLogGroups, and StartLiveTail as a real event stream that pushes lines as the
// simulator writes them.

import { type Account, AwsError, type LogEvent, type LogGroup, type LogStream } from "../account.js";
import { compileFilterPattern, FilterPatternError, type Matcher } from "../filter-pattern.js";
import type { Input, ServiceModule } from "../protocol.js";
import { EventStreamResult } from "../protocols/eventstream.js";
import { decodeToken, encodeToken, page } from "./paging.js";

const GROUP_MISSING = "The specified log group does not exist.";
const BAD_TOKEN = { code: "InvalidParameterException", message: "The specified nextToken is invalid." };

const invalid = (m: string) => new AwsError("InvalidParameterException", m);

/** A log group by name or ARN (with or without the trailing :*). */
export function findLogGroup(account: Account, id: string): LogGroup | undefined {
  const clean = id.endsWith(":*") ? id.slice(0, -2) : id;
  if (clean.startsWith("arn:")) return [...account.logGroups.values()].find((g) => g.arn === clean);
  return account.logGroups.get(clean);
}

function groupFrom(account: Account, input: Input): LogGroup {
  const name = typeof input.logGroupName === "string" ? input.logGroupName : undefined;
  const ident = typeof input.logGroupIdentifier === "string" ? input.logGroupIdentifier : undefined;
  if (name && ident) throw invalid("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
  const id = name ?? ident;
  if (!id) throw invalid("Either logGroupName or logGroupIdentifier must be specified.");
  const g = findLogGroup(account, id);
  if (!g) throw new AwsError("ResourceNotFoundException", GROUP_MISSING);
  return g;
}

function matcher(pattern: unknown): Matcher {
  try {
    return compileFilterPattern(typeof pattern === "string" ? pattern : undefined);
  } catch (e) {
    if (e instanceof FilterPatternError) throw invalid(e.message);
    throw e;
  }
}

function limitOf(v: unknown, def: number, max: number): number {
  if (v === undefined) return def;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > max) {
    throw invalid(
      `1 validation error detected: Value '${String(v)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${max}`,
    );
  }
  return v;
}

const inRange = (e: LogEvent, start?: number, end?: number) =>
  (start === undefined || e.timestamp >= start) && (end === undefined || e.timestamp <= end);

const num = (v: unknown) => (typeof v === "number" ? v : undefined);

/** Arrival order of an event (the sequence part of our event ids). */
export function arrivalSeq(e: LogEvent): number {
  return Number(e.eventId.slice(16));
}

function streamOut(s: LogStream) {
  const first = s.events[0];
  const last = s.events[s.events.length - 1];
  return {
    logStreamName: s.name,
    creationTime: s.createdAt,
    firstEventTimestamp: first?.timestamp,
    lastEventTimestamp: last?.timestamp,
    lastIngestionTime: last?.ingestionTime,
    arn: s.arn,
    storedBytes: 0,
  };
}

export function createLogs(): ServiceModule {
  return {
    service: "logs",
    ops: {
      FilterLogEvents(input: Input, { account }) {
        const g = groupFrom(account, input);
        const names = Array.isArray(input.logStreamNames) ? (input.logStreamNames as string[]) : undefined;
        const prefix = typeof input.logStreamNamePrefix === "string" ? input.logStreamNamePrefix : undefined;
        if (names && prefix !== undefined)
          throw invalid("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
        const match = matcher(input.filterPattern);
        const limit = limitOf(input.limit, 10_000, 10_000);
        const start = num(input.startTime);
        const end = num(input.endTime);
        const streams = [...g.streams.values()].filter(
          (s) => (!names || names.includes(s.name)) && (prefix === undefined || s.name.startsWith(prefix)),
        );
        let after: string | undefined;
        if (typeof input.nextToken === "string") {
          const c = decodeToken<{ a?: unknown }>(input.nextToken, BAD_TOKEN.code, BAD_TOKEN.message);
          if (typeof c.a !== "string") throw invalid(BAD_TOKEN.message);
          after = c.a;
        }
        // event ids sort by timestamp, then by arrival: a stable cursor across pages
        const all: LogEvent[] = [];
        for (const s of streams)
          for (const e of s.events)
            if (inRange(e, start, end) && (after === undefined || e.eventId > after)) all.push(e);
        all.sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
        const events: LogEvent[] = [];
        let more = false;
        for (const e of all) {
          if (!match(e.message)) continue;
          if (events.length === limit) {
            more = true;
            break;
          }
          events.push(e);
        }
        const lastEvent = events[events.length - 1];
        return {
          events: events.map((e) => ({
            logStreamName: e.logStreamName,
            timestamp: e.timestamp,
            message: e.message,
            ingestionTime: e.ingestionTime,
            eventId: e.eventId,
          })),
          searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: !more })),
          nextToken: more && lastEvent ? encodeToken({ a: lastEvent.eventId }) : undefined,
        };
      },

      GetLogEvents(input: Input, { account }) {
        const g = groupFrom(account, input);
        if (typeof input.logStreamName !== "string") throw invalid("logStreamName is required.");
        const s = g.streams.get(input.logStreamName);
        if (!s) throw new AwsError("ResourceNotFoundException", "The specified log stream does not exist.");
        const limit = limitOf(input.limit, 10_000, 10_000);
        const list = s.events.filter((e) => inRange(e, num(input.startTime), num(input.endTime)));
        let from: number;
        let to: number;
        const token = typeof input.nextToken === "string" ? input.nextToken : undefined;
        if (token) {
          const m = /^([fb])\/(\d+)$/.exec(token);
          if (!m) throw invalid("The specified nextToken is invalid.");
          const at = Math.min(Number(m[2]), list.length);
          if (m[1] === "f") {
            from = at;
            to = Math.min(at + limit, list.length);
          } else {
            to = at;
            from = Math.max(0, at - limit);
          }
        } else if (input.startFromHead === true) {
          from = 0;
          to = Math.min(limit, list.length);
        } else {
          to = list.length;
          from = Math.max(0, to - limit);
        }
        const pad = (n: number) => String(n).padStart(20, "0");
        return {
          events: list
            .slice(from, to)
            .map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
          nextForwardToken: `f/${pad(to)}`,
          nextBackwardToken: `b/${pad(from)}`,
        };
      },

      DescribeLogStreams(input: Input, { account }) {
        const g = groupFrom(account, input);
        const orderBy = input.orderBy === undefined ? "LogStreamName" : input.orderBy;
        if (orderBy !== "LogStreamName" && orderBy !== "LastEventTime") {
          throw invalid(
            `1 validation error detected: Value '${String(orderBy)}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LastEventTime, LogStreamName]`,
          );
        }
        const prefix = typeof input.logStreamNamePrefix === "string" ? input.logStreamNamePrefix : undefined;
        if (prefix !== undefined && orderBy === "LastEventTime") {
          throw invalid("Cannot order by LastEventTime with a logStreamNamePrefix.");
        }
        const limit = limitOf(input.limit, 50, 50);
        let streams = [...g.streams.values()].filter(
          (s) => prefix === undefined || s.name.startsWith(prefix),
        );
        if (orderBy === "LogStreamName")
          streams.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        else {
          const lastTs = (s: LogStream) => s.events[s.events.length - 1]?.timestamp ?? s.createdAt;
          streams.sort((a, b) => lastTs(a) - lastTs(b) || (a.name < b.name ? -1 : 1));
        }
        if (input.descending === true) streams = streams.reverse();
        const p = page(
          streams,
          limit,
          typeof input.nextToken === "string" ? input.nextToken : undefined,
          BAD_TOKEN,
        );
        return { logStreams: p.items.map(streamOut), nextToken: p.next };
      },

      DescribeLogGroups(input: Input, { account }) {
        const prefix = typeof input.logGroupNamePrefix === "string" ? input.logGroupNamePrefix : undefined;
        const pattern = typeof input.logGroupNamePattern === "string" ? input.logGroupNamePattern : undefined;
        if (prefix !== undefined && pattern !== undefined) {
          throw invalid("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        }
        const limit = limitOf(input.limit, 50, 50);
        const groups = [...account.logGroups.values()]
          .filter(
            (g) =>
              (prefix === undefined || g.name.startsWith(prefix)) &&
              (pattern === undefined || g.name.toLowerCase().includes(pattern.toLowerCase())),
          )
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const p = page(
          groups,
          limit,
          typeof input.nextToken === "string" ? input.nextToken : undefined,
          BAD_TOKEN,
        );
        return {
          logGroups: p.items.map((g) => ({
            logGroupName: g.name,
            creationTime: g.createdAt,
            retentionInDays: g.retentionInDays,
            metricFilterCount: 0,
            arn: `${g.arn}:*`,
            logGroupArn: g.arn,
            storedBytes: 0,
            logGroupClass: "STANDARD",
          })),
          nextToken: p.next,
        };
      },

      StartLiveTail(input: Input, { account, requestId }) {
        const ids = Array.isArray(input.logGroupIdentifiers)
          ? (input.logGroupIdentifiers as unknown[]).map(String)
          : [];
        if (ids.length === 0) throw invalid("logGroupIdentifiers must contain at least 1 item.");
        if (ids.length > 10) throw invalid("logGroupIdentifiers can contain at most 10 items.");
        const groups = ids.map((id) => {
          const g = findLogGroup(account, id);
          if (!g) throw new AwsError("ResourceNotFoundException", GROUP_MISSING);
          return { id, g };
        });
        const names = Array.isArray(input.logStreamNames) ? (input.logStreamNames as string[]) : undefined;
        const prefixes = Array.isArray(input.logStreamNamePrefixes)
          ? (input.logStreamNamePrefixes as string[])
          : undefined;
        if (names && prefixes)
          throw invalid("logStreamNames and logStreamNamePrefixes are mutually exclusive parameters.");
        if ((names || prefixes) && groups.length > 1) {
          throw invalid("logStreamNames and logStreamNamePrefixes can only be used with a single log group.");
        }
        const pattern = typeof input.logEventFilterPattern === "string" ? input.logEventFilterPattern : "";
        const match = matcher(pattern);
        const streamOk = (n: string) =>
          (!names || names.includes(n)) && (!prefixes || prefixes.some((p) => n.startsWith(p)));
        const sessionId = account.rng.uuid();
        return new EventStreamResult((sink) => {
          // Only lines that arrive after the session starts are tailed.
          let seen = 0;
          for (const { g } of groups)
            for (const s of g.streams.values())
              for (const e of s.events) seen = Math.max(seen, arrivalSeq(e));
          sink.send("sessionStart", {
            requestId,
            sessionId,
            logGroupIdentifiers: ids,
            logStreamNames: names,
            logStreamNamePrefixes: prefixes,
            logEventFilterPattern: pattern,
          });
          const tick = () => {
            try {
              account.sync();
            } catch {
              sink.fail("SessionStreamingException", "The live tail session failed.");
              return;
            }
            const fresh: { e: LogEvent; id: string }[] = [];
            let max = seen;
            for (const { id, g } of groups) {
              for (const s of g.streams.values()) {
                if (!streamOk(s.name)) continue;
                for (const e of s.events) {
                  const q = arrivalSeq(e);
                  if (q <= seen) continue;
                  if (q > max) max = q;
                  if (match(e.message)) fresh.push({ e, id });
                }
              }
            }
            seen = max;
            fresh.sort((a, b) => a.e.timestamp - b.e.timestamp || arrivalSeq(a.e) - arrivalSeq(b.e));
            const sampled = fresh.length > 500;
            const kept = sampled ? fresh.slice(fresh.length - 500) : fresh;
            sink.send("sessionUpdate", {
              sessionMetadata: { sampled },
              sessionResults: kept.map(({ e, id }) => ({
                logStreamName: e.logStreamName,
                logGroupIdentifier: id,
                message: e.message,
                timestamp: e.timestamp,
                ingestionTime: e.ingestionTime,
              })),
            });
          };
          const timer = setInterval(tick, LIVE_TAIL_INTERVAL_MS);
          return () => clearInterval(timer);
        });
      },
    },
  };
}

/** Real time between sessionUpdate events. */
export const LIVE_TAIL_INTERVAL_MS = 1000;
