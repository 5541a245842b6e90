import { abortStalledLearners, changeMembership, compact, propose } from "./commands.js";
import { configAt, hasUncommittedConfig, isUpToDate, lastIndex, lastTerm, slice } from "./log.js";
import {
  appendLocal, broadcastAppend, handleAppendEntries, handleAppendResponse, handleInstallSnapshot,
  handleSnapshotResponse, maybeCommit,
} from "./replicate.js";
import type {
  CommittedEntry, Entry, Env, NodeId, Persist, Progress, RaftInput, RaftMessage, RaftOptions, RaftState,
  RequestVote, RequestVoteResponse, Snapshot, StepResult,
} from "./types.js";
import { promotable, quorum, resetElectionTimer, send, type Mutable, type Work } from "./work.js";

/**
 * Raft as a pure state machine, after etcd-io/raft's raft.go: `step` settles the input's term
 * first, then hands it to the role's handler; `become*` switch roles. Nothing is sent or
 * slept on: messages, entries to persist and committed entries are returned to the caller.
 */

export const DEFAULT_OPTIONS: RaftOptions = {
  electionTimeoutMin: 150_000,
  electionTimeoutMax: 300_000,
  heartbeatInterval: 50_000,
  preVote: false,
  checkQuorum: false,
  fastBacktrack: false,
  maxEntriesPerMessage: 64,
  catchUpNewServers: false,
};

export interface RaftInit {
  readonly id: NodeId;
  /** The bootstrap configuration (every server's id, this one included). */
  readonly peers: readonly NodeId[];
  readonly options?: Partial<RaftOptions>;
  // Persistent state to start from (the paper's figures set these up directly).
  readonly term?: number;
  readonly votedFor?: NodeId | null;
  readonly log?: readonly Entry[];
  readonly snapshot?: Snapshot | null;
}

export function createRaftState(init: RaftInit, env: Env): RaftState {
  const options = { ...DEFAULT_OPTIONS, ...init.options };
  if (!(options.electionTimeoutMin > 0 && options.electionTimeoutMax >= options.electionTimeoutMin)) {
    throw new RangeError(`raft: invalid election timeout [${options.electionTimeoutMin}, ${options.electionTimeoutMax}]`);
  }
  if (!(options.heartbeatInterval > 0) || !(options.maxEntriesPerMessage >= 1)) throw new RangeError("raft: invalid heartbeat or batch size");
  const log = init.log ?? [];
  let prev = init.snapshot?.term ?? 0;
  for (const e of log) {
    if (!(Number.isInteger(e.term) && e.term >= prev)) throw new RangeError(`raft ${init.id}: log terms must be whole and never decrease`);
    prev = e.term;
  }
  const term = init.term ?? prev;
  if (term < prev) throw new RangeError(`raft ${init.id}: term ${term} is below the log's last term ${prev}`);
  const base = { log, snapshot: init.snapshot ?? null, initialConfig: [...init.peers] };
  const snapIndex = base.snapshot?.index ?? 0;
  const s: Mutable<RaftState> = {
    id: init.id,
    options,
    term,
    votedFor: init.votedFor ?? null,
    ...base,
    role: "follower",
    leader: null,
    commitIndex: snapIndex,
    lastApplied: snapIndex,
    config: configAt(base, snapIndex + log.length),
    electionDeadline: 0,
    leaderContactAt: 0,
    votes: {},
    heartbeatDeadline: null,
    progress: {},
  };
  const w = work(s, env);
  resetElectionTimer(w);
  return s;
}

/** A crash loses the volatile state (Figure 2); what was persisted stays. */
export function crash(state: RaftState): RaftState {
  const snapIndex = state.snapshot?.index ?? 0;
  return {
    ...state,
    role: "follower",
    leader: null,
    commitIndex: snapIndex,
    lastApplied: snapIndex,
    config: configAt(state, lastIndex(state)),
    leaderContactAt: 0,
    votes: {},
    heartbeatDeadline: null,
    progress: {},
  };
}

