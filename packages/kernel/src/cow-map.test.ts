import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CowMap } from "./cow-map.js";
import { canonicalJson } from "./trace.js";

describe("CowMap.changedKeys: what differs between two versions", () => {
  it("names exactly the keys whose values differ, between any two of a family of forks (checked against plain Maps)", () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant("set" as const), key: fc.integer({ min: 0, max: 30 }), v: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ k: fc.constant("delete" as const), key: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ k: fc.constant("fork" as const), which: fc.nat() }),
      fc.record({ k: fc.constant("iterate" as const), which: fc.nat() }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      // Boxed values: a value set anew is a new object, as the engine's records are.
      const live: [CowMap<number, { v: number }>, Map<number, { v: number }>][] = [[new CowMap(), new Map()]];
      ops.forEach((o, i) => {
        const [cm, m] = live[i % live.length]!;
        if (o.k === "set") { const box = { v: o.v }; cm.set(o.key, box); m.set(o.key, box); }
        else if (o.k === "delete") { cm.delete(o.key); m.delete(o.key); }
        else if (o.k === "iterate") [...live[o.which % live.length]![0].keys()]; // compacts its layers
        else { const [c, mm] = live[o.which % live.length]!; live.push([c.fork(), new Map(mm)]); }
      });
      for (const [a, ma] of live) for (const [b, mb] of live) {
        const want = [...new Set([...ma.keys(), ...mb.keys()])].filter((k) => ma.get(k) !== mb.get(k)).sort((x, y) => x - y);
        expect(a.changedKeys(b).sort((x, y) => x - y)).toEqual(want);
      }
    }), { numRuns: 60 });
  });

  it("names the three keys a fork of 10,000 entries changed (set, added, deleted), and none between a map and itself", () => {
    const a = new CowMap<number, number>();
    for (let i = 0; i < 10_000; i++) a.set(i, i);
    const b = a.fork();
    b.set(5, -1);
    b.set(10_000, 1);
    b.delete(7);
    expect(b.changedKeys(a).sort((x, y) => x - y)).toEqual([5, 7, 10_000]);
    expect(a.changedKeys(a)).toEqual([]);
  });
});

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

describe("CowMap in a state digest", () => {
  it("serialises its contents as canonicalJson writes a Map, whatever its forks and layers", () => {
    const a = new CowMap<string, number>([["x", 1]]);
    const b = a.fork();
    b.set("y", 2);
    b.fork().set("z", 3); // a layer more in b, shared with a fork
    const plain = new Map([["x", 1], ["y", 2]]);
    expect(canonicalJson({ m: b })).toBe(canonicalJson({ m: plain }));
    expect(canonicalJson({ m: new CowMap(plain) })).toBe(canonicalJson({ m: b }));
  });
});

describe("CowMap against a Map (the remembered miss: a key looked up and not found, then set)", () => {
  it("has the size, values and order of a Map after any reads, writes, deletes and forks", () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant("set" as const), key: fc.integer({ min: 0, max: 12 }), v: fc.integer() }),
      fc.record({ k: fc.constant("delete" as const), key: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ k: fc.constant("get" as const), key: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ k: fc.constant("fork" as const), which: fc.nat() }),
      fc.record({ k: fc.constant("iterate" as const), which: fc.nat() }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 150 }), (ops) => {
      const live: [CowMap<number, number>, Map<number, number>][] = [[new CowMap(), new Map()]];
      ops.forEach((o, i) => {
        const [cm, m] = live[i % live.length]!;
        if (o.k === "set") { cm.set(o.key, o.v); m.set(o.key, o.v); }
        else if (o.k === "delete") expect(cm.delete(o.key)).toBe(m.delete(o.key));
        else if (o.k === "get") { expect(cm.get(o.key)).toBe(m.get(o.key)); expect(cm.has(o.key)).toBe(m.has(o.key)); }
        else if (o.k === "iterate") { const [c, mm] = live[o.which % live.length]!; expect([...c]).toEqual([...mm]); }
        else { const [c, mm] = live[o.which % live.length]!; live.push([c.fork(), new Map(mm)]); }
        expect(cm.size).toBe(m.size);
      });
      for (const [cm, m] of live) {
        expect(cm.size).toBe(m.size);
        expect([...cm.entries()]).toEqual([...m.entries()]);
      }
    }), { numRuns: 200 });
  });

  it("a key missed, then set, counts once; a frozen map is still read", () => {
    const m = new CowMap<string, number>([["a", 1]]);
    const f = m.fork();
    expect(f.has("b")).toBe(false);
    f.set("b", 2);
    f.set("b", 3);
    expect(f.size).toBe(2);
    expect(m.has("b")).toBe(false);
    expect(m.size).toBe(1);
    Object.freeze(m);
    expect(m.get("zz")).toBeUndefined();
    expect(m.get("a")).toBe(1);
  });
});

describe("CowMap equality", () => {
  it("two maps with the same entries and layers are equal whatever keys each last looked up and missed", () => {
    const a = new CowMap<string, number>([["x", 1]]);
    const b = a.fork();
    const c = a.fork();
    expect(b.get("missing")).toBeUndefined();
    expect(b).toEqual(c);
  });
});
