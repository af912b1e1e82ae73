// The preview of a plan: what will change, the API calls, the AWS CLI equivalents (placeholders,
// no values) and the key-level diff. `previewModel` turns a Plan into structured items (value
// SOURCES only, never a value); `previewRows` lays the items out with a set of texts (one per
// language); `previewLines` is the English text `afu9-tui fix` prints. Pure.
//
// The plan's API calls, CLI lines and notes are text lines (source/flow/fixes.ts): the model
// recognises each known form into a kind with its parameters, and keeps a line it does not know
// as `text` (shown as it is). A recognised line renders back to exactly the engine's English
// (checked here); test/ui/i18n-fix.test.tsx checks that every plan's lines are recognised.

import type { KeyDiff, Plan, PlannedAction } from "./fixes.js";

export type PreviewSection = "changes" | "values" | "diff" | "calls" | "cli" | "notes";

export type PreviewAction =
  | { kind: "write-secret"; secretName: string; create: boolean; versionId?: string }
  | { kind: "cdk-context"; key: string; value: boolean; path: string; before?: string }
  | { kind: "cdk-deploy"; args: string; cdkDir: string }
  | { kind: "register-task-definition"; family: string; from: string; without: string[] }
  | { kind: "force-new-deployment"; service: string; registered: boolean };

export type LiteralOrigin =
  | { kind: "runbook"; section: string }
  | { kind: "stack-output"; stack: string; output: string }
  | { kind: "text"; text: string };

export type PreviewSource =
  /** Not secret (a stack output, the runbook's constant): shown. */
  | { kind: "literal"; value: string; origin: LiteralOrigin }
  | { kind: "secret-key"; label: string; key: string }
  | { kind: "input"; env: string };

export interface PreviewDiff {
  secretName: string;
  create: boolean;
  added: string[];
  changed: string[];
  unchanged: string[];
  /** Pending keys that exist already (value not given yet). */
  toBeSet: string[];
}

export type DiffPart = "added" | "changed" | "unchanged" | "toBeSet";

/** The explanation at the end of an API call line. */
export type CallGloss =
  | { kind: "master-keys"; keys: string }
  | { kind: "refuse-if-moved"; version: string }
  | { kind: "all-keys"; keys: string }
  | { kind: "cfn-updates" }
  | { kind: "td-copy"; revision: string; without?: string }
  | { kind: "top-level-key" };

export type CliComment = "merge" | "master-values";

export type PreviewNote =
  | { kind: "recommends-other"; recommended: string; section: string; fixId: string }
  | { kind: "no-automatic-fix"; scenario: string }
  | { kind: "cdk-context-top-level" }
  | { kind: "drift-from-cdk"; stack: string; key: string }
  | { kind: "not-json"; secretName: string }
  | { kind: "needs-values"; keys: string; env: string }
  | { kind: "master-missing"; keys: string }
  | { kind: "service-runs"; running: string; failed: string }
  | { kind: "text"; text: string };

export type PreviewItem =
  | { type: "title"; fixId: string; section: string; title: string; recommended: boolean }
  | { type: "heading"; section: PreviewSection }
  | { type: "action"; n: number; action: PreviewAction }
  | { type: "field"; key: string; source: PreviewSource }
  | { type: "diff"; diff: PreviewDiff }
  | { type: "call"; text: string; gloss?: CallGloss }
  | { type: "cli"; command: string; comment?: CliComment }
  | { type: "note"; note: PreviewNote };

export type PreviewItemType = PreviewItem["type"];

/** The texts of the preview in one language (English: `enPreview`). */
export interface PreviewTexts {
  title(i: Extract<PreviewItem, { type: "title" }>): string;
  heading(s: PreviewSection): string;
  action(a: PreviewAction): string;
  source(s: PreviewSource): string;
  diffHead(d: PreviewDiff): string;
  /** "+ added:     a, b" (the sign, the label and the keys). */
  diffPart(part: DiffPart, keys: string): string;
  /** The gloss at the end of an API call (with its separator). */
  callGloss(g: CallGloss): string;
  cliComment(c: CliComment, command: string): string;
  note(n: PreviewNote): string;
}

const HEADINGS_EN: Record<PreviewSection, string> = {
  changes: "What will change:",
  values: "Values (sources only):",
  diff: "Key-level diff (names only):",
  calls: "API calls:",
  cli: "AWS CLI equivalent (placeholders instead of secret values):",
  notes: "Notes:",
};

const DIFF_EN: Record<DiffPart, string> = {
  added: "+ added:     ",
  changed: "~ changed:   ",
  unchanged: "= unchanged: ",
  toBeSet: "? to be set (value not given yet): ",
};

