// Kubernetes' data path as traffic sees it (issue #15): kube-proxy in iptables mode, the pod
// network between nodes, cluster DNS (CoreDNS) and NetworkPolicy enforced as Calico does.
//
// kube-proxy's rules, named in the hops as `iptables-save` shows them on a node
// (pkg/proxy/iptables/proxier.go): `-t nat -A KUBE-SERVICES -d <ClusterIP>/32 -p tcp --dport P
// -j KUBE-SVC-<hash>`, `-A KUBE-NODEPORTS -p tcp --dport <nodePort> -j KUBE-EXT-<hash>` on every
// node, then per endpoint `-A KUBE-SVC-<hash> -m statistic --mode random --probability 1/(n-i)
// -j KUBE-SEP-<hash>` (the last without a statistic match) and `-A KUBE-SEP-<hash> -p tcp -j DNAT
// --to-destination <podIP>:<targetPort>`. A service port with no ready endpoint gets `-t filter -A
// KUBE-SERVICES ... -j REJECT --reject-with icmp-port-unreachable` (the client sees "Connection
// refused"). The chain names are proxier.go's: "KUBE-SVC-" + the first 16 characters of the
// base32 of sha256(servicePortName + protocol in lower case), KUBE-SEP- with the endpoint appended. Which rule of
// the statistic chain matches is drawn from the world's seeded stream (`KubeNetView.draw`).
// The pod network is flat (a /24 per node, routed between the nodes); a NetworkPolicy that
// isolates a pod makes Calico drop what no policy allows (the client waits for its timeout).
import { LOCAL_LATENCY_US } from "@drydock/kernel";
import { sha256Digest } from "@drydock/image";
import type { Container } from "../containers/types.js";
import { endpointsOf, gatewayEndpoint } from "./endpoints.js";
import { parseIp4, parsePrefix4, prefixContains } from "./ip.js";
import type { Hop, Outcome } from "./reach.js";
import { endpointAddress, listenerOf, netOwner, type Connection, type Lookup, type NetHost, type NetWorld } from "./traffic.js";

/** A pod with an IP, where it runs and its sandbox (the pause container owning its network namespace). */
export interface KubePodNet {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  readonly ip: string;
  /** The world host (node) it runs on. */
  readonly host: string;
  /** Its sandbox's container on that host's engine ("" before it runs). */
  readonly sandboxId: string;
  readonly ready: boolean;
}

/** A ready endpoint of a service port: a pod and the port its target resolves to there. */
export interface KubeBackend {
  readonly podUid: string;
  readonly ip: string;
  readonly port: number;
}

export interface KubeServicePortNet {
  /** The port's name ("" when it has none). */
  readonly name: string;
  readonly protocol: "tcp" | "udp";
  readonly port: number;
  readonly nodePort: number | null;
  /** Ready endpoints, in the EndpointSlice's order. */
  readonly backends: readonly KubeBackend[];
}

export interface KubeServiceNet {
  readonly name: string;
  readonly namespace: string;
  /** Null: headless (clusterIP None). */
  readonly clusterIP: string | null;
  readonly ports: readonly KubeServicePortNet[];
  /** The ready pods' IPs (what DNS answers for a headless service). */
  readonly readyIps: readonly string[];
  /** A headless service's ready pods that have a hostname (a StatefulSet's web-0): <hostname>.<svc>.<ns>.svc.cluster.local. */
  readonly hostnames?: readonly { readonly hostname: string; readonly ip: string }[];
}

/** NetworkPolicy's answer for a connection to a pod (both ends' policies), and why. */
export interface KubePolicyAnswer {
  readonly allowed: boolean;
  readonly reason: string;
}

/**
 * `kubectl port-forward` running on a host: its listener on 127.0.0.1 and [::1] at `localPort`;
 * a connection there goes through the API server to the pod's kubelet, which opens
 * localhost:`port` inside the pod's network namespace (kubelet's CRI streaming, PortForward).
 */
export interface KubePortForward {
  readonly host: string;
  readonly localPort: number;
  readonly podUid: string;
  readonly port: number;
}

