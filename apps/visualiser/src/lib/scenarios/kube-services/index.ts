import { defineScenario } from "../../scenario.js";
import { createServicesDriver, SERVICES_KEYS } from "./driver.js";
import type { ServicesViewModel } from "./model.js";
import ServicesView from "./ServicesView.svelte";

// Issue 15: a Service with its EndpointSlice, requests through its ClusterIP and a NodePort, and a
// NetworkPolicy drawn as allowed and denied arrows. The playground runs in the page.
export const scenario = defineScenario<ServicesViewModel>({
  id: "kube-services",
  title: "Kubernetes: services and network policy",
  order: 8,
  view: "kube-services",
  component: ServicesView,
  blurb: "web's nginx pods run on node-1 and node-2 behind a NodePort Service (kubectl expose deployment web --type=NodePort --port=80); two busybox pods, client (role=client) and other, ask it. Send a request to the ClusterIP and kube-proxy's iptables rules pick a ready endpoint at random; ask the NodePort of control-plane, which runs no web pod; scale up and watch a pod join the EndpointSlice once ready; apply a NetworkPolicy that lets only role=client in, and watch other's request dropped.",
  options: [{ key: "replicas", label: "web replicas", kind: "int", min: 1, max: 4, def: 2 }],
  windowUs: 3_000_000,
  speed: 1,
  keys: SERVICES_KEYS,
  create: createServicesDriver,
});
