// The API server's storage as one value: objects by kind and key, a revision that every write
// bumps (etcd's, shown as resourceVersion), and the watch log of what changed. Writes follow the
// API server's rules: names validated and unique per namespace, a namespace that must exist and be
// Active, optimistic concurrency on resourceVersion, generation bumped when the spec changes,
// generateName and uid assigned, graceful deletion of pods. The class mutates in place for speed
// (100,000 pods); `clone()` gives the copy a snapshot keeps.
import { KubeError, KUBE_ERRORS } from "../errors.js";
import { labelSelectorAsSelector, type Selector } from "../labels/selector.js";
import { isDNS1123Label, isDNS1123Subdomain, isLabelKey, isLabelValue } from "../labels/validation.js";
import { KINDS, qualifiedResource, type Kind, type KubeObject, type ObjectMeta, type ObjectOf, type CronJob, type ReplicaSet, type Secret, type Service } from "../api/types.js";
import { base64ErrorAt, encodeText } from "../util/base64.js";
import { CronError, parseCron } from "../controllers/cron.js";

/** kube-apiserver --service-cluster-ip-range default (10.96.0.0/12) and --service-node-port-range (30000-32767). */
export const SERVICE_CIDR = { base: (10 << 24) | (96 << 16), size: 1 << 20 } as const;
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

const ipText = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
const ipNumber = (s: string) => s.split(".").reduce((n, p) => n * 256 + Number(p), 0);

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly object: KubeObject;
  /** The revision of the write. */
  readonly revision: number;
}

/** How many watch events the store keeps at least (etcd compacts its history; a watch from before it gets 410 Gone). */
export const WATCH_HISTORY_MAX = 10_000;

/** names.SimpleNameGenerator's alphabet (apiserver/pkg/storage/names): no vowels, no confusable digits. */
const NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** A read-only view, what the controllers get. */
export interface StoreReader {
  get<K extends Kind>(kind: K, namespace: string, name: string): ObjectOf<K> | undefined;
  list<K extends Kind>(kind: K, o?: { namespace?: string; selector?: Selector }): ObjectOf<K>[];
  byUid(uid: string): KubeObject | undefined;
  readonly revision: number;
}

export const objectKey = (namespace: string, name: string): string => (namespace === "" ? name : `${namespace}/${name}`);
const namespaceOf = (o: KubeObject): string => (KINDS[o.kind].namespaced ? o.metadata.namespace ?? "default" : "");

/** What a write does besides the object: the time it happens at. */
export interface WriteOptions {
  readonly now?: number;
}

export class KubeStore implements StoreReader {
  private objects = new Map<Kind, Map<string, KubeObject>>();
  private uids = new Map<string, KubeObject>();
  private log: WatchEvent[] = [];
  private logStart = 0;
  revision = 1;
  /** xorshift32 state for generated names and uids: part of the store, so a replay draws the same. */
  private seed: number;

  constructor(seed = 0x9e3779b9) {
    this.seed = seed >>> 0 || 1;
    for (const k of Object.keys(KINDS) as Kind[]) this.objects.set(k, new Map());
  }

  clone(): KubeStore {
    const c = new KubeStore(this.seed);
    c.objects = new Map([...this.objects].map(([k, m]) => [k, new Map(m)]));
    c.uids = new Map(this.uids);
    c.log = this.log.slice();
    c.logStart = this.logStart;
    c.revision = this.revision;
    return c;
  }

  private random(n: number): number {
    let x = this.seed;
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    this.seed = x;
    return x % n;
  }

  private generateName(base: string): string {
    let s = "";
    for (let i = 0; i < 5; i++) s += NAME_ALPHABET[this.random(NAME_ALPHABET.length)];
    // apiserver names.maxGeneratedNameLength: the base is cut to 58 characters.
    return base.slice(0, 58) + s;
  }

