// Die Texte der Fix-Ansicht auf Deutsch: Vorschau, Anwenden, Beobachten, Ergebnis, je Art eines
// Eintrags. Befehle, API-Aufrufe, ARNs, IDs und die Meldungen von AWS und der App bleiben wie sie
// sind; die Zustände (READY, COMPLETED, FAILED, …) bleiben die Wörter des Runbooks und von AWS.

import type {
  CallGloss,
  CliComment,
  DiffPart,
  LiteralOrigin,
  PreviewAction,
  PreviewNote,
  PreviewSection,
  PreviewSource,
} from "../../flow/fix-preview.js";
import type { FixId } from "../../flow/fixes.js";
import type { ActionDetail, ReadyError, WatchReason } from "../../flow/ui-fix.js";
import type { WatchOutcome } from "../../flow/watch.js";
import { deEngine } from "./engine-de.js";
import type { FixTexts } from "./fix-texts.js";
import { deProblems } from "./problems.js";

const HEADINGS: Record<PreviewSection, string> = {
  changes: "Was sich ändert:",
  values: "Werte (nur Quellen):",
  diff: "Diff auf Key-Ebene (nur Namen):",
  calls: "API-Aufrufe:",
  cli: "AWS-CLI-Entsprechung (Platzhalter statt Secret-Werten):",
  notes: "Hinweise:",
};

const DIFF: Record<DiffPart, string> = {
  added: "+ hinzugefügt:  ",
  changed: "~ geändert:    ",
  unchanged: "= unverändert: ",
  toBeSet: "? noch zu setzen (Wert noch nicht angegeben): ",
};

const LABELS: Record<string, string> = { "RDS master secret": "RDS Master Secret" };

const HEADS: Record<WatchOutcome, string> = {
  ready: "READY",
  "not-ready": "COMPLETED, NICHT READY",
  failed: "FAILED",
  "rolled-back": "FAILED, ROLLED BACK",
  superseded: "SUPERSEDED",
  timeout: "TIMEOUT",
  error: "KANN NICHT BEOBACHTEN",
};

/** AWS's or the app's message: German when the problem catalog knows it. */
const message = (text: string): string => deProblems.message(text) ?? text;

function action(a: PreviewAction): string {
  switch (a.kind) {
    case "write-secret":
      return a.create
        ? `Secret ${a.secretName} anlegen`
        : `Secret ${a.secretName} aktualisieren (aktuelle Version ${a.versionId ?? "?"})`;
    case "cdk-context":
      return `"${a.key}": ${a.value} in ${a.path} setzen${a.before !== undefined ? ` (bisher ${a.before})` : ""}`;
    case "cdk-deploy":
      return `cdk ${a.args} in ${a.cdkDir} ausführen`;
    case "register-task-definition":
      return `Neue Revision von ${a.family} aus ${a.from} registrieren, mit DATABASE_ENABLED=false${a.without.length ? `, ohne ${a.without.join(", ")}` : ""}`;
    case "force-new-deployment":
      return a.registered
        ? `Service ${a.service} auf die neue Revision umstellen (neues Deployment)`
        : `Force new deployment von ${a.service}`;
  }
}

function origin(o: LiteralOrigin): string {
  if (o.kind === "runbook") return `Runbook ${o.section}`;
  if (o.kind === "stack-output") return `Output ${o.output} von ${o.stack}`;
  return o.text;
}

function source(s: PreviewSource): string {
  // A literal: the value (a name, a port: never a secret) and where it comes from.
  if (s.kind === "literal") return `${s.value}  (${origin(s.origin)})`;
  if (s.kind === "secret-key") return `aus ${LABELS[s.label] ?? s.label}, Key ${s.key}`;
  return `getippt (maskiert), stdin oder ${s.env}`;
}

function callGloss(g: CallGloss): string {
  switch (g.kind) {
    case "master-keys":
      return ` (RDS Master Secret: ${g.keys})`;
    case "refuse-if-moved":
      return ` (Abbruch, wenn AWSCURRENT nicht mehr ${g.version} ist)`;
    case "all-keys":
      return ` (alle Keys: ${g.keys})`;
    case "cfn-updates":
      return " (CloudFormation aktualisiert Task Definition und Service)";
    case "td-copy":
      return `: Kopie der Revision ${g.revision} mit DATABASE_ENABLED=false${g.without ? `, ohne Secrets ${g.without}` : ""}`;
    case "top-level-key":
      return " (Top-Level-Key)";
  }
}

const cliComment = (c: CliComment, command: string): string =>
  c === "merge"
    ? "# Merge: nicht genannte Keys behalten ihre Werte (das update-secret des Runbooks würde sie löschen)"
    : `# die Werte <... from RDS master secret>: ${command}`;