export interface KubeNetView {
  /** The pod network (10.244.0.0/16) and the service network (10.96.0.0/12). */
  readonly podCidr: string;
  readonly serviceCidr: string;
  /** CoreDNS's ClusterIP (kube-dns, 10.96.0.10). */
  readonly dnsIp: string;
  readonly pods: readonly KubePodNet[];
  readonly services: readonly KubeServiceNet[];
  /** A draw in [0, 1) from the world's seeded stream for kube-proxy's statistic match. */
  draw(): number;
  /** kubectl port-forward listeners running on the hosts (none when absent). */
  readonly forwards?: readonly KubePortForward[];
  /** NetworkPolicy for a connection from a pod (or an address) to a pod on port/proto. */
  allows(from: { readonly podUid: string } | { readonly ip: string }, toPodUid: string, port: number, proto: string): KubePolicyAnswer;
}

export const CLUSTER_DOMAIN = "cluster.local";

const RFC4648 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Go's base32.StdEncoding of the sha256 of `text`, first 16 characters (proxier.go's portProtoHash). */
function portProtoHash(text: string): string {
  const hex = sha256Digest(text).slice("sha256:".length);
  let bits = "";
  for (let i = 0; i < 20; i++) bits += parseInt(hex.slice(i * 2, i * 2 + 2), 16).toString(2).padStart(8, "0");
  let out = "";
  for (let i = 0; i < 16; i++) out += RFC4648[parseInt(bits.slice(i * 5, i * 5 + 5), 2)]!;
  return out;
}

const portNameOf = (svc: KubeServiceNet, p: KubeServicePortNet) => `${svc.namespace}/${svc.name}${p.name === "" ? "" : `:${p.name}`}`;

/** KUBE-SVC-… of a service port (proxier.go servicePortChainName). */
export function svcChain(svc: KubeServiceNet, p: KubeServicePortNet): string {
  return `KUBE-SVC-${portProtoHash(portNameOf(svc, p) + p.protocol)}`;
}

/** KUBE-SEP-… of an endpoint of a service port (proxier.go servicePortEndpointChainName). */
export function sepChain(svc: KubeServiceNet, p: KubeServicePortNet, b: KubeBackend): string {
  return `KUBE-SEP-${portProtoHash(portNameOf(svc, p) + p.protocol + `${b.ip}:${b.port}`)}`;
}

/** The probability text kube-proxy writes for rule i of n (1/(n-i), "%0.10f"). */
export function statisticProbability(i: number, n: number): string {
  return (1 / (n - i)).toFixed(10);
}

const inCidr = (cidr: string, ip: string) => {
  const p = parsePrefix4(cidr);
  const a = parseIp4(ip);
  return p !== null && a !== null && prefixContains(p, a);
};

/** The pod whose sandbox a container lives in (its own network namespace's owner), if any. */
export function podOfContainer(view: KubeNetView, h: NetHost, c: Container | null): KubePodNet | undefined {
  if (c === null) return undefined;
  const owner = netOwner(h.engine, c);
  return view.pods.find((p) => p.host === h.name && p.sandboxId !== "" && p.sandboxId === owner.id);
}

/**
 * Cluster DNS from inside a pod (CoreDNS's kubernetes plugin at kube-dns 10.96.0.10; the pod's
 * resolv.conf: `search <ns>.svc.cluster.local svc.cluster.local cluster.local`, `options ndots:5`).
 * A name with fewer than 5 dots is tried with each search domain first. `<svc>.<ns>.svc.cluster.local`
 * is the ClusterIP, or the ready pods' IPs for a headless service. Null: not a cluster name (CoreDNS
 * forwards the rest to the node's nameserver).
 */
