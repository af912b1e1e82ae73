// German on the screens that were still English: a failing pane's problem (from the problem's
// structured fields) and the fix flow's preview, watch and result. English stays the engine's.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import type { UiState } from "../../source/flow/ui-state.js";
import { loadScenario } from "../../source/sandbox/scenarios/index.js";
import { de } from "../../source/ui/i18n/de.js";
import { en } from "../../source/ui/i18n/en.js";
import { problemLine } from "../../source/ui/i18n/problems.js";
import { secretValues } from "../helpers/sandbox.js";
import { openScreen, type Screen } from "./harness.js";

beforeAll(() => {
  process.env.AFU9_AUDIT_LOG = join(mkdtempSync(join(tmpdir(), "afu9-ui-i18n-fix-")), "audit.log");
  process.env.AFU9_WATCH_INTERVAL_MS = "100";
});

let screen: Screen | undefined;
let frames: string[] = [];
afterEach(async () => {
  await screen?.quit();
  screen = undefined;
  frames = [];
});

const verdictReady = (_t: string, s: { analysis: { verdict?: unknown } }) => Boolean(s.analysis.verdict);

async function see(pred: (t: string, s: UiState) => boolean, what: string, ms = 20_000) {
  await screen!.waitFor(
    (t, s) => {
      frames.push(t);
      return pred(t, s);
    },
    what,
    ms,
  );
}

/** Sentences and headings of ours that German screens must not show. */
const ENGLISH = [
  "What will change",
  "Key-level diff",
  "Values (sources only)",
  "API calls",
  "AWS CLI equivalent",
  "Notes:",
  "added:",
  "changed:",
  "unchanged:",
  "new secret",
  "Create secret",
  "Update secret",
  "Force a new deployment",
  "typed (masked)",
  "[recommended]",
  "Watching deployment",
  "COMPLETED and /api/ready is ready",
  "is ready",
  "stopped tasks of this deployment",
  "failed tasks",
  "started deployment",
  "created afu9",
  "Access denied",
  "the caller needs",
  "needs the",
  "could not be loaded",
  "Missing permission",
  "press ",
  "Preview of fix",
  "Applying fix",
  "Back to the diagnosis",
  "↓ more",
];

function expectNoEnglish(text: string) {
  for (const phrase of ENGLISH) expect(text, `English "${phrase}" on a German screen`).not.toContain(phrase);
}

describe("German problems", () => {
  test("a pane without permission says so in German, with the permission's name", async () => {
    const world = loadScenario("db-secret-missing") as unknown as Record<string, unknown>;
    world.faults = [{ service: "cloudformation", operation: "DescribeStackEvents", kind: "accessDenied" }];
    const dir = mkdtempSync(join(tmpdir(), "afu9-ui-"));
    const file = join(dir, "world.json");
    writeFileSync(file, JSON.stringify(world));
    screen = await openScreen("custom", { world: file, lang: "de" });
    await screen.waitFor(verdictReady, "the verdict");
    await screen.press("step1");
    const text = screen.text();
    expect(text).toContain("Dieser Bereich konnte nicht geladen werden");
    expect(text).toContain("Zugriff verweigert");
    expect(text).toContain("Fehlende Berechtigung: cloudformation:DescribeStackEvents");
    expect(text).toMatch(/der Aufrufer braucht die Berechtigung cloudformation:DescribeStackEvents/);
    expectNoEnglish(text);
    // The step's line and the verdict's "not checked" are German too.
    const st = screen.store.getState();
    const cfn = st.analysis.steps.find((s) => s.id === "cloudformation")!;
    expect(cfn.status).toBe("fail");
    expect(cfn.summary).toMatch(/^Access denied: cloudformation:DescribeStackEvents/); // the engine: English
    expect(problemLine(de, cfn.problem!)).toMatch(
      /^Zugriff verweigert \(\S+\): cloudformation:DescribeStackEvents/,
    );
    expect(problemLine(en, cfn.problem!)).toBe(cfn.summary);
    await screen.press("step6");
    const verdict = screen.text();
    expect(verdict).not.toContain("Access denied");
  });

  test("a skipped dependant says in German what it needs, with the dependency's problem", () => {
    const cause = {
      kind: "access-denied",
      code: "AccessDeniedException",
      message: "Access denied: ecs:DescribeServices on arn:aws:ecs:eu-central-1:1:service/c/s",
      hint: "the caller needs ecs:DescribeServices on arn:aws:ecs:eu-central-1:1:service/c/s",
      operation: "ecs:DescribeServices",
      action: "ecs:DescribeServices",
      resource: "arn:aws:ecs:eu-central-1:1:service/c/s",
    };
    const p = {
      kind: "other",
      code: "Error",
      message: `needs the service (step 2): ${cause.message}`,
      hint: "",
      needs: "the service (step 2)",
      cause,
    };
    expect(problemLine(de, p)).toBe(
      "benötigt den Service (Schritt 2): Zugriff verweigert (AccessDeniedException): ecs:DescribeServices auf arn:aws:ecs:eu-central-1:1:service/c/s — der Aufrufer braucht die Berechtigung ecs:DescribeServices auf arn:aws:ecs:eu-central-1:1:service/c/s",
    );
    expect(problemLine(en, p)).toBe(p.message);
    // not-found names what exists nearby, as AWS names it
    const nf = {
      kind: "not-found",
      code: "ValidationError",
      message: "Stack afu9-ecs does not exist in eu-central-1",
      hint: "stacks here: Afu9Network, Afu9Database (use --stack)",
    };
    expect(problemLine(de, nf)).toBe(
      "Stack afu9-ecs existiert nicht in eu-central-1 — Stacks hier: Afu9Network, Afu9Database (--stack angeben)",
    );
  });
});

