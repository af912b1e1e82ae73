// The application behind the load balancer: a model of the afu9 control-center (a Node app).
// It reads its environment (task definition environment + injected secrets) the way the real
// app does, and decides what it logs, whether it crashes at startup and what /api/ready answers.
// It never logs a secret value: only key names, hosts, ports and user names.

import type { Account } from "../account.js";

export interface ReadyAnswer {
  status: number;
  body: unknown;
}

export type AppOutcome =
  /** The process exits during startup. */
  | { kind: "crash"; lines: string[]; exitCode: number }
  /** The process listens; `healthy` says whether /api/ready answers 200. */
  | {
      kind: "serving";
      healthy: boolean;
      startLines: string[];
      /** Logged on every failing ready check (health check). */
      failLines: string[];
      /** Logged every heartbeat while healthy. */
      heartbeatLine: string;
      ready: ReadyAnswer;
    };

const DB_FIELDS: [string, string, string[]][] = [
  // env var, line in /app/lib/db.js, keys in a whole-secret JSON
  ["DATABASE_HOST", "14", ["host"]],
  ["DATABASE_PORT", "15", ["port"]],
  ["DATABASE_NAME", "16", ["database", "dbname"]],
  ["DATABASE_USER", "17", ["username", "user"]],
  ["DATABASE_PASSWORD", "18", ["password"]],
];

function missingVar(name: string, line: string): string[] {
  return [
    `/app/lib/db.js:${line}`,
    `    throw new Error(\`Environment variable ${name} is not set\`);`,
    "    ^",
    "",
    `Error: Environment variable ${name} is not set`,
    `    at Object.<anonymous> (/app/lib/db.js:${line}:11)`,
    "    at Module._compile (node:internal/modules/cjs/loader:1256:14)",
    "    at Module.load (node:internal/modules/cjs/loader:1119:32)",
    "    at Module._load (node:internal/modules/cjs/loader:960:12)",
    "    at Module.require (node:internal/modules/cjs/loader:1143:19)",
    "    at require (node:internal/modules/cjs/helpers:119:18)",
    "    at Object.<anonymous> (/app/server.js:8:12)",
    "",
    "Node.js v20.11.1",
  ];
}

const LOCALHOST = new Set(["localhost", "127.0.0.1", "::1", "0.0.0.0"]);

/** Decides how the app behaves with this environment, against the account's current database. */
export function runApp(env: Record<string, string>, account: Account): AppOutcome {
  const port = env.PORT ?? "3000";
  const banner = [
    "> afu9-control-center@0.9.4 start",
    "> node server.js",
    "",
    `[afu9] AFU-9 Control Center starting (NODE_ENV=${env.NODE_ENV ?? "production"})`,
  ];
  const listening = `[afu9] Server listening on http://0.0.0.0:${port}`;
  if (env.GITHUB_TOKEN === undefined)
    banner.push("[github] WARN GITHUB_TOKEN not set; GitHub integration disabled");
  const llmKeys = ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "DEEPSEEK_API_KEY"].filter(
    (k) => env[k] !== undefined,
  );
  banner.push(
    llmKeys.length > 0
      ? `[llm] providers configured: ${llmKeys.length}`
      : "[llm] WARN no LLM provider key set",
  );

  const enabled = (env.DATABASE_ENABLED ?? "false").toLowerCase() === "true";
  if (!enabled) {
    return serving(
      banner.concat("[db] Database disabled in configuration (DATABASE_ENABLED=false)", listening),
      {
        status: "not_configured",
        message: "Database disabled in configuration",
      },
    );
  }

  // Configuration: a whole-secret JSON in DATABASE_SECRET, else single variables.
  const cfg: Record<string, string | undefined> = {};
  const whole = env.DATABASE_SECRET;
  if (whole !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(whole);
    } catch (e) {
      const pos = /position (\d+)/.exec((e as Error).message)?.[1] ?? "0";
      return crash(
        banner.concat(
          "/app/lib/config.js:22",
          "  const db = JSON.parse(process.env.DATABASE_SECRET);",
          "                  ^",
          "",
          // Node prints a snippet of the input; the model prints only the position (no secret text).
          `SyntaxError: Unexpected token in JSON at position ${pos}`,
          "    at JSON.parse (<anonymous>)",
          "    at loadDatabaseConfig (/app/lib/config.js:22:19)",
          "    at Object.<anonymous> (/app/lib/db.js:9:16)",
          "",
          "Node.js v20.11.1",
        ),
      );
    }
    const obj =
      parsed && typeof parsed === "object" && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {};
    for (const [name, , keys] of DB_FIELDS) {
      const k = keys.find((x) => obj[x] !== undefined && obj[x] !== null);
      if (k !== undefined) cfg[name] = String(obj[k]);
    }
  } else {
    for (const [name] of DB_FIELDS) if (env[name] !== undefined && env[name] !== "") cfg[name] = env[name];
  }

  if (whole === undefined && Object.keys(cfg).length === 0) {
    const msg = "Database not configured but DATABASE_ENABLED=true";
    return unhealthy(
      banner.concat(`[db] Error: ${msg}`, listening),
      [`[ready] GET /api/ready 503 - ${msg}`],
      msg,
    );
  }
  for (const [name, line] of DB_FIELDS) {
    // A whole secret without `host` leaves host null (the app does not check it): ENOTFOUND null.
    if (name === "DATABASE_HOST" && whole !== undefined) continue;
    if (cfg[name] === undefined) return crash(banner.concat(missingVar(name, line)));
  }

  const host = cfg.DATABASE_HOST ?? "null";
  const dbPort = cfg.DATABASE_PORT!;
  const user = cfg.DATABASE_USER!;
  const dbName = cfg.DATABASE_NAME!;
  const connecting = `[db] Connecting to postgres at ${host}:${dbPort} (database=${dbName}, user=${user})`;
  const error = connectError(account, host, dbPort, dbName, user, cfg.DATABASE_PASSWORD!);
  if (error !== undefined) {
    return unhealthy(
      banner.concat(connecting, `[db] Connection failed: ${error}`, listening),
      [`[ready] database check failed: ${error}`, `[ready] GET /api/ready 503 - database: ${error}`],
      error,
    );
  }
  return serving(banner.concat(connecting, "[db] Connected; pool ready (max=10)", listening), {
    status: "ok",
    message: "connection_configured",
  });
}

