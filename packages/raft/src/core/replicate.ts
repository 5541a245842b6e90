import {
  configAt, firstIndexOfTerm, hasUncommittedConfig, lastIndex, lastIndexOfTerm, slice, termAt,
} from "./log.js";
import type {
  AppendEntries, AppendEntriesResponse, Entry, InstallSnapshot, InstallSnapshotResponse, NodeId, Progress,
} from "./types.js";
import { promoteIfCaughtUp } from "./commands.js";
import { quorum, send, type Work } from "./work.js";

/**
 * Log replication (paper §5.3, Figure 2's AppendEntries) and snapshots (§7, Figure 13), on the
 * leader's side and the follower's.
 */

// ---- leader ---------------------------------------------------------------------------------

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

function setProgress(w: Work, id: NodeId, pr: Progress): void {
  w.s.progress = { ...w.s.progress, [id]: pr };
}

export function appendLocal(w: Work, entry: Entry): number {
  const s = w.s;
  s.log = [...s.log, entry];
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

export function handleAppendResponse(w: Work, from: NodeId, m: AppendEntriesResponse): void {
  const s = w.s;
  const pr = s.progress[from];
  if (!pr) return;
  if (m.success) {
    if (m.matchIndex > pr.match) {
      setProgress(w, from, { ...pr, next: Math.max(pr.next, m.matchIndex + 1), match: m.matchIndex, active: true });
      if (pr.learnerSince !== undefined) promoteIfCaughtUp(w, from);
      maybeCommit(w);
      if (s.progress[from] && s.progress[from]!.next <= lastIndex(s)) sendAppend(w, from);
    } else if (!pr.active) setProgress(w, from, { ...pr, active: true });
    return;
  }
  // A rejection for an older probe (reordered or duplicated) says nothing about nextIndex now.
  if (m.rejectedIndex !== pr.next - 1) {
    if (!pr.active) setProgress(w, from, { ...pr, active: true });
    return;
  }
  let next = pr.next - 1; // §5.3: decrement nextIndex and retry
  if (s.options.fastBacktrack && m.conflictIndex !== undefined) {
    // §5.3 (end): skip the whole conflicting term in one round trip.
    const inLeader = m.conflictTerm !== undefined ? lastIndexOfTerm(s, m.conflictTerm) : 0;
    next = inLeader > 0 ? inLeader + 1 : m.conflictIndex;
  }
  next = Math.max(pr.match + 1, Math.min(next, pr.next - 1), 1);
  setProgress(w, from, { ...pr, next, active: true });
  sendAppend(w, from);
}

export function handleSnapshotResponse(w: Work, from: NodeId, m: InstallSnapshotResponse): void {
  const pr = w.s.progress[from];
  if (!pr) return;
  if (m.lastIncludedIndex > pr.match) {
    setProgress(w, from, { ...pr, next: Math.max(pr.next, m.lastIncludedIndex + 1), match: m.lastIncludedIndex, active: true });
    if (pr.learnerSince !== undefined) promoteIfCaughtUp(w, from);
    maybeCommit(w);
    if (w.s.progress[from] && w.s.progress[from]!.next <= lastIndex(w.s)) sendAppend(w, from);
  } else if (!pr.active) setProgress(w, from, { ...pr, active: true });
}

// ---- follower -------------------------------------------------------------------------------

/** Figure 2, AppendEntries receiver implementation, steps 2–5 (step 1, the term, is settled by step()). */
export function handleAppendEntries(w: Work, from: NodeId, m: AppendEntries): void {
  const s = w.s;
  const offset = s.snapshot?.index ?? 0;
  let prevIndex = m.prevLogIndex;
  let prevTerm = m.prevLogTerm;
  let entries = m.entries;
  if (prevIndex < offset) {
    // Entries up to the snapshot are committed, so they match the leader's (Log Matching).
    const skip = offset - prevIndex;
    if (skip >= entries.length) {
      reply(w, from, { type: "AppendEntriesResponse", term: s.term, success: true, matchIndex: offset });
      return;
    }
    prevTerm = entries[skip - 1]!.term;
    prevIndex = offset;
    entries = entries.slice(skip);
  }
  const have = termAt(s, prevIndex);
  if (have !== prevTerm) {
    // Step 2: reply false if the log has no entry at prevLogIndex whose term matches prevLogTerm.
    let resp: AppendEntriesResponse = {
      type: "AppendEntriesResponse", term: s.term, success: false, matchIndex: 0, rejectedIndex: m.prevLogIndex,
    };
    if (s.options.fastBacktrack) {
      resp = have === undefined
        ? { ...resp, conflictIndex: lastIndex(s) + 1 }
        : { ...resp, conflictTerm: have, conflictIndex: firstIndexOfTerm(s, have, prevIndex) };
    }
    reply(w, from, resp);
    return;
  }
  // Steps 3–4: delete a conflicting entry and all that follow it; append entries not already there.
  let i = 0;
  for (; i < entries.length; i++) {
    const t = termAt(s, prevIndex + 1 + i);
    if (t === undefined) break;
    if (t !== entries[i]!.term) {
      const at = prevIndex + 1 + i;
      if (at <= s.commitIndex) throw new Error(`raft ${s.id}: AppendEntries would truncate committed entry ${at}`);
      s.log = s.log.slice(0, at - offset - 1);
      if (at < w.dirtyFrom) w.dirtyFrom = at;
      s.config = configAt(s, lastIndex(s));
      break;
    }
  }
  if (i < entries.length) {
    const rest = entries.slice(i);
    const at = lastIndex(s) + 1;
    s.log = s.log.concat(rest);
    if (at < w.dirtyFrom) w.dirtyFrom = at;
    for (let k = rest.length - 1; k >= 0; k--) {
      const c = rest[k]!.config;
      if (c) { s.config = c; break; }
    }
  }
  // Step 5: commitIndex = min(leaderCommit, index of last new entry).
  const lastNew = prevIndex + entries.length;
  const commit = Math.min(m.leaderCommit, lastNew);
  if (commit > s.commitIndex) s.commitIndex = commit;
  reply(w, from, { type: "AppendEntriesResponse", term: s.term, success: true, matchIndex: lastNew });
}

function reply(w: Work, to: NodeId, m: AppendEntriesResponse): void {
  send(w, to, m);
}

/** Figure 13, InstallSnapshot receiver implementation (sent whole, so steps 2–5 collapse). */
export function handleInstallSnapshot(w: Work, from: NodeId, m: InstallSnapshot): void {
  const s = w.s;
  if (m.lastIncludedIndex > s.commitIndex) {
    const offset = s.snapshot?.index ?? 0;
    // Step 6: keep the entries after the snapshot when the log holds its last entry; else discard all.
    s.log = termAt(s, m.lastIncludedIndex) === m.lastIncludedTerm ? s.log.slice(m.lastIncludedIndex - offset) : [];
    s.snapshot = { index: m.lastIncludedIndex, term: m.lastIncludedTerm, config: m.config, data: m.data };
    s.commitIndex = m.lastIncludedIndex;
    s.lastApplied = m.lastIncludedIndex;
    s.config = configAt(s, lastIndex(s));
    if (m.lastIncludedIndex + 1 < w.dirtyFrom) w.dirtyFrom = m.lastIncludedIndex + 1;
    // Step 8: reset the state machine from the snapshot.
    w.restore = s.snapshot;
  }
  const resp: InstallSnapshotResponse = { type: "InstallSnapshotResponse", term: s.term, lastIncludedIndex: m.lastIncludedIndex };
  send(w, from, resp);
}
