// The sandbox's HTTP front: node:http on a loopback address only. Routes
//   POST with X-Amz-Target PREFIX.Op        → JSON 1.1 services (ECS, Secrets Manager, Logs)
//   POST form body Action=...&Version=...   → Query services (CloudFormation, IAM)
//   GET  /api/ready                         → the app behind the "load balancer"
//   /_sandbox/faults, /_sandbox/state       → run-time control (admin)
// Every answer carries x-amzn-RequestId. Errors take AWS's own shapes; nothing hangs, and no
// stack trace or request body (secret values) is ever written to a response or a log.

import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type Account, AwsError } from "./account.js";
import { addFault, checkFaultSpec, clearFaults, faultSummary, pickFault } from "./faults.js";
import { type Input, JSON_TARGETS, QUERY_VERSIONS, type ServiceId, type ServiceModule } from "./protocol.js";
import {
  EVENTSTREAM_CONTENT_TYPE,
  type EventSink,
  EventStreamResult,
  encodeExceptionEvent,
  encodeJsonEvent,
} from "./protocols/eventstream.js";
import {
  decodeJson,
  encodeJson,
  JSON_CONTENT_TYPE,
  jsonAwsError,
  jsonError,
  parseTarget,
} from "./protocols/json.js";
import {
  decodeForm,
  encodeQueryError,
  encodeQueryResponse,
  queryAwsError,
  XML_CONTENT_TYPE,
} from "./protocols/query.js";

export interface ServerContext {
  account: Account;
  modules: ServiceModule[];
  readyCheck: () => { status: number; body: unknown };
}

const MAX_BODY = 10 * 1024 * 1024;

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1" || h === "::ffff:127.0.0.1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The AWS service name in a SigV4 Authorization header's credential scope, and the key id. */
export function parseAuthorization(auth: string | undefined): { accessKeyId?: string; service?: string } {
  if (!auth) return {};
  const m = /Credential=([^/,\s]+)\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth);
  return m ? { accessKeyId: m[1], service: m[2] } : {};
}

export class SandboxServer {
  readonly http: http.Server;
  private ctx: ServerContext | undefined;
  private readonly streams = new Set<() => void>();
  private readonly sockets = new Set<Socket>();
  private closing = false;

