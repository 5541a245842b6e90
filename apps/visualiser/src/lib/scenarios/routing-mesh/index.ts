import { defineScenario } from "../../scenario.js";
import { createMeshDriver } from "./driver.js";
import type { RoutingViewModel } from "./model.js";
import MeshView from "./MeshView.svelte";
import SwarmPanel from "../swarm/SwarmPanel.svelte";

// Issue 14's third scene: a request to any node's published port finds a task, maybe on another node.
export const scenario = defineScenario<RoutingViewModel>({
  id: "routing-mesh",
  title: "Swarm: routing mesh",
  order: 6,
  view: "routing-mesh",
  component: MeshView,
  panel: SwarmPanel,
  blurb: "web (3 tasks of nginx:1.27) publishes port 8080. A client outside the swarm asks a node's port: the node's ingress hands the request to IPVS, which picks a task round robin on the VIP, perhaps on another node over the ingress overlay. With endpoint mode DNSRR and host-mode ports there is no mesh.",
  options: [
    { key: "mode", label: "Endpoint mode", kind: "choice", choices: ["vip", "dnsrr"], def: "vip" },
  ],
  windowUs: 2_000_000,
  speed: 1,
  create: createMeshDriver,
});
