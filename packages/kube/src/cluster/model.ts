// Kubernetes on the kernel: the first host runs the control plane (the API server's store, the
// controller manager and the scheduler, reconciled after every input), every host runs a kubelet.
// With several control-plane hosts (kubeadm's stacked HA) the first one up serves: the kubelets
// reach its API server through the shared endpoint, and its controllers hold the leases (taken
// over at once when it goes down, where kube-controller-manager's lease takes up to 15 s).
// Kubelets post their node's status every 10 s (nodeStatusUpdateFrequency) with their pods'
// statuses, and at once when a pod changes; the control plane answers with the pods bound to that
// node and pushes the list whenever it changes. Messages cross the simulated network, so crashes,
// partitions and loss act on them.
import type { Model, NodeId, SimContext } from "@drydock/kernel";
import { KubeError, KUBE_ERRORS } from "../errors.js";
import type { Node, Pod } from "../api/types.js";
import { DEFAULT_LIFECYCLE, type LifecycleOptions } from "../controllers/lifecycle.js";
import { reconcile } from "../controllers/manager.js";
import type { SchedulerState } from "../controllers/scheduler.js";
import { canonical, withPodCondition } from "../controllers/writes.js";
import { KubeStore, type WatchEvent } from "../store/store.js";
import { runCommand, KUBE_COMMAND_TYPES, type KubeCommand } from "./commands.js";
import { EMPTY_KUBELET, scriptEnd, advance, containersExited, imagePullFailed, nextWake, reports, syncPods, takeEvents, type ContainerExit, type KubeletEvent, type KubeletState, type PodAssignment, type PodReport, type Prober } from "./kubelet.js";
import { recordEvent } from "../controllers/events.js";
import { etcdCrash, etcdInit, etcdLeader, etcdPropose, etcdRestart, etcdStep, etcdTimer, etcdTxn, COMPACT_EVERY, type Etcd, type EtcdMessage } from "./etcd.js";

export type KubeMessage =
  | { readonly type: "nodeStatus"; readonly node: string; readonly pods: readonly PodReport[]; readonly gone: readonly string[]; readonly events?: readonly KubeletEvent[] }
  | { readonly type: "podStatus"; readonly node: string; readonly pods: readonly PodReport[]; readonly gone: readonly string[]; readonly events?: readonly KubeletEvent[] }
  | { readonly type: "assign"; readonly pods: readonly PodAssignment[] }
  | EtcdMessage;

export interface KubeWorldState {
  /**
   * The API server's store: with one control plane, etcd's content on its host's disk; with etcd's
   * Raft group, what the API server wrote through it (the leader's key space). Mutable: copied by save/load.
   */
  readonly store: KubeStore;
  readonly scheduler: SchedulerState;
  readonly kubelets: Readonly<Record<NodeId, KubeletState>>;
  /** The pod list last pushed to each node (canonical JSON), so only changes are pushed. */
  readonly pushed: Readonly<Record<NodeId, string>>;
  /** The store revision up to which changes are in the trace. */
  readonly traced: number;
  /** The etcd members' Raft group on the control-plane hosts (absent with one control plane). */
  readonly etcd?: Etcd;
}

export interface KubeModelOptions {
  /** The host whose API server, controller manager and scheduler serve (kubectl's server). */
  readonly controlPlane: NodeId;
  /**
   * The control-plane hosts, each with an etcd member (kubeadm's stacked topology), the first
   * being `controlPlane` (default: it alone). Tainted NoSchedule like it.
   */
  readonly controlPlanes?: readonly NodeId[];
  /** Applied entries between an etcd member's snapshots of its key space (default 1,000; etcd's --snapshot-count). */
  readonly etcdSnapshotCount?: number;
  readonly nodes: readonly NodeId[];
  /** Each node's allocatable resources (default 2 CPUs, 4 GiB, 110 pods). */
  readonly allocatable?: { readonly cpu?: string; readonly memory?: string; readonly pods?: number };
  readonly lifecycle?: LifecycleOptions;
  /** Trace records of the store's changes, which the app animates from (default true). */
  readonly records?: boolean;
  /**
   * The fake runtime ends a container with a command as its script says (`scriptEnd`; default
   * true). A real runtime (the playground's engine) reports its exits instead, and sets false.
   */
  readonly scriptedExits?: boolean;
}

