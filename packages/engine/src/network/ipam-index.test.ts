import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { connectContainer, createNetwork, defaultNetworkTable, disconnectContainer, releaseSandbox, usedAddresses, type NetworkTable } from "./index.js";
import { findNetwork, firstUsable } from "./table.js";
import { NetworkError } from "./errors.js";

const cid = (n: number) => (n + 1).toString(16).padStart(2, "0").repeat(32);

// libnetwork's default IPAM gives the first free address of the pool (ipam/allocator.go
// getAddress with serial false); the index (ipam-index.ts) must answer as a scan of every endpoint does.
describe("IPAM's address index answers as a scan of the table", () => {
  it("every connect gets the first address a full scan finds free, under any mix of connects, disconnects, stops and forks", () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant("connect" as const), c: fc.integer({ min: 0, max: 4 }), net: fc.constantFrom("bridge", "small") }),
      fc.record({ k: fc.constant("disconnect" as const), c: fc.integer({ min: 0, max: 4 }), net: fc.constantFrom("bridge", "small") }),
      fc.record({ k: fc.constant("release" as const), c: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ k: fc.constant("back" as const), to: fc.nat() }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
      // A /29 with an ip-range of its upper half and an aux address, beside the default bridge.
      let t: NetworkTable = createNetwork(defaultNetworkTable(0, "ipam"), {
        name: "small", subnets: ["10.9.0.0/28"], ipRanges: ["10.9.0.8/29"], auxAddresses: { r: "10.9.0.9" }, created: 0,
      }).table;
      const versions: NetworkTable[] = [t];
      for (const o of ops) {
        if (o.k === "back") { t = versions[o.to % versions.length]!; continue; }
        let want: number | null = null;
        let got: number | null = null;
        try {
          if (o.k === "connect") {
            const n = findNetwork(t, o.net);
            want = firstUsable(n.subnet!, n.ipRange ?? n.subnet!, usedAddresses(t, n));
            const r = connectContainer(t, { containerId: cid(o.c), containerName: `c${o.c}`, network: o.net });
            got = r.endpoint.ip;
            t = r.table;
          } else if (o.k === "disconnect") t = disconnectContainer(t, cid(o.c), o.net);
          else t = releaseSandbox(t, cid(o.c));
        } catch (e) {
          if (!(e instanceof NetworkError)) throw e; // moby's refusals (already connected, pool full) are fine
        }
        if (got !== null) expect(got).toBe(want);
        versions.push(t);
      }
    }), { numRuns: 150, examples: [[[
      // an address freed below the last one given is given again first
      { k: "connect", c: 0, net: "bridge" }, { k: "connect", c: 1, net: "bridge" }, { k: "disconnect", c: 0, net: "bridge" }, { k: "connect", c: 2, net: "bridge" },
    ]]] });
  });
});
