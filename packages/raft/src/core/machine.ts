import type { CommittedEntry } from "./types.js";

/**
 * What the log drives (paper §2: replicated state machines). States are immutable values, so
 * a snapshot of the machine is the state itself unless `snapshot`/`restore` say otherwise.
 * No-op entries and configuration entries are not passed to `apply`.
 */
export interface StateMachine<S = unknown> {
  readonly name: string;
  init(): S;
  apply(state: S, entry: CommittedEntry): S;
  snapshot?(state: S): unknown;
  restore?(data: unknown): S;
}

export interface CounterState {
  readonly applied: number;
  /** FNV-1a over the applied values in order: equal digests mean equal command sequences. */
  readonly digest: number;
}

/** The default machine: counts applied commands and fingerprints their sequence. */
export const counterMachine: StateMachine<CounterState> = {
  name: "counter",
  init: () => ({ applied: 0, digest: 0x811c9dc5 }),
  apply(state, entry) {
    const text = JSON.stringify(entry.value) ?? "undefined";
    let h = state.digest;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return { applied: state.applied + 1, digest: h };
  },
};

export type KeyValueCommand =
  | { readonly op: "set"; readonly key: string; readonly value: unknown }
  | { readonly op: "delete"; readonly key: string };

/** A key-value store like the swarm store or etcd's keyspace; other commands are ignored. */
export const keyValueMachine: StateMachine<Readonly<Record<string, unknown>>> = {
  name: "kv",
  init: () => ({}),
  apply(state, entry) {
    const c = entry.value as KeyValueCommand | null;
    if (c === null || typeof c !== "object" || typeof c.key !== "string") return state;
    if (c.op === "set") return { ...state, [c.key]: c.value };
    if (c.op === "delete" && Object.hasOwn(state, c.key)) {
      const next = { ...state };
      delete next[c.key];
      return next;
    }
    return state;
  },
};
