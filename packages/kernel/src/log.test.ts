import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ActionLog } from "./log.js";

describe("ActionLog", () => {
  it("after a seek to a snapshot taken after n events, the next action due is the first logged at event n or later", () => {
    const indices = fc.uniqueArray(fc.nat({ max: 200 }), { maxLength: 30 }).map((xs) => xs.sort((a, b) => a - b));
    fc.assert(fc.property(indices, fc.nat({ max: 210 }), (xs, n) => {
      const log = new ActionLog();
      for (const i of xs) log.append(i, i * 10, { type: `a${i}` });
      log.rewind(n);
      const next = xs.find((i) => i >= n);
      if (next === undefined) {
        for (const i of xs) expect(log.due(i, Infinity)).toBeUndefined();
      } else {
        expect(log.due(next, Infinity)?.action).toEqual({ type: `a${next}` });
      }
    }));
  });
});
