// The screen as rows of styled segments. Panes are pure functions from state to rows, so the view
// controls every row's width and the frame's height exactly (Ink clears the whole screen when a
// frame reaches the terminal's height, and wraps long text into extra rows).

export type Color = "red" | "green" | "yellow" | "blue" | "magenta" | "cyan" | "gray" | "white";

export interface Seg {
  text: string;
  color?: Color;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
  underline?: boolean;
}

export type Row = Seg[];

export const seg = (text: string, style: Omit<Seg, "text"> = {}): Seg => ({ text, ...style });
export const row = (...segs: (Seg | string)[]): Row =>
  segs.map((s) => (typeof s === "string" ? { text: s } : s));
export const blank: Row = [];

/** Display width; wide East Asian and emoji count 2 (close enough for log lines). */
export function width(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 32 || (cp >= 0x7f && cp < 0xa0)) continue;
    if (cp >= 0x300 && cp < 0x370) continue;
    w +=
      cp >= 0x1100 &&
      (cp <= 0x115f ||
        (cp >= 0x2e80 && cp <= 0xa4cf) ||
        (cp >= 0xac00 && cp <= 0xd7a3) ||
        (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xfe30 && cp <= 0xfe4f) ||
        (cp >= 0xff00 && cp <= 0xff60) ||
        (cp >= 0x1f300 && cp <= 0x1faff))
        ? 2
        : 1;
  }
  return w;
}

/** Control characters would move the cursor: a log line must not draw on the screen. */
export function clean(s: string): string {
  return s
    .replace(/\u001B\[[0-9;?]*[ -/]*[@-~]/g, "")
    .replace(/\t/g, "  ")
    .replace(/[\u0000-\u001F\u007F-\u009F]/g, "");
}

/** Cuts a row to `cols` columns (… at the end when cut). */
export function fitRow(r: Row, cols: number): Row {
  const out: Row = [];
  let used = 0;
  for (const s of r) {
    const text = clean(s.text);
    const w = width(text);
    if (used + w <= cols) {
      out.push({ ...s, text });
      used += w;
      continue;
    }
    const room = cols - used - 1;
    if (room > 0) {
      let cut = "";
      let cw = 0;
      for (const ch of text) {
        const chw = width(ch);
        if (cw + chw > room) break;
        cut += ch;
        cw += chw;
      }
      out.push({ ...s, text: cut });
    }
    out.push({ ...s, text: "…" });
    return out;
  }
  return out;
}

/** Wraps a row into rows of `cols` columns. */
export function wrapRow(r: Row, cols: number, indent = 0): Row[] {
  if (cols <= indent + 1) return [fitRow(r, cols)];
  const rows: Row[] = [];
  let cur: Row = [];
  let used = 0;
  const push = () => {
    rows.push(cur);
    cur = indent > 0 ? [{ text: " ".repeat(indent) }] : [];
    used = indent;
  };
  for (const s of r) {
    let text = clean(s.text);
    while (text.length > 0) {
      const room = cols - used;
      let take = "";
      let w = 0;
      for (const ch of text) {
        const chw = width(ch);
        if (w + chw > room) break;
        take += ch;
        w += chw;
      }
      if (take.length === 0) {
        push();
        continue;
      }
      // Break after the last space when the word would be cut (and the space is not too far back).
      if (take.length < text.length) {
        const sp = take.lastIndexOf(" ");
        if (sp > take.length / 2) {
          take = take.slice(0, sp + 1);
          w = width(take);
        }
      }
      cur.push({ ...s, text: take });
      used += w;
      text = text.slice(take.length);
      if (text.length > 0) push();
    }
  }
  rows.push(cur);
  return rows;
}

export const plain = (r: Row) => r.map((s) => s.text).join("");

export function pad(s: string, n: number): string {
  const w = width(s);
  return w >= n ? s : s + " ".repeat(n - w);
}

/** HH:MM:SS; with `now`, a time more than 20 hours back shows its day instead: MM-DD HH:MM. */
export function fmtTime(d: Date | undefined, now?: number): string {
  if (!d) return "--:--:--";
  const p = (n: number) => String(n).padStart(2, "0");
  if (now !== undefined && now - d.getTime() > 20 * 3_600_000)
    return `${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function fmtDateTime(d: Date | undefined): string {
  if (!d) return "—";
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${fmtTime(d)}`;
}

export function fmtAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}`;
}
