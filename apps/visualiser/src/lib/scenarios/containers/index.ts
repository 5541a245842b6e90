import { defineScenario } from "../../scenario.js";
import { CONTAINER_KEYS, createContainersDriver } from "./driver.js";
import type { ContainersViewModel } from "./model.js";
import ContainersView from "./ContainersView.svelte";

// Issue 14: containers as processes, namespaces and cgroups, from the engine's process table.
export const scenario = defineScenario<ContainersViewModel>({
  id: "containers",
  title: "Containers: processes, namespaces, cgroups",
  order: 11,
  view: "containers",
  component: ContainersView,
  blurb: "web (nginx) as the host sees it: its processes in host PIDs beside their PIDs in its PID namespace (docker top against ps inside), its namespaces against the host's, a memory hog climbing to its --memory limit and OOM-killed (exit 137), and --pid host sharing the host's PID namespace. Press S (or Next) to type each step.",
  options: [],
  windowUs: 5_000_000,
  speed: 0.25,
  keys: CONTAINER_KEYS,
  create: createContainersDriver,
});
