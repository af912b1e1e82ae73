// The built afu9-tui in a real pseudo-terminal, read through a terminal emulator: what a person
// would see. CI=false for the child (Ink prints only the last frame when CI is set).

import { fileURLToPath } from "node:url";
import pty from "@lydell/node-pty";
import xterm from "@xterm/headless";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = `${ROOT}bin/afu9-tui.js`;

export interface Pty {
  screen(): string[];
  text(): string;
  /** Which buffer the emulator shows: the alternate screen while the UI runs. */
  buffer(): "normal" | "alternate";
  cursorHidden(): boolean;
  write(s: string): void;
  resize(cols: number, rows: number): void;
  waitFor(pred: (text: string) => boolean, what: string, ms?: number): Promise<void>;
  exited: Promise<number>;
  kill(sig?: string): void;
  raw(): string;
}

export function spawnTui(
  command: string,
  o: { cols?: number; rows?: number; env?: Record<string, string> } = {},
): Pty {
  const cols = o.cols ?? 80;
  const rows = o.rows ?? 24;
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 100 });
  let raw = "";
  let hidden = false;
  const p = pty.spawn("sh", ["-c", command], {
    name: "xterm-256color",
    cols,
    rows,
    cwd: ROOT,
    env: { ...process.env, CI: "false", TERM: "xterm-256color", NO_COLOR: "", ...o.env } as Record<
      string,
      string
    >,
  });
  p.onData((d) => {
    raw += d;
    const show = d.lastIndexOf("\u001B[?25h");
    const hide = d.lastIndexOf("\u001B[?25l");
    if (show >= 0 || hide >= 0) hidden = hide > show;
    term.write(d);
  });
  const exited = new Promise<number>((resolve) =>
    p.onExit(({ exitCode }) => setTimeout(() => resolve(exitCode), 100)),
  );
  const screen = () => {
    const b = term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < term.rows; i++) out.push(b.getLine(b.viewportY + i)?.translateToString(true) ?? "");
    return out;
  };
  return {
    screen,
    text: () => screen().join("\n"),
    buffer: () => term.buffer.active.type,
    cursorHidden: () => hidden,
    write: (s) => p.write(s),
    resize(c, r) {
      term.resize(c, r);
      p.resize(c, r);
    },
    async waitFor(pred, what, ms = 15_000) {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        await new Promise((r) => setTimeout(r, 50));
        await new Promise<void>((r) => term.write("", r));
        if (pred(screen().join("\n"))) return;
      }
      throw new Error(`timed out waiting for ${what}; the screen shows:\n${screen().join("\n")}`);
    },
    exited,
    kill: (sig) => p.kill(sig),
    raw: () => raw,
  };
}
