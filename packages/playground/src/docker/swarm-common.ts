import { lanAddress } from "@drydock/engine";
import { leaderFor, swarmFail, type Store, type SwarmAction, type SwarmState } from "@drydock/swarm";
import { fail } from "../errors.js";
import type { SwarmPort } from "../world/swarm.js";
import type { DockerEnv } from "./command.js";

/** The swarm as the host's daemon reaches it; a host outside a world has none. */
export function portOf(env: DockerEnv): SwarmPort {
  if (!env.swarm) fail("DRYDOCK", "swarm mode needs a world of hosts (createPlayground)");
  return env.swarm;
}

export function swarmState(env: DockerEnv): SwarmState {
  return portOf(env).state();
}

/** Carries a swarm command out (Docker's error and no change when refused); the host's engine may change with it. */
export function act(env: DockerEnv, a: SwarmAction): void {
  const r = portOf(env).act(a, env.engine, env.fs);
  env.engine = r.engine;
  env.fs = r.fs;
}

/**
 * The store a manager command reads: the leader's view, as the manager forwards the request
 * there. Throws Docker's error on a worker, outside a swarm, or without a leader.
 */
export function managerStore(env: DockerEnv): { readonly leader: string; readonly view: Store } {
  const p = portOf(env);
  return leaderFor(p.state(), env.host, p.net);
}

/** The swarm member this host is, or Docker's "not part of a swarm". */
export function memberOf(env: DockerEnv) {
  const m = swarmState(env).hosts.get(env.host)?.member ?? null;
  if (!m) swarmFail("NOT_IN_SWARM");
  return m;
}

/** A host's LAN address (the world's hosts are numbered on one LAN, world/traffic.ts hostAddress). */
export function hostIp(env: DockerEnv, host: string): string {
  return lanAddress(Math.max(0, env.hosts.indexOf(host)));
}

/** The host an address names (`192.168.65.3:2377`, `node1:2377`, `node1`). */
export function hostAt(env: DockerEnv, addr: string): string | undefined {
  const h = addr.replace(/:\d+$/, "");
  return env.hosts.find((n) => n === h || hostIp(env, n) === h);
}

/** go-units HumanDuration with " ago", as the CLI's tables say it. */
export { since } from "@drydock/image";
