import { CloudWatchLogsClient, StartLiveTailCommand } from "@aws-sdk/client-cloudwatch-logs";
import { afterEach, describe, expect, it } from "vitest";
import { Account } from "../../source/sandbox/account.js";
import { ManualClock } from "../../source/sandbox/clock.js";
import { startSandbox } from "../../source/sandbox/index.js";
import { decodeMessages, encodeJsonEvent } from "../../source/sandbox/protocols/eventstream.js";
import { decodeForm, encodeQueryResponse } from "../../source/sandbox/protocols/query.js";
import { SandboxServer } from "../../source/sandbox/server.js";
import { createLogs } from "../../source/sandbox/services/logs.js";
import { aws, baseWorld, creds, hasCli, region, start, T0 } from "./fixture.js";

type SB = Awaited<ReturnType<typeof start>>;

describe("the sandbox server", () => {
  let sb: SB | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  const json = (s: SB, target: string, body: string) =>
    fetch(s.url, {
      method: "POST",
      headers: { "x-amz-target": target, "content-type": "application/x-amz-json-1.1" },
      body,
    });

  it("answers unknown JSON operations and bad JSON with AWS's error shapes and a request id", async () => {
    sb = await start();
    const r = await json(sb, "secretsmanager.NoSuchThing", "{}");
    expect(r.status).toBe(400);
    expect(r.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    expect(r.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await r.json()).toEqual({ __type: "UnknownOperationException" });
    const p = await json(sb, "NoSuchPrefix_2020.Describe", "{}");
    expect((await p.json()).__type).toBe("UnknownOperationException");
    const bad = await json(sb, "secretsmanager.GetSecretValue", "{not json");
    expect(bad.status).toBe(400);
    expect((await bad.json()).__type).toBe("SerializationException");
  });

  it("answers unknown Query actions with InvalidAction XML", async () => {
    sb = await start();
    const r = await fetch(sb.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=DeleteEverything&Version=2010-05-08",
    });
    expect(r.status).toBe(400);
    const text = await r.text();
    expect(text).toContain("<Type>Sender</Type><Code>InvalidAction</Code>");
    expect(text).toContain(
      "<Message>Could not find operation DeleteEverything for version 2010-05-08</Message>",
    );
    expect(r.headers.get("x-amzn-requestid")).toBeTruthy();
  });

  it("turns a handler's unexpected exception into 500 InternalFailure without its text", async () => {
    const server = new SandboxServer();
    const { port } = await server.listen("127.0.0.1", 0);
    const account = new Account(baseWorld(), new ManualClock(T0), `127.0.0.1:${port}`);
    server.attach({
      account,
      modules: [
        {
          service: "secretsmanager",
          ops: {
            Boom() {
              throw new Error("leaked-secret-value");
            },
          },
        },
      ],
      readyCheck: () => ({ status: 200, body: {} }),
    });
    try {
      const r = await fetch(`http://127.0.0.1:${port}`, {
        method: "POST",
        headers: { "x-amz-target": "secretsmanager.Boom" },
        body: "{}",
      });
      expect(r.status).toBe(500);
      const text = await r.text();
      expect(JSON.parse(text).__type).toBe("InternalFailure");
      expect(text).not.toContain("leaked");
    } finally {
      await server.close();
    }
  });

  it("serves /api/ready from the ECS simulator and syncs the account before every request", async () => {
    sb = await start();
    let syncs = 0;
    sb.account.addMover({ advanceTo: () => void syncs++ });
    const r = await fetch(`${sb.url}/api/ready`);
    const expected = sb.ecs.readyCheck();
    expect(r.status).toBe(expected.status);
    expect(await r.json()).toEqual(JSON.parse(JSON.stringify(expected.body)));
    await json(sb, "secretsmanager.DescribeSecret", '{"SecretId":"afu9/github"}');
    expect(syncs).toBe(2);
  });

  it("refuses to bind anything but a loopback address", async () => {
    await expect(startSandbox({ world: baseWorld(), host: "0.0.0.0" })).rejects.toThrow(/loopback/);
    sb = await start();
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sb.endpoint).toBe(sb.url.slice("http://".length));
  });

  it("ends live-tail streams when the server closes, without leaked timers", async () => {
    const s = await start();
    const logs = new CloudWatchLogsClient({
      endpoint: s.url,
      region,
      credentials: creds,
      maxAttempts: 1,
      disableHostPrefix: true,
    });
    const res = await logs.send(
      new StartLiveTailCommand({ logGroupIdentifiers: ["/ecs/afu9/control-center"] }),
    );
    const it = res.responseStream![Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.value?.sessionStart).toBeDefined();
    const t = Date.now();
    await s.close();
    // the stream ends (done or an error), it does not hang
    const ended = await Promise.race([
      (async () => {
        try {
          while (!(await it.next()).done) {}
        } catch {}
        return "ended";
      })(),
      new Promise((r) => setTimeout(() => r("hung"), 3000)),
    ]);
    expect(ended).toBe("ended");
    expect(Date.now() - t).toBeLessThan(3000);
    logs.destroy();
  });

  it("ends a live-tail session and its timer when the client goes away", async () => {
    const server = new SandboxServer();
    const { port } = await server.listen("127.0.0.1", 0);
    const account = new Account(baseWorld(), new ManualClock(T0), `127.0.0.1:${port}`);
    server.attach({ account, modules: [createLogs()], readyCheck: () => ({ status: 200, body: {} }) });
    const logs = new CloudWatchLogsClient({
      endpoint: `http://127.0.0.1:${port}`,
      region,
      credentials: creds,
      maxAttempts: 1,
      disableHostPrefix: true,
    });
    try {
      const ac = new AbortController();
      const res = await logs.send(
        new StartLiveTailCommand({ logGroupIdentifiers: ["/ecs/afu9/control-center"] }),
        {
          abortSignal: ac.signal,
        },
      );
      const it = res.responseStream![Symbol.asyncIterator]();
      expect((await it.next()).value?.sessionStart).toBeDefined();
      expect(server.activeStreams).toBe(1);
      ac.abort();
      logs.destroy();
      const until = Date.now() + 3000;
      while (server.activeStreams > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(server.activeStreams).toBe(0);
    } finally {
      logs.destroy();
      await server.close();
    }
  });

  it.skipIf(!hasCli)("answers the CLI's curl-free ready check through the ALB name output", async () => {
    sb = await start();
    const r = await aws(sb, [
      "cloudformation",
      "describe-stacks",
      "--stack-name",
      "Afu9NetworkStack",
      "--query",
      "Stacks[0].Outputs[?OutputKey==`LoadBalancerDNS`].OutputValue",
      "--output",
      "text",
    ]);
    const dns = r.stdout.trim();
    expect(dns).toBe(sb.endpoint);
    const ready = await fetch(`http://${dns}/api/ready`);
    expect(ready.status).toBe(sb.ecs.readyCheck().status);
  });
});

