import { retransmitLimit } from "./params.js";
import { NO_UPDATES, updateSize, type Update } from "./messages.js";
import type { QueueEntry, SwimState } from "./state.js";

/**
 * memberlist's TransmitLimitedQueue (queue.go): each member queues the updates it learned; every
 * outgoing packet takes the least-transmitted ones that fit, and an update is dropped after
 * RetransmitMult × ceil(log10(n + 1)) transmissions (SWIM §4.1: λ log n). A newer update about the
 * same member replaces the queued one.
 */
export function enqueue(s: SwimState, node: number, update: Update, name: string): void {
  let q = s.queues[node];
  if (!q) s.queues[node] = q = [];
  for (let i = 0; i < q.length; i++) {
    if (q[i]!.name === name) { q.splice(i, 1); break; }
  }
  q.push({ update, name, bytes: updateSize(update) + 2, id: s.nextId++, transmits: 0 });
}

const byTransmitsThenNewest = (a: QueueEntry, b: QueueEntry): number => a.transmits - b.transmits || b.id - a.id;

/** The updates to piggyback on one packet with `bytesAvail` bytes to spare. */
export function takeBroadcasts(s: SwimState, node: number, bytesAvail: number): readonly Update[] {
  const q = s.queues[node];
  if (!q || q.length === 0) return NO_UPDATES;
  if (q.length > 1) q.sort(byTransmitsThenNewest);
  const limit = retransmitLimit(s.params.retransmitMult, s.known[node]!);
  const out: Update[] = [];
  let used = 0;
  let kept = 0;
  for (let i = 0; i < q.length; i++) {
    const e = q[i]!;
    if (used + e.bytes <= bytesAvail) {
      out.push(e.update);
      used += e.bytes;
      e.transmits++;
      if (e.transmits >= limit) continue;
    }
    q[kept++] = e;
  }
  q.length = kept;
  return out;
}

export function queueLength(s: SwimState, node: number): number {
  return s.queues[node]?.length ?? 0;
}
