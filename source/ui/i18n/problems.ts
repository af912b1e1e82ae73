// The problems of failing and skipped panes and steps (source/aws/errors.ts, source/flow/collect.ts
// `needs()`), as the UI shows them in each language. Rendered from the problem's structured fields
// (kind, code, operation, action, resource, needs/cause); where our own English message carries
// names (the stacks, clusters, services that exist nearby; the profile in a hint) they are read
// from it. AWS's own messages, API and permission names, commands and resource names stay as they
// are. The English catalog has no texts of its own: the UI shows the problem's message and hint.

import type { ProblemInfo } from "../../flow/collect.js";

export interface ProblemText {
  message: string;
  hint: string;
}

export interface ProblemTexts {
  /** A problem's message and hint; undefined: the problem's own (English) ones. */
  problem(p: ProblemInfo): ProblemText | undefined;
  /** A problem known only as its text ("message" or "message — hint"); undefined: as it is. */
  message(text: string): string | undefined;
}

export const enProblems: ProblemTexts = {
  problem: () => undefined,
  message: () => undefined,
};

// ── What the UI calls ─────────────────────────────────────────────────────────────────────

interface HasProblems {
  problems: ProblemTexts;
}

export const problemText = (t: HasProblems, p: ProblemInfo): ProblemText =>
  t.problems.problem(p) ?? { message: p.message, hint: p.hint };

/** "message — hint", as analyze.ts writes a failed step's summary. */
export function problemLine(t: HasProblems, p: ProblemInfo): string {
  const x = problemText(t, p);
  return x.hint ? `${x.message} — ${x.hint}` : x.message;
}

/** A problem's text of which only the string is known (the fix view's messages). */
export const messageText = (t: HasProblems, text: string): string => t.problems.message(text) ?? text;

// ── Deutsch ───────────────────────────────────────────────────────────────────────────────

/** What a skipped piece needed (collect.ts `needs(…, what)`). */
const NEEDS: Record<string, string> = {
  "the service (step 2)": "den Service (Schritt 2)",
  "the task definition": "die Task Definition",
};

function hints(hint: string): string | undefined {
  if (!hint) return "";
  let m: RegExpExecArray | null;
  m = /^(stacks|clusters|services) here: (.*) \(use (--\S+)\)$/.exec(hint);
  if (m) {
    const what = { stacks: "Stacks", clusters: "Cluster", services: "Services" }[m[1]!]!;
    return `${what} hier: ${m[2]} (${m[3]} angeben)`;
  }
  m = /^check (--\S+) and (--\S+)$/.exec(hint);
  if (m) return `${m[1]} und ${m[2]} prüfen`;
  m = /^check (--\S+)$/.exec(hint);
  if (m) return `${m[1]} prüfen`;
  if (hint === "this region has no ECS clusters; check --region")
    return "diese Region hat keine ECS-Cluster; --region prüfen";
  m = /^cluster (\S+) has no services$/.exec(hint);
  if (m) return `Cluster ${m[1]} hat keine Services`;
  if (hint === "ECS needs an execution role to read secrets; check the CDK code")
    return "ECS braucht eine Execution Role, um Secrets zu lesen; CDK-Code prüfen";
  m = /^restore it first \((.+)\) or pick another name$/.exec(hint);
  if (m) return `zuerst wiederherstellen (${m[1]}) oder einen anderen Namen wählen`;
  if (hint === "wait a moment and try again (r in the UI)")
    return "kurz warten und erneut versuchen (r in der Oberfläche)";
  if (hint === "check the network, the region and --endpoint-url")
    return "Netzwerk, Region und --endpoint-url prüfen";
  if (hint === "check the access key, or the profile") return "Access Key oder Profil prüfen";
  m = /^check the profile "(.+)" in ~\/\.aws\/config, or run `(.+)`$/.exec(hint);
  if (m) return `Profil "${m[1]}" in ~/.aws/config prüfen oder \`${m[2]}\` ausführen`;
  if (/^pass --profile NAME, set AWS_PROFILE, or run/.test(hint))
    return "--profile NAME angeben, AWS_PROFILE setzen oder `aws configure` / `aws sso login` ausführen";
  m = /^run `(.+)`, then try again \(r in the UI\)$/.exec(hint);
  if (m) return `\`${m[1]}\` ausführen, dann erneut versuchen (r in der Oberfläche)`;
  m = /^run `(.+)` or refresh the credentials of "(.+)"$/.exec(hint);
  if (m) return `\`${m[1]}\` ausführen oder die Credentials von "${m[2]}" erneuern`;
  if (/^refresh your credentials/.test(hint)) return "die Credentials erneuern (z. B. `aws sso login`)";
  m = /^the caller needs (\S+)(?: on (\S+))?$/.exec(hint);
  if (m) return `der Aufrufer braucht ${m[1]}${m[2] ? ` auf ${m[2]}` : ""}`;
  return undefined;
}

