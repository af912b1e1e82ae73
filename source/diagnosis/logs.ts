// Step 4: container logs. The runbook's filter and log table.
//
// | Log-Meldung                                             | Nächster Schritt              |
// | `Environment variable DATABASE_HOST is not set`          | → Schritt 5.3                 |
// | `FATAL: password authentication failed for user "..."`   | → Schritt 5.4                 |
// | `Error: getaddrinfo ENOTFOUND null`                       | → Schritt 5.3                 |
// | `connect ECONNREFUSED 127.0.0.1:5432`                     | Network/Security Groups prüfen |
// | `Database not configured but DATABASE_ENABLED=true`       | → Entscheidungspfad (Schritt 6) |

import { maskCredentials } from "./mask.js";
import type { Finding, LogLine, Severity } from "./model.js";

// ── The filter pattern ────────────────────────────────────────────────────────────────────

/** The runbook's `aws logs tail --filter-pattern`. */
export const RUNBOOK_FILTER_PATTERN = "?error ?Error ?ERROR ?exception ?Exception ?fail ?Fail ?FAIL";

interface Term {
  text: string;
  op: "and" | "or" | "not";
}

function parsePattern(pattern: string): Term[] {
  const terms: Term[] = [];
  const re = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (const m of pattern.matchAll(re)) {
    const text = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] ?? "");
    if (text === "") continue;
    terms.push({ text, op: m[1] === "?" ? "or" : m[1] === "-" ? "not" : "and" });
  }
  return terms;
}

/**
 * CloudWatch Logs term matching for unstructured events: terms are case-sensitive and match
 * anywhere in the message ("fail" matches "failed", but not "FAILED" — hence the runbook lists
 * each spelling). `?a ?b` matches when any ?-term appears; plain terms must all appear; `-a`
 * excludes. An empty pattern matches everything. (JSON and space-delimited patterns are not
 * supported: the runbook does not use them.)
 */
export function matchesFilterPattern(pattern: string, message: string): boolean {
  const terms = parsePattern(pattern);
  if (terms.length === 0) return true;
  const ors = terms.filter((t) => t.op === "or");
  const ands = terms.filter((t) => t.op === "and");
  const nots = terms.filter((t) => t.op === "not");
  if (nots.some((t) => message.includes(t.text))) return false;
  if (!ands.every((t) => message.includes(t.text))) return false;
  return ors.length === 0 || ors.some((t) => message.includes(t.text));
}

/** The runbook's error filter as a predicate. */
export function matchesRunbookFilter(message: string): boolean {
  return matchesFilterPattern(RUNBOOK_FILTER_PATTERN, message);
}

// ── Stream names ──────────────────────────────────────────────────────────────────────────

/** awslogs stream names are `prefix/container-name/task-id`; the task id is the last part. */
export function taskIdFromStream(stream: string): string | undefined {
  const parts = stream.split("/");
  if (parts.length < 3) return undefined;
  const id = parts[parts.length - 1] ?? "";
  return /^[0-9a-f]{32}$|^[0-9a-f-]{36}$/.test(id) ? id : undefined;
}

export function containerFromStream(stream: string): string | undefined {
  const parts = stream.split("/");
  return parts.length >= 3 ? parts[parts.length - 2] : undefined;
}

// ── The log table ─────────────────────────────────────────────────────────────────────────

export type LogClassId =
  | "env-var-not-set"
  | "db-password-auth-failed"
  | "db-host-null"
  | "db-host-not-found"
  | "db-connection-refused"
  | "db-connection-timeout"
  | "db-not-configured"
  | "secret-json-syntax"
  | "listening"
  | "ready"
  | "error-other";

export interface LogFinding extends Finding {
  id: LogClassId;
  line: LogLine;
  taskId?: string;
  /** The line, credentials masked. */
  masked: string;
  /** env-var-not-set: the variable. */
  variable?: string;
  /** db-password-auth-failed: the user. */
  user?: string;
  /** db-connection-refused / timeout / not found: host and port. */
  host?: string;
  port?: string;
  /** db-connection-refused to 127.0.0.1/localhost/::1: the app fell back to localhost (no host set). */
  localhost?: boolean;
}

interface Rule {
  id: LogClassId;
  re: RegExp;
  severity: Severity;
  nextStep?: string;
  build: (m: RegExpExecArray) => Partial<LogFinding> & { text: string };
}

