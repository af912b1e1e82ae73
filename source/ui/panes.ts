// What each pane shows, as rows: pure functions of the UI state, so they are tested and measured
// without a terminal. Secret VALUES never get here: the evidence holds key names only, and log
// lines are masked when they enter the state.

import type { LogLine, Severity, StepStatus } from "../diagnosis/model.js";
import type { StepState } from "../flow/analyze.js";
import type { ProblemInfo } from "../flow/collect.js";
import {
  type LogView,
  lineKey,
  logCursor,
  type PaneId,
  paneAge,
  paneLoading,
  paneProblem,
  stoppedTasksOf,
  taskLogLines,
  type UiState,
  visibleLogLines,
} from "../flow/ui-state.js";
import {
  nextStepText,
  stepSummaryText,
  stoppedCauseText,
  type TextContext,
  verdictTexts,
} from "./i18n/engine.js";
import { problemText } from "./i18n/problems.js";
import type { Catalog } from "./i18n.js";
import { keyLabel, keyOf } from "./keymap.js";
import {
  blank,
  type Color,
  fmtAge,
  fmtDateTime,
  fmtTime,
  pad,
  type Row,
  row,
  type Seg,
  seg,
  wrapRow,
} from "./rows.js";

export const STATUS_ICON: Record<StepStatus, string> = {
  pending: "·",
  running: "◌",
  ok: "✓",
  warn: "!",
  fail: "✗",
  skipped: "-",
};
export const STATUS_COLOR: Record<StepStatus, Color | undefined> = {
  pending: "gray",
  running: "cyan",
  ok: "green",
  warn: "yellow",
  fail: "red",
  skipped: "gray",
};
const SEV_COLOR: Record<Severity, Color | undefined> = {
  info: undefined,
  ok: "green",
  warn: "yellow",
  fail: "red",
};
const SEV_ICON: Record<Severity, string> = { info: " ", ok: "✓", warn: "!", fail: "✗" };

/** What the catalog's engine texts read: the analysis and the log group. */
export const textContext = (s: UiState): TextContext => ({
  analysis: s.analysis,
  ...(s.evidence.logGroup ? { logGroup: s.evidence.logGroup } : {}),
  problems: Object.values(s.evidence).flatMap((r) =>
    r && typeof r === "object" && "ok" in r && r.ok === false
      ? [(r as { problem: ProblemInfo }).problem]
      : [],
  ),
});

/** The runbook steps with live status and the one-line finding of each. */
export function stepRows(s: UiState, t: Catalog, highlight: readonly string[], titleCols: number): Row[] {
  const c = textContext(s);
  return s.analysis.steps.map((st: StepState) => {
    const on = highlight.includes(st.id);
    const summary =
      st.status === "running" ? t.status.running : stepSummaryText(t, st, c) || t.status[st.status];
    return row(
      seg(on ? "▸" : " ", { bold: true }),
      seg(`${STATUS_ICON[st.status]} `, { color: STATUS_COLOR[st.status], bold: true }),
      seg(pad(st.section, 4), { dim: true }),
      seg(pad(t.steps[st.id], titleCols), { bold: on }),
      seg(" "),
      seg(summary, {
        color: st.status === "fail" ? "red" : st.status === "warn" ? "yellow" : undefined,
        dim: st.status === "pending" || st.status === "skipped",
      }),
    );
  });
}

/** Pane title line: name, age, refreshing. */
export function paneTitle(s: UiState, t: Catalog, pane: PaneId): Row {
  const age = paneAge(s, pane);
  const parts: Seg[] = [seg(` ${t.panes[pane]} `, { bold: true, inverse: true })];
  if (pane === "tasks" && s.task) parts.push(seg(` ${t.task} ${s.task.taskId}`, { bold: true }));
  if (paneLoading(s, pane))
    parts.push(seg(`  ${age === undefined ? t.loading : t.refreshing}`, { color: "cyan" }));
  else if (age !== undefined) parts.push(seg(`  ${t.age(fmtAge(age))}`, { dim: true }));
  else parts.push(seg(`  ${t.notYet}`, { dim: true }));
  if (pane === "logs") parts.push(...logTitleExtras(s, t));
  return parts;
}

