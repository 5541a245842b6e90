// Kubernetes' data path as the world hands it to traffic (engine network/kube.ts): the pods with
// their IPs and sandboxes, the Services with their ClusterIPs, node ports and ready endpoints (the
// EndpointSlices kube-proxy watches), and NetworkPolicy through @drydock/kube's policyVerdict.
// kube-proxy's statistic match draws from the world's seeded stream "kube-proxy" when the line
// runs in an event; a read-only view (a script in a container) draws from a hash of a counter.
import type { KubeBackend, KubeNetView, KubePodNet, KubeServiceNet, KubeServicePortNet } from "@drydock/engine";
import { lanAddress, unit } from "@drydock/engine";
import { SERVICE_NAME_LABEL, isPodReady, policyVerdict, type Pod, type Service } from "@drydock/kube";
import { POD_UID_LABEL } from "./kube-containers.js";
import type { WorldState } from "./state.js";

export const POD_CIDR = "10.244.0.0/16";
/** The service network (kube-apiserver's default --service-cluster-ip-range). */
export const SERVICE_CIDR = "10.96.0.0/12";
/** kube-dns's ClusterIP (kubeadm: the tenth address of the service network). */
export const KUBE_DNS_IP = "10.96.0.10";

/** The port a service port's targetPort names on a pod (a number, a container port's name, or the port itself). */
function targetOn(pod: Pod | undefined, sp: NonNullable<Service["spec"]["ports"]>[number]): number | null {
  const t = sp.targetPort;
  if (t === undefined) return sp.port;
  if (typeof t === "number") return t;
  if (/^\d+$/.test(t)) return Number(t);
  for (const c of pod?.spec.containers ?? []) for (const cp of c.ports ?? []) if (cp.name === t && (cp.protocol ?? "TCP") === (sp.protocol ?? "TCP")) return cp.containerPort;
  return null;
}

/** What a running `kubectl port-forward` keeps between its looks (its job's againState): the pod and each LOCAL -> REMOTE pair. */
export interface PortForwardState {
  readonly portForward: true;
  readonly podUid: string;
  readonly pod: string;
  readonly namespace: string;
  readonly ports: readonly { readonly local: number; readonly remote: number }[];
}
export const PORT_FORWARD_JOB = "kubectl.port-forward";

/** The port-forward listeners: each host's running `kubectl port-forward` (they end with its line). */
function forwardsOf(s: WorldState): NonNullable<KubeNetView["forwards"]> {
  const out: { host: string; localPort: number; podUid: string; port: number }[] = [];
  for (const [name, h] of s.hosts) {
    // The terminal's line, and the background jobs (`kubectl port-forward svc/web 8080:80 &`).
    for (const run of [h.running, ...(h.jobs ?? []).map((j) => j.run)]) {
      const p = run?.job?.pending;
      const st = p?.kind === PORT_FORWARD_JOB ? (p.againState as PortForwardState | undefined) : undefined;
      if (st?.portForward) for (const x of st.ports) out.push({ host: name, localPort: x.local, podUid: st.podUid, port: x.remote });
    }
  }
  return out;
}

/** The world's pods and services as traffic sees them, or undefined without Kubernetes. */
export function kubeNetView(s: WorldState, draw?: () => number): KubeNetView | undefined {
  const k = s.kube?.state;
  if (!k) return undefined;
  const store = k.store;
  const pods: KubePodNet[] = [];
  const podsByUid = new Map<string, Pod>();
  for (const p of store.list("Pod")) {
    const ip = p.status?.podIP;
    const node = p.spec.nodeName;
    if (!ip || !node || !p.metadata.uid) continue;
    podsByUid.set(p.metadata.uid, p);
    const h = s.hosts.get(node);
    const sandbox = h ? [...h.engine.containers.values()].find((c) => c.config.labels[POD_UID_LABEL] === p.metadata.uid && c.config.labels["io.kubernetes.docker.type"] === "podsandbox" && c.state.running) : undefined;
    pods.push({ uid: p.metadata.uid, name: p.metadata.name, namespace: p.metadata.namespace ?? "default", ip, host: node, sandboxId: sandbox?.id ?? "", ready: isPodReady(p) });
  }
  const services: KubeServiceNet[] = [];
  for (const svc of store.list("Service")) {
    const ns = svc.metadata.namespace ?? "default";
    const slices = store.list("EndpointSlice", { namespace: ns }).filter((x) => x.metadata.labels?.[SERVICE_NAME_LABEL] === svc.metadata.name);
    const ready = slices.flatMap((x) => x.endpoints).filter((e) => e.conditions.ready === true && e.targetRef !== undefined);
    const ports: KubeServicePortNet[] = (svc.spec.ports ?? []).filter((p) => (p.protocol ?? "TCP") !== "SCTP").map((sp) => {
      const backends: KubeBackend[] = [];
      for (const e of ready) {
        const pod = podsByUid.get(e.targetRef!.uid);
        const port = targetOn(pod, sp);
        if (port !== null) for (const ip of e.addresses) backends.push({ podUid: e.targetRef!.uid, ip, port });
      }
      return { name: sp.name ?? "", protocol: (sp.protocol ?? "TCP") === "UDP" ? "udp" as const : "tcp" as const, port: sp.port, nodePort: sp.nodePort ?? null, backends };
    });
    const clusterIP = svc.spec.clusterIP === undefined || svc.spec.clusterIP === "None" || svc.spec.clusterIP === "" ? null : svc.spec.clusterIP;
    const hostnames = ready.filter((e) => e.hostname !== undefined).map((e) => ({ hostname: e.hostname!, ip: e.addresses[0]! }));
    services.push({ name: svc.metadata.name, namespace: ns, clusterIP, ports, readyIps: [...new Set(ready.flatMap((e) => e.addresses))], ...(hostnames.length > 0 ? { hostnames } : {}) });
  }
  const nodeIps = new Map([...s.hosts.keys()].map((name, i) => [name, lanAddress(i)]));
  let n = 0;
  return {
    podCidr: POD_CIDR, serviceCidr: SERVICE_CIDR, dnsIp: KUBE_DNS_IP, pods, services, forwards: forwardsOf(s),
    draw: draw ?? (() => unit(`kube-proxy/${store.revision}/${n++}`)),
    allows(from, toPodUid, port, proto) {
      const to = podsByUid.get(toPodUid);
      if (!to) return { allowed: true, reason: "" };
      // networking.k8s.io docs: "the only allowed connections into the pod are those from the pod's
      // node and those allowed by the ingress list of some NetworkPolicy" (kubelet probes).
      if ("ip" in from && from.ip === nodeIps.get(to.spec.nodeName ?? "")) return { allowed: true, reason: `from ${to.spec.nodeName}, the pod's own node: always allowed` };
      const src = "podUid" in from ? podsByUid.get(from.podUid) : undefined;
      const peer = src ? { pod: src } : { ip: "ip" in from ? from.ip : "0.0.0.0" };
      const v = policyVerdict(store, peer, { pod: to }, port, proto === "udp" ? "UDP" : "TCP");
      if (!v.allowed) {
        const why = v.ingress.isolated && v.ingress.allowedBy.length === 0
          ? `${to.metadata.namespace ?? "default"}/${to.metadata.name} is isolated for ingress and no policy allows this connection`
          : "the sending pod is isolated for egress and no policy allows this connection";
        return { allowed: false, reason: why };
      }
      const by = [...v.ingress.allowedBy, ...v.egress.allowedBy];
      return { allowed: true, reason: by.length > 0 ? `allowed by NetworkPolicy ${[...new Set(by)].join(", ")}` : "" };
    },
  };
}
