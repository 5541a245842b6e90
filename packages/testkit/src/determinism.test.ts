// Issue #16, determinism that holds everywhere, for the kernel (its own tests of these live
// here with its other properties): messages, timer data and state records are frozen when sent,
// and the run's random streams refuse a draw from outside the simulation's handlers.
import { describe, expect, it } from "vitest";
import { DrydockError, createSimulation, pinger, PINGER_NODES, type Model, type Rng, type SimContext } from "@drydock/kernel";

type Msg = { type: "note"; body: { text: string; tags: string[] } };
type State = { kept: Msg[]; data: unknown[]; stream: Rng | null };

function model(onSend: (msg: Msg, data: { n: number[] }, ctx: SimContext<Msg>) => void): Model<State, Msg> {
  return {
    init(ctx) {
      ctx.setTimer("n1", 1_000, "go", { n: [1] });
      return { kept: [], data: [], stream: ctx.rng("mine") };
    },
    timer(s, node, _name, data, ctx) {
      const msg: Msg = { type: "note", body: { text: "hi", tags: ["a"] } };
      ctx.send(node, "n2", msg);
      onSend(msg, data as { n: number[] }, ctx);
      return { ...s, kept: [...s.kept, msg], data: [...s.data, data] };
    },
    deliver: (s) => s,
  };
}

describe("frozen when sent", () => {
  it("a message, everything in it, and timer data cannot be changed afterwards", () => {
    const seen: { msg: Msg; data: { n: number[] } }[] = [];
    const sim = createSimulation({ seed: 1, nodes: PINGER_NODES, model: model((msg, data) => seen.push({ msg, data })) });
    sim.runUntil("10ms");
    const { msg, data } = seen[0]!;
    expect(Object.isFrozen(msg) && Object.isFrozen(msg.body) && Object.isFrozen(msg.body.tags)).toBe(true);
    expect(Object.isFrozen(data) && Object.isFrozen(data.n)).toBe(true);
    expect(() => { (msg.body as { text: string }).text = "changed"; }).toThrow(TypeError);
    expect(() => { msg.body.tags.push("b"); }).toThrow(TypeError);
    expect(() => { data.n[0] = 2; }).toThrow(TypeError);
  });

  it("a model that changes a message after sending it fails at that line, not as a different hash later", () => {
    const sim = createSimulation({ seed: 1, nodes: PINGER_NODES, model: model((msg) => { msg.body.tags.push("late"); }) });
    expect(() => sim.runUntil("10ms")).toThrow(TypeError);
  });
});

describe("randomness only inside handlers", () => {
  it("a stream kept from ctx.rng refuses a draw from outside the simulation (a replay would not make it)", () => {
    const sim = createSimulation({ seed: 1, nodes: PINGER_NODES, model: model(() => {}) });
    const stream = sim.state.stream!;
    expect(() => stream.next()).toThrow(DrydockError);
    expect(() => stream.int(0, 9)).toThrow(/outside the simulation's handlers/);
    // Inside, draws work (the pinger draws in every handler) and runs stay deterministic.
    const a = createSimulation({ seed: 3, nodes: PINGER_NODES, model: pinger });
    const b = createSimulation({ seed: 3, nodes: PINGER_NODES, model: pinger });
    a.runUntil("200ms");
    b.runUntil("200ms");
    expect(a.traceHash()).toBe(b.traceHash());
  });

  it("the simulation no longer hands out its streams", () => {
    const sim = createSimulation({ seed: 1, nodes: PINGER_NODES, model: pinger });
    expect((sim as unknown as { rng?: unknown }).rng).toBeUndefined();
  });
});