function note(n: PreviewNote): string {
  switch (n.kind) {
    case "recommends-other":
      return `Die Diagnose empfiehlt ${n.recommended} (${n.section}), nicht ${n.fixId}.`;
    case "no-automatic-fix":
      return `Die Diagnose (${n.scenario}) empfiehlt keinen automatischen Fix.`;
    case "cdk-context-top-level":
      return "cdk.context.json hält Context-Keys auf oberster Ebene; das jq des Runbooks legt den Key unter .context ab, wo CDK ihn nicht liest.";
    case "drift-from-cdk":
      return `Das weicht von CDK ab: der Stack ${n.stack} sagt weiter enableDatabase=true, sein nächstes Deploy bringt die Datenbank zurück. ${n.key}=false auch in der CDK-App setzen (--cdk-dir).`;
    case "not-json":
      return `${n.secretName} ist derzeit kein JSON-Objekt: das Schreiben ersetzt den ganzen Wert.`;
    case "needs-values":
      return `Braucht Werte für: ${n.keys} (getippt, stdin oder ${n.env}).`;
    case "master-missing":
      return `Das RDS Master Secret lieferte nicht: ${n.keys}.`;
    case "service-runs":
      return `Der Service läuft nach dem Rollback mit Revision ${n.running}; das neue Deployment nutzt diese. Die fehlgeschlagene Revision (${n.failed}) kommt mit dem nächsten cdk deploy zurück.`;
    case "text":
      return n.text;
  }
}

function actionDetail(d: ActionDetail): string {
  switch (d.kind) {
    case "created":
      return `${d.name} angelegt (Version ${d.version})`;
    case "updated":
      return `${d.name} aktualisiert: Version ${d.version}, vorher ${d.previous}`;
    case "context-set":
      return `"${d.key}": ${d.value} gesetzt (vorher ${d.was ?? "nicht gesetzt"})`;
    case "cdk-exited":
      return `cdk endete mit ${d.code}: ${d.last}`;
    case "cdk-no-deployment":
      return "cdk deploy ist fertig, hat aber kein neues Deployment des Service gestartet (nichts geändert?)";
    case "cdk-done":
      return `cdk deploy fertig; Deployment ${d.deployment} (${d.taskDefinition})`;
    case "registered":
      return `${d.name} registriert`;
    case "started":
      return `Deployment ${d.deployment} (${d.taskDefinition}) gestartet`;
    case "text":
      return message(d.text);
  }
}

const readyError = (e: ReadyError): string =>
  e.kind === "no-dns" ? `der Network Stack ${e.stack} hat keinen Output LoadBalancerDNS` : e.text;

function reason(r: WatchReason): string {
  switch (r.kind) {
    case "ready":
      return `Deployment ${r.deployment} COMPLETED und /api/ready meldet ready`;
    case "not-ready":
      return `Deployment ${r.deployment} COMPLETED, aber /api/ready meldet nicht ready${r.error ? ` (${readyError(r.error)})` : ""}`;
    case "replaced":
      return `Deployment ${r.by} hat ${r.deployment} abgelöst, bevor es fertig war`;
    case "not-listed":
      return `Deployment ${r.deployment} ist nicht mehr gelistet (jetzt ${r.now})`;
    case "not-of-service":
      return `Deployment ${r.deployment} ist kein Deployment von ${r.service}`;
    case "stopped-by-user":
      return "vom Benutzer beendet";
    case "no-answer":
      return `keine Antwort innerhalb von ${r.seconds} s`;
    case "still":
      return `nach ${r.seconds} s noch ${r.state}: laufend ${r.running}/${r.desired}, wartend ${r.pending}, fehlgeschlagen ${r.failed}`;
    case "deployment-failed":
      return "das Deployment ist fehlgeschlagen";
    case "cb-rolled-back":
      return "der Circuit Breaker hat zurückgerollt";
    case "rolled-back":
      // ECS's own reason, then our sentence about the rollback.
      return `${r.cause ?? "das Deployment ist fehlgeschlagen"} Der Circuit Breaker hat zurückgerollt${r.to ? ` auf ${r.to}` : ""}.`;
    case "cannot-watch":
      return `kann nicht beobachten: ${message(r.message)}`;
    case "text":
      return message(r.text);
  }
}

export const deFix: FixTexts = {
  title: (i) =>
    `Fix ${i.fixId} (${i.section}): ${deEngine.fix(i.fixId as FixId)?.title ?? i.title}${i.recommended ? "  [empfohlen]" : ""}`,
  heading: (s) => HEADINGS[s],
  action,
  source,
  diffHead: (d) =>
    `${d.secretName}: ${d.create ? "neues Secret" : "Update (Merge; andere Keys behalten ihre Werte)"}`,
  diffPart: (p, keys) => `${DIFF[p]}${keys}`,
  callGloss,
  cliComment,
  note,
  actionDetail,
  watchHead: (o) => HEADS[o],
  reason,
  summarySnapshot: (id, s) =>
    `Deployment ${id}: ${s.state}, laufend ${s.running}/${s.desired}, wartend ${s.pending}, fehlgeschlagene Tasks ${s.failed}`,
  rollbackDeployment: (id) => `Rollback-Deployment: ${id}`,
  stoppedOfDeployment: "Stopped Tasks dieses Deployments:",
  readyHead: (h) =>
    `GET ${h.url.kind === "url" ? h.url.url : `(Output LoadBalancerDNS von ${h.url.stack})`} → ${h.status ?? "keine Antwort"}: ready=${h.ready}${h.error ? ` (${readyError(h.error)})` : ""}`,
  stopped: (t) => {
    const exits = t.exits
      .map((e) => `${e.name} Exit ${e.code}${e.reason ? ` (${e.reason})` : ""}`)
      .join(", ");
    return `${t.taskId}${t.ours ? "" : " (älteres Deployment)"}: ${t.reason}${exits ? `; ${exits}` : ""}`;
  },
  problem: message,
};
