// AWS Query (CloudFormation, IAM): a form-encoded POST (Action=...&Version=...&Foo.member.1=...)
// in, XML out: <OpResponse xmlns=NS><OpResult>...</OpResult><ResponseMetadata><RequestId>.

import type { AwsError } from "../account.js";
import type { Input } from "../protocol.js";

export const XML_CONTENT_TYPE = "text/xml";

export const QUERY_NAMESPACES: Record<string, string> = {
  cloudformation: "http://cloudformation.amazonaws.com/doc/2010-05-15/",
  iam: "https://iam.amazonaws.com/doc/2010-05-08/",
};

type Node = Record<string, unknown>;

function isIndex(s: string): boolean {
  return /^\d+$/.test(s);
}

/**
 * Decodes a Query form body into the operation's input: "A.B=1" → {A:{B:"1"}},
 * "L.member.2.Key=k" → {L:[, {Key:"k"}]} (compacted, in index order), "M.entry.1.key/value" → {M:{k:v}}.
 * Action and Version are returned separately. Values stay strings, as on the wire.
 */
export function decodeForm(body: string): { action?: string; version?: string; input: Input } {
  const params = new URLSearchParams(body);
  const root: Node = {};
  let action: string | undefined;
  let version: string | undefined;
  for (const [key, value] of params) {
    if (key === "Action") {
      action = value;
      continue;
    }
    if (key === "Version") {
      version = value;
      continue;
    }
    const parts = key.split(".");
    let node: Node = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      if (last) {
        node[part] = value;
      } else {
        let child = node[part];
        if (!child || typeof child !== "object") {
          child = {};
          node[part] = child;
        }
        node = child as Node;
      }
    }
  }
  return { action, version, input: normalise(root) as Input };
}

/** Turns {member:{1:..,2:..}} into arrays and {entry:{1:{key,value}}} into maps, recursively. */
function normalise(v: unknown): unknown {
  if (!v || typeof v !== "object") return v;
  const o = v as Node;
  const keys = Object.keys(o);
  if (keys.length === 1 && (keys[0] === "member" || keys[0] === "entry")) {
    const inner = o[keys[0]] as Node;
    if (inner && typeof inner === "object" && Object.keys(inner).every(isIndex)) {
      const items = Object.keys(inner)
        .sort((a, b) => Number(a) - Number(b))
        .map((k) => normalise(inner[k]));
      if (keys[0] === "member") return items;
      const map: Record<string, unknown> = {};
      for (const it of items) {
        const e = it as Node;
        if (e && typeof e === "object" && typeof e.key === "string") map[e.key] = e.value;
      }
      return map;
    }
  }
  // "Foo.member" with no entries (an empty list is sent as "Foo=")
  const out: Node = {};
  for (const k of keys) out[k] = normalise(o[k]);
  return out;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&apos;",
  );
}

/** A value as XML children: objects → elements, arrays → <member>, Dates → ISO 8601. */
export function toXml(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map((x) => `<member>${toXml(x)}</member>`).join("");
  if (typeof v === "object") {
    let out = "";
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined || x === null) continue;
      out += `<${k}>${toXml(x)}</${k}>`;
    }
    return out;
  }
  return escapeXml(String(v));
}

export function encodeQueryResponse(
  service: string,
  operation: string,
  result: unknown,
  requestId: string,
): string {
  const ns = QUERY_NAMESPACES[service] ?? "";
  const body =
    result === undefined || result === null
      ? ""
      : `<${operation}Result>${toXml(result)}</${operation}Result>`;
  return (
    `<${operation}Response xmlns="${ns}">${body}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${operation}Response>\n`
  );
}

export function encodeQueryError(
  service: string,
  code: string,
  message: string,
  type: "Sender" | "Receiver",
  requestId: string,
): string {
  const ns = QUERY_NAMESPACES[service] ?? "";
  return (
    `<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>\n`
  );
}

export function queryAwsError(service: string, e: AwsError, requestId: string): string {
  return encodeQueryError(service, e.code, e.message, e.type, requestId);
}

/** Query inputs are strings; these read them as numbers/booleans/lists. */
export function qInt(v: unknown): number | undefined {
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function qBool(v: unknown): boolean | undefined {
  if (v === undefined || v === "") return undefined;
  return v === true || v === "true";
}

export function qList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === undefined || v === "") return [];
  return [v];
}
