// Die Texte der Diagnose auf Deutsch, mit den Begriffen des Runbooks I-ECS-DB-04 ("Ursache",
// "Nächster Schritt"). Jeder Eintrag hängt an der stabilen Klassen-ID eines Befunds, an der
// Szenario- oder Fix-ID und an den strukturierten Feldern (Secret, Keys, Variable, User, Exit-Code,
// Deployment, Role). Was AWS geschrieben hat (stoppedReason, Service-Event-Meldungen, Log-Zeilen,
// AWS-Fehlermeldungen), bleibt wörtlich: das ist Evidenz, nicht unser Text.

import type { CfnClassId } from "../../diagnosis/cloudformation.js";
import type { LogClassId, LogFinding } from "../../diagnosis/logs.js";
import { maskCredentials } from "../../diagnosis/mask.js";
import type { Finding, SecretCheck } from "../../diagnosis/model.js";
import type { ServiceEventClassId } from "../../diagnosis/service-events.js";
import type { StoppedClassId, StoppedTaskFinding } from "../../diagnosis/stopped-tasks.js";
import { FIXES, type ScenarioId, type Verdict } from "../../diagnosis/verdict.js";
import { FATAL_PROBLEMS, type ProblemInfo } from "../../flow/collect.js";
import type { FixId } from "../../flow/fixes.js";
import type { EngineTexts, TextContext } from "./engine.js";
import { deProblems } from "./problems.js";

// ── Schritt 1: CloudFormation ─────────────────────────────────────────────────────────────

const CFN: Record<CfnClassId, (f: Finding) => string> = {
  "cfn-none": () => "Kein CloudFormation-Fehler",
  "cfn-circuit-breaker": () => "ECS Deployment Circuit Breaker wurde ausgelöst",
  "cfn-cancelled": () => "ECS Service failed to stabilize (Resource cancelled)",
  "cfn-not-stabilized": () => "ECS Service hat sich nicht stabilisiert",
  "cfn-target-group-no-lb": () => "ALB-Konfigurationsfehler: Target Group ohne Load Balancer",
  // The text is the ResourceStatusReason as CloudFormation wrote it.
  "cfn-rollback-summary": (f) => f.text,
  "cfn-unknown": (f) => {
    const r = /^Unrecognised CloudFormation error: ([\s\S]*)$/.exec(f.text);
    if (r) return `Unbekannter CloudFormation-Fehler: ${r[1]}`;
    const n = /^(\S+) (\S+) without a reason$/.exec(f.text);
    return n ? `${n[1]} ${n[2]} ohne Begründung` : f.text;
  },
};

// ── Schritt 2: ECS Service Events ─────────────────────────────────────────────────────────

const SERVICE: Record<ServiceEventClassId, (f: Finding) => string> = {
  "steady-state": (f) =>
    f.text === "Service is stable"
      ? "Service ist stabil"
      : "Service hat einen Steady State erreicht (Deployment erfolgreich)",
  "deployment-completed": () => "Deployment abgeschlossen",
  "cb-tasks-failed-to-start": () => "Circuit Breaker: Tasks starten nicht",
  "cb-elb-health-checks": () => "Circuit Breaker: Tasks starten, aber Health-Check schlägt fehl",
  "deployment-failed": (f) => {
    const own = /^Deployment (\S+) FAILED(?:: ([\s\S]*))?$/.exec(f.text);
    if (own) return `Deployment ${own[1]} fehlgeschlagen (FAILED)${own[2] ? `: ${own[2]}` : ""}`;
    const m = /^Deployment failed(?:: ([\s\S]*))?$/.exec(f.text);
    return `Deployment fehlgeschlagen${m?.[1] ? `: ${m[1]}` : ""}`;
  },
  "rolling-back": (f) => `Rollback auf Deployment ${/(ecs-svc\/\d+)/.exec(f.text)?.[1] ?? "?"}`,
  "unhealthy-in-target-group": (f) => {
    const why = /^Target unhealthy: ([\s\S]*)$/.exec(f.text)?.[1];
    return `Target in der Target Group ungesund${why ? `: ${why}` : ""}`;
  },
  "task-failed-elb-health-checks": () => "Task hat den ELB Health-Check nicht bestanden",
  "task-failed-container-health-checks": () => "Task hat den Container Health-Check nicht bestanden",
  "unable-to-start-consistently": () => "Service kann Tasks nicht dauerhaft starten",
  "unable-to-place-task": (f) => {
    const why = /^Unable to place a task: ([\s\S]*)$/.exec(f.text)?.[1];
    return `Task kann nicht platziert werden${why ? `: ${why}` : ""}`;
  },
  throttled: () => "ECS-Aufrufe werden gedrosselt (Throttling); ECS versucht es erneut",
  "tasks-started": (f) => `${/(\d+)/.exec(f.text)?.[1] ?? "?"} Task(s) gestartet`,
  "tasks-stopped": (f) => `${/(\d+)/.exec(f.text)?.[1] ?? "?"} Task(s) gestoppt`,
  "targets-registered": (f) =>
    `${/(\d+)/.exec(f.text)?.[1] ?? "?"} Target(s) ${/^Deregistered/.test(f.text) ? "deregistriert" : "registriert"}`,
  draining: (f) => `Verbindungen von ${/(\d+)/.exec(f.text)?.[1] ?? "?"} Task(s) werden geleert (Draining)`,
  other: (f) =>
    f.text === "Deployment in progress"
      ? "Deployment läuft"
      : f.text === "No significant service events"
        ? "Keine relevanten Service Events"
        : // the event message as ECS wrote it
          f.text,
};

