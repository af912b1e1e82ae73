// The one keymap: every key binding of the UI. The footer, the `?` overlay and the tests (which
// press keys by action name) are all generated from this table.

import type { Action, KeyContext, PaneId } from "../flow/ui-state.js";
import type { LabelKey } from "./i18n.js";

/** Key names: a printable character, or one of the named keys below; "S-" shift, "C-" ctrl. */
export type KeyName = string;

export interface Binding {
  action: Action;
  keys: KeyName[];
  /** Where the binding applies. "panes": every pane and the task drill-down. */
  contexts: readonly (KeyContext | "panes")[];
  label: LabelKey;
  /** Shown in the footer (the help overlay shows every binding). */
  footer: boolean;
}

const LIST_PANES: readonly KeyContext[] = [
  "cloudformation",
  "service",
  "tasks",
  "logs",
  "secrets",
  "verdict",
  "task",
];
const PANES: readonly (KeyContext | "panes")[] = ["panes"];
/** The fix view's contexts (source/flow/ui-fix.ts). */
const FIX_ALL: readonly KeyContext[] = [
  "fix-menu",
  "fix-input",
  "fix-preview",
  "fix-confirm",
  "fix-busy",
  "fix-result",
];
const FIX_SCROLL: readonly KeyContext[] = ["fix-preview", "fix-busy", "fix-result"];
const FIX_KEYS: readonly KeyContext[] = ["fix-menu", "fix-preview", "fix-busy", "fix-result"];

