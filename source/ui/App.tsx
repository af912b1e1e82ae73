// The screen: header, the runbook steps, the pane tabs, the current pane, a status line and the
// footer generated from the keymap. Reads the state from the store and dispatches messages; the
// frame is always exactly layoutOf(size).frameRows rows, below the terminal's height.

import { Box, Text, useInput } from "ink";
import { useSyncExternalStore } from "react";
import type { StepStatus } from "../diagnosis/model.js";
import { canApply } from "../flow/ui-fix.js";
import {
  accountOf,
  drawCols,
  type KeyContext,
  keyContext,
  layoutOf,
  PANE_STEPS,
  PANES,
  type PaneId,
  stoppedTasksOf,
  type UiState,
} from "../flow/ui-state.js";
import { fixBody, handleFixInput } from "./fix-view.js";
import { problemText } from "./i18n/problems.js";
import type { Catalog } from "./i18n.js";
import { type Binding, bindingsFor, KEYMAP, keyLabel, keyName, resolveKey } from "./keymap.js";
import { logRows, paneRows, paneTitle, STATUS_COLOR, STATUS_ICON, stepRows, verdictRows } from "./panes.js";
import { blank, fitRow, pad, type Row, row, seg, width } from "./rows.js";
import type { Store } from "./store.js";

function Line({ r, cols, noColor }: { r: Row; cols: number; noColor: boolean }) {
  const f = fitRow(r, cols);
  if (f.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {f.map((s, i) => (
        <Text
          // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional
          key={i}
          color={noColor ? undefined : s.color}
          bold={s.bold}
          dimColor={s.dim}
          inverse={s.inverse}
          underline={s.underline}
        >
          {s.text}
        </Text>
      ))}
    </Text>
  );
}

function Rows({
  rows,
  cols,
  height,
  noColor,
}: {
  rows: Row[];
  cols: number;
  height: number;
  noColor: boolean;
}) {
  const shown = rows.slice(0, height);
  while (shown.length < height) shown.push(blank);
  return (
    <Box flexDirection="column" width={cols} height={height} overflow="hidden">
      {shown.map((r, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
        <Line key={i} r={r} cols={cols} noColor={noColor} />
      ))}
    </Box>
  );
}

/**
 * The header: the loud marks and the target, then as much detail as fits — the sandbox's
 * scenario, the account, the profile, the app's name — so nothing important is cut at 80 columns.
 */
function headerRow(s: UiState, t: Catalog): Row {
  const cols = drawCols(s.size);
  const acct = accountOf(s);
  const sandbox = s.session.sandbox;
  // What must stay, in order; the rest is added while it fits.
  const must: Row = [];
  if (sandbox !== undefined)
    must.push(seg(` ${t.sandbox} `, { inverse: true, bold: true, color: "yellow" }), seg(" "));
  if (s.session.readOnly)
    must.push(seg(` ${t.readOnly} `, { inverse: true, bold: true, color: "magenta" }), seg(" "));
  must.push(seg(`${s.target.cluster}/${s.target.service}`, { bold: true }), seg(` · ${s.target.region}`));
  // Each optional part with its shorter forms, the longest that fits wins.
  const optional: { at: "after-sandbox" | "end"; alts: Row }[] = [];
  if (sandbox)
    optional.push({ at: "after-sandbox", alts: [seg(`${sandbox} `, { bold: true, color: "yellow" })] });
  if (acct) optional.push({ at: "end", alts: [seg(` · ${t.account} ${acct}`), seg(` · ${acct}`)] });
  if (s.target.profile)
    optional.push({
      at: "end",
      alts: [seg(` · ${t.profile} ${s.target.profile}`), seg(` · ${s.target.profile}`)],
    });
  optional.push({ at: "end", alts: [seg(`  ${t.appName}`, { dim: true })] });
  let used = must.reduce((n, x) => n + width(x.text), 0);
  const afterSandbox: Row = [];
  const end: Row = [];
  for (const o of optional) {
    const fit = o.alts.find((a) => used + width(a.text) <= cols);
    if (!fit) continue;
    used += width(fit.text);
    (o.at === "end" ? end : afterSandbox).push(fit);
  }
  const at = sandbox !== undefined ? 2 : 0;
  return [...must.slice(0, at), ...afterSandbox, ...must.slice(at), ...end];
}

const RANK: StepStatus[] = ["fail", "warn", "running", "pending", "skipped", "ok"];

