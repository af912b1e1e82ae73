// The I/O around planning: read the secret the fix writes and the RDS master secret (values stay
// in memory, in the snapshots, until `forget`), look at the CDK directory. The UI and
// `afu9-tui fix` both go: diagnose → prepareFix → (values) → buildPlan → preview → applyPlan →
// watchDeployment.

import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { readCdkContext } from "../aws/cdk.js";
import type { Clients } from "../aws/clients.js";
import { readSecret, type SecretSnapshot } from "../aws/secret-writer.js";
import {
  buildPlan,
  type DisableMode,
  type FieldPlan,
  type FixContext,
  type FixId,
  fieldsFor,
  inputKeys,
  masterSecretIdOf,
  type Plan,
  secretTargetOf,
} from "./fixes.js";

export interface PreparedFix {
  fixId: FixId;
  ctx: FixContext;
  /** The secret the fix writes, as read now (values in memory only). */
  current?: SecretSnapshot;
  /** The RDS master secret, when the fix copies from it. */
  master?: SecretSnapshot;
  /** Why the master secret could not be read (the values must then be typed). */
  masterProblem?: string;
  fields: FieldPlan[];
  /** Keys whose values must be typed / given on stdin / in AFU9_SECRET_<KEY>. */
  inputKeys: string[];
  disableMode?: DisableMode;
  cdkContext?: Record<string, unknown>;
}

/** Whether a directory holds a CDK app (cdk.json). */
export function cdkAppIn(dir: string | undefined): { cdkDir: string; hasCdkApp: boolean } {
  const cdkDir = resolve(dir ?? ".");
  return { cdkDir, hasCdkApp: existsSync(join(cdkDir, "cdk.json")) };
}

export async function prepareFix(
  c: Clients,
  fixId: FixId,
  ctx: FixContext,
  opts: { disableMode?: DisableMode } = {},
): Promise<PreparedFix> {
  const prep: PreparedFix = { fixId, ctx, fields: [], inputKeys: [] };
  if (fixId === "disable-database") {
    prep.disableMode = opts.disableMode ?? (ctx.hasCdkApp ? "cdk-deploy" : "task-definition");
    if (prep.disableMode === "cdk-context" && ctx.cdkDir) prep.cdkContext = await readCdkContext(ctx.cdkDir);
    return prep;
  }
  const target = secretTargetOf(fixId, ctx);
  if (!target) return prep;
  prep.current = await readSecret(c, target.name);
  const masterId = masterSecretIdOf(ctx);
  if (masterId && (fixId === "database-secret" || fixId === "sync-db-credentials")) {
    try {
      prep.master = await readSecret(c, masterId);
      if (!prep.master.exists) prep.masterProblem = `the RDS master secret ${masterId} does not exist`;
    } catch (e) {
      prep.masterProblem = `cannot read the RDS master secret: ${(e as Error).message}`;
    }
  }
  prep.fields = fieldsFor(fixId, ctx, prep.current, prep.master);
  prep.inputKeys = inputKeys(prep.fields);
  return prep;
}

/** The plan for these values, with fresh ClientRequestTokens (made now, at preview time). */
export function planFor(prep: PreparedFix, values?: ReadonlyMap<string, string>): Plan {
  return buildPlan(prep.fixId, prep.ctx, {
    current: prep.current,
    master: prep.master,
    values,
    token: randomUUID,
    disableMode: prep.disableMode,
    cdkContext: prep.cdkContext,
  });
}

/** Drops the values read into the snapshots. */
export function forget(prep: PreparedFix): void {
  for (const s of [prep.current, prep.master]) {
    if (!s?.json) continue;
    for (const k of Object.keys(s.json)) s.json[k] = undefined;
    s.json = undefined;
  }
}
