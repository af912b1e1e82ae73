// GET /api/ready through the load balancer (the network stack's LoadBalancerDNS), as the runbook's
// `curl http://${ALB_DNS}/api/ready | jq .` does. Short timeout; the body is parsed into the
// runbook's shape: { ready, checks: { service: {status}, database: {status, message} } }.

export interface ReadyCheck {
  name: string;
  status: string;
  message?: string;
}

export interface ReadyResult {
  url: string;
  /** HTTP status; undefined when no answer came. */
  status?: number;
  ready: boolean;
  checks: ReadyCheck[];
  /** No answer / not JSON: why. */
  error?: string;
}

/** http://DNS/api/ready; a DNS name with a scheme is used as is. */
export function readyUrl(loadBalancerDns: string): string {
  const base = /^https?:\/\//.test(loadBalancerDns) ? loadBalancerDns : `http://${loadBalancerDns}`;
  return `${base.replace(/\/+$/, "")}/api/ready`;
}

export function parseReadyBody(body: unknown): { ready: boolean; checks: ReadyCheck[] } | undefined {
  if (!body || typeof body !== "object" || Array.isArray(body)) return undefined;
  const b = body as { ready?: unknown; checks?: unknown };
  const checks: ReadyCheck[] = [];
  if (b.checks && typeof b.checks === "object" && !Array.isArray(b.checks)) {
    for (const [name, v] of Object.entries(b.checks as Record<string, unknown>)) {
      const c = (v ?? {}) as { status?: unknown; message?: unknown };
      checks.push({
        name,
        status: typeof c.status === "string" ? c.status : String(c.status ?? "?"),
        ...(typeof c.message === "string" ? { message: c.message } : {}),
      });
    }
  }
  return { ready: b.ready === true, checks };
}

export async function checkReady(url: string, opts: { timeoutMs?: number } = {}): Promise<ReadyResult> {
  let res: Response;
  try {
    res = await fetch(url, {
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
      headers: { accept: "application/json" },
    });
  } catch (e) {
    const err = e as { name?: string; cause?: { code?: string }; message?: string };
    const why = err.name === "TimeoutError" ? "timed out" : (err.cause?.code ?? err.message ?? "no answer");
    return { url, ready: false, checks: [], error: `no answer from ${url}: ${why}` };
  }
  const text = await res.text().catch(() => "");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { url, status: res.status, ready: false, checks: [], error: `HTTP ${res.status}, not JSON` };
  }
  const parsed = parseReadyBody(body);
  if (!parsed)
    return {
      url,
      status: res.status,
      ready: false,
      checks: [],
      error: `HTTP ${res.status}, unexpected body`,
    };
  return { url, status: res.status, ready: parsed.ready && res.status === 200, checks: parsed.checks };
}

/** One line per check, the way the runbook's expected response reads. */
export function readyLines(r: ReadyResult): string[] {
  const out = [
    `GET ${r.url} → ${r.status ?? "no answer"}: ready=${r.ready}${r.error ? ` (${r.error})` : ""}`,
  ];
  for (const c of r.checks) out.push(`  ${c.name}: ${c.status}${c.message ? ` — ${c.message}` : ""}`);
  return out;
}
