import type { AppAction } from "../../scenario.js";
import type { StoryRules, StoryStep } from "../../components/story-mode.js";
import type { RaftViewModel } from "./model.js";

// Raft in story mode (?scenario=raft&story=1), in the manner of The Secret Lives of Data: an
// election, a replicated request, a partition that elects a second leader, and the heal. The
// words follow the Raft paper (Ongaro and Ousterhout, "In Search of an Understandable Consensus
// Algorithm", §5.2 leader election, §5.3 log replication, §5.4.1 election restriction, §6 on a
// partitioned leader); the points are read from the view model on the screen.

export const RAFT_STORY: readonly StoryStep[] = [
  { id: "followers", title: "Five servers, all followers", at: null, highlight: "all",
    caption: "Every server starts as a follower. Each waits for a leader's heartbeat with its own random election timeout: the dark ring around it, emptying. Press Next (↓)." },
  { id: "candidate", title: "A timer runs out", at: { point: "candidate" }, highlight: "candidates",
    caption: "The first server whose timer ran out became a candidate: it started a new term, voted for itself and asks every other server for its vote (RequestVote)." },
  { id: "leader", title: "A majority votes: a leader", at: { point: "leader" }, highlight: "leader",
    caption: "Each server votes once per term, for the first candidate that asks. With votes from a majority (3 of 5) the candidate became the leader; its heartbeats (empty AppendEntries) reset the followers' timers." },
  { id: "request", title: "A client request", act: "propose", at: { point: "appended" }, highlight: "leader",
    caption: "A client sends a value to the leader. The leader appends it to its log, not yet committed, and sends it to the followers in AppendEntries." },
  { id: "committed", title: "Stored by a majority: committed", at: { point: "committed" }, highlight: "leader",
    caption: "Once a majority stored the entry, the leader commits it (its commitIndex moves on) and applies it. The followers learn the commit with the next AppendEntries." },
  { id: "partition", title: "A partition", act: "partition", at: { point: "second-leader" }, highlight: "minority",
    caption: "The network splits the leader and one follower from the other three. Those three hear no heartbeat: a timer runs out and they elect a new leader in a higher term. The old leader still believes it leads, but no majority answers it: it cannot commit." },
  { id: "heal", title: "The partition heals", act: "heal", at: { point: "one-leader" }, highlight: "leader",
    caption: "The old leader hears of the higher term and steps down to follower; anything it took in while cut off, never committed, is replaced by the new leader's log." },
  { id: "free", title: "Free play", at: null,
    caption: "Click a server to stop it, time it out or send it a request; press c for a client request, ? for every key. Next ends the story." },
];

const upLeaders = (v: RaftViewModel) => v.nodes.filter((n) => n.up && n.role === "leader");
const maxTerm = (v: RaftViewModel) => Math.max(0, ...v.nodes.map((n) => n.term));
const leaderOf = (v: RaftViewModel) => v.nodes.find((n) => n.id === v.clientLeader) ?? null;

export const RAFT_STORY_RULES: StoryRules<RaftViewModel> = {
  reached(point, v, entry) {
    const leader = leaderOf(v);
    switch (point) {
      case "candidate": return v.nodes.some((n) => n.up && (n.role === "candidate" || n.role === "precandidate"));
      case "leader": return upLeaders(v).length > 0;
      // The request's entry is in the leader's log, not committed yet.
      case "appended": return leader !== null && leader.log.some((e) => !e.noop && !e.committed);
      case "committed": {
        const last = leader?.log.filter((e) => !e.noop).at(-1);
        return last !== undefined && last.committed;
      }
      // A leader elected in a term higher than any when the partition came.
      case "second-leader": return upLeaders(v).some((n) => n.term > maxTerm(entry));
      case "one-leader": return upLeaders(v).length === 1 && v.nodes.filter((n) => n.up).every((n) => n.term === maxTerm(v));
      default: return true;
    }
  },
  actions(name, v): AppAction[] {
    const leader = v.clientLeader;
    if (name === "propose") return leader ? [{ type: "propose", value: v.nextRequest }] : [];
    if (name === "partition") {
      if (!leader) return [];
      // The leader and the first follower on one side, the rest on the other (a minority of two).
      const ids = v.nodes.map((n) => n.id);
      const buddy = ids.find((id) => id !== leader)!;
      return [{ type: "partition", groups: [[leader, buddy], ids.filter((id) => id !== leader && id !== buddy)] }];
    }
    if (name === "heal") return [{ type: "heal" }];
    return [];
  },
  highlight(name, v) {
    if (name === "all") return v.nodes.map((n) => n.id);
    if (name === "candidates") return v.nodes.filter((n) => n.up && (n.role === "candidate" || n.role === "precandidate")).map((n) => n.id);
    if (name === "leader") return upLeaders(v).map((n) => n.id);
    // The leader of the lower term and whoever follows it: the side cut off.
    if (name === "minority") {
      const top = maxTerm(v);
      return upLeaders(v).filter((n) => n.term < top).map((n) => n.id);
    }
    return [];
  },
};
