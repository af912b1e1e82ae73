// CloudWatch Logs filter patterns, compiled to a predicate over one log message.
//   ""                       matches everything
//   ERROR Exception          both terms (AND), case-sensitive
//   "connection refused"     a phrase (quotes; \" inside)
//   ?ERROR ?WARN             either (OR); with plain terms: every plain term and at least one ?term
//   ERROR -health            ERROR but not health
//   %fail(ed|ure)%           a regular expression (CloudWatch's %...% form)
//   { $.level = "error" }    JSON: = != < > <= >= on strings (with * wildcards) and numbers,
//                            IS TRUE/FALSE/NULL, EXISTS / NOT EXISTS, && || and parentheses
// Anything else (space-delimited [a, b] patterns) is rejected with an error naming the problem.

export class FilterPatternError extends Error {}

export type Matcher = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const p = (pattern ?? "").trim();
  if (p === "") return () => true;
  if (p.startsWith("{")) return compileJson(p);
  if (p.startsWith("["))
    throw new FilterPatternError("space-delimited filter patterns ([...]) are not supported by the sandbox");
  return compileTerms(p);
}

// ---------------------------------------------------------------- terms

interface Term {
  kind: "and" | "or" | "not";
  test: (m: string) => boolean;
}

function compileTerms(p: string): Matcher {
  const terms: Term[] = [];
  let i = 0;
  while (i < p.length) {
    while (i < p.length && /\s/.test(p[i]!)) i++;
    if (i >= p.length) break;
    let kind: Term["kind"] = "and";
    if (p[i] === "?") {
      kind = "or";
      i++;
    } else if (p[i] === "-" && i + 1 < p.length && !/\s/.test(p[i + 1]!)) {
      kind = "not";
      i++;
    }
    let text = "";
    let regex: RegExp | undefined;
    if (p[i] === '"') {
      i++;
      let closed = false;
      while (i < p.length) {
        const c = p[i]!;
        if (c === "\\" && i + 1 < p.length) {
          text += p[i + 1];
          i += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        text += c;
        i++;
      }
      if (!closed) throw new FilterPatternError("Invalid filter pattern: unterminated quoted term");
    } else if (p[i] === "%") {
      const end = p.indexOf("%", i + 1);
      if (end < 0) throw new FilterPatternError("Invalid filter pattern: unterminated %regex%");
      try {
        regex = new RegExp(p.slice(i + 1, end));
      } catch {
        throw new FilterPatternError("Invalid filter pattern: bad regular expression");
      }
      i = end + 1;
    } else {
      while (i < p.length && !/\s/.test(p[i]!)) text += p[i++];
    }
    if (regex) {
      const r = regex;
      terms.push({ kind, test: (m) => r.test(m) });
    } else if (text !== "") {
      const t = text;
      terms.push({ kind, test: (m) => m.includes(t) });
    }
  }
  const and = terms.filter((t) => t.kind === "and");
  const or = terms.filter((t) => t.kind === "or");
  const not = terms.filter((t) => t.kind === "not");
  return (m) =>
    and.every((t) => t.test(m)) &&
    (or.length === 0 || or.some((t) => t.test(m))) &&
    !not.some((t) => t.test(m));
}

// ---------------------------------------------------------------- JSON

type Tok =
  | { t: "sel"; v: string }
  | { t: "op"; v: string }
  | { t: "str"; v: string }
  | { t: "num"; v: number }
  | { t: "word"; v: string }
  | { t: "("; v: "(" }
  | { t: ")"; v: ")" }
  | { t: "&&" | "||"; v: string };

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")") {
      out.push({ t: c, v: c } as Tok);
      i++;
      continue;
    }
    if (s.startsWith("&&", i) || s.startsWith("||", i)) {
      out.push({ t: s.slice(i, i + 2) as "&&" | "||", v: s.slice(i, i + 2) });
      i += 2;
      continue;
    }
    const op = /^(!=|<=|>=|=|<|>)/.exec(s.slice(i));
    if (op) {
      out.push({ t: "op", v: op[1]! });
      i += op[1]!.length;
      continue;
    }
    if (c === "$") {
      const m = /^\$(\.[A-Za-z0-9_\-@]+|\[\d+\]|\.\*)*/.exec(s.slice(i));
      const v = m?.[0] ?? "$";
      out.push({ t: "sel", v });
      i += v.length;
      continue;
    }
    if (c === '"') {
      let v = "";
      i++;
      let closed = false;
      while (i < s.length) {
        if (s[i] === "\\" && i + 1 < s.length) {
          v += s[i + 1];
          i += 2;
          continue;
        }
        if (s[i] === '"') {
          closed = true;
          i++;
          break;
        }
        v += s[i++];
      }
      if (!closed) throw new FilterPatternError("Invalid filter pattern: unterminated string");
      out.push({ t: "str", v });
      continue;
    }
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?(?![A-Za-z_])/.exec(s.slice(i));
    if (num) {
      out.push({ t: "num", v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const word = /^[^\s()&|=!<>"]+/.exec(s.slice(i));
    if (word) {
      out.push({ t: "word", v: word[0] });
      i += word[0].length;
      continue;
    }
    throw new FilterPatternError(`Invalid filter pattern: unexpected "${c}"`);
  }
  return out;
}

function select(doc: unknown, sel: string): { found: boolean; value: unknown } {
  const parts = sel.slice(1).match(/\.[^.[]+|\[\d+\]/g) ?? [];
  let cur: unknown = doc;
  for (const part of parts) {
    if (cur === null || typeof cur !== "object") return { found: false, value: undefined };
    const key = part.startsWith("[") ? Number(part.slice(1, -1)) : part.slice(1);
    const o = cur as Record<string | number, unknown>;
    if (!(key in o)) return { found: false, value: undefined };
    cur = o[key];
  }
  return { found: true, value: cur };
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\?]/g, "\\$&").replace(/\*/g, ".*")}$`);
}

type Pred = (doc: unknown) => boolean;

function compileJson(p: string): Matcher {
  if (!p.endsWith("}")) throw new FilterPatternError("Invalid filter pattern: a JSON pattern ends with }");
  const toks = tokenize(p.slice(1, -1));
  let pos = 0;
  const peek = () => toks[pos];
  const next = () => {
    const t = toks[pos++];
    if (!t) throw new FilterPatternError("Invalid filter pattern: unexpected end");
    return t;
  };
  const parseOr = (): Pred => {
    let left = parseAnd();
    while (peek()?.t === "||") {
      pos++;
      const l = left;
      const r = parseAnd();
      left = (d) => l(d) || r(d);
    }
    return left;
  };
  const parseAnd = (): Pred => {
    let left = parseAtom();
    while (peek()?.t === "&&") {
      pos++;
      const l = left;
      const r = parseAtom();
      left = (d) => l(d) && r(d);
    }
    return left;
  };
  const parseAtom = (): Pred => {
    const t = next();
    if (t.t === "(") {
      const inner = parseOr();
      if (next().t !== ")") throw new FilterPatternError("Invalid filter pattern: missing )");
      return inner;
    }
    if (t.t !== "sel") throw new FilterPatternError("Invalid filter pattern: expected a $.selector");
    const sel = t.v;
    const op = next();
    if (op.t === "word") {
      const w = op.v.toUpperCase();
      if (w === "EXISTS") return (d) => select(d, sel).found;
      if (w === "NOT") {
        const e = next();
        if (e.t !== "word" || e.v.toUpperCase() !== "EXISTS")
          throw new FilterPatternError("Invalid filter pattern: NOT EXISTS");
        return (d) => !select(d, sel).found;
      }
      if (w === "IS") {
        const v = next();
        const k = v.t === "word" ? v.v.toUpperCase() : "";
        if (k === "TRUE") return (d) => select(d, sel).value === true;
        if (k === "FALSE") return (d) => select(d, sel).value === false;
        if (k === "NULL") return (d) => select(d, sel).found && select(d, sel).value === null;
        throw new FilterPatternError("Invalid filter pattern: IS TRUE, IS FALSE or IS NULL");
      }
      throw new FilterPatternError(`Invalid filter pattern: unexpected ${op.v}`);
    }
    if (op.t !== "op") throw new FilterPatternError("Invalid filter pattern: expected an operator");
    const val = next();
    if (val.t === "num") {
      const n = val.v;
      const cmp = (x: number) => {
        switch (op.v) {
          case "=":
            return x === n;
          case "!=":
            return x !== n;
          case "<":
            return x < n;
          case ">":
            return x > n;
          case "<=":
            return x <= n;
          default:
            return x >= n;
        }
      };
      return (d) => {
        const { found, value } = select(d, sel);
        return found && typeof value === "number" && cmp(value);
      };
    }
    if (val.t === "str" || val.t === "word") {
      if (op.v !== "=" && op.v !== "!=")
        throw new FilterPatternError("Invalid filter pattern: strings compare with = or !=");
      const re = wildcard(val.v);
      const eq = op.v === "=";
      return (d) => {
        const { found, value } = select(d, sel);
        if (!found || value === null || typeof value === "object") return false;
        return re.test(String(value)) === eq;
      };
    }
    throw new FilterPatternError("Invalid filter pattern: expected a value");
  };
  const pred = parseOr();
  if (pos !== toks.length) throw new FilterPatternError("Invalid filter pattern: unexpected trailing input");
  return (m) => {
    let doc: unknown;
    try {
      doc = JSON.parse(m);
    } catch {
      return false;
    }
    return pred(doc);
  };
}