/** Our own English messages (source/aws, collect.ts, fix engine); AWS's own are not among them. */
function ownMessage(message: string): string | undefined {
  let m: RegExpExecArray | null;
  m = /^Stack (\S+) does not exist in (\S+)$/.exec(message);
  if (m) return `Stack ${m[1]} existiert nicht in ${m[2]}`;
  m = /^Cluster "(.+)" not found in (\S+)$/.exec(message);
  if (m) return `Cluster "${m[1]}" nicht gefunden in ${m[2]}`;
  m = /^Cluster "(.+)" not found$/.exec(message);
  if (m) return `Cluster "${m[1]}" nicht gefunden`;
  m = /^Service "(.+)" not found in cluster (\S+)$/.exec(message);
  if (m) return `Service "${m[1]}" nicht gefunden in Cluster ${m[2]}`;
  m = /^Task definition (\S+) not found$/.exec(message);
  if (m) return `Task Definition ${m[1]} nicht gefunden`;
  m = /^Log group (\S+) does not exist$/.exec(message);
  if (m) return `Log Group ${m[1]} existiert nicht`;
  if (message.startsWith("No task execution role:"))
    return "Keine Task Execution Role: weder der Stack-Output TaskExecutionRoleArn noch die Task Definition nennt eine";
  m = /^Secret (\S+) is scheduled for deletion$/.exec(message);
  if (m) return `Secret ${m[1]} ist zur Löschung vorgemerkt`;
  if (message === "no task definition was registered") return "es wurde keine Task Definition registriert";
  if (message === "The SSO session has expired") return "Die SSO-Session ist abgelaufen";
  if (message === "No AWS credentials found") return "Keine AWS-Credentials gefunden";
  if (message === "The AWS session token has expired") return "Das AWS Session Token ist abgelaufen";
  m = /^AWS rejected the credentials \((.+)\)$/.exec(message);
  if (m) return `AWS hat die Credentials abgelehnt (${m[1]})`;
  m = /^Access denied: (\S+)(?: on (\S+))?$/.exec(message);
  if (m) return `Zugriff verweigert: ${m[1]}${m[2] ? ` auf ${m[2]}` : ""}`;
  m = /^AWS throttled (\S+) and the retries ran out$/.exec(message);
  if (m) return `AWS hat ${m[1]} gedrosselt (Throttling), die Wiederholungen sind aufgebraucht`;
  m = /^Cannot reach AWS for (\S+) \((.+)\)$/.exec(message);
  if (m) return `AWS ist für ${m[1]} nicht erreichbar (${m[2]})`;
  m = /^(\S+) failed: (\S+): ([\s\S]*)$/.exec(message);
  if (m) return `${m[1]} fehlgeschlagen: ${m[2]}: ${m[3]}`;
  m = /^needs (.+?): ([\s\S]*)$/.exec(message);
  if (m?.[1] && NEEDS[m[1]]) return `benötigt ${NEEDS[m[1]]}: ${ownMessage(m[2]!) ?? m[2]}`;
  // The fix engine's (fix-prepare.ts, fixes.ts, apply.ts, fix-runtime.ts)
  m = /^the RDS master secret (\S+) does not exist$/.exec(message);
  if (m) return `das RDS Master Secret ${m[1]} existiert nicht`;
  m = /^cannot read the RDS master secret: ([\s\S]*)$/.exec(message);
  if (m) return `das RDS Master Secret ist nicht lesbar: ${ownMessage(m[1]!) ?? m[1]}`;
  if (message === "the fix was not prepared; open it again")
    return "der Fix wurde nicht vorbereitet; bitte erneut öffnen";
  if (message === "nothing to apply: open the fix again") return "nichts anzuwenden: den Fix erneut öffnen";
  if (message === "read-only mode: nothing was changed (drop --read-only to apply)")
    return "Nur-Lesen-Modus: nichts geändert (ohne --read-only anwenden)";
  m = /^the plan lacks values for (.+); nothing was changed$/.exec(message);
  if (m) return `dem Plan fehlen Werte für ${m[1]}; nichts geändert`;
  m = /^no value to write to (\S+)$/.exec(message);
  if (m) return `kein Wert zum Schreiben nach ${m[1]}`;
  m = /^no CDK app in (.+) \(no cdk\.json\): pass --cdk-dir DIR, or use the task definition route$/.exec(
    message,
  );
  if (m)
    return `keine CDK-App in ${m[1]} (kein cdk.json): --cdk-dir DIR angeben oder den Weg über die Task Definition nehmen`;
  if (message === "the task definition is not known (the diagnosis could not read it)")
    return "die Task Definition ist unbekannt (die Diagnose konnte sie nicht lesen)";
  m = /^(\S+) is scheduled for deletion: restore it first \((.+)\)$/.exec(message);
  if (m) return `${m[1]} ist zur Löschung vorgemerkt: zuerst wiederherstellen (${m[2]})`;
  m = /^(\S+) holds a value that is not a JSON object: a merge would lose it; fix it by hand$/.exec(message);
  if (m)
    return `${m[1]} enthält einen Wert, der kein JSON-Objekt ist: ein Merge würde ihn verlieren; von Hand korrigieren`;
  m = /^cannot watch: ([\s\S]*)$/.exec(message);
  if (m) return `Beobachten nicht möglich: ${ownMessage(m[1]!) ?? m[1]}`;
  return undefined;
}

