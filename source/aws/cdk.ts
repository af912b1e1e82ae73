// Runs the CDK CLI in the user's CDK app directory (fix 6.1) and streams its output line by line.
// The command is `npx cdk` unless AFU9_CDK names another executable (tests use a fake cdk).
// The child gets the environment minus AFU9_SECRET_* values, plus the endpoint and fixed
// credentials when the session has them (the sandbox).

import { spawn } from "node:child_process";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { AwsTarget } from "./clients.js";

export interface CdkRun {
  exitCode: number;
  /** The last lines of output (for the report when it fails). */
  tail: string[];
}

export function cdkCommand(env: Record<string, string | undefined> = process.env): {
  cmd: string;
  pre: string[];
} {
  return env.AFU9_CDK ? { cmd: env.AFU9_CDK, pre: [] } : { cmd: "npx", pre: ["--no-install", "cdk"] };
}

function childEnv(target: AwsTarget): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AFU9_SECRET_")) env[k] = v;
  env.AWS_REGION = target.region;
  if (target.endpointUrl) env.AWS_ENDPOINT_URL = target.endpointUrl;
  if (target.credentials) {
    env.AWS_ACCESS_KEY_ID = target.credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = target.credentials.secretAccessKey;
    if (target.credentials.sessionToken) env.AWS_SESSION_TOKEN = target.credentials.sessionToken;
  }
  env.FORCE_COLOR = "0";
  env.CI = "true";
  return env;
}

export function runCdk(
  cdkDir: string,
  args: string[],
  target: AwsTarget,
  onLine: (line: string, stream: "stdout" | "stderr") => void,
  signal?: AbortSignal,
): Promise<CdkRun> {
  const { cmd, pre } = cdkCommand();
  const tail: string[] = [];
  return new Promise((resolve) => {
    const child = spawn(cmd, [...pre, ...args], {
      cwd: cdkDir,
      env: childEnv(target),
      stdio: ["ignore", "pipe", "pipe"],
      signal,
    });
    const pipe = (stream: "stdout" | "stderr") => {
      let buf = "";
      child[stream]!.setEncoding("utf8");
      child[stream]!.on("data", (chunk: string) => {
        buf += chunk;
        let i = buf.indexOf("\n");
        while (i !== -1) {
          const line = buf.slice(0, i).replace(/\r$/, "");
          buf = buf.slice(i + 1);
          tail.push(line);
          if (tail.length > 20) tail.shift();
          onLine(line, stream);
          i = buf.indexOf("\n");
        }
      });
      child[stream]!.on("end", () => {
        if (buf) {
          tail.push(buf);
          onLine(buf, stream);
          buf = "";
        }
      });
    };
    pipe("stdout");
    pipe("stderr");
    child.on("error", (e) => {
      onLine(`cannot run ${cmd}: ${e.message}`, "stderr");
      resolve({ exitCode: 127, tail: [...tail, `cannot run ${cmd}: ${e.message}`] });
    });
    child.on("close", (code) => resolve({ exitCode: code ?? 1, tail }));
  });
}

/** Reads cdk.context.json (an empty object when it does not exist). */
export async function readCdkContext(cdkDir: string): Promise<Record<string, unknown>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(cdkDir, "cdk.context.json"), "utf8"));
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw e;
  }
}

/** Sets one top-level key in cdk.context.json (write to a temporary file, then rename). */
export async function setCdkContext(cdkDir: string, key: string, value: unknown): Promise<unknown> {
  const ctx = await readCdkContext(cdkDir);
  const before = ctx[key];
  ctx[key] = value;
  const file = join(cdkDir, "cdk.context.json");
  await writeFile(`${file}.tmp`, `${JSON.stringify(ctx, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
  return before;
}
