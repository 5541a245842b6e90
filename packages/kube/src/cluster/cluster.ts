import { DrydockError, createSimulation, type DurationRange, type Duration, type NodeId, type ScheduledAction, type Simulation } from "@drydock/kernel";
import type { Deployment, Kind, KubeObject, Pod, ReplicaSet } from "../api/types.js";
import { loadManifests } from "../api/manifest.js";
import type { LifecycleOptions } from "../controllers/lifecycle.js";
import type { KubeStore } from "../store/store.js";
import type { KubeCommand } from "./commands.js";
import { kubeModel, type KubeMessage, type KubeWorldState } from "./model.js";

export type KubeSimulation = Simulation<KubeWorldState, KubeMessage, KubeCommand>;

export interface KubeClusterOptions {
  /** Host names; the first runs the control plane (default control-plane, node-1, node-2). A number n gives control-plane and node-1..node-n. */
  readonly nodes?: readonly string[] | number;
  readonly seed?: string | number;
  /** How many of the first nodes are control-plane hosts, each with an etcd member (default 1: no Raft group). */
  readonly controlPlanes?: number;
  /** Applied entries between etcd's snapshots (default 1,000). */
  readonly etcdSnapshotCount?: number;
  /** One-way latency between hosts (default 0.2-1 ms, a LAN). */
  readonly latency?: DurationRange;
  readonly allocatable?: { readonly cpu?: string; readonly memory?: string; readonly pods?: number };
  readonly lifecycle?: Partial<LifecycleOptions>;
  readonly records?: boolean;
  readonly trace?: boolean;
  readonly schedule?: readonly ScheduledAction<KubeCommand>[];
}

/**
 * A Kubernetes cluster on the kernel for tests, benchmarks and the visualiser: the first host runs
 * the control plane, every host a kubelet with a fake runtime. Every command is a logged action of
 * the simulation (replayable from its session); a refused one throws kubectl's error and changes
 * nothing.
 */
export class KubeCluster {
  readonly sim: KubeSimulation;
  readonly controlPlane: string;
  readonly workers: readonly string[];

  constructor(o: KubeClusterOptions = {}) {
    const nodes = typeof o.nodes === "number" ? ["control-plane", ...Array.from({ length: o.nodes }, (_, i) => `node-${i + 1}`)] : o.nodes ?? ["control-plane", "node-1", "node-2"];
    if (nodes.length < 1 || new Set(nodes).size !== nodes.length) throw new DrydockError("ESIZE", `invalid cluster nodes: ${nodes.join(", ")}`);
    this.controlPlane = nodes[0]!;
    this.workers = nodes.slice(1);
    this.sim = createSimulation({
      seed: o.seed ?? 1,
      nodes,
      model: kubeModel({
        controlPlane: this.controlPlane, nodes, ...(o.controlPlanes !== undefined ? { controlPlanes: nodes.slice(0, o.controlPlanes) } : {}),
        ...(o.allocatable ? { allocatable: o.allocatable } : {}),
        ...(o.lifecycle ? { lifecycle: { nodeMonitorGraceUs: 40_000_000, defaultTolerationSeconds: 300, ...o.lifecycle } } : {}),
        ...(o.records !== undefined ? { records: o.records } : {}),
        ...(o.etcdSnapshotCount !== undefined ? { etcdSnapshotCount: o.etcdSnapshotCount } : {}),
      }),
      network: { latency: o.latency ?? [200, 1000] },
      ...(o.trace !== undefined ? { trace: o.trace } : {}),
      ...(o.schedule ? { schedule: o.schedule } : {}),
    });
  }

  get store(): KubeStore { return this.sim.state.store; }
  get now(): number { return this.sim.now; }

  act(c: KubeCommand): void { this.sim.act(c); }
  runFor(d: Duration): void { this.sim.runFor(d); }

  /** kubectl apply -f: every document of a manifest file (kubectl's errors on a bad one, nothing applied). */
  applyYaml(text: string, file = "manifest.yaml"): void { this.act({ type: "kube/apply", objects: loadManifests(text, file).map((d) => d.object), file }); }
  apply(...objects: KubeObject[]): void { this.act({ type: "kube/apply", objects }); }
  delete(kind: Kind, name: string, namespace = "default"): void { this.act({ type: "kube/delete", kind, name, namespace }); }
  scale(name: string, replicas: number, namespace = "default"): void { this.act({ type: "kube/scale", name, replicas, namespace }); }
  setImage(name: string, container: string, image: string, namespace = "default"): void { this.act({ type: "kube/setImage", name, container, image, namespace }); }
  undo(name: string, toRevision?: number, namespace = "default"): void { this.act({ type: "kube/rolloutUndo", name, namespace, ...(toRevision !== undefined ? { toRevision } : {}) }); }
  pause(name: string, namespace = "default"): void { this.act({ type: "kube/rolloutPause", name, namespace }); }
  resume(name: string, namespace = "default"): void { this.act({ type: "kube/rolloutResume", name, namespace }); }

  crash(host: NodeId): void { this.sim.act({ type: "crash", node: host }); }
  restart(host: NodeId): void { this.sim.act({ type: "restart", node: host }); }
  partition(groups: readonly (readonly NodeId[])[]): void { this.sim.act({ type: "partition", groups }); }
  heal(): void { this.sim.act({ type: "heal" }); }

  // ---- views (the store as the API server holds it) ----------------------------------------------

  pods(namespace = "default"): Pod[] { return this.store.list("Pod", { namespace }); }
  deployment(name: string, namespace = "default"): Deployment | undefined { return this.store.get("Deployment", namespace, name); }
  replicaSets(namespace = "default"): ReplicaSet[] { return this.store.list("ReplicaSet", { namespace }); }
}

export function createKubeCluster(o: KubeClusterOptions = {}): KubeCluster {
  return new KubeCluster(o);
}
