import { hasUncommittedConfig, lastIndex, slice, termAt } from "./log.js";
import type { AppendEntries, Entry, InstallSnapshot, NodeId, Progress } from "./types.js";
import { quorum, send, type Work } from "./work.js";

/**
 * The leader's side of log replication (paper §5.3, Figure 2's AppendEntries; §7's
 * InstallSnapshot): appending to its own log, shipping entries to followers, and advancing
 * the commit index. What a leader does with the replies is in leader.ts; the follower's side
 * is in follower.ts.
 */

/** Heartbeats share one empty list: the trace holds every message, so this saves an array each. */
const NO_ENTRIES: readonly Entry[] = Object.freeze([]);

/** Sends `to` the entries from its nextIndex, or the snapshot when they are compacted away. */
export function sendAppend(w: Work, to: NodeId): void {
  const s = w.s;
  const pr = s.progress[to];
  if (!pr) return;
  const offset = s.snapshot?.index ?? 0;
  if (pr.next - 1 < offset) {
    const snap = s.snapshot!;
    const msg: InstallSnapshot = {
      type: "InstallSnapshot", term: s.term, leaderId: s.id,
      lastIncludedIndex: snap.index, lastIncludedTerm: snap.term, config: snap.config, data: snap.data,
    };
    send(w, to, msg);
    return;
  }
  const last = lastIndex(s);
  const msg: AppendEntries = {
    type: "AppendEntries", term: s.term, leaderId: s.id,
    prevLogIndex: pr.next - 1, prevLogTerm: termAt(s, pr.next - 1)!,
    entries: pr.next <= last ? slice(s, pr.next, Math.min(last, pr.next + s.options.maxEntriesPerMessage - 1)) : NO_ENTRIES,
    leaderCommit: s.commitIndex,
  };
  send(w, to, msg);
}

/** Heartbeats (§5.2): an AppendEntries to every follower, carrying whatever it still lacks. */
export function broadcastAppend(w: Work, onlyInSync: boolean): void {
  const s = w.s;
  const last = lastIndex(s);
  for (const id in s.progress) {
    const pr = s.progress[id]!;
    // A follower being probed gets new entries with its next response or heartbeat.
    if (onlyInSync && (pr.match + 1 !== pr.next || pr.next > last)) continue;
    sendAppend(w, id);
  }
}

/** The leader appends to its own log (the entries before are shared, not copied). */
export function appendLocal(w: Work, entry: Entry): number {
  const s = w.s;
  s.log = s.log.append([entry]);
  const index = lastIndex(s);
  if (index < w.dirtyFrom) w.dirtyFrom = index;
  if (entry.config) s.config = entry.config;
  return index;
}

function descending(a: number, b: number): number {
  return b - a;
}

/**
 * §5.3/§5.4.2: commitIndex = the highest N that a majority has replicated, but only when
 * log[N].term is the current term (Figure 8: an older term's entry is never committed by
 * counting replicas; it commits indirectly, with the first entry of the leader's own term).
 */
export function maybeCommit(w: Work): void {
  const s = w.s;
  const last = lastIndex(s);
  const matches: number[] = [];
  for (const id of s.config) matches.push(id === s.id ? last : s.progress[id]?.match ?? 0);
  matches.sort(descending);
  const n = matches[quorum(s.config) - 1] ?? 0;
  if (n > s.commitIndex && termAt(s, n) === s.term) {
    s.commitIndex = n;
    afterConfigCommitted(w);
  }
}

/** Dissertation §4.2.2: once its removal commits, a leader steps down; removed servers stop being replicated to. */
function afterConfigCommitted(w: Work): void {
  const s = w.s;
  if (hasUncommittedConfig(s)) return;
  let pruned: Record<NodeId, Progress> | null = null;
  for (const id in s.progress) {
    if (!s.config.includes(id) && s.progress[id]!.learnerSince === undefined) {
      pruned ??= { ...s.progress };
      delete pruned[id];
    }
  }
  if (pruned) s.progress = pruned;
}
