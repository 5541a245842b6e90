import type { KubeCaption } from "../kube-rollout/model.js";

// What the services view draws (issue 15): the nodes and their pods, the Service web with its
// ClusterIP, NodePort and EndpointSlice (ready pods only), the NetworkPolicy verdict between the
// client pods and web's pods (policyVerdict, as Calico enforces it on the path), and the latest
// requests as the world's data path took them (the trace's net.decide: kube-proxy's chains, the
// statistic match's draw, the pod that answered or the drop).

export interface KubePodNet {
  readonly name: string;
  readonly node: string;
  readonly ip: string | null;
  readonly ready: boolean;
  /** web's pods: selected by the Service; client and other: where requests come from. */
  readonly role: "web" | "client" | "other";
  /** In the Service's EndpointSlice as a ready endpoint. */
  readonly endpoint: boolean;
}

export interface KubeNodeNet {
  readonly name: string;
  readonly ip: string;
  /** A NoSchedule taint keeps pods off it (the control plane's). */
  readonly noSchedule: boolean;
  readonly pods: readonly KubePodNet[];
}

export interface KubeServiceNet {
  readonly name: string;
  readonly type: string;
  readonly clusterIP: string;
  readonly port: number;
  readonly nodePort: number | null;
  /** The EndpointSlice's endpoints: every selected pod, with its ready condition. */
  readonly endpoints: readonly { readonly pod: string; readonly ip: string; readonly ready: boolean }[];
}

/** A NetworkPolicy verdict from a client pod to a web pod on port 80. */
export interface PolicyArrow {
  readonly from: string;
  readonly to: string;
  readonly allowed: boolean;
  /** The policies that allowed it, or why it is denied. */
  readonly why: string;
}

export interface KubeRequest {
  /** The request's number since the scene opened: a key that restarts its animation. */
  readonly n: number;
  readonly t: number;
  /** Who asked: a pod's name, or a node's. */
  readonly from: string;
  readonly via: "clusterip" | "nodeport" | "pod";
  /** The node whose NodePort it entered (via "nodeport"). */
  readonly entry: string | null;
  /** The pod that answered and its node; null when it was dropped or refused. */
  readonly pod: string | null;
  readonly node: string | null;
  readonly outcome: string;
  /** kube-proxy's statistic match: "draws 0.9247 of 2 endpoints", or null. */
  readonly draw: string | null;
  readonly dropped: string | null;
  /** The pod whose policy dropped it (Calico's chain names it), when it was dropped. */
  readonly droppedAt: string | null;
  /** The host whose shell ran the line, and when the line was done (the moment to mark: the shell is free again). */
  readonly host: string;
  readonly doneT: number | null;
  /** The hops, shortened for the screen. */
  readonly hops: readonly string[];
}

export interface ServicesViewModel {
  readonly nodes: readonly KubeNodeNet[];
  readonly service: KubeServiceNet | null;
  /** NetworkPolicies in the namespace (their names). */
  readonly policies: readonly string[];
  readonly arrows: readonly PolicyArrow[];
  /** The latest requests, oldest first. */
  readonly requests: readonly KubeRequest[];
  /** The lines the buttons type: [host, line]. */
  readonly lines: Readonly<Record<"clusterIP" | "nodePort" | "denied" | "scale" | "policy", { readonly host: string; readonly line: string; readonly label: string }>>;
  readonly caption: KubeCaption;
  /** The scene's buttons (false: drawn for a lab, whose panel has its own steps). */
  readonly buttons?: boolean;
}