/** A context a real runtime may extend with its prober (the playground's engine answers httpGet and tcpSocket). */
export interface KubeContext extends SimContext<KubeMessage> {
  readonly prober?: (node: NodeId) => Prober | undefined;
}

/** nodeStatusUpdateFrequency. */
export const NODE_STATUS_PERIOD_US = 10_000_000;
/** How often the control plane looks at the clock (node monitor period 5 s; 1 s makes evictions and deadlines prompt). */
export const CONTROL_TICK_US = 1_000_000;
export const API_SERVER_PORT = 6443;

const S = 1_000_000;

function nodeObject(name: string, controlPlane: boolean, index: number, o: KubeModelOptions): Node {
  const allocatable = { cpu: o.allocatable?.cpu ?? "2", memory: o.allocatable?.memory ?? "4Gi", pods: o.allocatable?.pods ?? 110 };
  return {
    apiVersion: "v1", kind: "Node",
    metadata: {
      name,
      labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", ...(controlPlane ? { "node-role.kubernetes.io/control-plane": "" } : {}) },
    },
    // kubeadm taints the control plane so that ordinary pods go elsewhere.
    spec: { podCIDR: `10.244.${index}.0/24`, ...(controlPlane ? { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" as const }] } : {}) },
    status: {
      capacity: allocatable, allocatable,
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", lastHeartbeatTime: 0, lastTransitionTime: 0 }],
      addresses: [{ type: "InternalIP", address: `192.168.0.${index + 10}` }, { type: "Hostname", address: name }],
    },
  };
}

/** The kube daemon's handlers, and one more for a real runtime: containers it saw exit. */
export interface KubeModel extends Model<KubeWorldState, KubeMessage, KubeCommand> {
  /** The runtime on `node` saw these containers exit: the kubelet backs off and restarts them, and posts the pods' status. */
  exited(s: KubeWorldState, node: NodeId, exits: readonly ContainerExit[], ctx: SimContext<KubeMessage>): KubeWorldState;
  /** The runtime on `node` could not pull these containers' images: they wait in ErrImagePull/ImagePullBackOff. */
  pullFailed(s: KubeWorldState, node: NodeId, refs: readonly { readonly uid: string; readonly name: string }[], ctx: SimContext<KubeMessage>): KubeWorldState;
}

export function kubeModel(o: KubeModelOptions): KubeModel {
  const cp = o.controlPlane;
  const hosts = [cp, ...o.nodes.filter((n) => n !== cp)];
  const members = o.controlPlanes && o.controlPlanes.length > 0 ? [cp, ...o.controlPlanes.filter((n) => n !== cp)] : [cp];
  /**
   * The control-plane host whose API server the kubelets reach and whose controller manager and
   * scheduler hold their leases: the first one up (kubeadm's HA puts the API servers behind a load
   * balancer; the other hosts' controllers take the lease over when its holder is gone; here at
   * once, not after the lease's 15 s). With one control plane, it alone.
   */
  const active = (net: SimContext<KubeMessage>["net"]): NodeId => members.find((m) => net.up[m]) ?? cp;
  /** Can the API server write now (etcd has a leader with a majority it reaches)? */
  const writable = (s: KubeWorldState, net: SimContext<KubeMessage>["net"]) => etcdLeader(s.etcd, active(net), net) !== null;
  /** The API server wrote: the batch (its watch log since `before`) goes into etcd's log and commits. */
  const committed = (s: KubeWorldState, before: number, ctx: SimContext<KubeMessage>): KubeWorldState =>
    s.etcd && s.store.revision !== before ? { ...s, etcd: etcdPropose(s.etcd, active(ctx.net), etcdTxn(s.store.watch(before), s.store.revision), ctx as SimContext<EtcdMessage> & { net: SimContext<KubeMessage>["net"] }).etcd } : s;
  const indexOf = new Map(hosts.map((h, i) => [h, i]));
  const lifecycle = o.lifecycle ?? DEFAULT_LIFECYCLE;
  const records = o.records ?? true;
  const scripted = o.scriptedExits ?? true;

  /**
   * The watch log since the last record, one line per change: what the app draws the object tree
   * from (Events are not drawn: they stay out of the trace's lines). The API server's watch cache
   * follows the etcd member on its host (kubeadm points it at 127.0.0.1:2379): with a Raft group,
   * a change is traced once that member has applied it. Returns the revision traced to.
   */
  const traceWatch = (s: KubeWorldState, ctx: SimContext<KubeMessage>, passes: number): number => {
    const server = active(ctx.net);
    const upTo = s.etcd ? Math.min(s.etcd[server]!.kv.revision, s.store.revision) : s.store.revision;
    if (!records || upTo <= s.traced) return s.traced;
    const changes = s.store.watch(s.traced).filter((e) => e.revision <= upTo && e.object.kind !== "Event").map(change);
    if (changes.length > 0) ctx.record(server, { event: "watch", revision: upTo, passes, changes });
    return upTo;
  };

  /** Reconciles, then pushes changed pod lists to kubelets. */
  const settle = (s0: KubeWorldState, ctx: SimContext<KubeMessage>, before = s0.store.revision): KubeWorldState => {
    // Without an etcd quorum the controllers' writes would time out: they wait for the next look.
    if (!writable(s0, ctx.net)) return s0;
    const rng = ctx.rng("kube.scheduler");
    const r = reconcile(s0.store, { now: ctx.now, random: (n) => rng.int(0, n - 1), scheduler: s0.scheduler, lifecycle });
    const s = committed(s0, before, ctx);
    const traced = traceWatch(s, ctx, r.passes);
    const lists = new Map<string, PodAssignment[]>(hosts.map((h) => [h, []]));
    for (const p of s.store.list("Pod")) {
      const list = p.spec.nodeName ? lists.get(p.spec.nodeName) : undefined;
      list?.push(assignment(p, scripted));
    }
    let pushed = s.pushed;
    for (const [h, list] of lists) {
      const text = canonical(list);
      if (pushed[h] === text) continue;
      pushed = { ...pushed, [h]: text };
      ctx.send(active(ctx.net), h, { type: "assign", pods: list });
    }
    return pushed === s.pushed && traced === s.traced ? s : { ...s, pushed, traced };
  };

  /** The kubelet posts its pods' statuses (and, on its period, the node's) with the events it recorded since; the state without them. */
  const post = (node: NodeId, k0: KubeletState, gone: readonly string[], ctx: SimContext<KubeMessage>, type: "nodeStatus" | "podStatus"): KubeletState => {
    const { state: k, events } = takeEvents(k0);
    ctx.send(node, active(ctx.net), { type, node, pods: reports(k), gone, ...(events.length > 0 ? { events } : {}) });
    return k;
  };

  const wakeKubelet = (node: NodeId, k: KubeletState, ctx: SimContext<KubeMessage>) => {
    const t = nextWake(k);
    if (Number.isFinite(t)) ctx.setTimer(node, Math.max(t, ctx.now), "wake");
  };

  /** The control plane applies a kubelet's report. */
  const applyReports = (s: KubeWorldState, node: NodeId, pods: readonly PodReport[], gone: readonly string[], heartbeat: boolean, now: number, events: readonly KubeletEvent[]) => {
    const store = s.store;
    // The kubelet's events, each at the time it happened (its recorder's timestamp), from "kubelet" on its host.
    for (const e of events) {
      recordEvent(store, {
        involved: { kind: "Pod", namespace: e.namespace, name: e.pod, uid: e.uid, apiVersion: "v1", ...(e.container !== undefined ? { fieldPath: `spec.containers{${e.container}}` } : {}) },
        type: e.type, reason: e.reason, message: e.message, component: "kubelet", host: node,
      }, e.at);
    }
    if (heartbeat) {
      const n = store.get("Node", "", node);
      if (n) {
        const conditions = (n.status?.conditions ?? []).map((c) => (c.type === "Ready" ? { ...c, status: "True" as const, reason: "KubeletReady", lastHeartbeatTime: now, lastTransitionTime: c.status === "True" ? c.lastTransitionTime ?? now : now } : c));
        store.update({ ...n, status: { ...n.status, conditions } });
      }
    }
    for (const uid of gone) {
      const p = store.byUid(uid);
      if (p?.kind === "Pod" && p.spec.nodeName === node && p.metadata.deletionTimestamp !== undefined) store.remove(p);
    }
    const hostIP = `192.168.0.${(indexOf.get(node) ?? 0) + 10}`;
    for (const r of pods) {
      const p = store.byUid(r.uid);
      if (p?.kind !== "Pod" || p.spec.nodeName !== node) continue;
      const next = podWithReport(p, r, hostIP, now);
      if (canonical(next.status) !== canonical(p.status)) store.update({ ...next, metadata: { ...next.metadata, resourceVersion: undefined } as Pod["metadata"] });
    }
  };

  const model: KubeModel = {
    init(ctx) {
      const store = new KubeStore();
      for (const ns of ["default", "kube-node-lease", "kube-public", "kube-system"]) store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }, { now: 0 });
      hosts.forEach((h, i) => store.create(nodeObject(h, members.includes(h), i, o), { now: 0 }));
      // The API server's own Service, first in the range.
      store.create({ apiVersion: "v1", kind: "Service", metadata: { name: "kubernetes", labels: { component: "apiserver", provider: "kubernetes" } }, spec: { clusterIP: "10.96.0.1", ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: API_SERVER_PORT }] } }, { now: 0 });
      const kubelets: Record<NodeId, KubeletState> = {};
      for (const h of hosts) {
        kubelets[h] = EMPTY_KUBELET;
        // Spread the kubelets' periods over the first one.
        ctx.setTimer(h, ctx.rng("kube.kubelet").int(0, NODE_STATUS_PERIOD_US - 1), "heartbeat");
      }
      // Every control-plane host's controllers look; the lease holder's act.
      for (const m of members) ctx.setTimer(m, CONTROL_TICK_US, "tick");
      // kubeadm's first objects are etcd's first entry.
      const etcd = etcdInit(members, etcdTxn(store.watch(0), store.revision), o.etcdSnapshotCount ?? COMPACT_EVERY, ctx as SimContext<EtcdMessage>);
      return { store, scheduler: { nextStartNodeIndex: 0 }, kubelets, pushed: {}, traced: store.revision, ...(etcd ? { etcd } : {}) };
    },

    deliver(s, msg, _from, to, ctx) {
      if (msg.type === "assign") {
        const k0 = s.kubelets[to] ?? EMPTY_KUBELET;
        const { state: k1, gone } = syncPods(k0, msg.pods, indexOf.get(to) ?? 0, ctx.now);
        // The status manager posts at once what changed: pods gone, pods now ContainerCreating.
        const started = Object.keys(k1.pods).some((uid) => !Object.hasOwn(k0.pods, uid));
        const k = gone.length > 0 || started ? post(to, k1, gone, ctx, "podStatus") : k1;
        wakeKubelet(to, k, ctx);
        return { ...s, kubelets: { ...s.kubelets, [to]: k } };
      }
      if (msg.type === "etcd") {
        if (!s.etcd) return s;
        const s1 = { ...s, etcd: etcdStep(s.etcd, to, { type: "message", from: _from, message: msg.message }, ctx as SimContext<EtcdMessage>) };
        // The API server's member applied what the leader committed: its watch cache sees it now.
        const traced = to === active(ctx.net) ? traceWatch(s1, ctx, 0) : s1.traced;
        return traced === s1.traced ? s1 : { ...s1, traced };
      }
      // nodeStatus, podStatus: at the control plane; without an etcd quorum the status write times
      // out (the kubelet posts its pods again with its next status).
      const before = s.store.revision;
      if (writable(s, ctx.net)) applyReports(s, msg.node, msg.pods, msg.gone, msg.type === "nodeStatus", ctx.now, msg.events ?? []);
      const next = settle(s, ctx, before);
      // Answer a heartbeat with the node's pod list, in case a push was lost (not before the
      // controllers have computed one: a control plane that took over without a quorum knows none).
      const pushed = next.pushed[msg.node];
      if (msg.type === "nodeStatus" && pushed !== undefined) ctx.send(active(ctx.net), msg.node, { type: "assign", pods: JSON.parse(pushed) as PodAssignment[] });
      return next;
    },

    timer(s, node, name, _data, ctx) {
      if (name === "etcd") return s.etcd ? { ...s, etcd: etcdTimer(s.etcd, node, _data, ctx as SimContext<EtcdMessage>) } : s;
      if (name === "tick") {
        ctx.setTimer(node, ctx.now + CONTROL_TICK_US, "tick");
        return node === active(ctx.net) ? settle(s, ctx) : s;
      }
      const k0 = s.kubelets[node] ?? EMPTY_KUBELET;
      if (name === "heartbeat") {
        ctx.setTimer(node, ctx.now + NODE_STATUS_PERIOD_US, "heartbeat");
        const k = post(node, k0, [], ctx, "nodeStatus");
        return k === k0 ? s : { ...s, kubelets: { ...s.kubelets, [node]: k } };
      }
      // wake: the fake runtime's due stages.
      const { state: k1, gone, changed } = advance(k0, ctx.now, (ctx as KubeContext).prober?.(node));
      const k = changed ? post(node, k1, gone, ctx, "podStatus") : k1;
      wakeKubelet(node, k, ctx);
      return { ...s, kubelets: { ...s.kubelets, [node]: k } };
    },

    validate(s, a, net) {
      if (!KUBE_COMMAND_TYPES.includes(a.type)) throw new KubeError("UNREACHABLE", `unknown command ${a.type}`);
      if (!members.some((m) => net.up[m])) throw new KubeError("UNREACHABLE", KUBE_ERRORS.UNREACHABLE(`${cp}:${API_SERVER_PORT}`));
      // Refused commands change nothing: try it on a copy first.
      runCommand(s.store.clone(), a, 0);
      if (!writable(s, net)) throw new KubeError("ETCD_TIMEOUT", KUBE_ERRORS.ETCD_TIMEOUT());
    },

    action(s, a, ctx) {
      const before = s.store.revision;
      const lines = runCommand(s.store, a, ctx.now);
      if (records) ctx.record(active(ctx.net), { event: "kubectl", output: lines });
      return settle(committed(s, before, ctx), ctx);
    },

    crash(s, node) {
      // The node's containers die with it; the store (etcd's disk) stays, as does its member's Raft log.
      // A control-plane host's controllers forget what they pushed (the next lease holder pushes all).
      return { ...s, kubelets: { ...s.kubelets, [node]: EMPTY_KUBELET }, pushed: members.includes(node) ? {} : s.pushed, ...(s.etcd ? { etcd: etcdCrash(s.etcd, node) } : {}) };
    },

    restart(s0, node, ctx) {
      const s = s0.etcd ? { ...s0, etcd: etcdRestart(s0.etcd, node, ctx as SimContext<EtcdMessage>) } : s0;
      ctx.setTimer(node, ctx.now + S / 10, "heartbeat");
      if (members.includes(node)) {
        ctx.setTimer(node, ctx.now + CONTROL_TICK_US, "tick");
        if (node === active(ctx.net)) return settle(s, ctx);
      }
      return s;
    },

    exited(s, node, exits, ctx) {
      const k0 = s.kubelets[node] ?? EMPTY_KUBELET;
      const k1 = containersExited(k0, exits, ctx.now);
      if (k1 === k0) return s;
      const k = post(node, k1, [], ctx, "podStatus");
      wakeKubelet(node, k, ctx);
      return { ...s, kubelets: { ...s.kubelets, [node]: k } };
    },

    pullFailed(s, node, refs, ctx) {
      const k0 = s.kubelets[node] ?? EMPTY_KUBELET;
      const k1 = imagePullFailed(k0, refs, ctx.now);
      if (k1 === k0) return s;
      const k = post(node, k1, [], ctx, "podStatus");
      wakeKubelet(node, k, ctx);
      return { ...s, kubelets: { ...s.kubelets, [node]: k } };
    },

    save: (s) => ({ ...s, store: s.store.clone(), scheduler: { ...s.scheduler } }),
    load: (saved) => {
      const s = saved as KubeWorldState;
      return { ...s, store: s.store.clone(), scheduler: { ...s.scheduler } };
    },
    describe: (s) => ({ revision: s.store.revision, kubelets: s.kubelets }),
  };
  return model;
}

