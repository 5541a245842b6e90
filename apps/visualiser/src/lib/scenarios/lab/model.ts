import type { HostSummary, Lab, LabViewKind } from "@drydock/labs";
import type { SwarmViewModel } from "../swarm/model.js";
import type { LabController } from "../../labs/controller.svelte.js";

// What the lab scene draws: the lab's world through the view that fits it (labs' `labView`: the
// swarm view for a swarm, else a summary of each host), and the lab's own state beside it.
export interface LabViewModel {
  readonly lab: Lab;
  readonly kind: LabViewKind;
  /** The swarm as the swarm scenes draw it (kind "swarm"), else null. */
  readonly swarm: SwarmViewModel | null;
  /** Every host's containers, images, volumes and networks (kind "summary"). */
  readonly hosts: readonly HostSummary[];
  /** Instructor mode (`instructor=1`): speaker notes in their own window, a pause at each step, the remote's keys. */
  readonly instructor: boolean;
  /**
   * The lab in progress: its steps' results and the commands of the lab panel. Not a plain
   * value: the panel reads its reactive fields and calls it through AppState.external.
   */
  readonly controller: LabController;
}