  private newUid(): string {
    const hex = (n: number) => Array.from({ length: n }, () => this.random(16).toString(16)).join("");
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + this.random(4)).toString(16)}${hex(3)}-${hex(12)}`;
  }

  // ---- reads -------------------------------------------------------------------------------------

  get<K extends Kind>(kind: K, namespace: string, name: string): ObjectOf<K> | undefined {
    return this.objects.get(kind)!.get(objectKey(KINDS[kind].namespaced ? namespace : "", name)) as ObjectOf<K> | undefined;
  }

  byUid(uid: string): KubeObject | undefined {
    return this.uids.get(uid);
  }

  /** Objects of a kind, in etcd's key order (namespace, then name), optionally in one namespace and matching a selector. */
  list<K extends Kind>(kind: K, o: { namespace?: string; selector?: Selector } = {}): ObjectOf<K>[] {
    const out: ObjectOf<K>[] = [];
    for (const obj of this.objects.get(kind)!.values()) {
      if (o.namespace !== undefined && KINDS[kind].namespaced && namespaceOf(obj) !== o.namespace) continue;
      if (o.selector && !o.selector.matches(obj.metadata.labels ?? {})) continue;
      out.push(obj as ObjectOf<K>);
    }
    return out.sort((a, b) => cmp(namespaceOf(a), namespaceOf(b)) || cmp(a.metadata.name, b.metadata.name));
  }

  count(kind: Kind): number {
    return this.objects.get(kind)!.size;
  }

  /** The watch log from a revision on (exclusive); a revision already compacted is 410 Gone. */
  watch(fromRevision: number): readonly WatchEvent[] {
    const first = this.log[0]?.revision ?? this.revision;
    if (fromRevision + 1 < first && this.logStart > 0) {
      throw new KubeError("GONE", KUBE_ERRORS.GONE(fromRevision, first - 1));
    }
    let i = 0;
    while (i < this.log.length && this.log[i]!.revision <= fromRevision) i++;
    return this.log.slice(i);
  }

  // ---- writes ------------------------------------------------------------------------------------

  private record(type: WatchEventType, object: KubeObject): void {
    this.log.push({ type, object, revision: this.revision });
    // Compact in batches (keeping at least WATCH_HISTORY_MAX), so a write costs O(1) amortised.
    if (this.log.length >= 2 * WATCH_HISTORY_MAX) {
      const drop = this.log.length - WATCH_HISTORY_MAX;
      this.log = this.log.slice(drop);
      this.logStart += drop;
    }
  }

  private put(obj: KubeObject): void {
    const map = this.objects.get(obj.kind)!;
    map.set(objectKey(namespaceOf(obj), obj.metadata.name), obj);
    this.uids.set(obj.metadata.uid!, obj);
  }

  /**
   * Creates an object: the namespace must exist and be Active, the name valid and free (or
   * generated from generateName); uid, resourceVersion, generation and creationTimestamp are set.
   */
  create<T extends KubeObject>(given: T, o: WriteOptions = {}): T {
    const input = withSpec(given);
    const kind = input.kind;
    const meta = input.metadata ?? ({} as ObjectMeta);
    const namespaced = KINDS[kind].namespaced;
    const namespace = namespaced ? meta.namespace ?? "default" : undefined;
    const resource = qualifiedResource(kind);
    let name = meta.name ?? "";
    if (name === "" && meta.generateName) {
      do name = this.generateName(meta.generateName); while (this.get(kind, namespace ?? "", name));
    }
    if (name === "") throw new KubeError("INVALID", KUBE_ERRORS.INVALID(qualifiedKind(kind), "", "metadata.name: Required value: name or generateName is required"));
    const nameErrs = kind === "Namespace" || kind === "Service" ? isDNS1123Label(name) : isDNS1123Subdomain(name);
    const errs: string[] = nameErrs.map((e) => `metadata.name: Invalid value: ${JSON.stringify(name)}: ${e}`);
    errs.push(...validateMeta(meta), ...validateSpec({ ...input, metadata: { ...meta, name } } as KubeObject));
    if (errs.length > 0) throw new KubeError("INVALID", KUBE_ERRORS.INVALID(qualifiedKind(kind), name, errs.length === 1 ? errs[0]! : `[${errs.join(", ")}]`));
    if (namespace !== undefined) {
      const ns = this.get("Namespace", "", namespace);
      if (!ns) throw new KubeError("NAMESPACE_NOT_FOUND", KUBE_ERRORS.NAMESPACE_NOT_FOUND(namespace));
      if (ns.status?.phase === "Terminating") throw new KubeError("NAMESPACE_TERMINATING", KUBE_ERRORS.NAMESPACE_TERMINATING(resource, name, namespace));
    }
    if (this.get(kind, namespace ?? "", name)) throw new KubeError("ALREADY_EXISTS", KUBE_ERRORS.ALREADY_EXISTS(resource, name));
    const decoded = this.decode(input);
    const allocated = decoded.kind === "Service" ? this.allocate(decoded, name) : decoded;
    this.revision++;
    const obj = {
      ...allocated,
      metadata: {
        ...meta,
        name,
        ...(namespace !== undefined ? { namespace } : {}),
        // An Event's uid is its name's hash, not a draw: how many events were written (they are
        // best-effort, and lost with a kubelet's message) must not change the next pod's name.
        uid: kind === "Event" ? hashUid(`${namespace ?? ""}/${name}`) : this.newUid(),
        resourceVersion: String(this.revision),
        generation: 1,
        creationTimestamp: o.now ?? 0,
        // NamespaceDefaultLabelName: a namespace carries its name as a label (network policies select by it).
        ...(kind === "Namespace" ? { labels: { ...(meta.labels ?? {}), "kubernetes.io/metadata.name": name } } : {}),
      },
      ...defaults(allocated),
    } as T;
    this.put(obj);
    this.record("ADDED", obj);
    return obj;
  }

  /**
   * Replaces an object. A resourceVersion given must be the stored one (else 409 Conflict);
   * generation goes up when anything but status and metadata changed.
   */
  update<T extends KubeObject>(given: T): T {
    const input = withSpec(given);
    const namespace = namespaceOf(input);
    const resource = qualifiedResource(input.kind);
    const current = this.get(input.kind, namespace, input.metadata.name);
    if (!current) throw new KubeError("NOT_FOUND", KUBE_ERRORS.NOT_FOUND(resource, input.metadata.name));
    if (input.metadata.resourceVersion !== undefined && input.metadata.resourceVersion !== current.metadata.resourceVersion) {
      throw new KubeError("CONFLICT", KUBE_ERRORS.CONFLICT(resource, input.metadata.name));
    }
    const errs = [...validateMeta(input.metadata), ...validateSpec(input)];
    if (input.kind === "Service" && current.kind === "Service" && (input.spec.clusterIP ?? current.spec.clusterIP) !== current.spec.clusterIP) {
      errs.push(`spec.clusterIP: Invalid value: ${JSON.stringify(input.spec.clusterIP)}: field is immutable`);
    }
    if (errs.length > 0) throw new KubeError("INVALID", KUBE_ERRORS.INVALID(qualifiedKind(input.kind), input.metadata.name, errs.length === 1 ? errs[0]! : `[${errs.join(", ")}]`));
    let decoded = this.decode(input) as T;
    if (decoded.kind === "Service" && current.kind === "Service") {
      decoded = this.allocate({ ...decoded, spec: { ...decoded.spec, clusterIP: current.spec.clusterIP } }, decoded.metadata.name, current) as T;
    }
    this.revision++;
    // Defaults apply on update too (a manifest applied again without replicas or strategy).
    decoded = { ...decoded, ...defaults(decoded) } as T;
    const specChanged = specOf(decoded) !== specOf(current);
    const obj = {
      ...decoded,
      metadata: {
        ...input.metadata,
        ...(namespace !== "" ? { namespace } : {}),
        uid: current.metadata.uid!,
        creationTimestamp: current.metadata.creationTimestamp ?? 0,
        resourceVersion: String(this.revision),
        generation: (current.metadata.generation ?? 1) + (specChanged ? 1 : 0),
      },
    } as T;
    this.put(obj);
    this.record("MODIFIED", obj);
    return obj;
  }

  /**
   * Deletes an object. A pod bound to a node with a grace period is only marked (deletionTimestamp)
   * and goes when its kubelet has stopped it (`finalize`); everything else goes at once. Dependents
   * are left to the garbage collector (background propagation, kubectl's default).
   */
  delete(kind: Kind, namespace: string, name: string, o: WriteOptions & { gracePeriodSeconds?: number } = {}): KubeObject {
    const current = this.get(kind, namespace, name);
    if (!current) throw new KubeError("NOT_FOUND", KUBE_ERRORS.NOT_FOUND(qualifiedResource(kind), name));
    if (current.kind === "Pod") {
      const grace = o.gracePeriodSeconds ?? current.spec.terminationGracePeriodSeconds ?? 30;
      if (current.spec.nodeName && grace > 0) {
        if (current.metadata.deletionTimestamp !== undefined) return current;
        this.revision++;
        const marked = { ...current, metadata: { ...current.metadata, deletionTimestamp: (o.now ?? 0) + grace * 1_000_000, deletionGracePeriodSeconds: grace, resourceVersion: String(this.revision) } };
        this.put(marked);
        this.record("MODIFIED", marked);
        return marked;
      }
    }
    if (current.kind === "Namespace" && current.status?.phase !== "Terminating") {
      // The namespace controller empties it, then removes it.
      this.revision++;
      const marked = { ...current, metadata: { ...current.metadata, deletionTimestamp: o.now ?? 0, resourceVersion: String(this.revision) }, status: { phase: "Terminating" as const } };
      this.put(marked);
      this.record("MODIFIED", marked);
      return marked;
    }
    return this.remove(current);
  }

  /** A Secret's data must be base64 (Go's decoder's text); stringData is folded into data, as the API server does. */
  private decode<T extends KubeObject>(o: T): T {
    if (o.kind !== "Secret") return o;
    for (const v of Object.values(o.data ?? {})) {
      const at = base64ErrorAt(v);
      if (at >= 0) throw new KubeError("BAD_REQUEST", KUBE_ERRORS.BAD_REQUEST(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${at}`));
    }
    if (!o.stringData) return o;
    const { stringData, ...rest } = o as Secret;
    const data: Record<string, string> = { ...(rest.data ?? {}) };
    for (const [k, v] of Object.entries(stringData ?? {})) data[k] = encodeText(v);
    return { ...rest, data } as unknown as T;
  }

  /**
   * A Service's cluster IP (from 10.96.0.0/12, at random, as the allocator draws) unless headless
   * or given, and its node ports (30000-32767) for NodePort and LoadBalancer; a taken or
   * out-of-range one is the API server's error. `current` keeps what an update did not change.
   */
  private allocate(svc: Service, name: string, current?: Service): Service {
    const errs: string[] = [];
    const others = this.list("Service").filter((s) => s.metadata.uid !== current?.metadata.uid);
    const ips = new Set(others.map((s) => s.spec.clusterIP));
    const ports = new Set(others.flatMap((s) => (s.spec.ports ?? []).map((p) => p.nodePort)));
    let clusterIP = svc.spec.clusterIP;
    if (clusterIP === undefined || clusterIP === "") {
      do clusterIP = ipText(SERVICE_CIDR.base + 1 + this.random(SERVICE_CIDR.size - 2)); while (ips.has(clusterIP));
    } else if (clusterIP !== "None" && !current) {
      const n = /^\d+\.\d+\.\d+\.\d+$/.test(clusterIP) ? ipNumber(clusterIP) : NaN;
      if (!(n > SERVICE_CIDR.base && n < SERVICE_CIDR.base + SERVICE_CIDR.size - 1)) errs.push(`spec.clusterIPs: Invalid value: []string{${JSON.stringify(clusterIP)}}: failed to allocate IP ${clusterIP}: the provided IP (${clusterIP}) is not in the valid range. The range of valid IPs is 10.96.0.0/12`);
      else if (ips.has(clusterIP)) errs.push(`spec.clusterIPs: Invalid value: []string{${JSON.stringify(clusterIP)}}: failed to allocate IP ${clusterIP}: provided IP is already allocated`);
    }
    const wantsNodePorts = svc.spec.type === "NodePort" || svc.spec.type === "LoadBalancer";
    const portList = (svc.spec.ports ?? []).map((p, i) => {
      if (!wantsNodePorts) return p.nodePort === undefined ? p : { ...p, nodePort: undefined };
      const kept = p.nodePort ?? current?.spec.ports?.find((c) => c.port === p.port && c.nodePort !== undefined)?.nodePort;
      if (kept !== undefined) {
        if (kept < NODE_PORT_RANGE.min || kept > NODE_PORT_RANGE.max) errs.push(`spec.ports[${i}].nodePort: Invalid value: ${kept}: provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`);
        else if (ports.has(kept)) errs.push(`spec.ports[${i}].nodePort: Invalid value: ${kept}: provided port is already allocated`);
        ports.add(kept);
        return { ...p, nodePort: kept };
      }
      let port: number;
      do port = NODE_PORT_RANGE.min + this.random(NODE_PORT_RANGE.max - NODE_PORT_RANGE.min + 1); while (ports.has(port));
      ports.add(port);
      return { ...p, nodePort: port };
    });
    if (errs.length > 0) throw new KubeError("INVALID", KUBE_ERRORS.INVALID("Service", name, errs.length === 1 ? errs[0]! : `[${errs.join(", ")}]`));
    return { ...svc, spec: { ...svc.spec, clusterIP, ports: portList.map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as typeof p) } };
  }

  /** Removes an object for good (a pod its kubelet has stopped; a namespace emptied). */
  remove(current: KubeObject): KubeObject {
    this.objects.get(current.kind)!.delete(objectKey(namespaceOf(current), current.metadata.name));
    this.uids.delete(current.metadata.uid!);
    this.revision++;
    this.record("DELETED", current);
    return current;
  }
}