export function kubeLookup(view: KubeNetView, h: NetHost, c: Container | null, name: string, from: string): Lookup | null {
  const pod = podOfContainer(view, h, c);
  if (!pod) return null;
  const absolute = name.endsWith(".");
  const wanted = name.toLowerCase().replace(/\.$/, "");
  const search = [`${pod.namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
  const dots = wanted.split(".").length - 1;
  const candidates = absolute ? [wanted] : dots >= 5 ? [wanted, ...search.map((d) => `${wanted}.${d}`)] : [...search.map((d) => `${wanted}.${d}`), wanted];
  const suffix = `.svc.${CLUSTER_DOMAIN}`;
  for (const fqdn of candidates) {
    if (!fqdn.endsWith(suffix)) continue;
    const parts = fqdn.slice(0, -suffix.length).split(".");
    if (parts.length === 3) {
      // CoreDNS's kubernetes plugin: <hostname>.<svc>.<ns>.svc.cluster.local, a headless service's pod by its hostname.
      const [host, svcName, ns] = parts as [string, string, string];
      const hit = view.services.find((s) => s.name === svcName && s.namespace === ns && s.clusterIP === null)?.hostnames?.find((x) => x.hostname === host);
      if (hit) return { name, addresses: [hit.ip], server: view.dnsIp, reason: `CoreDNS: ${fqdn} is ${host} of the headless Service ${ns}/${svcName}`, query: { from, to: h.name } };
      continue;
    }
    if (parts.length !== 2) continue;
    const [svcName, ns] = parts as [string, string];
    const svc = view.services.find((s) => s.name === svcName && s.namespace === ns);
    if (!svc) continue;
    const query = { from, to: h.name };
    if (svc.clusterIP !== null) {
      return { name, addresses: [svc.clusterIP], server: view.dnsIp, reason: `CoreDNS: ${fqdn} is the Service ${ns}/${svcName}: its ClusterIP`, query };
    }
    return { name, addresses: [...svc.readyIps], server: view.dnsIp, reason: `CoreDNS: ${fqdn} is the headless Service ${ns}/${svcName}: its ready pods' IPs`, query };
  }
  // Inside the cluster domain and unknown: NXDOMAIN from CoreDNS itself.
  if (wanted.endsWith(`.${CLUSTER_DOMAIN}`)) return { name, addresses: [], server: view.dnsIp, reason: `CoreDNS: no such name in ${CLUSTER_DOMAIN}`, query: { from, to: h.name } };
  return null;
}

/** Whether a container is in a pod (its resolver is CoreDNS). */
export function isPodContainer(view: KubeNetView, h: NetHost, c: Container | null): boolean {
  return podOfContainer(view, h, c) !== undefined;
}

interface Target { readonly svc: KubeServiceNet; readonly port: KubeServicePortNet }

function byClusterIp(view: KubeNetView, ip: string, port: number, proto: string): Target | null {
  for (const svc of view.services) {
    if (svc.clusterIP !== ip) continue;
    const p = svc.ports.find((x) => x.port === port && x.protocol === proto);
    if (p) return { svc, port: p };
  }
  return null;
}

function byNodePort(view: KubeNetView, port: number, proto: string): Target | null {
  for (const svc of view.services) {
    const p = svc.ports.find((x) => x.nodePort === port && x.protocol === proto);
    if (p) return { svc, port: p };
  }
  return null;
}

