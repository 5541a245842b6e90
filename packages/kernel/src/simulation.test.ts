import { describe, expect, it } from "vitest";
import { DrydockError } from "./errors.js";
import { createSimulation, replaySession, type Model, type SimulationConfig } from "./simulation.js";
import { NODES, pinger, type PingAction, type PingMsg, type PingState } from "./testing/pinger.js";

const config = (over: Partial<SimulationConfig<PingState, PingMsg, PingAction>> = {}): SimulationConfig<PingState, PingMsg, PingAction> => ({
  seed: "unit",
  nodes: NODES,
  model: pinger,
  network: { latency: ["1ms", "10ms"] },
  ...over,
});

describe("Simulation: running", () => {
  it("runUntil processes every event at or before t and leaves the clock at t", () => {
    const sim = createSimulation(config());
    sim.runUntil("500ms");
    expect(sim.now).toBe(500_000);
    expect(sim.nextEventTime).toBeGreaterThan(500_000);
    expect(sim.trace.every((r) => r.t <= 500_000)).toBe(true);
  });

  it("the trace is ordered by virtual time", () => {
    const sim = createSimulation(config());
    sim.runUntil("1s");
    for (let i = 1; i < sim.trace.length; i++) expect(sim.trace[i]!.t).toBeGreaterThanOrEqual(sim.trace[i - 1]!.t);
  });

  it("golden: the pinger scenario's trace hash is pinned", () => {
    const sim = createSimulation(config({ seed: "golden" }));
    sim.runUntil("2s");
    sim.act({ type: "partition", groups: [["n1", "n2"]] });
    sim.runUntil("3s");
    sim.act({ type: "heal" });
    sim.runUntil("4s");
    expect(sim.trace.length).toBeGreaterThan(1000);
    expect(sim.traceHash()).toMatchInlineSnapshot(`"7d094c4bd1f0e85cb5f27a26a69b1190cd1f83e5fd0a8e0d522e3daaa0c8595c"`);
  });

  it("a model that never lets time pass is stopped with a clear error", () => {
    const spin: Model<number, PingMsg> = {
      init: (ctx) => (ctx.setTimer("a", 0, "t"), 0),
      timer: (s, node, _n, _d, ctx) => (ctx.setTimer(node, ctx.now, "t"), s + 1),
      deliver: (s) => s,
    };
    const sim = createSimulation({ seed: 1, nodes: ["a"], model: spin, eventsPerInstantMax: 1000 });
    expect(() => sim.runUntil("1s")).toThrow(/more than 1000 events at 0s/);
  });
});

