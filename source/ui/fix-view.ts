// The fix view as rows (pure: state → rows), and the key handler of the masked value input.
// Drawn by App.tsx in place of the panes (narrow) or beside the steps and the verdict (wide).
// Nothing here ever sees a secret value: the state has only how many characters were typed.

import { type PreviewRow, type PreviewTone, previewRows } from "../flow/fix-preview.js";
import {
  canApply,
  type FixLine,
  type FixStopped,
  type FixView,
  Masked,
  readyHeadOf,
  WENT_WRONG,
} from "../flow/ui-fix.js";
import type { UiState } from "../flow/ui-state.js";
import { fixMenuTexts, verdictTexts } from "./i18n/engine.js";
import { summaryLines } from "./i18n/fix-texts.js";
import { messageText } from "./i18n/problems.js";
import type { Catalog } from "./i18n.js";
import { keyLabel, keyOf, resolveKey } from "./keymap.js";
import { textContext } from "./panes.js";
import { blank, type Color, fmtAge, fmtTime, type Row, row, seg, wrapRow } from "./rows.js";
import type { Store } from "./store.js";

export interface FixBody {
  title: Row;
  rows: Row[];
  /** The last top row the body can scroll to. */
  limit: number;
}

const SEV: Record<string, Color | undefined> = { fail: "red", warn: "yellow", ok: "green", info: undefined };
const ACTION_ICON = { pending: "·", running: "…", ok: "✓", failed: "✗" } as const;
const ACTION_COLOR: Record<string, Color | undefined> = {
  pending: undefined,
  running: "cyan",
  ok: "green",
  failed: "red",
};

const TONE: Record<PreviewTone, Parameters<typeof seg>[1]> = {
  bold: { bold: true },
  added: { color: "green" },
  changed: { color: "yellow" },
  pending: { color: "magenta" },
  note: { color: "yellow" },
};

const previewRow = (r: PreviewRow): Row => row(seg(r.text, r.tone ? TONE[r.tone] : undefined));

function wrapAll(rows: Row[], cols: number, indent = 4): Row[] {
  return rows.flatMap((r) => wrapRow(r, cols, indent));
}

/** Scrolls `rows` under `fixed` rows that stay on top. */
function scrolled(
  f: FixView,
  t: Catalog,
  fixed: Row[],
  rows: Row[],
  height: number,
): { rows: Row[]; limit: number } {
  const room = Math.max(1, height - fixed.length);
  const limit = Math.max(0, rows.length - room);
  const top = Math.min(f.scroll, limit);
  const shown = rows.slice(top, top + room);
  if (limit > 0 && shown.length > 0) {
    const more = top < limit ? `↓ ${t.fix_.more}` : "";
    const less = top > 0 ? "↑" : "";
    if (more || less) {
      const lastRow = shown[shown.length - 1]!;
      shown[shown.length - 1] = [
        ...lastRow,
        seg(`  ${[less, more].filter(Boolean).join(" ")}`, { dim: true }),
      ];
    }
  }
  return { rows: [...fixed, ...shown], limit };
}

function actionRows(f: FixView, t: Catalog): Row[] {
  return f.actions.map((a, i) =>
    row(
      seg(` ${ACTION_ICON[a.status]} `, { color: ACTION_COLOR[a.status], bold: true }),
      seg(`${i + 1}/${f.actions.length} ${a.kind || t.loading} `, { bold: true }),
      seg(a.resource),
      seg(a.detail ? ` — ${t.fixText.actionDetail(a.detail)}` : "", {
        dim: a.status === "ok",
        color: a.status === "failed" ? "red" : undefined,
      }),
    ),
  );
}

const stoppedLine = (l: FixStopped, t: Catalog): FixLine => ({
  text: t.fixText.stopped(l.task),
  severity: l.severity,
  ...(l.at !== undefined ? { at: l.at } : {}),
});

const lineRow = (l: FixLine, now: number, indent = "  "): Row =>
  row(
    seg(`${indent}${l.at !== undefined ? `${fmtTime(new Date(l.at), now)} ` : ""}`, { dim: true }),
    seg(l.text, { color: SEV[l.severity] }),
  );

