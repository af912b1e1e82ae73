// From (possibly partial) evidence to the runbook's steps and the verdict. Pure, so the UI can run
// it on every piece of evidence as it arrives and the diagnose command on the whole.

import { analyzeStackEvents, type CfnAnalysis } from "../diagnosis/cloudformation.js";
import { analyzeLogs, type LogsAnalysis } from "../diagnosis/logs.js";
import {
  type AccessVerdict,
  type DatabaseStackInfo,
  type Finding,
  type RoleCheck,
  type SecretCheck,
  type Severity,
  type StepId,
  type StepStatus,
  type Unchecked,
  unchecked,
} from "../diagnosis/model.js";
import { type DatabaseEnabledDecision, databaseEnabledDecision } from "../diagnosis/secrets.js";
import { analyzeService, type ServiceEventsAnalysis } from "../diagnosis/service-events.js";
import { analyzeStoppedTasks, type StoppedTasksAnalysis } from "../diagnosis/stopped-tasks.js";
import { decideVerdict, type Verdict, type VerdictInput } from "../diagnosis/verdict.js";
import {
  type AccessCheck,
  type Evidence,
  fatalProblem,
  type ProblemInfo,
  type Result,
  type RoleEvidence,
  type SecretEvidence,
} from "./collect.js";

export interface StepState {
  id: StepId;
  /** Runbook section: 1, 2, 3, 4, 5, 5.5, 6. */
  section: string;
  title: string;
  status: StepStatus;
  /** One line: the finding of the step. */
  summary: string;
  nextStep?: string;
  findings: Finding[];
  problem?: ProblemInfo;
}

export interface Analysis {
  steps: StepState[];
  cloudformation?: CfnAnalysis;
  service?: ServiceEventsAnalysis;
  stoppedTasks?: StoppedTasksAnalysis;
  logs?: LogsAnalysis;
  secrets?: SecretCheck[];
  role?: RoleCheck;
  decision?: DatabaseEnabledDecision;
  database?: DatabaseStackInfo;
  /** Only when every step has answered (or failed). */
  verdict?: Verdict;
}

export const STEP_TITLES: Record<StepId, { section: string; title: string }> = {
  cloudformation: { section: "1", title: "CloudFormation events" },
  "service-events": { section: "2", title: "ECS service events" },
  "stopped-tasks": { section: "3", title: "Stopped tasks" },
  logs: { section: "4", title: "Container logs" },
  secrets: { section: "5", title: "Secrets" },
  iam: { section: "5.5", title: "IAM permissions" },
  decision: { section: "6", title: "Decision: database on or off" },
};

const statusOf = (s: Severity | undefined): StepStatus =>
  s === "fail" ? "fail" : s === "warn" ? "warn" : "ok";

function step(id: StepId, status: StepStatus, summary: string, extra: Partial<StepState> = {}): StepState {
  return { id, ...STEP_TITLES[id], status, summary, findings: [], ...extra };
}

function unanswered(id: StepId, r: Result<unknown> | undefined, running: boolean): StepState | undefined {
  if (r === undefined) return step(id, running ? "running" : "pending", running ? "…" : "");
  if (!r.ok) {
    const skipped = /^needs /.test(r.problem.message);
    return step(
      id,
      skipped ? "skipped" : "fail",
      r.problem.hint ? `${r.problem.message} — ${r.problem.hint}` : r.problem.message,
      {
        problem: r.problem,
      },
    );
  }
  return undefined;
}

const asUnchecked = (r: Result<unknown> | undefined): Unchecked | undefined =>
  r && !r.ok
    ? unchecked(r.problem.hint ? `${r.problem.message} (${r.problem.hint})` : r.problem.message)
    : undefined;

function accessVerdict(a: AccessCheck | undefined): AccessVerdict {
  if (!a) return "unknown";
  if (a.getSecretValue === "explicitDeny" || a.getSecretValue === "implicitDeny") return "denied";
  if (a.kmsDecrypt === "explicitDeny" || a.kmsDecrypt === "implicitDeny") return "kms-denied";
  if (a.getSecretValue === "conditional" || a.kmsDecrypt === "conditional") return "conditional";
  if (a.getSecretValue === "allowed") return "allowed";
  return "unknown";
}

export function secretChecks(secrets: SecretEvidence[], role: RoleEvidence | undefined): SecretCheck[] {
  return secrets.map(({ required, facts }) => {
    const access = role?.access.find(
      (a) => a.secretName === required.name || (facts.arn && a.secretArn === facts.arn),
    );
    const k = facts.keys;
    const error = facts.describeError ?? facts.valueError;
    return {
      ref: required.ref,
      name: required.name,
      ...(facts.arn ? { arn: facts.arn } : {}),
      exists: facts.exists,
      deleted: Boolean(facts.deletedDate),
      deletedDate: facts.deletedDate,
      isJson: k ? k.isObject : undefined,
      requiredKeys: required.requiredKeys,
      presentKeys: k?.presentKeys ?? [],
      missingKeys: k ? k.missingKeys : facts.exists === false ? [...required.requiredKeys] : [],
      emptyKeys: k?.emptyKeys ?? [],
      ...(facts.kmsKeyId ? { kmsKeyId: facts.kmsKeyId } : {}),
      lastAccessed: facts.lastAccessed,
      access: accessVerdict(access),
      ...(error && facts.exists !== false ? { error } : {}),
    };
  });
}

