import { describe, expect, it } from "vitest";
import { DrydockError } from "./errors.js";
import type { NetAction } from "./network.js";
import { createSimulation, replaySession, type Model, type SimulationConfig } from "./simulation.js";
import type { TraceRecord } from "./trace.js";
import { LOCAL_LATENCY_US } from "./transport.js";

// Containers c1 and c2 sit on host h1's bridge, c3 on h2's; h3 has none.
type Msg = { readonly type: "msg"; readonly n: number };
type Send = { readonly type: "send"; readonly from: string; readonly to: string; readonly n: number };
const relay: Model<readonly string[], Msg, Send> = {
  init: () => [],
  timer: (s) => s,
  deliver: (s, msg, from, to) => [...s, `${from}>${to}:${msg.n}`],
  action: (s, a, ctx) => (ctx.send(a.from, a.to, { type: "msg", n: a.n }), s),
};
const attach = (endpoint: string, host: string, veth: string): NetAction =>
  ({ type: "attach", endpoint, host, path: [`${endpoint}:eth0`, veth, "docker0"] });
const setup = (over: Partial<SimulationConfig<readonly string[], Msg, Send>> = {}) => {
  const sim = createSimulation({ seed: "ep", nodes: ["h1", "h2", "h3"], model: relay, network: { latency: ["10ms", "10ms"] }, ...over });
  sim.act(attach("c1", "h1", "veth1"));
  sim.act(attach("c2", "h1", "veth2"));
  sim.act(attach("c3", "h2", "veth3"));
  return sim;
};
const send = (from: string, to: string, n = 1): Send => ({ type: "send", from, to, n });
const last = <T extends TraceRecord["type"]>(sim: { trace: readonly TraceRecord[] }, type: T) =>
  sim.trace.filter((r): r is Extract<TraceRecord, { type: T }> => r.type === type).at(-1)!;