// ── Schritt 3: Stopped Tasks ──────────────────────────────────────────────────────────────

/** Die "Ursache" des Runbooks je Klasse. */
const CAUSE: Record<StoppedClassId, string> = {
  "secret-not-found": "Secret existiert nicht oder ARN ist falsch",
  "secret-access-denied": "IAM-Fehler: Role darf das Secret nicht lesen (secretsmanager:GetSecretValue)",
  "kms-access-denied": "IAM-Fehler: Role darf den KMS-Key des Secrets nicht nutzen (kms:Decrypt)",
  "secret-json-key-missing": "Secret-Key fehlt in Secret (JSON-Key aus der Task Definition)",
  "secret-marked-for-deletion": "Secret ist zur Löschung vorgemerkt",
  "secret-not-json": "Secret-Wert ist kein gültiges JSON, die Task Definition liest aber einen JSON-Key",
  "secrets-network": "Task erreicht Secrets Manager nicht (kein VPC-Endpoint / keine NAT-Route)",
  "ssm-parameter-error": "SSM-Parameter konnte nicht gelesen werden",
  "registry-auth": "Registry-Authentifizierung fehlgeschlagen (ECR-Token oder repositoryCredentials)",
  "resource-init-other": "Secret existiert nicht oder IAM-Fehler",
  "image-not-found": "Image oder Tag existiert nicht (ECR, nicht Secrets)",
  "image-access-denied": "Execution Role darf das Image nicht aus ECR ziehen (nicht Secrets)",
  "image-pull-timeout": "ECR-Zugriff fehlgeschlagen (Timeout; nicht Secrets)",
  "image-pull-failed": "ECR-Zugriff fehlgeschlagen (nicht Secrets)",
  "container-runtime-timeout": "Container-Runtime hat den Container nicht rechtzeitig gestartet",
  "cannot-start-container": "Container konnte nicht starten (Command, Speicher oder Runtime-Fehler)",
  "out-of-memory": "Container hatte zu wenig Speicher (OOM, Exit 137)",
  "essential-container-exited": "Container-Crash (vermutlich Config-Fehler)",
  "elb-health-checks": "App startet, aber /api/ready schlägt fehl",
  "container-health-checks": "Health-Check des Containers schlägt fehl",
  "scheduler-stop": "Vom Service Scheduler gestoppt (Skalierung oder Deployment); kein Fehler",
  "user-stop": "Von einem Benutzer gestoppt; kein Fehler",
  "spot-interruption": "Spot-Kapazität entzogen; kein Fehler",
  unknown: "Unbekannter Stopp-Grund",
};

const named = (name: string | undefined) => (name ? ` ${name}` : "");

