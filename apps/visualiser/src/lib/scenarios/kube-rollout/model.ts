// What the rollout view draws (issue 15): the object tree Deployment → ReplicaSets → Pods as the
// API server's store holds it, and the control plane's loop beside it: which component acted on
// which object lately, read from the Events the components record (source.component) and the
// store's revision (every write goes through the API server into etcd).

export type PodState = "pending" | "creating" | "ready" | "terminating";

export interface KubePodView {
  readonly name: string;
  /** The pod's own suffix (web-7c7c947bd7-p5s7n → p5s7n): what a chip shows. */
  readonly short: string;
  readonly node: string | null;
  /** kubectl's STATUS column (Running, ContainerCreating, Terminating, Pending). */
  readonly status: string;
  readonly state: PodState;
}

export interface KubeReplicaSetView {
  readonly name: string;
  /** pod-template-hash. */
  readonly hash: string;
  /** deployment.kubernetes.io/revision. */
  readonly revision: number;
  readonly image: string;
  /** spec.replicas: what the deployment controller scaled it to. */
  readonly desired: number;
  readonly ready: number;
  /** The ReplicaSet whose template is the deployment's now. */
  readonly current: boolean;
  readonly pods: readonly KubePodView[];
}

export interface KubeDeploymentView {
  readonly name: string;
  readonly replicas: number;
  readonly image: string;
  readonly revision: number;
  readonly updated: number;
  readonly available: number;
  /** maxSurge and maxUnavailable as written, and resolved against replicas (surge rounds up, unavailable down). */
  readonly maxSurgeText: string;
  readonly maxUnavailableText: string;
  readonly surge: number;
  readonly unavailable: number;
  /** Pods that exist (not terminating) and pods ready now. */
  readonly pods: number;
  readonly readyPods: number;
  readonly complete: boolean;
}

/** A control-plane component of the loop (the course's "Kubernetes master" and "node" slides). */
export type ComponentId = "kubectl" | "api-server" | "etcd" | "controller-manager" | "scheduler" | "kubelet";

export interface LoopStep {
  readonly t: number;
  readonly component: ComponentId;
  /** Who, as the Event's source names it: deployment-controller, default-scheduler, kubelet on node-1. */
  readonly who: string;
  readonly reason: string;
  /** The object it acted on: Deployment/web, ReplicaSet/web-646cc4455c, Pod/web-646cc4455c-zbj2s. */
  readonly object: string;
  readonly message: string;
  /** The Event's resourceVersion: the order the API server wrote Events of one instant in. */
  readonly rv: number;
}

export interface KubeLoopView {
  /** Components that acted in the last second (lit in the loop). */
  readonly active: readonly ComponentId[];
  /** The component of the latest step (drawn strongest): who acted last. */
  readonly latest: ComponentId | null;
  /** The latest steps, oldest first. */
  readonly steps: readonly LoopStep[];
  /** The latest kubectl line typed (a request to the API server). */
  readonly command: { readonly t: number; readonly line: string } | null;
  /** etcd's revision: one per write through the API server. */
  readonly revision: number;
}

export interface KubeCaption {
  readonly step: string;
  readonly title: string;
  readonly text: string;
}

export interface RolloutViewModel {
  readonly deployment: KubeDeploymentView | null;
  /** Newest revision first. */
  readonly replicaSets: readonly KubeReplicaSetView[];
  readonly loop: KubeLoopView;
  readonly caption: KubeCaption;
  /** The scene's update and roll-back buttons (false: drawn for a lab, whose panel has its own steps). */
  readonly buttons?: boolean;
}
