// The live tail's memory: a bounded buffer of log lines, deduplicated by event id and kept in time
// order however the lines arrive (live tail, polling with an overlap window, history). Immutable
// from the outside: `add` returns a new buffer, so the UI state stays a value.

import type { LogLine } from "../diagnosis/model.js";

export interface LogBuffer {
  readonly lines: readonly LogLine[];
  readonly capacity: number;
  /** Event ids present (and recently evicted) for dedup. */
  readonly seen: ReadonlySet<string>;
  /** Lines dropped to stay within capacity. */
  readonly dropped: number;
}

export const DEFAULT_LOG_CAPACITY = 5000;

export function emptyBuffer(capacity = DEFAULT_LOG_CAPACITY): LogBuffer {
  if (!(capacity > 0)) throw new Error("log buffer capacity must be at least 1");
  return { lines: [], capacity, seen: new Set(), dropped: 0 };
}

const t = (l: LogLine) => l.timestamp?.getTime() ?? 0;
const keyOf = (l: LogLine) => l.eventId ?? `${l.stream}|${t(l)}|${l.message}`;

/** Adds lines; returns the same buffer when nothing was new. */
export function addLines(buf: LogBuffer, incoming: readonly LogLine[]): LogBuffer {
  const fresh: LogLine[] = [];
  const seen = new Set(buf.seen);
  for (const l of incoming) {
    const k = keyOf(l);
    if (seen.has(k)) continue;
    seen.add(k);
    fresh.push(l);
  }
  if (fresh.length === 0) return buf;
  fresh.sort((a, b) => t(a) - t(b));
  let lines: LogLine[];
  const last = buf.lines[buf.lines.length - 1];
  if (!last || t(fresh[0]!) >= t(last)) lines = [...buf.lines, ...fresh];
  else {
    // A late line (polling overlap, a slow stream): merge in time order.
    lines = [...buf.lines, ...fresh].sort((a, b) => t(a) - t(b));
  }
  let dropped = buf.dropped;
  if (lines.length > buf.capacity) {
    const cut = lines.length - buf.capacity;
    lines = lines.slice(cut);
    dropped += cut;
  }
  // Keep the dedup set bounded too: ids of the kept lines plus the newest evicted ones.
  if (seen.size > buf.capacity * 2) {
    const keep = new Set(lines.map(keyOf));
    for (const k of [...seen].slice(-buf.capacity)) keep.add(k);
    return { lines, capacity: buf.capacity, seen: keep, dropped };
  }
  return { lines, capacity: buf.capacity, seen, dropped };
}
