// diagnose, fix, watch and the UI.

import { writeFile } from "node:fs/promises";
import { analyze } from "../flow/analyze.js";
import { collect, fatalProblem } from "../flow/collect.js";
import { exitCodeOf, type Report, toJson, toMarkdown, toText } from "../flow/report.js";
import { type Options, UsageError } from "./args.js";
import { openSession, type Session } from "./session.js";

export async function runDiagnosis(session: Session): Promise<Report> {
  const t0 = performance.now();
  const evidence = await collect(session.clients, session.target);
  return {
    evidence,
    analysis: analyze(evidence, false),
    requests: session.clients.counter.total,
    elapsedMs: performance.now() - t0,
  };
}

async function diagnoseCommand(opts: Options): Promise<number> {
  const session = await openSession(opts);
  try {
    const report = await runDiagnosis(session);
    // Without credentials or a network nothing was checked: one line says why, not seven.
    const fatal = fatalProblem(report.evidence);
    if (fatal) {
      process.stderr.write(`afu9-tui: ${fatal.message}${fatal.hint ? ` — ${fatal.hint}` : ""}\n`);
      return 3;
    }
    const text =
      opts.format === "json"
        ? `${JSON.stringify(toJson(report), null, 2)}\n`
        : opts.format === "markdown"
          ? toMarkdown(report)
          : `${toText(report)}\n`;
    if (opts.output) {
      await writeFile(opts.output, text, { mode: 0o600 });
      process.stderr.write(`afu9-tui: report written to ${opts.output}\n`);
    } else process.stdout.write(text);
    return exitCodeOf(report);
  } finally {
    await session.close();
  }
}

export async function runCommand(opts: Options): Promise<number> {
  try {
    switch (opts.command) {
      case "diagnose":
        return await diagnoseCommand(opts);
      case "ui":
        if (!process.stdout.isTTY) {
          if (opts.sandbox === "" && !opts.world)
            throw new UsageError(
              "--sandbox without a scenario opens a picker, which needs a terminal; give a scenario id (see afu9-tui sandbox --list)",
            );
          return await diagnoseCommand(opts);
        }
        return await (await import("../ui/run.js")).runUi(opts);
      case "fix": {
        const { fixCommand } = await import("./fix-command.js");
        return await fixCommand(opts, {
          stdout: process.stdout,
          stderr: process.stderr,
          stdin: process.stdin,
          env: process.env,
        });
      }
      case "watch": {
        const { watchCommand } = await import("./watch-command.js");
        return await watchCommand(opts, { stdout: process.stdout, stderr: process.stderr, env: process.env });
      }
      default:
        // help, version and sandbox never reach here (main handles them).
        throw new Error(`internal: no handler for command ${opts.command}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`afu9-tui: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
