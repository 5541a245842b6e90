// Events as client-go's EventRecorder writes them (tools/record/event.go, events_cache.go): one
// Event object per distinct (source, involved object, type, reason, message), its count and
// lastTimestamp bumped when the same thing happens again (the correlator's aggregation by key).
// The name is the involved object's and a 16-hex-digit suffix; client-go's is the first
// occurrence's UnixNano, drydock's a hash of the key, so that finding the event to bump is one get.
import type { KubeEvent, KubeObject } from "../api/types.js";
import { isKubeError } from "../errors.js";
import type { KubeStore, StoreReader } from "../store/store.js";

export interface EventSpec {
  readonly involved: { readonly kind: string; readonly name: string; readonly namespace?: string; readonly uid?: string; readonly apiVersion?: string; readonly fieldPath?: string };
  readonly type: "Normal" | "Warning";
  readonly reason: string;
  readonly message: string;
  /** source.component: default-scheduler, kubelet, replicaset-controller, deployment-controller. */
  readonly component: string;
  readonly host?: string;
}

/** The reference an event names (reference.GetReference). */
export function involvedOf(o: KubeObject, fieldPath?: string): EventSpec["involved"] {
  return {
    kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace !== undefined || o.kind !== "Node" ? { namespace: o.metadata.namespace ?? "default" } : {}),
    ...(o.metadata.uid ? { uid: o.metadata.uid } : {}), apiVersion: o.apiVersion, ...(fieldPath ? { fieldPath } : {}),
  };
}

/** Two 32-bit FNV-1a hashes (different offsets) as 16 hex digits: cheap, and collisions as rare as the API's UnixNano names'. */
function hash16(text: string): string {
  let a = 0x811c9dc5, b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/**
 * Writes an event, or bumps the count of the same one (a Node's events go to the default
 * namespace, as kubelet's do). An event the server refuses (its namespace is being deleted) is
 * dropped, as the recorder drops it.
 */
export function recordEvent(store: KubeStore, e: EventSpec, now: number): void {
  try {
    write(store, e, now);
  } catch (err) {
    if (!isKubeError(err)) throw err;
  }
}

function write(store: KubeStore, e: EventSpec, now: number): void {
  const i = e.involved;
  const namespace = i.namespace ?? "default";
  const key = [e.component, e.host ?? "", i.kind, namespace, i.name, i.uid ?? "", i.apiVersion ?? "", i.fieldPath ?? "", e.type, e.reason, e.message].join("\u0000");
  const name = `${i.name}.${hash16(key)}`;
  const have = store.get("Event", namespace, name);
  if (have) {
    store.update({ ...have, metadata: { ...have.metadata, resourceVersion: undefined } as KubeEvent["metadata"], count: have.count + 1, lastTimestamp: now });
    return;
  }
  const ev: KubeEvent = {
    apiVersion: "v1", kind: "Event", metadata: { name, namespace },
    involvedObject: { ...i, namespace },
    reason: e.reason, message: e.message, type: e.type,
    source: { component: e.component, ...(e.host ? { host: e.host } : {}) },
    firstTimestamp: now, lastTimestamp: now, count: 1,
  };
  store.create(ev, { now });
}

/** An object's events, oldest last-seen first (kubectl describe's SortableEvents). */
export function eventsFor(store: StoreReader, o: KubeObject): KubeEvent[] {
  const ns = o.metadata.namespace ?? "default";
  return store.list("Event", { namespace: ns })
    .filter((e) => e.involvedObject.kind === o.kind && e.involvedObject.name === o.metadata.name && (o.metadata.uid === undefined || e.involvedObject.uid === undefined || e.involvedObject.uid === o.metadata.uid))
    .sort((a, b) => a.lastTimestamp - b.lastTimestamp || Number(a.metadata.resourceVersion ?? 0) - Number(b.metadata.resourceVersion ?? 0));
}
