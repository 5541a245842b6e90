import type { Micros, NodeId, TraceRecord } from "@drydock/kernel";
import type { Actor } from "./scenario.js";

/** Most lanes the diagram shows (the first members of a large cluster, then one for the rest). */
export const LANES_MAX = 9;

/** The lane that stands for every actor past the first LANES_MAX - 1. */
export const OTHERS = "others";
const OTHERS_ACTOR: Actor = { id: OTHERS, label: "others", kind: "others" };

/** Most arrows the diagram draws: the latest of the window (the header says how many it left out). */
export const ARROWS_MAX = 400;

/**
 * The diagram's lanes: every actor, or LANES_MAX - 1 of them and one lane for all the others. The
 * ones in `first` (a crashed member, the watched one: actor ids) always get their own lane; the
 * rest are the first actors. Lanes keep the actors' order.
 */
export function laneList(actors: readonly Actor[], first: readonly string[] = []): Actor[] {
  if (actors.length <= LANES_MAX) return [...actors];
  const ids = new Set(actors.map((a) => a.id));
  const keep = new Set<string>();
  for (const n of first) if (keep.size < LANES_MAX - 1 && ids.has(n)) keep.add(n);
  for (const a of actors) {
    if (keep.size >= LANES_MAX - 1) break;
    keep.add(a.id);
  }
  return [...actors.filter((a) => keep.has(a.id)), OTHERS_ACTOR];
}

/** One message as an arrow of the sequence (Lamport) diagram, between two lanes (actor ids). */
export interface Arrow {
  readonly id: number;
  readonly from: string;
  readonly to: string;
  readonly sentAt: Micros;
  /** Delivery or drop time; null while the message is still in flight. */
  readonly endAt: Micros | null;
  readonly label: string;
  /** Why it never arrived, when it did not. */
  readonly dropped: string | null;
}

/** What the diagram shows, and what it says it left out. */
export interface Sequence {
  readonly lanes: readonly Actor[];
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
 * A record's sender and receiver are mapped to their actors (`actorOf`, by default the node
 * itself); only messages between two of `lanes` are kept (an OTHERS lane takes every unlisted
 * actor, and messages among the others alone are left out), at most `limit` of the latest;
 * `total` counts all. `hidden`: kinds of message the view hides (their arrows go too, uncounted).
 */
export function buildSequence(
  trace: readonly TraceRecord[], now: Micros, windowUs: Micros, lanes: readonly Actor[],
  label: (msg: unknown) => string, limit = ARROWS_MAX, hidden?: (msg: unknown) => boolean, complete = true,
  actorOf: (endpoint: NodeId) => string | null = (n) => n,
): Sequence {
  const laneSet = new Set(lanes.map((a) => a.id));
  const others = laneSet.has(OTHERS);
  const lane = (n: NodeId): string | null => {
    const a = actorOf(n);
    return a === null ? null : laneSet.has(a) ? a : others ? OTHERS : null;
  };
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
  trace: readonly TraceRecord[], now: Micros, windowUs: Micros, lanes: readonly Actor[], label: (msg: unknown) => string, limit = ARROWS_MAX,
): Arrow[] {
  return [...buildSequence(trace, now, windowUs, lanes, label, limit).arrows];
}
