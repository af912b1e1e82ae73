// First frame: milliseconds from process start to the first full frame of the UI, in a
// pseudo-terminal (80x24), median of several runs. `node test/bench/first-frame.js [runs]`.
// The target: about 300 ms on the project machine. Needs `npm run build` first.

import { fileURLToPath } from "node:url";
import pty from "@lydell/node-pty";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * One run: spawn → the first frame is on screen (the SDK loads after it); with `until` given, the
 * time until the screen output matches it instead (e.g. the verdict).
 */
export function firstFrameOnce(args = ["--sandbox", "db-secret-missing"], until) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let out = "";
    let done = false;
    const p = pty.spawn(process.execPath, [`${ROOT}bin/afu9-tui.js`, ...args], {
      name: "xterm-256color",
      cols: 80,
      rows: 24,
      cwd: ROOT,
      env: { ...process.env, CI: "false", TERM: "xterm-256color" },
    });
    const timer = setTimeout(() => {
      if (!done) {
        done = true;
        p.kill("SIGKILL");
        reject(new Error(`no frame within 5 s; got: ${JSON.stringify(out.slice(0, 300))}`));
      }
    }, 5000);
    p.onData((d) => {
      out += d;
      // The first frame: the alternate screen is on and the footer row (the frame's last) is drawn.
      const seen = until ? until.test(out) : out.includes("\u001B[?1049h") && /q (quit|beenden)/.test(out);
      if (!done && seen) {
        done = true;
        const ms = performance.now() - t0;
        clearTimeout(timer);
        p.write("\u0003");
        const kill = setTimeout(() => p.kill("SIGKILL"), 2000);
        p.onExit(() => {
          clearTimeout(kill);
          resolve(ms);
        });
      }
    });
  });
}

export async function firstFrame(runs = 7, args, until) {
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await firstFrameOnce(args, until));
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted.at(-1), times };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? 7);
  const r = await firstFrame(runs);
  console.log(
    `first frame (pty 80x24, ${runs} runs): median ${r.median.toFixed(0)} ms, min ${r.min.toFixed(0)} ms, max ${r.max.toFixed(0)} ms`,
  );
  // The root cause on screen: the verdict's scenario line, sandbox account, from process start.
  const v = await firstFrame(runs, undefined, /Scenario:.{0,40}db-secret-missing/);
  console.log(
    `verdict on screen (pty 80x24, ${runs} runs): median ${v.median.toFixed(0)} ms, min ${v.min.toFixed(0)} ms, max ${v.max.toFixed(0)} ms`,
  );
}
