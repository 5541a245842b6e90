// The log as an immutable value that appends without copying: it behaves exactly as an array
// would, every earlier version stays as it was, and JSON sees a plain array.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EntryLog } from "./entries.js";
import type { Entry } from "./types.js";

type Op = { op: "append"; n: number } | { op: "truncate"; to: number } | { op: "drop"; n: number };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 70 }).map((n): Op => ({ op: "append", n })) },
  { weight: 1, arbitrary: fc.nat(200).map((to): Op => ({ op: "truncate", to })) },
  { weight: 1, arbitrary: fc.nat(80).map((n): Op => ({ op: "drop", n })) },
);

describe("EntryLog", () => {
  it("after any appends, truncations and drops it holds what an array would, and every earlier version is unchanged", () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      let log = EntryLog.EMPTY;
      let model: Entry[] = [];
      let next = 0;
      const versions: [EntryLog, Entry[]][] = [];
      for (const o of ops) {
        if (o.op === "append") {
          const add = Array.from({ length: o.n }, () => ({ term: 1, value: next++ }));
          log = log.append(add);
          model = [...model, ...add];
        } else if (o.op === "truncate") {
          log = log.truncate(o.to);
          model = model.slice(0, o.to);
        } else {
          log = log.drop(o.n);
          model = model.slice(o.n);
        }
        versions.push([log, model]);
      }
      for (const [l, m] of versions) {
        expect(l.length).toBe(m.length);
        expect(l.toArray()).toEqual(m);
        expect([...l]).toEqual(m);
        for (let k = -1; k <= m.length; k++) expect(l.at(k)).toBe(m[k]);
        expect(l.slice(3, m.length - 2)).toEqual(m.slice(3, Math.max(3, m.length - 2)));
        expect(JSON.stringify({ log: l })).toBe(JSON.stringify({ log: m }));
      }
    }));
  });

  it("shares what it does not change: appending nothing, truncating to its length, dropping nothing give the same log", () => {
    const log = EntryLog.of(Array.from({ length: 100 }, (_, i) => ({ term: 1, value: i })));
    expect(log.append([])).toBe(log);
    expect(log.truncate(100)).toBe(log);
    expect(log.drop(0)).toBe(log);
    expect(log.truncate(0)).toBe(EntryLog.EMPTY);
    // Entries are shared, never copied: the same objects at the same places.
    const longer = log.append([{ term: 2, value: "x" }]);
    for (let k = 0; k < 100; k++) expect(longer.at(k)).toBe(log.at(k));
  });

  it("is frozen: its arrays cannot be written", () => {
    const log = EntryLog.of([{ term: 1, value: 1 }]);
    expect(Object.isFrozen(log.toArray())).toBe(true);
    expect(() => (log.toArray() as Entry[]).push({ term: 1, value: 2 })).toThrow(TypeError);
  });
});
