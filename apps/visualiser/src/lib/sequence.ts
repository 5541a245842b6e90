import type { Micros, NodeId, TraceRecord } from "@drydock/kernel";

/** Most lanes the diagram shows (the first members of a large cluster). */
export const LANES_MAX = 9;

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
 * Only messages between two of `lanes` are kept, at most `limit` of the latest.
 */
export function buildArrows(
  trace: readonly TraceRecord[], now: Micros, windowUs: Micros, lanes: readonly NodeId[],
  label: (msg: unknown) => string, limit = 400,
): Arrow[] {
  const laneSet = new Set(lanes);
  const ends = new Map<number, { t: Micros; reason: string | null }>();
  const out: Arrow[] = [];
  const from = now - windowUs;
  for (let i = trace.length - 1; i >= 0 && out.length < limit; i--) {
    const r = trace[i]!;
    if (r.t < from) break;
    if (r.type === "deliver") ends.set(r.id, { t: r.t, reason: null });
    else if (r.type === "drop") ends.set(r.id, { t: r.t, reason: r.reason });
    else if (r.type === "send" && laneSet.has(r.from) && laneSet.has(r.to)) {
      const end = ends.get(r.id);
      out.push({
        id: r.id, from: r.from, to: r.to, sentAt: r.t, endAt: end ? end.t : null, label: label(r.msg),
        dropped: end?.reason ?? null,
      });
    }
  }
  return out.reverse();
}