function snapshotRow(f: FixView, t: Catalog): Row {
  const s = f.snapshot;
  const r: Row = [seg(`${t.fix_.rollout} `, { dim: true })];
  const state = f.rolloutState ?? s?.rolloutState ?? "?";
  r.push(
    seg(state, {
      bold: true,
      color: state === "COMPLETED" ? "green" : state === "FAILED" ? "red" : "cyan",
    }),
  );
  if (s?.found) {
    r.push(
      seg(`  ${t.running} `, { dim: true }),
      seg(`${s.running}/${s.desired}`, { bold: true }),
      seg(`  ${t.pendingCount} `, { dim: true }),
      seg(`${s.pending}`, { bold: true }),
      seg(`  ${t.failedTasks} `, { dim: true }),
      seg(`${s.failed}`, { bold: true, color: s.failed > 0 ? "red" : undefined }),
    );
  }
  return r;
}

const pollAge = (f: FixView, t: Catalog, now: number): string =>
  f.lastPollAt !== undefined ? t.fix_.lastPoll(fmtAge(now - f.lastPollAt)) : t.fix_.noPollYet;

function readyRows(f: FixView, t: Catalog): Row[] {
  if (!f.ready) return [];
  // The checks are the app's own words (name: status — message).
  const lines = [
    t.fixText.readyHead(readyHeadOf(f.ready)),
    ...f.ready.checks.map((c) => `  ${c.name}: ${c.status}${c.message ? ` — ${c.message}` : ""}`),
  ];
  return [
    row(seg(t.fix_.readyChecks, { bold: true })),
    ...lines.map((l, i) =>
      row(
        seg(`  ${l}`, {
          color:
            i === 0
              ? f.ready?.ready
                ? "green"
                : "red"
              : /: (ok|not_configured)\b/.test(l)
                ? "green"
                : "yellow",
        }),
      ),
    ),
  ];
}

function menuBody(s: UiState, f: FixView, t: Catalog, cols: number): Row[] {
  if (f.menuLoading) return [row(seg(t.fix_.loadingMenu, { dim: true }))];
  const rows: Row[] = [];
  const idW = Math.max(...f.menu.map((e) => e.id.length), 10);
  const secW = Math.max(...f.menu.map((e) => e.section.length), 4) + 2;
  f.menu.forEach((entry, i) => {
    const e = { ...entry, ...fixMenuTexts(t, entry) };
    const on = i === f.cursor;
    rows.push(
      row(
        seg(on ? "▸ " : "  ", { bold: true }),
        seg(e.recommended ? "★ " : "  ", { color: "yellow", bold: true }),
        seg(e.id.padEnd(idW), { bold: true, inverse: on }),
        seg(`  ${e.section.padEnd(secW)}`, { dim: true }),
        seg(e.title),
      ),
    );
    if (on) {
      rows.push(...wrapRow(row(seg(`      ${e.description}`, { dim: true })), cols, 6));
      if (e.note) rows.push(...wrapRow(row(seg(`      ! ${e.note}`, { color: "yellow" })), cols, 8));
    }
  });
  const v = s.analysis.verdict;
  if (v)
    rows.push(
      blank,
      row(
        seg(`${t.scenario}: `, { dim: true }),
        seg(v.scenario, { bold: true }),
        seg(`  ${verdictTexts(t, v, textContext(s)).summary}`, { dim: true }),
      ),
    );
  return rows;
}

function inputsBody(f: FixView, t: Catalog, cols: number): Row[] {
  const rows: Row[] = [];
  if (f.masterProblem)
    rows.push(
      ...wrapRow(
        row(seg(`! ${t.fix_.masterProblem(messageText(t, f.masterProblem))}`, { color: "yellow" })),
        cols,
        2,
      ),
    );
  rows.push(row(seg(t.fix_.inputHint, { dim: true })), blank);
  const w = Math.max(...f.inputKeys.map((k) => k.length), 8);
  f.inputKeys.forEach((k, i) => {
    const on = i === f.inputIndex;
    const n = f.typed[i] ?? 0;
    const dots = "•".repeat(Math.min(n, Math.max(1, cols - w - 10)));
    rows.push(
      row(
        seg(on ? "▸ " : "  ", { bold: true }),
        seg(k.padEnd(w), { bold: on }),
        seg("  "),
        seg(dots, { color: "cyan" }),
        seg(on ? "▏" : n > 0 ? "  ✓" : "", { color: on ? "cyan" : "green", bold: true }),
      ),
    );
  });
  return rows;
}

