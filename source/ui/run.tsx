// runUi: the full-screen terminal UI. Draws the first frame at once, then (after it) loads the
// sandbox or the SDK clients, so the engineer sees the screen in a third of a second.

import { render } from "ink";
import type { Options } from "../cli/args.js";
import type { Session } from "../cli/session.js";
import { targetOf } from "../cli/session.js";
import { initialState, type Size } from "../flow/ui-state.js";
import { App } from "./App.js";
import { catalog } from "./i18n.js";
import { Picker } from "./Picker.js";
import { createRuntime, type RuntimeOptions } from "./runtime.js";
import { createStore } from "./store.js";
import { enterFullScreen } from "./terminal.js";

export interface RunUiHooks {
  /** The fix menu (issue 5); see RuntimeOptions.onOpenFix. */
  onOpenFix?: RuntimeOptions["onOpenFix"];
}

export async function runUi(opts: Options, hooks: RunUiHooks = {}): Promise<number> {
  const t = catalog(opts.lang);
  const out = process.stdout;
  const size = (): Size => ({ cols: out.columns || 80, rows: out.rows || 24 });
  let quit!: () => void;
  const quitting = new Promise<void>((resolve) => {
    quit = resolve;
  });
  const runtime = createRuntime({
    onQuit: () => quit(),
    onOpenFix: hooks.onOpenFix,
    fix: { cdkDir: opts.cdkDir, timeoutMs: opts.timeoutSeconds * 1000 },
  });
  const label = opts.world ?? (opts.sandbox !== undefined && opts.sandbox !== "" ? opts.sandbox : undefined);
  const store = createStore(
    initialState({
      target: targetOf(opts),
      session: {
        ...(label ? { sandbox: label } : {}),
        readOnly: opts.readOnly,
        ...(opts.profile ? { profile: opts.profile } : {}),
      },
      size: size(),
      now: Date.now(),
      noColor: Boolean(process.env.NO_COLOR),
      logCapacity: opts.logLines,
    }),
    (e, s) => runtime.run(e, s),
  );

  const guard = enterFullScreen(out, () => quit());
  const onResize = () => store.dispatch({ type: "resize", size: size() });
  out.on("resize", onResize);
  const ink = render(<App store={store} t={t} />, {
    exitOnCtrlC: false,
    patchConsole: false,
    // Ink 6.8's incremental renderer shifted the frame by a row in tmux; opt in with AFU9_INCREMENTAL=1.
    incrementalRendering: process.env.AFU9_INCREMENTAL === "1",
    maxFps: 30,
  });

  let session: Session | undefined;
  try {
    let scenario = opts.sandbox;
    if (opts.sandbox === "" && !opts.world) {
      const { SCENARIOS } = await import("../sandbox/scenarios/index.js");
      const picked = await new Promise<string | undefined>((resolve) => {
        const draw = () =>
          ink.rerender(
            <Picker
              t={t}
              scenarios={SCENARIOS}
              rows={size().rows}
              cols={size().cols}
              onPick={(id) => resolve(id)}
              onQuit={() => resolve(undefined)}
            />,
          );
        draw();
        out.on("resize", draw);
        quitting.then(() => resolve(undefined));
      });
      if (picked === undefined) return 0;
      scenario = picked;
      ink.rerender(<App store={store} t={t} />);
    }
    const { openSession } = await import("../cli/session.js");
    try {
      session = await openSession(opts, scenario);
    } catch (e) {
      store.dispatch({ type: "connect-failed", message: e instanceof Error ? e.message : String(e) });
    }
    if (session) {
      runtime.attach(session.clients);
      store.dispatch({
        type: "connected",
        target: session.target,
        session: {
          ...(session.sandbox ? { sandbox: session.sandbox.label } : {}),
          readOnly: opts.readOnly,
          ...(opts.profile && !session.sandbox ? { profile: opts.profile } : {}),
        },
      });
      runtime.start(store);
    }
    await quitting;
    return 0;
  } finally {
    runtime.stop();
    out.off("resize", onResize);
    ink.unmount();
    await ink.waitUntilExit().catch(() => {});
    guard.restore();
    await session?.close().catch(() => {});
  }
}