const RULES: Rule[] = [
  {
    id: "env-var-not-set",
    re: /Environment variable ([A-Z][A-Z0-9_]*) is not set/,
    severity: "fail",
    nextStep: "→ Schritt 5.3",
    build: (m) => ({ variable: m[1]!, text: `Environment variable ${m[1]} is not set (secret key missing)` }),
  },
  {
    id: "db-password-auth-failed",
    re: /password authentication failed for user "([^"]*)"/,
    severity: "fail",
    nextStep: "→ Schritt 5.4",
    build: (m) => ({ user: m[1]!, text: `Database rejected the password for user "${m[1]}"` }),
  },
  {
    id: "db-host-null",
    re: /getaddrinfo (?:ENOTFOUND|EAI_AGAIN) (null|undefined)\b/,
    severity: "fail",
    nextStep: "→ Schritt 5.3",
    build: (m) => ({ host: m[1]!, text: `DATABASE_HOST is ${m[1]} (secret key missing)` }),
  },
  {
    id: "db-host-not-found",
    re: /getaddrinfo (?:ENOTFOUND|EAI_AGAIN) ([^\s:]+)/,
    severity: "fail",
    nextStep: "Network/Security Groups prüfen",
    build: (m) => ({ host: m[1]!, text: `Database host ${m[1]} does not resolve` }),
  },
  {
    id: "db-connection-refused",
    re: /connect ECONNREFUSED (\[?[0-9a-fA-F.:]+?\]?):(\d+)/,
    severity: "fail",
    nextStep: "Network/Security Groups prüfen",
    build: (m) => {
      const host = m[1]!.replace(/^\[|\]$/g, "");
      const localhost = /^(127\.|::1$|0\.0\.0\.0$)/.test(host);
      return {
        host,
        port: m[2]!,
        localhost,
        text: `Connection refused by ${host}:${m[2]}${localhost ? " (localhost: no database host configured)" : ""}`,
      };
    },
  },
  {
    id: "db-connection-refused",
    re: /\bECONNREFUSED\b/,
    severity: "fail",
    nextStep: "Network/Security Groups prüfen",
    build: () => ({ text: "Connection refused (database not reachable)" }),
  },
  {
    id: "db-connection-timeout",
    re: /connect ETIMEDOUT ([0-9.]+):(\d+)|Connection terminated due to connection timeout/,
    severity: "fail",
    nextStep: "Network/Security Groups prüfen",
    build: (m) => ({
      ...(m[1] ? { host: m[1], port: m[2]! } : {}),
      text: `Database connection timed out${m[1] ? ` (${m[1]}:${m[2]})` : ""}`,
    }),
  },
  {
    id: "db-not-configured",
    re: /Database not configured but DATABASE_ENABLED=true/,
    severity: "fail",
    nextStep: "→ Schritt 6",
    build: () => ({ text: "Database not configured but DATABASE_ENABLED=true (config mismatch)" }),
  },
  {
    id: "secret-json-syntax",
    re: /SyntaxError: (?:Unexpected token|Unexpected end of JSON|Expected property name|.*is not valid JSON|JSON\.parse)/,
    severity: "fail",
    nextStep: "→ Schritt 5.2",
    build: () => ({ text: "A secret's value is not valid JSON (SyntaxError while parsing)" }),
  },
  {
    id: "listening",
    re: /\b(?:listening on|Listening on|server started|Ready in)\b/,
    severity: "info",
    build: () => ({ text: "App is listening" }),
  },
  {
    id: "ready",
    re: /\bready\b.*\b(?:ok|true)\b|\/api\/ready.*\b200\b/i,
    severity: "ok",
    build: () => ({ text: "App reports ready" }),
  },
];

/** Classifies one log line; lines that neither match the table nor the runbook's filter give undefined. */
export function classifyLogLine(line: LogLine): LogFinding | undefined {
  const masked = maskCredentials(line.message);
  const taskId = line.taskId ?? taskIdFromStream(line.stream);
  for (const rule of RULES) {
    const m = rule.re.exec(line.message);
    if (!m) continue;
    const built = rule.build(m);
    return {
      step: "logs",
      id: rule.id,
      severity: rule.severity,
      ...(rule.nextStep ? { nextStep: rule.nextStep } : {}),
      line,
      masked,
      ...(taskId ? { taskId } : {}),
      ...built,
      text: maskCredentials(built.text),
    };
  }
  if (matchesRunbookFilter(line.message)) {
    const first = masked.split("\n")[0] ?? masked;
    return {
      step: "logs",
      id: "error-other",
      severity: "warn",
      text: first.length > 160 ? `${first.slice(0, 157)}...` : first,
      nextStep: "→ Schritt 4",
      line,
      masked,
      ...(taskId ? { taskId } : {}),
    };
  }
  return undefined;
}

export interface LogsAnalysis {
  findings: LogFinding[];
  /** Distinct classes with their count, strongest first. */
  summary: { id: LogClassId; count: number; example: LogFinding }[];
  primary: LogFinding | undefined;
  /** Lines the runbook's filter would show. */
  filteredCount: number;
}

const STRENGTH: LogClassId[] = [
  "env-var-not-set",
  "db-host-null",
  "db-password-auth-failed",
  "db-not-configured",
  "secret-json-syntax",
  "db-connection-refused",
  "db-host-not-found",
  "db-connection-timeout",
  "error-other",
  "ready",
  "listening",
];

/** Step 4 over many lines (deduplicated by eventId, or by stream+time+text). */
export function analyzeLogs(lines: LogLine[]): LogsAnalysis {
  const seen = new Set<string>();
  const findings: LogFinding[] = [];
  let filteredCount = 0;
  for (const line of lines) {
    const key = line.eventId ?? `${line.stream}|${line.timestamp?.getTime() ?? ""}|${line.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (matchesRunbookFilter(line.message)) filteredCount++;
    const f = classifyLogLine(line);
    if (f) findings.push(f);
  }
  const byId = new Map<LogClassId, { id: LogClassId; count: number; example: LogFinding }>();
  for (const f of findings) {
    const s = byId.get(f.id);
    if (s) s.count++;
    else byId.set(f.id, { id: f.id, count: 1, example: f });
  }
  const summary = [...byId.values()].sort((a, b) => STRENGTH.indexOf(a.id) - STRENGTH.indexOf(b.id));
  const primary = summary.find(
    (s) => s.example.severity === "fail" || s.example.severity === "warn",
  )?.example;
  return { findings, summary, primary, filteredCount };
}