  constructor() {
    this.http = http.createServer((req, res) => {
      this.handle(req, res).catch(() => {
        // Already answered or the socket is gone; never crash the process over one request.
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { "content-type": JSON_CONTENT_TYPE }).end('{"__type":"InternalFailure"}');
        }
      });
    });
    this.http.on("connection", (s: Socket) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    // A client that sends garbage gets a 400, not a hang.
    this.http.on("clientError", (_err, socket: Socket) => {
      if (socket.writable)
        socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      else socket.destroy();
    });
  }

  /** Binds to a loopback address; refuses anything else. Resolves with the bound port. */
  async listen(host = "127.0.0.1", port = 0): Promise<{ host: string; port: number }> {
    if (!isLoopback(host)) {
      throw new Error(
        `the sandbox listens on loopback addresses only (127.0.0.1, ::1, localhost), not "${host}": it is an unauthenticated fake AWS account`,
      );
    }
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.http.once("error", onError);
      this.http.listen(port, host, () => {
        this.http.off("error", onError);
        resolve();
      });
    });
    const addr = this.http.address() as AddressInfo;
    return { host, port: addr.port };
  }

  /** Event streams (live tails) currently open. */
  get activeStreams(): number {
    return this.streams.size;
  }

  attach(ctx: ServerContext): void {
    this.ctx = ctx;
  }

  /** Ends every event stream, drops idle keep-alive connections and stops listening. */
  async close(): Promise<void> {
    this.closing = true;
    for (const stop of [...this.streams]) stop();
    this.streams.clear();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeIdleConnections();
      // Anything still open after the streams ended (a half-sent request) is cut.
      setTimeout(() => {
        for (const s of this.sockets) s.destroy();
      }, 50).unref();
    });
  }

  // ------------------------------------------------------------------ routing

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = randomUUID();
    res.setHeader("x-amzn-RequestId", requestId);
    const url = new URL(req.url ?? "/", "http://sandbox");
    const ctx = this.ctx;
    if (!ctx || this.closing) {
      res.writeHead(503, { "content-type": "application/json", connection: "close" });
      res.end(JSON.stringify({ message: "the sandbox is not ready" }));
      return;
    }
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      const e = jsonError("SerializationException", "the request body is too large or was cut off", 400);
      res.writeHead(e.status, e.headers).end(e.body);
      return;
    }
    try {
      ctx.account.sync();
    } catch {
      const e = jsonError("InternalFailure", "the sandbox simulator failed", 500);
      res.writeHead(e.status, e.headers).end(e.body);
      return;
    }

    if (url.pathname.startsWith("/_sandbox/")) {
      this.admin(req, res, url, body, ctx);
      return;
    }
    if (req.method === "GET" && url.pathname === "/api/ready") {
      let r: { status: number; body: unknown };
      try {
        r = ctx.readyCheck();
      } catch {
        r = { status: 500, body: { ready: false, error: "ready check failed" } };
      }
      res.writeHead(r.status, { "content-type": "application/json" }).end(JSON.stringify(r.body));
      return;
    }

    const target = req.headers["x-amz-target"];
    const auth = parseAuthorization(req.headers.authorization);
    if (typeof target === "string" && target !== "")
      return this.json(req, res, target, body, ctx, requestId, auth.accessKeyId);
    const ctype = String(req.headers["content-type"] ?? "");
    if (req.method === "POST" && (ctype.includes("x-www-form-urlencoded") || /(^|&)Action=/.test(body))) {
      return this.query(req, res, body, ctx, requestId, auth);
    }
    if (req.method === "POST") {
      const e = jsonError("UnknownOperationException", undefined, 400);
      res.writeHead(e.status, e.headers).end(e.body);
      return;
    }
    res
      .writeHead(404, { "content-type": "application/json" })
      .end(JSON.stringify({ message: `no route for ${req.method} ${url.pathname}` }));
  }

  private module(ctx: ServerContext, service: ServiceId): ServiceModule | undefined {
    return ctx.modules.find((m) => m.service === service);
  }

  /** Faults, then the handler. Returns the handler's output or throws AwsError; "dropped" if the socket was cut. */
  private async invoke(
    req: http.IncomingMessage,
    ctx: ServerContext,
    service: ServiceId,
    operation: string,
    input: Input,
    requestId: string,
    accessKeyId: string | undefined,
  ): Promise<{ dropped: true } | { dropped: false; out: unknown }> {
    const mod = this.module(ctx, service);
    const handler = mod && Object.hasOwn(mod.ops, operation) ? mod.ops[operation] : undefined;
    if (!handler) throw new UnknownOperation();
    const fault = pickFault(ctx.account, service, operation, input, accessKeyId);
    if (fault.kind === "drop") {
      req.socket.destroy();
      return { dropped: true };
    }
    if (fault.kind === "error") throw fault.error;
    if (fault.kind === "latency") {
      await new Promise((r) => setTimeout(r, fault.ms));
      if (req.socket.destroyed) return { dropped: true };
      ctx.account.sync();
    }
    const out = await handler(input, { account: ctx.account, service, operation, requestId });
    return { dropped: false, out };
  }

  private async json(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    targetHeader: string,
    body: string,
    ctx: ServerContext,
    requestId: string,
    accessKeyId: string | undefined,
  ): Promise<void> {
    const send = (e: { status: number; headers: Record<string, string>; body: string }) => {
      res.writeHead(e.status, e.headers).end(e.body);
    };
    const target = parseTarget(targetHeader);
    const service = target ? JSON_TARGETS[target.prefix] : undefined;
    if (!target || !service) return send(jsonError("UnknownOperationException", undefined, 400));
    let input: Input;
    try {
      input = decodeJson(body) as Input;
    } catch {
      return send(
        jsonError("SerializationException", "Start of structure or map found where not expected.", 400),
      );
    }
    try {
      const r = await this.invoke(req, ctx, service, target.operation, input, requestId, accessKeyId);
      if (r.dropped) return;
      if (r.out instanceof EventStreamResult) return this.stream(req, res, r.out);
      res.writeHead(200, { "content-type": JSON_CONTENT_TYPE }).end(encodeJson(r.out));
    } catch (e) {
      if (e instanceof UnknownOperation) return send(jsonError("UnknownOperationException", undefined, 400));
      if (e instanceof AwsError) return send(jsonAwsError(e));
      return send(
        jsonError(
          "InternalFailure",
          "The request processing has failed because of an unknown error, exception or failure.",
          500,
        ),
      );
    }
  }

  private async query(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: string,
    ctx: ServerContext,
    requestId: string,
    auth: { accessKeyId?: string; service?: string },
  ): Promise<void> {
    const { action, version, input } = decodeForm(body);
    const fromAuth = auth.service === "cloudformation" || auth.service === "iam" ? auth.service : undefined;
    const service: ServiceId | undefined = fromAuth ?? (version ? QUERY_VERSIONS[version] : undefined);
    const sendXml = (status: number, xml: string) => {
      res.writeHead(status, { "content-type": XML_CONTENT_TYPE }).end(xml);
    };
    if (!action) {
      return sendXml(
        400,
        encodeQueryError(service ?? "", "MissingAction", "Missing Action", "Sender", requestId),
      );
    }
    if (!service) {
      return sendXml(
        400,
        encodeQueryError(
          "",
          "InvalidAction",
          `Could not find operation ${action} for version ${version ?? "NO_VERSION_SPECIFIED"}`,
          "Sender",
          requestId,
        ),
      );
    }
    try {
      const r = await this.invoke(req, ctx, service, action, input, requestId, auth.accessKeyId);
      if (r.dropped) return;
      sendXml(200, encodeQueryResponse(service, action, r.out, requestId));
    } catch (e) {
      if (e instanceof UnknownOperation) {
        return sendXml(
          400,
          encodeQueryError(
            service,
            "InvalidAction",
            `Could not find operation ${action} for version ${version ?? "NO_VERSION_SPECIFIED"}`,
            "Sender",
            requestId,
          ),
        );
      }
      if (e instanceof AwsError) return sendXml(e.status, queryAwsError(service, e, requestId));
      return sendXml(
        500,
        encodeQueryError(service, "InternalFailure", "An internal error occurred.", "Receiver", requestId),
      );
    }
  }

  private stream(req: http.IncomingMessage, res: http.ServerResponse, result: EventStreamResult): void {
    res.writeHead(200, { "content-type": EVENTSTREAM_CONTENT_TYPE, "transfer-encoding": "chunked" });
    res.flushHeaders();
    let closed = false;
    let stopProducer: (() => void) | undefined;
    const finish = () => {
      if (closed) return;
      closed = true;
      this.streams.delete(finish);
      stopProducer?.();
      if (!res.writableEnded) res.end();
    };
    const sink: EventSink = {
      send(eventType, payload) {
        if (!closed) res.write(encodeJsonEvent(eventType, payload));
      },
      fail(code, message) {
        if (!closed) res.write(encodeExceptionEvent(code, message));
        finish();
      },
      end: finish,
      get closed() {
        return closed;
      },
    };
    this.streams.add(finish);
    req.on("close", finish);
    res.on("close", finish);
    try {
      stopProducer = result.start(sink);
    } catch {
      sink.fail("SessionStreamingException", "The live tail session failed.");
    }
    if (closed) stopProducer?.();
  }

  private admin(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    body: string,
    ctx: ServerContext,
  ): boolean {
    const reply = (status: number, v: unknown): boolean => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(v));
      return true;
    };
    if (url.pathname === "/_sandbox/faults") {
      if (req.method === "POST") {
        let specs: unknown;
        try {
          specs = JSON.parse(body);
        } catch {
          return reply(400, { message: "the body is not JSON" });
        }
        try {
          const list = (Array.isArray(specs) ? specs : [specs]).map(checkFaultSpec);
          for (const f of list) addFault(ctx.account, f);
        } catch (e) {
          return reply(400, { message: (e as Error).message });
        }
        return reply(200, { faults: faultSummary(ctx.account) });
      }
      if (req.method === "DELETE") {
        clearFaults(ctx.account);
        return reply(200, { faults: [] });
      }
      if (req.method === "GET") return reply(200, { faults: faultSummary(ctx.account) });
    }
    if (url.pathname === "/_sandbox/state" && req.method === "GET")
      return reply(200, stateSummary(ctx.account));
    return reply(404, { message: `no admin route ${req.method} ${url.pathname}` });
  }
}

