// AWS event-stream framing (application/vnd.amazon.eventstream), as StartLiveTail answers:
// [total length u32][headers length u32][prelude CRC32][headers][payload][message CRC32].
// Headers here are strings only (type 7): :message-type, :event-type, :content-type.

import { crc32 } from "node:zlib";

export const EVENTSTREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

function encodeHeaders(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name, "utf8");
    const v = Buffer.from(value, "utf8");
    if (n.length > 255) throw new Error("an event-stream header name is at most 255 bytes");
    const b = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    b.writeUInt8(n.length, 0);
    n.copy(b, 1);
    b.writeUInt8(7, 1 + n.length);
    b.writeUInt16BE(v.length, 2 + n.length);
    v.copy(b, 4 + n.length);
    parts.push(b);
  }
  return Buffer.concat(parts);
}

/** One framed message. */
export function encodeMessage(headers: Record<string, string>, payload: Uint8Array): Buffer {
  const h = encodeHeaders(headers);
  const total = 12 + h.length + payload.length + 4;
  const msg = Buffer.alloc(total);
  msg.writeUInt32BE(total, 0);
  msg.writeUInt32BE(h.length, 4);
  msg.writeUInt32BE(crc32(msg.subarray(0, 8)), 8);
  h.copy(msg, 12);
  Buffer.from(payload).copy(msg, 12 + h.length);
  msg.writeUInt32BE(crc32(msg.subarray(0, total - 4)), total - 4);
  return msg;
}

/** An event of a JSON protocol's event stream: {":event-type": type} with a JSON payload. */
export function encodeJsonEvent(eventType: string, payload: unknown): Buffer {
  return encodeMessage(
    { ":message-type": "event", ":event-type": eventType, ":content-type": "application/json" },
    Buffer.from(JSON.stringify(payload), "utf8"),
  );
}

/** A modelled exception inside the stream (SessionTimeoutException, SessionStreamingException). */
export function encodeExceptionEvent(code: string, message: string): Buffer {
  return encodeMessage(
    { ":message-type": "exception", ":exception-type": code, ":content-type": "application/json" },
    Buffer.from(JSON.stringify({ message }), "utf8"),
  );
}

/** Decodes a buffer of whole messages (for tests and tools); throws on a bad CRC. */
export function decodeMessages(buf: Buffer): { headers: Record<string, string>; payload: Buffer }[] {
  const out: { headers: Record<string, string>; payload: Buffer }[] = [];
  let off = 0;
  while (off + 16 <= buf.length) {
    const total = buf.readUInt32BE(off);
    const hlen = buf.readUInt32BE(off + 4);
    if (off + total > buf.length) break;
    const msg = buf.subarray(off, off + total);
    if (crc32(msg.subarray(0, 8)) !== msg.readUInt32BE(8)) throw new Error("bad prelude CRC");
    if (crc32(msg.subarray(0, total - 4)) !== msg.readUInt32BE(total - 4)) throw new Error("bad message CRC");
    const headers: Record<string, string> = {};
    let p = 12;
    while (p < 12 + hlen) {
      const nl = msg.readUInt8(p);
      const name = msg.subarray(p + 1, p + 1 + nl).toString("utf8");
      const type = msg.readUInt8(p + 1 + nl);
      if (type !== 7) throw new Error(`header type ${type} not supported`);
      const vl = msg.readUInt16BE(p + 2 + nl);
      headers[name] = msg.subarray(p + 4 + nl, p + 4 + nl + vl).toString("utf8");
      p += 4 + nl + vl;
    }
    out.push({ headers, payload: Buffer.from(msg.subarray(12 + hlen, total - 4)) });
    off += total;
  }
  return out;
}

/** Where a streaming handler writes its events. */
export interface EventSink {
  send(eventType: string, payload: unknown): void;
  /** Sends a modelled exception event and ends the stream. */
  fail(code: string, message: string): void;
  end(): void;
  readonly closed: boolean;
}

/**
 * What a handler returns to answer with an event stream instead of a JSON body. `start` is
 * called once the response headers are out; it returns a function that stops the producer
 * (called when the client goes away or the server closes).
 */
export class EventStreamResult {
  constructor(readonly start: (sink: EventSink) => () => void) {}
}