function stoppedText(f: StoppedTaskFinding): string {
  const name = f.secret?.name;
  switch (f.id) {
    case "secret-json-key-missing":
      return `Secret${named(name)} hat keinen JSON-Key ${f.jsonKey ?? "?"}`;
    case "secret-not-found":
      return `Secret${named(name)} nicht gefunden (ResourceNotFoundException)`;
    case "secret-access-denied":
      return `Zugriff verweigert auf Secret${named(name)}${f.roleName ? ` für ${f.roleName}` : ""}`;
    case "kms-access-denied":
      return `KMS-Zugriff verweigert für Secret${named(name)}`;
    case "secret-marked-for-deletion":
      return `Secret${named(name)} ist zur Löschung vorgemerkt`;
    case "essential-container-exited":
    case "out-of-memory":
      return `${f.id === "out-of-memory" ? "Speicher erschöpft (OOM)" : "Essential Container beendet"}${f.container ? `: ${f.container}` : ""}${f.exitCode !== undefined ? ` Exit-Code ${f.exitCode}` : ""}`;
    default:
      return f.stoppedReason ? `${CAUSE[f.id]}: ${f.stoppedReason}` : CAUSE[f.id];
  }
}

// ── Schritt 4: Container Logs ─────────────────────────────────────────────────────────────

const LOG: Record<LogClassId, (f: LogFinding) => string> = {
  "env-var-not-set": (f) => `${f.variable ?? "?"} ist nicht gesetzt (Secret-Key fehlt in Secret)`,
  "db-password-auth-failed": (f) =>
    `Falsches Passwort im Secret: die Datenbank lehnt das Passwort für User "${f.user ?? "?"}" ab`,
  "db-host-null": (f) => `DATABASE_HOST ist ${f.host ?? "null"} (Secret-Key fehlt)`,
  "db-host-not-found": (f) => `DB-Host ${f.host ?? "?"} wird nicht aufgelöst (DB-Host ist falsch)`,
  "db-connection-refused": (f) =>
    f.host
      ? `Verbindung zu ${f.host}:${f.port ?? "?"} abgelehnt${f.localhost ? " (localhost: kein DB-Host konfiguriert)" : " (DB-Host ist falsch oder DB nicht erreichbar)"}`
      : "Verbindung abgelehnt (DB-Host ist falsch oder DB nicht erreichbar)",
  "db-connection-timeout": (f) =>
    `Timeout bei der DB-Verbindung${f.host ? ` (${f.host}:${f.port ?? "?"})` : ""} (DB nicht erreichbar)`,
  "db-not-configured": () => "Database not configured but DATABASE_ENABLED=true (Config-Mismatch)",
  "secret-json-syntax": () => "Ein Secret-Wert ist kein gültiges JSON (SyntaxError beim Parsen)",
  listening: () => "App lauscht auf ihrem Port",
  ready: () => "App meldet ready",
  // the log line itself (credentials masked)
  "error-other": (f) => f.text,
};

// ── Schritt 5 und 5.5: Secrets und IAM ────────────────────────────────────────────────────

function secretLine(s: SecretCheck): string {
  if (s.exists === false) return `${s.name}: existiert nicht (ResourceNotFoundException)`;
  if (s.deleted) return `${s.name}: zur Löschung vorgemerkt`;
  if (s.error && s.isJson === undefined) return `${s.name}: ${s.error.code}: ${s.error.message}`;
  if (s.isJson === false) return `${s.name}: Wert ist kein JSON-Objekt`;
  if (s.missingKeys.length > 0) return `${s.name}: fehlende Keys ${s.missingKeys.join(", ")}`;
  if (s.emptyKeys && s.emptyKeys.length > 0) return `${s.name}: leere Keys ${s.emptyKeys.join(", ")}`;
  if (s.access === "denied") return `${s.name}: Execution Role darf es nicht lesen`;
  if (s.access === "kms-denied") return `${s.name}: Execution Role darf KMS-Key nicht nutzen`;
  return `${s.name}: ok (${s.presentKeys.length} Keys)`;
}

const shortSecret = (arn: string) => arn.split(":secret:")[1] ?? arn;

const ACCESS: Record<string, string> = {
  allowed: "erlaubt",
  denied: "verweigert",
  "kms-denied": "kms:Decrypt verweigert",
  conditional: "nur unter einer Bedingung erlaubt",
  unknown: "unbekannt",
};

// ── Schritt 6: Entscheidungspfad ──────────────────────────────────────────────────────────

function decisionText(d: { value: string; raw?: string }): string {
  switch (d.value) {
    case "true":
      return "DATABASE_ENABLED=true: Database ist aktiviert → Fix 6.2";
    case "false":
      return "DATABASE_ENABLED=false: Database ist deaktiviert → Fix 6.1";
    case "other":
      return `DATABASE_ENABLED hat den unerwarteten Wert "${d.raw ?? ""}": CDK-Code prüfen`;
    default:
      return "DATABASE_ENABLED fehlt in der Task Definition (Env-Var fehlt): CDK-Code prüfen (afu9-enable-database)";
  }
}

