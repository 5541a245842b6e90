import { candidate } from "./candidate.js";
import { EntryLog } from "./entries.js";
import { follower } from "./follower.js";
import { leader } from "./leader.js";
import { configAt, hasUncommittedConfig, isUpToDate, lastIndex, makeSnapshot, slice } from "./log.js";
import { becomeFollower, hup } from "./roles.js";
import type {
  CommittedEntry, Entry, Env, NodeId, Persist, RaftInput, RaftMessage, RaftOptions, RaftState, RequestVote,
  RequestVoteResponse, Role, Snapshot, StepResult,
} from "./types.js";
import { copyState, promotable, resetElectionTimer, send, type Mutable, type RoleFns, type Work } from "./work.js";

/**
 * Raft as a pure state machine, after etcd-io/raft's raft.go: `step` settles the input's term
 * first and answers what every role answers alike (a vote request, a forced election,
 * compaction); everything else goes to the step function of the server's role, and a tick to
 * the role's tick function (follower.ts, candidate.ts, leader.ts; `become*` in roles.ts switch
 * roles). Nothing is sent or slept on: messages, entries to persist and committed entries are
 * returned to the caller.
 */

/** Each role's step and tick (etcd swaps r.step and r.tick in becomeX; here the role chooses). */
const ROLES: Readonly<Record<Role, RoleFns>> = { follower, precandidate: candidate, candidate, leader };

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
  const base = { log: EntryLog.of(log), snapshot: init.snapshot ?? null, initialConfig: [...init.peers] };
  const snapIndex = base.snapshot?.index ?? 0;
  // The fields in copyState's order (work.ts), which every state keeps.
  const s: Mutable<RaftState> = {
    id: init.id,
    options,
    term,
    votedFor: init.votedFor ?? null,
    log: base.log,
    snapshot: base.snapshot,
    initialConfig: base.initialConfig,
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
  const s = copyState(state);
  s.role = "follower";
  s.leader = null;
  s.commitIndex = snapIndex;
  s.lastApplied = snapIndex;
  s.config = configAt(state, lastIndex(state));
  s.leaderContactAt = 0;
  s.votes = {};
  s.heartbeatDeadline = null;
  s.progress = {};
  return s;
}

/** A restarted server starts as a follower with a fresh election timeout. */
export function restart(state: RaftState, env: Env): RaftState {
  const w = work(copyState(crash(state)), env);
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
  const w = work(copyState(state), env);
  switch (input.type) {
    case "tick": ROLES[w.s.role].tick(w); break;
    case "timeout": timeout(w); break;
    case "message":
      // Figure 2, all servers: settle the term (the role may change); a vote request is answered alike by every role.
      if (!settleTerm(w, input.from, input.message)) break;
      if (input.message.type === "RequestVote") handleRequestVote(w, input.from, input.message);
      else ROLES[w.s.role].step(w, input);
      break;
    case "compact": compact(w, input.index, input.data); break;
    default: ROLES[w.s.role].step(w, input);
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
    for (let i = s.lastApplied + 1; i <= s.commitIndex; i++) committed.push({ ...s.log.at(i - offset - 1)!, index: i });
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

// ---- what every role does alike --------------------------------------------------------

/** A forced election (etcd's MsgHup): any server that may stand starts one now. */
function timeout(w: Work): void {
  if (w.s.role === "leader") w.rejected = `${w.s.id} is already the leader`;
  else if (!promotable(w.s)) w.rejected = `${w.s.id} is not a member of its configuration`;
  else { resetElectionTimer(w); hup(w); }
}

/** §7: discard the log up to `index`, keeping the state machine's state as the snapshot. */
function compact(w: Work, index: number, data: unknown): void {
  const s = w.s;
  const offset = s.snapshot?.index ?? 0;
  if (!(Number.isInteger(index) && index > offset && index <= s.lastApplied)) {
    w.rejected = `cannot compact to ${index}: want an applied index after ${offset} (applied ${s.lastApplied})`;
    return;
  }
  const snap = makeSnapshot(s, index, data);
  s.log = s.log.drop(index - offset);
  s.snapshot = snap;
}

/**
 * Figure 2, all servers: a message of a newer term makes us a follower of that term (but for
 * pre-votes, dissertation §9.6, and vote requests within a leader's lease, §6.2); one of an
 * older term is answered so that its stale sender learns the term, and goes no further.
 * Returns whether the message goes on to be handled.
 */
function settleTerm(w: Work, from: NodeId, m: RaftMessage): boolean {
  const s = w.s;
  if (m.term > s.term) {
    if (m.type === "RequestVote") {
      // §4.2.3/§6.2: within the lease of a live leader, a vote request is ignored (CheckQuorum).
      if (s.options.checkQuorum && heardFromLeader(s, w.env.now)) return false;
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
    return false;
  }
  return true;
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
