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
  for (const id in s.progress) if (s.progress[id]!.learnerSince !== undefined) return `${id} is still catching up to join`;
  return null;
}

/** §4.2.1: a learner that has not caught up within ten election timeouts is dropped; the change is abandoned. */
export function abortStalledLearners(w: Work): void {
  const s = w.s;
  const limit = 10 * s.options.electionTimeoutMax;
  for (const id in s.progress) {
    const since = s.progress[id]!.learnerSince;
    if (since !== undefined && w.env.now - since > limit) {
      const progress = { ...s.progress };
      delete progress[id];
      s.progress = progress;
    }
  }
}

/**
 * §4.2.1: a learner joins the configuration once it holds every committed entry and is within
 * one message of the leader's last entry (so a steady stream of proposals cannot hold it back).
 */
export function promoteIfCaughtUp(w: Work, id: NodeId): void {
  const s = w.s;
  const pr = s.progress[id];
  if (!pr || pr.learnerSince === undefined) return;
  if (pr.match < s.commitIndex || lastIndex(s) - pr.match > s.options.maxEntriesPerMessage) return;
  s.progress = { ...s.progress, [id]: { next: pr.next, match: pr.match, active: pr.active } };
  appendConfig(w, id, true);
}

function appendConfig(w: Work, id: NodeId, add: boolean): void {
  const s = w.s;
  const config = add ? [...s.config, id] : s.config.filter((m) => m !== id);
  appendLocal(w, { term: s.term, value: add ? { addServer: id } : { removeServer: id }, config });
  // A removed follower keeps getting entries until its removal commits, so it learns of it.
  broadcastAppend(w, true);
  maybeCommit(w);
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
  if (add && id !== s.id) {
    const next = lastIndex(s) + 1;
    if (s.options.catchUpNewServers) {
      s.progress = { ...s.progress, [id]: { next, match: 0, active: true, learnerSince: w.env.now } };
      sendAppend(w, id);
      return;
    }
    s.progress = { ...s.progress, [id]: { next, match: 0, active: true } };
  }
  appendConfig(w, id, add);
  if (add) sendAppend(w, id);
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
