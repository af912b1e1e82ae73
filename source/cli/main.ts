// Entry point: parse the command line, then load only what the command needs (the SDK and Ink
// are large; lazy imports keep `--help`, `sandbox` and the first frame fast).

import { VERSION } from "../version.js";
import { helpText, type Options, parseArgs, UsageError } from "./args.js";

export const EXIT = { ok: 0, problem: 1, usage: 2, failed: 3 } as const;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let opts: Options;
  try {
    opts = parseArgs(argv, env);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`afu9-tui: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
  switch (opts.command) {
    case "help":
      process.stdout.write(`${helpText(VERSION)}\n`);
      return EXIT.ok;
    case "version":
      process.stdout.write(`afu9-tui ${VERSION}\n`);
      return EXIT.ok;
    case "sandbox": {
      const { runSandboxCommand } = await import("./sandbox-command.js");
      return runSandboxCommand(opts);
    }
    default: {
      const { runCommand } = await import("./commands.js");
      return runCommand(opts);
    }
  }
}
