// Secret values for a fix: from the environment (AFU9_SECRET_<KEY>), from standard input when it
// is not a terminal (a JSON object, or KEY=VALUE lines), or typed on the terminal with no echo.
// Never from a command-line argument. The environment variables are removed once read (a child
// process such as cdk does not inherit them); callers drop the returned map after use.

import { envKey } from "../flow/fix-preview.js";

export const ENV_PREFIX = "AFU9_SECRET_";

export class InputError extends Error {}

/** Parses stdin text: a JSON object of strings, or KEY=VALUE lines (# comments, blank lines). */
export function parseValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const trimmed = text.trim();
  if (trimmed === "") return out;
  if (trimmed.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      // Do not echo the text: it holds the values.
      throw new InputError("standard input starts with { but is not valid JSON");
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
      throw new InputError("standard input must be a JSON object of key: value");
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof v === "string") out.set(k, v);
      else if (typeof v === "number" || typeof v === "boolean") out.set(k, String(v));
      else throw new InputError(`standard input: the value of "${k}" must be a string`);
    }
    return out;
  }
  for (const [i, raw] of trimmed.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) throw new InputError(`standard input line ${i + 1}: expected KEY=VALUE`);
    out.set(line.slice(0, eq).trim(), line.slice(eq + 1));
  }
  return out;
}

/** Values from AFU9_SECRET_<KEY> for the given keys (any known key); removes them from `env`. */
export function valuesFromEnv(
  keys: readonly string[],
  env: Record<string, string | undefined> = process.env,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const k of keys) {
    const name = `${ENV_PREFIX}${envKey(k)}`;
    const v = env[name];
    if (v !== undefined && v !== "") out.set(k, v);
    delete env[name];
  }
  return out;
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
  const text = Buffer.concat(chunks).toString("utf8");
  for (const c of chunks) c.fill(0);
  return text;
}

interface TtyIn extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** Reads one line from a terminal without echo; prints one * per character. */
export function readMasked(prompt: string, input: TtyIn, output: NodeJS.WritableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(prompt);
    const chars: string[] = [];
    const wasRaw = (input as { isRaw?: boolean }).isRaw ?? false;
    input.setRawMode?.(true);
    input.resume();
    const done = (err?: Error) => {
      input.removeListener("data", onData);
      input.setRawMode?.(wasRaw);
      input.pause();
      output.write("\n");
      if (err) reject(err);
      else resolve(chars.join(""));
      chars.length = 0;
    };
    const onData = (d: Buffer | string) => {
      const s = typeof d === "string" ? d : d.toString("utf8");
      for (const ch of s) {
        if (ch === "\r" || ch === "\n") return done();
        if (ch === "\u0003") return done(new InputError("cancelled (Ctrl-C)"));
        if (ch === "\u0004" && chars.length === 0) return done(new InputError("cancelled (Ctrl-D)"));
        if (ch === "\u007f" || ch === "\b") {
          if (chars.length > 0) {
            chars.pop();
            output.write("\b \b");
          }
          continue;
        }
        if (ch < " ") continue;
        chars.push(ch);
        output.write("*");
      }
    };
    input.on("data", onData);
  });
}

export interface GatherOptions {
  /** Keys that must have a value. */
  required: readonly string[];
  /** Keys that may be given (the runbook's keys of the secret). */
  known: readonly string[];
  prompts?: Record<string, string>;
  env?: Record<string, string | undefined>;
  stdin?: TtyIn;
  /** Where prompts go (stderr: stdout stays the preview). */
  prompt?: NodeJS.WritableStream;
}

/**
 * Collects the values: environment first, then stdin (not a terminal) for the rest, then masked
 * typing on a terminal for what is still missing. Throws InputError naming the missing keys.
 */
export async function gatherValues(o: GatherOptions): Promise<Map<string, string>> {
  const env = o.env ?? process.env;
  const stdin = o.stdin ?? process.stdin;
  const keys = [...new Set([...o.required, ...o.known])];
  const values = valuesFromEnv(keys, env);
  let missing = o.required.filter((k) => !values.has(k));
  if (missing.length > 0 && !stdin.isTTY) {
    const fromStdin = parseValues(await readAll(stdin));
    for (const [k, v] of fromStdin) {
      if (!keys.includes(k))
        throw new InputError(`standard input: "${k}" is not a key of this secret (${keys.join(", ")})`);
      if (!values.has(k) && v !== "") values.set(k, v);
    }
    fromStdin.clear();
    missing = o.required.filter((k) => !values.has(k));
  }
  if (missing.length > 0 && stdin.isTTY) {
    const out = o.prompt ?? process.stderr;
    for (const k of missing) {
      const v = await readMasked(`${o.prompts?.[k] ?? k} (${k}, not shown): `, stdin, out);
      if (v === "") throw new InputError(`no value typed for ${k}`);
      values.set(k, v);
    }
    missing = [];
  }
  if (missing.length > 0)
    throw new InputError(
      `values needed for ${missing.join(", ")}: set ${missing.map((k) => ENV_PREFIX + envKey(k)).join(", ")}, or pipe them on standard input (JSON or KEY=VALUE lines), or run on a terminal to type them`,
    );
  return values;
}

/** Asks for a typed confirmation on a terminal: the word must be typed exactly. */
export function confirmTyped(word: string, input: TtyIn, output: NodeJS.WritableStream): Promise<boolean> {
  return new Promise((resolve) => {
    output.write(`Type ${word} to apply, anything else to cancel: `);
    let buf = "";
    input.setRawMode?.(false);
    input.resume();
    const onData = (d: Buffer | string) => {
      buf += typeof d === "string" ? d : d.toString("utf8");
      const nl = buf.indexOf("\n");
      if (nl === -1) return;
      input.removeListener("data", onData);
      input.pause();
      resolve(buf.slice(0, nl).trim() === word);
    };
    input.on("data", onData);
  });
}
