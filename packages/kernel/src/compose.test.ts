import { describe, expect, it } from "vitest";
import { composeModels, type DaemonMessage, type DaemonRecord } from "./compose.js";
import { DrydockError } from "./errors.js";
import { isNetAction } from "./network.js";
import { createSimulation, replaySession, type Model, type SimulationConfig } from "./simulation.js";
import type { TraceRecord } from "./trace.js";
import { NODES, pinger } from "./testing/pinger.js";

// A second toy protocol beside the pinger: every node beats to every other node each 50 ms and
// remembers whom it heard. It has crash, restart and addNode handlers and one action.
type Beat = { readonly type: "beat" };
interface BeaconState {
  readonly heard: Readonly<Record<string, number>>;
  readonly crashes: number;
  readonly restarts: number;
  readonly muted: readonly string[];
}
const beacon: Model<BeaconState, Beat, { readonly type: "mute"; readonly node: string }> = {
  init(ctx) {
    for (const n of ctx.net.nodes) ctx.setTimer(n, 50_000, "beat");
    return { heard: {}, crashes: 0, restarts: 0, muted: [] };
  },
  timer(s, node, name, _data, ctx) {
    if (name !== "beat") throw new Error(`beacon got timer "${name}"`);
    if (!s.muted.includes(node)) for (const to of ctx.net.nodes) if (to !== node) ctx.send(node, to, { type: "beat" });
    ctx.setTimer(node, ctx.now + 50_000, "beat");
    return s;
  },
  deliver: (s, msg, _from, to) => {
    if (msg.type !== "beat") throw new Error(`beacon got message ${JSON.stringify(msg)}`);
    return { ...s, heard: { ...s.heard, [to]: (s.heard[to] ?? 0) + 1 } };
  },
  action: (s, a) => ({ ...s, muted: [...s.muted, a.node] }),
  validate(_s, a, net) {
    if (a.type !== "mute") throw new DrydockError("EACTION", `unknown action "${a.type}"`);
    if (!net.nodes.includes(a.node)) throw new DrydockError("ENODE", `unknown node "${a.node}"`);
  },
  crash(s, node, ctx) {
    ctx.record(node, { event: "crash" });
    return { ...s, crashes: s.crashes + 1 };
  },
  restart(s, node, ctx) {
    ctx.setTimer(node, ctx.now + 50_000, "beat");
    return { ...s, restarts: s.restarts + 1 };
  },
  addNode(s, node, ctx) {
    ctx.setTimer(node, ctx.now + 50_000, "beat");
    return s;
  },
  size: () => 8,
};

const world = composeModels({ ping: pinger, beacon });
const config = <S, M extends { type: string }, A extends { type: string }>(
  model: Model<S, M, A>, over: Partial<SimulationConfig<S, M, A>> = {},
): SimulationConfig<S, M, A> => ({
  seed: "compose",
  nodes: NODES,
  model,
  network: { latency: ["1ms", "10ms"] },
  ...over,
});

/** A composed trace record as the daemon alone would have written it (envelopes and prefixes removed). */
function unwrap(r: TraceRecord): TraceRecord {
  const strip = (name: string) => name.slice(name.indexOf("/") + 1);
  switch (r.type) {
    case "send": return { ...r, msg: (r.msg as DaemonMessage).body };
    case "timer": return { ...r, name: strip(r.name) };
    case "state": return r.node === null ? r : { ...r, data: (r.data as DaemonRecord).data };
    case "action": {
      const a = r.action as { type: string };
      return isNetAction(a) ? r : { ...r, action: { ...a, type: strip(a.type) } };
    }
    default: return r;
  }
}

