// Small operations on the world value shared by the world's handlers (model.ts, attach.ts).
import { DrydockError, type SimContext } from "@drydock/kernel";
import { Daemon } from "@drydock/engine";
import type { ContainerRuntime } from "../docker/command.js";
import { CATALOGUE } from "./programs.js";
import { syncEndpoints } from "./traffic.js";
import type { HostState, WorldMessage, WorldState } from "./state.js";
import { reconcileRegistries } from "./registries.js";

/**
 * The runtimes made, by simulation context and host: a stream is the same object for the whole
 * simulation (a seek restores its state in place), so a host's runtime is made once, not per line.
 */
const RUNTIMES = new WeakMap<SimContext<WorldMessage>, Map<string, ContainerRuntime>>();

/** The containers of a host draw IDs and names from the host's own seeded streams. */
export function runtimeOf(host: string, ctx: SimContext<WorldMessage>): ContainerRuntime {
  let byHost = RUNTIMES.get(ctx);
  if (byHost === undefined) RUNTIMES.set(ctx, (byHost = new Map()));
  let rt = byHost.get(host);
  if (rt === undefined) {
    rt = { random: ctx.rng(`containers/${host}/ids`), names: ctx.rng(`containers/${host}/names`), programs: CATALOGUE, hostName: host };
    byHost.set(host, rt);
  }
  return rt;
}

export const hostsOf = (s: WorldState) => [...s.hosts.keys()];

export function getHost(s: WorldState, name: string): HostState {
  const h = s.hosts.get(name);
  if (!h) throw new DrydockError("ENOHOST", `no host "${name}" (hosts: ${hostsOf(s).join(", ")})`);
  return h;
}

export function setHost(s: WorldState, h: HostState, extra: Partial<Pick<WorldState, "hub" | "registries">> = {}): WorldState {
  return { ...s, ...extra, hosts: new Map(s.hosts).set(h.name, h) };
}

/**
 * The engine's wake-ups become kernel timers on its host (so a crash kills them with it), and
 * the engine's outbox is emptied.
 */
export function settle(s0: WorldState, name: string, ctx: SimContext<WorldMessage>): WorldState {
  const s = reconcileRegistries(s0, name);
  // Containers' interfaces are the kernel's endpoints below the host while they run (world/traffic.ts).
  syncEndpoints(s, name, ctx);
  const h = s.hosts.get(name);
  if (!h || h.engine.wakeups.length === 0) return s;
  // A `docker run` asks for one wake-up: no set of keys to make for that.
  const seen = h.engine.wakeups.length > 1 ? new Set<string>() : null;
  for (const w of h.engine.wakeups) {
    if (seen !== null) {
      const key = `${w.container}/${w.gen}/${w.at}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    ctx.setTimer(name, Math.max(ctx.now, w.at), "wake", { container: w.container, gen: w.gen });
  }
  return setHost(s, { ...h, engine: { ...h.engine, wakeups: [] } });
}

/** Runs a daemon operation on a host's engine now (a wake-up, a signal from the terminal); errors are the daemon's to keep. */
export function onDaemon(s: WorldState, h: HostState, ctx: SimContext<WorldMessage>, op: (d: Daemon) => void): WorldState {
  const rt = runtimeOf(h.name, ctx);
  const d = new Daemon(h.engine, h.fs, { now: ctx.now, random: rt.random, names: rt.names, programs: rt.programs, hostName: h.name });
  try {
    op(d);
  } catch (e) {
    if (!(e instanceof DrydockError)) throw e;
    return s;
  }
  return settle(setHost(s, { ...h, engine: d.engine, fs: d.hostFs }), h.name, ctx);
}

