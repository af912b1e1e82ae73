// Screen-test harness: the whole App on a real sandbox session, driven by keymap action names
// (lazygit style): a scenario, keys, what each pane shows.

import { render } from "ink-testing-library";
import { parseArgs } from "../../source/cli/args.js";
import { openSession, type Session } from "../../source/cli/session.js";
import {
  type Action,
  initialState,
  type KeyContext,
  keyContext,
  type Size,
  type UiState,
} from "../../source/flow/ui-state.js";
import { App } from "../../source/ui/App.js";
import { catalog, type Lang } from "../../source/ui/i18n.js";
import { applies, KEYMAP, keySequence } from "../../source/ui/keymap.js";
import { createRuntime, type Runtime } from "../../source/ui/runtime.js";
import { createStore, type Store } from "../../source/ui/store.js";

export interface Screen {
  store: Store;
  session: Session;
  runtime: Runtime;
  /** The frame as plain text (ANSI removed), one string per row. */
  lines(): string[];
  text(): string;
  press(action: Action, times?: number): Promise<void>;
  type(text: string): Promise<void>;
  waitFor(pred: (text: string, s: UiState) => boolean, what: string, ms?: number): Promise<void>;
  resize(size: Size): Promise<void>;
  quit(): Promise<void>;
  quitCalled: () => boolean;
}

const ANSI = /\u001B\[[0-9;?]*[ -/]*[@-~]/g;
const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

export function keyFor(action: Action, ctx: KeyContext): string {
  const b = KEYMAP.find((x) => x.action === action && applies(x, ctx));
  if (!b) throw new Error(`the keymap has no key for ${action} in ${ctx}`);
  return b.keys[0]!;
}

export async function openScreen(
  scenario: string,
  o: {
    size?: Size;
    lang?: Lang;
    args?: string[];
    tailPrefer?: "live" | "polling";
    speed?: number;
    world?: string;
  } = {},
): Promise<Screen> {
  const where = o.world ? ["--world", o.world] : ["--sandbox", scenario];
  const opts = parseArgs([...where, "--speed", String(o.speed ?? 10), ...(o.args ?? [])], {});
  const session = await openSession(opts, o.world ? undefined : scenario);
  let quitCalled = false;
  const runtime = createRuntime({
    onQuit: () => (quitCalled = true),
    tailPollMs: 300,
    tailPrefer: o.tailPrefer,
    coalesceMs: 20,
  });
  const size = o.size ?? { cols: 80, rows: 24 };
  const store = createStore(
    initialState({
      target: session.target,
      session: { sandbox: scenario, readOnly: opts.readOnly },
      size,
      now: Date.now(),
      noColor: true,
    }),
    (e, s) => runtime.run(e, s),
  );
  const t = catalog(o.lang ?? "en");
  const ink = render(<App store={store} t={t} />);
  runtime.attach(session.clients);
  store.dispatch({
    type: "connected",
    target: session.target,
    session: { sandbox: scenario, readOnly: opts.readOnly },
  });
  runtime.start(store);
  const frame = () => (ink.lastFrame() ?? "").replace(ANSI, "");
  const screen: Screen = {
    store,
    session,
    runtime,
    lines: () => frame().split("\n"),
    text: frame,
    async press(action, times = 1) {
      for (let i = 0; i < times; i++) {
        const k = keyFor(action, keyContext(store.getState()));
        ink.stdin.write(keySequence(k));
        await tick();
      }
    },
    async type(text) {
      for (const ch of text) {
        ink.stdin.write(ch);
        await tick(10);
      }
      await tick();
    },
    async waitFor(pred, what, ms = 10_000) {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (pred(frame(), store.getState())) return;
        await tick(50);
      }
      throw new Error(`timed out waiting for ${what}; the screen shows:\n${frame()}`);
    },
    async resize(sz) {
      store.dispatch({ type: "resize", size: sz });
      await tick();
    },
    async quit() {
      runtime.stop();
      ink.unmount();
      await session.close();
    },
    quitCalled: () => quitCalled,
  };
  return screen;
}
