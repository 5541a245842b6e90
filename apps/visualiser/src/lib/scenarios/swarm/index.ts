import { defineScenario } from "../../scenario.js";
import { createSwarmDriver } from "./driver.js";
import type { SwarmViewModel } from "./model.js";
import SwarmView from "./SwarmView.svelte";
import SwarmPanel from "./SwarmPanel.svelte";

// Issue 14's first scene: a swarm node fails and its tasks move; a manager fails and Raft elects
// another while the services keep running. The playground runs in the page.
export const scenario = defineScenario<SwarmViewModel>({
  id: "node-failure",
  title: "Swarm: node failure",
  order: 4,
  view: "swarm",
  component: SwarmView,
  panel: SwarmPanel,
  blurb: "Three managers and four workers run the service web (docker service create --replicas 6 --name web nginx). Click a node to crash it, again to restart it: a worker's tasks move once the leader marks it Down; a dead leader is replaced by a Raft election.",
  options: [],
  windowUs: 6_000_000,
  speed: 3,
  create: createSwarmDriver,
});
