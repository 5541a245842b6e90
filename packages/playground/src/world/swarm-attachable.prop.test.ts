// Standalone containers on an attachable overlay, as a property (issue #12, QA session 5 D1): over
// drawn runs, stops, removals and disconnects of containers on any node, scalings of a service on
// the network, and time passing, (1) no two endpoints on the network, on whatever nodes, ever hold
// the same address (swarmkit's allocator gives each attachment its own), and (2) every address the
// embedded DNS (127.0.0.11) answers a container on the network is the service's VIP or an endpoint
// on that network now: a task's or a standalone container's, on some node. A name may be missing
// for a while (the gossip has not carried it yet), never wrong once it has been removed everywhere.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { formatIp4 } from "@drydock/engine";
import type { Playground } from "../playground.js";
import { leaderStore } from "./ingress.js";
import { swarm } from "./ingress.test-util.js";

const NODES = ["n1", "n2", "n3"] as const;
const NAMES = ["c1", "c2", "c3"] as const;

type Step =
  | { readonly kind: "run"; readonly name: string; readonly on: string }
  | { readonly kind: "rm" | "stop" | "disconnect"; readonly name: string }
  | { readonly kind: "scale"; readonly replicas: number }
  | { readonly kind: "wait"; readonly time: string }
  | { readonly kind: "resolve"; readonly from: string; readonly name: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("run" as const), name: fc.constantFrom(...NAMES), on: fc.constantFrom(...NODES) }),
  fc.record({ kind: fc.constantFrom("rm" as const, "stop" as const, "disconnect" as const), name: fc.constantFrom(...NAMES) }),
  fc.record({ kind: fc.constant("scale" as const), replicas: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant("wait" as const), time: fc.constantFrom("1s", "5s", "30s") }),
  fc.record({ kind: fc.constant("resolve" as const), from: fc.constantFrom(...NODES), name: fc.constantFrom(...NAMES, "api", "tasks.api") }),
);

/** Every endpoint on the network, on every node: address → where. */
function endpointsOn(pg: Playground, networkId: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const n of NODES) {
    const t = pg.world.hosts.get(n)!.engine.networks;
    for (const e of t.endpoints.values()) {
      if (e.networkId !== networkId || e.ip === null) continue;
      const ip = formatIp4(e.ip);
      out.set(ip, [...(out.get(ip) ?? []), `${e.name}@${n}`]);
    }
  }
  return out;
}

describe("a name resolved from a standalone container on an attachable overlay is an endpoint on that network", () => {
  it("holds over drawn containers, removals, disconnects, scalings and requests", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 10 }), (steps) => {
        const pg = swarm(NODES);
        pg.exec("docker network create -d overlay --attachable x", { on: "n1" });
        expect(pg.exec("docker service create -d --name api --network x --replicas 2 nginx", { on: "n1" }).exitCode).toBe(0);
        // A probe on each node, asking its embedded DNS.
        for (const n of NODES) expect(pg.exec(`docker run -d --name probe-${n} --network x alpine sleep 1d`, { on: n }).exitCode).toBe(0);
        pg.advance("10s");
        const store = leaderStore(pg.world)!;
        const x = [...store.networks.values()].find((n) => n.spec.name === "x")!;
        const where = new Map<string, string>();
        const last: Step = { kind: "resolve", from: "n1", name: "api" };
        for (const s of [...steps, last]) {
          if (s.kind === "run") {
            if (where.has(s.name)) continue;
            expect(pg.exec(`docker run -d --name ${s.name} --network x alpine sleep 1d`, { on: s.on }).exitCode).toBe(0);
            where.set(s.name, s.on);
          } else if (s.kind === "rm" || s.kind === "stop" || s.kind === "disconnect") {
            const on = where.get(s.name);
            if (on === undefined) continue;
            const line = s.kind === "rm" ? `docker rm -f ${s.name}` : s.kind === "stop" ? `docker stop -t 0 ${s.name}` : `docker network disconnect x ${s.name}`;
            pg.exec(line, { on });
            if (s.kind === "rm") where.delete(s.name);
          } else if (s.kind === "scale") pg.exec(`docker service scale -d api=${s.replicas}`, { on: "n1" });
          else if (s.kind === "wait") pg.advance(s.time);
          else {
            const r = s as Extract<Step, { kind: "resolve" }>;
            const out = pg.exec(`docker exec probe-${r.from} nslookup ${r.name}`, { on: r.from }).stdout;
            const answered = [...out.matchAll(/^Address: (\d+\.\d+\.\d+\.\d+)$/gm)].map((m) => m[1]!);
            const vips = new Set([...leaderStore(pg.world)!.services.values()].flatMap((v) => v.endpoint?.virtualIPs ?? []).filter((v) => v.networkId === x.id).map((v) => v.addr.split("/")[0]!));
            const live = endpointsOn(pg, x.id);
            for (const ip of answered) expect(vips.has(ip) || live.has(ip), `${r.name} → ${ip} from ${r.from}`).toBe(true);
          }
          for (const [ip, holders] of endpointsOn(pg, x.id)) expect(holders, ip).toHaveLength(1);
        }
      }),
      { numRuns: 20 },
    );
  });
});