describe("endpoints below hosts", () => {
  it("a message between containers on two hosts crosses every hop, and the send record lists them", () => {
    const sim = setup();
    sim.act(send("c1", "c3"));
    expect(last(sim, "send").path).toEqual(["c1:eth0", "veth1", "docker0", "h1", "wire", "h2", "docker0", "veth3", "c3:eth0"]);
    sim.runUntil("1s");
    expect(sim.state).toEqual(["c1>c3:1"]);
    expect(last(sim, "deliver")).toMatchObject({ t: 10_000, from: "c1", to: "c3" });
    expect(sim.counters.sentBy).toEqual([1, 0, 0]);
    expect(sim.counters.receivedBy).toEqual([0, 1, 0]);
  });

  it("between containers on one host it never touches the wire: no link latency, loss or partition", () => {
    const sim = setup();
    sim.act({ type: "link", loss: 1 });
    sim.act({ type: "partition", groups: [["h1"], ["h2", "h3"]] });
    sim.act(send("c1", "c2"));
    expect(last(sim, "send").path).toEqual(["c1:eth0", "veth1", "docker0", "h1", "docker0", "veth2", "c2:eth0"]);
    sim.runUntil("1s");
    expect(sim.state).toEqual(["c1>c2:1"]);
    expect(last(sim, "deliver").t).toBe(LOCAL_LATENCY_US);
  });

  it("a container and a host daemon reach each other: the node end has no hops", () => {
    const sim = setup();
    sim.act(send("c1", "h2"));
    expect(last(sim, "send").path).toEqual(["c1:eth0", "veth1", "docker0", "h1", "wire", "h2"]);
    sim.act(send("h3", "c3"));
    expect(last(sim, "send").path).toEqual(["h3", "wire", "h2", "docker0", "veth3", "c3:eth0"]);
    sim.runUntil("1s");
    expect(sim.state).toEqual(["c1>h2:1", "h3>c3:1"]);
  });

  it("a container detached while a message to it is in flight: dropped at its interface", () => {
    const sim = setup();
    sim.act(send("c1", "c3"));
    sim.runUntil("5ms");
    sim.act({ type: "detach", endpoint: "c3" });
    sim.runUntil("1s");
    expect(sim.state).toEqual([]);
    expect(last(sim, "drop")).toMatchObject({ t: 10_000, from: "c1", to: "c3", reason: "unreachable", hop: "c3:eth0" });
    expect(sim.counters.dropped.unreachable).toBe(1);
  });

  it("a partition or a lossy link drops endpoint traffic on the wire", () => {
    const sim = setup();
    sim.act({ type: "partition", groups: [["h1"], ["h2", "h3"]] });
    sim.act(send("c1", "c3"));
    expect(last(sim, "drop")).toMatchObject({ reason: "partition", hop: "wire" });
    sim.act({ type: "heal" });
    sim.act(send("c1", "c3", 2));
    sim.runUntil("5ms");
    sim.act({ type: "cut", a: "h1", b: "h2" });
    sim.runUntil("1s");
    expect(last(sim, "drop")).toMatchObject({ t: 10_000, reason: "partition", hop: "wire" });
    sim.act({ type: "heal" });
    sim.act({ type: "link", from: "h2", to: "h1", loss: 1 });
    sim.act(send("c3", "c1", 3));
    expect(last(sim, "drop")).toMatchObject({ reason: "loss", hop: "wire" });
    expect(sim.state).toEqual([]);
  });

  it("a crashed host takes its endpoints with it; after restart they work again", () => {
    const sim = setup();
    sim.act(send("c1", "c3"));
    sim.act({ type: "crash", node: "h2" });
    sim.runUntil("100ms");
    expect(last(sim, "drop")).toMatchObject({ reason: "crashed", hop: "h2" });
    sim.act(send("c3", "c1", 2));
    expect(last(sim, "drop")).toMatchObject({ from: "c3", reason: "crashed", hop: "h2" });
    // A message from a host that crashes while it is in flight dies too (as between nodes).
    sim.act(send("c1", "c2", 3));
    sim.act({ type: "crash", node: "h1" });
    sim.runUntil("200ms");
    expect(last(sim, "drop")).toMatchObject({ from: "c1", to: "c2", reason: "crashed", hop: "h1" });
    sim.act({ type: "restart", node: "h1" });
    sim.act({ type: "restart", node: "h2" });
    sim.act(send("c3", "c2", 4));
    sim.runUntil("1s");
    expect(sim.state).toEqual(["c3>c2:4"]);
  });

  it("a down interface sends nothing and receives nothing until it is up again", () => {
    const sim = setup();
    sim.act({ type: "ifdown", endpoint: "c1" });
    sim.act(send("c1", "c3"));
    expect(last(sim, "drop")).toMatchObject({ reason: "unreachable", hop: "c1:eth0" });
    sim.act(send("c3", "c1", 2));
    sim.runUntil("100ms");
    expect(last(sim, "drop")).toMatchObject({ to: "c1", reason: "unreachable", hop: "c1:eth0" });
    sim.act({ type: "ifup", endpoint: "c1" });
    sim.act(send("c3", "c1", 3));
    sim.runUntil("1s");
    expect(sim.state).toEqual(["c3>c1:3"]);
  });

  it("an address that is neither node nor endpoint: dropped at the sending host", () => {
    const sim = setup();
    sim.act(send("c1", "c9"));
    expect(last(sim, "send").path).toEqual(["c1:eth0", "veth1", "docker0", "h1"]);
    expect(last(sim, "drop")).toMatchObject({ reason: "unreachable", hop: "h1" });
  });

  it("a held link between hosts holds endpoint messages; release drop names the wire", () => {
    const sim = setup();
    sim.act({ type: "hold", from: "h1", to: "h2" });
    sim.act(send("c1", "c3"));
    sim.act(send("c2", "c3", 2));
    sim.act(send("c1", "c2", 3)); // same host: no wire to hold
    sim.runUntil("100ms");
    expect(sim.heldMessages().map((m) => m.route?.path.at(-1))).toEqual(["c3:eth0", "c3:eth0"]);
    sim.act({ type: "release", from: "h1", to: "h2" });
    sim.runUntil("200ms");
    expect(sim.state).toEqual(["c1>c2:3", "c1>c3:1", "c2>c3:2"]);
    sim.act({ type: "hold", from: "h1", to: "h2" });
    sim.act(send("c1", "c3", 4));
    sim.act({ type: "release", from: "h1", to: "h2", drop: true });
    expect(last(sim, "drop")).toMatchObject({ reason: "held", hop: "wire" });
  });

  it("messages between nodes keep their old records: no path, no hop", () => {
    const sim = setup();
    sim.act({ type: "partition", groups: [["h1"], ["h2", "h3"]] });
    sim.act(send("h1", "h2"));
    sim.act(send("h2", "h3", 2));
    sim.runUntil("1s");
    const send1 = sim.trace.find((r) => r.type === "send")!;
    expect(Object.keys(send1)).toEqual(["t", "type", "id", "from", "to", "at", "msg"]);
    expect(Object.keys(last(sim, "drop"))).toEqual(["t", "type", "id", "from", "to", "reason"]);
    expect(sim.state).toEqual(["h2>h3:2"]);
  });

  it.each([
    [{ type: "attach", endpoint: "c4", host: "h9", path: ["c4:eth0"] }, /unknown node "h9"/],
    [{ type: "attach", endpoint: "c1", host: "h2", path: ["c1:eth0"] }, /endpoint "c1" is already attached \(to h1\)/],
    [{ type: "attach", endpoint: "h3", host: "h1", path: ["h3:eth0"] }, /"h3" is a node, not an endpoint/],
    [{ type: "attach", endpoint: "c4", host: "h1", path: [] }, /needs a path of hop names/],
    [{ type: "attach", endpoint: "", host: "h1", path: ["x"] }, /invalid endpoint id ""/],
    [{ type: "detach", endpoint: "c9" }, /unknown endpoint "c9"/],
    [{ type: "ifdown", endpoint: "constructor" }, /unknown endpoint "constructor"/],
    [{ type: "addNode", node: "c2" }, /"c2" is already an endpoint/],
    [{ type: "partition", groups: [["c1"], ["h2"]] }, /unknown node "c1"/],
  ] as const)("%j is rejected and changes nothing", (action, message) => {
    const sim = setup();
    const before = sim.stateHash();
    expect(() => sim.act(action as never)).toThrow(DrydockError);
    expect(() => sim.act(action as never)).toThrow(message);
    expect(sim.stateHash()).toBe(before);
  });

  describe("determinism", () => {
    // Every host, every 7 ms, sends from a random address to a random address (nodes and endpoints).
    const chatter: Model<number, Msg> = {
      init(ctx) {
        for (const n of ctx.net.nodes) ctx.setTimer(n, 7_000, "talk");
        return 0;
      },
      timer(s, node, _name, _data, ctx) {
        const addresses = [...ctx.net.nodes, ...ctx.net.endpoints.keys()];
        const rng = ctx.rng("chatter");
        ctx.send(rng.pick(addresses), rng.pick(addresses), { type: "msg", n: s });
        ctx.setTimer(node, ctx.now + 7_000, "talk");
        return s + 1;
      },
      deliver: (s) => s,
    };
    const config = {
      seed: "chatter", nodes: ["h1", "h2", "h3"], model: chatter, snapshotEvery: "100ms",
      network: { latency: ["1ms", "20ms"] as const, loss: 0.05, duplicate: 0.05 },
      schedule: [{ at: "0s", action: attach("c1", "h1", "veth1") }, { at: "0s", action: attach("c2", "h1", "veth2") }],
    };
    const run = () => {
      const sim = createSimulation(config);
      sim.runUntil("300ms");
      sim.act(attach("c3", "h2", "veth3"));
      sim.runUntil("600ms");
      sim.act({ type: "detach", endpoint: "c1" });
      sim.act({ type: "crash", node: "h2" });
      sim.runUntil("900ms");
      sim.act({ type: "restart", node: "h2" });
      sim.act({ type: "ifdown", endpoint: "c3" });
      sim.runUntil("1.5s");
      return sim;
    };

    it("same seed and actions, same trace; every drop of an endpoint message names its hop", () => {
      const a = run();
      const b = run();
      expect(a.traceHash()).toBe(b.traceHash());
      const routed = new Set(a.trace.flatMap((r) => (r.type === "send" && r.path ? [r.id] : [])));
      const drops = a.trace.filter((r) => r.type === "drop" && routed.has(r.id));
      expect(new Set(drops.map((r) => r.type === "drop" && r.reason))).toEqual(new Set(["loss", "crashed", "unreachable"]));
      expect(drops.every((r) => r.type === "drop" && typeof r.hop === "string")).toBe(true);
    });

    it("seek back and forward equals a fresh replay of the session", () => {
      const sim = run();
      const end = sim.stateHash();
      sim.seek("700ms");
      const fresh = replaySession(config, JSON.parse(JSON.stringify(sim.session())), "700ms");
      expect(Object.fromEntries(sim.net.endpoints)).toEqual(Object.fromEntries(fresh.net.endpoints));
      expect(sim.stateHash()).toBe(fresh.stateHash());
      sim.seek("1.5s");
      expect(sim.stateHash()).toBe(end);
    });
  });
});

