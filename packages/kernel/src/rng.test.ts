import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng, RngStreams } from "./rng.js";

describe("Rng: seeded streams forked by name", () => {
  it("the same seed draws the same numbers", () => {
    const a = new Rng("42");
    const b = new Rng("42");
    expect([a.next(), a.next(), a.int(1, 6)]).toEqual([b.next(), b.next(), b.int(1, 6)]);
  });

  it("drawing from one child stream leaves its sibling unchanged", () => {
    const untouched = new Rng("s").fork("raft").next();
    const root = new Rng("s");
    const net = root.fork("net");
    for (let i = 0; i < 1000; i++) net.next();
    expect(root.fork("raft").next()).toBe(untouched);
  });

  it("a saved state resumes the same sequence", () => {
    const r = new Rng("x");
    r.next();
    const saved = r.getState();
    const ahead = [r.next(), r.next()];
    r.setState(saved);
    expect([r.next(), r.next()]).toEqual(ahead);
  });

  it("restoring a snapshot's streams draws as a fresh run from it would: drawn, untouched and first-used-after streams alike", () => {
    // Restoring skips streams whose state did not change; the draws after must not tell.
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom("a", "b", "c", "d"), fc.nat({ max: 3 })), { maxLength: 12 }), fc.nat({ max: 12 }), (draws, cut) => {
      const run = (streams: RngStreams, from: number, to: number) => draws.slice(from, to).flatMap(([name, n]) => Array.from({ length: n }, () => streams.get(name).next()));
      const streams = new RngStreams("snap");
      run(streams, 0, cut);
      const saved = streams.save();
      const after = run(streams, cut, draws.length);
      streams.load(saved);
      expect(run(streams, cut, draws.length)).toEqual(after);
      const fresh = new RngStreams("snap");
      run(fresh, 0, cut);
      expect(run(fresh, cut, draws.length)).toEqual(after);
    }));
  });

  it("int stays within its inclusive bounds and reaches both ends", () => {
    const r = new Rng("bounds");
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(3, 7);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(7);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it("chance(0) and chance(1) draw nothing, so an unused fault shifts no stream", () => {
    const a = new Rng("c");
    const b = new Rng("c");
    a.chance(0);
    a.chance(1);
    expect(a.next()).toBe(b.next());
  });
});
