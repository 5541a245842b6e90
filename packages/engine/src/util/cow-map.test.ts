import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CowMap } from "./cow-map.js";

describe("CowMap: a Map whose forks are cheap and independent", () => {
  it("behaves as a Map under any sequence of set, delete and fork (checked against a Map copied at each fork)", () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant("set" as const), key: fc.integer({ min: 0, max: 40 }), v: fc.integer() }),
      fc.record({ k: fc.constant("delete" as const), key: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ k: fc.constant("fork" as const), which: fc.nat() }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
      // Several live copies: each pair is (CowMap, the Map it must equal).
      const live: [CowMap<number, number>, Map<number, number>][] = [[new CowMap(), new Map()]];
      ops.forEach((o, i) => {
        const [cm, m] = live[i % live.length]!;
        if (o.k === "set") { cm.set(o.key, o.v); m.set(o.key, o.v); }
        else if (o.k === "delete") expect(cm.delete(o.key)).toBe(m.delete(o.key));
        else { const [c, mm] = live[o.which % live.length]!; live.push([c.fork(), new Map(mm)]); }
        for (const [c, mm] of live) {
          expect(c.size).toBe(mm.size);
          expect(new Map(c)).toEqual(mm);
        }
      });
    }), { numRuns: 60 });
  });

  it("iterates in first-insertion order, as a Map does, across forks", () => {
    const a = new CowMap<string, number>([["x", 1], ["y", 2]]);
    const b = a.fork();
    b.set("z", 3);
    b.set("x", 9);
    expect([...b.keys()]).toEqual(["x", "y", "z"]);
    expect([...a.entries()]).toEqual([["x", 1], ["y", 2]]);
  });
});