/** A restarted server starts as a follower with a fresh election timeout. */
export function restart(state: RaftState, env: Env): RaftState {
  const w = work({ ...crash(state) }, env);
  resetElectionTimer(w);
  return w.s;
}

/** When the caller must next step a "tick" (Infinity: nothing is due). */
export function nextDeadline(s: RaftState): number {
  if (s.role === "leader") {
    const hb = s.heartbeatDeadline ?? Infinity;
    return s.options.checkQuorum ? Math.min(hb, s.electionDeadline) : hb;
  }
  return promotable(s) ? s.electionDeadline : Infinity;
}

function work(s: Mutable<RaftState>, env: Env): Work {
  return { s, env, out: [], dirtyFrom: Infinity, restore: undefined, rejected: undefined };
}

export function step(state: RaftState, input: RaftInput, env: Env): StepResult {
  const w = work({ ...state }, env);
  switch (input.type) {
    case "tick": tick(w); break;
    case "timeout":
      if (w.s.role === "leader") w.rejected = `${w.s.id} is already the leader`;
      else if (!promotable(w.s)) w.rejected = `${w.s.id} is not a member of its configuration`;
      else { resetElectionTimer(w); hup(w); }
      break;
    case "message": receive(w, input.from, input.message); break;
    case "propose": propose(w, input.value); break;
    case "addServer": changeMembership(w, input.id, true); break;
    case "removeServer": changeMembership(w, input.id, false); break;
    case "compact": compact(w, input.index, input.data); break;
  }
  return finish(state, w);
}

function finish(before: RaftState, w: Work): StepResult {
  const s = w.s;
  // §4.2.2 (dissertation): a leader that is no longer a member steps down once that commits.
  if (s.role === "leader" && !s.config.includes(s.id) && !hasUncommittedConfig(s)) becomeFollower(w, s.term, null);
  const committed: CommittedEntry[] = [];
  if (s.commitIndex > s.lastApplied) {
    const offset = s.snapshot?.index ?? 0;
    for (let i = s.lastApplied + 1; i <= s.commitIndex; i++) committed.push({ ...s.log[i - offset - 1]!, index: i });
    s.lastApplied = s.commitIndex;
  }
  let persist: Persist | undefined;
  const logChanged = w.dirtyFrom !== Infinity;
  const snapChanged = s.snapshot !== before.snapshot && s.snapshot !== null;
  if (logChanged || snapChanged || s.term !== before.term || s.votedFor !== before.votedFor) {
    const p: Mutable<Persist> = { term: s.term, votedFor: s.votedFor };
    if (logChanged) { p.entriesFrom = w.dirtyFrom; p.entries = slice(s, w.dirtyFrom, lastIndex(s)); }
    if (snapChanged) p.snapshot = s.snapshot!;
    persist = p;
  }
  // Optional fields are set only when present, so results stay lean plain data.
  const result: Mutable<StepResult> = { state: s, messages: w.out, committed };
  if (persist) result.persist = persist;
  if (w.restore) result.restore = w.restore;
  if (w.rejected !== undefined) result.rejected = w.rejected;
  return result;
}

// ---- roles ------------------------------------------------------------------------------

function becomeFollower(w: Work, term: number, leader: NodeId | null): void {
  const s = w.s;
  const wasLeader = s.role === "leader";
  if (term !== s.term) {
    s.term = term;
    s.votedFor = null;
  }
  s.role = "follower";
  s.leader = leader;
  s.votes = {};
  if (wasLeader) {
    s.progress = {};
    s.heartbeatDeadline = null;
    resetElectionTimer(w);
  }
}

/** Dissertation §9.6: ask for votes in term+1 without raising our term. */
function becomePreCandidate(w: Work): void {
  const s = w.s;
  s.role = "precandidate";
  s.leader = null;
  s.votes = { [s.id]: true };
  requestVotes(w, s.term + 1, true);
  if (countVotes(s).granted >= quorum(s.config)) becomeCandidate(w);
}

