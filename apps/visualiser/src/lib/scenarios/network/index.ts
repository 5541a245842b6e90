import { defineScenario } from "../../scenario.js";
import { createNetworkDriver, type NetworkView } from "./driver.js";
import NetworkViewComponent from "./NetworkView.svelte";

// The kernel's network on its own, with a ping model: latency, loss, partitions and crashes.
export const scenario = defineScenario<NetworkView>({
  id: "network",
  title: "Network basics",
  order: 3,
  view: "network",
  component: NetworkViewComponent,
  blurb: "Each node pings a random peer every 200 ms. Crash a node or cut the network and watch the missed replies.",
  options: [{ key: "size", label: "Nodes", kind: "int", min: 2, max: 9, def: 4 }],
  windowUs: 600_000,
  speed: 0.25,
  create: createNetworkDriver,
});
