// The audit log: one JSON line per applied (or refused) action: what, which resource, when, the
// result. Never values: entries are built from names, ids and outcomes only.
// Path: $AFU9_AUDIT_LOG, else $XDG_STATE_HOME/afu9-tui/audit.log, else
// ~/.local/state/afu9-tui/audit.log. The file is created with mode 0600 (its folder 0700).

import { chmod, mkdir, open } from "node:fs/promises";
import { homedir, userInfo } from "node:os";
import { dirname, join } from "node:path";

export interface AuditEntry {
  /** ISO time. */
  time: string;
  user: string;
  fix: string;
  /** write-secret, force-new-deployment, cdk-deploy, cdk-context, register-task-definition, apply. */
  action: string;
  /** Secret name/ARN, cluster/service, task definition, directory. */
  resource: string;
  result: "ok" | "failed" | "refused";
  region?: string;
  account?: string;
  versionId?: string;
  previousVersionId?: string;
  deploymentId?: string;
  taskDefinition?: string;
  /** Key names written (never values). */
  keys?: string[];
  /** One line: why it failed / was refused. */
  detail?: string;
}

export function auditPath(env: Record<string, string | undefined> = process.env): string {
  if (env.AFU9_AUDIT_LOG) return env.AFU9_AUDIT_LOG;
  const state = env.XDG_STATE_HOME || join(homedir(), ".local", "state");
  return join(state, "afu9-tui", "audit.log");
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? "unknown";
  }
}

export type AuditFields = Omit<AuditEntry, "time" | "user"> & { time?: string; user?: string };

export class AuditLog {
  constructor(
    readonly path: string = auditPath(),
    private readonly now: () => Date = () => new Date(),
  ) {}

  async append(e: AuditFields): Promise<void> {
    const entry: AuditEntry = {
      time: e.time ?? this.now().toISOString(),
      user: e.user ?? currentUser(),
      ...e,
    };
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const fh = await open(this.path, "a", 0o600);
    try {
      await fh.appendFile(`${JSON.stringify(entry)}\n`, "utf8");
    } finally {
      await fh.close();
    }
    await chmod(this.path, 0o600).catch(() => {});
  }
}
