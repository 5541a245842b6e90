// What a lab's world looks like, host by host, for a view that has nothing better to draw yet:
// the containers (`docker ps -a`), images (`docker images`), volumes and user-defined networks
// of every host. `labView` says which of the app's views draws a lab, so a later view (images,
// Kubernetes) takes over by changing one line here.
import { openStore, stateString } from "@drydock/engine";
import type { Playground } from "@drydock/playground";
import type { Lab } from "./format.js";

/**
 * The app's view for a lab: "swarm" (the swarm view: nodes, tasks, services) for a swarm
 * topology, else "summary" (this file's host summary), Kubernetes labs included for now.
 */
export type LabViewKind = "swarm" | "summary";

export function labView(lab: Lab): LabViewKind {
  return lab.swarm ? "swarm" : "summary";
}

export interface ContainerSummary {
  readonly name: string;
  /** The image as the user named it ("nginx", "figlet"). */
  readonly image: string;
  /** `docker ps`'s state word: created, running, paused, restarting, removing, exited, dead. */
  readonly state: string;
}

export interface HostSummary {
  readonly host: string;
  /** The host is up (not crashed). */
  readonly up: boolean;
  readonly containers: readonly ContainerSummary[];
  /** Tagged images, familiar names (`figlet:latest`), sorted. */
  readonly images: readonly string[];
  readonly volumes: readonly string[];
  /** Networks beyond the default bridge, host and none. */
  readonly networks: readonly { readonly name: string; readonly driver: string }[];
}

const DEFAULT_NETWORKS = new Set(["bridge", "host", "none"]);

/** Every host of the playground, in its order: pure, read from the world as it is now. */
export function worldSummary(pg: Playground): HostSummary[] {
  const up = pg.sim.net.up;
  return pg.nodes.map((host) => {
    const e = pg.world.hosts.get(host)!.engine;
    const store = openStore(e);
    return {
      host,
      up: up[host] === true,
      containers: [...e.containers.values()]
        .map((c) => ({ name: c.name.replace(/^\//, ""), image: c.config.image, state: stateString(c) }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      images: store.allImages().flatMap((i) => store.tagsOf(i.id).map((t) => t.familiar)).sort(),
      volumes: [...e.volumes.values()].map((v) => v.name).sort(),
      networks: [...e.networks.networks.values()].filter((n) => !DEFAULT_NETWORKS.has(n.name)).map((n) => ({ name: n.name, driver: n.driver }))
        .sort((a, b) => (a.name < b.name ? -1 : 1)),
    };
  });
}
