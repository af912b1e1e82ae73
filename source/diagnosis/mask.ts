// Masking of credentials in free text (log lines, error messages) before they reach the screen.

const MASK = "***";

interface Rule {
  re: RegExp;
  replace: string | ((...m: string[]) => string);
}

const RULES: Rule[] = [
  // GitHub: classic and fine-grained tokens
  { re: /\b(gh[pousr]_)[A-Za-z0-9]{16,}\b/g, replace: `$1${MASK}` },
  { re: /\b(github_pat_)[A-Za-z0-9_]{20,}\b/g, replace: `$1${MASK}` },
  // Anthropic before OpenAI: sk-ant-... is also sk-...
  { re: /\b(sk-ant-)[A-Za-z0-9_-]{8,}/g, replace: `$1${MASK}` },
  { re: /\b(sk-(?:proj-|svcacct-)?)[A-Za-z0-9_-]{16,}/g, replace: `$1${MASK}` },
  // AWS access key ids
  { re: /\b((?:AKIA|ASIA))[A-Z0-9]{16}\b/g, replace: `$1${MASK}` },
  // aws_secret_access_key = ...
  { re: /(aws_secret_access_key\s*[=:]\s*)["']?[A-Za-z0-9/+=]{40}["']?/gi, replace: `$1${MASK}` },
  // scheme://user:PASS@host
  { re: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, replace: `$1${MASK}@` },
  // JSON "password": "..." (and similar key names)
  {
    re: /("(?:password|passwd|pwd|secret|token|api[_-]?key|[a-z_]*_api_key|client_secret|access_token)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    replace: `$1"${MASK}"`,
  },
  // password=..., token: ... in key=value text; not ARNs (arn:aws:secretsmanager:...:secret:NAME)
  {
    re: /(?<![:/])\b((?:password|passwd|pwd|secret|token|api[_-]?key|client_secret|access_token)\s*[=:]\s*)(?!\*\*\*)(["']?)[^\s"',;&]+\2/gi,
    replace: `$1$2${MASK}$2`,
  },
  // Authorization: Bearer ...
  { re: /\b(Bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/g, replace: `$1${MASK}` },
];

/** Masks strings that look like credentials: tokens, API keys, access keys, passwords. */
export function maskCredentials(text: string): string {
  let out = text;
  for (const r of RULES) out = out.replace(r.re, r.replace as string);
  return out;
}

/** Values shorter than this are not redacted: they would tear up ordinary text ("1", "afu9"). */
export const MIN_REDACT_LENGTH = 4;

/**
 * Removes known secret values wherever they appear, also in their JSON-escaped form. Longest
 * first, so a value that contains another is removed whole.
 */
export function redactKnownValues(text: string, values: readonly (string | undefined | null)[]): string {
  const forms = new Set<string>();
  for (const v of values) {
    if (typeof v !== "string" || v.length < MIN_REDACT_LENGTH) continue;
    forms.add(v);
    const escaped = JSON.stringify(v).slice(1, -1);
    if (escaped !== v) forms.add(escaped);
    const uri = encodeURIComponent(v);
    if (uri !== v) forms.add(uri);
  }
  let out = text;
  for (const f of [...forms].sort((a, b) => b.length - a.length)) out = out.split(f).join(MASK);
  return out;
}
