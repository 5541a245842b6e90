import { createRaftCluster, raftEvents } from "@drydock/raft";
import { parseDuration } from "@drydock/kernel";
import { nodeActors, simTimeline, type Driver, type Mark, type OptionValues, type ScenarioKey } from "../../scenario.js";
import type { RaftEntryView, RaftNodeView, RaftViewModel } from "./model.js";
import { entryText, raftMessageFields, raftMessageKind, raftMessageLabel } from "./messages.js";

const LOG_WINDOW = 12;

/** Timing chosen to be watched: latency a tenth of the election timeout, as in RaftScope. */
export const RAFT_TIMING = { heartbeat: "50ms", latency: ["12ms", "24ms"] } as const;

/** Raft §9.3: 150–300 ms spreads the timeouts; 150–155 ms shows split votes and duelling candidates. */
export const ELECTION_TIMEOUTS: Readonly<Record<string, readonly [string, string]>> = {
  "150-300ms": ["150ms", "300ms"],
  "150-155ms": ["150ms", "155ms"],
};

export function raftClusterOptions(seed: string, options: OptionValues) {
  return {
    seed,
    size: Number(options.size ?? 5),
    preVote: options.prevote === true,
    checkQuorum: options.checkquorum === true,
    electionTimeout: ELECTION_TIMEOUTS[String(options.timeouts ?? "150-300ms")] ?? ELECTION_TIMEOUTS["150-300ms"]!,
    heartbeat: RAFT_TIMING.heartbeat,
    latency: RAFT_TIMING.latency,
    snapshotEvery: "250ms",
  };
}

export function createRaftDriver(seed: string, options: OptionValues): Driver<RaftViewModel> {
  const opts = raftClusterOptions(seed, options);
  const cluster = createRaftCluster(opts);
  const sim = cluster.sim;
  const ids = sim.net.nodes;
  const maxUs = parseDuration(opts.electionTimeout[1]);
  return {
    sim,
    timeline: simTimeline(sim),
    actors: nodeActors(ids),
    view(_inFlight, input): RaftViewModel {
      const nodes = cluster.nodes().map((n): RaftNodeView => {
        const first = Math.max(n.firstIndex, n.lastIndex - LOG_WINDOW + 1);
        const log: RaftEntryView[] = [];
        for (let i = first; i <= n.lastIndex; i++) {
          const e = n.log[i - n.firstIndex]!;
          log.push({ index: i, term: e.term, value: entryText(e), noop: e.value === null || !!e.config, committed: i <= n.commitIndex });
        }
        const progress = n.nextIndex
          ? Object.keys(n.nextIndex).filter((p) => p !== n.id).map((p) => ({ peer: p, next: n.nextIndex![p]!, match: n.matchIndex?.[p] ?? 0 }))
          : [];
        return {
          id: n.id, up: n.up, role: n.role, term: n.term, votedFor: n.votedFor, leader: n.leader,
          commitIndex: n.commitIndex, lastApplied: n.lastApplied, lastIndex: n.lastIndex, log,
          electionDeadline: n.electionDeadline ?? 0, heartbeatDeadline: n.heartbeatDeadline,
          votes: Object.keys(n.votes).filter((v) => n.votes[v] === true),
          refused: Object.keys(n.votes).filter((v) => n.votes[v] === false), progress,
        };
      });
      const clientLeader = cluster.leader();
      const chosen = nodes.find((n) => n.id === input.selected && n.up && n.role === "leader");
      // Requests are numbered by the proposals taken so far along this run (a fork drops the
      // others), so the values in the logs count up without gaps: v1, v2, v3.
      const events = sim.eventCount;
      let proposals = 0;
      const dropping: number[] = [];
      for (const l of sim.actionLog) {
        if (l.index >= events) break;
        if (l.action.type === "propose") proposals++;
        else if (l.action.type === "dropMessage") dropping.push((l.action as { id: number }).id);
      }
      return {
        nodes, electionTimeoutMaxUs: maxUs, preVote: opts.preVote, checkQuorum: opts.checkQuorum,
        shownLeader: chosen?.id ?? clientLeader, clientLeader, nextRequest: `v${proposals + 1}`, dropping,
      };
    },
    // Raft's own typed events (RaftEventData), not the records' raw data.
    notable(trace, from): Mark[] {
      const out: Mark[] = [];
      for (const e of raftEvents(trace, from)) if (e.event === "became" && e.role === "leader") out.push({ t: e.t, label: `${e.node} became leader in term ${e.term}` });
      return out;
    },
    messageLabel: raftMessageLabel,
    messageKind: raftMessageKind,
    messageFields: raftMessageFields,
  };
}

/** Running members that wait on an election timer (not the leader), earliest deadline first. */
function timed(view: RaftViewModel, now: number): RaftNodeView[] {
  return view.nodes.filter((n) => n.up && n.role !== "leader" && n.electionDeadline > now).sort((a, b) => a.electionDeadline - b.electionDeadline);
}

/**
 * RaftScope's keys, for an instructor at a projector without a mouse. RaftScope moves timers by
 * hand; here a timer is only ever moved by a logged action, so spreading and aligning are
 * "time out" actions, which a link replays like any other.
 */
export const RAFT_KEYS: readonly ScenarioKey<RaftViewModel>[] = [
  {
    key: "c", label: "client request to the leader (of the highest term)",
    run(view) {
      if (!view.clientLeader) return { refused: "No leader to take a client request yet." };
      return { actions: [{ type: "propose", value: view.nextRequest }], notice: `Client request ${view.nextRequest} sent to ${view.clientLeader}, the leader` };
    },
  },
  {
    key: "r", label: "restart the leader (it comes back a follower)",
    run(view) {
      const id = view.clientLeader;
      if (!id) return { refused: "No leader to restart." };
      return { actions: [{ type: "crash", node: id }, { type: "restart", node: id }], notice: `Restarted ${id}, the leader: it comes back a follower with its log` };
    },
  },
  {
    key: "t", label: "spread the timers: the first to run out times out now, alone (no split vote)",
    run(view, { now }) {
      const first = timed(view, now)[0];
      if (!first) return { refused: "No server is waiting on an election timer." };
      return { actions: [{ type: "timeout", node: first.id }], notice: `${first.id}'s timer ran out first: it campaigns now, ahead of the others` };
    },
  },
  {
    key: "a", label: "align the timers: every follower and candidate times out at once (a split vote)",
    run(view, { now }) {
      const all = timed(view, now);
      if (all.length < 2) return { refused: "Aligning timers needs two servers waiting on an election timer." };
      return { actions: all.map((n) => ({ type: "timeout", node: n.id })), notice: `${all.map((n) => n.id).join(", ")} timed out at once: each votes for itself` };
    },
  },
  {
    key: "h", label: "hide or show heartbeats (AE ♥)",
    run(_view, { ui }) {
      const hidden = (ui.hide ?? "").split(",").filter((k) => k !== "");
      const on = hidden.includes("heartbeat");
      const next = on ? hidden.filter((k) => k !== "heartbeat") : [...hidden, "heartbeat"];
      return { setting: ["hide", next.join(",")], notice: on ? "Heartbeats shown" : "Heartbeats hidden (h shows them)" };
    },
  },
];