function logTitleExtras(s: UiState, t: Catalog): Seg[] {
  const v = s.logs;
  const out: Seg[] = [];
  const tail = s.tail;
  out.push(
    seg(
      `  ${tail.state === "live" ? t.tailLive : tail.state === "polling" ? t.tailPolling : tail.state === "starting" ? t.tailStarting : t.tailOff}`,
      { color: tail.state === "live" ? "green" : tail.state === "polling" ? "yellow" : "gray" },
    ),
  );
  out.push(
    seg(
      v.anchor === undefined ? `  ${t.follow}` : `  ${t.paused}`,
      v.anchor === undefined ? { dim: true } : { color: "yellow", bold: true },
    ),
  );
  out.push(seg(`  ${t.lines(v.buffer.lines.length)}`, { dim: true }));
  if (v.buffer.dropped > 0) out.push(seg(` (${t.dropped(v.buffer.dropped)})`, { dim: true }));
  if (v.errorsOnly) out.push(seg(`  [${t.errorsOnly}]`, { color: "yellow" }));
  if (v.wrap) out.push(seg(`  [${t.wrapOn}]`, { dim: true }));
  return out;
}

/** A failing pane says why, and which permission is missing. */
function problemRows(s: UiState, t: Catalog, pane: PaneId): Row[] | undefined {
  const p = paneProblem(s, pane);
  if (!p) return undefined;
  const x = problemText(t, p);
  const rows: Row[] = [row(seg(`✗ ${t.paneFailed}`, { color: "red", bold: true })), row(`  ${x.message}`)];
  if (p.kind === "access-denied") {
    const action = p.action ?? /needs (\S+)/.exec(p.hint)?.[1] ?? p.operation ?? p.code;
    rows.push(row(seg(`  ${t.missingPermission(action)}`, { color: "yellow", bold: true })));
  }
  if (x.hint) rows.push(row(seg(`  → ${x.hint}`, { dim: true })));
  rows.push(blank, row(seg(t.otherPanesWork, { dim: true })));
  return rows;
}

// ── 1 CloudFormation ──────────────────────────────────────────────────────────────────────

function cfnRows(s: UiState, t: Catalog): Row[] {
  const ev = s.evidence.stackEvents;
  if (ev?.ok !== true) return problemRows(s, t, "cloudformation") ?? [row(seg(t.loading, { dim: true }))];
  const a = s.analysis.cloudformation;
  const rows: Row[] = [];
  if (a?.stackStatus)
    rows.push(row(seg(`${t.cfnStackStatus}: `, { dim: true }), seg(a.stackStatus, { bold: true })));
  if (a && a.failures.length > 0) {
    rows.push(row(seg(t.cfnFailures, { bold: true })));
    for (const f of a.failures) {
      rows.push(
        row(
          seg(`${fmtTime(f.event.timestamp, s.now)} `, { dim: true }),
          seg(`${f.event.logicalResourceId} `, { bold: true }),
          seg(`${f.event.status} `, { color: "red" }),
          seg(f.event.reason ?? ""),
        ),
      );
      if (f.finding.nextStep)
        rows.push(row(seg(`    ${t.nextStep}: ${nextStepText(t, f.finding.nextStep)}`, { color: "cyan" })));
    }
  } else rows.push(row(seg(t.cfnNoFailures, { color: "green" })));
  rows.push(blank, row(seg(t.cfnAllEvents, { bold: true })));
  if (ev.value.length === 0) rows.push(row(seg(t.cfnNoEvents, { dim: true })));
  const sorted = [...ev.value].sort((x, y) => (y.timestamp?.getTime() ?? 0) - (x.timestamp?.getTime() ?? 0));
  for (const e of sorted.slice(0, 50))
    rows.push(
      row(
        seg(`${fmtTime(e.timestamp, s.now)} `, { dim: true }),
        seg(`${pad(e.logicalResourceId, 22)} `),
        seg(`${pad(e.status, 28)} `, {
          color: /FAILED/.test(e.status) ? "red" : /COMPLETE$/.test(e.status) ? "green" : undefined,
        }),
        seg(e.reason ?? "", { dim: true }),
      ),
    );
  return rows;
}

// ── 2 Service ─────────────────────────────────────────────────────────────────────────────

