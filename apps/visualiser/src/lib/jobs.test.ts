import { describe, expect, it, vi } from "vitest";
import type { Micros } from "@drydock/kernel";
import { Playback } from "./playback.svelte.js";
import { LinkSync } from "./link-sync.js";
import { Marks } from "./marks.svelte.js";
import { SPEEDS } from "./speeds.js";
import type { Timeline } from "./scenario.js";
import { createNetworkDriver } from "./scenarios/network/driver.js";

// AppState's jobs, each on its own (state.test.ts checks them together).

function recorder(): Timeline & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    step: () => { calls.push("step"); return true; },
    runUntil: (t: Micros) => { calls.push(`runUntil ${t}`); },
    seek: () => {}, seekEvent: () => {}, act: () => {}, loadActions: () => {}, work: () => 0,
  };
}

describe("Playback", () => {
  it("moves a frame's wall time at the speed, and at most 100 ms of it", () => {
    const p = new Playback();
    p.setSpeed(SPEEDS.findIndex((s) => s.value === 10));
    const tl = recorder();
    expect(p.advance(tl, 1_000, 16)).toBe(true);
    expect(p.advance(tl, 1_000, 5_000)).toBe(true);
    expect(tl.calls).toEqual(["runUntil 161000", "runUntil 1001000"]);
  });

  it("at one event at a time, steps once every 350 ms of wall time", () => {
    const p = new Playback();
    p.setSpeed(0);
    p.play();
    const tl = recorder();
    const moved = [200, 100, 100, 340, 20].map((ms) => p.advance(tl, 0, ms));
    expect(moved).toEqual([false, false, true, false, true]);
    expect(tl.calls).toEqual(["step", "step"]);
  });

  it("clamps the speed to the list and says whether it changed", () => {
    const p = new Playback();
    expect(p.setSpeed(99)).toBe(true);
    expect(p.speedIndex).toBe(SPEEDS.length - 1);
    expect(p.setSpeed(99)).toBe(false);
    expect(p.setSpeed(-3)).toBe(true);
    expect(p.speed).toBe(0);
  });
});

describe("LinkSync", () => {
  it("writes at once when asked, else at most once a second", () => {
    const writes: string[] = [];
    let wall = 0;
    vi.spyOn(performance, "now").mockImplementation(() => wall);
    try {
      const sync = new LinkSync((l) => writes.push(l));
      sync.update(() => "a", false);
      wall = 500;
      sync.update(() => "b", false);
      sync.update(() => "c", true);
      wall = 1_600;
      sync.update(() => "d", false);
      expect(writes).toEqual(["a", "c", "d"]);
    } finally {
      vi.restoreAllMocks();
    }
  });
});

describe("Marks", () => {
  it("reads each record once, even as the trace window drops records, and forgets a dropped future", () => {
    const d = createNetworkDriver("1", { size: 4 });
    const marks = new Marks();
    d.timeline.runUntil(500_000);
    d.timeline.act({ type: "crash", node: "n2" });
    d.timeline.runUntil(1_500_000);
    marks.scan(d.sim, d);
    marks.scan(d.sim, d);
    expect(marks.list).toHaveLength(1);
    const t = marks.list[0]!.t;
    expect(marks.between(t - 1, t)).toBe(marks.list[0]);
    expect(marks.between(t, t + 1_000_000)).toBeUndefined();
    marks.forkAt(t - 1);
    expect(marks.list).toEqual([]);
  });
});
