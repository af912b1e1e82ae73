#!/usr/bin/env node
// Runs every benchmark under test/bench/ (files other than this one), one after the other.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

const dir = new URL(".", import.meta.url).pathname;
for (const f of readdirSync(dir)
  .filter((f) => f.endsWith(".js") && f !== "run-all.js")
  .sort()) {
  console.log(`\n== ${f}`);
  const r = spawnSync(process.execPath, [dir + f, ...process.argv.slice(2)], { stdio: "inherit" });
  if (r.status !== 0) process.exitCode = 1;
}