function serviceRows(s: UiState, t: Catalog): Row[] {
  const sv = s.evidence.service;
  if (sv?.ok !== true) return problemRows(s, t, "service") ?? [row(seg(t.loading, { dim: true }))];
  const svc = sv.value;
  const a = s.analysis.service;
  const rows: Row[] = [];
  rows.push(
    row(
      seg(svc.serviceName, { bold: true }),
      seg(
        `  ${t.running} ${svc.runningCount}/${t.desired} ${svc.desiredCount}  ${t.pendingCount} ${svc.pendingCount}`,
      ),
    ),
  );
  if (a?.deployment.circuitBreakerReason)
    rows.push(
      row(
        seg(`${t.circuitBreaker}: `, { bold: true }),
        seg(a.deployment.circuitBreakerReason, { color: "red" }),
      ),
    );
  rows.push(row(seg(t.deployments, { bold: true })));
  for (const d of svc.deployments) {
    const rev = d.taskDefinition.split("/").pop() ?? d.taskDefinition;
    rows.push(
      row(
        seg(pad(d.status, 8), { bold: d.status === "PRIMARY" }),
        seg(pad(d.rolloutState ?? "—", 12), {
          color: d.rolloutState === "FAILED" ? "red" : d.rolloutState === "COMPLETED" ? "green" : "cyan",
          bold: true,
        }),
        seg(`${d.runningCount}/${d.desiredCount} `),
        seg(d.failedTasks ? `${t.failedTasks} ${d.failedTasks} ` : "", { color: "red" }),
        seg(`${rev} `, { dim: true }),
        seg(`${d.id} `, { dim: true }),
        seg(d.rolloutStateReason ?? "", { dim: true }),
      ),
    );
  }
  rows.push(blank, row(seg(t.events, { bold: true })));
  if (!a || a.events.length === 0) rows.push(row(seg(t.noEvents, { dim: true })));
  for (const e of a?.events ?? []) {
    rows.push(
      row(
        seg(`${fmtTime(e.event.createdAt, s.now)} `, { dim: true }),
        seg(`${SEV_ICON[e.classified.severity]} `, { color: SEV_COLOR[e.classified.severity] }),
        seg(e.count > 1 ? `×${e.count} ` : "", { color: "cyan" }),
        // The pane is about this service: its "(service NAME) " prefix only costs columns.
        seg(e.event.message.replace(/^\(service [^)]+\) /, ""), {
          color: e.classified.severity === "fail" ? "red" : undefined,
        }),
      ),
    );
  }
  return rows;
}

// ── 3 Stopped tasks ───────────────────────────────────────────────────────────────────────

function tasksRows(s: UiState, t: Catalog): Row[] {
  const r = s.evidence.stoppedTasks;
  if (r?.ok !== true) return problemRows(s, t, "tasks") ?? [row(seg(t.loading, { dim: true }))];
  const tasks = stoppedTasksOf(s);
  if (tasks.length === 0) return [row(seg(t.noTasks, { color: "green" }))];
  const findings = s.analysis.stoppedTasks?.findings ?? [];
  return tasks.map((task, i) => {
    const f = findings.find((x) => x.taskId === task.taskId);
    const on = i === s.cursor.tasks;
    return row(
      seg(on ? "▸ " : "  ", { bold: true }),
      seg(`${task.taskId.slice(0, 8)} `, { bold: on, inverse: on }),
      seg(`${fmtTime(task.stoppedAt, s.now)} `, { dim: true }),
      seg(`${pad(task.stopCode ?? "", 24)} `, { color: f?.failure ? "red" : undefined }),
      seg(f ? `${stoppedCauseText(t, f)}: ` : "", { bold: true }),
      seg(task.stoppedReason ?? ""),
    );
  });
}

