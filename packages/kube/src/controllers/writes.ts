// What a controller asks of the API server, as data: the controllers are pure functions from the
// store (and the time) to a list of writes; the manager applies them in order.
import { isKubeError } from "../errors.js";
import type { Kind, KubeObject, OwnerReference, Pod } from "../api/types.js";
import type { KubeStore } from "../store/store.js";
import { recordEvent, type EventSpec } from "./events.js";

/** The event a write records once the server took it (given the object as written, for a generated name). */
export type WriteEvent = EventSpec | ((written: KubeObject) => EventSpec);

export type Write =
  | { readonly type: "create"; readonly object: KubeObject; readonly event?: WriteEvent }
  | { readonly type: "update"; readonly object: KubeObject; readonly event?: WriteEvent }
  | { readonly type: "delete"; readonly kind: Kind; readonly namespace: string; readonly name: string; readonly gracePeriodSeconds?: number; readonly event?: WriteEvent }
  | { readonly type: "remove"; readonly object: KubeObject; readonly event?: WriteEvent };

export interface ApplyResult {
  readonly applied: number;
  /** Writes the server refused (a namespace being deleted, a name taken): the controller tries again next pass. */
  readonly refused: readonly { readonly write: Write; readonly message: string }[];
}

/** Applies a controller's writes in order; a refused write is reported, not thrown (a controller's write can race another's). */
export function applyWrites(store: KubeStore, writes: readonly Write[], now: number): ApplyResult {
  let applied = 0;
  const refused: { write: Write; message: string }[] = [];
  for (const w of writes) {
    try {
      let written: KubeObject | undefined;
      switch (w.type) {
        case "create": written = store.create(w.object, { now }); break;
        // A controller writes what it read in this same instant: no one else wrote in between, so no version check.
        case "update": written = store.update({ ...w.object, metadata: { ...w.object.metadata, resourceVersion: undefined } } as KubeObject); break;
        case "delete": written = store.delete(w.kind, w.namespace, w.name, { now, ...(w.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: w.gracePeriodSeconds } : {}) }); break;
        case "remove": if (store.byUid(w.object.metadata.uid!)) store.remove(store.byUid(w.object.metadata.uid!)!); written = w.object; break;
      }
      applied++;
      if (w.event && written) recordEvent(store, typeof w.event === "function" ? w.event(written) : w.event, now);
    } catch (e) {
      if (!isKubeError(e)) throw e;
      refused.push({ write: w, message: e.message });
    }
  }
  return { applied, refused };
}

/** metav1.GetControllerOf. */
export function controllerOf(o: KubeObject): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function controllerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export const isTerminating = (o: KubeObject): boolean => o.metadata.deletionTimestamp !== undefined;

/** controller.IsPodActive: not finished and not being deleted. */
export const isPodActive = (p: Pod): boolean => p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed" && !isTerminating(p);

/** podutil.IsPodReady. */
export const isPodReady = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

/** podutil.IsPodAvailable: ready for at least minReadySeconds. */
export function isPodAvailable(p: Pod, minReadySeconds: number, now: number): boolean {
  const ready = p.status?.conditions?.find((c) => c.type === "Ready" && c.status === "True");
  if (!ready) return false;
  return minReadySeconds === 0 || (ready.lastTransitionTime ?? 0) + minReadySeconds * 1_000_000 <= now;
}

/** Sets (or replaces) a pod condition, keeping lastTransitionTime when the status does not change. */
export function withPodCondition(p: Pod, type: "PodScheduled" | "Ready" | "ContainersReady" | "Initialized", status: "True" | "False" | "Unknown", now: number, reason?: string, message?: string): Pod {
  const conditions = p.status?.conditions ?? [];
  const old = conditions.find((c) => c.type === type);
  const next = { type, status, lastTransitionTime: old && old.status === status ? old.lastTransitionTime ?? now : now, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
  return { ...p, status: { ...p.status, conditions: [...conditions.filter((c) => c.type !== type), next] } };
}

/** JSON with sorted keys: the canonical text of a value (templates compared and hashed). */
export function canonical(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
}
