// The README stays true: every flag, command, key and environment variable the code knows is in it.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS, FLAGS } from "../../source/cli/args.js";
import { SCENARIO_IDS } from "../../source/sandbox/scenarios/index.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(f) ? [readFileSync(p, "utf8")] : [];
  });
}

describe("README", () => {
  it("names every flag and command", () => {
    for (const f of FLAGS) expect(readme, `--${f.name}`).toContain(`--${f.name}`);
    for (const c of COMMANDS) if (c.name !== "ui") expect(readme, c.name).toContain(`afu9-tui ${c.name}`);
  });

  it("names every environment variable the code reads", () => {
    const code = sources(new URL("../../source", import.meta.url).pathname).join("\n");
    const vars = new Set([...code.matchAll(/\bAFU9_[A-Z_]+[A-Z]\b/g)].map((m) => m[0]));
    expect(vars.size).toBeGreaterThan(3);
    for (const v of vars) expect(readme, v).toContain(v);
  });

  it("lists every shipped scenario", () => {
    for (const id of SCENARIO_IDS) expect(readme, id).toContain(`\`${id}\``);
  });
});
