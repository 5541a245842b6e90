// NetworkPolicy semantics (kubernetes.io/docs/concepts/services-networking/network-policies, and
// the API reference of networking.k8s.io/v1): a pod selected by some policy with policyType
// Ingress is isolated for ingress and receives only what one of those policies' rules allows;
// egress likewise; a connection needs both ends to allow it. Rules allow peers (pods by
// podSelector in the policy's namespace, pods in namespaces by namespaceSelector, both combined,
// or an ipBlock) on ports (numbers, names of container ports, endPort ranges).
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Pod } from "../api/types.js";
import { labelSelectorAsSelector, type Labels } from "../labels/selector.js";
import type { StoreReader } from "../store/store.js";

/** One end of a connection: a pod, or an address outside the cluster. */
export type Peer = { readonly pod: Pod } | { readonly ip: string };

export interface Verdict {
  readonly allowed: boolean;
  /** Whether each end was isolated, and the policies whose rules allowed it. */
  readonly ingress: { readonly isolated: boolean; readonly allowedBy: readonly string[] };
  readonly egress: { readonly isolated: boolean; readonly allowedBy: readonly string[] };
}

/** spec.policyTypes, defaulted: Ingress always, Egress when the policy has egress rules. */
export function policyTypes(p: NetworkPolicy): readonly ("Ingress" | "Egress")[] {
  return p.spec.policyTypes ?? (p.spec.egress !== undefined ? ["Ingress", "Egress"] : ["Ingress"]);
}

const nsOf = (pod: Pod) => pod.metadata.namespace ?? "default";

function ipv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts.reduce((n, p) => n * 256 + p, 0) : null;
}

/** Is `ip` inside `cidr` (a.b.c.d/n)? */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split("/");
  const a = ipv4(ip), b = ipv4(base ?? "");
  const bits = Number(bitsText ?? "32");
  if (a === null || b === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(a / size) === Math.floor(b / size);
}

function peerMatches(store: StoreReader, policyNs: string, peer: NetworkPolicyPeer, other: Peer): boolean {
  if (peer.ipBlock) {
    const ip = "ip" in other ? other.ip : other.pod.status?.podIP;
    if (!ip) return false;
    return inCidr(ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((e) => inCidr(ip, e));
  }
  if (!("pod" in other)) return false;
  const pod = other.pod;
  const podLabels: Labels = pod.metadata.labels ?? {};
  if (peer.namespaceSelector) {
    const ns = store.get("Namespace", "", nsOf(pod));
    if (!labelSelectorAsSelector(peer.namespaceSelector).matches(ns?.metadata.labels ?? {})) return false;
    return peer.podSelector ? labelSelectorAsSelector(peer.podSelector).matches(podLabels) : true;
  }
  if (peer.podSelector) return nsOf(pod) === policyNs && labelSelectorAsSelector(peer.podSelector).matches(podLabels);
  return false;
}

function portMatches(ports: readonly NetworkPolicyPort[] | undefined, port: number, protocol: string, target: Peer): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? "TCP") !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === "number") return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
    // A named port: the destination pod's container port of that name.
    if (!("pod" in target)) return false;
    return target.pod.spec.containers.some((c) => (c.ports ?? []).some((cp) => cp.name === p.port && cp.containerPort === port && (cp.protocol ?? "TCP") === protocol));
  });
}

/** The policies in a pod's namespace that select it for a direction. */
export function policiesSelecting(store: StoreReader, pod: Pod, direction: "Ingress" | "Egress"): NetworkPolicy[] {
  return store.list("NetworkPolicy", { namespace: nsOf(pod) })
    .filter((p) => policyTypes(p).includes(direction) && labelSelectorAsSelector(p.spec.podSelector).matches(pod.metadata.labels ?? {}));
}

/** Would a connection from `from` to `to` on `port` be let through? */
export function policyVerdict(store: StoreReader, from: Peer, to: Peer, port: number, protocol: "TCP" | "UDP" | "SCTP" = "TCP"): Verdict {
  const side = (self: Peer, other: Peer, direction: "Ingress" | "Egress") => {
    if (!("pod" in self)) return { isolated: false, allowedBy: [] as string[] };
    const selecting = policiesSelecting(store, self.pod, direction);
    const allowedBy = selecting.filter((p) => {
      const rules = direction === "Ingress" ? (p.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })) : (p.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
      const dest = direction === "Ingress" ? self : other;
      return rules.some((r) => (!r.peers || r.peers.length === 0 || r.peers.some((peer) => peerMatches(store, p.metadata.namespace ?? "default", peer, other))) && portMatches(r.ports, port, protocol, dest));
    }).map((p) => p.metadata.name);
    return { isolated: selecting.length > 0, allowedBy };
  };
  const ingress = side(to, from, "Ingress");
  const egress = side(from, to, "Egress");
  return { allowed: (!ingress.isolated || ingress.allowedBy.length > 0) && (!egress.isolated || egress.allowedBy.length > 0), ingress, egress };
}
