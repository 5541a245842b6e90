import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ALIVE, DEAD, SUSPECT, UNKNOWN, ViewTable, keyIncarnation, keyStatus, makeKey } from "./views.js";

describe("ViewTable: a shared base with per-observer deviations", () => {
  it("a key packs incarnation and status", () => {
    const k = makeKey(7, SUSPECT);
    expect(keyIncarnation(k)).toBe(7);
    expect(keyStatus(k)).toBe(SUSPECT);
  });

  it("a new member is unknown to everyone and knows no one", () => {
    const t = new ViewTable(2);
    for (let i = 0; i < 3; i++) t.add(true);
    for (let j = 0; j < 3; j++) t.setAll(j, makeKey(1, ALIVE));
    const m = t.add();
    for (let o = 0; o < 3; o++) expect(t.get(o, m)).toBe(UNKNOWN);
    for (let j = 0; j < 3; j++) expect(t.get(m, j)).toBe(UNKNOWN);
  });

  it("property: matches a dense n × n matrix under any sequence of writes, adds and forgets", () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant("set" as const), o: fc.nat(), j: fc.nat(), inc: fc.integer({ min: 1, max: 4 }), st: fc.constantFrom(ALIVE, SUSPECT, DEAD) }),
      fc.record({ k: fc.constant("add" as const) }),
      fc.record({ k: fc.constant("forget" as const), o: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(op, { maxLength: 400 }), (n0, ops) => {
        const t = new ViewTable(4);
        const dense: number[][] = [];
        for (let i = 0; i < n0; i++) t.add(true);
        for (let i = 0; i < n0; i++) dense.push(new Array(n0).fill(makeKey(1, ALIVE)));
        for (let j = 0; j < n0; j++) t.setAll(j, makeKey(1, ALIVE));
        for (const x of ops) {
          const n = dense.length;
          if (x.k === "set") {
            const o = x.o % n, j = x.j % n, key = makeKey(x.inc, x.st);
            t.set(o, j, key);
            dense[o]![j] = key;
          } else if (x.k === "add") {
            t.add();
            for (const row of dense) row.push(UNKNOWN);
            dense.push(new Array(n + 1).fill(UNKNOWN));
          } else {
            const o = x.o % n;
            t.forget(o);
            dense[o]!.fill(UNKNOWN);
          }
        }
        const viaGet = dense.map((row, o) => row.map((_, j) => t.get(o, j)));
        expect(viaGet).toEqual(dense);
        expect(dense.map((_, o) => Array.from(t.row(o)))).toEqual(dense);
        // The flat count the hot paths read instead of the maps.
        expect(Array.from(t.devCount.subarray(0, t.size))).toEqual(t.dev.map((d) => d.size));
        const c = t.clone();
        t.set(0, 0, makeKey(9, DEAD));
        expect(c.get(0, 0)).toBe(dense[0]![0]);
      }),
      { numRuns: 100 },
    );
  });

  it("once an update has reached everyone, the deviations are gone again (rebase)", () => {
    const n = 200;
    const t = new ViewTable(n);
    for (let i = 0; i < n; i++) t.add(true);
    for (let j = 0; j < n; j++) t.setAll(j, makeKey(1, ALIVE));
    for (let o = 0; o < n; o++) t.set(o, 7, makeKey(1, DEAD));
    expect(t.deviations()).toBe(0);
    expect(t.get(3, 7)).toBe(makeKey(1, DEAD));
  });
});
