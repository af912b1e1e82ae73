// The terminal: alternate screen in, cursor hidden; and out again on every way the program can end
// (quit, Ctrl-C, SIGTERM, SIGHUP, a crash). Console output while the UI runs would draw over the
// frame (the SDK has been reported to print event streams): it is swallowed, or written to the
// file in AFU9_DEBUG_LOG.

import { appendFileSync } from "node:fs";
import { format } from "node:util";

const ENTER = "\u001B[?1049h\u001B[H\u001B[2J\u001B[?25l";
const LEAVE = "\u001B[?25h\u001B[?1049l";

export interface TerminalGuard {
  restore(): void;
}

type ConsoleMethod = "log" | "info" | "warn" | "error" | "debug" | "trace";
const METHODS: ConsoleMethod[] = ["log", "info", "warn", "error", "debug", "trace"];

export function guardConsole(): () => void {
  const saved = METHODS.map((m) => [m, console[m]] as const);
  const file = process.env.AFU9_DEBUG_LOG;
  for (const m of METHODS) {
    console[m] = (...args: unknown[]) => {
      if (file) {
        try {
          appendFileSync(file, `[${m}] ${format(...args)}\n`);
        } catch {
          // nowhere to say it
        }
      }
    };
  }
  return () => {
    for (const [m, fn] of saved) console[m] = fn;
  };
}

/**
 * Enters the alternate screen and makes sure every exit leaves it. `onSignal` is called for
 * SIGINT/SIGTERM/SIGHUP (the app unmounts and exits); a crash restores the screen, prints the error
 * and exits 3.
 */
export function enterFullScreen(
  out: NodeJS.WriteStream,
  onSignal: (sig: NodeJS.Signals) => void,
): TerminalGuard {
  let restored = false;
  const unguard = guardConsole();
  out.write(ENTER);
  const restore = () => {
    if (restored) return;
    restored = true;
    out.write(LEAVE);
    unguard();
    process.off("exit", restore);
    for (const s of SIGNALS) process.off(s, handlers[s]);
    process.off("uncaughtException", crash);
    process.off("unhandledRejection", crash);
  };
  const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  const handlers = Object.fromEntries(
    SIGNALS.map((s) => [
      s,
      () => {
        onSignal(s);
        // If the app does not end by itself soon, leave anyway.
        setTimeout(() => {
          restore();
          process.exit(s === "SIGINT" ? 130 : s === "SIGTERM" ? 143 : 129);
        }, 1500).unref();
      },
    ]),
  ) as Record<NodeJS.Signals, () => void>;
  const crash = (e: unknown) => {
    restore();
    process.stderr.write(
      `afu9-tui: ${e instanceof Error ? (process.env.AFU9_DEBUG ? e.stack : e.message) : String(e)}\n`,
    );
    process.exit(3);
  };
  process.on("exit", restore);
  for (const s of SIGNALS) process.on(s, handlers[s]);
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);
  return { restore };
}