function deProblem(p: ProblemInfo): ProblemText | undefined {
  const hint = hints(p.hint) ?? p.hint;
  switch (p.kind) {
    case "access-denied": {
      const action = p.action ?? /^Access denied: (\S+)/.exec(p.message)?.[1] ?? p.operation ?? p.code;
      const resource = p.resource ?? /^Access denied: \S+ on (\S+)$/.exec(p.message)?.[1];
      const on = resource ? ` auf ${resource}` : "";
      return {
        message: `Zugriff verweigert (${p.code}): ${action}${on}`,
        hint: `der Aufrufer braucht die Berechtigung ${action}${on}`,
      };
    }
    case "throttled":
      return {
        message: `AWS hat ${p.operation ?? "den Aufruf"} gedrosselt (${p.code}), die Wiederholungen sind aufgebraucht`,
        hint,
      };
    case "not-found":
    case "invalid": {
      const own = ownMessage(p.message);
      if (own) return { message: own, hint };
      // AWS's own message, as AWS wrote it.
      const what = p.kind === "not-found" ? "Nicht gefunden" : "Ungültige Anfrage";
      return { message: `${what} (${p.code}${p.operation ? `, ${p.operation}` : ""}): ${p.message}`, hint };
    }
    case "other": {
      if (p.needs && p.cause) {
        const cause = deProblem(p.cause) ?? { message: p.cause.message, hint: p.cause.hint };
        return { message: `benötigt ${NEEDS[p.needs] ?? p.needs}: ${cause.message}`, hint: cause.hint };
      }
      return { message: ownMessage(p.message) ?? p.message, hint };
    }
    default:
      // no-credentials, sso-expired, token-expired, network: our own words.
      return { message: ownMessage(p.message) ?? p.message, hint };
  }
}

function deMessage(text: string): string | undefined {
  const [message, ...rest] = text.split(" — ");
  const hint = rest.join(" — ");
  const m = ownMessage(message ?? "");
  const h = hint ? (hints(hint) ?? hint) : "";
  if (m === undefined && (!hint || h === hint)) return undefined;
  return h ? `${m ?? message} — ${h}` : (m ?? message);
}

export const deProblems: ProblemTexts = {
  problem: deProblem,
  message: deMessage,
};
