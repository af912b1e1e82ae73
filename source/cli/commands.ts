// diagnose, fix, watch and the UI.

import { writeFile } from "node:fs/promises";
import { analyze } from "../flow/analyze.js";
import { collect } from "../flow/collect.js";
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
        if (!process.stdout.isTTY)
          return await diagnoseCommand({ ...opts, sandbox: opts.sandbox === "" ? "healthy" : opts.sandbox });
        process.stderr.write("afu9-tui: the terminal UI is not built yet; use `afu9-tui diagnose`\n");
        return 3;
      default:
        process.stderr.write(`afu9-tui: ${opts.command} is not built yet\n`);
        return 3;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`afu9-tui: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
