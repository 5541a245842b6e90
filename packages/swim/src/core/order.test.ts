import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { permute } from "./order.js";

describe("randomized round-robin order (SWIM §4.3)", () => {
  it("property: for any size and key, positions 0..n-1 visit every member exactly once", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 0xffffffff }), (n, key) => {
        const seen = new Uint8Array(n);
        let distinct = 0;
        for (let p = 0; p < n; p++) {
          const x = permute(p, n, key >>> 0);
          if (x >= 0 && x < n && seen[x] === 0) { seen[x] = 1; distinct++; }
        }
        expect(distinct).toBe(n);
      }),
      { numRuns: 60 },
    );
  });

  it("different keys give different orders (a fresh shuffle each round)", () => {
    const order = (key: number) => Array.from({ length: 20 }, (_, p) => permute(p, 20, key)).join(",");
    expect(order(1)).not.toBe(order(2));
  });
});
