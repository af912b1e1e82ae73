import { describe, expect, it } from "vitest";
import { compileFilterPattern, FilterPatternError } from "../../source/sandbox/filter-pattern.js";

const m = (p: string, msg: string) => compileFilterPattern(p)(msg);

describe("CloudWatch Logs filter patterns", () => {
  it("matches everything with an empty pattern", () => {
    expect(m("", "anything")).toBe(true);
    expect(m("   ", "")).toBe(true);
  });

  it("ANDs plain terms, case-sensitively", () => {
    expect(m("ERROR Exception", "ERROR: NullPointerException")).toBe(true);
    expect(m("ERROR Exception", "ERROR only")).toBe(false);
    expect(m("error", "ERROR")).toBe(false);
  });

  it("ORs ?terms, and requires plain terms next to them", () => {
    expect(m("?ERROR ?WARN", "WARN disk")).toBe(true);
    expect(m("?ERROR ?WARN", "INFO ok")).toBe(false);
    expect(m("db ?ERROR ?WARN", "WARN cache")).toBe(false);
    expect(m("db ?ERROR ?WARN", "db WARN")).toBe(true);
  });

  it("excludes -terms and matches quoted phrases", () => {
    expect(m("ERROR -health", "ERROR in health check")).toBe(false);
    expect(m("ERROR -health", "ERROR in db")).toBe(true);
    expect(m('"password authentication failed"', 'FATAL: password authentication failed for user "x"')).toBe(
      true,
    );
    expect(m('"password failed"', "password authentication failed")).toBe(false);
    expect(m('-"GET /health"', "GET /health 200")).toBe(false);
    expect(m('"say \\"hi\\""', 'they say "hi"')).toBe(true);
  });

  it("supports %regex% terms", () => {
    expect(m("%ENOTFOUND|ECONNREFUSED%", "connect ECONNREFUSED 127.0.0.1:5432")).toBe(true);
    expect(m("%^Error:%", "An Error: x")).toBe(false);
  });

  it("evaluates JSON patterns", () => {
    const line = JSON.stringify({
      level: "error",
      code: 503,
      user: { id: "u1" },
      ok: false,
      none: null,
      tags: ["a", "b"],
    });
    expect(m('{ $.level = "error" }', line)).toBe(true);
    expect(m('{ $.level != "error" }', line)).toBe(false);
    expect(m('{ $.level = "err*" }', line)).toBe(true);
    expect(m("{ $.code = 503 }", line)).toBe(true);
    expect(m("{ $.code != 503 }", line)).toBe(false);
    expect(m("{ $.code > 500 && $.code < 600 }", line)).toBe(true);
    expect(m('{ ($.code = 200 || $.user.id = "u1") && $.ok IS FALSE }', line)).toBe(true);
    expect(m('{ $.tags[1] = "b" }', line)).toBe(true);
    expect(m("{ $.none IS NULL }", line)).toBe(true);
    expect(m("{ $.missing NOT EXISTS }", line)).toBe(true);
    expect(m("{ $.level EXISTS }", line)).toBe(true);
    expect(m('{ $.level = "error" }', "not json at all")).toBe(false);
    expect(m('{ $.code = "503" }', line)).toBe(true); // strings compare on the text of scalars
  });

  it("rejects patterns it cannot parse, naming the problem", () => {
    expect(() => compileFilterPattern('"open')).toThrow(FilterPatternError);
    expect(() => compileFilterPattern("{ $.a = }")).toThrow(FilterPatternError);
    expect(() => compileFilterPattern("{ $.a = 1 ")).toThrow(/ends with \}/);
    expect(() => compileFilterPattern("[ip, user]")).toThrow(/not supported/);
  });
});