// ── Befunde ───────────────────────────────────────────────────────────────────────────────

function finding(f: Finding): string | undefined {
  switch (f.step) {
    case "cloudformation":
      return CFN[f.id as CfnClassId]?.(f);
    case "service-events":
      return SERVICE[f.id as ServiceEventClassId]?.(f);
    case "stopped-tasks":
      return f.id in CAUSE ? stoppedText(f as StoppedTaskFinding) : undefined;
    case "logs":
      return f.id in LOG ? maskCredentials(LOG[f.id as LogClassId](f as LogFinding)) : undefined;
    default:
      return undefined;
  }
}

// ── Nächste Schritte ──────────────────────────────────────────────────────────────────────

const NEXT: Record<string, string> = {
  "Network prüfen (VPC endpoint, NAT, security groups)":
    "Network prüfen (VPC-Endpoint, NAT, Security Groups)",
};
const NEXT_AS_IS = new Set([
  "ECR prüfen",
  "Network Stack prüfen",
  "Network/Security Groups prüfen",
  "SSM Parameter prüfen",
  "—",
]);

function nextStep(s: string): string | undefined {
  if (NEXT[s]) return NEXT[s];
  if (NEXT_AS_IS.has(s) || /^→ (Schritt|Entscheidungspfad)/.test(s)) return s;
  return undefined;
}

/** The verdict's manual next steps (no fix), by the engine's wording. */
const MANUAL_NEXT: Record<string, string> = {
  "Check the evidence manually": "Evidenz manuell prüfen",
  "DATABASE_ENABLED is not set: check the CDK code (afu9-enable-database), then Fix 6.1 or 6.2":
    "DATABASE_ENABLED fehlt (Env-Var fehlt): CDK-Code prüfen (afu9-enable-database), dann Fix 6.1 oder 6.2",
  "→ Schritt 5.2: store the secret as a JSON object": "→ Schritt 5.2: Secret als JSON-Objekt speichern",
  "Nothing to fix; check /api/ready (afu9-tui watch)":
    "Nichts zu beheben; /api/ready prüfen (afu9-tui watch)",
  "→ Schritt 5.1: describe-secret for each secret in the task definition":
    "→ Schritt 5.1: describe-secret für jedes Secret der Task Definition",
  "→ Schritt 5.5: allow kms:Decrypt on the secret's key for the task execution role (key policy or IAM)":
    "→ Schritt 5.5: kms:Decrypt für die Task Execution Role erlauben (Key Policy oder IAM)",
  "→ Schritt 5.5: allow secretsmanager:GetSecretValue on the secret for the task execution role":
    "→ Schritt 5.5: IAM-Policy prüfen, secretsmanager:GetSecretValue für die Task Execution Role erlauben",
  "Check the Secrets Manager VPC endpoint / NAT route and the task's security group (outbound 443)":
    "Network prüfen: VPC-Endpoint / NAT-Route zu Secrets Manager und Security Group des Tasks (ausgehend 443)",
  "ECR prüfen: image tag, repository policy, ecr:GetAuthorizationToken, network":
    "ECR prüfen: Image-Tag, Repository Policy, ecr:GetAuthorizationToken, Netzwerk",
  "Network Stack prüfen (listener rule / load balancer of the target group)":
    "Network Stack prüfen (Listener Rule / Load Balancer der Target Group)",
  "→ Schritt 5.5: grant the task execution role access":
    "→ Schritt 5.5: IAM-Policy prüfen: der Task Execution Role Zugriff geben",
  "Network/Security Groups prüfen: DB security group inbound 5432 from the task, host in afu9/database":
    "Network/Security Groups prüfen: DB Security Group eingehend 5432 vom Task, Host in afu9/database",
  "Nothing to fix": "Nichts zu beheben",
  "Walk the runbook manually from step 3": "Runbook ab Schritt 3 manuell durchgehen",
};

// ── Fixes ─────────────────────────────────────────────────────────────────────────────────

