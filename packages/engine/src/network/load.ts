// How fast a loop of HTTP calls goes when many run at once: DockerCoins' workers each sleep, ask
// rng for random bytes and ask hasher for their hash, over and over. Every service answers one
// request at a time per container, after the sleep its source asks for; rng reads the host's
// entropy, which every rng on a host shares, so more rng containers on one host add no capacity
// (more hosts do: swarm's business). The steady state of this closed loop is computed the way
// the bottleneck law gives it for deterministic service times: each worker alone does one round
// per (think time + the services' times); a service asked for more than it can serve caps the
// workers that use it, and its queue is where their extra time goes. The result sets the rate of
// each worker's plan (what it logs each second) and the latency a request to a service sees.
import type { Micros } from "@drydock/kernel";
import type { EngineState } from "../engine.js";
import type { Container, LogPiece } from "../containers/types.js";
import { viewOf } from "../containers/mounts.js";
import type { FsDir } from "../fs/index.js";
import { appOf, routeMatch, type AppSpec, type Route } from "../programs/apps.js";
import { endpointsOf } from "./endpoints.js";
import { formatIp4, parseIp4 } from "./ip.js";
import { resolveName } from "./dns.js";

/** A service a client calls: the containers behind its name, and the route that answers. */
export interface Station {
  /** The name in the URL ("rng"): how the course names the service. */
  readonly name: string;
  readonly key: string;
  /** The server containers (IDs) that answer, spread over by DNS round robin. */
  readonly servers: readonly string[];
  /** Each request's own time (the route's sleep). */
  readonly serviceUs: Micros;
  /** Requests per second it can serve: one at a time per container, or per host when the work is host-bound. */
  readonly capacity: number;
  readonly hostBound: boolean;
}

export interface ClientLoad {
  /** Rounds per second. */
  readonly rate: number;
  /** Time per round (µs): think time plus each call's latency. */
  readonly roundUs: Micros;
  readonly stations: readonly Station[];
  /** The station whose capacity caps this client (null: it runs as fast as it alone would). */
  readonly bottleneck: string | null;
  /** Why it does nothing (a service it calls does not resolve or nobody answers), or null. */
  readonly stalled: string | null;
}

export interface LoadReport {
  readonly clients: ReadonlyMap<string, ClientLoad>;
  /** Latency a request to a station's servers sees now (µs), by station key. */
  readonly latencyUs: ReadonlyMap<string, Micros>;
  readonly stations: ReadonlyMap<string, Station>;
  /** Rounds per second of every client together. */
  readonly total: number;
}

const ROUTE_OVERHEAD_US = 0;

/** The app a container's main process serves (from its files), or null. */
export function appOfContainer(engine: EngineState, hostFs: FsDir, c: Container, now: Micros): AppSpec | null {
  const r = c.run;
  if (r === null) return null;
  const env = new Map<string, string>();
  for (const e of r.spec.env) {
    const eq = e.indexOf("=");
    if (eq > 0) env.set(e.slice(0, eq), e.slice(eq + 1));
  }
  const argv = r.plan.program === "flask" ? ["flask", "run"] : r.spec.argv;
  const fs = viewOf(c, { engine, hostFs, tmpfs: r.tmpfs }, now);
  return appOf(argv, env, r.spec.cwd, fs, c.config.hostname);
}

