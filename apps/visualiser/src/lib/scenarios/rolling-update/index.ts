import { defineScenario } from "../../scenario.js";
import { createRollingDriver, DELAY_S, MONITOR_S } from "./driver.js";
import type { RollingViewModel } from "./model.js";
import RollingView from "./RollingView.svelte";
import SwarmPanel from "../swarm/SwarmPanel.svelte";

// Issue 14's second scene: a rolling update in batches, then a bad image that pauses or rolls back.
export const scenario = defineScenario<RollingViewModel>({
  id: "rolling-update",
  title: "Swarm: rolling update",
  order: 5,
  view: "rolling-update",
  component: RollingView,
  panel: SwarmPanel,
  blurb: `Three managers and four workers run web (6 tasks of nginx:1.25), created with --update-parallelism, --update-delay ${DELAY_S}s, --update-monitor ${MONITOR_S}s, --update-failure-action and --update-order. Update it to nginx:1.27 and watch the batches; then to a bad image whose tasks exit at once: the updater pauses or rolls back.`,
  options: [
    { key: "parallelism", label: "Update parallelism", kind: "int", min: 1, max: 50, def: 2 },
    { key: "order", label: "Update order", kind: "choice", choices: ["stop-first", "start-first"], def: "stop-first" },
    { key: "failure", label: "On failure", kind: "choice", choices: ["rollback", "pause"], def: "rollback" },
    // A bigger swarm (the frame bench opens 47 workers and 500 tasks).
    { key: "workers", label: "Workers", kind: "int", min: 1, max: 47, def: 4 },
    { key: "replicas", label: "Replicas", kind: "int", min: 1, max: 500, def: 6 },
  ],
  windowUs: 6_000_000,
  speed: 3,
  create: createRollingDriver,
});