/** §5.2: increment currentTerm, vote for self, send RequestVote to all other servers. */
function becomeCandidate(w: Work): void {
  const s = w.s;
  // §5.2: each candidate restarts its randomized timeout at the start of an election. Without
  // PreVote the tick that called hup() just did; after a pre-vote round, the election starts now.
  if (s.role === "precandidate") resetElectionTimer(w);
  s.term += 1;
  s.votedFor = s.id;
  s.role = "candidate";
  s.leader = null;
  s.votes = { [s.id]: true };
  requestVotes(w, s.term, false);
  if (countVotes(s).granted >= quorum(s.config)) becomeLeader(w);
}

function becomeLeader(w: Work): void {
  const s = w.s;
  const now = w.env.now;
  s.role = "leader";
  s.leader = s.id;
  s.votes = {};
  // Figure 2: nextIndex = leader's last log index + 1, matchIndex = 0.
  const next = lastIndex(s) + 1;
  const progress: Record<NodeId, Progress> = {};
  for (const id of s.config) if (id !== s.id) progress[id] = { next, match: 0, active: false };
  s.progress = progress;
  s.heartbeatDeadline = now + s.options.heartbeatInterval;
  s.electionDeadline = now + s.options.electionTimeoutMin;
  s.leaderContactAt = now;
  // §8: a no-op entry of the new term commits everything before it (and lets §5.4.2 apply).
  appendLocal(w, { term: s.term, value: null });
  broadcastAppend(w, false);
  maybeCommit(w);
}

function hup(w: Work): void {
  if (w.s.options.preVote) becomePreCandidate(w);
  else becomeCandidate(w);
}

function requestVotes(w: Work, term: number, preVote: boolean): void {
  const s = w.s;
  const base = { type: "RequestVote", term, candidateId: s.id, lastLogIndex: lastIndex(s), lastLogTerm: lastTerm(s) } as const;
  const msg: RequestVote = preVote ? { ...base, preVote: true } : base;
  for (const id of s.config) if (id !== s.id) send(w, id, msg);
}

function countVotes(s: RaftState): { granted: number; rejected: number } {
  let granted = 0;
  let rejected = 0;
  for (const id of s.config) {
    const v = s.votes[id];
    if (v === true) granted++;
    else if (v === false) rejected++;
  }
  return { granted, rejected };
}

// ---- time -------------------------------------------------------------------------------

