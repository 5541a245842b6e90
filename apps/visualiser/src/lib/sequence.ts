import type { Micros, NodeId, TraceRecord } from "@drydock/kernel";

/** Most lanes the diagram shows (the first members of a large cluster, then one for the rest). */
export const LANES_MAX = 9;

/** The lane that stands for every node past the first LANES_MAX - 1. */
export const OTHERS = "others";

/** Most arrows the diagram draws: the latest of the window (the header says how many it left out). */
export const ARROWS_MAX = 400;

/**
 * The diagram's lanes: every node, or LANES_MAX - 1 of them and one lane for all the others. The
 * ones in `first` (a crashed member, the watched one) always get their own lane; the rest are the
 * first nodes. Lanes keep the nodes' order.
 */
export function laneList(nodes: readonly NodeId[], first: readonly NodeId[] = []): NodeId[] {
  if (nodes.length <= LANES_MAX) return [...nodes];
  const keep = new Set<NodeId>();
  for (const n of first) if (keep.size < LANES_MAX - 1 && nodes.includes(n)) keep.add(n);
  for (const n of nodes) {
    if (keep.size >= LANES_MAX - 1) break;
    keep.add(n);
  }
  return [...nodes.filter((n) => keep.has(n)), OTHERS];
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

/** What the diagram shows, and what it says it left out. */
export interface Sequence {
  readonly lanes: readonly NodeId[];
  /** The latest `ARROWS_MAX` messages of the window between the lanes, oldest first. */
  readonly arrows: readonly Arrow[];
  /** Messages of the window between the lanes: more than `arrows.length` when the oldest were left out. */
  readonly total: number;
  /** When the trace held no records from the window's start: the time it starts at (else null). */
  readonly fromUs: Micros | null;
}

/**
 * The arrows of messages sent in the `windowUs` before `now`, read backwards from the end of the
 * trace (which holds exactly the records up to now), so the cost follows the window, not the run.
 * Only messages between two of `lanes` are kept (an OTHERS lane takes every unlisted node, and
 * messages among the others alone are left out), at most `limit` of the latest; `total` counts all.
 * `hidden`: kinds of message the view hides (their arrows go too, and are not counted).
 */
export function buildSequence(
  trace: readonly TraceRecord[], now: Micros, windowUs: Micros, lanes: readonly NodeId[],
  label: (msg: unknown) => string, limit = ARROWS_MAX, hidden?: (msg: unknown) => boolean, complete = true,
): Sequence {
  const laneSet = new Set(lanes);
  const others = laneSet.has(OTHERS);
  const lane = (n: NodeId): NodeId | null => (laneSet.has(n) ? n : others ? OTHERS : null);
  const ends = new Map<number, { t: Micros; reason: string | null }>();
  const out: Arrow[] = [];
  const from = now - windowUs;
  let total = 0;
  let reached = complete;
  for (let i = trace.length - 1; i >= 0; i--) {
    const r = trace[i]!;
    if (r.t < from) {
      reached = true;
      break;
    }
    if (r.type === "deliver") ends.set(r.id, { t: r.t, reason: null });
    else if (r.type === "drop") ends.set(r.id, { t: r.t, reason: r.reason });
    else if (r.type === "send") {
      const a = lane(r.from);
      const b = lane(r.to);
      if (a === null || b === null || (a === OTHERS && b === OTHERS)) continue;
      if (hidden?.(r.msg)) continue;
      total++;
      if (out.length >= limit) continue;
      const end = ends.get(r.id);
      out.push({ id: r.id, from: a, to: b, sentAt: r.t, endAt: end ? end.t : null, label: label(r.msg), dropped: end?.reason ?? null });
    }
  }
  const first = trace[0];
  return { lanes, arrows: out.reverse(), total, fromUs: reached || from <= 0 || !first ? null : first.t };
}

/** The arrows alone (tests and tools). */
export function buildArrows(
  trace: readonly TraceRecord[], now: Micros, windowUs: Micros, lanes: readonly NodeId[], label: (msg: unknown) => string, limit = ARROWS_MAX,
): Arrow[] {
  return [...buildSequence(trace, now, windowUs, lanes, label, limit).arrows];
}
