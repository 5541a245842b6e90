import { hasUncommittedConfig, lastIndex, lastIndexOfTerm, termAt } from "./log.js";
import { appendLocal, broadcastAppend, maybeCommit, sendAppend } from "./replicate.js";
import { becomeFollower } from "./roles.js";
import type { AppendEntriesResponse, InstallSnapshotResponse, NodeId, Progress, RaftState } from "./types.js";
import { quorum, type RoleFns, type RoleInput, type Work } from "./work.js";

/**
 * The leader (etcd's stepLeader and tickHeartbeat): it takes client proposals and single-server
 * membership changes (dissertation §4.1), acts on its followers' replies, sends heartbeats,
 * and, with CheckQuorum, steps down when it has lost touch with a quorum.
 */

export const leader: RoleFns = { step: stepLeader, tick: tickHeartbeat };

function stepLeader(w: Work, input: RoleInput): void {
  switch (input.type) {
    case "propose": propose(w, input.value); return;
    case "addServer": changeMembership(w, input.id, true); return;
    case "removeServer": changeMembership(w, input.id, false); return;
    case "message": {
      const m = input.message;
      if (m.type === "AppendEntriesResponse") handleAppendResponse(w, input.from, m);
      else if (m.type === "InstallSnapshotResponse") handleSnapshotResponse(w, input.from, m);
      // Another leader in our term cannot exist (Election Safety); vote replies come too late.
      return;
    }
  }
}

function tickHeartbeat(w: Work): void {
  const s = w.s;
  const now = w.env.now;
  if (s.heartbeatDeadline !== null && now >= s.heartbeatDeadline) {
    s.heartbeatDeadline = now + s.options.heartbeatInterval;
    abortStalledLearners(w);
    broadcastAppend(w, false);
  }
  if (s.options.checkQuorum && now >= s.electionDeadline) {
    s.electionDeadline = now + s.options.electionTimeoutMin;
    checkQuorum(w);
  }
}

/** Dissertation §6.2: a leader that has not heard from a quorum for an election timeout steps down. */
function checkQuorum(w: Work): void {
  const s = w.s;
  let active = 0;
  for (const id of s.config) if (id === s.id || s.progress[id]?.active) active++;
  if (active < quorum(s.config)) {
    becomeFollower(w, s.term, null);
    return;
  }
  const progress: Record<NodeId, Progress> = {};
  for (const id in s.progress) progress[id] = { ...s.progress[id]!, active: false };
  s.progress = progress;
}

// ---- client commands ----------------------------------------------------------------------

/** §5.3: the leader appends the command to its log (without copying it) and sends it on. */
function propose(w: Work, value: unknown): void {
  appendLocal(w, { term: w.s.term, value });
  broadcastAppend(w, true);
  maybeCommit(w);
}

/** Why this server cannot take a membership change now (dissertation §4.1 and its §4.1 bug fix). */
export function membershipBlocker(s: RaftState): string | null {
  if (s.role !== "leader") return `${s.id} is not the leader`;
  if (hasUncommittedConfig(s)) return "a configuration change is already in progress";
  if (termAt(s, s.commitIndex) !== s.term) return "the leader has not yet committed an entry in its term";
  for (const id in s.progress) if (s.progress[id]!.learnerSince !== undefined) return `${id} is still catching up to join`;
  return null;
}

function changeMembership(w: Work, id: NodeId, add: boolean): void {
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

function appendConfig(w: Work, id: NodeId, add: boolean): void {
  const s = w.s;
  const config = add ? [...s.config, id] : s.config.filter((m) => m !== id);
  appendLocal(w, { term: s.term, value: add ? { addServer: id } : { removeServer: id }, config });
  // A removed follower keeps getting entries until its removal commits, so it learns of it.
  broadcastAppend(w, true);
  maybeCommit(w);
}

/** §4.2.1: a learner that has not caught up within ten election timeouts is dropped; the change is abandoned. */
function abortStalledLearners(w: Work): void {
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
function promoteIfCaughtUp(w: Work, id: NodeId): void {
  const s = w.s;
  const pr = s.progress[id];
  if (!pr || pr.learnerSince === undefined) return;
  if (pr.match < s.commitIndex || lastIndex(s) - pr.match > s.options.maxEntriesPerMessage) return;
  s.progress = { ...s.progress, [id]: { next: pr.next, match: pr.match, active: pr.active } };
  appendConfig(w, id, true);
}

// ---- followers' replies -------------------------------------------------------------------

function setProgress(w: Work, id: NodeId, pr: Progress): void {
  // Copied, then assigned: faster in V8 than `{ ...progress, [id]: pr }`, and done on most replies.
  const progress: Record<NodeId, Progress> = { ...w.s.progress };
  progress[id] = pr;
  w.s.progress = progress;
}

function handleAppendResponse(w: Work, from: NodeId, m: AppendEntriesResponse): void {
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

function handleSnapshotResponse(w: Work, from: NodeId, m: InstallSnapshotResponse): void {
  const pr = w.s.progress[from];
  if (!pr) return;
  if (m.lastIncludedIndex > pr.match) {
    setProgress(w, from, { ...pr, next: Math.max(pr.next, m.lastIncludedIndex + 1), match: m.lastIncludedIndex, active: true });
    if (pr.learnerSince !== undefined) promoteIfCaughtUp(w, from);
    maybeCommit(w);
    if (w.s.progress[from] && w.s.progress[from]!.next <= lastIndex(w.s)) sendAppend(w, from);
  } else if (!pr.active) setProgress(w, from, { ...pr, active: true });
}
