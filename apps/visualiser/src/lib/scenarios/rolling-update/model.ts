import type { SwarmViewModel } from "../swarm/model.js";

// What the rolling-update view draws beyond the swarm: the service's update as `docker service
// inspect` shows it (UpdateConfig, UpdateStatus) and the leader's updater at work (its failures,
// the delay between batches and the monitor period after each new task runs).

export interface UpdateView {
  readonly service: string;
  /** The spec's image now, and before the last update (null: never updated). */
  readonly image: string;
  readonly previousImage: string | null;
  /** UpdateStatus.State: "updating", "paused", "completed", "rollback_started", "rollback_paused", "rollback_completed"; null before any update. */
  readonly state: string | null;
  readonly message: string;
  /** The config the updater works with (RollbackConfig while rolling back). */
  readonly parallelism: number;
  readonly delayS: number;
  readonly monitorS: number;
  readonly failureAction: string;
  readonly order: string;
  readonly maxFailureRatio: number;
  /** The leader's updater: tasks it created that failed, and the slots it has to update. */
  readonly failures: number;
  readonly dirtySlots: number;
  /** Slots not started yet, and slots being replaced now. */
  readonly queued: number;
  readonly inProgress: number;
  /** Seconds left of a worker's delay between batches, or of the monitor period at the end (null: none). */
  readonly delayLeftS: number | null;
  readonly monitorLeftS: number | null;
  /** Running tasks of the spec's image, out of the replicas wanted. */
  readonly onNew: number;
  readonly replicas: number;
}

export interface RollingViewModel extends SwarmViewModel {
  readonly update: UpdateView | null;
}