function parseUrl(url: string): { host: string; port: number; path: string } | null {
  const m = /^https?:\/\/([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
  if (!m) return null;
  return { host: m[1]!, port: Number(m[2] ?? (url.startsWith("https") ? 443 : 80)), path: m[3] ?? "/" };
}

/** The running containers behind a name as `c` resolves it, listening on `port`. */
function serversFor(engine: EngineState, c: Container, host: string, port: number): Container[] {
  const addrs = parseIp4(host) !== null ? [host] : resolveName(engine.networks, c.id, host).addresses;
  const out: Container[] = [];
  for (const a of addrs) {
    const ip = parseIp4(a);
    for (const e of engine.networks.endpoints.values()) {
      if (e.ip !== ip) continue;
      const s = engine.containers.get(e.containerId);
      if (s && s.run && !s.state.paused && (s.run.plan.ports.includes(port))) out.push(s);
    }
  }
  return [...new Map(out.map((s) => [s.id, s])).values()];
}

/** The steady state of every client loop on this engine. */
export function clientLoads(engine: EngineState, hostFs: FsDir, now: Micros): LoadReport {
  const clients: { c: Container; app: AppSpec }[] = [];
  for (const c of engine.containers.values()) {
    if (c.run === null || c.run.plan.tick?.gen !== "client-rounds" || c.state.paused) continue;
    const app = appOfContainer(engine, hostFs, c, now);
    if (app?.client) clients.push({ c, app });
  }
  const stations = new Map<string, Station>();
  const apps = new Map<string, AppSpec | null>();
  const appFor = (s: Container) => {
    if (!apps.has(s.id)) apps.set(s.id, appOfContainer(engine, hostFs, s, now));
    return apps.get(s.id)!;
  };
  const plans = new Map<string, { think: Micros; stations: Station[]; stalled: string | null }>();
  for (const { c, app } of clients) {
    const mine: Station[] = [];
    let stalled: string | null = null;
    for (const call of app.client!.calls) {
      const u = parseUrl(call.url);
      if (!u) continue;
      const servers = serversFor(engine, c, u.host, u.port);
      if (servers.length === 0) {
        stalled ??= endpointsOf(engine.networks, c.id).length === 0 ? "it is not on a network" : `nothing answers at ${u.host}:${u.port}`;
        continue;
      }
      const route = (s: Container): Route | undefined => appFor(s)?.routes.find((r) => r.method === call.method && routeMatch(r.pattern, u.path));
      const r0 = route(servers[0]!);
      const serviceUs = (r0?.sleepUs ?? 0) + ROUTE_OVERHEAD_US;
      const hostBound = r0?.hostBound === true;
      const ids = servers.map((s) => s.id).sort();
      const key = `${call.method} ${u.path} ${ids.join(",")}`;
      let st = stations.get(key);
      if (!st) {
        // All these servers are on this engine's host: host-bound work has one host's worth of capacity.
        const units = hostBound ? 1 : ids.length;
        st = { name: u.host, key, servers: ids, serviceUs, capacity: serviceUs > 0 ? units * (1_000_000 / serviceUs) : Infinity, hostBound };
        stations.set(key, st);
      }
      mine.push(st);
    }
    plans.set(c.id, { think: app.client!.thinkUs, stations: mine, stalled });
  }
  // Progressive filling: each client's rate alone; the most over-asked station caps the clients
  // that use it (shared equally); repeat with the rest until no station is over capacity.
  const rate = new Map<string, number>();
  const fixed = new Map<string, string>();
  for (const [id, p] of plans) {
    const round = p.think + p.stations.reduce((a, s) => a + s.serviceUs, 0);
    rate.set(id, p.stalled !== null ? 0 : round > 0 ? 1_000_000 / round : 0);
  }
  const remaining = new Map(stations);
  for (let guard = 0; guard < stations.size + 1; guard++) {
    let worst: { st: Station; ratio: number } | null = null;
    for (const st of remaining.values()) {
      let demand = 0;
      let fixedDemand = 0;
      for (const [id, p] of plans) {
        const uses = p.stations.filter((s) => s.key === st.key).length;
        if (uses === 0) continue;
        if (fixed.has(id)) fixedDemand += uses * rate.get(id)!;
        else demand += uses * rate.get(id)!;
      }
      const room = st.capacity - fixedDemand;
      const ratio = demand <= 0 ? 0 : demand / Math.max(room, 1e-9);
      if (ratio > 1 + 1e-9 && (worst === null || ratio > worst.ratio)) worst = { st, ratio };
    }
    if (worst === null) break;
    for (const [id, p] of plans) {
      if (fixed.has(id) || !p.stations.some((s) => s.key === worst!.st.key)) continue;
      rate.set(id, rate.get(id)! / worst.ratio);
      fixed.set(id, worst.st.key);
    }
    remaining.delete(worst.st.key);
  }
  // Latencies: a capped client's extra time waits at its bottleneck's queue.
  const latencyUs = new Map<string, Micros>();
  for (const st of stations.values()) latencyUs.set(st.key, st.serviceUs);
  const out = new Map<string, ClientLoad>();
  let total = 0;
  for (const [id, p] of plans) {
    const x = rate.get(id)!;
    total += x;
    const b = fixed.get(id) ?? null;
    const roundUs = x > 0 ? Math.round(1_000_000 / x) : 0;
    if (b !== null && x > 0) {
      const others = p.stations.filter((s) => s.key !== b).reduce((a, s) => a + s.serviceUs, 0);
      const wait = Math.max(stations.get(b)!.serviceUs, roundUs - p.think - others);
      latencyUs.set(b, Math.max(latencyUs.get(b) ?? 0, wait));
    }
    out.set(id, { rate: x, roundUs, stations: p.stations, bottleneck: b === null ? null : stations.get(b)!.name, stalled: p.stalled });
  }
  return { clients: out, latencyUs, stations, total };
}

/** The latency a request to `server` on `path` sees now, under the clients' load (its own time when idle). */
export function serverLatency(report: LoadReport, serverId: string, method: string, path: string, ownUs: Micros): Micros {
  let same = ownUs;
  let queueUs = 0;
  for (const st of report.stations.values()) {
    if (!st.servers.includes(serverId)) continue;
    const latency = report.latencyUs.get(st.key) ?? st.serviceUs;
    if (st.key.startsWith(`${method} ${path} `)) same = Math.max(same, latency);
    // One request at a time per container: a request for another route (httping's HEAD /
    // while the workers ask for /32) waits in the same queue before its own time.
    else queueUs = Math.max(queueUs, latency - st.serviceUs);
  }
  return Math.max(same, ownUs + queueUs);
}

/** The rounds a client's log shows up to `now`: the sum of its per-second lines (what it added to the counter). */
export function roundsLogged(c: Container, now: Micros): number {
  let total = 0;
  for (const run of c.logs) {
    const end = Math.min(run.endedAt ?? now, now);
    run.pieces.forEach((p: LogPiece, i: number) => {
      if (p.overlay) return;
      const t = p.plan.tick;
      if (!t || t.gen !== "client-rounds") return;
      const next = run.pieces.slice(i + 1).find((q) => !q.overlay);
      const stop = Math.min(end, next ? next.start : end);
      const first = p.origin + t.from;
      if (stop <= first || stop <= p.start) return;
      const k0 = Math.max(0, Math.ceil((p.start - first) / t.every));
      const k1 = Math.floor((stop - 1 - first) / t.every) + 1;
      if (k1 <= k0) return;
      const r = Number(t.params["rate"]);
      const ph = Number(t.params["phase"]);
      total += Math.floor(k1 * r + ph) - Math.floor(k0 * r + ph);
    });
  }
  return total;
}

/** DockerCoins' hash counter in redis: every client's rounds so far (webui's /json "hashes"). */
export function hashCounter(engine: EngineState, now: Micros): number {
  let n = 0;
  for (const c of engine.containers.values()) n += roundsLogged(c, now);
  return n;
}

export { formatIp4 };
