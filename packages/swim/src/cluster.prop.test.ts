// SWIM's properties over generated fault schedules. The runs and their checks are
// @drydock/testkit's (the same ones `drydock sweep swim-*` runs): each draws a cluster, a seed
// and a schedule of faults, replays it on a fresh cluster with the invariants checked after
// every event, and a failure prints the seed, the shrunk schedule and (for a run the app can
// build) a link to it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assertProperty, checkSwimAccuracyRun, checkSwimCompletenessRun, checkSwimDisseminationRun, checkSwimIncarnationsRun,
  swimAccuracyRun, swimCompletenessRun, swimDisseminationRun, swimIncarnationsRun,
} from "@drydock/testkit";

describe("SWIM properties over generated fault schedules", () => {
  it("completeness (SWIM §5): every crashed member is declared dead, within a bound from the parameters, by every live member that knew it", () => {
    assertProperty(fc.property(swimCompletenessRun(), (run) => {
      checkSwimCompletenessRun(run);
    }), { numRuns: 25 });
  }, 60_000);

  it("accuracy (SWIM §5): with no loss and no partition, no member is suspected or declared dead unless it crashed; once faults stop, every member sees every other alive and holds every payload", () => {
    assertProperty(fc.property(swimAccuracyRun(), (run) => {
      checkSwimAccuracyRun(run);
    }), { numRuns: 25 });
  }, 60_000);

  it("a refuted suspicion never leads to death: no observer declares a member dead at an incarnation it already saw outbid; no observer holds an incarnation the member never announced", () => {
    let refutations = 0;
    assertProperty(fc.property(swimIncarnationsRun(), (run) => {
      refutations += checkSwimIncarnationsRun(run).refutations;
    }), { numRuns: 25 });
    // The schedules do make members refute (otherwise this property would say nothing).
    expect(refutations).toBeGreaterThan(0);
  }, 60_000);

  it("dissemination: every payload published reaches every live member once faults stop (and, with Docker's reconnect, every split heals)", () => {
    assertProperty(fc.property(swimDisseminationRun(), (run) => {
      checkSwimDisseminationRun(run);
    }), { numRuns: 25 });
  }, 60_000);
});
