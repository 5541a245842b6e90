// SwimState's typed arrays are listed once (COLUMNS): every one is created for each member,
// grows with the group, and is copied, never shared, by clone (a shared array would let a
// snapshot change under the kernel's feet).
import { describe, expect, it } from "vitest";
import { LAN_DEFAULTS } from "./params.js";
import { STATE_ARRAYS, SwimState } from "./state.js";

const names = (n: number) => Array.from({ length: n }, (_, i) => `m${i + 1}`);

describe("SwimState's columns", () => {
  it("every typed array of the state is a column of the table (the view table and payload holders aside)", () => {
    const s = new SwimState(LAN_DEFAULTS, names(5), [], true);
    const typed = Object.keys(s).filter((k) => ArrayBuffer.isView((s as unknown as Record<string, unknown>)[k]));
    expect(typed.sort()).toEqual([...STATE_ARRAYS].sort());
    expect(STATE_ARRAYS.length).toBeGreaterThan(20);
  });

  it("each column holds every member, keeps its values when the group grows, and starts new members at its initial value", () => {
    const s = new SwimState(LAN_DEFAULTS, names(4), [], true);
    const cols = s as unknown as Record<string, Uint8Array | Uint32Array | Int32Array | Float64Array>;
    for (const k of STATE_ARRAYS) cols[k]![3] = 7;
    for (let i = 5; i <= 9; i++) s.addMember(`m${i}`);
    for (const k of STATE_ARRAYS) {
      expect(cols[k]!.length, k).toBeGreaterThanOrEqual(9);
      expect(cols[k]![3], k).toBe(7);
      expect(cols[k]![8], k).toBe(k === "probeTarget" ? -1 : 0);
    }
  });

  it("clone copies every column: writing the copy leaves the original as it was", () => {
    const s = new SwimState(LAN_DEFAULTS, names(6), [], true);
    const c = s.clone();
    const a = s as unknown as Record<string, Uint8Array>;
    const b = c as unknown as Record<string, Uint8Array>;
    for (const k of STATE_ARRAYS) {
      expect(b[k]!.buffer, k).not.toBe(a[k]!.buffer);
      const before = a[k]![2];
      b[k]![2] = 9;
      expect(a[k]![2], k).toBe(before);
    }
  });
});
