// Registries served by containers: `docker run -d -p 5000:5000 registry:2` makes localhost:5000
// reachable from every host (docker/containers.ts registers it as the container starts), and the
// registry is only there while its container runs: stopped, killed or crashed, localhost:5000
// refuses (`docker push` gets the dial error); started again, it serves what it had stored (its
// content is parked in the world meanwhile); removed, its content is gone with the container's
// layer. Reconciled after every change to a host's engine (ops.ts settle), at the cost of a
// look-up per registry container.
import type { Container, EngineState } from "@drydock/engine";
import type { RegistryContainer, WorldState } from "./state.js";

/** The container's registry answers on the host's `port` (its program is the registry and the port is published). */
function serves(c: Container | undefined, port: number): boolean {
  const r = c?.run;
  return r !== undefined && r !== null && r.plan.program === "registry" && r.ports.some((b) => b.hostPort === port && b.containerPort === 5000);
}

const portOf = (domain: string) => Number(domain.slice(domain.lastIndexOf(":") + 1));

/** The running registry container a new registration came from, if any (a `drydock registry start` has none). */
function findServer(engine: EngineState, port: number): Container | undefined {
  for (const c of engine.containers.values()) if (serves(c, port)) return c;
  return undefined;
}

/** The world with the registries of `host`'s containers as their containers are now. */
export function reconcileRegistries(s: WorldState, host: string): WorldState {
  if (s.registries.size === 0 && s.registryContainers.size === 0) return s;
  const h = s.hosts.get(host);
  if (!h) return s;
  let registries = s.registries;
  let tracked = s.registryContainers;
  let hub = s.hub;
  const track = (domain: string, t: RegistryContainer | null) => {
    const next = new Map(tracked);
    if (t === null) next.delete(domain);
    else next.set(domain, t);
    tracked = next;
  };
  const reach = (domain: string, on: boolean) => {
    const next = new Map(registries);
    if (on) next.set(domain, host);
    else next.delete(domain);
    registries = next;
  };
  for (const [domain, owner] of s.registries) {
    if (owner !== host || tracked.has(domain) || !/^localhost:\d+$/.test(domain)) continue;
    const c = findServer(h.engine, portOf(domain));
    if (c) track(domain, { host, container: c.id, parked: null });
  }
  for (const [domain, t] of tracked) {
    if (t.host !== host) continue;
    const c = h.engine.containers.get(t.container);
    const up = serves(c, portOf(domain));
    if (!c) {
      // Removed: its storage went with it.
      track(domain, null);
      if (registries.has(domain)) reach(domain, false);
      hub = hub.withRegistryFrom(domain, null);
    } else if (!up && t.parked === null) {
      track(domain, { ...t, parked: hub });
      reach(domain, false);
      hub = hub.withRegistryFrom(domain, null);
    } else if (up && t.parked !== null) {
      hub = hub.withRegistryFrom(domain, t.parked);
      track(domain, { ...t, parked: null });
      reach(domain, true);
    }
  }
  if (registries === s.registries && tracked === s.registryContainers) return s;
  return { ...s, registries, registryContainers: tracked, hub };
}