function originEn(o: LiteralOrigin): string {
  if (o.kind === "runbook") return `runbook ${o.section}`;
  if (o.kind === "stack-output") return `${o.stack} output ${o.output}`;
  return o.text;
}

/** English: the engine's own wording. */
export const enPreview: PreviewTexts = {
  title: (i) => `Fix ${i.fixId} (${i.section}): ${i.title}${i.recommended ? "  [recommended]" : ""}`,
  heading: (s) => HEADINGS_EN[s],
  action(a) {
    switch (a.kind) {
      case "write-secret":
        return a.create
          ? `Create secret ${a.secretName}`
          : `Update secret ${a.secretName} (current version ${a.versionId ?? "?"})`;
      case "cdk-context":
        return `Set "${a.key}": ${a.value} in ${a.path}${a.before !== undefined ? ` (now ${a.before})` : ""}`;
      case "cdk-deploy":
        return `Run cdk ${a.args} in ${a.cdkDir}`;
      case "register-task-definition":
        return `Register a new revision of ${a.family} from ${a.from} with DATABASE_ENABLED=false${a.without.length ? `, without ${a.without.join(", ")}` : ""}`;
      case "force-new-deployment":
        return a.registered
          ? `Update service ${a.service} to the new revision (new deployment)`
          : `Force a new deployment of ${a.service}`;
    }
  },
  source(s) {
    if (s.kind === "literal") return `${s.value}  (${originEn(s.origin)})`;
    if (s.kind === "secret-key") return `from ${s.label}, key ${s.key}`;
    return `typed (masked), stdin or ${s.env}`;
  },
  diffHead: (d) =>
    `${d.secretName}: ${d.create ? "new secret" : "update (merge; other keys keep their values)"}`,
  diffPart: (p, keys) => `${DIFF_EN[p]}${keys}`,
  callGloss(g) {
    switch (g.kind) {
      case "master-keys":
        return ` (RDS master secret: ${g.keys})`;
      case "refuse-if-moved":
        return ` (refuse if AWSCURRENT is no longer ${g.version})`;
      case "all-keys":
        return ` (all keys: ${g.keys})`;
      case "cfn-updates":
        return " (CloudFormation updates the task definition and the service)";
      case "td-copy":
        return `: copy of revision ${g.revision} with DATABASE_ENABLED=false${g.without ? `, without secrets ${g.without}` : ""}`;
      case "top-level-key":
        return " (top-level key)";
    }
  },
  cliComment: (c, command) =>
    c === "merge"
      ? "# merge: keys not listed keep their values (the runbook's update-secret would drop them)"
      : `# the <... from RDS master secret> values: ${command}`,
  note(n) {
    switch (n.kind) {
      case "recommends-other":
        return `The diagnosis recommends ${n.recommended} (${n.section}), not ${n.fixId}.`;
      case "no-automatic-fix":
        return `The diagnosis (${n.scenario}) recommends no automatic fix.`;
      case "cdk-context-top-level":
        return "cdk.context.json keeps context keys at the top level; the runbook's jq nests it under .context, which CDK does not read there.";
      case "drift-from-cdk":
        return `This drifts from CDK: the stack ${n.stack} still says enableDatabase=true, and its next deploy brings the database back. Set ${n.key}=false in the CDK app too (--cdk-dir).`;
      case "not-json":
        return `${n.secretName} is not a JSON object today: the write replaces the whole value.`;
      case "needs-values":
        return `Needs values for: ${n.keys} (typed, stdin, or ${n.env}).`;
      case "master-missing":
        return `The RDS master secret did not give: ${n.keys}.`;
      case "service-runs":
        return `The service runs ${n.running} after the rollback; the new deployment uses it. The revision that failed (${n.failed}) comes back with the next cdk deploy.`;
      case "text":
        return n.text;
    }
  },
};

/** A recognised form only when it renders back to the very same English text. */
function recognise<T>(
  text: string,
  render: (x: T) => string,
  forms: Array<() => T | undefined>,
): T | undefined {
  for (const f of forms) {
    const x = f();
    if (x !== undefined && render(x) === text) return x;
  }
  return undefined;
}

const grab = (re: RegExp, s: string) => re.exec(s) ?? undefined;

