// Figure 3 of the Raft paper, checked after every event of runs under generated fault
// schedules (crash, bounce, restart, partition, heal, cut, isolate, hold, release, loss, delay,
// duplication, reordering, with proposals and forced elections mixed in); then a liveness
// phase. The runs, the schedules, the checks and the report come from @drydock/testkit: a
// failure prints the seed, the shrunk schedule and a link that opens the app at that event.
import fc from "fast-check";
import { describe, it } from "vitest";
import { assertProperty, checkRaftRun, raftRun } from "@drydock/testkit";

const HORIZON_US = 2_000_000;
/**
 * Liveness bound: once faults stop, 5 s of virtual time (about 16 of the longest election
 * timeouts, 300 ms) for a leader to be elected and for every live server to commit a new
 * entry and every acknowledged one. A split vote repeats with probability well under 1/2 per
 * round (§5.2 and Figure 16), so 16 rounds leave failure odds far below the runs checked.
 */
const LIVENESS_BOUND_US = 5_000_000;

describe("Raft safety under faults (Figure 3) and liveness once they stop", () => {
  it("Election Safety, Leader Append-Only, Log Matching, Leader Completeness, State Machine Safety hold after every event; then a leader commits everywhere within 5 s", () => {
    assertProperty(
      fc.property(raftRun({ horizonUs: HORIZON_US }), (run) => {
        checkRaftRun(run, { horizonUs: HORIZON_US, livenessBoundUs: LIVENESS_BOUND_US });
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it("the same holds with single-server membership changes mixed in (dissertation §4.1); removed servers are shut down once their removal commits", () => {
    assertProperty(
      fc.property(raftRun({ horizonUs: HORIZON_US, sizes: [2, 3, 4], membership: true }), (run) => {
        checkRaftRun(run, { horizonUs: HORIZON_US, livenessBoundUs: LIVENESS_BOUND_US });
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