function tick(w: Work): void {
  const s = w.s;
  const now = w.env.now;
  if (s.role === "leader") {
    if (s.heartbeatDeadline !== null && now >= s.heartbeatDeadline) {
      s.heartbeatDeadline = now + s.options.heartbeatInterval;
      abortStalledLearners(w);
      broadcastAppend(w, false);
    }
    if (s.options.checkQuorum && now >= s.electionDeadline) {
      s.electionDeadline = now + s.options.electionTimeoutMin;
      checkQuorum(w);
    }
    return;
  }
  if (now >= s.electionDeadline) {
    resetElectionTimer(w);
    if (promotable(s)) hup(w);
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

// ---- messages -----------------------------------------------------------------------------

function receive(w: Work, from: NodeId, m: RaftMessage): void {
  const s = w.s;
  const now = w.env.now;
  if (m.term > s.term) {
    if (m.type === "RequestVote") {
      // §4.2.3/§6.2: within the lease of a live leader, a vote request is ignored (CheckQuorum).
      if (s.options.checkQuorum && heardFromLeader(s, now)) return;
    }
    const keepsTerm = (m.type === "RequestVote" && m.preVote) || (m.type === "RequestVoteResponse" && m.preVote && m.voteGranted);
    if (!keepsTerm) {
      // Figure 2, all servers: if RPC term T > currentTerm, set currentTerm = T and convert to follower.
      const leader = m.type === "AppendEntries" || m.type === "InstallSnapshot" ? m.leaderId : null;
      becomeFollower(w, m.term, leader);
    }
  } else if (m.term < s.term) {
    // A stale leader or candidate learns the newer term from the reply and steps down.
    if (m.type === "AppendEntries") {
      send(w, from, { type: "AppendEntriesResponse", term: s.term, success: false, matchIndex: 0, rejectedIndex: m.prevLogIndex });
    } else if (m.type === "InstallSnapshot") {
      send(w, from, { type: "InstallSnapshotResponse", term: s.term, lastIncludedIndex: 0 });
    } else if (m.type === "RequestVote") {
      send(w, from, voteResponse(s.term, false, m.preVote === true));
    }
    return;
  }
  switch (m.type) {
    case "RequestVote": handleRequestVote(w, from, m); return;
    case "RequestVoteResponse": handleVoteResponse(w, from, m); return;
    case "AppendEntries":
    case "InstallSnapshot":
      if (s.role === "leader") return; // another leader in our term cannot exist (Election Safety)
      if (s.role !== "follower") becomeFollower(w, s.term, m.leaderId);
      s.leader = m.leaderId;
      s.leaderContactAt = now;
      resetElectionTimer(w);
      if (m.type === "AppendEntries") handleAppendEntries(w, from, m);
      else handleInstallSnapshot(w, from, m);
      return;
    case "AppendEntriesResponse":
      if (s.role === "leader") handleAppendResponse(w, from, m);
      return;
    case "InstallSnapshotResponse":
      if (s.role === "leader") handleSnapshotResponse(w, from, m);
      return;
  }
}

/** Leads, or heard from the leader of its term within the minimum election timeout (dissertation §4.2.3, §9.6). */
function heardFromLeader(s: RaftState, now: number): boolean {
  return s.leader !== null && (s.role === "leader" || now < s.leaderContactAt + s.options.electionTimeoutMin);
}

function voteResponse(term: number, granted: boolean, preVote: boolean): RequestVoteResponse {
  const r: RequestVoteResponse = { type: "RequestVoteResponse", term, voteGranted: granted };
  return preVote ? { ...r, preVote: true } : r;
}

/** Figure 2, RequestVote receiver: grant if votedFor is null or candidateId, and the log is up-to-date (§5.4.1). */
function handleRequestVote(w: Work, from: NodeId, m: RequestVote): void {
  const s = w.s;
  const upToDate = isUpToDate(s, m.lastLogIndex, m.lastLogTerm);
  if (m.preVote) {
    // A pre-vote changes nothing here: it says whether a real vote would be granted, that is
    // (dissertation §9.6) if the log is up to date and no leader has been heard from within the
    // minimum election timeout. (etcd checks the latter only with CheckQuorum; without it, a
    // returning server with an up-to-date log won pre-votes from followers of a live leader
    // and unseated it.)
    const granted = m.term > s.term && upToDate && !heardFromLeader(s, w.env.now);
    send(w, from, voteResponse(granted ? m.term : s.term, granted, true));
    return;
  }
  const granted = (s.votedFor === null || s.votedFor === m.candidateId) && upToDate;
  if (granted) {
    s.votedFor = m.candidateId;
    resetElectionTimer(w); // Figure 2, followers: granting a vote resets the election timer
  }
  send(w, from, voteResponse(s.term, granted, false));
}

function handleVoteResponse(w: Work, from: NodeId, m: RequestVoteResponse): void {
  const s = w.s;
  const pre = m.preVote === true;
  if ((s.role === "candidate" && !pre) || (s.role === "precandidate" && pre)) {
    // A pre-vote is granted for a term (ours + 1); a grant for our current term was for an
    // earlier round, when we were a term behind, and says nothing about this one.
    if (pre && m.voteGranted && m.term !== s.term + 1) return;
    s.votes = { ...s.votes, [from]: m.voteGranted };
    const { granted, rejected } = countVotes(s);
    const q = quorum(s.config);
    if (granted >= q) {
      if (pre) becomeCandidate(w);
      else becomeLeader(w);
    } else if (rejected >= q) {
      becomeFollower(w, s.term, null);
    }
  }
}
