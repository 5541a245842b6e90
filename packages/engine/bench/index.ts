import { Rng, type BenchResult, type BenchSuite } from "@drydock/kernel";
import { RegistryHub } from "@drydock/image";
import { createEngine, enginePull, type EngineState } from "../src/engine.js";
import { emptyDir } from "../src/fs/index.js";
import { createCatalogue } from "../src/programs/catalogue.js";
import { atTime } from "../src/containers/runtime.js";
import { createNetwork } from "../src/network/table.js";
import { connect, lookupName, type NetWorld } from "../src/network/traffic.js";
import { endpointsOf } from "../src/network/endpoints.js";
import { formatIp4 } from "../src/network/ip.js";

/**
 * A host with 3 user-defined networks and 20 running containers (nginx servers and alpine
 * clients), some on two networks, some publishing a port: the routing of 1,000 requests
 * (a name looked up by the asker's resolver, then a connection decided hop by hop: routes,
 * iptables, docker-proxy, the listening process).
 */
function routingHost(): { engine: EngineState; ids: string[] } {
  const hub = new RegistryHub();
  let e = createEngine(0, "node1");
  for (const r of ["nginx", "alpine"]) e = enginePull(e, hub, r, true).engine;
  for (const n of ["front", "back", "admin"]) e = { ...e, networks: createNetwork(e.networks, { name: n, created: 0 }).table };
  const rng = new Rng("bench-routing");
  const env = { random: rng.fork("ids"), names: rng.fork("names"), programs: createCatalogue(), hostName: "node1" };
  const nets = ["front", "back", "admin"];
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const server = i % 2 === 0;
    const r = atTime(e, emptyDir(0), env, 0, (d) => {
      const c = d.create({
        image: server ? "nginx" : "alpine", name: `c${i}`, ...(server ? {} : { cmd: ["sleep", "1d"] }), networkMode: nets[i % 3]!,
        ...(i % 5 === 0 ? { portBindings: { "80/tcp": [{ hostIp: "", hostPort: String(8000 + i) }] } } : {}),
      });
      d.start(c.id);
      if (i % 4 === 1) d.connectNetwork(c.id, nets[(i + 1) % 3]!);
      return c.id;
    });
    e = r.engine;
    ids.push(r.result);
  }
  return { engine: e, ids };
}

export const benchmarks: BenchSuite = () => {
  const results: BenchResult[] = [];
  {
    const { engine, ids } = routingHost();
    const world: NetWorld = { hosts: [{ name: "node1", ip: "10.0.0.11", engine, fs: emptyDir(0) }] };
    const pick = new Rng("bench-requests");
    const requests = Array.from({ length: 1000 }, (_, k) => {
      const from = ids[pick.int(0, ids.length - 1)]!;
      const to = pick.int(0, ids.length - 1);
      // By name, by address, or through a published port on the host.
      const kind = k % 3;
      return { from, to, kind };
    });
    const run = () => {
      const outcomes: Record<string, number> = {};
      for (const r of requests) {
        const src = { host: "node1", container: r.from };
        let ip: string;
        let port = 80;
        if (r.kind === 0) {
          const lk = lookupName(world, src, `c${r.to}`);
          if (lk.addresses.length === 0) {
            outcomes["unresolved"] = (outcomes["unresolved"] ?? 0) + 1;
            continue;
          }
          ip = lk.addresses[0]!;
        } else if (r.kind === 1) {
          ip = formatIp4(endpointsOf(engine.networks, ids[r.to]!)[0]!.ip!);
        } else {
          ip = "10.0.0.11";
          port = 8000 + (r.to - (r.to % 5));
        }
        const c = connect(world, src, ip, port);
        outcomes[c.outcome] = (outcomes[c.outcome] ?? 0) + 1;
      }
      return outcomes;
    };
    for (let i = 0; i < 20; i++) run(); // warm the JIT
    const samples: number[] = [];
    let outcomes: Record<string, number> = {};
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      outcomes = run();
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(samples.length / 2)]!;
    results.push({
      name: "engine.route_1000_requests_20_containers_3_networks", figure: Number(median.toFixed(2)), unit: "ms",
      goal: "<= 50 ms wall", met: median <= 50,
      params: { containers: 20, networks: 3, requests: 1000, outcomes, minMs: Number(samples[0]!.toFixed(2)), maxMs: Number(samples[samples.length - 1]!.toFixed(2)), samples: samples.length },
      note: "a third by name (the asker's resolver: embedded DNS or none), a third by address, a third to a published port on the host; each decided hop by hop (routes, iptables, docker-proxy, the listener); median of 15 runs after warm-up",
    });
  }
  return results;
};
