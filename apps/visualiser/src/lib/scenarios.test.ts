import { describe, expect, it } from "vitest";
import { leaderChanges } from "@drydock/raft";
import { SCENARIOS, DEFAULT_SCENARIO } from "./scenarios.js";
import { createRaftDriver } from "./scenarios/raft/driver.js";
import { createGossipDriver } from "./scenarios/gossip/driver.js";
import { swimEvents } from "./scenarios/gossip/events.js";
import { createNetworkDriver } from "./scenarios/network/driver.js";

// A scenario is one folder under scenarios/ that the app finds by itself; its driver reads
// notable moments through the protocol's own typed events.
describe("scenarios are found, not listed", () => {
  it("finds every folder's scenario, in the picker's order, Raft first", () => {
    // Other folders join as views arrive (the helpers of issues 15-17 add theirs): the first ones keep their order.
    expect(SCENARIOS.map((s) => s.id).slice(0, 6)).toEqual(["raft", "gossip", "network", "node-failure", "rolling-update", "routing-mesh"]);
    expect(SCENARIOS.map((s) => s.id)).toContain("lab");
    expect(SCENARIOS.map((s) => s.order)).toEqual([...SCENARIOS.map((s) => s.order)].sort((a, b) => a - b));
    expect(DEFAULT_SCENARIO.id).toBe("raft");
    expect(new Set(SCENARIOS.map((s) => s.id)).size).toBe(SCENARIOS.length);
    for (const s of SCENARIOS) {
      expect(typeof s.component, s.id).toBe("function");
      expect(s.windowUs, s.id).toBeGreaterThan(0);
    }
    // The side panel's part is optional: the network view has none.
    expect(SCENARIOS.filter((s) => s.panel).map((s) => s.id)).toEqual(["raft", "gossip", "node-failure", "rolling-update", "routing-mesh"]);
  });

  it("every driver names its lanes as actors (nodes today)", () => {
    for (const s of SCENARIOS) {
      const d = s.create("1", Object.fromEntries(s.options.map((o) => [o.key, o.def])));
      expect(d.actors.map((a) => a.id), s.id).toEqual(d.sim.net.nodes);
      expect(d.actors.every((a) => a.kind === "node" && a.label === a.id), s.id).toBe(true);
    }
  });
});

describe("notable events come from the protocols' typed events", () => {
  it("Raft: each leader elected, as raft's leaderChanges reports them", () => {
    const d = createRaftDriver("5", { size: 5 });
    d.timeline.runUntil(3_000_000);
    d.timeline.act({ type: "crash", node: d.view([], { selected: null }).clientLeader! });
    d.timeline.runUntil(6_000_000);
    const marks = d.notable(d.sim.trace, 0);
    const leaders = leaderChanges(d.sim.trace);
    expect(leaders.length).toBeGreaterThanOrEqual(2);
    expect(marks).toEqual(leaders.map((l) => ({ t: l.t, label: `${l.node} became leader in term ${l.term}` })));
    // Reading from a later record gives the later ones only.
    const from = leaders[1]!.seq;
    expect(d.notable(d.sim.trace, from)).toEqual(marks.slice(1));
  });

  it("SWIM: the first suspicion and declaration of a crashed member, from swim's state records", () => {
    const d = createGossipDriver("2", { members: "20", baseline: false });
    d.timeline.runUntil(2_000_000);
    d.timeline.act({ type: "crash", node: "m7" });
    d.timeline.runUntil(20_000_000);
    const events = swimEvents(d.sim.trace);
    expect(events.some((e) => e.event === "suspect" && e.member === "m7")).toBe(true);
    const labels = d.notable(d.sim.trace, 0).map((m) => m.label);
    expect(labels.filter((l) => l.startsWith("m7 suspected"))).toHaveLength(1);
    expect(labels.filter((l) => l.startsWith("m7 declared dead"))).toHaveLength(1);
  });

  it("the ping model: once per failure", () => {
    const d = createNetworkDriver("1", { size: 4 });
    d.timeline.runUntil(500_000);
    d.timeline.act({ type: "crash", node: "n2" });
    d.timeline.runUntil(3_000_000);
    const marks = d.notable(d.sim.trace, 0);
    expect(marks).toHaveLength(1);
    expect(marks[0]!.label).toMatch(/: no reply from n2$/);
  });
});
