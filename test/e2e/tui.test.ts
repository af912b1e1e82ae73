// End to end: the built afu9-tui at 80x24 in a pseudo-terminal against the sandbox.

import { existsSync } from "node:fs";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { keySequence } from "../../source/ui/keymap.js";
import { keyFor } from "../ui/harness.js";
import { BIN, type Pty, spawnTui } from "./pty.js";

let t: Pty | undefined;
afterEach(() => {
  try {
    t?.kill("SIGKILL");
  } catch {
    // already gone
  }
  t = undefined;
});

beforeAll(() => {
  if (!existsSync(new URL("../../dist/main.js", import.meta.url)))
    throw new Error("run `npm run build` first");
});

const press = (
  p: Pty,
  action: Parameters<typeof keyFor>[0],
  ctx: Parameters<typeof keyFor>[1] = "cloudformation",
) => p.write(keySequence(keyFor(action, ctx)));
const tui = (args: string) => `printf 'before\\n'; node ${BIN} ${args}; printf "after %s\\n" $?`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("afu9-tui in a pseudo-terminal", () => {
  test("a runbook scenario from start to verdict, then quit leaves the terminal as it was", async () => {
    t = spawnTui(tui("--sandbox db-secret-missing"));
    await t.waitFor((s) => s.includes(" SANDBOX "), "the first frame");
    expect(t.buffer()).toBe("alternate");
    await t.waitFor((s) => s.includes("Scenario: db-secret-missing"), "the verdict");
    const screen = t.screen();
    expect(screen[0]).toContain("afu9-cluster/afu9-control-center-stage");
    expect(screen.join("\n")).toMatch(/✗ 5 +Secrets +afu9\/database: does not exist/);
    // The frame stays below the terminal's height: the last row is empty.
    expect(screen[23]).toBe("");
    expect(screen[22]).toContain("q quit");
    press(t, "step6");
    await t.waitFor((s) => s.includes("press f to open fix database-secret"), "the verdict pane");
    press(t, "quit");
    expect(await t.exited).toBe(0);
    expect(t.buffer()).toBe("normal");
    expect(t.cursorHidden()).toBe(false);
    const after = t.screen().filter((l) => l !== "");
    expect(after).toEqual(["before", "after 0"]);
  });

  test("drilling into a stopped task", async () => {
    t = spawnTui(tui("--sandbox db-secret-missing"));
    await t.waitFor((s) => s.includes("Scenario: db-secret-missing"), "the verdict");
    press(t, "step3");
    await t.waitFor((s) => s.includes("TaskFailedToStart"), "the stopped tasks");
    press(t, "drill", "tasks");
    await t.waitFor((s) => s.includes("stoppedReason"), "the task detail");
    const text = t.text();
    expect(text).toContain("stopCode        TaskFailedToStart");
    expect(text).toMatch(/Task definition afu9-control-center:\d+ \(revision \d+\)/);
    press(t, "back", "task");
    await t.waitFor((s) => !s.includes("stoppedReason") && s.includes("Enter open"), "the task list");
    t.write(keySequence("C-c"));
    expect(await t.exited).toBe(0);
    expect(t.buffer()).toBe("normal");
  });

  test("tailing, filtering and scrolling logs; a resize reflows", async () => {
    t = spawnTui(tui("--sandbox db-secret-incomplete"));
    await t.waitFor((s) => s.includes("Scenario: db-secret-incomplete"), "the verdict");
    press(t, "step4");
    await t.waitFor((s) => /live tail|polling/.test(s) && /\d+ lines/.test(s), "the tail");
    expect(t.text()).toContain("following");
    press(t, "filter", "logs");
    await sleep(100);
    t.write("DATABASE_PORT");
    await t.waitFor((s) => s.includes("filter: DATABASE_PORT"), "the filter");
    const logRows = t.screen().filter((l) => /^[ ▸]\d\d:\d\d:\d\d /.test(l));
    expect(logRows.length).toBeGreaterThan(0);
    for (const l of logRows) expect(l).toContain("DATABASE_PORT");
    press(t, "filterApply", "filter");
    await sleep(100);
    press(t, "up", "logs");
    await t.waitFor((s) => s.includes("paused"), "paused follow mode");
    press(t, "bottom", "logs");
    await t.waitFor((s) => s.includes("following"), "follow mode again");

    t.resize(140, 40);
    await t.waitFor(
      (s) => /CloudFormation events.*1.CloudFormation/.test(s.split("\n")[1]!),
      "the wide layout",
    );
    expect(t.screen()[39]).toBe("");
    t.resize(80, 24);
    await t.waitFor(
      // At 80x24 the logs pane takes the step list's rows: the tabs follow the header.
      (s) => /\[4.Logs\]/.test(s.split("\n")[1]!) && !s.split("\n")[1]!.includes("CloudFormation events"),
      "the narrow layout",
    );
    expect(t.screen()[23]).toBe("");
    t.kill("SIGTERM");
    await t.exited;
    expect(t.buffer()).toBe("normal");
    expect(t.cursorHidden()).toBe(false);
  });

  test("--sandbox without an id opens the scenario picker", async () => {
    t = spawnTui(tui("--sandbox"));
    await t.waitFor(
      (s) => s.includes("Pick a sandbox scenario") && s.includes("db-secret-missing"),
      "the picker",
    );
    t.write(keySequence("down"));
    await sleep(100);
    t.write(keySequence("enter"));
    await t.waitFor(
      (s) => s.includes("SANDBOX ") && s.includes("Scenario:"),
      "the chosen scenario's verdict",
    );
    t.write("q");
    expect(await t.exited).toBe(0);
  });
});
