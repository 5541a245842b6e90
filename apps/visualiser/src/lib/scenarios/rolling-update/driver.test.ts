import { describe, expect, it } from "vitest";
import { BAD_IMAGE, BAD_LINE, createRollingDriver, NEW_IMAGE, OLD_IMAGE, UPDATE_LINE, ROLLBACK_LINE } from "./driver.js";
import type { RollingViewModel } from "./model.js";

// Issue 14, rolling update. The rules are SwarmKit's updater (manager/orchestrator/update/
// updater.go): batches of UpdateConfig.Parallelism, Delay between a worker's slots, a new task
// that ends within Monitor is a failure, failures over MaxFailureRatio fire FailureAction
// (pause: UpdateStatus "paused"; rollback: "rollback_started" then "rollback_completed").
// Stop-first shuts the old task down before starting the new one; start-first the other way round.

type D = ReturnType<typeof createRollingDriver>;
const view = (d: D): RollingViewModel => d.view([], { selected: null });
const chips = (v: RollingViewModel) => v.nodes.flatMap((n) => n.tasks.map((t) => ({ ...t, host: n.host })));
const running = (v: RollingViewModel) => chips(v).filter((t) => t.state === "running" && !t.lost && !t.stopping);
const exec = (d: D, line: string) => d.timeline.act({ type: "exec", host: view(d).leader ?? "manager1", line });

/** Runs second by second until `done` or `limit` seconds; returns the views seen. */
function runUntil(d: D, done: (v: RollingViewModel) => boolean, limit = 120): RollingViewModel[] {
  const t0 = d.sim.now;
  const seen: RollingViewModel[] = [];
  for (let s = 1; s <= limit; s++) {
    d.timeline.runUntil(t0 + s * 500_000);
    const v = view(d);
    seen.push(v);
    if (done(v)) break;
  }
  return seen;
}

describe("the rolling-update driver", () => {
  it("opens on six tasks of the old image and the update config the service was created with", () => {
    const v = view(createRollingDriver("1", { parallelism: 2, order: "stop-first", failure: "rollback" }));
    expect(running(v).map((t) => `${t.name} ${t.image}`).sort()).toEqual([1, 2, 3, 4, 5, 6].map((i) => `web.${i} ${OLD_IMAGE}`));
    expect(v.update).toMatchObject({ state: null, image: OLD_IMAGE, parallelism: 2, delayS: 10, monitorS: 5, failureAction: "rollback", order: "stop-first", failures: 0 });
    expect(v.caption.step).toBe("steady");
  });

  it("updates in batches of the parallelism with the delay between them, then completes", () => {
    const d = createRollingDriver("1", { parallelism: 2, order: "stop-first", failure: "rollback" });
    exec(d, UPDATE_LINE);
    const seen = runUntil(d, (v) => v.update?.state === "completed");
    const last = seen[seen.length - 1]!;
    expect(last.update!.state).toBe("completed");
    expect(running(last).every((t) => t.image === NEW_IMAGE)).toBe(true);
    expect(running(last)).toHaveLength(6);
    // Never more than `parallelism` slots off the old version at once (stop-first: old stopped, new not yet running).
    for (const v of seen) expect(6 - running(v).length).toBeLessThanOrEqual(2);
    // The count of new tasks goes up in steps of two, with the delay seen in between.
    const counts = [...new Set(seen.map((v) => v.update!.onNew))];
    expect(counts).toEqual(expect.arrayContaining([2, 4, 6]));
    expect(seen.some((v) => v.update!.delayLeftS !== null)).toBe(true);
    expect(seen.some((v) => v.caption.step === "updating")).toBe(true);
    // 3 batches, 2 delays of 10 s: at least 20 s of virtual time.
    expect(seen.length * 0.5).toBeGreaterThanOrEqual(20);
  });

  it("stop-first stops an old task before its new one runs; start-first runs both at once", () => {
    const most = (order: string) => {
      const d = createRollingDriver("1", { parallelism: 1, order, failure: "rollback" });
      exec(d, UPDATE_LINE);
      const seen = runUntil(d, (v) => v.update?.state === "completed", 300);
      expect(seen[seen.length - 1]!.update!.state).toBe("completed");
      return {
        fewest: Math.min(...seen.map((v) => running(v).length)),
        most: Math.max(...seen.map((v) => running(v).length + chips(v).filter((t) => t.stopping).length)),
        stoppingWhileNewRuns: seen.some((v) => chips(v).some((t) => t.stopping && running(v).some((r) => r.slot === t.slot))),
      };
    };
    const stop = most("stop-first");
    const start = most("start-first");
    expect(stop.fewest).toBe(5);
    expect(start.fewest).toBe(6);
    expect(start.stoppingWhileNewRuns || start.most > 6).toBe(true);
  });

  it("a bad image rolls back with --update-failure-action rollback: rollback_completed, old version on every chip", () => {
    const d = createRollingDriver("1", { parallelism: 2, order: "stop-first", failure: "rollback" });
    exec(d, BAD_LINE);
    const seen = runUntil(d, (v) => v.update?.state === "rollback_completed", 240);
    const last = seen[seen.length - 1]!;
    expect(last.update!.state).toBe("rollback_completed");
    expect(last.update!.message).toBe("rollback completed");
    expect(seen.some((v) => v.update!.state === "rollback_started")).toBe(true);
    expect(seen.some((v) => v.update!.failures > 0)).toBe(true);
    expect(running(last).map((t) => t.image)).toEqual(Array(6).fill(OLD_IMAGE));
    expect(last.caption.step).toBe("rollback_completed");
    expect(d.notable(d.sim.trace, 0).map((m) => m.label)).toEqual(expect.arrayContaining(["web: rollback started", "web: rollback completed"]));
    expect(chips(last).some((t) => t.image === BAD_IMAGE && t.state === "running")).toBe(false);
  });

  it("a bad image pauses with --update-failure-action pause; docker service rollback brings the old version back", () => {
    const d = createRollingDriver("1", { parallelism: 2, order: "stop-first", failure: "pause" });
    exec(d, BAD_LINE);
    const seen = runUntil(d, (v) => v.update?.state === "paused", 240);
    const paused = seen[seen.length - 1]!;
    expect(paused.update!.state).toBe("paused");
    expect(paused.update!.message).toMatch(/^update paused due to failure or early termination of task [0-9a-z]{25}$/);
    expect(paused.caption.step).toBe("paused");
    // Paused: the slots not reached keep the old version.
    expect(running(paused).filter((t) => t.image === OLD_IMAGE).length).toBeGreaterThanOrEqual(4);
    exec(d, ROLLBACK_LINE);
    const after = runUntil(d, (v) => v.update?.state === "rollback_completed", 240);
    expect(after[after.length - 1]!.update!.state).toBe("rollback_completed");
    expect(running(after[after.length - 1]!).map((t) => t.image)).toEqual(Array(6).fill(OLD_IMAGE));
  });
});
