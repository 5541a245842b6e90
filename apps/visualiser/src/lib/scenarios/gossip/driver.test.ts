import { describe, expect, it } from "vitest";
import { createGossipDriver } from "./driver.js";
import { SEEN_DEAD } from "./model.js";
import { AppState } from "../../state.svelte.js";
import { SCENARIOS } from "../../scenarios.js";

const opts = { members: "10", latency: "lan", loss: "0", lifeguard: true, baseline: true };

describe("gossip driver", () => {
  it("mirrors faults into the heartbeat baseline and follows the timeline back and forth", () => {
    const d = createGossipDriver("3", opts);
    d.timeline.runUntil(2_000_000);
    d.timeline.act({ type: "crash", node: "m5" });
    expect(d.baseline!.sim.net.up.m5).toBe(false);
    d.timeline.runUntil(20_000_000);
    const v = d.view(d.sim.inFlight(), { selected: null });
    // SWIM §4.2 and the heartbeat timeout: every live member ends up declaring m5 dead.
    for (let i = 0; i < 10; i++) if (v.swim.up[i] === 1) expect(v.swim.seen[i]).toBe(SEEN_DEAD);
    for (let i = 0; i < 10; i++) if (v.baseline!.up[i] === 1) expect(v.baseline!.seen[i]).toBe(SEEN_DEAD);
    d.timeline.seek(1_000_000);
    expect(d.baseline!.sim.now).toBe(1_000_000);
    expect(d.baseline!.sim.net.up.m5).toBe(true);
  });

  it("marks only the first declaration of a death, and forgets marks of a dropped future", () => {
    const app = new AppState(SCENARIOS, "?scenario=gossip&members=10&latency=lan&seed=4");
    app.act({ type: "crash", node: "m2" });
    app.seekTime(30_000_000);
    const deaths = app.marks.filter((m) => m.label.startsWith("m2 declared dead"));
    expect(deaths).toHaveLength(1);
    // Going back before the crash and acting forks: the old future's marks go.
    app.seekEvent(0);
    app.act({ type: "crash", node: "m3" });
    expect(app.marks).toEqual([]);
    app.seekTime(30_000_000);
    expect(app.marks.some((m) => m.label.startsWith("m3 declared dead"))).toBe(true);
    expect(app.marks.some((m) => m.label.startsWith("m2"))).toBe(false);
  });

  it("a link with actions rebuilds the baseline too", () => {
    const app = new AppState(SCENARIOS, "?scenario=gossip&members=10&latency=lan&seed=5");
    app.seekTime(1_500_000);
    app.act({ type: "crash", node: "m7" });
    app.seekTime(9_000_000);
    const copy = new AppState(SCENARIOS, app.linkSearch());
    expect(copy.linkError).toBeNull();
    expect(copy.hashes).toEqual(app.hashes);
    const a = app.frame.view as ReturnType<ReturnType<typeof createGossipDriver>["view"]>;
    const b = copy.frame.view as typeof a;
    expect(Array.from(b.baseline!.seen)).toEqual(Array.from(a.baseline!.seen));
    expect(b.baseline!.sent).toBe(a.baseline!.sent);
  });
});
