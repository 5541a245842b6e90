import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CowMap } from "../util/cow-map.js";
import { derivedKeys } from "./indexes.js";

describe("derivedKeys: a set derived from a map without a pass over it", () => {
  it("equals the full filter of every version asked about, in any order, under sets, deletes, forks and plain Maps", () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant("set" as const), key: fc.integer({ min: 0, max: 20 }), v: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ k: fc.constant("delete" as const), key: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ k: fc.constant("ask" as const), which: fc.nat(), plain: fc.boolean() }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
      const even = derivedKeys<number, number>((v) => v % 2 === 0);
      // Every version is a fork that is not changed after it is asked about, as the daemon's are.
      let cur = new CowMap<number, number>();
      const versions: CowMap<number, number>[] = [];
      for (const o of ops) {
        if (o.k === "set") cur.set(o.key, o.v);
        else if (o.k === "delete") cur.delete(o.key);
        else {
          versions.push(cur.fork());
          const m = versions[o.which % versions.length]!;
          const asked = o.plain ? new Map(m) : m;
          const want = [...m].filter(([, v]) => v % 2 === 0).map(([k]) => k).sort((a, b) => a - b);
          expect([...even(asked)].sort((a, b) => a - b)).toEqual(want);
        }
      }
    }), { numRuns: 80 });
  });
});
