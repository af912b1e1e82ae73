// The texts the diagnosis engine writes (step summaries, findings, the verdict, the fix menu), as
// the UI shows them in each language. The engine and `afu9-tui diagnose` stay English: reports and
// JSON are for scripts and issues. A catalog's entry returns undefined when it has no text of its
// own; the UI then shows the engine's English text (the English catalog has none: English is the
// engine's own wording, so the screens stay exactly what they were).
//
// AWS's own words (stoppedReason, service event messages, log lines, AWS error messages) are
// evidence and never translated: the entries quote them as they are.

import type { Finding } from "../../diagnosis/model.js";
import type { StoppedClassId } from "../../diagnosis/stopped-tasks.js";
import type { Verdict } from "../../diagnosis/verdict.js";
import type { Analysis, StepState } from "../../flow/analyze.js";
import type { ProblemInfo } from "../../flow/collect.js";
import type { FixId } from "../../flow/fixes.js";

/** What an entry may read besides the finding or verdict itself. */
export interface TextContext {
  analysis: Analysis;
  /** The log group step 4 read (for "no error lines in …"). */
  logGroup?: string;
  /** The problems of the evidence that did not answer (for the verdict's "not checked"). */
  problems?: ProblemInfo[];
}

export interface EngineTexts {
  /** The one-line finding of a runbook step (StepState.summary). */
  stepSummary(st: StepState, c: TextContext): string | undefined;
  /** A finding's text by its step and class id (Finding.text). */
  finding(f: Finding, c: TextContext): string | undefined;
  /** The runbook's "Ursache" of a stopped-task class (StoppedTaskFinding.cause). */
  stoppedCause(id: StoppedClassId): string | undefined;
  /** A runbook next step ("→ Schritt 5", "ECR prüfen", …). */
  nextStep(s: string): string | undefined;
  /** Verdict.summary. */
  verdictSummary(v: Verdict, c: TextContext): string | undefined;
  /** Verdict.nextStep. */
  verdictNextStep(v: Verdict, c: TextContext): string | undefined;
  /** One line of Verdict.evidence. */
  evidence(e: Verdict["evidence"][number], v: Verdict, c: TextContext): string | undefined;
  confidence(c: Verdict["confidence"]): string | undefined;
  /** The fix menu's title and description of a fix. */
  fix(id: FixId): { title: string; description: string } | undefined;
  /** The fix menu's one-line note about what a fix will do here. */
  fixNote(id: FixId, note: string): string | undefined;
}

/** English: the engine's own texts. */
export const enEngine: EngineTexts = {
  stepSummary: () => undefined,
  finding: () => undefined,
  stoppedCause: () => undefined,
  nextStep: () => undefined,
  verdictSummary: () => undefined,
  verdictNextStep: () => undefined,
  evidence: () => undefined,
  confidence: () => undefined,
  fix: () => undefined,
  fixNote: () => undefined,
};

// ── What the UI calls: the catalog's text, else the engine's ──────────────────────────────

interface HasEngine {
  engine: EngineTexts;
}

export const stepSummaryText = (t: HasEngine, st: StepState, c: TextContext): string =>
  t.engine.stepSummary(st, c) ?? st.summary;

export const findingText = (t: HasEngine, f: Finding, c: TextContext): string =>
  t.engine.finding(f, c) ?? f.text;

export const stoppedCauseText = (t: HasEngine, f: { id: StoppedClassId; cause: string }): string =>
  t.engine.stoppedCause(f.id) ?? f.cause;

export const nextStepText = (t: HasEngine, s: string): string => t.engine.nextStep(s) ?? s;

export interface VerdictTexts {
  summary: string;
  nextStep: string;
  evidence: { step: Verdict["evidence"][number]["step"]; text: string }[];
  confidence: string;
}

export function verdictTexts(t: HasEngine, v: Verdict, c: TextContext): VerdictTexts {
  return {
    summary: t.engine.verdictSummary(v, c) ?? v.summary,
    nextStep: t.engine.verdictNextStep(v, c) ?? v.nextStep,
    evidence: v.evidence.map((e) => ({ step: e.step, text: t.engine.evidence(e, v, c) ?? e.text })),
    confidence: t.engine.confidence(v.confidence) ?? v.confidence,
  };
}

export function fixMenuTexts(
  t: HasEngine,
  e: { id: FixId; title: string; description: string; note?: string },
): { title: string; description: string; note?: string } {
  const f = t.engine.fix(e.id);
  const note = e.note === undefined ? undefined : (t.engine.fixNote(e.id, e.note) ?? e.note);
  return {
    title: f?.title ?? e.title,
    description: f?.description ?? e.description,
    ...(note !== undefined ? { note } : {}),
  };
}
