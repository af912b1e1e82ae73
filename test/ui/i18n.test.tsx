// The engine's texts through the catalogs: English stays the engine's wording; German comes from
// the German catalog for every shipped scenario (no English fallback), with the runbook's terms,
// while AWS's own words (stoppedReason, rolloutStateReason, log lines) stay as AWS wrote them.

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Analysis, analyze } from "../../source/flow/analyze.js";
import { collect, type Evidence } from "../../source/flow/collect.js";
import { FIX_ORDER, FIX_TITLES } from "../../source/flow/fixes.js";
import { SCENARIO_IDS } from "../../source/sandbox/scenarios/index.js";
import {
  fixMenuTexts,
  stepSummaryText,
  stoppedCauseText,
  type TextContext,
  verdictTexts,
} from "../../source/ui/i18n/engine.js";
import { catalog } from "../../source/ui/i18n.js";
import { harness } from "../helpers/sandbox.js";
import { openScreen, type Screen } from "./harness.js";

const en = catalog("en");
const de = catalog("de");

const analyses = new Map<string, { a: Analysis; ev: Partial<Evidence> }>();
beforeAll(async () => {
  for (const id of SCENARIO_IDS) {
    const h = await harness(id);
    try {
      const ev = await collect(h.clients, h.target, { now: () => h.clock.now() });
      analyses.set(id, { a: analyze(ev, false), ev });
    } finally {
      await h.close();
    }
  }
}, 60_000);

const ctx = (id: string): TextContext => {
  const x = analyses.get(id)!;
  return { analysis: x.a, ...(x.ev.logGroup ? { logGroup: x.ev.logGroup } : {}) };
};

/** Phrases of the engine's English that must not be on a German screen. */
const ENGLISH =
  /does not exist|Tasks fail|\bmissing\b|Circuit breaker|is not set|No CloudFormation error|Service is stable|\bstopped, none\b|No error lines|have their keys|Create or update|force a new deployment|The app|The database|may not|not valid JSON|Secret not found|Essential container exited|Access denied|\bRole\b.*: no |probably|fails the ELB|Container crash|Nothing to fix/;

/** A German text with AWS's quoted words taken out. */
function ownWords(text: string, a: Analysis): string {
  let s = text;
  for (const f of a.stoppedTasks?.findings ?? []) if (f.stoppedReason) s = s.split(f.stoppedReason).join("");
  for (const e of a.service?.events ?? []) s = s.split(e.event.message).join("");
  const cb = a.service?.deployment.circuitBreakerReason;
  if (cb) s = s.split(cb).join("");
  return s;
}

