// IAM policy evaluation for identity-based policies: explicit Deny wins, then Allow, else
// implicit deny. Wildcards (* and ?) in actions (case-insensitive) and resources (case-sensitive).
// Conditions are not evaluated: a statement with a Condition is reported as such, so a caller can
// say "allowed only under conditions" instead of guessing. Used by the sandbox's IAM and by the
// diagnosis when SimulatePrincipalPolicy is not permitted.

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, unknown>;
}

export interface Document {
  Version?: string;
  Statement: Statement[] | Statement;
}

export interface NamedDocument {
  /** Where it comes from: a policy ARN or "inline:NAME". */
  source: string;
  document: Document;
}

export type Decision = "allowed" | "explicitDeny" | "implicitDeny";

export interface Evaluation {
  action: string;
  resource: string;
  decision: Decision;
  /** Statements that matched, with their source. */
  matched: { source: string; sid?: string; effect: "Allow" | "Deny"; conditional: boolean }[];
  /** True when the decision rests on an Allow that has a Condition we did not evaluate. */
  conditional: boolean;
}

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

function globToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, caseInsensitive ? "i" : "");
}

export function matchesPattern(pattern: string, value: string, caseInsensitive = false): boolean {
  return globToRegExp(pattern, caseInsensitive).test(value);
}

function statementApplies(s: Statement, action: string, resource: string): boolean {
  const actionOk =
    s.Action !== undefined
      ? list(s.Action).some((p) => matchesPattern(p, action, true))
      : !list(s.NotAction).some((p) => matchesPattern(p, action, true));
  if (!actionOk) return false;
  if (s.Resource === undefined && s.NotResource === undefined) return true;
  return s.Resource !== undefined
    ? list(s.Resource).some((p) => matchesPattern(p, resource))
    : !list(s.NotResource).some((p) => matchesPattern(p, resource));
}

export function statements(doc: Document): Statement[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

export function evaluate(docs: NamedDocument[], action: string, resource: string): Evaluation {
  const matched: Evaluation["matched"] = [];
  for (const { source, document } of docs) {
    for (const s of statements(document)) {
      if (statementApplies(s, action, resource)) {
        matched.push({ source, sid: s.Sid, effect: s.Effect, conditional: s.Condition !== undefined });
      }
    }
  }
  const denies = matched.filter((m) => m.effect === "Deny" && !m.conditional);
  if (denies.length > 0) return { action, resource, decision: "explicitDeny", matched, conditional: false };
  const allows = matched.filter((m) => m.effect === "Allow");
  if (allows.length === 0) return { action, resource, decision: "implicitDeny", matched, conditional: false };
  const unconditional = allows.some((m) => !m.conditional);
  return { action, resource, decision: "allowed", matched, conditional: !unconditional };
}
