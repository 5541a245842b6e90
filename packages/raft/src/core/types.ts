/**
 * The data of a Raft server, its messages and its inputs and outputs: plain JSON values, but for
 * the log, an immutable EntryLog (entries.ts) that JSON sees as an array. The core is pure and
 * knows nothing of the kernel or of Docker.
 */
import type { Entry, EntryLog } from "./entries.js";

export type { Entry };

export type NodeId = string;

/** Roles of Figure 2, plus the pre-candidate of the PreVote extension (dissertation §9.6). */
export type Role = "follower" | "precandidate" | "candidate" | "leader";

/** An entry handed to the state machine, with its index. */
export interface CommittedEntry extends Entry {
  readonly index: number;
}

/** A snapshot replaces the log up to `index` (paper §7, Figure 12). */
export interface Snapshot {
  readonly index: number;
  readonly term: number;
  /** The configuration as of `index`. */
  readonly config: readonly NodeId[];
  /** The state machine's state as of `index` (an immutable value). */
  readonly data: unknown;
}

/** Times are integer microseconds, as the caller passes them in. */
export interface RaftOptions {
  /** Election timeout range [min, max] (paper §5.2: randomized, e.g. 150–300 ms). */
  readonly electionTimeoutMin: number;
  readonly electionTimeoutMax: number;
  readonly heartbeatInterval: number;
  /** Dissertation §9.6: a pre-election round that does not raise terms. */
  readonly preVote: boolean;
  /** Dissertation §6.2: a leader steps down without a quorum; servers ignore votes within the lease. */
  readonly checkQuorum: boolean;
  /** Paper §5.3 (end): a rejection carries the conflicting term and its first index. */
  readonly fastBacktrack: boolean;
  /** Most entries in one AppendEntries. */
  readonly maxEntriesPerMessage: number;
  /**
   * Dissertation §4.2.1: a new server first receives the log as a non-voting learner and joins
   * the configuration only once it has caught up, so adding an empty server does not stall
   * commits. Off: the configuration entry is appended at once (§4.1).
   */
  readonly catchUpNewServers: boolean;
}

/** Leader's view of one follower (Figure 2's nextIndex[] and matchIndex[]). */
export interface Progress {
  readonly next: number;
  readonly match: number;
  /** Heard from since the last CheckQuorum round. */
  readonly active: boolean;
  /** A new server catching up before it joins the configuration (dissertation §4.2.1): since when. */
  readonly learnerSince?: number;
}

export interface RaftState {
  readonly id: NodeId;
  readonly options: RaftOptions;
  // ---- persistent state on all servers (Figure 2) ----
  readonly term: number;
  readonly votedFor: NodeId | null;
  /** Entries after the snapshot: log index i is log.at(i - (snapshot?.index ?? 0) - 1). */
  readonly log: EntryLog;
  readonly snapshot: Snapshot | null;
  /** Configuration before any configuration entry or snapshot (the bootstrap members). */
  readonly initialConfig: readonly NodeId[];
  // ---- volatile state on all servers ----
  readonly role: Role;
  readonly leader: NodeId | null;
  readonly commitIndex: number;
  readonly lastApplied: number;
  /** The latest configuration in the log (used as soon as it is appended). */
  readonly config: readonly NodeId[];
  /** Follower/candidate: when the election timer runs out. Leader with CheckQuorum: next quorum check. */
  readonly electionDeadline: number;
  /** Last time a leader of the current term was heard from (the CheckQuorum lease). */
  readonly leaderContactAt: number;
  /** Votes received in the current election (candidate and pre-candidate). */
  readonly votes: Readonly<Record<NodeId, boolean>>;
  // ---- volatile state on leaders ----
  /** Leader: when the next heartbeat is due (null on other roles). */
  readonly heartbeatDeadline: number | null;
  readonly progress: Readonly<Record<NodeId, Progress>>;
}

// ---- messages (paper Figure 2 and Figure 13) ------------------------------------------

