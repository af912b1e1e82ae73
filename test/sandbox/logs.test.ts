import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  StartLiveTailCommand,
  type StartLiveTailResponseStream,
} from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../source/sandbox/clock.js";
import { aws, baseWorld, creds, hasCli, region, start, T0 } from "./fixture.js";

type SB = Awaited<ReturnType<typeof start>>;
const GROUP = "/ecs/afu9/control-center";

describe("CloudWatch Logs over JSON 1.1", () => {
  let sb: SB;
  let logs: CloudWatchLogsClient;
  beforeAll(async () => {
    sb = await start(baseWorld());
    logs = new CloudWatchLogsClient({
      endpoint: sb.url,
      region,
      credentials: creds,
      maxAttempts: 1,
      disableHostPrefix: true,
    });
  });
  afterAll(async () => {
    logs.destroy();
    await sb.close();
  });

  const filter = async (filterPattern?: string) =>
    (await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern }))).events!.map(
      (e) => e.message,
    );

  it("filters with the real pattern syntax", async () => {
    expect(await filter()).toHaveLength(5);
    expect(await filter("Error")).toEqual(["Error: Environment variable DATABASE_PORT is not set"]);
    expect(await filter("error")).toEqual(['{"level":"error","code":500,"msg":"boom"}']);
    expect(await filter('"connection refused"')).toEqual(["connection refused by host"]);
    expect(await filter("?Error ?refused")).toEqual([
      "Error: Environment variable DATABASE_PORT is not set",
      "connection refused by host",
    ]);
    expect(await filter("?error ?Error ?ERROR ?exception ?Exception ?fail ?Fail ?FAIL")).toHaveLength(2);
    expect(await filter("Server -starting")).toEqual([]);
    expect(await filter('{ $.level = "error" }')).toEqual(['{"level":"error","code":500,"msg":"boom"}']);
    expect(await filter('{ $.level != "error" }')).toEqual(['{"level":"info","code":200,"msg":"ok"}']);
    expect(await filter("{ $.code = 200 }")).toEqual(['{"level":"info","code":200,"msg":"ok"}']);
    expect(await filter('{ $.code >= 500 && $.msg = "bo*" }')).toEqual([
      '{"level":"error","code":500,"msg":"boom"}',
    ]);
  });

  it("filters by stream, prefix and time, with an invalid pattern refused", async () => {
    const byStream = await logs.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: ["ecs/control-center/aaa"] }),
    );
    expect(byStream.events!.map((e) => e.logStreamName)).toEqual([
      "ecs/control-center/aaa",
      "ecs/control-center/aaa",
    ]);
    const byPrefix = await logs.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNamePrefix: "ecs/control-center/b" }),
    );
    expect(byPrefix.events).toHaveLength(3);
    const byTime = await logs.send(
      new FilterLogEventsCommand({
        logGroupIdentifier: GROUP,
        startTime: T0 - 8 * 60_000,
        endTime: T0 - 7 * 60_000,
      }),
    );
    expect(byTime.events!.map((e) => e.timestamp)).toEqual([T0 - 8 * 60_000, T0 - 7 * 60_000]);
    const bad = (await logs
      .send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '"unterminated' }))
      .catch((x: unknown) => x)) as { name: string };
    expect(bad.name).toBe("InvalidParameterException");
  });

  it("pages FilterLogEvents with limit and nextToken, in time order", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await logs.send(
        new FilterLogEventsCommand({ logGroupName: GROUP, limit: 2, nextToken: token }),
      );
      seen.push(...r.events!.map((e) => e.eventId!));
      token = r.nextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it("answers a missing log group with ResourceNotFoundException", async () => {
    const e = (await logs
      .send(new FilterLogEventsCommand({ logGroupName: "/nope" }))
      .catch((x: unknown) => x)) as {
      name: string;
      message: string;
    };
    expect(e.name).toBe("ResourceNotFoundException");
    expect(e.message).toBe("The specified log group does not exist.");
  });

  it("gets a stream's events with f/ and b/ tokens", async () => {
    const tail = await logs.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: "ecs/control-center/bbb", limit: 2 }),
    );
    expect(tail.events!.map((e) => e.message)).toEqual([
      '{"level":"info","code":200,"msg":"ok"}',
      "connection refused by host",
    ]);
    expect(tail.nextForwardToken).toMatch(/^f\//);
    expect(tail.nextBackwardToken).toMatch(/^b\//);
    const back = await logs.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: "ecs/control-center/bbb",
        limit: 2,
        nextToken: tail.nextBackwardToken,
      }),
    );
    expect(back.events!.map((e) => e.message)).toEqual(['{"level":"error","code":500,"msg":"boom"}']);
    const head = await logs.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: "ecs/control-center/bbb",
        limit: 1,
        startFromHead: true,
      }),
    );
    expect(head.events!.map((e) => e.message)).toEqual(['{"level":"error","code":500,"msg":"boom"}']);
    const fwd = await logs.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: "ecs/control-center/bbb",
        nextToken: head.nextForwardToken,
      }),
    );
    expect(fwd.events).toHaveLength(2);
    const end = await logs.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: "ecs/control-center/bbb",
        nextToken: fwd.nextForwardToken,
      }),
    );
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(fwd.nextForwardToken);
  });

  it("describes streams ordered by LastEventTime descending, and groups", async () => {
    sb.account.putLog(GROUP, "ecs/control-center/aaa", T0 - 60_000, "late line");
    const r = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: GROUP, orderBy: "LastEventTime", descending: true }),
    );
    expect(r.logStreams!.map((s) => s.logStreamName)).toEqual([
      "ecs/control-center/aaa",
      "ecs/control-center/bbb",
    ]);
    expect(r.logStreams![0]!.lastEventTimestamp).toBe(T0 - 60_000);
    const paged = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, limit: 1 }));
    expect(paged.logStreams!.map((s) => s.logStreamName)).toEqual(["ecs/control-center/aaa"]);
    const rest = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: GROUP, limit: 1, nextToken: paged.nextToken }),
    );
    expect(rest.logStreams!.map((s) => s.logStreamName)).toEqual(["ecs/control-center/bbb"]);
    expect(rest.nextToken).toBeUndefined();
    const g = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/ecs/" }));
    expect(g.logGroups!.map((x) => x.logGroupName)).toEqual([GROUP]);
    expect(g.logGroups![0]!.arn).toBe(`arn:aws:logs:eu-central-1:123456789012:log-group:${GROUP}:*`);
  });

  it("live-tails: sessionStart, then lines written after the session started", async () => {
    const arn = `arn:aws:logs:eu-central-1:123456789012:log-group:${GROUP}`;
    const ac = new AbortController();
    const res = await logs.send(
      new StartLiveTailCommand({ logGroupIdentifiers: [arn], logEventFilterPattern: "?ERROR ?FATAL" }),
      { abortSignal: ac.signal },
    );
    const events: StartLiveTailResponseStream[] = [];
    const got: string[] = [];
    let written = false;
    const deadline = Date.now() + 8000;
    for await (const ev of res.responseStream!) {
      events.push(ev);
      if (ev.sessionStart && !written) {
        expect(ev.sessionStart.logGroupIdentifiers).toEqual([arn]);
        sb.clock.advance(1000);
        sb.account.putLog(
          GROUP,
          "ecs/control-center/ccc",
          T0 + 1000,
          'FATAL: password authentication failed for user "afu9_admin"',
        );
        sb.account.putLog(GROUP, "ecs/control-center/ccc", T0 + 1001, "healthy");
        written = true;
      }
      for (const r of ev.sessionUpdate?.sessionResults ?? []) got.push(r.message!);
      if (ev.sessionUpdate) expect(ev.sessionUpdate.sessionMetadata?.sampled).toBe(false);
      if (got.length > 0 || Date.now() > deadline) break;
    }
    ac.abort();
    expect(events[0]?.sessionStart).toBeDefined();
    expect(got).toEqual(['FATAL: password authentication failed for user "afu9_admin"']);
  });

  it("samples a live-tail update to 500 lines when more arrive in one second", async () => {
    const res = await logs.send(new StartLiveTailCommand({ logGroupIdentifiers: [GROUP] }));
    let update: StartLiveTailResponseStream["sessionUpdate"];
    for await (const ev of res.responseStream!) {
      if (ev.sessionStart) {
        for (let i = 0; i < 600; i++)
          sb.account.putLog(GROUP, "ecs/control-center/burst", T0 + i, `line ${i}`);
      }
      if (ev.sessionUpdate) {
        update = ev.sessionUpdate;
        break;
      }
    }
    expect(update?.sessionMetadata?.sampled).toBe(true);
    expect(update?.sessionResults).toHaveLength(500);
    expect(update?.sessionResults?.[499]?.message).toBe("line 599");
    expect(update?.sessionResults?.[0]?.logGroupIdentifier).toBe(GROUP);
  });

  it("refuses live tail of a missing group", async () => {
    const e = (await logs
      .send(
        new StartLiveTailCommand({
          logGroupIdentifiers: ["arn:aws:logs:eu-central-1:123456789012:log-group:/nope"],
        }),
      )
      .catch((x: unknown) => x)) as { name: string; message: string };
    expect(e.name).toBe("ResourceNotFoundException");
    expect(e.message).toBe("The specified log group does not exist.");
  });

  it.skipIf(!hasCli)("works with aws logs filter-log-events and the runbook's filter pattern", async () => {
    const r = await aws(sb, [
      "logs",
      "filter-log-events",
      "--log-group-name",
      GROUP,
      "--filter-pattern",
      "?error ?Error ?ERROR ?exception ?Exception ?fail ?Fail ?FAIL",
      "--query",
      "events[].message",
      "--output",
      "json",
    ]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toContain("Error: Environment variable DATABASE_PORT is not set");
  });

  it.skipIf(!hasCli)(
    "serves the runbook's aws logs tail --since 30m --filter-pattern --format short",
    async () => {
      // aws logs tail measures --since against the real clock: run this world at real time
      const now = Date.now();
      const live = await start(baseWorld(), new ManualClock(now));
      try {
        live.account.putLog(GROUP, "ecs/control-center/zzz", now - 40 * 60_000, "Error: too old to show");
        const r = await aws(live, [
          "logs",
          "tail",
          GROUP,
          "--since",
          "30m",
          "--filter-pattern",
          "?error ?Error ?ERROR ?exception ?Exception ?fail ?Fail ?FAIL",
          "--format",
          "short",
        ]);
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        const lines = r.stdout.trim().split("\n");
        expect(lines).toHaveLength(2);
        expect(lines[0]).toMatch(
          /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d Error: Environment variable DATABASE_PORT is not set$/,
        );
        expect(lines[1]).toContain('"level":"error"');
      } finally {
        await live.close();
      }
    },
  );
});