describe("the German fix flow", () => {
  test("db-secret-missing: German preview, watch and result, READY", async () => {
    screen = await openScreen("db-secret-missing", { speed: 300, lang: "de", size: { cols: 120, rows: 90 } });
    const s = screen;
    await see((_t, st) => Boolean(st.analysis.verdict?.fix), "the verdict with a fix");
    await s.press("step6");
    await s.press("openFix");
    await see((_t, st) => st.fix?.stage === "menu" && !st.fix.menuLoading, "the fix menu");
    await s.press("fixSelect");
    await see((_t, st) => st.fix?.stage === "preview" && st.fix.preview.length > 0, "the preview");
    const preview = s.text();
    for (const h of [
      "Vorschau Fix database-secret",
      "Was sich ändert:",
      "Werte (nur Quellen):",
      "Diff auf Key-Ebene (nur Namen):",
      "hinzugefügt:",
      "neues Secret",
      "API-Aufrufe:",
      "AWS-CLI-Entsprechung (Platzhalter statt Secret-Werten):",
      "Secret afu9/database anlegen",
      "Force new deployment von afu9-control-center-stage",
      "(Runbook 6.2)",
    ])
      expect(preview).toContain(h);
    // verbatim: API call names and AWS CLI commands
    expect(preview).toContain("secretsmanager:CreateSecret Name=afu9/database");
    expect(preview).toContain("aws secretsmanager create-secret --name afu9/database");
    expectNoEnglish(preview);
    // At 80x24 the preview scrolls: the mark is German too, and no row is wider than the terminal.
    await s.resize({ cols: 80, rows: 24 });
    expect(s.text()).toContain("↓ mehr");
    expectNoEnglish(s.text());
    for (const l of s.lines()) expect(l.length).toBeLessThanOrEqual(80);
    await s.resize({ cols: 120, rows: 90 });
    await s.press("fixApply");
    await see(
      (t) => t.includes("Fix database-secret jetzt auf afu9-cluster/afu9-control-center-stage anwenden?"),
      "the confirmation",
    );
    await s.press("confirmYes");
    await see((t) => t.includes("Beobachte Deployment ecs-svc/"), "the watch");
    expectNoEnglish(s.text());
    await see((t) => t.includes("✓ READY"), "READY", 40_000);
    const result = s.text();
    expect(result).toMatch(/READY: Deployment ecs-svc\/\S+ COMPLETED und \/api\/ready meldet ready/);
    expect(result).toMatch(
      /Deployment ecs-svc\/\S+: COMPLETED, laufend \d+\/\d+, wartend \d+, fehlgeschlagene Tasks \d+/,
    );
    expect(result).toMatch(/\/api\/ready → 200: ready=true/);
    expect(result).toContain("database: ok");
    expect(result).toMatch(/afu9\/database angelegt \(Version /);
    expectNoEnglish(result);
    for (const f of frames) expectNoEnglishOfOurs(f);
    const values = secretValues(loadScenario("db-secret-missing"));
    for (const f of frames)
      for (const v of values) expect(f.includes(v), "a secret value on screen").toBe(false);
  }, 60_000);
});

/** Every frame of the flow: the headings and sentences of ours are never English. */
function expectNoEnglishOfOurs(frame: string) {
  for (const phrase of [
    "What will change",
    "Key-level diff",
    "Values (sources only)",
    "Watching deployment",
    "Access denied",
  ])
    expect(frame).not.toContain(phrase);
}

describe("a wrong fix, in German", () => {
  test("redeploy on db-credentials-wrong: the rollback, explained in German", async () => {
    screen = await openScreen("db-credentials-wrong", {
      speed: 300,
      lang: "de",
      size: { cols: 120, rows: 60 },
    });
    const s = screen;
    await see((_t, st) => Boolean(st.analysis.verdict?.fix), "the verdict with a fix");
    await s.press("step6");
    await s.press("openFix");
    await see((_t, st) => st.fix?.stage === "menu" && !st.fix.menuLoading, "the fix menu");
    const idx = s.store.getState().fix!.menu.findIndex((e) => e.id === "redeploy");
    await s.press("down", idx);
    await s.press("fixSelect");
    await see((_t, st) => st.fix?.stage === "preview" && st.fix.preview.length > 0, "the preview");
    const preview = s.text();
    expect(preview).toContain("Die Diagnose empfiehlt sync-db-credentials");
    expect(preview).toContain("ecs:UpdateService cluster=afu9-cluster");
    expectNoEnglish(preview);
    expect(preview).not.toContain("The diagnosis recommends");
    await s.press("fixApply");
    await s.press("confirmYes");
    await see((t) => t.includes("Beobachte Deployment"), "the watch");
    await see((_t, st) => st.fix?.stage === "result", "the result", 40_000);
    const text = s.text();
    expect(text).toMatch(/✗ FAILED/);
    expect(text).toContain("Zurück zur Diagnose");
    expect(text).not.toContain("✓ READY");
    expectNoEnglish(text);
    expect(text).not.toMatch(/The circuit breaker rolled back|the deployment failed|stopped tasks of this/);
    for (const f of frames) expectNoEnglishOfOurs(f);
  }, 60_000);
});
