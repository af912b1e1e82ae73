// Opaque paging tokens shared by the services: base64 of a small JSON cursor.

import { AwsError } from "../account.js";

export function encodeToken(cursor: unknown): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

/** Decodes a token; a token the sandbox did not issue gets the service's error code. */
export function decodeToken<T>(token: string, code: string, message: string, status = 400): T {
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as T;
  } catch {
    throw new AwsError(code, message, status);
  }
}

/** Offset paging: items[offset, offset+size) and the token for the rest. */
export function page<T>(
  items: T[],
  size: number,
  token: string | undefined,
  bad: { code: string; message: string },
): { items: T[]; next?: string } {
  let offset = 0;
  if (token) {
    const c = decodeToken<{ o?: unknown }>(token, bad.code, bad.message);
    if (typeof c.o !== "number" || c.o < 0) throw new AwsError(bad.code, bad.message);
    offset = c.o;
  }
  const slice = items.slice(offset, offset + size);
  const next = offset + size < items.length ? encodeToken({ o: offset + size }) : undefined;
  return { items: slice, next };
}