/** What connecting with these settings gives, or undefined when it works. */
function connectError(
  account: Account,
  host: string,
  port: string,
  dbName: string,
  user: string,
  password: string,
): string | undefined {
  const db = account.world.database;
  const h = host.toLowerCase();
  if (LOCALHOST.has(h)) return `Error: connect ECONNREFUSED 127.0.0.1:${port}`;
  if (!db || account.resolve(db.endpoint).toLowerCase() !== h) return `Error: getaddrinfo ENOTFOUND ${host}`;
  const dbPort = String(db.port ?? 5432);
  if (db.reachable === false) return `Error: connect ETIMEDOUT ${host}:${port}`;
  if (port !== dbPort) return `Error: connect ECONNREFUSED ${host}:${port}`;
  const master = account.findSecret(account.resolve(db.masterSecret));
  const value = master ? account.currentVersion(master)?.secretString : undefined;
  let creds: Record<string, unknown> = {};
  try {
    creds = value ? (JSON.parse(value) as Record<string, unknown>) : {};
  } catch {
    creds = {};
  }
  if (creds.username !== user || creds.password !== password)
    return `error: FATAL: password authentication failed for user "${user}"`;
  if (dbName !== (db.name ?? "afu9")) return `error: FATAL: database "${dbName}" does not exist`;
  return undefined;
}

function readyBody(database: { status: string; message: string }, ok: boolean): ReadyAnswer {
  return {
    status: ok ? 200 : 503,
    body: { ready: ok, checks: { service: { status: "ok" }, database } },
  };
}

function serving(lines: string[], database: { status: string; message: string }): AppOutcome {
  return {
    kind: "serving",
    healthy: true,
    startLines: lines,
    failLines: [],
    heartbeatLine: `[ready] GET /api/ready 200 - service=ok database=${database.status}`,
    ready: readyBody(database, true),
  };
}

function unhealthy(lines: string[], failLines: string[], message: string): AppOutcome {
  return {
    kind: "serving",
    healthy: false,
    startLines: lines,
    failLines,
    heartbeatLine: "",
    ready: readyBody({ status: "error", message }, false),
  };
}

function crash(lines: string[]): AppOutcome {
  return { kind: "crash", lines, exitCode: 1 };
}

/** /api/ready of a task installed as already running when the world loads (it was healthy then). */
export function initialReady(env: Record<string, string>): AppOutcome {
  const enabled = (env.DATABASE_ENABLED ?? "false").toLowerCase() === "true";
  return serving(
    [
      "[afu9] AFU-9 Control Center starting (NODE_ENV=production)",
      "[afu9] Server listening on http://0.0.0.0:3000",
    ],
    enabled
      ? { status: "ok", message: "connection_configured" }
      : { status: "not_configured", message: "Database disabled in configuration" },
  );
}
