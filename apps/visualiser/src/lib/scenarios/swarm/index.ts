import { defineScenario } from "../../scenario.js";
import { createSwarmDriver } from "./driver.js";
import type { SwarmViewModel } from "./model.js";
import NodeFailureView from "./NodeFailureView.svelte";
import { SWARM_STORY } from "./story.js";
import { storyKeys } from "../../components/story-mode.js";
import SwarmPanel from "./SwarmPanel.svelte";

// Issue 14's first scene: a swarm node fails and its tasks move; a manager fails and Raft elects
// another while the services keep running. The playground runs in the page.
export const scenario = defineScenario<SwarmViewModel>({
  id: "node-failure",
  title: "Swarm: node failure",
  order: 4,
  view: "swarm",
  component: NodeFailureView,
  panel: SwarmPanel,
  blurb: "Three managers and four workers run the service web (docker service create --replicas 6 --name web nginx). Click a node to crash, restart, drain or pause it: a worker's tasks move once the leader marks it Down; a dead leader is replaced by a Raft election. Cut off the leader and try a change on each side of the partition. Story mode: story=1.",
  options: [],
  // The story's step in story mode (story=1).
  settings: ["story"],
  keys: storyKeys<SwarmViewModel>(SWARM_STORY),
  windowUs: 6_000_000,
  speed: 3,
  create: createSwarmDriver,
});