/** What the kubelet is told of a pod: probes, ports, script and restartPolicy only when they matter (the push is compared as text). */
function assignment(p: Pod, scripted: boolean): PodAssignment {
  const policy = p.spec.restartPolicy;
  return {
    uid: p.metadata.uid!, name: p.metadata.name, namespace: p.metadata.namespace ?? "default",
    containers: p.spec.containers.map((c) => {
      const probed = c.livenessProbe !== undefined || c.readinessProbe !== undefined;
      const script = [...(c.command ?? []), ...(c.args ?? [])].join(" ");
      return {
        name: c.name, image: c.image ?? "",
        ...(c.livenessProbe ? { livenessProbe: c.livenessProbe } : {}),
        ...(c.readinessProbe ? { readinessProbe: c.readinessProbe } : {}),
        ...(probed && c.ports ? { ports: c.ports.map((x) => ({ containerPort: x.containerPort, ...(x.name ? { name: x.name } : {}) })) } : {}),
        ...(probed && script !== "" ? { script } : {}),
        ...(() => { const end = scripted ? scriptEnd([...(c.command ?? []), ...(c.args ?? [])]) : null; return end ? { finishes: end } : {}; })(),
      };
    }),
    deleting: p.metadata.deletionTimestamp !== undefined,
    ...(policy === "OnFailure" || policy === "Never" ? { restartPolicy: policy } : {}),
  };
}

