import { isDrydockError, type Action, type Micros } from "@drydock/kernel";
import type { RaftCluster } from "../cluster/cluster.js";
import type { RaftAction } from "../cluster/model.js";
import { hasUncommittedConfig, lastIndex, termAt } from "../core/index.js";
import { SafetyChecker } from "./invariants.js";

export interface TimedAction {
  readonly at: Micros;
  readonly action: Action<RaftAction>;
}

export interface CheckedRun {
  readonly checker: SafetyChecker;
  /** Actions the cluster refused (a proposal with no leader, ...): they changed nothing. */
  readonly refused: number;
  readonly events: number;
}

/**
 * The safety phase of a VOPR-style run: the schedule's actions are taken at their times and
 * the Figure 3 properties are checked after every single event.
 */
export function runChecked(cluster: RaftCluster, schedule: readonly TimedAction[], horizon: Micros, checker = new SafetyChecker()): CheckedRun {
  const sim = cluster.sim;
  let refused = 0;
  const events0 = sim.eventCount;
  checker.check(sim.state, sim.net);
  const advance = (to: Micros) => {
    while (sim.nextEventTime <= to) {
      sim.step();
      checker.check(sim.state, sim.net);
    }
    sim.runUntil(to);
  };
  for (const { at, action } of schedule) {
    if (at > horizon) break;
    advance(at);
    try {
      // addServer goes through the cluster, which first adds an unknown server to the network.
      if (action.type === "addServer") cluster.addServer(action.node);
      else sim.act(action);
    } catch (e) {
      if (!isDrydockError(e)) throw e;
      refused++;
    }
    checker.check(sim.state, sim.net);
  }
  advance(horizon);
  return { checker, refused, events: sim.eventCount - events0 };
}

export interface LivenessResult {
  readonly ok: boolean;
  /** Virtual time from the end of faults until every live server held every acknowledged entry and a new one. */
  readonly tookUs: Micros;
  readonly reason?: string;
}

/**
 * The liveness phase: faults stop (every link healed and reset, every server restarted), and
 * within `bound` a leader must be elected, take a new proposal, and every live server must
 * commit it and every entry acknowledged before. Safety is still checked on every event.
 */
export function runLiveness(cluster: RaftCluster, checker: SafetyChecker, bound: Micros, latency: readonly [Micros, Micros]): LivenessResult {
  const sim = cluster.sim;
  const start = sim.now;
  sim.act({ type: "heal" });
  sim.act({ type: "link", loss: 0, duplicate: 0, reorder: false, latency });
  for (const id of sim.net.nodes) if (!sim.net.up[id]) sim.act({ type: "restart", node: id });
  checker.check(sim.state, sim.net);
  const deadline = start + bound;
  let marker: { index: number; term: number } | null = null;
  while (sim.now <= deadline) {
    const current = cluster.leader();
    if (current !== null) shutDownRemoved(cluster, current);
    if (!marker && current !== null) {
      const p = cluster.propose({ liveness: start });
      marker = { index: p.index, term: p.term };
    }
    if (marker) {
      const need = Math.max(marker.index, checker.committedIndex);
      const servers = sim.state.servers;
      // Every server in the leader's configuration (the cluster now) holds and commits it all.
      const members = current !== null ? servers[current]!.raft.config : sim.net.nodes;
      const done = current !== null && members.every((id) => {
        const r = servers[id]?.raft;
        return r !== undefined && r.commitIndex >= need && lastIndex(r) >= need;
      });
      const t = checker.committedTerm(marker.index);
      if (done && t === marker.term) return { ok: true, tookUs: sim.now - start };
      // The marker was lost with a leader that fell before it committed (Leader Completeness:
      // a later leader holds every committed entry): propose again.
      const lr = current !== null ? servers[current]!.raft : null;
      const held = lr === null || lr.term === marker.term || (termAt(lr, marker.index) ?? t) === marker.term;
      if ((t !== undefined && t !== marker.term) || !held) marker = null;
    }
    const next = Math.min(sim.nextEventTime, deadline + 1);
    if (next > deadline) break;
    sim.step();
    checker.check(sim.state, sim.net);
  }
  return { ok: false, tookUs: sim.now - start, reason: marker ? `entry ${marker.index} not committed everywhere` : "no leader elected" };
}

/**
 * Dissertation §4.2.2: once a configuration without a server commits, that server can be shut
 * down. A removed server that never learned of its removal would otherwise time out and
 * disrupt the cluster forever with RequestVotes of rising terms (§4.2.3).
 */
function shutDownRemoved(cluster: RaftCluster, leader: string): void {
  const sim = cluster.sim;
  const r = sim.state.servers[leader]!.raft;
  if (hasUncommittedConfig(r)) return;
  for (const id of sim.net.nodes) if (sim.net.up[id] && !r.config.includes(id)) sim.act({ type: "crash", node: id });
}