export function taskDetailRows(s: UiState, t: Catalog, cols: number): Row[] {
  const d = s.task;
  if (!d) return [];
  const task = stoppedTasksOf(s).find((x) => x.taskId === d.taskId);
  if (!task) return [row(seg(t.noTasks, { dim: true }))];
  const f = s.analysis.stoppedTasks?.findings.find((x) => x.taskId === task.taskId);
  const rows: Row[] = [];
  const kv = (k: string, v: string, style: Omit<Seg, "text"> = {}) =>
    rows.push(...wrapRow(row(seg(`${pad(k, 16)}`, { dim: true }), seg(v, style)), cols, 16));
  kv(t.task, task.taskArn);
  kv(t.stoppedReason, task.stoppedReason ?? "—", { color: f?.failure ? "red" : undefined, bold: true });
  kv(t.stopCode, task.stopCode ?? "—");
  if (f)
    kv(t.nextStep, `${stoppedCauseText(t, f)}${f.nextStep ? ` ${nextStepText(t, f.nextStep)}` : ""}`, {
      color: "cyan",
    });
  const tdName = task.taskDefinitionArn.split("/").pop() ?? task.taskDefinitionArn;
  const rev = tdName.split(":").pop();
  kv(t.taskDefinition, `${tdName} (${t.revision} ${rev})`);
  if (task.startedBy) kv(t.startedBy, task.startedBy);
  kv(
    t.times,
    `${t.created} ${fmtDateTime(task.createdAt)} · ${t.started} ${fmtTime(task.startedAt)} · ${t.stopping} ${fmtTime(task.stoppingAt)} · ${t.stopped} ${fmtTime(task.stoppedAt)}`,
  );
  rows.push(row(seg(t.containers, { bold: true })));
  for (const c of task.containers) {
    rows.push(
      ...wrapRow(
        row(
          seg(`  ${c.name} `, { bold: true }),
          seg(`${t.exitCode} ${c.exitCode ?? "—"} `, { color: c.exitCode ? "red" : undefined }),
          seg(c.lastStatus ? `${c.lastStatus} ` : "", { dim: true }),
          seg(c.reason ? `${t.reason}: ${c.reason}` : ""),
        ),
        cols,
        4,
      ),
    );
  }
  rows.push(row(seg(t.taskLogs, { bold: true })));
  const lines = taskLogLines(s, task.taskId);
  if (lines.length === 0)
    rows.push(
      row(
        seg(
          d.logsLoading
            ? t.taskLogsLoading
            : d.logsProblem
              ? problemText(t, d.logsProblem).message
              : t.taskNoLogs,
          {
            dim: true,
          },
        ),
      ),
    );
  for (const l of lines)
    rows.push(
      ...wrapRow(row(seg(`${fmtTime(l.timestamp)} `, { dim: true }), ...highlighted(l.message, "")), cols, 9),
    );
  return rows;
}

// ── 4 Logs ────────────────────────────────────────────────────────────────────────────────

function highlighted(text: string, q: string): Seg[] {
  const color: Color | undefined = /\b(error|fatal|exception|fail)/i.test(text) ? "red" : undefined;
  if (!q) return [seg(text, { color })];
  const out: Seg[] = [];
  const lower = text.toLowerCase();
  const ql = q.toLowerCase();
  let i = 0;
  for (;;) {
    const j = lower.indexOf(ql, i);
    if (j < 0) break;
    if (j > i) out.push(seg(text.slice(i, j), { color }));
    out.push(seg(text.slice(j, j + q.length), { inverse: true, bold: true, color: "yellow" }));
    i = j + q.length;
  }
  if (i < text.length) out.push(seg(text.slice(i), { color }));
  return out;
}

function prettyJson(message: string): string[] | undefined {
  const start = message.indexOf("{");
  if (start < 0) return undefined;
  try {
    const v = JSON.parse(message.slice(start));
    if (typeof v !== "object" || v === null) return undefined;
    return JSON.stringify(v, null, 2).split("\n");
  } catch {
    return undefined;
  }
}

function logLineRows(l: LogLine, v: LogView, cols: number, cursor: boolean): Row[] {
  const prefix: Seg[] = [];
  prefix.push(seg(cursor ? "▸" : " ", { bold: true, color: "cyan" }));
  if (v.timestamps) prefix.push(seg(`${fmtTime(l.timestamp)} `, { dim: true }));
  prefix.push(
    seg(`${(l.taskId ?? l.stream.split("/").pop() ?? "").slice(0, 8).padEnd(8)} `, {
      color: "cyan",
      dim: !cursor,
    }),
  );
  const indent = prefix.reduce((n, p) => n + p.text.length, 0);
  if (cursor && v.pretty) {
    const pretty = prettyJson(l.message);
    if (pretty) {
      const head = l.message.slice(0, l.message.indexOf("{")).trimEnd();
      return [
        row(...prefix, ...highlighted(head || "JSON", v.filter)),
        ...pretty.flatMap((p) => wrapRow(row(" ".repeat(indent), ...highlighted(p, v.filter)), cols, indent)),
      ];
    }
  }
  const r = row(...prefix, ...highlighted(l.message, v.filter));
  if (cursor) for (const p of r) if (p.text && !p.color) p.bold = true;
  return v.wrap ? wrapRow(r, cols, indent) : [r];
}

