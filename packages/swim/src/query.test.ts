import { describe, expect, it } from "vitest";
import { createSwimCluster } from "./cluster.js";
import { payloadSpread, seenBy, SEEN_NAMES } from "./query.js";

describe("queries that work on either protocol's state", () => {
  for (const protocol of ["swim", "heartbeat"] as const) {
    it(`${protocol}: seenBy agrees with members(), payloadSpread with payload()`, () => {
      const c = createSwimCluster({ size: 8, seed: 4, protocol });
      c.run("1s");
      c.publish("m2", "svc", "a");
      c.crash("m5");
      c.run("30s");
      const seen = seenBy(c.sim.state, "m5");
      c.nodes().forEach((observer, i) => {
        const v = c.members(observer).find((m) => m.member === "m5");
        expect(SEEN_NAMES[seen[i]!]).toBe(v?.status ?? "unknown");
      });
      const spread = payloadSpread(c.sim.state, "svc");
      expect(spread.newest).toEqual({ value: "a", version: 1, origin: "m2" });
      c.nodes().forEach((observer, i) => expect(spread.holders[i]).toBe(c.payload(observer, "svc") ? 1 : 0));
      expect(() => seenBy(c.sim.state, "m99")).toThrow(/unknown member/);
    });
  }
});