describe("composeModels", () => {
  it("a model composed alone behaves exactly as the model alone", () => {
    const alone = createSimulation(config(pinger));
    const composed = createSimulation(config(composeModels({ p: pinger })));
    const script = (act: (a: { type: string; [k: string]: unknown }) => void, run: (t: string) => void) => {
      run("400ms");
      act({ type: "burst", node: "n2", count: 3 });
      act({ type: "crash", node: "n3" });
      run("700ms");
      act({ type: "restart", node: "n3" });
      act({ type: "partition", groups: [["n1", "n2"]] });
      run("1.5s");
    };
    script((a) => alone.act(a as never), (t) => alone.runUntil(t));
    script((a) => composed.act((a.type === "burst" ? { ...a, type: "p/burst" } : a) as never), (t) => composed.runUntil(t));
    expect(alone.trace.length).toBeGreaterThan(500);
    expect(composed.trace.map(unwrap)).toEqual(alone.trace);
    expect(composed.state.p).toEqual(alone.state);
    expect(composed.counters).toEqual(alone.counters);
  });

  it("each daemon gets its own messages, timers and records on the same nodes", () => {
    const sim = createSimulation(config(world));
    sim.runUntil("1s");
    const sends = sim.trace.filter((r) => r.type === "send").map((r) => r.msg as DaemonMessage);
    expect(new Set(sends.map((m) => `${m.daemon}:${m.type}`))).toEqual(new Set(["ping:ping", "ping:pong", "beacon:beat"]));
    for (const m of sends) expect(m.type).toBe(m.body.type);
    const timers = new Set(sim.trace.filter((r) => r.type === "timer").map((r) => r.name));
    expect(timers).toEqual(new Set(["ping/tick", "beacon/beat"]));
    // Every delivery reached the slice of the daemon that sent it.
    const byId = new Map(sim.trace.filter((r) => r.type === "send").map((r) => [r.id, (r.msg as DaemonMessage).daemon]));
    const delivered = sim.trace.filter((r) => r.type === "deliver").map((r) => byId.get(r.id));
    const sum = (r: Readonly<Record<string, number>>) => Object.values(r).reduce((a, b) => a + b, 0);
    expect(sum(sim.state.ping.got)).toBe(delivered.filter((d) => d === "ping").length);
    expect(sum(sim.state.beacon.heard)).toBe(delivered.filter((d) => d === "beacon").length);
    const records = sim.trace.filter((r) => r.type === "state").map((r) => r.data as DaemonRecord);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.daemon === "ping" && typeof (r.data as { got: number }).got === "number")).toBe(true);
    // Bytes per daemon's own size(): 64 per ping or pong, 8 per beat.
    const count = (d: string) => sends.filter((m) => m.daemon === d).length;
    expect(sim.counters.bytesBy.reduce((a, b) => a + b, 0)).toBe(64 * count("ping") + 8 * count("beacon"));
  });

  it("user actions are routed by their daemon/ prefix; a bad one changes nothing", () => {
    const sim = createSimulation(config(world));
    sim.runUntil("100ms");
    sim.act({ type: "ping/burst", node: "n1", count: 3 });
    const burst = sim.trace.filter((r) => r.type === "send" && r.t === 100_000 && (r.msg as DaemonMessage).body.type === "ping");
    expect(burst).toHaveLength(3);
    sim.act({ type: "beacon/mute", node: "n4" });
    expect(sim.state.beacon.muted).toEqual(["n4"]);
    const before = sim.stateHash();
    for (const [action, message] of [
      [{ type: "burst", node: "n1", count: 1 }, /"burst" names no daemon: write "daemon\/burst" \(daemons: ping, beacon\)/],
      [{ type: "dns/burst", node: "n1", count: 1 }, /names no daemon/],
      [{ type: "constructor/x" }, /names no daemon/],
      [{ type: "beacon/burst", node: "n1" }, /unknown action "burst"/],
      [{ type: "beacon/mute", node: "n9" }, /unknown node "n9"/],
    ] as const) {
      expect(() => sim.act(action as never)).toThrow(DrydockError);
      expect(() => sim.act(action as never)).toThrow(message);
    }
    expect(sim.stateHash()).toBe(before);
    expect(sim.actionLog).toHaveLength(2);
  });

  it("crashing a host crashes every daemon on it; restart reaches every daemon", () => {
    const sim = createSimulation(config(composeModels({ a: beacon, b: beacon, ping: pinger })));
    sim.runUntil("300ms");
    sim.act({ type: "crash", node: "n2" });
    const crashed = sim.trace.length;
    expect(sim.state.a.crashes).toBe(1);
    expect(sim.state.b.crashes).toBe(1);
    expect(sim.trace.slice(crashed - 2).map((r) => r.type === "state" && [r.node, (r.data as DaemonRecord).daemon])).toEqual([["n2", "a"], ["n2", "b"]]);
    sim.runUntil("600ms");
    expect(sim.trace.slice(crashed).some((r) => r.type === "timer" && r.node === "n2")).toBe(false);
    sim.act({ type: "restart", node: "n2" });
    expect([sim.state.a.restarts, sim.state.b.restarts, sim.state.ping.restarts]).toEqual([1, 1, 1]);
    sim.runUntil("1s");
    const fired = new Set(sim.trace.flatMap((r) => (r.type === "timer" && r.node === "n2" && r.t > 600_000 ? [r.name] : [])));
    expect(fired).toEqual(new Set(["a/beat", "b/beat", "ping/tick"]));
  });

  it("addNode reaches every daemon", () => {
    const sim = createSimulation(config(world));
    sim.runUntil("100ms");
    sim.act({ type: "addNode", node: "n6" });
    sim.runUntil("1s");
    expect(sim.trace.some((r) => r.type === "timer" && r.node === "n6" && r.name === "beacon/beat")).toBe(true);
    expect(sim.state.beacon.heard.n6).toBeGreaterThan(0);
  });

  it("is deterministic: same seed, same trace; seek and replay equal a fresh run", () => {
    const run = () => {
      const sim = createSimulation(config(world, { snapshotEvery: "200ms" }));
      sim.runUntil("500ms");
      sim.act({ type: "ping/burst", node: "n3", count: 2 });
      sim.act({ type: "crash", node: "n1" });
      sim.runUntil("1.2s");
      sim.act({ type: "beacon/mute", node: "n2" });
      sim.runUntil("2s");
      return sim;
    };
    const a = run();
    const b = run();
    expect(a.traceHash()).toBe(b.traceHash());
    a.seek("1.3s");
    const fresh = replaySession(config(world), JSON.parse(JSON.stringify(b.session())), "1.3s");
    expect(a.stateHash()).toBe(fresh.stateHash());
    a.seek("2s");
    expect(a.stateHash()).toBe(b.stateHash());
    expect(a.traceHash()).toBe(b.traceHash());
  });

  it("saves and loads each mutable slice through its own daemon's save/load", () => {
    type Box = { count: number };
    const counter: Model<Box, { type: "x" }> = {
      init: (ctx) => (ctx.setTimer("n1", 1_000, "t"), { count: 0 }),
      timer: (s, node, _n, _d, ctx) => {
        s.count++; // mutated in place: only save/load keep snapshots apart
        ctx.setTimer(node, ctx.now + 1_000, "t");
        return s;
      },
      deliver: (s) => s,
      save: (s) => ({ ...s }),
      load: (saved) => ({ ...(saved as Box) }),
      describe: (s) => ({ counted: s.count }),
    };
    const sim = createSimulation(config(composeModels({ box: counter, beacon }), { snapshotEvery: "10ms" }));
    sim.runUntil("100ms");
    sim.seek("50ms");
    expect(sim.state.box.count).toBe(50);
    expect(sim.model.describe!(sim.state)).toMatchObject({ box: { counted: 50 }, beacon: sim.state.beacon });
  });

  it("rejects daemon names that routing cannot tell apart", () => {
    expect(() => composeModels({})).toThrow(/at least one daemon/);
    expect(() => composeModels({ "a/b": pinger })).toThrow(/invalid daemon name "a\/b"/);
    expect(() => composeModels({ "": pinger })).toThrow(/invalid daemon name ""/);
  });
});
