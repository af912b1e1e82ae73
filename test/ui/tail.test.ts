// The live tail against the sandbox: StartLiveTail (an event stream) and the polling fallback,
// with the real SDK client. No line twice, lines arriving as the simulator writes them.

import { afterEach, describe, expect, test } from "vitest";
import { startTail, type Tail } from "../../source/aws/tail.js";
import { parseArgs } from "../../source/cli/args.js";
import { openSession, type Session } from "../../source/cli/session.js";
import type { LogLine } from "../../source/diagnosis/model.js";

let session: Session | undefined;
let tail: Tail | undefined;
afterEach(async () => {
  tail?.stop();
  await session?.close();
});

async function collectFor(prefer: "live" | "polling", ms: number) {
  session = await openSession(
    parseArgs(["--sandbox", "db-secret-incomplete", "--speed", "60"], {}),
    "db-secret-incomplete",
  );
  const lines: LogLine[] = [];
  const modes: string[] = [];
  const problems: string[] = [];
  tail = startTail(
    session.clients,
    "/ecs/afu9/control-center",
    {
      onLines: (l) => lines.push(...l),
      onMode: (m) => modes.push(m),
      onError: (p) => problems.push(p.message),
    },
    { prefer, pollMs: 200, overlapMs: 60_000 },
  );
  await new Promise((r) => setTimeout(r, ms));
  return { lines, modes, problems };
}

describe("live tail", () => {
  for (const prefer of ["live", "polling"] as const) {
    test(`${prefer}: backlog, then new lines, none twice`, async () => {
      const { lines, modes, problems } = await collectFor(prefer, 2500);
      expect(problems).toEqual([]);
      expect(modes[0]).toBe(prefer);
      expect(lines.length).toBeGreaterThan(0);
      const keys = lines.map((l) => `${l.stream}|${l.timestamp?.getTime()}|${l.message}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(lines.some((l) => l.message.includes("DATABASE_PORT"))).toBe(true);
      expect(lines.every((l) => l.taskId === undefined || /^[0-9a-f]{32}$/.test(l.taskId))).toBe(true);
    });
  }

  test("a missing log group is reported, not thrown", async () => {
    session = await openSession(parseArgs(["--sandbox", "healthy"], {}), "healthy");
    const problems: string[] = [];
    tail = startTail(session.clients, "/no/such/group", {
      onLines: () => {},
      onError: (p) => problems.push(p.kind),
    });
    await tail.done;
    expect(problems).toContain("not-found");
  });
});
