import { describe, expect, it } from "vitest";
import { createSimulation, type SimulationConfig } from "./simulation.js";
import { NODES, pinger, type PingAction, type PingMsg, type PingState } from "./testing/pinger.js";

const config = (seed: string): SimulationConfig<PingState, PingMsg, PingAction> => ({
  seed, nodes: NODES, model: pinger, network: { latency: ["1ms", "10ms"] }, snapshotEvery: "100ms",
});

/** A run that goes forward, back, forks and jumps forward, calling `check` at each stop. */
function tour(sim: ReturnType<typeof createSimulation<PingState, PingMsg, PingAction>>, check: (where: string) => void): void {
  sim.runUntil("3s");
  check("3s");
  sim.seek("1.2s");
  check("back to 1.2s");
  sim.seekEvent(sim.eventCount + 7);
  check("7 events on");
  sim.seek("2.9s");
  check("forward to 2.9s (a snapshot ahead)");
  sim.act({ type: "partition", groups: [["n1", "n2"]] });
  sim.runUntil("4s");
  check("after a fork");
  sim.seekEvent(3);
  check("event 3");
  sim.seek("3.5s");
  check("3.5s");
}

describe("a trace that keeps only a window", () => {
  it("hashes exactly as the whole trace does, through seeks, forks and jumps", () => {
    const whole = createSimulation(config("window"));
    const windowed = createSimulation(config("window"));
    windowed.keepTraceWindow(200);
    const hashes: string[] = [];
    tour(whole, () => hashes.push(whole.traceHash(), whole.stateHash()));
    const got: string[] = [];
    tour(windowed, (where) => {
      // Left to itself the hash lags until the window is four times too full.
      expect(windowed.trace.length, where).toBeLessThanOrEqual(800);
      got.push(windowed.traceHash(), windowed.stateHash());
    });
    expect(got).toEqual(hashes);
  });

  it("kept up a little at a time, the window holds about its size", () => {
    const whole = createSimulation(config("steady"));
    const windowed = createSimulation(config("steady"));
    windowed.keepTraceWindow(200);
    for (let t = 10_000; t <= 3_000_000; t += 10_000) {
      windowed.runUntil(t);
      whole.runUntil(t);
      windowed.hashTraceSome(100);
      expect(windowed.trace.length).toBeLessThanOrEqual(300);
    }
    expect(windowed.traceStart).toBeGreaterThan(0);
    expect(windowed.traceHash()).toBe(whole.traceHash());
  });

  it("a window begun after a long run (a link opened) catches up and seeks back to its early snapshots", () => {
    const whole = createSimulation(config("late"));
    const windowed = createSimulation(config("late"));
    for (const sim of [whole, windowed]) sim.runUntil("2s");
    windowed.keepTraceWindow(100);
    while (!windowed.hashTraceSome(64)) { /* caught up a little at a time */ }
    for (const sim of [whole, windowed]) sim.runUntil("3s");
    expect(windowed.traceStart).toBeGreaterThan(0);
    for (const t of ["0.35s", "2.5s", "1s"]) {
      whole.seek(t);
      windowed.seek(t);
      expect(windowed.traceHash(), t).toBe(whole.traceHash());
    }
  });

  it("holds the latest records, numbered from traceStart", () => {
    const whole = createSimulation(config("numbers"));
    const windowed = createSimulation(config("numbers"));
    windowed.keepTraceWindow(100);
    whole.runUntil("2s");
    windowed.runUntil("2s");
    expect(windowed.traceStart).toBeGreaterThan(0);
    expect(windowed.traceStart + windowed.trace.length).toBe(whole.trace.length);
    expect(windowed.trace).toEqual(whole.trace.slice(windowed.traceStart));
  });
});