export function roleCheck(r: RoleEvidence): RoleCheck {
  return {
    roleArn: r.roleArn,
    roleName: r.policies.roleName,
    attachedPolicies: r.policies.attached.map((a) => a.name),
    inlinePolicies: r.policies.inline,
    access: r.access.map((a) => ({
      secretArn: a.secretArn,
      verdict: accessVerdict(a),
      via: a.via,
      ...(a.kmsDecrypt ? { detail: `kms:Decrypt ${a.kmsDecrypt}` } : {}),
    })),
  };
}

function secretLine(s: SecretCheck): { severity: Severity; text: string } {
  if (s.exists === false)
    return { severity: "fail", text: `${s.name}: does not exist (ResourceNotFoundException)` };
  if (s.deleted) return { severity: "fail", text: `${s.name}: scheduled for deletion` };
  if (s.error && s.isJson === undefined)
    return { severity: "warn", text: `${s.name}: ${s.error.code}: ${s.error.message}` };
  if (s.isJson === false) return { severity: "fail", text: `${s.name}: value is not a JSON object` };
  if (s.missingKeys.length > 0)
    return { severity: "fail", text: `${s.name}: missing ${s.missingKeys.join(", ")}` };
  if (s.emptyKeys && s.emptyKeys.length > 0)
    return { severity: "warn", text: `${s.name}: empty ${s.emptyKeys.join(", ")}` };
  if (s.access === "denied") return { severity: "fail", text: `${s.name}: execution role may not read it` };
  if (s.access === "kms-denied")
    return { severity: "fail", text: `${s.name}: execution role may not decrypt its KMS key` };
  return { severity: "ok", text: `${s.name}: ok (${s.presentKeys.length} keys)` };
}