function paneStatus(s: UiState, p: PaneId): StepStatus {
  if (p === "verdict") {
    const v = s.analysis.verdict;
    return !v ? "pending" : v.scenario === "healthy" ? "ok" : v.fix ? "fail" : "warn";
  }
  const st = s.analysis.steps.filter((x) => PANE_STEPS[p].includes(x.id)).map((x) => x.status);
  return RANK.find((r) => st.includes(r)) ?? "pending";
}

function tabsRow(s: UiState, t: Catalog): Row {
  const r: Row = [];
  PANES.forEach((p, i) => {
    const on = s.pane === p;
    const st = paneStatus(s, p);
    r.push(seg(on ? "[" : " ", { bold: true }));
    r.push(seg(`${i + 1}`, { bold: true, inverse: on }));
    r.push(seg(STATUS_ICON[st], { color: STATUS_COLOR[st], bold: true }));
    r.push(seg(t.panes[p], { bold: on, inverse: on }));
    r.push(seg(on ? "]" : " ", { bold: true }));
  });
  return r;
}

function footerRow(ctx: KeyContext, t: Catalog, s: UiState, cols: number): Row {
  const list = bindingsFor(ctx).filter(
    (b) =>
      b.footer &&
      (b.action !== "openFix" || s.analysis.verdict?.fix) &&
      (b.action !== "fixApply" || (s.fix !== undefined && canApply(s.fix))),
  );
  const item = (b: Binding): Row => [
    seg(b.keys.slice(0, 2).map(keyLabel).join("/"), { bold: true, color: "cyan" }),
    seg(` ${t.keys_[b.label]}  `),
  ];
  const w = (r: Row) => r.reduce((n, x) => n + width(x.text), 0);
  // help and quit always show, at the end; the others as long as there is room
  const last = list.filter((b) => b.action === "help" || b.action === "quit").map(item);
  let room = cols - last.reduce((n, r) => n + w(r), 0);
  const r: Row = [];
  for (const b of list) {
    if (b.action === "help" || b.action === "quit") continue;
    const it = item(b);
    if (w(it) > room) continue;
    room -= w(it);
    r.push(...it);
  }
  for (const it of last) r.push(...it);
  return r;
}

function statusRow(s: UiState, t: Catalog): Row {
  if (s.overlay?.kind === "confirm-quit") return row(seg(t.confirmQuit, { bold: true, color: "yellow" }));
  if (s.status === "no-fix") return row(seg(t.noFixStatus, { color: "yellow" }));
  if (s.status) return row(seg(s.status, { color: "cyan" }));
  const v = s.analysis.verdict;
  if (v) {
    return row(
      seg(`${t.scenario}: `, { dim: true }),
      seg(v.scenario, { bold: true, color: v.scenario === "healthy" ? "green" : "red" }),
      seg(v.fix ? `  ${t.fix} ${v.fix}` : "", { color: "yellow" }),
    );
  }
  return row(seg(s.inFlight.length ? t.loading : "", { dim: true }));
}

