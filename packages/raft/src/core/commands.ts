import { hasUncommittedConfig, lastIndex, makeSnapshot, termAt } from "./log.js";
import { appendLocal, broadcastAppend, maybeCommit, sendAppend } from "./replicate.js";
import type { NodeId, RaftState } from "./types.js";
import type { Work } from "./work.js";

/**
 * Local commands: a client's proposal, single-server membership changes (dissertation §4.1),
 * and log compaction (§7). Each either changes the leader's log or says why it was not taken.
 */

export function propose(w: Work, value: unknown): void {
  const s = w.s;
  if (s.role !== "leader") {
    w.rejected = `${s.id} is not the leader${s.leader ? ` (the leader is ${s.leader})` : ""}`;
    return;
  }
  appendLocal(w, { term: s.term, value });
  broadcastAppend(w, true);
  maybeCommit(w);
}

/** Why this leader cannot take a membership change now (dissertation §4.1 and its §4.1 bug fix). */
export function membershipBlocker(s: RaftState): string | null {
  if (s.role !== "leader") return `${s.id} is not the leader`;
  if (hasUncommittedConfig(s)) return "a configuration change is already in progress";
  if (termAt(s, s.commitIndex) !== s.term) return "the leader has not yet committed an entry in its term";
  return null;
}

export function changeMembership(w: Work, id: NodeId, add: boolean): void {
  const s = w.s;
  const blocked = membershipBlocker(s);
  if (blocked) { w.rejected = blocked; return; }
  if (add === s.config.includes(id)) {
    w.rejected = add ? `${id} is already a member` : `${id} is not a member`;
    return;
  }
  if (!add && s.config.length === 1) { w.rejected = "cannot remove the last server"; return; }
  const config = add ? [...s.config, id] : s.config.filter((m) => m !== id);
  const before = lastIndex(s);
  appendLocal(w, { term: s.term, value: add ? { addServer: id } : { removeServer: id }, config });
  if (add && id !== s.id) s.progress = { ...s.progress, [id]: { next: before + 1, match: 0, active: true } };
  // A removed follower keeps getting entries until its removal commits, so it learns of it.
  broadcastAppend(w, true);
  if (add) sendAppend(w, id);
  maybeCommit(w);
}

/** §7: discard the log up to `index`, keeping the state machine's state as the snapshot. */
export function compact(w: Work, index: number, data: unknown): void {
  const s = w.s;
  const offset = s.snapshot?.index ?? 0;
  if (!(Number.isInteger(index) && index > offset && index <= s.lastApplied)) {
    w.rejected = `cannot compact to ${index}: want an applied index after ${offset} (applied ${s.lastApplied})`;
    return;
  }
  const snap = makeSnapshot(s, index, data);
  s.log = s.log.slice(index - offset);
  s.snapshot = snap;
}
