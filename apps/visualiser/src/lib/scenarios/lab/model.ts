import type { HostSummary, Lab, LabViewKind } from "@drydock/labs";
import type { SwarmViewModel } from "../swarm/model.js";
import type { BuildViewModel } from "../build/model.js";
import type { ContainersViewModel } from "../containers/model.js";
import type { BridgeViewModel } from "../bridge/model.js";
import type { RolloutViewModel } from "../kube-rollout/model.js";
import type { ServicesViewModel } from "../kube-services/model.js";
import type { LabController } from "../../labs/controller.svelte.js";
import type { LabPlayback, StepPlayState } from "./playback.js";

// What the lab scene draws: the lab's world through the view that fits it (labs' `labView`: the
// swarm view for a swarm, images and builds, containers, bridge networks, the Kubernetes views,
// else a summary of each host), and the lab's own state beside it. Exactly one of the views'
// models is set (the one `kind` names), each read from the lab's playground with the lab's
// step as its caption and no steps of its own.
export interface LabViewModel {
  readonly lab: Lab;
  readonly kind: LabViewKind;
  /** The swarm as the swarm scenes draw it (kind "swarm"), else null. */
  readonly swarm: SwarmViewModel | null;
  /** The images-and-builds view of the lab's current host (kind "build"), else null. */
  readonly build: BuildViewModel | null;
  /** Processes, namespaces and cgroups of the current host (kind "containers"), else null. */
  readonly containers: ContainersViewModel | null;
  /** The current host's bridge networks and latest request (kind "bridge"), else null. */
  readonly bridge: BridgeViewModel | null;
  /** The cluster's newest Deployment and the control plane's loop (kind "kube-rollout"), else null. */
  readonly rollout: RolloutViewModel | null;
  /** The cluster's newest Service, its endpoints and policies (kind "kube-services"), else null. */
  readonly services: ServicesViewModel | null;
  /** Every host's containers, images, volumes and networks (kind "summary"). */
  readonly hosts: readonly HostSummary[];
  /** Instructor mode (`instructor=1`): speaker notes in their own window, a pause at each step, the remote's keys. */
  readonly instructor: boolean;
  /** Instructor mode's playback of a step with pause points (rewind after "Do it for me"), else null. */
  readonly playback: LabPlayback | null;
  /** The run is inside a step being played: the caption of the pause reached last. */
  readonly playing: StepPlayState | null;
  /**
   * The lab in progress: its steps' results and the commands of the lab panel. Not a plain
   * value: the panel reads its reactive fields and calls it through AppState.external.
   */
  readonly controller: LabController;
}