/** The log pane's visible rows: exactly `height` or fewer, following or around the cursor. */
export function logRows(s: UiState, t: Catalog, cols: number, height: number): Row[] {
  const v = s.logs;
  const visible = visibleLogLines(v);
  const rows: Row[] = [];
  if (v.editing || v.filter) {
    rows.push(
      row(
        seg(t.filterPrompt, { bold: true, color: "yellow" }),
        seg(v.filter),
        seg(v.editing ? "█" : "", { color: "yellow" }),
        seg(`  ${t.matches(visible.length)}`, { dim: true }),
      ),
    );
  }
  const room = Math.max(1, height - rows.length);
  if (visible.length === 0) {
    const p = s.tail.problem;
    if (p) {
      const x = problemText(t, p);
      rows.push(row(seg(`✗ ${x.message}`, { color: "red" })));
      if (x.hint) rows.push(row(seg(`  → ${x.hint}`, { dim: true })));
    } else
      rows.push(
        row(
          seg(v.buffer.lines.length ? t.logsNoMatch : s.tail.state === "off" ? t.tailOff : t.logsEmpty, {
            dim: true,
          }),
        ),
      );
    return rows;
  }
  const cur = logCursor(v, visible);
  // From the cursor line, fill upwards (following: the cursor is the newest line, at the bottom);
  // when paused keep the cursor about a third from the bottom.
  const below = v.anchor === undefined ? 0 : Math.floor(room / 3);
  const body: Row[] = [];
  const curRows = logLineRows(visible[cur]!, v, cols, true);
  body.push(...curRows);
  let up = cur - 1;
  let down = cur + 1;
  let belowUsed = 0;
  while (down < visible.length && belowUsed < below && body.length < room) {
    const r = logLineRows(visible[down]!, v, cols, false);
    body.push(...r);
    belowUsed += r.length;
    down++;
  }
  while (up >= 0 && body.length < room) {
    const r = logLineRows(visible[up]!, v, cols, false);
    body.unshift(...r);
    up--;
  }
  while (down < visible.length && body.length < room) {
    body.push(...logLineRows(visible[down]!, v, cols, false));
    down++;
  }
  // Too many rows (a wrapped line): keep the cursor line in view.
  let out = body;
  if (out.length > room) {
    const curAt = out.indexOf(curRows[0]!);
    const start = Math.max(0, Math.min(curAt, out.length - room));
    out = out.slice(start, start + room);
  }
  return [...rows, ...out];
}

// ── 5 Secrets ─────────────────────────────────────────────────────────────────────────────

function secretsRows(s: UiState, t: Catalog): Row[] {
  const checks = s.analysis.secrets;
  if (!checks) return problemRows(s, t, "secrets") ?? [row(seg(t.loading, { dim: true }))];
  const rows: Row[] = [];
  if (checks.length === 0) rows.push(row(seg(t.secretsNone, { dim: true })));
  for (const c of checks) {
    const bad = c.exists === false || c.deleted;
    rows.push(
      row(
        seg(bad ? "✗ " : c.missingKeys.length || c.isJson === false ? "✗ " : "✓ ", {
          color: bad || c.missingKeys.length || c.isJson === false ? "red" : "green",
          bold: true,
        }),
        seg(c.name, { bold: true }),
        seg("  "),
        seg(c.exists === false ? t.missing : c.deleted ? t.scheduledDeletion : c.exists ? t.exists : "?", {
          color: bad ? "red" : c.exists ? "green" : "yellow",
          bold: bad,
        }),
        seg(`  ${t.lastAccessed}: ${c.lastAccessed ? fmtDateTime(c.lastAccessed).slice(0, 10) : t.never}`, {
          dim: true,
        }),
      ),
    );
    if (c.isJson === false) rows.push(row(seg(`    ${t.notJson}`, { color: "red" })));
    if (c.error && c.isJson === undefined && c.exists !== false)
      rows.push(row(seg(`    ${c.error.code}: ${c.error.message}`, { color: "yellow" })));
    const keySegs: Seg[] = [seg(`    ${t.keys}: `, { dim: true })];
    for (const k of c.requiredKeys) {
      const missing = c.missingKeys.includes(k);
      const empty = c.emptyKeys?.includes(k);
      keySegs.push(
        seg(`${missing ? "✗" : empty ? "!" : "✓"}${k} `, {
          color: missing ? "red" : empty ? "yellow" : "green",
          bold: missing,
        }),
      );
    }
    if (c.requiredKeys.length) rows.push(keySegs);
    if (c.missingKeys.length)
      rows.push(row(seg(`    ${t.keyMissing}: ${c.missingKeys.join(", ")}`, { color: "red", bold: true })));
    if (c.exists !== false)
      rows.push(
        row(
          seg(`    ${t.access}: `, { dim: true }),
          seg(t.accessVerdict[c.access], {
            color:
              c.access === "allowed"
                ? "green"
                : c.access === "unknown"
                  ? undefined
                  : c.access === "conditional"
                    ? "yellow"
                    : "red",
            bold: c.access === "denied" || c.access === "kms-denied",
          }),
          seg(c.kmsKeyId ? `  KMS ${c.kmsKeyId}` : "", { dim: true }),
        ),
      );
  }
  const role = s.analysis.role;
  rows.push(blank);
  if (role) {
    rows.push(row(seg(`${t.role}: `, { bold: true }), seg(role.roleName)));
    rows.push(
      row(
        seg(`    ${t.policies}: `, { dim: true }),
        seg([...role.attachedPolicies, ...role.inlinePolicies.map((p) => `${p} (inline)`)].join(", ") || "—"),
      ),
    );
  } else {
    const p = s.evidence.role;
    if (p && !p.ok)
      rows.push(
        row(seg(`${t.role}: `, { bold: true }), seg(problemText(t, p.problem).message, { color: "yellow" })),
      );
  }
  return rows;
}

