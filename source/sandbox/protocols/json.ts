// AWS JSON 1.1 (ECS, Secrets Manager, CloudWatch Logs): a POST with X-Amz-Target PREFIX.Operation,
// a JSON body in and out. Timestamps travel as epoch seconds (a number, fractions allowed).

import type { AwsError } from "../account.js";

export const JSON_CONTENT_TYPE = "application/x-amz-json-1.1";

/** Splits "secretsmanager.GetSecretValue" into prefix and operation; undefined if it has no dot. */
export function parseTarget(target: string): { prefix: string; operation: string } | undefined {
  const i = target.lastIndexOf(".");
  if (i <= 0 || i === target.length - 1) return undefined;
  return { prefix: target.slice(0, i), operation: target.slice(i + 1) };
}

/** Wire form of a handler's output: Dates → epoch seconds, undefined members dropped. */
export function toJsonValue(v: unknown): unknown {
  if (v instanceof Date) return v.getTime() / 1000;
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) continue;
      out[k] = toJsonValue(x);
    }
    return out;
  }
  return v;
}

export function encodeJson(v: unknown): string {
  return JSON.stringify(toJsonValue(v ?? {}));
}

/** Decodes a request body; an empty body is an empty input. Throws SyntaxError on bad JSON. */
export function decodeJson(body: string): Record<string, unknown> {
  if (body.trim() === "") return {};
  const v: unknown = JSON.parse(body);
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new SyntaxError("the body is not a JSON object");
  return v as Record<string, unknown>;
}

export interface WireError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** An error as JSON 1.1 services answer it: {"__type": CODE, "message": TEXT} and x-amzn-ErrorType. */
export function jsonError(code: string, message: string | undefined, status: number): WireError {
  const body: Record<string, string> = { __type: code };
  if (message !== undefined) body.message = message;
  return {
    status,
    headers: { "content-type": JSON_CONTENT_TYPE, "x-amzn-errortype": code },
    body: JSON.stringify(body),
  };
}

export function jsonAwsError(e: AwsError): WireError {
  return jsonError(e.code, e.message, e.status);
}
