// Start-up stays fast by construction: what dist/main.js loads statically (before the first frame)
// holds neither the AWS SDK nor the sandbox; they arrive through import() after the frame.
// The timing itself is a benchmark: node test/bench/first-frame.js.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const dist = new URL("../../dist/", import.meta.url);
const built = existsSync(new URL("main.js", dist));

function staticClosure(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(new URL(file, dist), "utf8");
    for (const m of text.matchAll(/(?:^|[;\n])\s*import\s*(?:[^"'()]*?\sfrom\s*)?["']\.\/([^"']+)["']/g))
      visit(m[1]!);
  };
  visit(entry);
  return [...seen];
}

describe.skipIf(!built)("the bundle", () => {
  it("loads no AWS SDK and no sandbox before the first frame", () => {
    // The entry, and the UI chunk (the one that switches to the alternate screen) with all it
    // imports statically: that is what runs before the first frame.
    const ui = readdirSync(dist).filter(
      (f) => f.endsWith(".js") && readFileSync(new URL(f, dist), "utf8").includes("?1049h"),
    );
    expect(ui).toHaveLength(1);
    const files = [...new Set([...staticClosure("main.js"), ...staticClosure(ui[0]!)])];
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(new URL(f, dist), "utf8");
      expect(text.includes("AmazonEC2ContainerServiceV20141113"), `${f} holds the ECS client`).toBe(false);
      expect(text.includes("Secrets Manager can't find the specified secret"), `${f} holds the sandbox`).toBe(
        false,
      );
    }
  });

  it("does load them lazily", () => {
    const all = staticClosure("main.js")
      .map((f) => readFileSync(new URL(f, dist), "utf8"))
      .join("");
    expect(all).toMatch(/import\(["']\.\/[^"']+["']\)/);
  });
});