// ── 6 Verdict ─────────────────────────────────────────────────────────────────────────────

export function verdictRows(s: UiState, t: Catalog, compact = false): Row[] {
  const v = s.analysis.verdict;
  if (!v) return [row(seg(t.verdictPending, { dim: true }))];
  const rows: Row[] = [];
  const vt = verdictTexts(t, v, textContext(s));
  const bad = v.scenario !== "healthy";
  rows.push(
    row(
      seg(`${t.scenario}: `, { bold: true }),
      seg(v.scenario, { bold: true, color: bad ? "red" : "green", inverse: bad }),
      seg(`  ${t.confidence} ${vt.confidence}`, { dim: true }),
    ),
  );
  rows.push(row(seg(vt.summary)));
  if (v.fix) {
    rows.push(
      row(
        seg(`${t.fix}: `, { bold: true }),
        seg(v.fix, { bold: true, color: "yellow" }),
        seg(`  ${t.openFixHint(keyLabel(keyOf("openFix")), v.fix)}`, { color: "cyan" }),
      ),
    );
  } else rows.push(row(seg(t.noFix, { dim: true })));
  rows.push(row(seg(`${t.nextStep}: `, { bold: true }), seg(vt.nextStep, { color: "cyan" })));
  if (compact) return rows;
  if (v.detail.databaseEnabled)
    rows.push(row(seg(`${t.databaseEnabled}: `, { dim: true }), seg(v.detail.databaseEnabled)));
  rows.push(blank, row(seg(t.evidence, { bold: true })));
  for (const e of vt.evidence)
    rows.push(row(seg(`  ${t.step} ${stepSection(s, e.step)} `, { dim: true }), seg(e.text)));
  if (v.notChecked.length) {
    rows.push(blank, row(seg(t.notChecked, { bold: true, color: "yellow" })));
    for (const n of v.notChecked)
      rows.push(row(seg(`  ${t.step} ${stepSection(s, n.step)} `, { dim: true }), seg(n.reason)));
  }
  return rows;
}

const stepSection = (s: UiState, id: string) => s.analysis.steps.find((x) => x.id === id)?.section ?? "?";

/** The rows of a pane's body (before scrolling). The log pane scrolls itself (logRows). */
export function paneRows(s: UiState, t: Catalog, pane: PaneId, cols: number): Row[] {
  switch (pane) {
    case "cloudformation":
      return cfnRows(s, t);
    case "service":
      return serviceRows(s, t);
    case "tasks":
      return s.task ? taskDetailRows(s, t, cols) : tasksRows(s, t);
    case "secrets":
      return secretsRows(s, t);
    case "verdict":
      return verdictRows(s, t);
    case "logs":
      return [];
  }
}

export { lineKey };