/** A uuid-shaped FNV-1a hash of a text (four 32-bit rounds with different offsets). */
function hashUid(text: string): string {
  const part = (salt: number) => {
    let h = (0x811c9dc5 ^ salt) >>> 0;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return h.toString(16).padStart(8, "0");
  };
  const hex = part(0) + part(1) + part(2) + part(3);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${(8 + (parseInt(hex[16]!, 16) & 3)).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The kind as the API server names it in an Invalid error: `Deployment.apps`, `Pod`. */
const qualifiedKind = (kind: Kind): string => (KINDS[kind].group === "" ? kind : `${kind}.${KINDS[kind].group}`);

/** The kinds whose objects have a spec. */
const WITH_SPEC: ReadonlySet<Kind> = new Set(["Pod", "ReplicaSet", "Deployment", "Service", "Node", "NetworkPolicy", "Job", "CronJob", "DaemonSet", "StatefulSet"]);

/** A spec left out of a manifest is Go's zero value: an empty one, which validation then judges. */
function withSpec<T extends KubeObject>(o: T): T {
  const spec = (o as { spec?: unknown }).spec;
  return WITH_SPEC.has(o.kind) && (spec === undefined || spec === null) ? ({ ...o, spec: {} } as T) : o;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Everything of an object but metadata and status, as text: a change of it bumps generation. */
function specOf(o: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = o as KubeObject & { status?: unknown };
  return JSON.stringify(rest);
}

/** Defaults the API server fills in (pkg/apis/{core,apps}/v1/defaults.go) that the controllers rely on; idempotent. */
function defaults(o: KubeObject): Partial<KubeObject> {
  switch (o.kind) {
    case "Namespace": return { status: o.status ?? { phase: "Active" } } as Partial<KubeObject>;
    case "Deployment": {
      const s = o.spec;
      const strategy = s.strategy?.type === "Recreate" ? { type: "Recreate" as const }
        : { type: "RollingUpdate" as const, rollingUpdate: { maxSurge: s.strategy?.rollingUpdate?.maxSurge ?? "25%", maxUnavailable: s.strategy?.rollingUpdate?.maxUnavailable ?? "25%" } };
      return { spec: { ...s, replicas: s.replicas ?? 1, strategy, revisionHistoryLimit: s.revisionHistoryLimit ?? 10, progressDeadlineSeconds: s.progressDeadlineSeconds ?? 600 } } as Partial<KubeObject>;
    }
    case "ReplicaSet": return { spec: { ...o.spec, replicas: o.spec.replicas ?? 1 } } as Partial<KubeObject>;
    // apps/v1 SetDefaults_DaemonSet: RollingUpdate with maxUnavailable 1, maxSurge 0; revisionHistoryLimit 10.
    case "DaemonSet": return { spec: { ...o.spec, updateStrategy: o.spec.updateStrategy ?? { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: o.spec.revisionHistoryLimit ?? 10 } } as Partial<KubeObject>;
    // apps/v1 SetDefaults_StatefulSet: 1 replica, OrderedReady, RollingUpdate (partition 0), revisionHistoryLimit 10.
    case "StatefulSet": return { spec: { ...o.spec, replicas: o.spec.replicas ?? 1, podManagementPolicy: o.spec.podManagementPolicy ?? "OrderedReady", updateStrategy: o.spec.updateStrategy ?? { type: "RollingUpdate", rollingUpdate: { partition: 0 } }, revisionHistoryLimit: o.spec.revisionHistoryLimit ?? 10 } } as Partial<KubeObject>;
    // batch/v1 SetDefaults_Job: completions and parallelism 1, backoffLimit 6, completionMode NonIndexed.
    case "Job": return { spec: { ...o.spec, completions: o.spec.completions ?? 1, parallelism: o.spec.parallelism ?? 1, backoffLimit: o.spec.backoffLimit ?? 6, completionMode: o.spec.completionMode ?? "NonIndexed" } } as Partial<KubeObject>;
    // batch/v1 SetDefaults_CronJob: Allow, not suspended, 3 successful and 1 failed Job kept.
    case "CronJob": return { spec: { ...o.spec, concurrencyPolicy: o.spec.concurrencyPolicy ?? "Allow", suspend: o.spec.suspend ?? false, successfulJobsHistoryLimit: o.spec.successfulJobsHistoryLimit ?? 3, failedJobsHistoryLimit: o.spec.failedJobsHistoryLimit ?? 1 } } as Partial<KubeObject>;
    case "Service": return { spec: { ...o.spec, type: o.spec.type ?? "ClusterIP" } } as Partial<KubeObject>;
    case "Pod": return { status: o.status ?? { phase: "Pending" } } as Partial<KubeObject>;
    default: return {};
  }
}

function validateMeta(meta: ObjectMeta): string[] {
  const errs: string[] = [];
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    for (const e of isLabelKey(k)) errs.push(`metadata.labels: Invalid value: ${JSON.stringify(k)}: ${e}`);
    for (const e of isLabelValue(v)) errs.push(`metadata.labels: Invalid value: ${JSON.stringify(v)}: ${e}`);
  }
  return errs;
}

/** The checks of the API server's validation that a learner meets first (pkg/apis/apps/validation, core/validation). */
function validateSpec(o: KubeObject): string[] {
  if (o.kind === "CronJob") return validateCronJob(o);
  if (o.kind === "Job") {
    // batch/validation ValidateJobSpec: a Job's pods must not restart for ever.
    const policy = o.spec.template?.spec?.restartPolicy;
    const errs: string[] = [];
    if (!o.spec.template?.spec?.containers?.length) errs.push("spec.template.spec.containers: Required value");
    if (policy !== "OnFailure" && policy !== "Never") errs.push(policy === undefined || policy === "Always" ? `spec.template.spec.restartPolicy: ${policy === undefined ? "Required value" : 'Unsupported value: "Always"'}: supported values: "OnFailure", "Never"` : `spec.template.spec.restartPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "OnFailure", "Never"`);
    for (const [f, v] of [["parallelism", o.spec.parallelism], ["completions", o.spec.completions], ["backoffLimit", o.spec.backoffLimit]] as const) {
      if (v !== undefined && v < 0) errs.push(`spec.${f}: Invalid value: ${v}: must be greater than or equal to 0`);
    }
    return errs;
  }
  if (o.kind === "Deployment" || o.kind === "ReplicaSet" || o.kind === "DaemonSet" || o.kind === "StatefulSet") {
    const errs: string[] = [];
    const s = o.spec as Partial<ReplicaSet["spec"]> & Pick<ReplicaSet["spec"], "selector" | "template">;
    let selector: Selector | null = null;
    if (!s.selector) errs.push("spec.selector: Required value");
    else {
      try {
        selector = labelSelectorAsSelector(s.selector);
      } catch (e) {
        errs.push(`spec.selector: Invalid value: ${JSON.stringify(s.selector)}: ${(e as Error).message}`);
      }
      if (selector?.empty) errs.push(`spec.selector: Invalid value: "null": empty selector is invalid for ${o.kind === "DaemonSet" ? "daemonset" : o.kind === "StatefulSet" ? "statefulset" : "deployment"}`);
    }
    const labels = s.template?.metadata?.labels ?? {};
    if (selector && !selector.empty && !selector.matches(labels)) {
      errs.push(`spec.template.metadata.labels: Invalid value: map[string]string{${Object.entries(labels).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(", ")}}: \`selector\` does not match template \`labels\``);
    }
    if (s.replicas !== undefined && s.replicas < 0) errs.push(`spec.replicas: Invalid value: ${s.replicas}: must be greater than or equal to 0`);
    if (!s.template?.spec?.containers?.length) errs.push("spec.template.spec.containers: Required value");
    return errs;
  }
  if (o.kind === "Pod" && !o.spec?.containers?.length) return ["spec.containers: Required value"];
  return [];
}

/** batch/validation ValidateCronJobCreate: the name (a Job's name gets 11 more characters), the schedule as robfig/cron parses it, the policy, the Job template. */
function validateCronJob(o: CronJob): string[] {
  const errs: string[] = [];
  const s = o.spec;
  if (o.metadata.name.length > 52) errs.push(`metadata.name: Invalid value: ${JSON.stringify(o.metadata.name)}: must be no more than 52 characters`);
  if (!s.schedule) errs.push("spec.schedule: Required value");
  else if (/^(CRON_)?TZ=/.test(s.schedule)) errs.push(`spec.schedule: Invalid value: ${JSON.stringify(s.schedule)}: cannot use TZ or CRON_TZ in schedule, use timeZone field instead`);
  else {
    try {
      parseCron(s.schedule);
    } catch (e) {
      if (!(e instanceof CronError)) throw e;
      errs.push(`spec.schedule: Invalid value: ${JSON.stringify(s.schedule)}: ${e.message}`);
    }
  }
  const policy = s.concurrencyPolicy;
  if (policy !== undefined && !["Allow", "Forbid", "Replace"].includes(policy)) errs.push(`spec.concurrencyPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Allow", "Forbid", "Replace"`);
  for (const [f, v] of [["startingDeadlineSeconds", s.startingDeadlineSeconds], ["successfulJobsHistoryLimit", s.successfulJobsHistoryLimit], ["failedJobsHistoryLimit", s.failedJobsHistoryLimit]] as const) {
    if (v !== undefined && v < 0) errs.push(`spec.${f}: Invalid value: ${v}: must be greater than or equal to 0`);
  }
  const job = { apiVersion: "batch/v1", kind: "Job", metadata: { name: o.metadata.name }, spec: s.jobTemplate?.spec ?? {} } as KubeObject;
  errs.push(...validateSpec(job).map((e) => `spec.jobTemplate.${e}`));
  return errs;
}

export type { ObjectOf };