export function noteOf(text: string): PreviewNote {
  const n = (re: RegExp, f: (m: RegExpExecArray) => PreviewNote) => () => {
    const m = grab(re, text);
    return m ? f(m) : undefined;
  };
  return (
    recognise<PreviewNote>(text, enPreview.note, [
      n(/^The diagnosis recommends (\S+) \((.+)\), not (\S+)\.$/, (m) => ({
        kind: "recommends-other",
        recommended: m[1]!,
        section: m[2]!,
        fixId: m[3]!,
      })),
      n(/^The diagnosis \((\S+)\) recommends no automatic fix\.$/, (m) => ({
        kind: "no-automatic-fix",
        scenario: m[1]!,
      })),
      n(/^cdk\.context\.json keeps context keys/, () => ({ kind: "cdk-context-top-level" })),
      n(/^This drifts from CDK: the stack (\S+) .* Set (\S+)=false in the CDK app/, (m) => ({
        kind: "drift-from-cdk",
        stack: m[1]!,
        key: m[2]!,
      })),
      n(/^(\S+) is not a JSON object today/, (m) => ({ kind: "not-json", secretName: m[1]! })),
      n(/^Needs values for: (.+) \(typed, stdin, or (\S+)\)\.$/, (m) => ({
        kind: "needs-values",
        keys: m[1]!,
        env: m[2]!,
      })),
      n(/^The RDS master secret did not give: (.+)\.$/, (m) => ({ kind: "master-missing", keys: m[1]! })),
      n(/^The service runs (\S+) after the rollback;.*The revision that failed \((\S+)\)/, (m) => ({
        kind: "service-runs",
        running: m[1]!,
        failed: m[2]!,
      })),
    ]) ?? { kind: "text", text }
  );
}

export function callOf(text: string): Extract<PreviewItem, { type: "call" }> {
  const g = (re: RegExp, f: (m: RegExpExecArray) => CallGloss) => () => {
    const m = grab(re, text);
    return m ? { gloss: f(m), at: m.index } : undefined;
  };
  const forms = [
    g(/ \(RDS master secret: (.+)\)$/, (m) => ({ kind: "master-keys", keys: m[1]! })),
    g(/ \(refuse if AWSCURRENT is no longer (\S+)\)$/, (m) => ({ kind: "refuse-if-moved", version: m[1]! })),
    g(/ \(all keys: (.*)\)$/, (m) => ({ kind: "all-keys", keys: m[1]! })),
    g(/ \(CloudFormation updates the task definition and the service\)$/, () => ({ kind: "cfn-updates" })),
    g(/: copy of revision (\S+) with DATABASE_ENABLED=false(?:, without secrets (.+))?$/, (m) => ({
      kind: "td-copy",
      revision: m[1]!,
      ...(m[2] ? { without: m[2] } : {}),
    })),
    g(/ \(top-level key\)$/, () => ({ kind: "top-level-key" })),
  ];
  for (const f of forms) {
    const x = f();
    if (!x) continue;
    const item = { type: "call" as const, text: text.slice(0, x.at), gloss: x.gloss };
    if (item.text + enPreview.callGloss(item.gloss) === text) return item;
  }
  return { type: "call", text };
}

export function cliOf(text: string): Extract<PreviewItem, { type: "cli" }> {
  if (text === enPreview.cliComment("merge", "")) return { type: "cli", command: "", comment: "merge" };
  const prefix = enPreview.cliComment("master-values", "");
  if (text.startsWith(prefix))
    return { type: "cli", command: text.slice(prefix.length), comment: "master-values" };
  return { type: "cli", command: text };
}

function originOf(o: string): LiteralOrigin {
  let m = /^runbook (\S+)$/.exec(o);
  if (m) return { kind: "runbook", section: m[1]! };
  m = /^(\S+) output (\S+)$/.exec(o);
  if (m) return { kind: "stack-output", stack: m[1]!, output: m[2]! };
  return { kind: "text", text: o };
}

function actionOf(a: PlannedAction): PreviewAction {
  switch (a.kind) {
    case "write-secret":
      return {
        kind: "write-secret",
        secretName: a.secretName,
        create: a.create,
        ...(a.create ? {} : { versionId: a.snapshot.versionId ?? "?" }),
      };
    case "cdk-context":
      return {
        kind: "cdk-context",
        key: a.key,
        value: a.value,
        path: `${a.cdkDir}/${a.file}`,
        ...(a.before !== undefined ? { before: JSON.stringify(a.before) } : {}),
      };
    case "cdk-deploy":
      return { kind: "cdk-deploy", args: a.args.join(" "), cdkDir: a.cdkDir };
    case "register-task-definition":
      return {
        kind: "register-task-definition",
        family: a.family,
        from: a.from.split("/").pop() ?? a.from,
        without: [...a.removeSecrets],
      };
    case "force-new-deployment":
      return {
        kind: "force-new-deployment",
        service: a.service,
        registered: a.taskDefinition === "registered",
      };
  }
}