const FIX: Record<FixId, { title: string; description: string }> = {
  "disable-database": {
    title: "Database deaktivieren (enableDatabase=false)",
    description:
      "ECS Stack mit enableDatabase=false deployen (keine Database-Secrets, DATABASE_ENABLED=false)",
  },
  "database-secret": {
    title: "Database Secret erstellen/updaten",
    description: "afu9/database mit allen Keys erstellen/updaten, dann neu deployen",
  },
  "github-secret": {
    title: "GitHub Secret erstellen/updaten",
    description: "afu9/github (token, owner, repo) erstellen/updaten, dann neu deployen",
  },
  "llm-secret": {
    title: "LLM Secret erstellen/updaten",
    description: "afu9/llm (drei API-Keys) erstellen/updaten, dann neu deployen",
  },
  "sync-db-credentials": {
    title: "Credentials aus dem RDS Master Secret übernehmen",
    description: "Credentials des RDS Master Secrets in afu9/database übertragen, neu deployen",
  },
  redeploy: {
    title: "ECS Service neu deployen (Force new deployment)",
    description: "Neues Deployment des Service mit seiner aktuellen Task Definition starten",
  },
};

function fixNote(_id: FixId, note: string): string | undefined {
  if (/^cdk deploy in /.test(note)) return note;
  if (/^no CDK app found/.test(note))
    return "keine CDK-App gefunden (--cdk-dir): registriert stattdessen eine neue Revision der Task Definition (weicht von CDK ab)";
  const m = /^no Afu9DbSecretArn output on (\S+): credentials must be typed$/.exec(note);
  if (m) return `kein Output Afu9DbSecretArn in ${m[1]}: Credentials müssen eingegeben werden`;
  return undefined;
}

// ── Das Ergebnis ──────────────────────────────────────────────────────────────────────────

const AT_START = "Tasks starten nicht";

function missingSecret(v: Verdict, c: TextContext): string {
  const a = c.analysis;
  const sp = a.stoppedTasks?.primary;
  const name = v.detail.secretName ?? "?";
  const core = v.detail.secretDeleted
    ? `Secret ${name} ist zur Löschung vorgemerkt`
    : `Secret ${name} existiert nicht`;
  if (sp?.id === "secret-not-found" || sp?.id === "secret-marked-for-deletion")
    return `${AT_START}: ${core}.`;
  const checked = a.secrets?.some((s) => s.exists === false || s.deleted);
  if (!checked && a.logs?.summary.some((s) => s.id === "db-not-configured")) return notConfigured();
  return `${core}.`;
}

const notConfigured = () =>
  "DATABASE_ENABLED=true, aber die App hat keine Database-Konfiguration (Config-Mismatch).";

function incompleteSecret(v: Verdict, c: TextContext): string {
  const a = c.analysis;
  const sp = a.stoppedTasks?.primary;
  const name = v.detail.secretName;
  const keys = v.detail.missingKeys ?? [];
  if (sp?.id === "secret-json-key-missing")
    return `${AT_START}: Secret ${name ?? "?"} hat keinen JSON-Key ${sp.jsonKey ?? "?"}.`;
  const logs = a.logs?.summary ?? [];
  const env = logs.find((s) => s.id === "env-var-not-set")?.example;
  if (env?.variable)
    return name
      ? `Secret-Key ${keys.join(", ") || "?"} fehlt in ${name}: die App beendet sich (${env.variable} ist nicht gesetzt).`
      : `Die App beendet sich: ${env.variable} ist nicht gesetzt (Secret-Key fehlt in Secret).`;
  if (logs.some((s) => s.id === "db-host-null"))
    return "Die App verbindet sich mit Host null: dem Database Secret fehlt der Key host.";
  if (logs.some((s) => s.id === "db-not-configured") && !a.secrets?.some((s) => s.missingKeys.length))
    return notConfigured();
  return `Secret ${name ?? "?"}: fehlende Keys ${keys.join(", ")}.`;
}

function notJson(v: Verdict, c: TextContext): string {
  const a = c.analysis;
  const name = v.detail.secretName;
  if (a.stoppedTasks?.primary?.id === "secret-not-json")
    return `${AT_START}: Secret ${name ?? "?"} ist kein gültiges JSON.`;
  if (a.logs?.summary.some((s) => s.id === "secret-json-syntax"))
    return `Die App kann ${name ? `Secret ${name}` : "ein Secret"} nicht parsen: kein gültiges JSON.`;
  return `Secret ${name ?? "?"} ist kein JSON-Objekt.`;
}

function accessDenied(v: Verdict, c: TextContext, kms: boolean): string {
  const sp = c.analysis.stoppedTasks?.primary;
  const name = v.detail.secretName;
  if (sp?.id === (kms ? "kms-access-denied" : "secret-access-denied"))
    return kms
      ? `${AT_START}: kms:Decrypt für ${name ?? "ein Secret"} verweigert (Task Execution Role).`
      : `${AT_START}: Task Execution Role darf ${name ?? "ein Secret"} nicht lesen (AccessDenied).`;
  return `Die Task Execution Role darf ${name ?? "?"} nicht ${kms ? "entschlüsseln" : "lesen"}.`;
}

