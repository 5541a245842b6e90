import type { IdSource } from "../ids.js";
import { schedule } from "../scheduler/scheduler.js";
import type { StoreOp } from "../store/store.js";
import type { Store } from "../types.js";
import { allocate } from "./allocator.js";
import { reapTasks, reconcileGlobal, reconcileReplicated, removeOrphanedTasks, restartReplicated } from "./orchestrators.js";
import { Pass } from "./pass.js";
import { reconcileJobs } from "./jobs.js";
import { reconcileCerts } from "./ca.js";
import { draftControl, initTasks, startDelayed, type ControlState } from "./restart.js";
import { stepUpdates } from "./updater.js";

export interface ControlInput {
  readonly store: Store;
  readonly control: ControlState;
  readonly now: number;
  /** The raft index the resulting entry will take (the leader's last index + 1). */
  readonly index: number;
  readonly ids: IdSource;
  /** Certificate serials (their own stream, so task ids keep their values); default: from the index. */
  readonly serials?: IdSource;
  /** Operations to apply before the pass (the dispatcher's node and task status updates). */
  readonly ops?: readonly StoreOp[];
}

export interface ControlResult {
  /** Everything to propose, in order (the input ops first). */
  readonly ops: readonly StoreOp[];
  /** The leader's view after them. */
  readonly store: Store;
  readonly control: ControlState;
  /** When the next pass is due even if nothing changes (restart delays, update delays, monitors). */
  readonly wakeAt: number;
  /** Counts of what the scheduler did, for the trace and the benchmarks. */
  readonly scheduled: { readonly assigned: number; readonly unschedulable: number };
}

/**
 * One pass of the leader's control loop, as a pure function of the store and the leader's
 * volatile state: the orchestrators (restarts, replicated reconciliation, global), the updater,
 * delayed starts, the task reaper, the allocator, then the scheduler, each seeing what the ones
 * before it decided. SwarmKit runs these as goroutines reacting to store events; here the leader
 * calls this a moment after something changed (the scheduler's commit debounce, 50 ms).
 */
export function controlPass(input: ControlInput): ControlResult {
  const pass = new Pass(input.store, input.now, input.index, input.ids, input.serials);
  const c = draftControl(input.control);
  if (input.ops) pass.apply(input.ops);
  if (!c.initialized) {
    initTasks(pass, c);
    c.initialized = true;
  }

  restartReplicated(pass, c);

  const specChanged = new Set<string>();
  for (const s of [...pass.store.services.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (c.reconciled.get(s.id) === s.specVersion) continue;
    specChanged.add(s.id);
    c.reconciled.set(s.id, s.specVersion);
  }
  for (const id of [...c.reconciled.keys()]) if (!pass.store.services.has(id)) c.reconciled.delete(id);
  for (const id of specChanged) {
    const s = pass.store.services.get(id)!;
    if (s.spec.mode.kind === "replicated") reconcileReplicated(pass, c, s);
  }
  reconcileGlobal(pass, c, specChanged);
  reconcileJobs(pass, c);
  reconcileCerts(pass);
  removeOrphanedTasks(pass);

  stepUpdates(pass, c);
  startDelayed(pass, c);
  reapTasks(pass);
  allocate(pass);
  const r = schedule(pass.store, pass.now);
  pass.apply(r.ops);

  return {
    ops: pass.ops,
    store: pass.store,
    control: { ...c },
    wakeAt: pass.wakeAt,
    scheduled: { assigned: r.assigned, unschedulable: r.unschedulable },
  };
}
