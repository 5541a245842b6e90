// What a lab's world looks like, host by host, for a view that has nothing better to draw yet:
// the containers (`docker ps -a`), images (`docker images`), volumes and user-defined networks
// of every host, for the labs no other view fits. `labView` says which of the app's views draws a lab.
import { openStore, stateString } from "@drydock/engine";
import type { Playground } from "@drydock/playground";
import type { Lab } from "./format.js";

/**
 * The app's view for a lab, the one place that maps labs to views: the swarm view for a swarm
 * topology; on Kubernetes the Services view when the lab makes a Service (`kubectl expose`, a
 * `kind: Service` manifest), else the Deployment tree when it makes a Deployment, else the
 * Services view for its nodes and their pods; otherwise by the course's module: images
 * and builds, a host's containers (containers, volumes, system), its bridge networks (networks,
 * port mapping, Compose's project network); "summary" (this file's host summary) for the rest.
 */
export type LabViewKind = "swarm" | "build" | "containers" | "bridge" | "kube-rollout" | "kube-services" | "summary";

const BY_MODULE: Readonly<Record<string, LabViewKind>> = {
  Images: "build",
  Containers: "containers",
  Volumes: "containers",
  System: "containers",
  Networks: "bridge",
  Compose: "bridge",
};

export function labView(lab: Lab): LabViewKind {
  if (lab.swarm) return "swarm";
  if (lab.kubernetes) {
    const lines = lab.steps.flatMap((s) => (s.action.kind === "run" ? [s.action.line] : []));
    if (lines.some((l) => /\bkubectl (expose|create service)\b/.test(l) || /^\s*kind: Service\s*$/m.test(l))) return "kube-services";
    if (lines.some((l) => /\bkubectl create deployment\b/.test(l) || /^\s*kind: Deployment\s*$/m.test(l))) return "kube-rollout";
    // Bare pods: the Services view draws the nodes and the pods on each.
    return "kube-services";
  }
  return BY_MODULE[lab.module] ?? "summary";
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