function unknownSummary(v: Verdict, c: TextContext): string {
  // No credentials, no network: the problem's own words (from the AWS layer) follow.
  const cannot = /^Could not diagnose: (.*)$/.exec(v.summary);
  if (cannot) {
    const p = fatalOf(c);
    return `Keine Diagnose möglich: ${p ? deProblemText(p).message : cannot[1]}${p ? "." : ""}`;
  }
  const a = c.analysis;
  const sp = a.stoppedTasks?.primary;
  if ((sp?.id === "secret-not-found" || sp?.id === "secret-marked-for-deletion") && !v.detail.secretName)
    return "Ein Secret der Task Definition existiert nicht, aber die Prüfungen konnten nicht sagen, welches.";
  if (v.detail.secretName) {
    // A secret that is none of the runbook's (afu9/database, afu9/github, afu9/llm).
    if (v.detail.missingKeys) return incompleteSecret(v, c);
    const s = a.secrets?.find((x) => x.name === v.detail.secretName);
    if (s?.isJson === false || sp?.id === "secret-not-json") return notJson(v, c);
    return missingSecret(v, c);
  }
  const logs = a.logs?.summary ?? [];
  const db = ["db-connection-refused", "db-connection-timeout", "db-host-not-found", "db-not-configured"]
    .map((id) => logs.find((s) => s.id === id)?.example)
    .find((x) => x !== undefined);
  if (db) {
    const why =
      a.database?.deployed === true
        ? "Eine Datenbank ist deployed, also ein Netzwerkproblem (Security Groups, Host im Secret)."
        : "Ob eine Datenbank deployed ist, konnte nicht geprüft werden (Outputs des Database Stacks).";
    return `Die App erreicht die Datenbank nicht (${finding(db) ?? db.text}). ${why}`;
  }
  const seen = v.evidence.map((e) => evidence(e, v, c) ?? e.text).join("; ");
  return seen ? `Kein bekanntes Szenario passt. Gesehen: ${seen}.` : "Es wurde keine Evidenz gefunden.";
}

const SUMMARY: Record<ScenarioId, (v: Verdict, c: TextContext) => string> = {
  "db-secret-missing": missingSecret,
  "github-secret-missing": missingSecret,
  "llm-secret-missing": missingSecret,
  "db-secret-incomplete": incompleteSecret,
  "github-secret-incomplete": incompleteSecret,
  "llm-secret-incomplete": incompleteSecret,
  "secret-not-json": notJson,
  "db-enabled-not-needed": () =>
    "Database aktiviert, aber keine deployed: keine DB-Verbindung, /api/ready schlägt fehl.",
  "db-credentials-wrong": (_v, c) =>
    `Falsches Passwort im Secret: die Datenbank lehnt das Passwort für User "${c.analysis.logs?.summary.find((s) => s.id === "db-password-auth-failed")?.example.user ?? "?"}" ab.`,
  "secret-access-denied": (v, c) => accessDenied(v, c, false),
  "kms-access-denied": (v, c) => accessDenied(v, c, true),
  "secrets-network-unreachable": () => `${AT_START}: sie erreichen Secrets Manager nicht (Timeout).`,
  "image-pull-failed": (_v, c) => {
    const sp = c.analysis.stoppedTasks?.primary;
    return `${AT_START}: ${sp ? CAUSE[sp.id] : "ECR-Zugriff fehlgeschlagen (nicht Secrets)"}.`;
  },
  "load-balancer-misconfigured": () =>
    "CloudFormation: ALB-Konfigurationsfehler, die Target Group hat keinen zugeordneten Load Balancer.",
  healthy: (_v, c) => {
    const dep = c.analysis.service?.deployment;
    if (dep?.recovered && dep.newest)
      return `Wiederhergestellt: Deployment ${dep.newest.id} wurde nach dem früheren Fehler abgeschlossen${dep.circuitBreakerReason ? ` (${dep.circuitBreakerReason})` : ""}.`;
    return "Deployment erfolgreich (kein Problem): der Service ist stabil, das neueste Deployment ist abgeschlossen.";
  },
  unknown: unknownSummary,
};