describe("the German catalog covers every shipped scenario", () => {
  test.each(SCENARIO_IDS)("%s: steps, verdict and evidence come from the German catalog", (id) => {
    const c = ctx(id);
    const a = c.analysis;
    const v = a.verdict!;
    const shown: string[] = [];
    for (const st of a.steps) {
      const own = de.engine.stepSummary(st, c);
      expect(own, `step ${st.id} of ${id} falls back to "${st.summary}"`).toBeDefined();
      shown.push(own!);
    }
    for (const f of a.stoppedTasks?.findings ?? []) {
      expect(de.engine.stoppedCause(f.id), `cause ${f.id}`).toBeDefined();
      if (f.nextStep) expect(de.engine.nextStep(f.nextStep), `next step ${f.nextStep}`).toBeDefined();
      shown.push(stoppedCauseText(de, f));
    }
    for (const f of a.cloudformation?.failures ?? [])
      if (f.finding.nextStep) expect(de.engine.nextStep(f.finding.nextStep)).toBeDefined();
    const summary = de.engine.verdictSummary(v, c);
    const next = de.engine.verdictNextStep(v, c);
    expect(summary, `verdict summary of ${id}: "${v.summary}"`).toBeDefined();
    expect(next, `verdict next step of ${id}: "${v.nextStep}"`).toBeDefined();
    shown.push(summary!, next!);
    for (const e of v.evidence) {
      const own = de.engine.evidence(e, v, c);
      expect(own, `evidence of ${id}: "${e.text}"`).toBeDefined();
      shown.push(own!);
    }
    for (const line of shown) expect(ownWords(line, a)).not.toMatch(ENGLISH);
  });

  test("every fix of the menu has a German title and description", () => {
    for (const id of FIX_ORDER) {
      const f = de.engine.fix(id);
      expect(f?.title).toBeTruthy();
      expect(f?.description).not.toBe(FIX_TITLES[id].description);
      expect(`${f?.title} ${f?.description}`).not.toMatch(ENGLISH);
    }
  });

  test("the runbook's terms", () => {
    const step = (id: string, step: string) => {
      const c = ctx(id);
      return stepSummaryText(de, c.analysis.steps.find((s) => s.id === step)!, c);
    };
    const verdict = (id: string) => verdictTexts(de, ctx(id).analysis.verdict!, ctx(id));
    expect(step("db-secret-missing", "stopped-tasks")).toMatch(
      /^Secret existiert nicht oder ARN ist falsch: ResourceInitializationError: unable to pull secrets/,
    );
    expect(step("db-secret-incomplete", "stopped-tasks")).toBe(
      "Container-Crash (vermutlich Config-Fehler): Essential container in task exited",
    );
    expect(step("db-credentials-wrong", "stopped-tasks")).toMatch(
      /^App startet, aber \/api\/ready schlägt fehl: Task failed ELB health checks/,
    );
    expect(step("db-secret-incomplete", "logs")).toBe(
      "DATABASE_PORT ist nicht gesetzt (Secret-Key fehlt in Secret)",
    );
    expect(step("db-secret-missing", "cloudformation")).toBe(
      "ECS Deployment Circuit Breaker wurde ausgelöst",
    );
    expect(step("healthy", "cloudformation")).toBe("Kein CloudFormation-Fehler");
    expect(step("db-secret-missing", "secrets")).toBe(
      "afu9/database: existiert nicht (ResourceNotFoundException)",
    );
    expect(step("db-secret-missing", "decision")).toBe(
      "DATABASE_ENABLED=true: Database ist aktiviert → Fix 6.2",
    );
    expect(step("secret-access-denied", "iam")).toMatch(
      /^afu9-ecs-task-execution-role darf secretsmanager:GetSecretValue auf afu9\/database-\w+ nicht/,
    );
    expect(verdict("db-secret-missing").summary).toBe(
      "Tasks starten nicht: Secret afu9/database existiert nicht.",
    );
    expect(verdict("db-secret-incomplete").summary).toBe(
      "Secret-Key port fehlt in afu9/database: die App beendet sich (DATABASE_PORT ist nicht gesetzt).",
    );
    expect(verdict("db-secret-incomplete").nextStep).toBe(
      "Fix 6.2: afu9/database mit allen Keys erstellen/updaten, dann neu deployen",
    );
    expect(verdict("github-secret-incomplete").summary).toBe(
      "Tasks starten nicht: Secret afu9/github hat keinen JSON-Key repo.",
    );
    expect(verdict("db-credentials-wrong").summary).toContain('Passwort für User "afu9_admin"');
    expect(verdict("secrets-network-unreachable").nextStep).toMatch(/^Network prüfen: /);
    // AWS's words stay: the circuit breaker's reason is quoted as ECS wrote it.
    expect(verdict("db-secret-missing").evidence.map((e) => e.text)).toContain(
      "rolloutStateReason: failed circuit breaker: tasks failed to start.",
    );
    expect(verdict("db-secret-missing").confidence).toBe("hoch");
  });
});

describe("the English catalog is the engine's own wording", () => {
  test.each(SCENARIO_IDS)("%s: the texts are the engine's", (id) => {
    const c = ctx(id);
    const v = c.analysis.verdict!;
    for (const st of c.analysis.steps) expect(stepSummaryText(en, st, c)).toBe(st.summary);
    const vt = verdictTexts(en, v, c);
    expect(vt.summary).toBe(v.summary);
    expect(vt.nextStep).toBe(v.nextStep);
    expect(vt.evidence).toEqual(v.evidence);
    expect(vt.confidence).toBe(v.confidence);
    for (const f of c.analysis.stoppedTasks?.findings ?? []) expect(stoppedCauseText(en, f)).toBe(f.cause);
  });

  test("the fix menu keeps the engine's titles", () => {
    for (const id of FIX_ORDER) {
      const e = { id, ...FIX_TITLES[id] };
      expect(fixMenuTexts(en, e)).toEqual({ title: e.title, description: e.description });
    }
  });
});

describe("German screens", () => {
  let screen: Screen | undefined;
  afterAll(async () => {
    await screen?.quit();
  });

  test("db-secret-incomplete at 80x24: steps, verdict and fix menu in German, no row too wide", async () => {
    screen = await openScreen("db-secret-incomplete", { lang: "de", size: { cols: 80, rows: 24 } });
    await screen.waitFor((_t, s) => Boolean(s.analysis.verdict), "the verdict");
    await screen.press("step6");
    const text = screen.text();
    expect(text).toContain("Container-Crash (vermutlich Config-Fehler)");
    expect(text).toContain("Secret-Key port fehlt in afu9/database");
    expect(text).toContain("Nächster Schritt: Fix 6.2: afu9/database mit allen Keys");
    expect(text).not.toMatch(ENGLISH);
    for (const l of screen.lines()) expect(l.length).toBeLessThanOrEqual(80);
    await screen.press("openFix");
    await screen.waitFor((t) => t.includes("Database Secret erstellen/updaten"), "the German fix menu");
    expect(screen.text()).not.toMatch(/Create or update|Disable the database/);
  });
});
