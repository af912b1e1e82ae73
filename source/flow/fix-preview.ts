// The preview of a plan as text lines: what will change, the API calls, the AWS CLI equivalents
// (placeholders, no values) and the key-level diff. Pure; the UI may draw the same sections from
// the Plan itself.

import type { KeyDiff, Plan } from "./fixes.js";

export function diffLines(d: KeyDiff): string[] {
  const out = [
    `${d.secretName}: ${d.create ? "new secret" : "update (merge; other keys keep their values)"}`,
  ];
  if (d.added.length) out.push(`  + added:     ${d.added.join(", ")}`);
  if (d.changed.length) out.push(`  ~ changed:   ${d.changed.join(", ")}`);
  if (d.unchanged.length) out.push(`  = unchanged: ${d.unchanged.join(", ")}`);
  const pendingPresent = d.pending.filter((k) => !d.added.includes(k));
  if (pendingPresent.length) out.push(`  ? to be set (value not given yet): ${pendingPresent.join(", ")}`);
  return out;
}

function describeAction(a: Plan["actions"][number]): string {
  switch (a.kind) {
    case "write-secret":
      return a.create
        ? `Create secret ${a.secretName}`
        : `Update secret ${a.secretName} (current version ${a.snapshot.versionId ?? "?"})`;
    case "cdk-context":
      return `Set "${a.key}": ${a.value} in ${a.cdkDir}/${a.file}${a.before !== undefined ? ` (now ${JSON.stringify(a.before)})` : ""}`;
    case "cdk-deploy":
      return `Run cdk ${a.args.join(" ")} in ${a.cdkDir}`;
    case "register-task-definition":
      return `Register a new revision of ${a.family} from ${a.from.split("/").pop()} with DATABASE_ENABLED=false${a.removeSecrets.length ? `, without ${a.removeSecrets.join(", ")}` : ""}`;
    case "force-new-deployment":
      return a.taskDefinition === "registered"
        ? `Update service ${a.service} to the new revision (new deployment)`
        : `Force a new deployment of ${a.service}`;
  }
}

export function previewLines(plan: Plan): string[] {
  const out: string[] = [];
  out.push(`Fix ${plan.fixId} (${plan.section}): ${plan.title}${plan.recommended ? "  [recommended]" : ""}`);
  out.push("", "What will change:");
  plan.actions.forEach((a, i) => {
    out.push(`  ${i + 1}. ${describeAction(a)}`);
  });
  if (plan.fields.length) {
    out.push("", "Values (sources only):");
    for (const f of plan.fields) {
      const src =
        f.source.kind === "literal"
          ? `${f.source.value}  (${f.source.origin})`
          : f.source.kind === "secret-key"
            ? `from ${f.source.label}, key ${f.source.key}`
            : `typed (masked), stdin or AFU9_SECRET_${envKey(f.key)}`;
      out.push(`  ${f.key.padEnd(18)} ${src}`);
    }
  }
  if (plan.diffs.length) {
    out.push("", "Key-level diff (names only):");
    for (const d of plan.diffs) out.push(...diffLines(d).map((l) => `  ${l}`));
  }
  out.push("", "API calls:");
  for (const c of plan.calls) out.push(`  ${c}`);
  out.push("", "AWS CLI equivalent (placeholders instead of secret values):");
  for (const c of plan.cli) out.push(`  ${c}`);
  if (plan.notes.length) {
    out.push("", "Notes:");
    for (const n of plan.notes) out.push(`  ! ${n}`);
  }
  return out;
}

/** AFU9_SECRET_<KEY>: the key upper-cased, other characters as _. */
export function envKey(key: string): string {
  return key.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}
