// Executes a plan, action by action, stopping at the first failure. Each secret write uses the
// ClientRequestToken made when the plan (the preview) was built, and is refused when the secret's
// AWSCURRENT version moved since then. Every action is appended to the audit log (no values).
// Sealed values are dropped when apply returns, whatever happened.

import { runCdk, setCdkContext } from "../aws/cdk.js";
import type { Clients } from "../aws/clients.js";
import { copyTaskDefinition, describeService, updateService } from "../aws/ecs.js";
import { AwsProblem } from "../aws/errors.js";
import { ConcurrentChangeError, writeSecret } from "../aws/secret-writer.js";
import type { AuditFields, AuditLog } from "./audit.js";
import { type ProblemInfo, problemInfo, type Target } from "./collect.js";
import { dropValues, type Plan, type PlannedAction } from "./fixes.js";

export class ReadOnlyError extends Error {
  constructor() {
    super("read-only mode: nothing was changed (drop --read-only to apply)");
  }
}

export interface ActionResult {
  kind: PlannedAction["kind"];
  resource: string;
  ok: boolean;
  /** One line for the screen. */
  detail: string;
  versionId?: string;
  /** The version that was AWSCURRENT before: roll back to it with `rollback`. */
  previousVersionId?: string;
  created?: boolean;
  deploymentId?: string;
  taskDefinition?: string;
  /** The command that undoes the secret write. */
  rollback?: string;
  conflict?: boolean;
  problem?: ProblemInfo;
  cdkExitCode?: number;
}

export type ApplyEvent =
  | { type: "action-start"; index: number; total: number; kind: PlannedAction["kind"]; resource: string }
  | { type: "action-done"; index: number; result: ActionResult }
  | { type: "cdk-line"; line: string; stream: "stdout" | "stderr" };

export interface ApplyResult {
  ok: boolean;
  results: ActionResult[];
  /** The deployment started by the fix (to watch), when there is one. */
  deploymentId?: string;
  /** When apply started (the watch takes events and stopped tasks from here). */
  startedAt: Date;
  /** A secret changed since the preview: nothing was written. */
  conflict: boolean;
}

export interface ApplyOptions {
  target: Target;
  readOnly: boolean;
  audit?: AuditLog;
  onEvent?: (e: ApplyEvent) => void;
  now?: () => Date;
  signal?: AbortSignal;
}

function resourceOf(a: PlannedAction, t: Target): string {
  switch (a.kind) {
    case "write-secret":
      return a.snapshot.arn ?? a.secretName;
    case "cdk-context":
      return `${a.cdkDir}/${a.file}`;
    case "cdk-deploy":
      return `${a.stack} (${a.cdkDir})`;
    case "register-task-definition":
      return a.family;
    case "force-new-deployment":
      return `${t.cluster}/${t.service}`;
  }
}

