// Die Zeilen der Fix-Ansicht auf Deutsch: Vorschau, Anwenden, Beobachten, Ergebnis. Befehle,
// API-Aufrufe, ARNs, IDs und die Meldungen von AWS und der App bleiben wie sie sind; die Zustände
// (READY, COMPLETED, FAILED, …) bleiben die Wörter des Runbooks und von AWS.

import type { FixId } from "../../flow/fixes.js";
import { deEngine } from "./engine-de.js";
import type { FixTexts } from "./fix-texts.js";
import { deProblems } from "./problems.js";

const HEADINGS: Record<string, string> = {
  "What will change:": "Was sich ändert:",
  "Values (sources only):": "Werte (nur Quellen):",
  "Key-level diff (names only):": "Diff auf Key-Ebene (nur Namen):",
  "API calls:": "API-Aufrufe:",
  "AWS CLI equivalent (placeholders instead of secret values):":
    "AWS-CLI-Entsprechung (Platzhalter statt Secret-Werten):",
  "Notes:": "Hinweise:",
};

const LABELS: Record<string, string> = { "RDS master secret": "RDS Master Secret" };

function action(s: string): string {
  let m: RegExpExecArray | null;
  m = /^Create secret (\S+)$/.exec(s);
  if (m) return `Secret ${m[1]} anlegen`;
  m = /^Update secret (\S+) \(current version (\S+)\)$/.exec(s);
  if (m) return `Secret ${m[1]} aktualisieren (aktuelle Version ${m[2]})`;
  m = /^Set "(.+)": (\S+) in (\S+?)(?: \(now (.+)\))?$/.exec(s);
  if (m) return `"${m[1]}": ${m[2]} in ${m[3]} setzen${m[4] !== undefined ? ` (bisher ${m[4]})` : ""}`;
  m = /^Run cdk (.+) in (\S+)$/.exec(s);
  if (m) return `cdk ${m[1]} in ${m[2]} ausführen`;
  m = /^Register a new revision of (\S+) from (\S+) with DATABASE_ENABLED=false(?:, without (.+))?$/.exec(s);
  if (m)
    return `Neue Revision von ${m[1]} aus ${m[2]} registrieren, mit DATABASE_ENABLED=false${m[3] ? `, ohne ${m[3]}` : ""}`;
  m = /^Update service (\S+) to the new revision \(new deployment\)$/.exec(s);
  if (m) return `Service ${m[1]} auf die neue Revision umstellen (neues Deployment)`;
  m = /^Force a new deployment of (\S+)$/.exec(s);
  if (m) return `Force new deployment von ${m[1]}`;
  return s;
}

function source(s: string): string {
  let m: RegExpExecArray | null;
  m = /^from (.+), key (\S+)$/.exec(s);
  if (m) return `aus ${LABELS[m[1]!] ?? m[1]}, Key ${m[2]}`;
  m = /^typed \(masked\), stdin or (\S+)$/.exec(s);
  if (m) return `getippt (maskiert), stdin oder ${m[1]}`;
  m = /^(.*) {2}\((.+)\)$/.exec(s);
  if (m) {
    // A literal: the value (a name, a port: never a secret) and where it comes from.
    const origin = m[2]!.replace(/^runbook /, "Runbook ").replace(/^(\S+) output (\S+)$/, "Output $2 von $1");
    return `${m[1]}  (${origin})`;
  }
  return s;
}

function diff(l: string): string {
  let m: RegExpExecArray | null;
  m = /^(\s*)(\S+): new secret$/.exec(l);
  if (m) return `${m[1]}${m[2]}: neues Secret`;
  m = /^(\s*)(\S+): update \(merge; other keys keep their values\)$/.exec(l);
  if (m) return `${m[1]}${m[2]}: Update (Merge; andere Keys behalten ihre Werte)`;
  m = /^(\s*)\+ added: +(.*)$/.exec(l);
  if (m) return `${m[1]}+ hinzugefügt:  ${m[2]}`;
  m = /^(\s*)~ changed: +(.*)$/.exec(l);
  if (m) return `${m[1]}~ geändert:    ${m[2]}`;
  m = /^(\s*)= unchanged: +(.*)$/.exec(l);
  if (m) return `${m[1]}= unverändert: ${m[2]}`;
  m = /^(\s*)\? to be set \(value not given yet\): (.*)$/.exec(l);
  if (m) return `${m[1]}? noch zu setzen (Wert noch nicht angegeben): ${m[2]}`;
  return l;
}