/** `inFlight`: which evidence is being fetched now (for "running" instead of "pending"). */
export function analyze(ev: Partial<Evidence>, inFlight = true): Analysis {
  const a: Analysis = { steps: [] };
  const steps: StepState[] = [];

  // 1 CloudFormation
  if (ev.stackEvents?.ok) {
    const cfn = analyzeStackEvents(ev.stackEvents.value, ev.target?.stack);
    a.cloudformation = cfn;
    steps.push(
      step("cloudformation", statusOf(cfn.primary.severity), cfn.primary.text, {
        nextStep: cfn.primary.nextStep,
        findings: cfn.failures.map((f) => f.finding),
      }),
    );
  } else if (ev.stackEvents && !ev.stackEvents.ok && ev.stackEvents.problem.kind === "not-found") {
    const p = ev.stackEvents.problem;
    steps.push(step("cloudformation", "warn", `${p.message}${p.hint ? ` — ${p.hint}` : ""}`, { problem: p }));
  } else steps.push(unanswered("cloudformation", ev.stackEvents, inFlight)!);

  // 2 service events
  if (ev.service?.ok) {
    const svc = analyzeService(ev.service.value);
    a.service = svc;
    steps.push(
      step("service-events", statusOf(svc.primary.severity), svc.primary.text, {
        nextStep: svc.primary.nextStep,
        findings: svc.events.map((e) => e.classified),
      }),
    );
  } else steps.push(unanswered("service-events", ev.service, inFlight)!);

  // 3 stopped tasks
  if (ev.stoppedTasks?.ok) {
    const failedId = a.service?.deployment.failedDeploymentId;
    const st = analyzeStoppedTasks(ev.stoppedTasks.value, failedId);
    a.stoppedTasks = st;
    const p = st.primary;
    const n = ev.stoppedTasks.value.length;
    steps.push(
      p
        ? step("stopped-tasks", statusOf(p.severity), `${p.cause}: ${p.stoppedReason}`, {
            nextStep: p.nextStep,
            findings: st.findings,
          })
        : step(
            "stopped-tasks",
            "ok",
            n === 0 ? "No stopped tasks in the last hour" : `${n} stopped, none failed`,
            {
              findings: st.findings,
            },
          ),
    );
  } else steps.push(unanswered("stopped-tasks", ev.stoppedTasks, inFlight)!);

  // 4 logs
  if (ev.logs?.ok) {
    const lg = analyzeLogs(ev.logs.value);
    a.logs = lg;
    const p = lg.primary;
    steps.push(
      p
        ? step("logs", statusOf(p.severity), p.text, {
            nextStep: p.nextStep,
            findings: lg.summary.map((s) => s.example),
          })
        : step(
            "logs",
            "ok",
            lg.filteredCount === 0
              ? `No error lines in ${ev.logGroup} (30 min)`
              : `${lg.filteredCount} error lines, none known`,
          ),
    );
  } else if (ev.logs && !ev.logs.ok && ev.logs.problem.code === "ResourceNotFoundException") {
    steps.push(
      step("logs", "warn", `Log group ${ev.logGroup} does not exist — check --log-group`, {
        problem: ev.logs.problem,
      }),
    );
  } else steps.push(unanswered("logs", ev.logs, inFlight)!);

  // 5 secrets (5.1–5.4), using 5.5's access where known
  const role = ev.role?.ok ? ev.role.value : undefined;
  if (ev.secrets?.ok) {
    const checks = secretChecks(ev.secrets.value, role);
    a.secrets = checks;
    const lines = checks.map(secretLine);
    const worst = lines.find((l) => l.severity === "fail") ?? lines.find((l) => l.severity === "warn");
    steps.push(
      step(
        "secrets",
        worst ? statusOf(worst.severity) : "ok",
        worst
          ? worst.text
          : checks.length === 0
            ? "The task definition references no secrets"
            : `All ${checks.length} secrets have their keys`,
        {
          nextStep: worst ? "→ Schritt 6" : undefined,
          findings: lines.map((l) => ({
            step: "secrets" as const,
            id: "secret",
            severity: l.severity,
            text: l.text,
          })),
        },
      ),
    );
  } else steps.push(unanswered("secrets", ev.secrets, inFlight)!);

  // 5.5 IAM
  if (role) {
    const rc = roleCheck(role);
    a.role = rc;
    const denied = rc.access.filter((x) => x.verdict === "denied" || x.verdict === "kms-denied");
    const policies = [...rc.attachedPolicies, ...rc.inlinePolicies.map((p) => `${p} (inline)`)];
    steps.push(
      step(
        "iam",
        denied.length
          ? "fail"
          : rc.access.some((x) => x.verdict === "conditional" || x.verdict === "unknown")
            ? "warn"
            : "ok",
        denied.length
          ? `${rc.roleName} may not ${denied[0]!.verdict === "kms-denied" ? "kms:Decrypt the key of" : "secretsmanager:GetSecretValue"} ${denied[0]!.secretArn.split(":secret:")[1] ?? denied[0]!.secretArn}`
          : `${rc.roleName}: ${policies.join(", ") || "no policies"}`,
        {
          findings: rc.access.map((x) => ({
            step: "iam" as const,
            id: `access-${x.verdict}`,
            severity:
              x.verdict === "allowed"
                ? "ok"
                : x.verdict === "conditional" || x.verdict === "unknown"
                  ? "warn"
                  : "fail",
            text: `${x.secretArn.split(":secret:")[1] ?? x.secretArn}: ${x.verdict} (${x.via === "simulate" ? "SimulatePrincipalPolicy" : "policy documents"})`,
          })),
        },
      ),
    );
  } else steps.push(unanswered("iam", ev.role, inFlight)!);

  // 6 decision
  if (ev.taskDefinition?.ok) {
    const d = databaseEnabledDecision(ev.taskDefinition.value);
    a.decision = d;
    steps.push(step("decision", d.value === "true" || d.value === "false" ? "ok" : "warn", d.text));
  } else steps.push(unanswered("decision", ev.taskDefinition, inFlight)!);

  if (ev.databaseStack?.ok) {
    const s = ev.databaseStack.value;
    a.database = {
      deployed: Boolean(s?.outputs.Afu9DbEndpoint),
      ...(s?.outputs.Afu9DbEndpoint ? { endpoint: s.outputs.Afu9DbEndpoint } : {}),
      ...(s?.outputs.Afu9DbSecretArn ? { masterSecretArn: s.outputs.Afu9DbSecretArn } : {}),
    };
  }
  a.steps = steps;

  const keys = [
    "stackEvents",
    "service",
    "stoppedTasks",
    "logs",
    "taskDefinition",
    "secrets",
    "role",
    "databaseStack",
  ] as const;
  if (keys.every((k) => ev[k] !== undefined)) {
    const input: VerdictInput = {
      cloudformation: a.cloudformation ?? asUnchecked(ev.stackEvents),
      service: a.service ?? asUnchecked(ev.service),
      stoppedTasks: a.stoppedTasks ?? asUnchecked(ev.stoppedTasks),
      logs: a.logs ?? asUnchecked(ev.logs),
      taskDefinition: ev.taskDefinition?.ok ? ev.taskDefinition.value : asUnchecked(ev.taskDefinition),
      secrets: a.secrets ?? asUnchecked(ev.secrets),
      role: a.role ?? asUnchecked(ev.role),
      database: a.database ?? asUnchecked(ev.databaseStack),
    };
    a.verdict = decideVerdict(input);
    // Nothing could be checked (no credentials, no network): say that, not "walk the runbook".
    const fatal = fatalProblem(ev);
    if (fatal)
      a.verdict = {
        ...a.verdict,
        summary: `Could not diagnose: ${fatal.message}.`,
        nextStep: fatal.hint || "Check the credentials and the network, then refresh",
      };
  }
  return a;
}