describe("Simulation: faults as actions (bad input changes nothing)", () => {
  it.each([
    [{ type: "crash", node: "n9" }, /unknown node "n9"/],
    [{ type: "partition", groups: [["n1", "n2"], ["n2", "n3"]] }, /"n2" is in more than one partition group/],
    [{ type: "partition", groups: [["n1", "nX"]] }, /unknown node "nX"/],
    [{ type: "cut", a: "n1", b: "n1" }, /cannot cut a node from itself/],
    [{ type: "link", loss: 1.5 }, /invalid loss probability 1.5/],
    [{ type: "link", latency: ["5 parsecs", "1s"] }, /invalid duration "5 parsecs"/],
    [{ type: "addNode", node: "n1" }, /node "n1" already exists/],
    [{ type: "link", from: "n8", to: "n1", loss: 0.5 }, /unknown node "n8"/],
    [{ type: "link", from: "n1", loss: 0.5 }, /names both ends or neither/],
    [{ type: "hold", from: "n1", to: "n0" }, /unknown node "n0"/],
    [{ type: "isolate", node: "n6" }, /unknown node "n6"/],
    [{ type: "burst", node: "zz", count: 1 }, /unknown node "zz"/],
    [{ type: "frobnicate" }, /./],
  ] as const)("%j is rejected", (action, message) => {
    const sim = createSimulation(config());
    sim.runUntil("200ms");
    const before = sim.stateHash();
    const log = sim.actionLog.length;
    expect(() => sim.act(action as never)).toThrow(DrydockError);
    expect(() => sim.act(action as never)).toThrow(message);
    expect(sim.stateHash()).toBe(before);
    expect(sim.actionLog.length).toBe(log);
  });

  it("a schedule naming an unknown node is rejected before anything is created", () => {
    expect(() => createSimulation(config({ schedule: [{ at: "1s", action: { type: "crash", node: "n7" } }] }))).toThrow(/unknown node "n7"/);
  });

  it("a crashed node receives nothing, its in-flight messages are dropped, its timers stop", () => {
    const sim = createSimulation(config());
    sim.runUntil("300ms");
    sim.act({ type: "crash", node: "n3" });
    const from = sim.trace.length;
    sim.runUntil("1s");
    const after = sim.trace.slice(from);
    expect(after.some((r) => r.type === "deliver" && r.to === "n3")).toBe(false);
    expect(after.some((r) => r.type === "timer" && r.node === "n3")).toBe(false);
    expect(after.some((r) => r.type === "drop" && r.to === "n3" && r.reason === "crashed")).toBe(true);
  });

  it("a crash kills the node's pending timers and in-flight messages for good, even across a restart", () => {
    // Issue 2: a crashed node loses its volatile state and its in-flight messages; its timers
    // belong to the dead incarnation and must not fire in the restarted one.
    type S = { readonly fired: readonly string[]; readonly got: readonly string[] };
    const model: Model<S, PingMsg> = {
      init: (ctx) => {
        ctx.setTimer("a", 500_000, "late");
        ctx.send("b", "a", { type: "ping", n: 1 });
        ctx.send("a", "b", { type: "ping", n: 2 });
        return { fired: [], got: [] };
      },
      timer: (s, node, name) => ({ ...s, fired: [...s.fired, `${node}:${name}`] }),
      deliver: (s, msg, _from, to) => ({ ...s, got: [...s.got, `${to}:${msg.n}`] }),
    };
    const sim = createSimulation({ seed: 1, nodes: ["a", "b"], model, network: { latency: ["50ms", "50ms"] } });
    sim.runUntil("10ms");
    sim.act({ type: "crash", node: "a" });
    sim.runUntil("20ms");
    sim.act({ type: "restart", node: "a" });
    sim.runUntil("1s");
    expect(sim.state.fired).toEqual([]);
    expect(sim.state.got).toEqual([]);
    expect(sim.counters.dropped.crashed).toBe(2);
  });

  it("restart calls the model and the node takes part again", () => {
    const sim = createSimulation(config());
    sim.act({ type: "crash", node: "n2" });
    sim.runUntil("100ms");
    sim.act({ type: "restart", node: "n2" });
    sim.runUntil("1s");
    expect(sim.state.restarts).toBe(1);
    expect(sim.trace.some((r) => r.type === "timer" && r.node === "n2" && r.t > 100_000)).toBe(true);
  });

  it("a partition drops messages between sides (reason: partition) and heal restores them", () => {
    const sim = createSimulation(config());
    sim.act({ type: "partition", groups: [["n1", "n2"], ["n3", "n4", "n5"]] });
    sim.runUntil("1s");
    const side = (n: string) => (n === "n1" || n === "n2" ? 0 : 1);
    for (const r of sim.trace) {
      if (r.type === "deliver") expect(side(r.from)).toBe(side(r.to));
    }
    expect(sim.counters.dropped.partition).toBeGreaterThan(0);
    sim.act({ type: "heal" });
    const from = sim.trace.length;
    sim.runUntil("2s");
    expect(sim.trace.slice(from).some((r) => r.type === "deliver" && side(r.from) !== side(r.to))).toBe(true);
  });

  it("a held link keeps its messages until released, then delivers them in order", () => {
    const sim = createSimulation(config());
    sim.act({ type: "hold", from: "n1", to: "n2" });
    sim.runUntil("1s");
    const held = sim.heldMessages().map((m) => m.id);
    expect(held.length).toBeGreaterThan(0);
    expect(sim.trace.some((r) => r.type === "deliver" && r.from === "n1" && r.to === "n2")).toBe(false);
    sim.act({ type: "release", from: "n1", to: "n2" });
    sim.runUntil("1.1s");
    const delivered = sim.trace.filter((r) => r.type === "deliver" && r.from === "n1" && r.to === "n2").map((r) => (r as { id: number }).id);
    expect(delivered.slice(0, held.length)).toEqual(held);
    // Released means released: later messages on the link are not held again.
    sim.runUntil("2s");
    expect(sim.net.held).toEqual([]);
    expect(sim.heldMessages()).toEqual([]);
  });

  it("released messages do not overtake messages already in flight on a FIFO link", () => {
    // Issue 2: with reordering off, each link delivers in send order, holds included.
    const model: Model<readonly number[], PingMsg> = {
      init: (ctx) => {
        ctx.send("a", "b", { type: "ping", n: 1 });
        ctx.setTimer("a", 1_000, "again");
        return [];
      },
      timer: (s, _node, _name, _data, ctx) => (ctx.send("a", "b", { type: "ping", n: 2 }), s),
      deliver: (s, msg) => [...s, msg.n],
    };
    const sim = createSimulation({ seed: 1, nodes: ["a", "b"], model, network: { latency: ["50ms", "50ms"], reorder: false } });
    sim.act({ type: "hold", from: "a", to: "b" });
    // The link gets faster: a released message would arrive first if FIFO were not kept.
    sim.act({ type: "link", from: "a", to: "b", latency: ["1ms", "1ms"] });
    sim.runUntil("5ms");
    expect(sim.heldMessages()).toHaveLength(1);
    sim.act({ type: "release", from: "a", to: "b" });
    sim.runUntil("1s");
    expect(sim.state).toEqual([1, 2]);
  });

  it("a crash drops the messages held on its links at once (reason: crashed)", () => {
    const sim = createSimulation(config());
    sim.act({ type: "hold", from: "n1", to: "n2" });
    sim.runUntil("500ms");
    const n = sim.heldMessages().length;
    expect(n).toBeGreaterThan(0);
    const before = sim.counters.dropped.crashed;
    sim.act({ type: "crash", node: "n2" });
    expect(sim.heldMessages()).toHaveLength(0);
    expect(sim.counters.dropped.crashed - before).toBeGreaterThanOrEqual(n);
  });

  it("release with drop discards the held messages (reason: held)", () => {
    const sim = createSimulation(config());
    sim.act({ type: "hold", from: "n4", to: "n5" });
    sim.runUntil("1s");
    const n = sim.heldMessages().length;
    sim.act({ type: "release", from: "n4", to: "n5", drop: true });
    expect(sim.counters.dropped.held).toBe(n);
  });

  it("heal restores cut and isolated links as well as partitions", () => {
    const sim = createSimulation(config());
    sim.act({ type: "cut", a: "n1", b: "n2" });
    sim.act({ type: "isolate", node: "n5" });
    sim.runUntil("1s");
    sim.act({ type: "heal" });
    const from = sim.trace.length;
    sim.runUntil("3s");
    const after = sim.trace.slice(from);
    expect(sim.net.cuts).toEqual([]);
    expect(after.some((r) => r.type === "deliver" && ((r.from === "n1" && r.to === "n2") || (r.from === "n2" && r.to === "n1")))).toBe(true);
    expect(after.some((r) => r.type === "deliver" && (r.from === "n5" || r.to === "n5"))).toBe(true);
    expect(after.some((r) => r.type === "drop" && r.reason === "partition")).toBe(false);
  });

  it("a user can drop one message in flight", () => {
    const sim = createSimulation(config());
    sim.runUntil("100ms");
    const m = sim.inFlight()[0]!;
    sim.act({ type: "dropMessage", id: m.id });
    sim.runUntil("200ms");
    expect(sim.trace.find((r) => r.type === "drop" && r.id === m.id)).toMatchObject({ reason: "user" });
    expect(sim.trace.some((r) => r.type === "deliver" && r.id === m.id)).toBe(false);
  });

  it("loss 1 on one link drops everything on it and nothing elsewhere", () => {
    const sim = createSimulation(config());
    sim.act({ type: "link", from: "n1", to: "n2", loss: 1 });
    sim.runUntil("2s");
    const lost = sim.trace.filter((r) => r.type === "drop");
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((r) => r.type === "drop" && r.from === "n1" && r.to === "n2" && r.reason === "loss")).toBe(true);
  });

  it("duplicate 1 delivers every message twice, under the same id (issue 2: duplication)", () => {
    const sim = createSimulation(config({ network: { latency: ["1ms", "10ms"], duplicate: 1 } }));
    sim.runUntil("500ms");
    const delivered = new Map<number, number>();
    for (const r of sim.trace) if (r.type === "deliver") delivered.set(r.id, (delivered.get(r.id) ?? 0) + 1);
    expect(delivered.size).toBeGreaterThan(10);
    const pending = new Set(sim.inFlight().map((m) => m.id));
    for (const [id, n] of delivered) if (!pending.has(id)) expect(n, `message ${id}`).toBe(2);
    expect(sim.counters.duplicated).toBe(sim.counters.sent);
  });

  it("with reordering on, a link may deliver out of send order; with it off, never (issue 2)", () => {
    const outOfOrder = (reorder: boolean) => {
      const sim = createSimulation(config({ network: { latency: ["1ms", "40ms"], reorder } }));
      sim.runUntil("2s");
      const last = new Map<string, number>();
      let count = 0;
      for (const r of sim.trace) {
        if (r.type !== "deliver") continue;
        const key = `${r.from}>${r.to}`;
        if (r.id < (last.get(key) ?? 0)) count++;
        last.set(key, Math.max(last.get(key) ?? 0, r.id));
      }
      return count;
    };
    expect(outOfOrder(true)).toBeGreaterThan(0);
    expect(outOfOrder(false)).toBe(0);
  });

  it("addNode joins a new node to the network", () => {
    const sim = createSimulation(config());
    sim.act({ type: "addNode", node: "n6" });
    sim.runUntil("2s");
    expect(sim.net.nodes).toContain("n6");
    expect(sim.trace.some((r) => r.type === "deliver" && r.to === "n6")).toBe(true);
  });
});