function call(l: string): string {
  return l
    .replace(/ \(RDS master secret: (.+)\)$/, " (RDS Master Secret: $1)")
    .replace(/ \(refuse if AWSCURRENT is no longer (\S+)\)$/, " (Abbruch, wenn AWSCURRENT nicht mehr $1 ist)")
    .replace(/ \(all keys: (.*)\)$/, " (alle Keys: $1)")
    .replace(
      / \(CloudFormation updates the task definition and the service\)$/,
      " (CloudFormation aktualisiert Task Definition und Service)",
    )
    .replace(
      /: copy of revision (\S+) with DATABASE_ENABLED=false(?:, without secrets (.+))?$/,
      (_x, r, w) => `: Kopie der Revision ${r} mit DATABASE_ENABLED=false${w ? `, ohne Secrets ${w}` : ""}`,
    )
    .replace(/ \(top-level key\)$/, " (Top-Level-Key)");
}

function cli(l: string): string {
  if (/^\s*# merge: keys not listed keep their values/.test(l))
    return l.replace(
      /# merge: .*$/,
      "# Merge: nicht genannte Keys behalten ihre Werte (das update-secret des Runbooks würde sie löschen)",
    );
  return l.replace(/^(\s*)# the (<\.\.\. from RDS master secret>) values: /, "$1# die Werte $2: ");
}

function note(n: string): string {
  let m: RegExpExecArray | null;
  m = /^The diagnosis recommends (\S+) \((.+)\), not (\S+)\.$/.exec(n);
  if (m) return `Die Diagnose empfiehlt ${m[1]} (${m[2]}), nicht ${m[3]}.`;
  m = /^The diagnosis \((\S+)\) recommends no automatic fix\.$/.exec(n);
  if (m) return `Die Diagnose (${m[1]}) empfiehlt keinen automatischen Fix.`;
  if (/^cdk\.context\.json keeps context keys at the top level/.test(n))
    return "cdk.context.json hält Context-Keys auf oberster Ebene; das jq des Runbooks legt den Key unter .context ab, wo CDK ihn nicht liest.";
  m =
    /^This drifts from CDK: the stack (\S+) still says enableDatabase=true, and its next deploy brings the database back\. Set (\S+)=false in the CDK app too \(--cdk-dir\)\.$/.exec(
      n,
    );
  if (m)
    return `Das weicht von CDK ab: der Stack ${m[1]} sagt weiter enableDatabase=true, sein nächstes Deploy bringt die Datenbank zurück. ${m[2]}=false auch in der CDK-App setzen (--cdk-dir).`;
  m = /^(\S+) is not a JSON object today: the write replaces the whole value\.$/.exec(n);
  if (m) return `${m[1]} ist derzeit kein JSON-Objekt: das Schreiben ersetzt den ganzen Wert.`;
  m = /^Needs values for: (.+) \(typed, stdin, or (\S+)\)\.$/.exec(n);
  if (m) return `Braucht Werte für: ${m[1]} (getippt, stdin oder ${m[2]}).`;
  m = /^The RDS master secret did not give: (.+)\.$/.exec(n);
  if (m) return `Das RDS Master Secret lieferte nicht: ${m[1]}.`;
  m =
    /^The service runs (\S+) after the rollback; the new deployment uses it\. The revision that failed \((\S+)\) comes back with the next cdk deploy\.$/.exec(
      n,
    );
  if (m)
    return `Der Service läuft nach dem Rollback mit Revision ${m[1]}; das neue Deployment nutzt diese. Die fehlgeschlagene Revision (${m[2]}) kommt mit dem nächsten cdk deploy zurück.`;
  return n;
}

function title(l: string): string {
  const m = /^Fix (\S+) \((.+?)\): (.*?)( {2}\[recommended\])?$/.exec(l);
  if (!m) return l;
  const t = deEngine.fix(m[1] as FixId)?.title ?? m[3];
  return `Fix ${m[1]} (${m[2]}): ${t}${m[4] ? "  [empfohlen]" : ""}`;
}

function preview(lines: readonly string[]): string[] {
  let section = "";
  return lines.map((l, i) => {
    if (i === 0) return title(l);
    const h = HEADINGS[l];
    if (h) {
      section = l;
      return h;
    }
    if (l === "") return l;
    switch (section) {
      case "What will change:": {
        const m = /^(\s+\d+\. )(.*)$/.exec(l);
        return m ? `${m[1]}${action(m[2]!)}` : l;
      }
      case "Values (sources only):": {
        const m = /^(\s+\S+ +)(.*)$/.exec(l);
        return m ? `${m[1]}${source(m[2]!)}` : l;
      }
      case "Key-level diff (names only):":
        return diff(l);
      case "API calls:":
        return call(l);
      case "AWS CLI equivalent (placeholders instead of secret values):":
        return cli(l);
      case "Notes:": {
        const m = /^(\s+! )(.*)$/.exec(l);
        return m ? `${m[1]}${note(m[2]!)}` : l;
      }
      default:
        return l;
    }
  });
}

function actionDetail(d: string): string {
  let m: RegExpExecArray | null;
  m = /^created (\S+) \(version (\S+)\)$/.exec(d);
  if (m) return `${m[1]} angelegt (Version ${m[2]})`;
  m = /^updated (\S+): version (\S+), previous (\S+)$/.exec(d);
  if (m) return `${m[1]} aktualisiert: Version ${m[2]}, vorher ${m[3]}`;
  m = /^set "(.+)": (\S+) \(was (.+)\)$/.exec(d);
  if (m) return `"${m[1]}": ${m[2]} gesetzt (vorher ${m[3] === "unset" ? "nicht gesetzt" : m[3]})`;
  m = /^cdk exited with (\S+): ([\s\S]*)$/.exec(d);
  if (m) return `cdk endete mit ${m[1]}: ${m[2]}`;
  if (d === "cdk deploy finished but started no new deployment of the service (nothing changed?)")
    return "cdk deploy ist fertig, hat aber kein neues Deployment des Service gestartet (nichts geändert?)";
  m = /^cdk deploy done; deployment (\S+) \((\S+)\)$/.exec(d);
  if (m) return `cdk deploy fertig; Deployment ${m[1]} (${m[2]})`;
  m = /^registered (\S+)$/.exec(d);
  if (m) return `${m[1]} registriert`;
  m = /^started deployment (\S+) \((\S+)\)$/.exec(d);
  if (m) return `Deployment ${m[1]} (${m[2]}) gestartet`;
  return deProblems.message(d) ?? d;
}

function reason(r: string): string {
  let m: RegExpExecArray | null;
  m = /^deployment (\S+) COMPLETED and \/api\/ready is ready$/.exec(r);
  if (m) return `Deployment ${m[1]} COMPLETED und /api/ready meldet ready`;
  m = /^deployment (\S+) COMPLETED, but \/api\/ready is not ready(?: \(([\s\S]*)\))?$/.exec(r);
  if (m)
    return `Deployment ${m[1]} COMPLETED, aber /api/ready meldet nicht ready${m[2] ? ` (${readyError(m[2])})` : ""}`;
  m = /^deployment (\S+) replaced (\S+) before it finished$/.exec(r);
  if (m) return `Deployment ${m[1]} hat ${m[2]} abgelöst, bevor es fertig war`;
  m = /^deployment (\S+) is no longer listed \(now (\S+)\)$/.exec(r);
  if (m) return `Deployment ${m[1]} ist nicht mehr gelistet (jetzt ${m[2]})`;
  m = /^deployment (\S+) is not a deployment of (\S+)$/.exec(r);
  if (m) return `Deployment ${m[1]} ist kein Deployment von ${m[2]}`;
  if (r === "stopped by the user") return "vom Benutzer beendet";
  m = /^no answer within (\d+) s$/.exec(r);
  if (m) return `keine Antwort innerhalb von ${m[1]} s`;
  m = /^still (\S+) after (\d+) s: running (\d+)\/(\d+), pending (\d+), failed (\d+)$/.exec(r);
  if (m)
    return `nach ${m[2]} s noch ${m[1]}: laufend ${m[3]}/${m[4]}, wartend ${m[5]}, fehlgeschlagen ${m[6]}`;
  if (r === "the deployment failed") return "das Deployment ist fehlgeschlagen";
  if (r === "the circuit breaker rolled back") return "der Circuit Breaker hat zurückgerollt";
  // ECS's own reason, then our sentence about the rollback.
  m = /^([\s\S]*?) ?The circuit breaker rolled back(?: to (\S+))?\.$/.exec(r);
  if (m)
    return `${m[1] === "the deployment failed" ? "das Deployment ist fehlgeschlagen" : m[1]} Der Circuit Breaker hat zurückgerollt${m[2] ? ` auf ${m[2]}` : ""}.`;
  return deProblems.message(r) ?? r;
}

function readyError(e: string): string {
  const m = /^the network stack (\S+) has no LoadBalancerDNS output$/.exec(e);
  return m ? `der Network Stack ${m[1]} hat keinen Output LoadBalancerDNS` : e;
}

function summary(lines: readonly string[]): string[] {
  return lines.map((l, i) => {
    let m: RegExpExecArray | null;
    if (i === 0) {
      m =
        /^(READY|COMPLETED, NOT READY|FAILED, ROLLED BACK|FAILED|SUPERSEDED|TIMEOUT|COULD NOT WATCH): ([\s\S]*)$/.exec(
          l,
        );
      if (!m) return l;
      const head = m[1] === "COMPLETED, NOT READY" ? "COMPLETED, NICHT READY" : m[1];
      const head2 = head === "COULD NOT WATCH" ? "KANN NICHT BEOBACHTEN" : head;
      return `${head2}: ${reason(m[2]!)}`;
    }
    m = /^(\s*)deployment (\S+): (\S+), running (\d+)\/(\d+), pending (\d+), failed tasks (\d+)$/.exec(l);
    if (m)
      return `${m[1]}Deployment ${m[2]}: ${m[3]}, laufend ${m[4]}/${m[5]}, wartend ${m[6]}, fehlgeschlagene Tasks ${m[7]}`;
    m = /^(\s*)rollback deployment: (\S+)$/.exec(l);
    if (m) return `${m[1]}Rollback-Deployment: ${m[2]}`;
    m = /^(\s*)stopped tasks of this deployment:$/.exec(l);
    if (m) return `${m[1]}Stopped Tasks dieses Deployments:`;
    return l;
  });
}

function ready(l: string): string {
  const m = /^GET (\S+(?: output LoadBalancerDNS\))?) → (.+?): ready=(\S+)(?: \(([\s\S]*)\))?$/.exec(l);
  if (!m) return l;
  const url = m[1]!.replace(/^\((\S+) output LoadBalancerDNS\)$/, "(Output LoadBalancerDNS von $1)");
  const status = m[2] === "no answer" ? "keine Antwort" : m[2];
  return `GET ${url} → ${status}: ready=${m[3]}${m[4] ? ` (${readyError(m[4])})` : ""}`;
}

const stopped = (l: string): string =>
  l
    .replace(/^(\S+) \(older deployment\): /, "$1 (älteres Deployment): ")
    .replace(/(\S) exit (-|\d+)/g, "$1 Exit $2");

export const deFix: FixTexts = { preview, actionDetail, summary, reason, ready, stopped };
