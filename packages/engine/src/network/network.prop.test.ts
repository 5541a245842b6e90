import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  connectContainer, createNetwork, defaultNetworkTable, endpointsOf, firewallRules, formatIp4, gatewayEndpoint, hostBindings, parsePortSpec,
  portBindingsOf, publishPorts, reachable, releaseSandbox, type NetworkTable,
} from "./index.js";

const cid = (n: number) => (n + 1).toString(16).padStart(2, "0").repeat(32);

/** A host: some user-defined networks (some internal), containers each on some of them (or none). */
interface World {
  readonly networks: boolean[];
  readonly containers: { nets: number[]; none: boolean; publish: boolean }[];
}

const world: fc.Arbitrary<World> = fc.record({
  networks: fc.array(fc.boolean(), { maxLength: 3 }),
  containers: fc.array(fc.record({ nets: fc.uniqueArray(fc.integer({ min: -1, max: 3 }), { maxLength: 3 }), none: fc.boolean(), publish: fc.boolean() }), { minLength: 2, maxLength: 5 }),
});

function build(w: World): NetworkTable {
  let t = defaultNetworkTable(0, "prop");
  w.networks.forEach((internal, i) => {
    t = createNetwork(t, { name: `n${i}`, internal, created: 0 }).table;
  });
  w.containers.forEach((c, i) => {
    const names = c.none ? ["none"] : c.nets.map((k) => (k < 0 || k >= w.networks.length ? "bridge" : `n${k}`));
    for (const network of [...new Set(names.length > 0 ? names : ["bridge"])]) {
      t = connectContainer(t, { containerId: cid(i), containerName: `c${i}`, network }).table;
    }
    if (c.publish) t = publishPorts(t, cid(i), { ...portBindingsOf(parsePortSpec(`${9000 + i}:80`)), publishAll: false }).table;
  });
  return t;
}

describe("reachability follows shared networks (issue #11's property)", () => {
  it("two containers exchange a request iff they share a network, or one reaches the other's published port through the host", () => {
    fc.assert(
      fc.property(world, (w) => {
        const t = build(w);
        const rules = firewallRules(t);
        const opts = { listening: () => true, rules };
        for (let i = 0; i < w.containers.length; i++) {
          for (let j = 0; j < w.containers.length; j++) {
            if (i === j) continue;
            const mine = new Set(endpointsOf(t, cid(i)).filter((e) => e.ip !== null).map((e) => e.networkId));
            const theirs = endpointsOf(t, cid(j)).filter((e) => e.ip !== null);
            const share = theirs.some((e) => mine.has(e.networkId));
            const direct = theirs.some((e) => reachable(t, { kind: "container", id: cid(i) }, formatIp4(e.ip!), 80, opts).outcome === "connected");
            expect(direct).toBe(share);
            // Published ports: bound only by a container with a default route; reached by any container that has one.
            const published = w.containers[j]!.publish && gatewayEndpoint(t, cid(j)) !== null;
            const viaHost = reachable(t, { kind: "container", id: cid(i) }, "10.0.0.2", 9000 + j, opts).outcome === "connected";
            expect(viaHost).toBe(published && gatewayEndpoint(t, cid(i)) !== null);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("a host port is bound by at most one container, and stopping containers frees their ports", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("8080:80", "80", "127.0.0.1:8080:80", "8080-8081:80", "53:53/udp"), { maxLength: 8 }), (specs) => {
        let t = defaultNetworkTable();
        specs.forEach((spec, i) => {
          t = connectContainer(t, { containerId: cid(i), containerName: `c${i}`, network: "bridge" }).table;
          try {
            t = publishPorts(t, cid(i), { ...portBindingsOf(parsePortSpec(spec)), publishAll: false }).table;
          } catch {
            t = releaseSandbox(t, cid(i)); // the container fails to start
          }
        });
        const seen = new Set<string>();
        for (const b of hostBindings(t)) {
          const k = `${b.hostIp}|${b.hostPort}|${b.protocol}`;
          expect(seen.has(k)).toBe(false);
          seen.add(k);
          const other = b.hostIp === "0.0.0.0" ? [...seen].some((s) => s.endsWith(`|${b.hostPort}|${b.protocol}`) && !s.startsWith("0.0.0.0|") && !s.startsWith("::|")) : false;
          expect(other).toBe(false);
        }
        for (let i = 0; i < specs.length; i++) t = releaseSandbox(t, cid(i));
        expect(hostBindings(t)).toEqual([]);
      }),
    );
  });
});