describe("Simulation: time travel", () => {
  it("seek back then forward returns to the identical state", () => {
    const sim = createSimulation(config({ snapshotEvery: "250ms" }));
    sim.runUntil("3s");
    const end = sim.stateHash();
    sim.seek("1.3s");
    const fresh = createSimulation(config({ snapshotEvery: "250ms" }));
    fresh.runUntil("1.3s");
    expect(sim.stateHash()).toBe(fresh.stateHash());
    sim.seek("3s");
    expect(sim.stateHash()).toBe(end);
  });

  it("step back one event (seekEvent) equals a fresh run of n - 1 events", () => {
    const sim = createSimulation(config());
    sim.runUntil("1s");
    const n = sim.eventCount;
    sim.seekEvent(n - 1);
    const fresh = createSimulation(config());
    while (fresh.eventCount < n - 1) fresh.step();
    expect(sim.eventCount).toBe(n - 1);
    expect(sim.stateHash()).toBe(fresh.stateHash());
  });

  it("seekEvent(n) reads the n-th event's time even when the clock had been run past it", () => {
    // DESIGN.md: seeking gives the state a fresh run has; a fresh run of n events stops at event n.
    const sim = createSimulation(config({ snapshotEvery: "500ms" }));
    sim.runUntil("500ms");
    const n = sim.eventCount;
    sim.runUntil("2s");
    sim.seekEvent(n);
    const fresh = createSimulation(config({ snapshotEvery: "500ms" }));
    while (fresh.eventCount < n) fresh.step();
    expect(fresh.now).toBeLessThan(500_000);
    expect(sim.now).toBe(fresh.now);
    expect(sim.stateHash()).toBe(fresh.stateHash());
  });

  it("acting after seeking back forks a new future and drops the old one", () => {
    const sim = createSimulation(config());
    sim.runUntil("1s");
    sim.act({ type: "crash", node: "n1" });
    sim.runUntil("2s");
    sim.seek("500ms");
    sim.act({ type: "crash", node: "n2" });
    expect(sim.actionLog.map((a) => a.action)).toEqual([{ type: "crash", node: "n2" }]);
    sim.runUntil("2s");
    expect(sim.net.up.n1).toBe(true);
    expect(sim.net.up.n2).toBe(false);
  });

  it("after a fork, seeking within the new future never restores a snapshot of the old one", () => {
    // DESIGN.md: going back then acting forks a new future; the old future's snapshots are void.
    const sim = createSimulation(config({ snapshotEvery: "100ms" }));
    sim.runUntil("2s");
    sim.seek("500ms");
    sim.act({ type: "crash", node: "n1" });
    sim.runUntil("2s");
    sim.seek("1.25s");
    const fresh = replaySession(config({ snapshotEvery: "100ms" }), sim.session(), "1.25s");
    expect(sim.stateHash()).toBe(fresh.stateHash());
    sim.seek("1.5s");
    fresh.runUntil("1.5s");
    expect(sim.stateHash()).toBe(fresh.stateHash());
  });

  it("a logged action taken between two events of one instant replays between them", () => {
    // Issue 2: user actions are events in the same log, so (seed, action log) reproduces a
    // session exactly, even when the user stepped into the middle of an instant.
    const model: Model<readonly string[], PingMsg> = {
      init: (ctx) => {
        for (let n = 1; n <= 3; n++) ctx.send("a", "b", { type: "ping", n });
        return [];
      },
      timer: (s) => s,
      deliver: (s, msg, _from, to) => [...s, `${to}:${msg.n}`],
    };
    const cfg = { seed: 1, nodes: ["a", "b"], model, network: { latency: ["10ms", "10ms"] as const } };
    const sim = createSimulation(cfg);
    sim.step();
    expect(sim.state).toEqual(["b:1"]);
    sim.act({ type: "crash", node: "b" });
    sim.runUntil("1s");
    expect(sim.state).toEqual(["b:1"]);
    const again = replaySession(cfg, JSON.parse(JSON.stringify(sim.session())), "1s");
    expect(again.state).toEqual(["b:1"]);
    expect(again.traceHash()).toBe(sim.traceHash());
    sim.seek(0);
    sim.seek("1s");
    expect(sim.traceHash()).toBe(again.traceHash());
  });

  it("history is bounded: past historyMax snapshots it thins and says so, and seek stays exact", () => {
    const sim = createSimulation(config({ snapshotEvery: "10ms", historyMax: 8 }));
    sim.runUntil("2s");
    const h = sim.history();
    expect(h.snapshots).toBeLessThanOrEqual(8);
    expect(h.snapshotEveryUs).toBeGreaterThan(10_000);
    sim.seek("777ms");
    const fresh = createSimulation(config());
    fresh.runUntil("777ms");
    expect(sim.stateHash()).toBe(fresh.stateHash());
  });

  it("a session exported as JSON and replayed gives the same trace hash", () => {
    const sim = createSimulation(config());
    sim.runUntil("400ms");
    sim.act({ type: "burst", node: "n2", count: 5 });
    sim.act({ type: "isolate", node: "n4" });
    sim.runUntil("900ms");
    sim.act({ type: "heal" });
    sim.runUntil("1.5s");
    const json = JSON.stringify(sim.session());
    const again = replaySession(config(), JSON.parse(json), "1.5s");
    expect(again.traceHash()).toBe(sim.traceHash());
    expect(again.stateHash()).toBe(sim.stateHash());
  });

  it("the action log keeps its own copy: mutating an action object after act changes no history", () => {
    // DESIGN.md: a session is fully described by (seed, action log).
    const sim = createSimulation(config());
    sim.runUntil("300ms");
    const groups = [["n1", "n2"], ["n3", "n4", "n5"]];
    const action = { type: "partition" as const, groups };
    sim.act(action);
    groups[0]!.push("n3");
    groups.pop();
    sim.runUntil("1s");
    expect(sim.actionLog[0]!.action).toEqual({ type: "partition", groups: [["n1", "n2"], ["n3", "n4", "n5"]] });
    const again = replaySession(config(), JSON.parse(JSON.stringify(sim.session())), "1s");
    expect(again.traceHash()).toBe(sim.traceHash());
  });

  it("the first network state is frozen like every later one, so a snapshot's copy cannot be changed", () => {
    const sim = createSimulation(config());
    expect(Object.isFrozen(sim.net)).toBe(true);
    expect(Object.isFrozen(sim.net.up)).toBe(true);
  });

  it("a session whose actions share an event index or go back in time is refused, and nothing loads", () => {
    const sim = createSimulation(config());
    const crash = { type: "crash", node: "n1" } as const;
    expect(() => sim.loadActions([{ index: 3, at: 10, action: crash }, { index: 3, at: 10, action: crash }])).toThrow(/out of order/);
    expect(() => sim.loadActions([{ index: 3, at: 10, action: crash }, { index: 4, at: 5, action: crash }])).toThrow(/out of order/);
    expect(() => sim.loadActions([{ index: 3, at: 10, action: null as never }])).toThrow(/malformed/);
    expect(sim.actionLog).toEqual([]);
  });

  it("a mutable model state is copied through save/load, so a snapshot is not changed by later events", () => {
    type Box = { count: number };
    const model: Model<Box, PingMsg> = {
      init: (ctx) => (ctx.setTimer("a", 1_000, "t"), { count: 0 }),
      timer: (s, node, _n, _d, ctx) => {
        s.count++;
        ctx.setTimer(node, ctx.now + 1_000, "t");
        return s;
      },
      deliver: (s) => s,
      save: (s) => ({ ...s }),
      load: (saved) => ({ ...(saved as Box) }),
    };
    const sim = createSimulation({ seed: 1, nodes: ["a"], model, snapshotEvery: "10ms" });
    sim.runUntil("100ms");
    sim.seek("50ms");
    expect(sim.state.count).toBe(50);
  });
});