/** One change of the watch log as a trace line: the object, and for a pod where it runs and how it is. */
function change(e: WatchEvent): Record<string, unknown> {
  const o = e.object;
  const base = { type: e.type, kind: o.kind, name: o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name };
  if (o.kind === "Pod") {
    return { ...base, node: o.spec.nodeName ?? null, phase: o.status?.phase ?? "Pending", ready: o.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false, deleting: o.metadata.deletionTimestamp !== undefined, owner: o.metadata.ownerReferences?.[0]?.name ?? null };
  }
  if (o.kind === "ReplicaSet") return { ...base, replicas: o.spec.replicas ?? 1, ready: o.status?.readyReplicas ?? 0, owner: o.metadata.ownerReferences?.[0]?.name ?? null };
  if (o.kind === "Deployment") return { ...base, replicas: o.spec.replicas ?? 1, updated: o.status?.updatedReplicas ?? 0, available: o.status?.availableReplicas ?? 0 };
  return base;
}

/** A pod's status from its kubelet's report. */
function podWithReport(p: Pod, r: PodReport, hostIP: string, now: number): Pod {
  const byName = new Map(r.containers.map((c) => [c.name, c]));
  const containerStatuses = p.spec.containers.map((spec) => {
    const c = byName.get(spec.name);
    const state = c?.terminated ? { terminated: c.terminated } : c && !c.reason && c.startedAt !== undefined ? { running: { startedAt: c.startedAt } } : { waiting: { reason: c?.reason ?? "ContainerCreating" } };
    return { name: spec.name, ready: c?.ready ?? false, restartCount: c?.restartCount ?? 0, image: spec.image ?? "", state };
  });
  const ready = containerStatuses.every((c) => c.ready);
  let next: Pod = {
    ...p,
    status: { ...p.status, phase: r.phase, hostIP, podIP: r.podIP, startTime: p.status?.startTime ?? now, containerStatuses },
  };
  next = withPodCondition(next, "Initialized", "True", now);
  next = withPodCondition(next, "ContainersReady", ready ? "True" : "False", now);
  next = withPodCondition(next, "Ready", ready ? "True" : "False", now);
  return next;
}