/** The fix view's title and body rows for `height` rows of `cols` columns. */
export function fixBody(s: UiState, t: Catalog, cols: number, height: number): FixBody {
  const f = s.fix!;
  const id = f.fixId ?? "";
  const ro = f.readOnly
    ? [row(seg(` ${t.fix_.readOnlyBanner} `, { inverse: true, bold: true, color: "magenta" }))]
    : [];
  switch (f.stage) {
    case "menu":
      return {
        title: row(seg(` ${t.fix_.menuTitle} `, { bold: true, inverse: true })),
        ...scrolled(f, t, ro, menuBody(s, f, t, cols), height),
      };
    case "inputs":
      return {
        title: row(seg(` ${t.fix_.inputsTitle(id)} `, { bold: true, inverse: true })),
        rows: inputsBody(f, t, cols).slice(0, height),
        limit: 0,
      };
    case "preparing":
      return {
        title: row(seg(` ${t.fix_.previewTitle(id)} `, { bold: true, inverse: true })),
        rows: [...ro, row(seg(t.fix_.preparing, { color: "cyan" }))],
        limit: 0,
      };
    case "preview":
    case "confirm": {
      const fixed: Row[] = [...ro];
      if (f.stage === "confirm") {
        fixed.push(
          row(
            seg(` ${t.fix_.confirm(id, `${s.target.cluster}/${s.target.service}`)} `, {
              bold: true,
              inverse: true,
              color: "yellow",
            }),
          ),
          row(
            seg(
              t.fix_.confirmKeys(
                keyLabel(keyOf("confirmYes", "fix-confirm")),
                keyLabel(keyOf("confirmNo", "fix-confirm")),
              ),
              { bold: true },
            ),
          ),
        );
      } else if (f.problem) {
        fixed.push(
          ...wrapRow(row(seg(`✗ ${messageText(t, f.problem)}`, { color: "red", bold: true })), cols, 2),
        );
      } else if (f.missing.length) {
        fixed.push(row(seg(t.fix_.missingInputs(f.missing.join(", ")), { color: "yellow", bold: true })));
      } else if (canApply(f)) {
        fixed.push(row(seg(t.fix_.applyHint(keyLabel(keyOf("fixApply", "fix-preview"))), { color: "cyan" })));
      }
      const body = wrapAll(previewRows(f.preview, t.fixText).map(previewRow), cols);
      return {
        title: row(seg(` ${t.fix_.previewTitle(id)} `, { bold: true, inverse: true })),
        ...scrolled(f, t, fixed, body, height),
      };
    }
    case "applying": {
      const rows: Row[] = [row(seg(t.fix_.actions, { bold: true })), ...actionRows(f, t)];
      if (f.cdkLines.length) {
        rows.push(row(seg(t.fix_.cdkOutput, { bold: true })));
        const room = Math.max(1, height - rows.length);
        rows.push(...f.cdkLines.slice(-room).map((l) => row(seg(`  ${l}`, { dim: true }))));
      }
      return {
        title: row(seg(` ${t.fix_.applyingTitle(id)} `, { bold: true, inverse: true })),
        rows: rows.slice(0, height),
        limit: 0,
      };
    }
    case "watching": {
      const head: Row[] = [
        row(
          ...actionRows(f, t).flatMap((r, i) => (i === 0 ? r.slice(0, 2) : [seg(" "), ...r.slice(0, 2)])),
          seg(
            `   ${f.watchStartedAt !== undefined ? `${t.fix_.elapsed(fmtAge(s.now - f.watchStartedAt))} · ` : ""}${pollAge(f, t, s.now)}`,
            { dim: true },
          ),
        ),
        snapshotRow(f, t),
      ];
      if (f.snapshot?.rolloutStateReason)
        head.push(...wrapRow(row(seg(f.snapshot.rolloutStateReason, { dim: true })), cols, 2));
      if (f.problem) head.push(row(seg(`✗ ${messageText(t, f.problem)}`, { color: "red" })));
      if (f.pollProblem)
        head.push(row(seg(t.fix_.pollProblem(messageText(t, f.pollProblem)), { color: "yellow" })));
      head.push(...readyRows(f, t));
      const room = Math.max(2, height - head.length - 2);
      // Stopped tasks get up to half of the room when there are any; the events the rest.
      const stoppedRoom = f.stopped.length ? Math.min(f.stopped.length, Math.floor(room / 2)) : 0;
      const eventsRoom = Math.max(1, room - stoppedRoom);
      const rows: Row[] = [...head, row(seg(t.fix_.newEvents, { bold: true }))];
      if (f.events.length === 0) rows.push(row(seg(`  ${t.fix_.none}`, { dim: true })));
      rows.push(...f.events.slice(-eventsRoom).map((l) => lineRow(l, s.now)));
      if (f.stopped.length) {
        rows.push(row(seg(t.fix_.newStopped, { bold: true })));
        rows.push(...f.stopped.slice(-stoppedRoom).map((l) => lineRow(stoppedLine(l, t), s.now)));
      }
      return {
        title: row(seg(` ${t.fix_.watchingTitle(f.deploymentId ?? "?")} `, { bold: true, inverse: true })),
        rows: rows.slice(0, height),
        limit: 0,
      };
    }
    case "result": {
      const o = f.outcome ?? "error";
      const good = o === "ready" || o === "applied";
      const fixed: Row[] = [
        row(
          seg(` ${good ? "✓" : "✗"} ${t.fix_.outcome[o]} `, {
            bold: true,
            inverse: true,
            color: good ? "green" : "red",
          }),
        ),
      ];
      const body: Row[] = [];
      if (o === "apply-failed" && f.reason === "conflict")
        body.push(row(seg(t.fix_.conflict, { color: "yellow" })));
      else if (o === "applied") body.push(row(seg(t.fix_.noDeployment)));
      const summary = f.summary
        ? summaryLines(f.summary, t.fixText)
        : f.reason && f.reason !== "conflict"
          ? [t.fixText.problem(f.reason)]
          : [];
      // First what happened and why, then (when it went wrong) the diagnosis with the new evidence.
      if (summary[0]) body.push(row(seg(summary[0], { bold: true })));
      if (WENT_WRONG.includes(o) || o === "apply-failed") {
        const v = s.analysis.verdict;
        body.push(row(seg(t.fix_.backToDiagnosis, { bold: true, color: "cyan" })));
        const vt = v ? verdictTexts(t, v, textContext(s)) : undefined;
        if (v && vt)
          body.push(
            row(
              seg(`${t.fix_.diagnosisNow}: `, { bold: true }),
              seg(v.scenario, { bold: true, color: v.scenario === "healthy" ? "green" : "red" }),
              seg(v.fix ? `  → ${t.fix} ${v.fix}` : `  → ${vt.nextStep}`, { color: "yellow" }),
            ),
            row(seg(`  ${vt.summary}`, { dim: true })),
          );
        body.push(blank);
      }
      body.push(...summary.slice(1).map((l) => row(seg(l))));
      if (f.ready) body.push(blank, ...readyRows(f, t));
      // The summary lists the deployment's stopped reasons; the tasks of other deployments are extra.
      if (!good && f.stopped.length && summary.length <= 2) {
        body.push(blank, row(seg(t.fix_.newStopped, { bold: true })));
        body.push(...f.stopped.slice(-5).map((l) => lineRow(stoppedLine(l, t), s.now)));
      }
      if (f.actions.length) body.push(blank, row(seg(t.fix_.actions, { bold: true })), ...actionRows(f, t));
      for (const r of f.rollback) body.push(blank, row(seg(`${t.fix_.rollback}: `, { dim: true }), seg(r)));
      if (f.auditPath) body.push(row(seg(`${t.fix_.audit}: `, { dim: true }), seg(f.auditPath)));
      return {
        title: row(seg(` ${t.fix_.resultTitle(id)} `, { bold: true, inverse: true })),
        ...scrolled(f, t, fixed, wrapAll(body, cols), height),
      };
    }
  }
}