describe("wire codecs", () => {
  it("decodes Query lists and maps", () => {
    const { action, version, input } = decodeForm(
      "Action=SimulatePrincipalPolicy&Version=2010-05-08&ActionNames.member.2=b&ActionNames.member.1=a&Tags.member.1.Key=k&Tags.member.1.Value=v&Attrs.entry.1.key=x&Attrs.entry.1.value=y&Empty=",
    );
    expect([action, version]).toEqual(["SimulatePrincipalPolicy", "2010-05-08"]);
    expect(input).toEqual({
      ActionNames: ["a", "b"],
      Tags: [{ Key: "k", Value: "v" }],
      Attrs: { x: "y" },
      Empty: "",
    });
  });

  it("encodes XML with escaping, members and ISO timestamps", () => {
    const xml = encodeQueryResponse("iam", "GetThing", { A: "x<&>", L: ["1", "2"], T: new Date(0) }, "rid");
    expect(xml).toBe(
      '<GetThingResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetThingResult><A>x&lt;&amp;&gt;</A><L><member>1</member><member>2</member></L><T>1970-01-01T00:00:00.000Z</T></GetThingResult><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></GetThingResponse>\n',
    );
  });

  it("frames event-stream messages with valid CRCs", () => {
    const buf = Buffer.concat([
      encodeJsonEvent("sessionStart", { a: 1 }),
      encodeJsonEvent("sessionUpdate", { b: 2 }),
    ]);
    const msgs = decodeMessages(buf);
    expect(msgs.map((m) => m.headers[":event-type"])).toEqual(["sessionStart", "sessionUpdate"]);
    expect(JSON.parse(msgs[1]!.payload.toString())).toEqual({ b: 2 });
    buf[buf.length - 1] = buf[buf.length - 1]! ^ 1;
    expect(() => decodeMessages(buf)).toThrow(/CRC/);
  });
});
