import { DrydockError, type NodeId } from "@drydock/kernel";
import { SwimState } from "./core/state.js";
import { heldPayload } from "./core/swim.js";
import { UNKNOWN, keyStatus } from "./core/views.js";
import { HeartbeatState } from "./heartbeat/state.js";

/**
 * Read-only questions a view asks of either protocol's state, so that callers need not know how
 * the views are stored (a shared base with deviations, or 16-bit heartbeat pairs).
 */
export const SEEN_NAMES = ["unknown", "alive", "suspect", "dead", "left"] as const;
export type SeenName = (typeof SEEN_NAMES)[number];

/** How every member (in node order) sees `member`: an index into SEEN_NAMES per observer. */
export function seenBy(state: SwimState | HeartbeatState, member: NodeId): Uint8Array {
  const j = state.ids.get(member);
  if (j === undefined) throw new DrydockError("ENODE", `unknown member "${member}"`);
  const out = new Uint8Array(state.size);
  if (state instanceof SwimState) {
    for (let i = 0; i < state.size; i++) {
      const key = state.view.get(i, j);
      out[i] = key === UNKNOWN ? 0 : keyStatus(key) + 1;
    }
  } else {
    // Heartbeat pairs: 0 unknown, 1 alive, 2 dead, 3 left.
    const map = [0, 1, 3, 4];
    for (let i = 0; i < state.size; i++) out[i] = map[state.pairs[i * state.cap + j]! >> 14]!;
  }
  return out;
}

export interface PayloadSpread {
  /** The newest version any member holds (Lamport version, ties broken by origin). */
  readonly newest: { readonly value: string; readonly version: number; readonly origin: NodeId } | undefined;
  /** 1 for each member (in node order) that holds the newest version. */
  readonly holders: Uint8Array;
}

export function payloadSpread(state: SwimState | HeartbeatState, key: string): PayloadSpread {
  const n = state.size;
  const held: ({ value: string; version: number; origin: NodeId } | undefined)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    held[i] = state instanceof SwimState ? heldPayload(state, i, key) : state.users[i]!.get(key);
  }
  let newest: { value: string; version: number; origin: NodeId } | undefined;
  for (const h of held) {
    if (h && (!newest || h.version > newest.version || (h.version === newest.version && h.origin > newest.origin))) newest = h;
  }
  const holders = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const h = held[i];
    if (h && newest && h.version === newest.version && h.origin === newest.origin) holders[i] = 1;
  }
  return { newest: newest && { value: newest.value, version: newest.version, origin: newest.origin }, holders };
}