interface InkKeyLike {
  ctrl: boolean;
  meta: boolean;
  backspace: boolean;
  delete: boolean;
}

/**
 * The keys of the masked value input: bound keys (Enter, Esc, ↑, Ctrl-C) act; Backspace deletes;
 * any other printable text is typed, wrapped in a Masked at once. A paste of "value<Enter>" types
 * the value, then moves on.
 */
export function handleFixInput(store: Store, input: string, key: InkKeyLike, name: string): void {
  const ctx = "fix-input" as const;
  const bound = resolveKey(ctx, name);
  if (bound) {
    store.dispatch({ type: "action", action: bound });
    return;
  }
  if (name === "backspace") {
    store.dispatch({ type: "fix-backspace" });
    return;
  }
  if (key.ctrl || key.meta || !input) return;
  if (input.startsWith("\u001B")) return;
  // Split a chunk at line ends: the text before each goes in, each line end moves on.
  const parts = input.split(/\r\n|\r|\n/);
  parts.forEach((p, i) => {
    const text = p.replace(/[\u0000-\u001F\u007F-\u009F]/g, "");
    if (text) store.dispatch({ type: "fix-typed", text: new Masked(text) });
    if (i < parts.length - 1) store.dispatch({ type: "action", action: "fixNext" });
  });
}