export const KEYMAP: readonly Binding[] = [
  {
    action: "forceQuit",
    keys: ["C-c"],
    contexts: ["panes", "help", "services", "confirm-quit", "filter", ...FIX_ALL],
    label: "forceQuit",
    footer: false,
  },
  // confirm-quit
  { action: "confirmYes", keys: ["y"], contexts: ["confirm-quit"], label: "confirmYes", footer: true },
  { action: "confirmNo", keys: ["n", "esc"], contexts: ["confirm-quit"], label: "confirmNo", footer: true },
  // the fix view (issue 5): menu → values → preview → confirm → applying → watching → result
  { action: "up", keys: ["k", "up"], contexts: ["fix-menu", ...FIX_SCROLL], label: "up", footer: false },
  {
    action: "down",
    keys: ["j", "down"],
    contexts: ["fix-menu", ...FIX_SCROLL],
    label: "down",
    footer: false,
  },
  { action: "pageDown", keys: ["pgdn", "C-f", " "], contexts: FIX_SCROLL, label: "pageDown", footer: false },
  { action: "pageUp", keys: ["pgup", "C-b"], contexts: FIX_SCROLL, label: "pageUp", footer: false },
  { action: "top", keys: ["g", "home"], contexts: FIX_SCROLL, label: "top", footer: false },
  { action: "bottom", keys: ["G", "end"], contexts: FIX_SCROLL, label: "bottom", footer: false },
  { action: "fixSelect", keys: ["enter"], contexts: ["fix-menu"], label: "fixSelect", footer: true },
  { action: "fixNext", keys: ["enter"], contexts: ["fix-input"], label: "fixNext", footer: true },
  { action: "fixPrevField", keys: ["up"], contexts: ["fix-input"], label: "fixPrevField", footer: false },
  { action: "fixApply", keys: ["a"], contexts: ["fix-preview"], label: "fixApply", footer: true },
  { action: "confirmYes", keys: ["y"], contexts: ["fix-confirm"], label: "fixConfirmYes", footer: true },
  { action: "confirmNo", keys: ["n", "esc"], contexts: ["fix-confirm"], label: "fixConfirmNo", footer: true },
  { action: "back", keys: ["esc"], contexts: ["fix-menu", "fix-preview"], label: "fixClose", footer: true },
  { action: "back", keys: ["esc"], contexts: ["fix-input"], label: "fixCancel", footer: true },
  { action: "back", keys: ["esc", "enter"], contexts: ["fix-result"], label: "fixDone", footer: true },
  { action: "help", keys: ["?"], contexts: FIX_KEYS, label: "help", footer: true },
  { action: "quit", keys: ["q"], contexts: FIX_KEYS, label: "quit", footer: true },
  // typing a filter (other keys are text)
  { action: "filterApply", keys: ["enter"], contexts: ["filter"], label: "filterApply", footer: true },
  { action: "filterCancel", keys: ["esc"], contexts: ["filter"], label: "filterCancel", footer: true },
  // help overlay
  { action: "back", keys: ["esc", "?", "q"], contexts: ["help"], label: "closeHelp", footer: true },
  // services overlay
  { action: "up", keys: ["k", "up"], contexts: ["services"], label: "up", footer: false },
  { action: "down", keys: ["j", "down"], contexts: ["services"], label: "down", footer: false },
  { action: "drill", keys: ["enter"], contexts: ["services"], label: "chooseService", footer: true },
  { action: "back", keys: ["esc"], contexts: ["services"], label: "back", footer: true },
  // moving
  { action: "down", keys: ["j", "down"], contexts: LIST_PANES, label: "down", footer: false },
  { action: "up", keys: ["k", "up"], contexts: LIST_PANES, label: "up", footer: true },
  { action: "pageDown", keys: ["pgdn", "C-f", " "], contexts: LIST_PANES, label: "pageDown", footer: false },
  { action: "pageUp", keys: ["pgup", "C-b"], contexts: LIST_PANES, label: "pageUp", footer: false },
  { action: "top", keys: ["g", "home"], contexts: LIST_PANES, label: "top", footer: false },
  { action: "bottom", keys: ["G", "end"], contexts: LIST_PANES, label: "bottom", footer: true },
  { action: "drill", keys: ["enter"], contexts: ["tasks"], label: "drill", footer: true },
  { action: "back", keys: ["esc"], contexts: ["task", "logs"], label: "back", footer: true },
  // logs
  { action: "filter", keys: ["/"], contexts: ["logs"], label: "filter", footer: true },
  { action: "nextMatch", keys: ["n"], contexts: ["logs"], label: "nextMatch", footer: false },
  { action: "prevMatch", keys: ["N"], contexts: ["logs"], label: "prevMatch", footer: false },
  { action: "errorsOnly", keys: ["x"], contexts: ["logs"], label: "errorsOnly", footer: true },
  { action: "wrap", keys: ["w"], contexts: ["logs"], label: "wrap", footer: true },
  { action: "timestamps", keys: ["t"], contexts: ["logs"], label: "timestamps", footer: false },
  { action: "pretty", keys: ["p"], contexts: ["logs"], label: "pretty", footer: false },
  // the fix hook (issue 5 wires the fix menu to the open-fix effect)
  { action: "openFix", keys: ["f"], contexts: ["verdict"], label: "openFix", footer: true },
  // everywhere in the panes
  { action: "nextPane", keys: ["tab", "right", "l"], contexts: PANES, label: "nextPane", footer: true },
  { action: "prevPane", keys: ["S-tab", "left", "h"], contexts: PANES, label: "prevPane", footer: false },
  { action: "step1", keys: ["1"], contexts: PANES, label: "step1", footer: false },
  { action: "step2", keys: ["2"], contexts: PANES, label: "step2", footer: false },
  { action: "step3", keys: ["3"], contexts: PANES, label: "step3", footer: false },
  { action: "step4", keys: ["4"], contexts: PANES, label: "step4", footer: false },
  { action: "step5", keys: ["5"], contexts: PANES, label: "step5", footer: false },
  { action: "step6", keys: ["6"], contexts: PANES, label: "step6", footer: false },
  { action: "refresh", keys: ["r"], contexts: PANES, label: "refresh", footer: true },
  { action: "switchEnv", keys: ["e"], contexts: PANES, label: "switchEnv", footer: true },
  { action: "help", keys: ["?"], contexts: PANES, label: "help", footer: true },
  { action: "quit", keys: ["q"], contexts: PANES, label: "quit", footer: true },
];

