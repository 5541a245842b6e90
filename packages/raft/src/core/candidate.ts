import { fromLeader, refuseCommand, tickElection } from "./follower.js";
import { becomeCandidate, becomeFollower, becomeLeader, countVotes } from "./roles.js";
import type { NodeId, RequestVoteResponse } from "./types.js";
import { quorum, type RoleFns, type RoleInput, type Work } from "./work.js";

/**
 * The candidate and the pre-candidate (etcd's stepCandidate, which serves both): they count
 * votes (§5.2; dissertation §9.6 for pre-votes) and give way to a leader of their term.
 */

export const candidate: RoleFns = { step: stepCandidate, tick: tickElection };

function stepCandidate(w: Work, input: RoleInput): void {
  if (input.type !== "message") {
    refuseCommand(w, input);
    return;
  }
  const m = input.message;
  switch (m.type) {
    case "RequestVoteResponse":
      handleVoteResponse(w, input.from, m);
      return;
    case "AppendEntries":
    case "InstallSnapshot":
      // §5.2: a candidate that hears from a leader of its term returns to follower.
      becomeFollower(w, w.s.term, m.leaderId);
      fromLeader(w, input.from, m);
      return;
    default:
      return;
  }
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