export interface RequestVote {
  readonly type: "RequestVote";
  readonly term: number;
  readonly candidateId: NodeId;
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
  /** A PreVote request: `term` is the term the sender would campaign in; nobody's term changes. */
  readonly preVote?: true;
}

export interface RequestVoteResponse {
  readonly type: "RequestVoteResponse";
  readonly term: number;
  readonly voteGranted: boolean;
  readonly preVote?: true;
}

export interface AppendEntries {
  readonly type: "AppendEntries";
  readonly term: number;
  readonly leaderId: NodeId;
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  readonly entries: readonly Entry[];
  readonly leaderCommit: number;
}

export interface AppendEntriesResponse {
  readonly type: "AppendEntriesResponse";
  readonly term: number;
  readonly success: boolean;
  /** On success: the index up to which the follower's log now matches the leader's. */
  readonly matchIndex: number;
  /** On rejection: the prevLogIndex that failed the consistency check. */
  readonly rejectedIndex?: number;
  /** Fast backtracking hint: the conflicting entry's term (absent when the log is too short)... */
  readonly conflictTerm?: number;
  /** ...and the first index the follower stores for that term (or its last index + 1). */
  readonly conflictIndex?: number;
}

export interface InstallSnapshot {
  readonly type: "InstallSnapshot";
  readonly term: number;
  readonly leaderId: NodeId;
  readonly lastIncludedIndex: number;
  readonly lastIncludedTerm: number;
  readonly config: readonly NodeId[];
  /** Sent whole: one chunk, offset 0, done (Figure 13's chunking is not modelled). */
  readonly data: unknown;
}

export interface InstallSnapshotResponse {
  readonly type: "InstallSnapshotResponse";
  readonly term: number;
  readonly lastIncludedIndex: number;
}

export type RaftMessage =
  | RequestVote | RequestVoteResponse | AppendEntries | AppendEntriesResponse | InstallSnapshot | InstallSnapshotResponse;

// ---- inputs and outputs ------------------------------------------------------------------

export type RaftInput =
  /** Time passed: fire whatever deadline is due (election timeout, heartbeat, quorum check). */
  | { readonly type: "tick" }
  /** Start an election now, as if the election timer ran out. */
  | { readonly type: "timeout" }
  | { readonly type: "message"; readonly from: NodeId; readonly message: RaftMessage }
  /** A client command for the leader's log; ignored (reported as rejected) elsewhere. */
  | { readonly type: "propose"; readonly value: unknown }
  | { readonly type: "addServer"; readonly id: NodeId }
  | { readonly type: "removeServer"; readonly id: NodeId }
  /** Log compaction: the caller's state machine state `data` as of index (<= lastApplied). */
  | { readonly type: "compact"; readonly index: number; readonly data: unknown };

/** What the caller supplies with each input: the time, and randomness for election timeouts. */
export interface Env {
  readonly now: number;
  /** A float in [0, 1). */
  readonly random: () => number;
}

export interface Outgoing {
  readonly to: NodeId;
  readonly message: RaftMessage;
}

/** What the caller must write to stable storage before sending the messages (etcd's Ready). */
export interface Persist {
  readonly term: number;
  readonly votedFor: NodeId | null;
  /** Entries from this index on were (re)written; absent when the log is unchanged. */
  readonly entriesFrom?: number;
  readonly entries?: readonly Entry[];
  readonly snapshot?: Snapshot;
}

export interface StepResult {
  readonly state: RaftState;
  readonly messages: readonly Outgoing[];
  readonly persist?: Persist;
  /** Entries newly committed, in order, for the state machine. */
  readonly committed: readonly CommittedEntry[];
  /** A snapshot from the leader replaced the state machine's state (InstallSnapshot). */
  readonly restore?: Snapshot;
  /** Why a local command was not taken (propose/addServer/removeServer/compact). */
  readonly rejected?: string;
}
