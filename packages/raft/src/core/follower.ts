import { configAt, firstIndexOfTerm, lastIndex, termAt } from "./log.js";
import { hup } from "./roles.js";
import type { AppendEntries, AppendEntriesResponse, InstallSnapshot, InstallSnapshotResponse, NodeId } from "./types.js";
import { promotable, resetElectionTimer, send, type RoleFns, type RoleInput, type Work } from "./work.js";

/**
 * The follower (etcd's stepFollower and tickElection): it takes entries and snapshots from the
 * leader of its term (Figure 2's AppendEntries receiver, Figure 13's InstallSnapshot receiver),
 * and starts an election when it has heard from no leader for an election timeout.
 */

export const follower: RoleFns = { step: stepFollower, tick: tickElection };

function stepFollower(w: Work, input: RoleInput): void {
  if (input.type !== "message") {
    refuseCommand(w, input);
    return;
  }
  const m = input.message;
  if (m.type === "AppendEntries" || m.type === "InstallSnapshot") fromLeader(w, input.from, m);
  // Replies to a leader's or candidate's messages are stale here: ignored.
}

/** Followers and candidates: time for an election once the timer runs out (§5.2). */
export function tickElection(w: Work): void {
  const s = w.s;
  if (w.env.now >= s.electionDeadline) {
    resetElectionTimer(w);
    if (promotable(s)) hup(w);
  }
}

/** Only a leader takes client commands (§5.1 sends clients to it; §4.1 changes membership through it). */
export function refuseCommand(w: Work, input: Exclude<RoleInput, { type: "message" }>): void {
  const s = w.s;
  w.rejected = input.type === "propose" ? `${s.id} is not the leader${s.leader ? ` (the leader is ${s.leader})` : ""}` : `${s.id} is not the leader`;
}

/** The leader of our term spoke: remember it, restart the election timer, take its entries or snapshot. */
export function fromLeader(w: Work, from: NodeId, m: AppendEntries | InstallSnapshot): void {
  const s = w.s;
  s.leader = m.leaderId;
  s.leaderContactAt = w.env.now;
  resetElectionTimer(w);
  if (m.type === "AppendEntries") handleAppendEntries(w, from, m);
  else handleInstallSnapshot(w, from, m);
}

/** Figure 2, AppendEntries receiver implementation, steps 2–5 (step 1, the term, is settled by step()). */
function handleAppendEntries(w: Work, from: NodeId, m: AppendEntries): void {
  const s = w.s;
  const offset = s.snapshot?.index ?? 0;
  let prevIndex = m.prevLogIndex;
  let prevTerm = m.prevLogTerm;
  let entries = m.entries;
  if (prevIndex < offset) {
    // Entries up to the snapshot are committed, so they match the leader's (Log Matching).
    const skip = offset - prevIndex;
    if (skip >= entries.length) {
      send(w, from, { type: "AppendEntriesResponse", term: s.term, success: true, matchIndex: offset });
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
    send(w, from, resp);
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
      s.log = s.log.truncate(at - offset - 1);
      if (at < w.dirtyFrom) w.dirtyFrom = at;
      s.config = configAt(s, lastIndex(s));
      break;
    }
  }
  if (i < entries.length) {
    const rest = entries.slice(i);
    const at = lastIndex(s) + 1;
    s.log = s.log.append(rest);
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
  send(w, from, { type: "AppendEntriesResponse", term: s.term, success: true, matchIndex: lastNew });
}

/** Figure 13, InstallSnapshot receiver implementation (sent whole, so steps 2–5 collapse). */
function handleInstallSnapshot(w: Work, from: NodeId, m: InstallSnapshot): void {
  const s = w.s;
  if (m.lastIncludedIndex > s.commitIndex) {
    const offset = s.snapshot?.index ?? 0;
    // Step 6: keep the entries after the snapshot when the log holds its last entry; else discard all.
    s.log = termAt(s, m.lastIncludedIndex) === m.lastIncludedTerm ? s.log.drop(m.lastIncludedIndex - offset) : s.log.truncate(0);
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
