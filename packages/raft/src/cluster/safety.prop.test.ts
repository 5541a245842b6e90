// Figure 3 of the Raft paper, checked after every event of runs under generated fault
// schedules (crash, restart, partition, heal, cut, isolate, hold, loss, delay, duplication,
// reordering, with proposals and forced elections mixed in); then a liveness phase.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { raftRun } from "../check/arbitraries.js";
import { runChecked, runLiveness } from "../check/run.js";
import { createRaftCluster } from "./cluster.js";

const HORIZON_US = 2_000_000;
const LATENCY: readonly [number, number] = [5_000, 10_000];
/**
 * Liveness bound: once faults stop, 5 s of virtual time (about 16 of the longest election
 * timeouts, 300 ms) for a leader to be elected and for every live server to commit a new
 * entry and every acknowledged one. A split vote repeats with probability well under 1/2 per
 * round (§5.2 and Figure 16), so 16 rounds leave failure odds far below the runs checked.
 */
const LIVENESS_BOUND_US = 5_000_000;

describe("Raft safety under faults (Figure 3) and liveness once they stop", () => {
  it("Election Safety, Leader Append-Only, Log Matching, Leader Completeness, State Machine Safety hold after every event; then a leader commits everywhere within 5 s", () => {
    fc.assert(
      fc.property(raftRun(HORIZON_US), ({ options, schedule }) => {
        const cluster = createRaftCluster({ ...options, latency: ["5ms", "10ms"], trace: false, snapshotEvery: "10s" });
        const { checker } = runChecked(cluster, schedule, HORIZON_US);
        const live = runLiveness(cluster, checker, LIVENESS_BOUND_US, LATENCY);
        expect(live).toMatchObject({ ok: true });
      }),
      { numRuns: 300, verbose: 1 },
    );
  }, 120_000);

  it("the same holds with single-server membership changes mixed in (dissertation §4.1); removed servers are shut down once their removal commits", () => {
    fc.assert(
      fc.property(raftRun(HORIZON_US, [2, 3, 4], 16, true), ({ options, schedule }) => {
        const cluster = createRaftCluster({ ...options, latency: ["5ms", "10ms"], trace: false, snapshotEvery: "10s" });
        const { checker } = runChecked(cluster, schedule, HORIZON_US);
        const live = runLiveness(cluster, checker, LIVENESS_BOUND_US, LATENCY);
        expect(live).toMatchObject({ ok: true });
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