export async function applyPlan(c: Clients, plan: Plan, opts: ApplyOptions): Promise<ApplyResult> {
  const now = opts.now ?? (() => new Date());
  const t = opts.target;
  const startedAt = now();
  try {
    if (opts.readOnly) throw new ReadOnlyError();
    if (plan.missingInputs.length > 0)
      throw new Error(`the plan lacks values for ${plan.missingInputs.join(", ")}; nothing was changed`);
    const results: ActionResult[] = [];
    const out: ApplyResult = { ok: true, results, startedAt, conflict: false };
    let registered: string | undefined;
    let before: Set<string> | undefined;
    const audit = async (a: PlannedAction, r: ActionResult) => {
      const e: AuditFields = {
        fix: plan.fixId,
        action: a.kind,
        resource: r.resource,
        result: r.ok ? "ok" : r.conflict ? "refused" : "failed",
        region: t.region,
        ...(r.versionId ? { versionId: r.versionId } : {}),
        ...(r.previousVersionId ? { previousVersionId: r.previousVersionId } : {}),
        ...(r.deploymentId ? { deploymentId: r.deploymentId } : {}),
        ...(r.taskDefinition ? { taskDefinition: r.taskDefinition } : {}),
        ...(a.kind === "write-secret"
          ? { keys: [...a.diff.added, ...a.diff.changed].sort(), ...(r.ok ? {} : { detail: r.detail }) }
          : r.ok
            ? {}
            : { detail: r.detail }),
      };
      await opts.audit?.append(e);
    };

    for (const [index, a] of plan.actions.entries()) {
      const resource = resourceOf(a, t);
      opts.onEvent?.({ type: "action-start", index, total: plan.actions.length, kind: a.kind, resource });
      let r: ActionResult;
      try {
        r = await run(a, resource);
      } catch (e) {
        const p = problemInfo(e);
        r = {
          kind: a.kind,
          resource,
          ok: false,
          detail: p.hint ? `${p.message} — ${p.hint}` : p.message,
          problem: p,
          ...(e instanceof ConcurrentChangeError ? { conflict: true } : {}),
        };
        if (e instanceof ConcurrentChangeError) out.conflict = true;
      }
      results.push(r);
      await audit(a, r);
      opts.onEvent?.({ type: "action-done", index, result: r });
      if (!r.ok) {
        out.ok = false;
        break;
      }
      if (r.deploymentId) out.deploymentId = r.deploymentId;
    }
    return out;

    async function run(a: PlannedAction, resource: string): Promise<ActionResult> {
      switch (a.kind) {
        case "write-secret": {
          if (!a.value || a.value.dropped) throw new Error(`no value to write to ${a.secretName}`);
          const w = await writeSecret(c, { ...a.snapshot, json: undefined }, a.value.reveal(), a.token);
          a.value.drop();
          const region = `--region ${t.region}`;
          return {
            kind: a.kind,
            resource: w.arn || resource,
            ok: true,
            created: w.created,
            versionId: w.versionId,
            ...(w.previousVersionId ? { previousVersionId: w.previousVersionId } : {}),
            detail: w.created
              ? `created ${w.name} (version ${w.versionId})`
              : `updated ${w.name}: version ${w.versionId}, previous ${w.previousVersionId ?? "?"}`,
            ...(w.previousVersionId
              ? {
                  rollback: `aws secretsmanager update-secret-version-stage --secret-id ${w.name || a.secretName} --version-stage AWSCURRENT --move-to-version-id ${w.previousVersionId} --remove-from-version-id ${w.versionId} ${region}`,
                }
              : {}),
          };
        }
        case "cdk-context": {
          const prev = await setCdkContext(a.cdkDir, a.key, a.value);
          return {
            kind: a.kind,
            resource,
            ok: true,
            detail: `set "${a.key}": ${a.value} (was ${prev === undefined ? "unset" : JSON.stringify(prev)})`,
          };
        }
        case "cdk-deploy": {
          before = new Set((await describeService(c, t.cluster, t.service)).deployments.map((d) => d.id));
          const run = await runCdk(
            a.cdkDir,
            a.args,
            c.target,
            (line, stream) => opts.onEvent?.({ type: "cdk-line", line, stream }),
            opts.signal,
          );
          const s = await describeService(c, t.cluster, t.service);
          const fresh = s.deployments
            .filter((d) => !before!.has(d.id))
            .sort((x, y) => (x.createdAt?.getTime() ?? 0) - (y.createdAt?.getTime() ?? 0))[0];
          if (run.exitCode !== 0)
            return {
              kind: a.kind,
              resource,
              ok: false,
              cdkExitCode: run.exitCode,
              ...(fresh ? { deploymentId: fresh.id } : {}),
              detail: `cdk exited with ${run.exitCode}: ${run.tail.slice(-1)[0] ?? ""}`,
            };
          if (!fresh)
            return {
              kind: a.kind,
              resource,
              ok: false,
              cdkExitCode: 0,
              detail: "cdk deploy finished but started no new deployment of the service (nothing changed?)",
            };
          return {
            kind: a.kind,
            resource,
            ok: true,
            cdkExitCode: 0,
            deploymentId: fresh.id,
            taskDefinition: fresh.taskDefinition,
            detail: `cdk deploy done; deployment ${fresh.id} (${fresh.taskDefinition.split("/").pop()})`,
          };
        }
        case "register-task-definition": {
          const n = await copyTaskDefinition(c, a.from, {
            environment: a.environment,
            removeSecrets: a.removeSecrets,
          });
          registered = n.arn;
          return {
            kind: a.kind,
            resource: n.arn,
            ok: true,
            taskDefinition: n.arn,
            detail: `registered ${n.family}:${n.revision}`,
          };
        }
        case "force-new-deployment": {
          if (a.taskDefinition === "registered" && !registered)
            throw new AwsProblem("invalid", "no task definition was registered", "", "NoTaskDefinition");
          const u = await updateService(c, a.cluster, a.service, {
            forceNewDeployment: true,
            ...(a.taskDefinition === "registered" ? { taskDefinition: registered } : {}),
          });
          return {
            kind: a.kind,
            resource,
            ok: true,
            deploymentId: u.deploymentId,
            taskDefinition: u.taskDefinition,
            detail: `started deployment ${u.deploymentId} (${u.taskDefinition.split("/").pop()})`,
          };
        }
      }
    }
  } finally {
    dropValues(plan);
  }
}