describe("Simulation: scheduled model actions", () => {
  it("are checked when they come due; one that cannot be taken then is traced as rejected", () => {
    const sim = createSimulation(config({
      schedule: [
        { at: "100ms", action: { type: "burst", node: "n1", count: 2 } },
        { at: "200ms", action: { type: "addNode", node: "n6" } },
        { at: "300ms", action: { type: "burst", node: "n6", count: 1 } },
        { at: "50ms", action: { type: "burst", node: "n6", count: 1 } },
      ],
    }));
    sim.runUntil("400ms");
    const actions = sim.trace.filter((r) => r.type === "action").map((r) => (r as { action: { type: string; node: string } }).action);
    expect(actions.map((a) => `${a.type}:${a.node}`)).toEqual(["burst:n1", "addNode:n6", "burst:n6"]);
    const rejected = sim.trace.filter((r) => r.type === "state" && (r.data as { event?: string }).event === "rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ t: 50_000, data: { code: "ENODE" } });
  });
});

describe("Simulation: trace off", () => {
  it("records nothing, state records included, and still counts messages", () => {
    const sim = createSimulation(config({ trace: false }));
    sim.runUntil("1s");
    expect(sim.trace).toHaveLength(0);
    expect(sim.counters.sent).toBeGreaterThan(0);
    expect(() => sim.traceHash()).toThrow(/trace: false/);
  });
});