/** The help overlay: every binding of the keymap, in two columns when there is room. */
export function helpRows(t: Catalog, cols: number, height: number): Row[] {
  const seen = new Set<string>();
  const entries: { keys: string; label: string }[] = [];
  // The fix view's own bindings come last, marked as such.
  const fixOnly = (b: Binding) => b.contexts.every((c) => c.startsWith("fix-"));
  for (const b of [...KEYMAP.filter((x) => !fixOnly(x)), ...KEYMAP.filter(fixOnly)]) {
    // Overlay-only bindings explain themselves in their footer.
    if (b.contexts.every((c) => c === "help" || c === "services" || c === "confirm-quit" || c === "filter"))
      continue;
    const step = /^step\d$/.test(b.action);
    const k = step ? "steps" : `${b.action}:${b.label}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const only = b.contexts.length === 1 && b.contexts[0] !== "panes" ? b.contexts[0] : undefined;
    const where = fixOnly(b)
      ? ` (${t.fix_.where})`
      : only && only in t.panes
        ? ` (${t.panes[only as PaneId]})`
        : "";
    entries.push(
      step
        ? { keys: "1 … 6", label: t.jumpToStep }
        : { keys: b.keys.map(keyLabel).join(" "), label: `${t.keys_[b.label]}${where}` },
    );
  }
  const colsN = entries.length > height - 1 && cols >= 70 ? 2 : 1;
  const colW = Math.floor(cols / colsN);
  const perCol = Math.ceil(entries.length / colsN);
  const rows: Row[] = [
    row(seg(` ${t.help} `, { bold: true, inverse: true }), seg(`  ${t.helpFooter}`, { dim: true })),
  ];
  for (let i = 0; i < perCol; i++) {
    const r: Row = [];
    for (let c = 0; c < colsN; c++) {
      const e = entries[c * perCol + i];
      if (!e) continue;
      const keys = e.keys.length > 14 ? `${e.keys.slice(0, 13)}…` : e.keys;
      r.push(seg(pad(keys, 15), { bold: true, color: "cyan" }), seg(pad(e.label, colW - 15)));
    }
    rows.push(r);
  }
  return rows;
}

function servicesRows(s: UiState, t: Catalog): Row[] {
  const ov = s.overlay;
  if (ov?.kind !== "services") return [];
  const rows: Row[] = [row(seg(` ${t.services(s.target.cluster)} `, { bold: true, inverse: true }))];
  if (ov.loading) rows.push(row(seg(t.servicesLoading, { dim: true })));
  else if (ov.problem) {
    const p = problemText(t, ov.problem);
    rows.push(row(seg(p.message, { color: "red" })), row(seg(p.hint, { dim: true })));
  } else if (ov.services.length === 0) rows.push(row(seg(t.servicesNone, { dim: true })));
  ov.services.forEach((svc, i) => {
    const on = i === ov.cursor;
    rows.push(
      row(seg(on ? "▸ " : "  ", { bold: true }), seg(svc, { inverse: on, bold: svc === s.target.service })),
    );
  });
  return rows;
}

/** The scrollable body of a non-log pane: rows and the top row for the cursor. */
function scrolled(s: UiState, rows: Row[], height: number): { rows: Row[]; limit: number } {
  const limit = Math.max(0, rows.length - height);
  if (s.pane === "tasks" && !s.task) {
    const n = stoppedTasksOf(s).length;
    const sel = Math.min(s.cursor.tasks, Math.max(0, n - 1));
    const top = Math.max(0, Math.min(sel - Math.floor(height / 2), rows.length - height));
    return { rows: rows.slice(top, top + height), limit: Math.max(0, n - 1) };
  }
  const cur = s.pane === "tasks" && s.task ? s.task.scroll : s.cursor[s.pane];
  const top = Math.min(cur, limit);
  return { rows: rows.slice(top, top + height), limit };
}

export interface AppProps {
  store: Store;
  t: Catalog;
}

export function App({ store, t }: AppProps) {
  const s = useSyncExternalStore(store.subscribe, store.getState);
  const L = layoutOf(s.size, s.pane);
  const cols = drawCols(s.size);
  const ctx = keyContext(s);

  // What the body shows
  let bodyTitle: Row;
  let body: Row[];
  let limit = 0;
  if (s.overlay?.kind === "help") {
    bodyTitle = blank;
    body = helpRows(t, cols, L.frameRows - 2);
  } else if (s.overlay?.kind === "services") {
    bodyTitle = blank;
    body = servicesRows(s, t);
  } else if (s.fix) {
    // Narrow: the fix view takes the steps' and the tabs' rows too.
    const fb = fixBody(s, t, L.wide ? L.bodyCols : cols, L.wide ? L.bodyRows : L.frameRows - 4);
    bodyTitle = fb.title;
    body = fb.rows;
    limit = fb.limit;
  } else {
    bodyTitle = paneTitle(s, t, s.pane);
    if (s.pane === "logs") body = logRows(s, t, L.bodyCols, L.bodyRows);
    else {
      const sc = scrolled(s, paneRows(s, t, s.pane, L.bodyCols), L.bodyRows);
      body = sc.rows;
      limit = sc.limit;
    }
  }

  useInput((input, key) => {
    const name = keyName(input, key);
    if (name === undefined) return;
    if (ctx === "fix-input") {
      handleFixInput(store, input, key, name);
      return;
    }
    if (ctx === "filter") {
      // A fast typist's (or a paste's) "text<Enter>more" arrives as one chunk.
      const cr = input.indexOf("\r");
      if (input.length > 1 && cr >= 0) {
        if (cr > 0) store.dispatch({ type: "filter-input", text: input.slice(0, cr) });
        store.dispatch({ type: "action", action: "filterApply" });
        for (const ch of input.slice(cr + 1)) {
          const a = resolveKey(keyContext(store.getState()), ch);
          if (a) store.dispatch({ type: "action", action: a });
        }
        return;
      }
      const bound = resolveKey(ctx, name);
      if (bound) store.dispatch({ type: "action", action: bound });
      else if (name === "backspace") store.dispatch({ type: "filter-backspace" });
      else if (
        !key.ctrl &&
        !key.meta &&
        input &&
        name.length >= 1 &&
        !/^(up|down|left|right|pg|home|end|tab|S-tab)/.test(name)
      )
        store.dispatch({ type: "filter-input", text: input });
      return;
    }
    const action = resolveKey(ctx, name);
    if (action) store.dispatch({ type: "action", action, limit });
  });

  const highlight = s.task || s.overlay ? [] : PANE_STEPS[s.pane];
  const titleCols = Math.min(30, Math.max(...Object.values(t.steps).map((x) => width(x))));
  const steps = stepRows(s, t, highlight, L.wide ? Math.min(titleCols, 24) : Math.min(titleCols, 26));

  if (s.overlay?.kind === "help") {
    return (
      <Box flexDirection="column" width={cols} height={L.frameRows}>
        <Line r={headerRow(s, t)} cols={cols} noColor={s.noColor} />
        <Rows rows={body} cols={cols} height={L.frameRows - 2} noColor={s.noColor} />
        <Line r={footerRow(ctx, t, s, cols)} cols={cols} noColor={s.noColor} />
      </Box>
    );
  }

  if (s.phase === "connecting" || s.phase === "failed") {
    const rows: Row[] = [headerRow(s, t), blank];
    if (s.phase === "connecting") rows.push(row(seg(`  ${t.connecting}`, { color: "cyan" })));
    else
      rows.push(
        row(seg(`  ✗ ${t.connectFailed}: `, { color: "red", bold: true }), seg(s.connectProblem ?? "")),
        blank,
        row(seg(`  ${t.pressQ}`, { dim: true })),
      );
    rows.push(blank, ...steps);
    return (
      <Box flexDirection="column" width={cols} height={L.frameRows}>
        <Rows rows={rows} cols={cols} height={L.frameRows - 1} noColor={s.noColor} />
        <Line r={footerRow(ctx, t, s, cols)} cols={cols} noColor={s.noColor} />
      </Box>
    );
  }

  if (L.wide) {
    const leftRows = L.frameRows - 3;
    const left: Row[] = [...steps, blank, ...verdictRows(s, t, false)];
    return (
      <Box flexDirection="column" width={cols} height={L.frameRows}>
        <Line r={headerRow(s, t)} cols={cols} noColor={s.noColor} />
        <Box flexDirection="row" height={L.frameRows - 3}>
          <Rows rows={left} cols={L.sideCols} height={leftRows} noColor={s.noColor} />
          <Box width={1} />
          <Box flexDirection="column" width={L.bodyCols}>
            <Line r={tabsRow(s, t)} cols={L.bodyCols} noColor={s.noColor} />
            <Line r={bodyTitle} cols={L.bodyCols} noColor={s.noColor} />
            <Rows rows={body} cols={L.bodyCols} height={L.bodyRows} noColor={s.noColor} />
          </Box>
        </Box>
        <Line r={statusRow(s, t)} cols={cols} noColor={s.noColor} />
        <Line r={footerRow(ctx, t, s, cols)} cols={cols} noColor={s.noColor} />
      </Box>
    );
  }

  if (s.fix) {
    return (
      <Box flexDirection="column" width={cols} height={L.frameRows}>
        <Line r={headerRow(s, t)} cols={cols} noColor={s.noColor} />
        <Line r={bodyTitle} cols={cols} noColor={s.noColor} />
        <Rows rows={body} cols={cols} height={L.frameRows - 4} noColor={s.noColor} />
        <Line r={statusRow(s, t)} cols={cols} noColor={s.noColor} />
        <Line r={footerRow(ctx, t, s, cols)} cols={cols} noColor={s.noColor} />
      </Box>
    );
  }

  return (
    <Box flexDirection="column" width={cols} height={L.frameRows}>
      <Line r={headerRow(s, t)} cols={cols} noColor={s.noColor} />
      <Rows rows={steps} cols={cols} height={L.stepsRows} noColor={s.noColor} />
      <Line r={tabsRow(s, t)} cols={cols} noColor={s.noColor} />
      <Line r={bodyTitle} cols={cols} noColor={s.noColor} />
      <Rows rows={body} cols={cols} height={L.bodyRows} noColor={s.noColor} />
      <Line r={statusRow(s, t)} cols={cols} noColor={s.noColor} />
      <Line r={footerRow(ctx, t, s, cols)} cols={cols} noColor={s.noColor} />
    </Box>
  );
}

export type { Binding };