class UnknownOperation extends Error {}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error("too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
    req.on("aborted", () => reject(new Error("aborted")));
  });
}

/** GET /_sandbox/state: what the account holds, never a secret value. */
export function stateSummary(account: Account): unknown {
  const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
  return {
    account: account.id,
    region: account.region,
    now: iso(account.now()),
    speed: account.clock.speed,
    stacks: [...account.stacks.values()].map((s) => ({
      name: s.name,
      status: s.status,
      events: s.events.length,
    })),
    secrets: account.secrets.map((s) => ({
      name: s.name,
      arn: s.arn,
      deleted: s.deletedAt !== undefined,
      kmsKeyId: s.kmsKeyId,
      versions: s.versions.map((v) => ({
        versionId: v.versionId,
        stages: v.stages,
        createdAt: iso(v.createdAt),
      })),
      lastChangedAt: iso(s.lastChangedAt),
      lastAccessedAt: iso(s.lastAccessedAt),
    })),
    roles: [...account.roles.values()].map((r) => ({
      name: r.name,
      arn: r.arn,
      attachedPolicies: r.attachedPolicies,
      inlinePolicies: Object.keys(r.inlinePolicies),
    })),
    logGroups: [...account.logGroups.values()].map((g) => ({
      name: g.name,
      streams: [...g.streams.values()].map((s) => ({ name: s.name, events: s.events.length })),
    })),
    faults: faultSummary(account),
  };
}