describe("a model changes endpoints itself (ctx.endpoint)", () => {
  // A daemon that starts a container's interface when asked and takes it down again, as the world does.
  type Act = { readonly type: "up" | "down" | "send"; readonly n: number };
  const daemon: Model<readonly string[], Msg, Act> = {
    init: () => [],
    timer: (s) => s,
    deliver: (s, msg, from, to) => [...s, `${from}>${to}:${msg.n}`],
    action(s, a, ctx) {
      if (a.type === "up") ctx.endpoint({ type: "attach", endpoint: `c${a.n}`, host: "h1", path: [`c${a.n}:eth0`, `veth${a.n}`, "docker0"] });
      else if (a.type === "down") ctx.endpoint({ type: "detach", endpoint: `c${a.n}` });
      else ctx.send("h2", `c${a.n}`, { type: "msg", n: a.n });
      return s;
    },
  };

  it("attaches and detaches below a host, traced as the host's state records, and replays the same", () => {
    const sim = createSimulation({ seed: "ctx-ep", nodes: ["h1", "h2"], model: daemon, network: { latency: ["1ms", "1ms"] } });
    sim.act({ type: "up", n: 1 });
    expect(Object.fromEntries(sim.net.endpoints)).toEqual({ c1: { host: "h1", path: ["c1:eth0", "veth1", "docker0"], up: true } });
    expect(last(sim, "state")).toMatchObject({ node: "h1", data: { event: "endpoint", action: { type: "attach", endpoint: "c1" } } });
    sim.act({ type: "send", n: 1 });
    expect(last(sim, "send").path).toEqual(["h2", "wire", "h1", "docker0", "veth1", "c1:eth0"]);
    sim.runUntil("10ms");
    sim.act({ type: "up", n: 2 });
    sim.act({ type: "down", n: 1 });
    sim.act({ type: "send", n: 1 });
    sim.runUntil("20ms");
    expect(sim.state).toEqual(["h2>c1:1"]);
    expect(last(sim, "drop")).toMatchObject({ to: "c1" });
    expect(replaySession({ seed: "ctx-ep", nodes: ["h1", "h2"], model: daemon, network: { latency: ["1ms", "1ms"] } }, sim.session(), "20ms").traceHash()).toBe(sim.traceHash());
  });

  it("an invalid change throws the kernel's error, as a user's would", () => {
    const sim = createSimulation({ seed: "ctx-ep", nodes: ["h1", "h2"], model: daemon });
    expect(() => sim.act({ type: "down", n: 9 })).toThrow(DrydockError);
  });
});
