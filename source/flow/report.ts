// The diagnosis as text, JSON or the runbook's support bundle (Markdown). Evidence holds no secret
// values (key names only); log lines are masked anyway, since an app may log a connection string.

import { maskCredentials } from "../diagnosis/mask.js";
import type { Analysis, StepState } from "./analyze.js";
import type { Evidence } from "./collect.js";

export interface Report {
  evidence: Evidence;
  analysis: Analysis;
  requests: number;
  elapsedMs: number;
}

const MARK: Record<StepState["status"], string> = {
  ok: "✓",
  warn: "!",
  fail: "✗",
  skipped: "-",
  pending: " ",
  running: "…",
};

export function exitCodeOf(r: Report): number {
  const v = r.analysis.verdict;
  const service = r.evidence.service;
  if (!service.ok && service.problem.kind !== "not-found") return 3;
  if (!service.ok) return 3;
  if (!v) return 3;
  if (v.scenario === "healthy") return 0;
  return 1;
}

const iso = (d: Date | undefined) => (d ? d.toISOString().replace(/\.\d{3}Z$/, "Z") : "");

export function toJson(r: Report): unknown {
  const v = r.analysis.verdict;
  return {
    verdict: v
      ? {
          scenario: v.scenario,
          fix: v.fix,
          summary: v.summary,
          nextStep: v.nextStep,
          confidence: v.confidence,
          evidence: v.evidence,
          notChecked: v.notChecked,
        }
      : null,
    steps: r.analysis.steps.map((s) => ({
      id: s.id,
      section: s.section,
      title: s.title,
      status: s.status,
      summary: s.summary,
      ...(s.nextStep ? { nextStep: s.nextStep } : {}),
    })),
    findings: r.analysis.steps.flatMap((s) =>
      s.findings.map((f) => ({
        step: f.step,
        id: f.id,
        severity: f.severity,
        text: maskCredentials(f.text),
      })),
    ),
    secrets: (r.analysis.secrets ?? []).map((s) => ({
      name: s.name,
      exists: s.exists,
      deleted: s.deleted,
      isJson: s.isJson,
      requiredKeys: s.requiredKeys,
      presentKeys: s.presentKeys,
      missingKeys: s.missingKeys,
      access: s.access,
    })),
    target: {
      region: r.evidence.target.region,
      cluster: r.evidence.target.cluster,
      service: r.evidence.target.service,
      stack: r.evidence.target.stack,
      logGroup: r.evidence.logGroup,
    },
    requests: r.requests,
    elapsedMs: Math.round(r.elapsedMs),
  };
}

export function toText(r: Report): string {
  const t = r.evidence.target;
  const out: string[] = [`afu9-tui diagnose: ${t.service} in ${t.cluster} (${t.region})`, ""];
  for (const s of r.analysis.steps) {
    out.push(
      ` ${MARK[s.status]} ${s.section.padEnd(4)}${s.title.padEnd(30)}${maskCredentials(s.summary)}${s.nextStep ? `  ${s.nextStep}` : ""}`,
    );
  }
  const v = r.analysis.verdict;
  out.push("");
  if (!v) {
    out.push("No verdict: the diagnosis did not finish.");
    return out.join("\n");
  }
  out.push(`Verdict: ${v.scenario} — ${v.summary}`);
  if (v.evidence.length) {
    out.push("Evidence:");
    for (const e of v.evidence) out.push(`  [${e.step}] ${maskCredentials(e.text)}`);
  }
  if (v.notChecked.length) {
    out.push("Could not check:");
    for (const n of v.notChecked) out.push(`  [${n.step}] ${n.reason}`);
  }
  out.push(v.fix ? `Fix: ${v.fix} — run: afu9-tui fix ${v.fix}` : `Next: ${v.nextStep}`);
  return out.join("\n");
}

const cell = (s: string | undefined) =>
  maskCredentials(s ?? "")
    .replace(/\|/g, "\\|")
    .replace(/\n/g, " ");

