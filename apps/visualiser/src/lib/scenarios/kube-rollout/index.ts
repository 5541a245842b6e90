import { defineScenario } from "../../scenario.js";
import { createRolloutDriver, NEW_IMAGE, OLD_IMAGE, REPLICAS, ROLLOUT_KEYS } from "./driver.js";
import type { RolloutViewModel } from "./model.js";
import RolloutView from "./RolloutView.svelte";

// Issue 15: a Deployment's object tree through a rolling update and `kubectl rollout undo`, with
// the control plane's loop beside it. The playground runs in the page (its terminal drives it too).
export const scenario = defineScenario<RolloutViewModel>({
  id: "kube-rollout",
  title: "Kubernetes: rollout and undo",
  order: 7,
  view: "kube-rollout",
  component: RolloutView,
  blurb: `Deployment web runs ${REPLICAS} pods of ${OLD_IMAGE} on node-1 and node-2 (kubectl apply -f web.yaml). Update it to ${NEW_IMAGE}: the deployment controller scales a new ReplicaSet up and the old one down within maxSurge and maxUnavailable; then kubectl rollout undo scales the old one back. Beside the tree, which component of the control plane acted on which object.`,
  options: [
    { key: "surge", label: "maxSurge", kind: "choice", choices: ["1", "0", "2", "25%", "50%"], def: "1" },
    { key: "unavailable", label: "maxUnavailable", kind: "choice", choices: ["1", "0", "2", "25%", "50%"], def: "1" },
  ],
  windowUs: 3_000_000,
  speed: 1,
  keys: ROLLOUT_KEYS,
  create: createRolloutDriver,
});