const isPaneContext = (c: KeyContext) =>
  c !== "help" && c !== "services" && c !== "confirm-quit" && c !== "filter" && !c.startsWith("fix-");

export function applies(b: Binding, ctx: KeyContext): boolean {
  return b.contexts.some((c) => c === ctx || (c === "panes" && isPaneContext(ctx)));
}

/** The action a key triggers in this context, if any. */
export function resolveKey(ctx: KeyContext, key: KeyName): Action | undefined {
  return KEYMAP.find((b) => applies(b, ctx) && b.keys.includes(key))?.action;
}

/** The bindings of a context (for the footer and the help overlay), pane-specific ones first. */
export function bindingsFor(ctx: KeyContext): Binding[] {
  const own = KEYMAP.filter((b) => applies(b, ctx) && !b.contexts.includes("panes"));
  const global = KEYMAP.filter((b) => applies(b, ctx) && b.contexts.includes("panes"));
  const seen = new Set<string>();
  return [...own, ...global].filter((b) => {
    const k = `${b.action}:${b.label}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The first key of an action in a context (for tests and hints). */
export function keyOf(action: Action, ctx: KeyContext | "panes" = "panes"): KeyName {
  const b =
    ctx === "panes"
      ? KEYMAP.find((x) => x.action === action)
      : KEYMAP.find((x) => x.action === action && applies(x, ctx as KeyContext));
  if (!b) throw new Error(`no key for ${action} in ${ctx}`);
  return b.keys[0]!;
}

/** How a key name is written in the footer. */
export function keyLabel(k: KeyName): string {
  const names: Record<string, string> = {
    up: "↑",
    down: "↓",
    left: "←",
    right: "→",
    enter: "Enter",
    esc: "Esc",
    tab: "Tab",
    "S-tab": "S-Tab",
    pgup: "PgUp",
    pgdn: "PgDn",
    home: "Home",
    end: "End",
    " ": "Space",
    "C-c": "Ctrl-C",
    "C-f": "Ctrl-F",
    "C-b": "Ctrl-B",
  };
  return names[k] ?? k;
}

interface InkKey {
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  pageDown: boolean;
  pageUp: boolean;
  home?: boolean;
  end?: boolean;
  return: boolean;
  escape: boolean;
  ctrl: boolean;
  shift: boolean;
  tab: boolean;
  backspace: boolean;
  delete: boolean;
  meta: boolean;
}

/** Ink's useInput arguments → our key name. */
export function keyName(input: string, key: InkKey): KeyName | undefined {
  if (key.upArrow) return "up";
  if (key.downArrow) return "down";
  if (key.leftArrow) return "left";
  if (key.rightArrow) return "right";
  if (key.pageUp) return "pgup";
  if (key.pageDown) return "pgdn";
  if (key.home) return "home";
  if (key.end) return "end";
  if (key.return) return "enter";
  if (key.tab) return key.shift ? "S-tab" : "tab";
  if (key.escape) return "esc";
  if (key.backspace || key.delete) return "backspace";
  if (key.ctrl && input) return `C-${input.toLowerCase()}`;
  if (input === "\u0003") return "C-c";
  return input || undefined;
}

/** The bytes a terminal sends for a key name (tests write these to stdin or the pty). */
export function keySequence(k: KeyName): string {
  const seq: Record<string, string> = {
    up: "\u001B[A",
    down: "\u001B[B",
    right: "\u001B[C",
    left: "\u001B[D",
    pgup: "\u001B[5~",
    pgdn: "\u001B[6~",
    home: "\u001B[H",
    end: "\u001B[F",
    enter: "\r",
    esc: "\u001B",
    tab: "\t",
    "S-tab": "\u001B[Z",
    backspace: "\u007F",
  };
  if (seq[k]) return seq[k]!;
  if (k.startsWith("C-") && k.length === 3) return String.fromCharCode(k.charCodeAt(2) - 96);
  return k;
}

export type { PaneId };
