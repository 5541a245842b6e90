import { defineScenario } from "../../scenario.js";
import { BRIDGE_KEYS, createBridgeDriver } from "./driver.js";
import type { BridgeViewModel } from "./model.js";
import BridgeView from "./BridgeView.svelte";

// Issue 14: single-host networks, from the engine's network table and the world's traffic trace.
export const scenario = defineScenario<BridgeViewModel>({
  id: "bridge",
  title: "Single-host networks",
  order: 12,
  view: "bridge",
  component: BridgeView,
  blurb: "Two user-defined bridges: front (web publishing 8080, and a client) and back (db). Requests go hop by hop through the veth pairs, the bridge, iptables and the embedded DNS server; a port nobody listens on is refused, a ping across bridges is dropped by the isolation rule, and the host reaches web through docker-proxy. Press S (or Next) to type each step.",
  options: [],
  windowUs: 5_000_000,
  speed: 1,
  keys: BRIDGE_KEYS,
  create: createBridgeDriver,
});
