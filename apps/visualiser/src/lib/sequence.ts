import type { Micros, NodeId, TraceRecord } from "@drydock/kernel";

/** Most lanes the diagram shows (the first members of a large cluster, then one for the rest). */
export const LANES_MAX = 9;

/** The lane that stands for every node past the first LANES_MAX - 1. */
export const OTHERS = "others";

/** The diagram's lanes: every node, or the first few and one lane for all the others. */
export function laneList(nodes: readonly NodeId[]): NodeId[] {
  return nodes.length <= LANES_MAX ? [...nodes] : [...nodes.slice(0, LANES_MAX - 1), OTHERS];
}

/** One message as an arrow of the sequence (Lamport) diagram. */
export interface Arrow {
  readonly id: number;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly sentAt: Micros;
  /** Delivery or drop time; null while the message is still in flight. */
  readonly endAt: Micros | null;
  readonly label: string;
  /** Why it never arrived, when it did not. */
  readonly dropped: string | null;
}

/**
 * The arrows of messages sent in the `windowUs` before `now`, read backwards from the end of the
 * trace (which holds exactly the records up to now), so the cost follows the window, not the run.
 * Only messages between two of `lanes` are kept (an OTHERS lane takes every unlisted node), at
 * most `limit` of the latest.
 */
export function buildArrows(
  trace: readonly TraceRecord[], now: Micros, windowUs: Micros, lanes: readonly NodeId[],
  label: (msg: unknown) => string, limit = 400,
): Arrow[] {
  const laneSet = new Set(lanes);
  const others = laneSet.has(OTHERS);
  const lane = (n: NodeId): NodeId | null => (laneSet.has(n) ? n : others ? OTHERS : null);
  const ends = new Map<number, { t: Micros; reason: string | null }>();
  const out: Arrow[] = [];
  const from = now - windowUs;
  for (let i = trace.length - 1; i >= 0 && out.length < limit; i--) {
    const r = trace[i]!;
    if (r.t < from) break;
    if (r.type === "deliver") ends.set(r.id, { t: r.t, reason: null });
    else if (r.type === "drop") ends.set(r.id, { t: r.t, reason: r.reason });
    else if (r.type === "send") {
      const from = lane(r.from);
      const to = lane(r.to);
      // Messages among the others alone would fill the diagram with noise: one end must be listed.
      if (from === null || to === null || (from === OTHERS && to === OTHERS)) continue;
      const end = ends.get(r.id);
      out.push({
        id: r.id, from, to, sentAt: r.t, endAt: end ? end.t : null, label: label(r.msg),
        dropped: end?.reason ?? null,
      });
    }
  }
  return out.reverse();
}
