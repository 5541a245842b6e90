import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "./queue.js";

describe("EventQueue: ordered by (time, sequence)", () => {
  it("pops the earliest time first", () => {
    const q = new EventQueue<string>(2);
    q.push(30, "c");
    q.push(10, "a");
    q.push(20, "b");
    expect([q.pop(), q.pop(), q.pop(), q.pop()]).toEqual(["a", "b", "c", undefined]);
  });

  it("runs events at the same instant in the order they were scheduled", () => {
    const q = new EventQueue<number>(1);
    for (let i = 0; i < 100; i++) q.push(5, i);
    const out: number[] = [];
    while (q.size > 0) out.push(q.pop()!);
    expect(out).toEqual([...Array(100).keys()]);
  });

  it("peekTime is Infinity when empty", () => {
    expect(new EventQueue().peekTime()).toBe(Infinity);
  });

  it("a clone is independent of the original", () => {
    const q = new EventQueue<number>();
    q.push(1, 1);
    q.push(2, 2);
    const c = q.clone();
    q.pop();
    q.push(0, 0);
    expect(c.size).toBe(2);
    expect(c.pop()).toBe(1);
    expect(c.sequence).toBe(2);
  });

  it("starts with few slots and doubles them as events are pushed, keeping the order", () => {
    const q = new EventQueue<number>();
    expect(q.capacity).toBeLessThanOrEqual(64);
    for (let i = 0; i < 1000; i++) q.push(1000 - (i % 10), i);
    expect(q.capacity).toBeGreaterThanOrEqual(1000);
    const out: number[] = [];
    while (q.size > 0) out.push(q.pop()!);
    expect(out).toEqual([...Array(1000).keys()].sort((a, b) => (1000 - (a % 10)) - (1000 - (b % 10)) || a - b));
  });

  it("property: any interleaving of pushes and pops yields a stable sort by time", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constant(-1)), { maxLength: 400 }), (ops) => {
        const q = new EventQueue<[number, number]>(1);
        const model: [number, number][] = [];
        let seq = 0;
        for (const op of ops) {
          if (op >= 0) {
            q.push(op, [op, seq]);
            model.push([op, seq++]);
          } else {
            model.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
            expect(q.pop()).toEqual(model.shift());
          }
        }
        model.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(q.toArray().map((e) => e.item)).toEqual(model);
      }),
    );
  });
});