function verdictSummary(v: Verdict, c: TextContext): string {
  let s = SUMMARY[v.scenario](v, c);
  if (
    v.fix === "disable-database" &&
    (v.scenario === "db-secret-missing" || v.scenario === "db-secret-incomplete")
  )
    s +=
      " Database ist deaktiviert (DATABASE_ENABLED=false), aber die Task Definition verlangt noch ihr Secret.";
  if (v.notChecked.length)
    s += ` Nicht geprüft: ${v.notChecked.map((n) => `${n.step} (${notCheckedReason(n.reason, c)})`).join("; ")}.`;
  return s;
}

/** The problem that kept the whole diagnosis from running (analyze.ts: the service's, fatal). */
function fatalOf(c: TextContext): ProblemInfo | undefined {
  const p = c.analysis.steps.find((s) => s.id === "service-events")?.problem;
  return p && FATAL_PROBLEMS.has(p.kind) ? p : undefined;
}

const deProblemText = (p: ProblemInfo) => deProblems.problem(p) ?? { message: p.message, hint: p.hint };

function deProblemLine(p: ProblemInfo): string {
  const x = deProblemText(p);
  return x.hint ? `${x.message} — ${x.hint}` : x.message;
}

/** A "not checked" reason: analyze.ts writes "message (hint)" of the evidence's problem. */
function notCheckedReason(reason: string, c: TextContext): string {
  const p = c.problems?.find((x) => reason === (x.hint ? `${x.message} (${x.hint})` : x.message));
  if (!p) return deProblems.message(reason) ?? reason;
  const x = deProblemText(p);
  return x.hint ? `${x.message} (${x.hint})` : x.message;
}

function verdictNextStep(v: Verdict, c: TextContext): string | undefined {
  if (/^Could not diagnose: /.test(v.summary)) {
    const p = fatalOf(c);
    if (p && v.nextStep === p.hint) return deProblemText(p).hint;
    if (v.nextStep === "Check the credentials and the network, then refresh")
      return "Credentials und Netzwerk prüfen, dann aktualisieren (r)";
  }
  if (v.fix) return `Fix ${FIXES[v.fix].section}: ${FIX[v.fix].description}`;
  const known = MANUAL_NEXT[v.nextStep];
  if (known) return known;
  const create = /^Create or fix secret (.+) \(Schritt 5\), then force a new deployment$/.exec(v.nextStep);
  if (create) return `Secret ${create[1]} erstellen oder korrigieren (Schritt 5), dann Force new deployment`;
  const manual = /^(.*) \(manual\)$/.exec(v.nextStep);
  if (manual?.[1]) return `${nextStep(manual[1]) ?? manual[1]} (manuell)`;
  return undefined;
}

function evidence(e: Verdict["evidence"][number], v: Verdict, c: TextContext): string | undefined {
  const a = c.analysis;
  const t = e.text;
  switch (e.step) {
    case "cloudformation": {
      const f = [a.cloudformation?.primary, ...(a.cloudformation?.failures.map((x) => x.finding) ?? [])].find(
        (x) => x?.text === t,
      );
      return f ? finding(f) : undefined;
    }
    case "service-events": {
      if (/^rolloutStateReason: /.test(t)) return t; // ECS's own words
      if (a.service?.primary.text === t) return finding(a.service.primary);
      const rec =
        /^Deployment (\S+) \(started (\S*)\) completed after the failure; running (\d+)\/(\d+)$/.exec(t);
      if (rec)
        return `Deployment ${rec[1]} (gestartet ${rec[2]}) nach dem Fehler abgeschlossen; laufend ${rec[3]}/${rec[4]}`;
      return undefined;
    }
    case "stopped-tasks": {
      const f = a.stoppedTasks?.findings.find((x) => x.text === t);
      return f ? stoppedText(f) : undefined;
    }
    case "logs": {
      const f = a.logs?.summary.find((x) => x.example.text === t)?.example;
      return f ? finding(f) : undefined;
    }
    case "decision": {
      if (a.decision?.text === t) return decisionText(a.decision);
      if (t === "No database deployed (no Afu9DbEndpoint)")
        return "Keine Datenbank deployed (kein Afu9DbEndpoint)";
      const dep = /^Database deployed: (.*)$/.exec(t);
      if (dep) return `Datenbank deployed: ${dep[1] === "endpoint known" ? "Endpoint bekannt" : dep[1]}`;
      return undefined;
    }
    case "secrets": {
      const st = /^(.+): (scheduled for deletion|does not exist|exists)$/.exec(t);
      if (st)
        return `${st[1]}: ${st[2] === "exists" ? "existiert" : st[2] === "does not exist" ? "existiert nicht" : "zur Löschung vorgemerkt"}`;
      const mk = /^(.+): missing keys (.*)$/.exec(t);
      if (mk) return `${mk[1]}: fehlende Keys ${mk[2] === "none" ? "keine" : mk[2]}`;
      return undefined;
    }
    case "iam": {
      const role = /^Role (\S+)(?:: (.*))?$/.exec(t);
      if (role)
        return `Role ${role[1]}${role[2] === undefined ? "" : `: ${role[2] === "no attached policies" ? "keine Attached Policies" : role[2]}`}`;
      const acc = /^(.+): (denied|kms-denied)$/.exec(t);
      if (acc) return `${acc[1]}: ${ACCESS[acc[2]!]}`;
      return undefined;
    }
  }
  void v;
  return undefined;
}