/** The runbook's "Support" bundle: steps 1–3, the log excerpt and the secret checklist (keys only). */
export function toMarkdown(r: Report): string {
  const t = r.evidence.target;
  const v = r.analysis.verdict;
  const out: string[] = [
    `# ECS circuit breaker diagnosis: ${t.service}`,
    "",
    `Cluster \`${t.cluster}\`, region \`${t.region}\`, stack \`${t.stack}\`, generated ${iso(r.evidence.collectedAt)} by afu9-tui (runbook I-ECS-DB-04). Secret values are not included.`,
    "",
    "## Verdict",
    "",
    v ? `**${v.scenario}** — ${cell(v.summary)}` : "No verdict.",
    "",
  ];
  if (v?.evidence.length) for (const e of v.evidence) out.push(`- ${e.step}: ${cell(e.text)}`);
  if (v)
    out.push(
      "",
      v.fix ? `Recommended fix: \`${v.fix}\` (\`afu9-tui fix ${v.fix}\`)` : `Next step: ${v.nextStep}`,
      "",
    );
  if (v?.notChecked.length) {
    out.push("Not checked:", "");
    for (const n of v.notChecked) out.push(`- ${n.step}: ${cell(n.reason)}`);
    out.push("");
  }
  out.push("## Steps", "", "| # | Step | Status | Finding |", "|---|---|---|---|");
  for (const s of r.analysis.steps)
    out.push(`| ${s.section} | ${s.title} | ${s.status} | ${cell(s.summary)} |`);

  out.push("", "## 1. CloudFormation events (failed, latest operation)", "");
  const failures = r.analysis.cloudformation?.failures ?? [];
  if (!r.evidence.stackEvents.ok) out.push(`Not available: ${cell(r.evidence.stackEvents.problem.message)}`);
  else if (failures.length === 0) out.push("(Leer) — no CloudFormation error.");
  else {
    out.push("| Time | Resource | Status | Reason |", "|---|---|---|---|");
    for (const f of failures)
      out.push(
        `| ${iso(f.event.timestamp)} | ${cell(f.event.logicalResourceId)} | ${f.event.status} | ${cell(f.event.reason)} |`,
      );
  }

  out.push("", "## 2. ECS service events", "");
  if (!r.evidence.service.ok) out.push(`Not available: ${cell(r.evidence.service.problem.message)}`);
  else {
    const s = r.evidence.service.value;
    out.push(
      "| Deployment | Status | Rollout | Running/Desired | Failed | Reason |",
      "|---|---|---|---|---|---|",
    );
    for (const d of s.deployments)
      out.push(
        `| ${d.id} | ${d.status} | ${d.rolloutState ?? ""} | ${d.runningCount}/${d.desiredCount} | ${d.failedTasks} | ${cell(d.rolloutStateReason)} |`,
      );
    out.push("", "| Time | Message |", "|---|---|");
    for (const e of s.events.slice(0, 10)) out.push(`| ${iso(e.createdAt)} | ${cell(e.message)} |`);
  }

  out.push("", "## 3. Stopped tasks", "");
  if (!r.evidence.stoppedTasks.ok)
    out.push(`Not available: ${cell(r.evidence.stoppedTasks.problem.message)}`);
  else if (r.evidence.stoppedTasks.value.length === 0)
    out.push("No stopped tasks (ECS keeps them about an hour).");
  else {
    out.push(
      "| Task | Stopped | stopCode | stoppedReason | Containers (exit code, reason) |",
      "|---|---|---|---|---|",
    );
    for (const task of r.evidence.stoppedTasks.value.slice(0, 5))
      out.push(
        `| ${task.taskId} | ${iso(task.stoppedAt)} | ${task.stopCode ?? ""} | ${cell(task.stoppedReason)} | ${cell(
          task.containers
            .map((c) => `${c.name}: ${c.exitCode ?? "null"}${c.reason ? ` (${c.reason})` : ""}`)
            .join("; "),
        )} |`,
      );
  }

  out.push("", `## 4. Container logs (${r.evidence.logGroup}, last 30 min, error filter)`, "");
  if (!r.evidence.logs.ok) out.push(`Not available: ${cell(r.evidence.logs.problem.message)}`);
  else if (r.evidence.logs.value.length === 0) out.push("No matching lines.");
  else {
    out.push("```");
    for (const l of r.evidence.logs.value.slice(-50))
      out.push(`${iso(l.timestamp)} ${l.taskId?.slice(0, 8) ?? l.stream} ${maskCredentials(l.message)}`);
    out.push("```");
  }

  out.push("", "## 5. Secrets (keys only)", "");
  if (!r.evidence.secrets.ok) out.push(`Not available: ${cell(r.evidence.secrets.problem.message)}`);
  else {
    out.push(
      "| Secret | Exists | JSON | Present keys | Missing keys | Role may read |",
      "|---|---|---|---|---|---|",
    );
    for (const s of r.analysis.secrets ?? [])
      out.push(
        `| ${s.name} | ${s.exists === undefined ? "?" : s.exists ? (s.deleted ? "scheduled for deletion" : "yes") : "no"} | ${
          s.isJson === undefined ? "?" : s.isJson ? "yes" : "no"
        } | ${s.presentKeys.join(", ")} | ${s.missingKeys.join(", ")} | ${s.access} |`,
      );
  }
  if (r.analysis.role) {
    const rc = r.analysis.role;
    out.push(
      "",
      `Execution role \`${rc.roleName}\`: ${[...rc.attachedPolicies, ...rc.inlinePolicies.map((p) => `${p} (inline)`)].join(", ") || "no policies"}`,
    );
  }
  out.push("");
  return out.join("\n");
}
