// The store: holds the one state, runs `update` for each message and hands the effects to the
// runtime. Subscribers (the React view) are told after each change; log lines are coalesced by
// the runtime, not here.

import { type Effect, type Msg, type UiState, update } from "../flow/ui-state.js";

export interface Store {
  getState(): UiState;
  dispatch(msg: Msg): void;
  subscribe(listener: () => void): () => void;
}

export function createStore(initial: UiState, onEffect: (e: Effect, store: Store) => void): Store {
  let state = initial;
  const listeners = new Set<() => void>();
  const store: Store = {
    getState: () => state,
    dispatch(msg) {
      const r = update(state, msg);
      const changed = r.state !== state;
      state = r.state;
      if (changed) for (const l of listeners) l();
      for (const e of r.effects) onEffect(e, store);
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return store;
}
