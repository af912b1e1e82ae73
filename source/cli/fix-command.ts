// `afu9-tui fix FIX-ID [--dry-run] [--yes]`: diagnose, preview the fix, apply it after an explicit
// confirmation (--yes, or the fix id typed on a terminal), then watch the deployment it started.
// --read-only and --dry-run print the preview and change nothing (read-only exits 2).
// Exit: 0 applied and ready; 1 the fix or the deployment failed (rolled back, not ready, refused
// because the secret changed since the preview); 2 usage / refused / cancelled; 3 could not run.

import { AwsProblem } from "../aws/errors.js";
import { maskCredentials } from "../diagnosis/mask.js";
import { analyze } from "../flow/analyze.js";
import { applyPlan } from "../flow/apply.js";
import { AuditLog, auditPath } from "../flow/audit.js";
import { collect } from "../flow/collect.js";
import { cdkAppIn, forget, planFor, prepareFix } from "../flow/fix-prepare.js";
import { previewLines } from "../flow/fix-preview.js";
import { contextFromEvidence, dropValues, type FixId, PlanError, secretTargetOf } from "../flow/fixes.js";
import type { Options } from "./args.js";
import { confirmTyped, gatherValues, InputError } from "./secret-input.js";
import { openSession, type Session } from "./session.js";
import { follow, type Io } from "./watch-command.js";

export interface FixIo extends Io {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(m: boolean): unknown };
}

export async function fixCommand(opts: Options, io: FixIo): Promise<number> {
  const out = (l = "") => io.stdout.write(`${l}\n`);
  const err = (l: string) => io.stderr.write(`afu9-tui: ${l}\n`);
  const fixId = opts.fixId as FixId;
  const applying = !opts.dryRun && !opts.readOnly;
  if (applying && !opts.yes && !io.stdin.isTTY) {
    // Decide before reading anything: stdin may carry the values.
    err("not a terminal, so no typed confirmation: pass --yes to apply, or --dry-run to preview");
    return 2;
  }
  let session: Session | undefined;
  try {
    session = await openSession(opts);
    const { clients, target } = session;
    out(
      `afu9-tui fix ${fixId} — ${target.cluster}/${target.service} in ${target.region}${session.sandbox ? ` (sandbox ${session.sandbox.label})` : ""}`,
    );
    const evidence = await collect(clients, target);
    const verdict = analyze(evidence, false).verdict;
    if (verdict)
      out(
        `Diagnosis: ${verdict.scenario} — ${maskCredentials(verdict.summary)}${verdict.fix ? ` (recommends ${verdict.fix})` : ""}`,
      );
    const ctx = contextFromEvidence(evidence, verdict, cdkAppIn(opts.cdkDir));
    const prep = await prepareFix(clients, fixId, ctx);
    try {
      if (prep.masterProblem) out(`Note: ${prep.masterProblem}; username and password must be given.`);
      let values: Map<string, string> | undefined;
      if (applying) {
        const keys = secretTargetOf(fixId, ctx)?.keys ?? [];
        values = await gatherValues({
          required: prep.inputKeys,
          known: keys,
          env: io.env,
          stdin: io.stdin,
          prompt: io.stderr,
        });
      }
      const plan = planFor(prep, values);
      values?.clear();
      try {
        const svcTd = ctx.service?.taskDefinition;
        const failedTd = ctx.taskDefinition?.arn;
        if (
          plan.watch === "deployment" &&
          fixId !== "disable-database" &&
          svcTd &&
          failedTd &&
          svcTd !== failedTd
        )
          plan.notes.push(
            `The service runs ${svcTd.split("/").pop()} after the rollback; the new deployment uses it. The revision that failed (${failedTd.split("/").pop()}) comes back with the next cdk deploy.`,
          );
        out();
        for (const l of previewLines(plan)) out(l);
        out();
        if (opts.dryRun) {
          out("Dry run: nothing was changed.");
          return 0;
        }
        if (opts.readOnly) {
          err("read-only mode: the fix was not applied, nothing was changed (drop --read-only to apply)");
          return 2;
        }
        if (plan.missingInputs.length > 0) {
          err(`values missing for ${plan.missingInputs.join(", ")}; nothing was changed`);
          return 2;
        }
        if (!opts.yes) {
          const ok = await confirmTyped(fixId, io.stdin, io.stderr);
          if (!ok) {
            err("cancelled: nothing was changed");
            return 2;
          }
        }
        const audit = new AuditLog(auditPath(io.env));
        const result = await applyPlan(clients, plan, {
          target,
          readOnly: opts.readOnly,
          audit,
          onEvent: (e) => {
            if (e.type === "action-start") out(`[${e.index + 1}/${e.total}] ${e.kind} ${e.resource} …`);
            else if (e.type === "action-done")
              out(`      ${e.result.ok ? "ok" : "FAILED"}: ${maskCredentials(e.result.detail)}`);
            else out(`      cdk | ${maskCredentials(e.line)}`);
          },
        });
        for (const r of result.results) if (r.rollback) out(`To roll the secret back: ${r.rollback}`);
        out(`Audit log: ${audit.path}`);
        if (!result.ok) {
          if (result.conflict)
            err(
              "the secret changed since the preview: nothing was written; run the fix again to see the new state",
            );
          if (!result.deploymentId) return 1;
        }
        if (!result.deploymentId) {
          out("No deployment to watch.");
          return result.ok ? 0 : 1;
        }
        out();
        const w = await follow(clients, target, result.deploymentId, opts.timeoutSeconds, io);
        if (w.outcome === "failed" || w.outcome === "rolled-back" || w.outcome === "not-ready") {
          out();
          out("Back to the diagnosis with the new evidence:");
          const ev2 = await collect(clients, target);
          const v2 = analyze(ev2, false).verdict;
          if (v2)
            out(
              `  ${v2.scenario} — ${maskCredentials(v2.summary)}${v2.fix ? ` → fix ${v2.fix}` : ` → ${v2.nextStep}`}`,
            );
        }
        return w.outcome === "ready" && result.ok ? 0 : w.outcome === "error" ? 3 : 1;
      } finally {
        dropValues(plan);
      }
    } finally {
      forget(prep);
    }
  } catch (e) {
    if (e instanceof InputError || e instanceof PlanError) {
      err(`${e.message}; nothing was changed`);
      return 2;
    }
    if (e instanceof AwsProblem) {
      err(e.line);
      return 3;
    }
    throw e;
  } finally {
    await session?.close();
  }
}