/** The last leg: over the pod network (routed to the pod's node when it runs elsewhere) into the pod, through NetworkPolicy. */
function toPod(world: NetWorld, view: KubeNetView, fromHost: NetHost, src: { readonly podUid: string } | { readonly ip: string }, pod: KubePodNet, port: number, proto: string, hops: Hop[], from: string, baseUs: number): Connection {
  const dst = world.hosts.find((x) => x.name === pod.host);
  let rtt = baseUs + 2 * LOCAL_LATENCY_US;
  if (pod.host !== fromHost.name) {
    const cidr = pod.ip.split(".").slice(0, 3).join(".") + ".0/24";
    hops.push({ kind: "route", at: `${fromHost.name} (pod network)`, detail: `${pod.ip} is in ${cidr}, ${pod.host}'s pod range: routed via ${dst?.ip ?? pod.host}` });
    hops.push({ kind: "interface", at: "wire", detail: `${fromHost.name} → ${pod.host}` });
    rtt += 2 * (world.wireUs ?? 1_000);
  }
  const sandbox = dst?.engine.containers.get(pod.sandboxId);
  const e = dst && sandbox ? gatewayEndpoint(dst.engine.networks, sandbox.id) ?? endpointsOf(dst.engine.networks, sandbox.id).find((x) => x.ip !== null) : undefined;
  const to = dst && e ? endpointAddress(dst.name, e) : pod.host;
  const label = `${pod.namespace}/${pod.name}`;
  const members = dst && sandbox ? [...dst.engine.containers.values()].filter((x) => x.state.running && netOwner(dst.engine, x).id === sandbox.id) : [];
  const listener = proto === "icmp" ? sandbox : members.find((x) => listenerOf(x, port) !== null);
  const done = (outcome: Outcome, server: Container | null | undefined): Connection => ({
    outcome, hops, decidedBy: hops[hops.length - 1]!, from, to,
    server: dst && server ? { host: dst.name, container: server, port, program: proto === "icmp" ? null : listenerOf(server, port), ip: pod.ip } : null,
    ttl: pod.host === fromHost.name ? 64 : 63, rttUs: rtt,
  });
  const verdict = view.allows(src, pod.uid, port, proto);
  if (!verdict.allowed) {
    hops.push({ kind: "iptables", at: `cali-tw (${label})`, detail: `NetworkPolicy: ${verdict.reason}: Calico drops the packet`, rule: "-A cali-tw-policy -m comment --comment \"Drop if no policies passed packet\" -j DROP" });
    return done("timeout", null);
  }
  if (!dst || !sandbox || !sandbox.state.running) {
    hops.push({ kind: "process", at: `${label}:${port}`, detail: `${label}'s sandbox is not running on ${pod.host}: nothing answers` });
    return done("timeout", null);
  }
  hops.push({ kind: "veth", at: `cali → ${pod.name}`, detail: `into the pod's network namespace (${pod.ip})${verdict.reason === "" ? "" : `; ${verdict.reason}`}` });
  if (listener) {
    hops.push({ kind: "process", at: `${label}:${port}`, detail: proto === "icmp" ? "the kernel answers the echo" : `a process listens on ${port}/${proto}` });
    return done("connected", listener);
  }
  hops.push({ kind: "process", at: `${label}:${port}`, detail: `nothing listens on ${port}/${proto}: connection refused` });
  return done("refused", sandbox);
}

/** kube-proxy's chains for a service port: REJECT without endpoints, else the statistic draw and the DNAT. */
function throughService(world: NetWorld, view: KubeNetView, h: NetHost, src: { readonly podUid: string } | { readonly ip: string }, t: Target, entry: Hop, hops: Hop[], from: string, proto: string, baseUs: number): Connection {
  const { svc, port: p } = t;
  const n = p.backends.length;
  const comment = `${svc.namespace}/${svc.name}${p.name === "" ? "" : `:${p.name}`}`;
  if (n === 0) {
    hops.push({
      kind: "iptables", at: "filter KUBE-SERVICES", detail: `${comment} has no endpoints: kube-proxy rejects (icmp-port-unreachable): connection refused`,
      rule: `-A KUBE-SERVICES -d ${svc.clusterIP ?? ""}/32 -p ${proto} -m comment --comment "${comment} has no endpoints" -m ${proto} --dport ${p.port} -j REJECT --reject-with icmp-port-unreachable`,
    });
    return { outcome: "refused", hops, decidedBy: hops[hops.length - 1]!, from, to: h.name, server: null, ttl: 64, rttUs: baseUs + 2 * LOCAL_LATENCY_US };
  }
  hops.push(entry);
  const u = view.draw();
  // Rule i matches with probability 1/(n-i) given the rules before it did not: the same as picking floor(u·n).
  const i = Math.min(n - 1, Math.floor(u * n));
  const b = p.backends[i]!;
  const sep = sepChain(svc, p, b);
  const probs = p.backends.map((x, k) => `${sepChain(svc, p, x)} (${x.ip}:${x.port})${k < n - 1 ? ` --probability ${statisticProbability(k, n)}` : ""}`).join(", ");
  hops.push({
    kind: "proxy", at: svcChain(svc, p),
    detail: `${n} endpoint${n === 1 ? "" : "s"}: ${probs}; the statistic match draws ${u.toFixed(4)}: ${sep} (${b.ip}:${b.port})`,
    rule: i < n - 1 ? `-A ${svcChain(svc, p)} -m comment --comment "${comment} -> ${b.ip}:${b.port}" -m statistic --mode random --probability ${statisticProbability(i, n)} -j ${sep}` : `-A ${svcChain(svc, p)} -m comment --comment "${comment} -> ${b.ip}:${b.port}" -j ${sep}`,
  });
  hops.push({ kind: "iptables", at: sep, detail: `DNAT to ${b.ip}:${b.port}`, rule: `-A ${sep} -p ${proto} -m comment --comment "${comment}" -m ${proto} -j DNAT --to-destination ${b.ip}:${b.port}` });
  const pod = view.pods.find((x) => x.uid === b.podUid);
  if (!pod) {
    hops.push({ kind: "route", at: h.name, detail: `no pod has ${b.ip}: nothing answers` });
    return { outcome: "timeout", hops, decidedBy: hops[hops.length - 1]!, from, to: h.name, server: null, ttl: 64, rttUs: baseUs };
  }
  return toPod(world, view, h, src, pod, b.port, proto, hops, from, baseUs);
}