export function diffOf(d: KeyDiff): PreviewDiff {
  return {
    secretName: d.secretName,
    create: d.create,
    added: [...d.added],
    changed: [...d.changed],
    unchanged: [...d.unchanged],
    toBeSet: d.pending.filter((k) => !d.added.includes(k)),
  };
}

/** The plan as preview items; `extraNotes` come after the plan's notes. No values, sources only. */
export function previewModel(plan: Plan, extraNotes: readonly PreviewNote[] = []): PreviewItem[] {
  const out: PreviewItem[] = [
    {
      type: "title",
      fixId: plan.fixId,
      section: plan.section,
      title: plan.title,
      recommended: plan.recommended,
    },
    { type: "heading", section: "changes" },
  ];
  plan.actions.forEach((a, i) => {
    out.push({ type: "action", n: i + 1, action: actionOf(a) });
  });
  if (plan.fields.length) {
    out.push({ type: "heading", section: "values" });
    for (const f of plan.fields) {
      const s = f.source;
      const source: PreviewSource =
        s.kind === "literal"
          ? { kind: "literal", value: s.value, origin: originOf(s.origin) }
          : s.kind === "secret-key"
            ? { kind: "secret-key", label: s.label, key: s.key }
            : { kind: "input", env: `AFU9_SECRET_${envKey(f.key)}` };
      out.push({ type: "field", key: f.key, source });
    }
  }
  if (plan.diffs.length) {
    out.push({ type: "heading", section: "diff" });
    for (const d of plan.diffs) out.push({ type: "diff", diff: diffOf(d) });
  }
  out.push({ type: "heading", section: "calls" });
  for (const c of plan.calls) out.push(callOf(c));
  out.push({ type: "heading", section: "cli" });
  for (const c of plan.cli) out.push(cliOf(c));
  const notes = [...plan.notes.map(noteOf), ...extraNotes];
  if (notes.length) {
    out.push({ type: "heading", section: "notes" });
    for (const note of notes) out.push({ type: "note", note });
  }
  return out;
}

export type PreviewTone = "bold" | "added" | "changed" | "pending" | "note";

export interface PreviewRow {
  text: string;
  tone?: PreviewTone;
}

const DIFF_TONE: Record<DiffPart, PreviewTone | undefined> = {
  added: "added",
  changed: "changed",
  unchanged: undefined,
  toBeSet: "pending",
};

/** The diff of one secret as lines (unindented). */
export function diffRows(d: PreviewDiff, t: PreviewTexts): PreviewRow[] {
  const out: PreviewRow[] = [{ text: t.diffHead(d) }];
  for (const p of ["added", "changed", "unchanged", "toBeSet"] as const)
    if (d[p].length) out.push({ text: `  ${t.diffPart(p, d[p].join(", "))}`, ...tone(DIFF_TONE[p]) });
  return out;
}

const tone = (x: PreviewTone | undefined) => (x ? { tone: x } : {});

/** The items as rows: a blank row before each heading, the sections' indentation. */
export function previewRows(items: readonly PreviewItem[], t: PreviewTexts): PreviewRow[] {
  const out: PreviewRow[] = [];
  for (const i of items) {
    switch (i.type) {
      case "title":
        out.push({ text: t.title(i), tone: "bold" });
        break;
      case "heading":
        out.push({ text: "" }, { text: t.heading(i.section), tone: "bold" });
        break;
      case "action":
        out.push({ text: `  ${i.n}. ${t.action(i.action)}` });
        break;
      case "field":
        out.push({ text: `  ${i.key.padEnd(18)} ${t.source(i.source)}` });
        break;
      case "diff":
        out.push(...diffRows(i.diff, t).map((r) => ({ ...r, text: `  ${r.text}` })));
        break;
      case "call":
        out.push({ text: `  ${i.text}${i.gloss ? t.callGloss(i.gloss) : ""}` });
        break;
      case "cli":
        out.push({ text: `  ${i.comment ? t.cliComment(i.comment, i.command) : i.command}` });
        break;
      case "note":
        out.push({ text: `  ! ${t.note(i.note)}`, tone: "note" });
        break;
    }
  }
  return out;
}

export function diffLines(d: KeyDiff): string[] {
  return diffRows(diffOf(d), enPreview).map((r) => r.text);
}

export function previewLines(plan: Plan): string[] {
  return previewRows(previewModel(plan), enPreview).map((r) => r.text);
}

/** AFU9_SECRET_<KEY>: the key upper-cased, other characters as _. */
export function envKey(key: string): string {
  return key.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}
