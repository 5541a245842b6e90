import { createRaftCluster } from "@drydock/raft";
import { parseDuration, type TraceRecord } from "@drydock/kernel";
import { simTimeline, type Driver, type OptionValues, type ScenarioDef } from "./types.js";
import type { RaftEntryView, RaftViewModel } from "./raft-view.js";
import { raftMessageLabel } from "../views/raft-messages.js";

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

function text(value: unknown): string {
  if (value === null) return "(no-op)";
  return typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
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
    lanes: ids,
    view(): RaftViewModel {
      const nodes = cluster.nodes().map((n) => {
        const first = Math.max(n.firstIndex, n.lastIndex - LOG_WINDOW + 1);
        const log: RaftEntryView[] = [];
        for (let i = first; i <= n.lastIndex; i++) {
          const e = n.log[i - n.firstIndex]!;
          log.push({ index: i, term: e.term, value: e.config ? `config: ${e.config.join(", ")}` : text(e.value), committed: i <= n.commitIndex });
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
      return { nodes, electionTimeoutMaxUs: maxUs, preVote: opts.preVote, checkQuorum: opts.checkQuorum };
    },
    notable(r: TraceRecord): string | null {
      if (r.type !== "state") return null;
      const d = r.data as { event?: string; role?: string; term?: number };
      if (d.event === "became" && d.role === "leader") return `${r.node} became leader in term ${d.term}`;
      return null;
    },
    messageLabel: raftMessageLabel,
  };
}

export const raftScenario: ScenarioDef = {
  id: "raft",
  title: "Raft: election and replication",
  view: "raft",
  blurb: "Servers elect a leader when their election timer (the shrinking arc) runs out. Click a server to stop it, time it out or send a client request; click a message to drop it.",
  options: [
    { key: "size", label: "Servers", kind: "int", min: 3, max: 9, def: 5 },
    { key: "prevote", label: "PreVote", kind: "bool", def: false },
    { key: "checkquorum", label: "CheckQuorum", kind: "bool", def: false },
    { key: "timeouts", label: "Election timeout", kind: "choice", choices: Object.keys(ELECTION_TIMEOUTS), def: "150-300ms" },
  ],
  windowUs: 400_000,
  speed: 0.03,
  create: createRaftDriver,
};
