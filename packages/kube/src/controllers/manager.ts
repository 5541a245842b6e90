// The controller manager and the scheduler as one pure pass over the store: each controller reads
// the store and returns writes, which are applied before the next one reads; passes repeat until
// nothing changes (a bound, in case two controllers disagreed forever).
import type { KubeStore } from "../store/store.js";
import { syncDeployments } from "./deployment.js";
import { syncEndpointSlices } from "./endpointslice.js";
import { DEFAULT_LIFECYCLE, syncGarbage, syncNamespaces, syncNodeLifecycle, syncTaintEviction, type LifecycleOptions } from "./lifecycle.js";
import { syncReplicaSets } from "./replicaset.js";
import { syncJobs } from "./job.js";
import { syncCronJobs } from "./cronjob.js";
import { syncDaemonSets } from "./daemonset.js";
import { syncStatefulSets } from "./statefulset.js";
import { schedulePods, type SchedulerState } from "./scheduler.js";
import { applyWrites, type Write } from "./writes.js";

/** Passes at most per reconcile. */
export const PASSES_MAX = 20;

export interface ReconcileEnv {
  readonly now: number;
  readonly random: (n: number) => number;
  readonly scheduler: SchedulerState;
  readonly lifecycle?: LifecycleOptions;
}

export interface ReconcileResult {
  readonly passes: number;
  readonly writes: number;
  readonly refused: readonly { readonly write: Write; readonly message: string }[];
}

/** Every controller, in the order the watch would wake them, until the store is still. */
export function reconcile(store: KubeStore, env: ReconcileEnv): ReconcileResult {
  const lifecycle = env.lifecycle ?? DEFAULT_LIFECYCLE;
  const controllers: readonly (() => Write[])[] = [
    () => syncNamespaces(store),
    () => syncGarbage(store),
    () => syncNodeLifecycle(store, env.now, lifecycle),
    () => syncTaintEviction(store, env.now, lifecycle),
    () => syncDeployments(store, env.now),
    () => syncReplicaSets(store, env.now),
    () => syncCronJobs(store, env.now),
    () => syncJobs(store, env.now),
    () => syncDaemonSets(store),
    () => syncStatefulSets(store, env.now),
    () => schedulePods(store, { now: env.now, random: env.random, state: env.scheduler }),
    () => syncEndpointSlices(store),
  ];
  let total = 0;
  const refused: { write: Write; message: string }[] = [];
  let passes = 0;
  while (passes < PASSES_MAX) {
    passes++;
    let changed = 0;
    for (const c of controllers) {
      const r = applyWrites(store, c(), env.now);
      changed += r.applied;
      refused.push(...r.refused);
    }
    total += changed;
    if (changed === 0) break;
  }
  return { passes, writes: total, refused };
}
