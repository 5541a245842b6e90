import { lastIndex, lastTerm } from "./log.js";
import { appendLocal, broadcastAppend, maybeCommit } from "./replicate.js";
import type { NodeId, Progress, RaftState, RequestVote } from "./types.js";
import { quorum, resetElectionTimer, send, type Work } from "./work.js";

/**
 * Changing role (etcd's becomeFollower/becomePreCandidate/becomeCandidate/becomeLeader). The
 * role decides which step and tick functions raft.ts hands the next inputs to
 * (follower.ts, candidate.ts, leader.ts).
 */

export function becomeFollower(w: Work, term: number, leader: NodeId | null): void {
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
export function becomePreCandidate(w: Work): void {
  const s = w.s;
  s.role = "precandidate";
  s.leader = null;
  s.votes = { [s.id]: true };
  requestVotes(w, s.term + 1, true);
  if (countVotes(s).granted >= quorum(s.config)) becomeCandidate(w);
}

/** §5.2: increment currentTerm, vote for self, send RequestVote to all other servers. */
export function becomeCandidate(w: Work): void {
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

export function becomeLeader(w: Work): void {
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

/** An election starts (etcd's MsgHup): with PreVote, a pre-election first. */
export function hup(w: Work): void {
  if (w.s.options.preVote) becomePreCandidate(w);
  else becomeCandidate(w);
}

function requestVotes(w: Work, term: number, preVote: boolean): void {
  const s = w.s;
  const base = { type: "RequestVote", term, candidateId: s.id, lastLogIndex: lastIndex(s), lastLogTerm: lastTerm(s) } as const;
  const msg: RequestVote = preVote ? { ...base, preVote: true } : base;
  for (const id of s.config) if (id !== s.id) send(w, id, msg);
}

/** Votes for and against, over the latest configuration. */
export function countVotes(s: RaftState): { granted: number; rejected: number } {
  let granted = 0;
  let rejected = 0;
  for (const id of s.config) {
    const v = s.votes[id];
    if (v === true) granted++;
    else if (v === false) rejected++;
  }
  return { granted, rejected };
}