// ── Zeilen der Schritte ───────────────────────────────────────────────────────────────────

function stepSummary(st: Parameters<EngineTexts["stepSummary"]>[0], c: TextContext): string | undefined {
  const a = c.analysis;
  if (st.status === "pending" || st.status === "running") return st.summary === "…" ? "…" : undefined;
  // The problem that kept the step from answering (AWS's own message stays as it is).
  if (st.problem && !(st.id === "logs" && st.problem.code === "ResourceNotFoundException"))
    return deProblemLine(st.problem);
  switch (st.id) {
    case "cloudformation":
      return a.cloudformation ? finding(a.cloudformation.primary) : undefined;
    case "service-events":
      return a.service ? finding(a.service.primary) : undefined;
    case "stopped-tasks": {
      const st3 = a.stoppedTasks;
      if (!st3) return undefined;
      if (st3.primary) return `${CAUSE[st3.primary.id]}: ${st3.primary.stoppedReason}`;
      const n = st3.findings.length;
      return n === 0 ? "Keine Stopped Tasks in der letzten Stunde" : `${n} gestoppt, keiner fehlgeschlagen`;
    }
    case "logs": {
      if (st.problem) {
        if (st.problem.code !== "ResourceNotFoundException") return undefined;
        return `Log Group ${c.logGroup ?? "?"} existiert nicht — --log-group prüfen`;
      }
      const lg = a.logs;
      if (!lg) return undefined;
      if (lg.primary) return finding(lg.primary);
      return lg.filteredCount === 0
        ? `Keine Fehlerzeilen in ${c.logGroup ?? "?"} (30 Min.)`
        : `${lg.filteredCount} Fehlerzeilen, keine bekannte`;
    }
    case "secrets": {
      const checks = a.secrets;
      if (!checks) return undefined;
      const i = st.findings.findIndex((f) => f.severity === "fail");
      const j = i >= 0 ? i : st.findings.findIndex((f) => f.severity === "warn");
      const worst = j >= 0 ? checks[j] : undefined;
      if (worst) return secretLine(worst);
      return checks.length === 0
        ? "Die Task Definition referenziert keine Secrets"
        : `Alle ${checks.length} Secrets haben ihre Keys`;
    }
    case "iam": {
      const rc = a.role;
      if (!rc) return undefined;
      const denied = rc.access.find((x) => x.verdict === "denied" || x.verdict === "kms-denied");
      if (denied)
        return `${rc.roleName} darf ${denied.verdict === "kms-denied" ? "kms:Decrypt auf den Key von" : "secretsmanager:GetSecretValue auf"} ${shortSecret(denied.secretArn)} nicht (IAM-Berechtigung fehlt)`;
      const policies = [...rc.attachedPolicies, ...rc.inlinePolicies.map((p) => `${p} (inline)`)];
      return `${rc.roleName}: ${policies.join(", ") || "keine Policies"}`;
    }
    case "decision":
      return a.decision ? decisionText(a.decision) : undefined;
  }
}

export const deEngine: EngineTexts = {
  stepSummary,
  finding: (f) => finding(f),
  stoppedCause: (id) => CAUSE[id],
  nextStep,
  verdictSummary,
  verdictNextStep: (v, c) => verdictNextStep(v, c),
  evidence,
  confidence: (c) => ({ high: "hoch", medium: "mittel", low: "niedrig" })[c],
  fix: (id) => FIX[id],
  fixNote,
};
