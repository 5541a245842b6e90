// The examples of docs/testing.md, as written there: the first passes, the second fails with a
// report that names the broken idea and links to the app.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ClusterState } from "@drydock/raft";
import { assertProperty, checkRaftRun, raftAppRun, raftRun, raftRunCluster, runChecked, type Invariant } from "./index.js";

describe("docs/testing.md", () => {
  it("Raft keeps Figure 3 under faults, and a leader commits everywhere once they stop", () => {
    assertProperty(
      fc.property(raftRun({ horizonUs: 2_000_000, extra: false }), (run) => {
        checkRaftRun(run, { horizonUs: 2_000_000 });
      }),
      { numRuns: 50 },
    );
  });

  it("'there is only ever one leader' fails, with the seed, the shrunk schedule and a link", () => {
    const oneLeader: Invariant<ClusterState> = {
      name: "one leader at a time",
      check(sim) {
        const leaders = Object.values(sim.state.servers).filter((s) => s.raft.role === "leader" && sim.net.up[s.raft.id]);
        if (leaders.length > 1) throw new Error(`${leaders.map((s) => s.raft.id).join(" and ")} both lead`);
      },
    };
    let report = "";
    try {
      assertProperty(
        fc.property(raftRun({ horizonUs: 3_000_000, extra: false, faults: ["partition", "heal", "isolate"] }), (run) => {
          const cluster = raftRunCluster(run);
          runChecked(cluster.sim, {
            schedule: run.schedule, until: 3_000_000, invariants: [oneLeader],
            act: (a) => cluster.sim.act(a), app: raftAppRun(run),
          });
        }),
      );
    } catch (e) {
      report = (e as Error).message;
    }
    expect(report).toMatch(/Broke: one leader at a time \(safety\) at event \d+, t = [\d.]+ s: s\d and s\d both lead/);
    expect(report).toMatch(/Open in the app, paused at that event: http:\/\/localhost:5173\/\?v=1&view=raft&scenario=raft&seed=seed-\d+.*&e=\d+&actions=/);
  });
});