/** Who the sender is for NetworkPolicy: its pod, or its address (a node's). */
function sourceOf(view: KubeNetView, h: NetHost, c: Container | null): { readonly podUid: string } | { readonly ip: string } {
  const pod = podOfContainer(view, h, c);
  if (pod) return { podUid: pod.uid };
  if (c !== null) {
    const e = gatewayEndpoint(h.engine.networks, netOwner(h.engine, c).id);
    if (e?.ip) return { ip: h.ip };
  }
  return { ip: h.ip };
}

/**
 * A connection from a container or a node to a ClusterIP (kube-proxy's KUBE-SERVICES in the
 * sender's node's nat OUTPUT/PREROUTING) or to a pod's IP (the flat pod network). Null when the
 * address is neither (the engine's rules decide). ICMP to a ClusterIP gets no answer: kube-proxy's
 * iptables rules match TCP/UDP only and nothing owns the virtual address.
 */
export function kubeConnect(world: NetWorld, view: KubeNetView, h: NetHost, c: Container | null, ip: string, port: number, proto: string, from: string): Connection | null {
  const forwarded = c === null ? forwardConnect(world, view, h, ip, port, proto, from) : null;
  if (forwarded) return forwarded;
  const svcNet = inCidr(view.serviceCidr, ip);
  const podNet = inCidr(view.podCidr, ip);
  if (!svcNet && !podNet) return null;
  const src = sourceOf(view, h, c);
  const hops: Hop[] = [];
  if (svcNet) {
    const owner = view.services.find((s) => s.clusterIP === ip);
    if (proto === "icmp" || !owner) {
      hops.push({ kind: "route", at: h.name, detail: owner ? `${ip} is the ClusterIP of ${owner.namespace}/${owner.name}: a virtual address kube-proxy translates for TCP and UDP only; nothing answers an echo` : `${ip} is in the service network but no Service has it: nothing answers` });
      return { outcome: "timeout", hops, decidedBy: hops[hops.length - 1]!, from, to: h.name, server: null, ttl: 64, rttUs: 0 };
    }
    const t = byClusterIp(view, ip, port, proto);
    if (!t) {
      hops.push({ kind: "route", at: h.name, detail: `${owner.namespace}/${owner.name} has no port ${port}/${proto}: no kube-proxy rule matches; nothing answers` });
      return { outcome: "timeout", hops, decidedBy: hops[hops.length - 1]!, from, to: h.name, server: null, ttl: 64, rttUs: 0 };
    }
    const comment = `${t.svc.namespace}/${t.svc.name}${t.port.name === "" ? "" : `:${t.port.name}`}`;
    const entry: Hop = {
      kind: "iptables", at: `nat KUBE-SERVICES (${h.name})`, detail: `${ip}:${port} is the ClusterIP of ${comment}`,
      rule: `-A KUBE-SERVICES -d ${ip}/32 -p ${proto} -m comment --comment "${comment} cluster IP" -m ${proto} --dport ${port} -j ${svcChain(t.svc, t.port)}`,
    };
    return throughService(world, view, h, src, t, entry, hops, from, proto, 0);
  }
  const pod = view.pods.find((x) => x.ip === ip);
  if (!pod) {
    hops.push({ kind: "route", at: h.name, detail: `no pod has ${ip}: no route to host` });
    return { outcome: "unreachable", hops, decidedBy: hops[hops.length - 1]!, from, to: h.name, server: null, ttl: 64, rttUs: 0 };
  }
  hops.push({ kind: "route", at: h.name, detail: `${ip} is the pod ${pod.namespace}/${pod.name} on ${pod.host}` });
  return toPod(world, view, h, src, pod, port, proto, hops, from, 0);
}

