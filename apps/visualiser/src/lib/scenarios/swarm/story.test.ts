import { describe, expect, it } from "vitest";
import { createSwarmDriver } from "./driver.js";
import { SWARM_STORY, SWARM_STORY_RULES } from "./story.js";
import type { SwarmViewModel } from "./model.js";

// The node-failure story walked as StoryCaption walks it: each step's actions, then the run until
// its point. Every point must be reached within a bound (SwarmKit's grace, Raft's election timeout).

describe("the node-failure story", () => {
  it("walks: a worker dies, its tasks move, the leader dies, a new one, quorum lost and refused, recovered", () => {
    const d = createSwarmDriver("1", {});
    const view = (): SwarmViewModel => d.view([], { selected: null });
    const seen: [string, number][] = [];
    for (const step of SWARM_STORY) {
      const entry = view();
      for (const a of step.act ? SWARM_STORY_RULES.actions(step.act, entry) : []) d.timeline.act(a);
      const t0 = d.sim.now;
      if (step.at && "point" in step.at) {
        const point = step.at.point;
        while (!SWARM_STORY_RULES.reached(point, view(), entry) && d.sim.now - t0 < 120_000_000) d.timeline.runUntil(d.sim.now + 250_000);
        expect(SWARM_STORY_RULES.reached(point, view(), entry), `${step.id}: ${point}`).toBe(true);
      }
      seen.push([step.id, Math.round((d.sim.now - t0) / 1_000_000)]);
      if (step.highlight) expect(SWARM_STORY_RULES.highlight(step.highlight, view()).length, step.id).toBeGreaterThan(0);
    }
    const waited = new Map(seen);
    // The worker's tasks move after the grace: 3 missed 5 s heartbeats, not at once.
    expect(waited.get("moved")!).toBeGreaterThanOrEqual(10);
    expect(waited.get("moved")!).toBeLessThanOrEqual(25);
    const v = view();
    expect(v.tries.some((t) => !t.ok && t.text.includes("does not have a leader"))).toBe(true);
    expect(v.nodes.every((n) => n.up)).toBe(true);
    expect(v.leader).not.toBeNull();
  });
});
