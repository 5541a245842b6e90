// A sweep property that is wrong on purpose ("there is only ever one leader", docs/testing.md),
// loaded with `drydock sweep --load` by sweep.test.ts to see failures reported and merged.
import type { ClusterState } from "@drydock/raft";
import { defineSweepProperty, raftAppRun, raftRun, raftRunCluster, runChecked, type Invariant } from "@drydock/testkit";

const oneLeader: Invariant<ClusterState> = {
  name: "one leader at a time",
  check(sim) {
    const leaders = Object.values(sim.state.servers).filter((s) => s.raft.role === "leader" && sim.net.up[s.raft.id]);
    if (leaders.length > 1) throw new Error(`${leaders.map((s) => s.raft.id).join(" and ")} both lead`);
  },
};

export const oneLeaderProperty = defineSweepProperty({
  name: "one-leader",
  summary: "at most one server leads at any instant (wrong: Raft promises one leader per term)",
  arbitrary: raftRun({ horizonUs: 3_000_000, extra: false, faults: ["partition", "heal", "isolate"] }),
  check(run) {
    const cluster = raftRunCluster(run);
    return runChecked(cluster.sim, { schedule: run.schedule, until: 3_000_000, invariants: [oneLeader], act: (a) => cluster.sim.act(a), app: raftAppRun(run) });
  },
});

export const sweepProperties = [oneLeaderProperty];
