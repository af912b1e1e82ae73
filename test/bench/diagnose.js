#!/usr/bin/env node
// Benchmark: `afu9-tui diagnose --sandbox ID --json` from process start to exit (the verdict is
// printed just before), for the runbook's scenarios. Prints the median and spread of the wall time
// and the number of AWS requests made. Run after `npm run build`:  node test/bench/diagnose.js [RUNS]
import { spawnSync } from "node:child_process";

const BIN = new URL("../../bin/afu9-tui.js", import.meta.url).pathname;
const runs = Number(process.argv[2] ?? 15);
const scenarios = [
  "db-secret-missing",
  "db-secret-incomplete",
  "db-enabled-not-needed",
  "db-credentials-wrong",
  "healthy",
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

console.log(`diagnose --sandbox ID --json, ${runs} runs each (median, min–max ms; AWS requests)`);
const all = [];
for (const id of scenarios) {
  const times = [];
  let requests = 0;
  let verdict = "";
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [BIN, "diagnose", "--sandbox", id, "--json"], { encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${id}: exit ${r.status}: ${r.stderr}`);
    const json = JSON.parse(r.stdout);
    requests = json.requests;
    verdict = json.verdict.scenario;
    times.push(ms);
  }
  all.push(...times);
  console.log(
    `${id.padEnd(24)} ${median(times).toFixed(0).padStart(5)} ms  (${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)})  ${requests} requests  → ${verdict}`,
  );
}
console.log(`${"all".padEnd(24)} ${median(all).toFixed(0).padStart(5)} ms median over ${all.length} runs`);