/**
 * The host's own loopback at a port `kubectl port-forward` listens on: the stream reaches the pod
 * on its node as a connection to localhost inside its network namespace, so NetworkPolicy (which
 * filters the pod's interface) does not apply; what answers is the pod's listener on that port.
 */
function forwardConnect(world: NetWorld, view: KubeNetView, h: NetHost, ip: string, port: number, proto: string, from: string): Connection | null {
  if (proto !== "tcp" || (ip !== "127.0.0.1" && ip !== "::1")) return null;
  const f = view.forwards?.find((x) => x.host === h.name && x.localPort === port);
  if (!f) return null;
  const pod = view.pods.find((p) => p.uid === f.podUid);
  const node = pod ? world.hosts.find((x) => x.name === pod.host) : undefined;
  const hops: Hop[] = [{ kind: "process", at: `kubectl port-forward (${h.name})`, detail: `${ip}:${port} is kubectl's listener: the stream goes through the API server to the kubelet${pod ? ` on ${pod.host}` : ""}` }];
  if (!pod || !node) {
    hops.push({ kind: "process", at: "kubelet", detail: "the pod is gone: the stream is closed" });
    return { outcome: "refused", hops, decidedBy: hops[hops.length - 1]!, from, to: h.name, server: null, ttl: 64, rttUs: 2 * LOCAL_LATENCY_US };
  }
  hops.push({ kind: "process", at: `kubelet (${pod.host})`, detail: `port-forward: localhost:${f.port} inside ${pod.namespace}/${pod.name}'s network namespace` });
  const c = toPod(world, { ...view, allows: () => ({ allowed: true, reason: "" }) }, node, { ip: node.ip }, pod, f.port, proto, hops, from, 2 * (world.wireUs ?? 1_000));
  return { ...c, ttl: 64 };
}

/**
 * A NodePort on node `node` (any of its addresses, or its loopback), when nothing on the node
 * itself answers there: KUBE-NODEPORTS → KUBE-EXT → the service's KUBE-SVC chain, masqueraded
 * (externalTrafficPolicy Cluster: any node, any endpoint). Null when no service has the port.
 */
export function nodePortConnect(world: NetWorld, view: KubeNetView, node: NetHost, port: number, proto: string, from: string, before: readonly Hop[], baseUs: number, src: { readonly podUid: string } | { readonly ip: string }): Connection | null {
  if (proto === "icmp" || port < 30000 || port > 32767) return null;
  const t = byNodePort(view, port, proto);
  if (!t) return null;
  const comment = `${t.svc.namespace}/${t.svc.name}${t.port.name === "" ? "" : `:${t.port.name}`}`;
  const ext = svcChain(t.svc, t.port).replace("KUBE-SVC-", "KUBE-EXT-");
  const entry: Hop = {
    kind: "iptables", at: `nat KUBE-NODEPORTS (${node.name})`, detail: `${port}/${proto} is the NodePort of ${comment}: masqueraded, then its service chain`,
    rule: `-A KUBE-NODEPORTS -p ${proto} -m comment --comment "${comment}" -m ${proto} --dport ${port} -j ${ext}`,
  };
  return throughService(world, view, node, src, t, entry, [...before], from, proto, baseUs);
}

/** The sender's identity for NetworkPolicy, exported for the world's hook. */
export function kubeSource(view: KubeNetView, h: NetHost, c: Container | null): { readonly podUid: string } | { readonly ip: string } {
  return sourceOf(view, h, c);
}
