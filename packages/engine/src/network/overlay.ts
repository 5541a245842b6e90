// Swarm's data path as traffic sees it (issue #12): overlay networks spanning the world's hosts,
// the embedded DNS answering service names (the VIP, or the tasks' addresses in dnsrr mode) and
// `tasks.<service>`, IPVS in a task's sandbox balancing a VIP over the service's running tasks,
// and the routing mesh: a published port on any node DNATed to the node's ingress sandbox, where
// IPVS picks a task, then the overlay (a VXLAN hop when the task runs on another node) to it.
//
// libnetwork's pieces, named in the hops as they are on a real node (moby libnetwork
// service_linux.go, drivers/overlay): the sandbox's `-t mangle -A OUTPUT -d <VIP>/32 -j MARK`
// (a VIP), the host's `-t nat -A DOCKER-INGRESS -p tcp --dport P -j DNAT --to-destination
// 172.18.0.2:P` and the ingress sandbox's `-t mangle -A PREROUTING -p tcp --dport P -j MARK`
// (a published port), an IPVS virtual service per firewall mark with the rr scheduler and
// masquerading, and VXLAN on UDP 4789 between the nodes' vxlan interfaces (VNI 4096 for ingress,
// then one per network). Which tasks are backends is the leader's committed store (running
// tasks), which the world hands in as a `SwarmNetView`; the round-robin position of each IPVS
// service is the world's state, advanced through `pick`.
import { LOCAL_LATENCY_US } from "@drydock/kernel";
import type { Container } from "../containers/types.js";
import { endpointsOf, gatewayEndpoint } from "./endpoints.js";
import { parseIp4, parsePrefix4, prefixContains } from "./ip.js";
import type { Hop, Outcome } from "./reach.js";
import { endpointAddress, listenerOf, type Connection, type Lookup, type NetHost, type NetWorld } from "./traffic.js";
import { EMBEDDED_DNS } from "./types.js";

/** An overlay network of the swarm (the ingress network among them). */
export interface OverlayNetwork {
  readonly id: string;
  readonly name: string;
  /** "10.0.1.0/24". */
  readonly subnet: string;
  readonly ingress: boolean;
  /** The VXLAN network identifier (4096 for ingress, then one per network). */
  readonly vni: number;
  /** `--opt encrypted`: VXLAN between nodes goes in IPsec ESP (drivers/overlay/encryption.go). */
  readonly encrypted?: boolean;
}

export interface OverlayPort {
  readonly protocol: string;
  readonly targetPort: number;
  readonly publishedPort: number;
  readonly publishMode: "ingress" | "host";
}

export interface OverlayService {
  readonly id: string;
  readonly name: string;
  readonly endpointMode: "vip" | "dnsrr";
  /** The service's virtual IP on each of its networks (vip mode), bare addresses. */
  readonly vips: readonly { readonly networkId: string; readonly ip: string }[];
  readonly ports: readonly OverlayPort[];
  /** libnetwork's firewall mark for the service (from 256, one per service). */
  readonly fwmark: number;
}

/** A task the store says is running, where it runs, and its addresses on its networks. */
export interface OverlayTask {
  readonly id: string;
  readonly serviceId: string;
  /** "web.2". */
  readonly name: string;
  /** The world host it runs on. */
  readonly host: string;
  /** Its container on that host's engine ("" when not reported yet). */
  readonly containerId: string;
  readonly addresses: readonly { readonly networkId: string; readonly ip: string }[];
  /**
   * A standalone container on an attachable overlay (serviceId ""): `name` is its container name,
   * and these its `--network-alias` names, which the embedded DNS answers on its networks.
   */
  readonly aliases?: readonly string[];
}

/** The swarm's networks, services and running tasks, from the leader's committed store. */
export interface SwarmNetView {
  readonly networks: readonly OverlayNetwork[];
  readonly services: readonly OverlayService[];
  /** Running tasks (status RUNNING, desired state RUNNING or, a job's, COMPLETE), in slot order. */
  readonly tasks: readonly OverlayTask[];
  /**
   * The IPVS round-robin choice for an IPVS service (`key`) among `n` real servers: the world
   * keeps the position and advances it (a read-only view answers without advancing).
   */
  pick(key: string, n: number): number;
}

/** The ingress sandbox's address on docker_gwbridge (libnetwork: the first address after the bridge's gateway). */
export const INGRESS_SBOX_IP = "172.18.0.2";
/** VXLAN's IANA port, which the overlay driver uses (drivers/overlay: vxlanPort 4789). */
export const VXLAN_PORT = 4789;
/** The mark of encrypted overlays' VXLAN packets and their xfrm policy (drivers/overlay/encryption.go: 0xD0C4E3). */
const ESP_MARK = 0xd0c4e3;

const inSubnet = (n: OverlayNetwork, ip: string) => {
  const p = parsePrefix4(n.subnet);
  const a = parseIp4(ip);
  return p !== null && a !== null && prefixContains(p, a);
};

/**
 * The running task a container of host `host` is, if it is one; otherwise, a container (running,
 * or starting: a program's plan is made as it starts) configured for swarm networks (a task the store does not say is running yet, or a standalone
 * container on an attachable overlay) as a task of no service on those networks: its sandbox is
 * on them, so their service records are its embedded DNS server's, as libnetwork's are.
 */
function taskOf(view: SwarmNetView, host: string, c: Container | null): OverlayTask | undefined {
  if (c === null) return undefined;
  const t = view.tasks.find((x) => x.host === host && x.containerId === c.id);
  if (t) return t;
  const addresses = c.networks.map((a) => view.networks.find((n) => n.name === a.network || n.id === a.network))
    .filter((n): n is OverlayNetwork => n !== undefined)
    .map((n) => ({ networkId: n.id, ip: c.networks.find((a) => a.network === n.name || a.network === n.id)!.ipv4Address }));
  return addresses.length === 0 ? undefined : { id: c.id, serviceId: "", name: c.name, host, containerId: c.id, addresses };
}

/** The overlay networks a task is attached to, ingress last (service discovery never runs on ingress). */
function networksOfTask(view: SwarmNetView, t: OverlayTask): OverlayNetwork[] {
  return t.addresses.map((a) => view.networks.find((n) => n.id === a.networkId)).filter((n): n is OverlayNetwork => n !== undefined)
    .sort((a, b) => Number(a.ingress) - Number(b.ingress));
}

const tasksOf = (view: SwarmNetView, serviceId: string) => view.tasks.filter((t) => t.serviceId === serviceId);
const addrOn = (t: OverlayTask, networkId: string) => t.addresses.find((a) => a.networkId === networkId)?.ip;

/**
 * The embedded DNS server of a task's sandbox for swarm names (libnetwork resolver.go, service
 * records gossiped per network): `<service>` is the VIP on a network both share (vip mode) or
 * the running tasks' addresses (dnsrr), `tasks.<service>` the running tasks' addresses. Only
 * networks the asking task is on, never ingress. Null: not a swarm name for this container.
 */
export function overlayLookup(view: SwarmNetView, host: string, c: Container | null, name: string, from: string): Lookup | null {
  const me = taskOf(view, host, c);
  if (!me) return null;
  const wanted = name.toLowerCase().replace(/\.$/, "");
  const tasksPrefix = wanted.startsWith("tasks.");
  const svcName = tasksPrefix ? wanted.slice("tasks.".length) : wanted;
  const svc = view.services.find((s) => s.name.toLowerCase() === svcName);
  if (!svc) return tasksPrefix ? null : containerLookup(view, me, host, name, wanted, from);
  for (const n of networksOfTask(view, me)) {
    if (n.ingress) continue;
    const running = tasksOf(view, svc.id).map((t) => addrOn(t, n.id)).filter((a): a is string => a !== undefined);
    const vip = svc.vips.find((v) => v.networkId === n.id);
    const onNet = vip !== undefined || running.length > 0;
    if (!onNet) continue;
    const query = { from, to: host };
    if (!tasksPrefix && svc.endpointMode === "vip" && vip) {
      return { name, addresses: [vip.ip], server: EMBEDDED_DNS, reason: `embedded DNS: ${svc.name} is a service on ${n.name}: its virtual IP`, query };
    }
    const why = tasksPrefix ? `tasks.${svc.name}: the running tasks' addresses on ${n.name}` : `${svc.name} (endpoint mode dnsrr): its running tasks' addresses on ${n.name}`;
    return { name, addresses: running, server: EMBEDDED_DNS, reason: `embedded DNS: ${why}`, query };
  }
  return null;
}

/**
 * A standalone container's name or alias on a network the asker shares (libnetwork's service
 * records: its endpoint's name and aliases, gossiped with it), wherever it runs. Its own node's
 * containers are its engine's embedded DNS's as well; this answers for the whole swarm.
 */
function containerLookup(view: SwarmNetView, me: OverlayTask, host: string, name: string, wanted: string, from: string): Lookup | null {
  for (const n of networksOfTask(view, me)) {
    if (n.ingress) continue;
    const hits = view.tasks.filter((t) => t.serviceId === "" && (t.name.toLowerCase() === wanted || (t.aliases ?? []).some((a) => a.toLowerCase() === wanted)));
    const addresses = hits.map((t) => addrOn(t, n.id)).filter((a): a is string => a !== undefined);
    if (addresses.length === 0) continue;
    const where = hits.map((t) => t.host).filter((x, i, all) => all.indexOf(x) === i).join(", ");
    return { name, addresses, server: EMBEDDED_DNS, reason: `embedded DNS: ${wanted} is a container on ${n.name} (on ${where}, from the network's gossip)`, query: { from, to: host } };
  }
  return null;
}

/** Whether a container is a running task (its sandbox's resolver is the embedded DNS server, which forwards what it does not know). */
export function isSwarmTask(view: SwarmNetView, host: string, c: Container | null): boolean {
  return taskOf(view, host, c) !== undefined;
}

/** The kernel address a container sends from (its first interface with an address), or its host. */
function kernelFrom(h: NetHost, c: Container | null): string {
  if (c === null) return h.name;
  const e = gatewayEndpoint(h.engine.networks, c.id) ?? endpointsOf(h.engine.networks, c.id).find((x) => x.ip !== null);
  return e ? endpointAddress(h.name, e) : h.name;
}

/** The last leg: over the overlay (VXLAN when the task runs elsewhere) into the task's container and its listener. */
function toTask(world: NetWorld, view: SwarmNetView, fromHost: NetHost, n: OverlayNetwork, t: OverlayTask, port: number, proto: string, hops: Hop[], from: string, baseUs: number): Connection {
  const dst = world.hosts.find((x) => x.name === t.host);
  const ip = addrOn(t, n.id) ?? "";
  let rtt = baseUs + 2 * LOCAL_LATENCY_US;
  if (t.host !== fromHost.name) {
    hops.push({ kind: "interface", at: `vxlan0 (${n.name})`, detail: `VXLAN VNI ${n.vni}: encapsulated in UDP ${VXLAN_PORT}, ${fromHost.ip} → ${dst?.ip ?? t.host} (${fromHost.name} → ${t.host})` });
    if (n.encrypted === true) {
      // libnetwork encryption.go: programMangle marks the network's VXLAN packets, and an xfrm policy
      // on that mark puts them in ESP transport mode (AES-GCM) between the two nodes.
      hops.push({
        kind: "iptables", at: `xfrm (${n.name})`,
        detail: `IPsec ESP (rfc4106(gcm(aes)), transport mode) on the VXLAN packets of ${n.name}, ${fromHost.ip} → ${dst?.ip ?? t.host}: the kernel's xfrm policy (mark 0x${ESP_MARK.toString(16)}) encrypts them`,
        rule: `-t mangle -A OUTPUT -p udp -m udp --dport ${VXLAN_PORT} -m u32 --u32 "0x0>>0x16&0x3c@0xc&0xffffff00=0x${(n.vni << 8).toString(16)}" -j MARK --set-xmark 0x${ESP_MARK.toString(16)}/0xffffffff`,
      });
    }
    hops.push({ kind: "interface", at: "wire", detail: `${fromHost.name} → ${t.host}` });
    hops.push({ kind: "interface", at: `vxlan0 (${n.name})`, detail: `decapsulated on ${t.host}` });
    rtt += 2 * (world.wireUs ?? 1_000);
  }
  hops.push({ kind: "bridge", at: `br0 (${n.name})`, detail: `the overlay's bridge on ${t.host}: ${ip} is ${t.name}` });
  const c = dst?.engine.containers.get(t.containerId);
  const e = dst && c ? gatewayEndpoint(dst.engine.networks, c.id) ?? endpointsOf(dst.engine.networks, c.id).find((x) => x.ip !== null) : undefined;
  const to = dst && e ? endpointAddress(dst.name, e) : t.host;
  const done = (outcome: Outcome): Connection => ({
    outcome, hops, decidedBy: hops[hops.length - 1]!, from, to,
    server: dst && c ? { host: dst.name, container: c, port, program: proto === "icmp" ? null : listenerOf(c, port), ip } : null,
    ttl: 64, rttUs: rtt,
  });
  if (!dst || !c || !c.state.running) {
    hops.push({ kind: "process", at: `${t.name}:${port}`, detail: `${t.name}'s container is not running on ${t.host}: nothing answers` });
    return done("timeout");
  }
  hops.push({ kind: "veth", at: `br0 → ${t.name}`, detail: `into the task's namespace on ${n.name}` });
  if (proto === "icmp" || listenerOf(c, port) !== null) {
    hops.push({ kind: "process", at: `${t.name}:${port}`, detail: proto === "icmp" ? "the kernel answers the echo" : `a process listens on ${port}/${proto}` });
    return done("connected");
  }
  hops.push({ kind: "process", at: `${t.name}:${port}`, detail: `nothing listens on ${port}/${proto}: connection refused` });
  return done("refused");
}

/** IPVS's choice among a service's running tasks on a network, round robin per IPVS service. */
function ipvsPick(view: SwarmNetView, svc: OverlayService, n: OverlayNetwork, key: string, hops: Hop[]): OverlayTask | null {
  const backends = tasksOf(view, svc.id).filter((t) => addrOn(t, n.id) !== undefined);
  if (backends.length === 0) return null;
  const t = backends[view.pick(key, backends.length) % backends.length]!;
  hops.push({
    kind: "proxy", at: `ipvs FWM ${svc.fwmark} rr`,
    detail: `${backends.length} real server${backends.length === 1 ? "" : "s"} (${backends.map((b) => addrOn(b, n.id)).join(", ")}): round robin picks ${addrOn(t, n.id)} (${t.name} on ${t.host}), masqueraded`,
  });
  return t;
}

/**
 * A connection from a task's container to an address on one of its overlay networks (not
 * ingress): a service's VIP (IPVS in the sandbox picks a task) or a task's own address. Null when
 * the destination is not on a swarm network the sender is on (the engine's rules decide then).
 */
export function overlayConnect(world: NetWorld, view: SwarmNetView, h: NetHost, c: Container | null, ip: string, port: number, proto: string): Connection | null {
  const me = taskOf(view, h.name, c);
  if (!me) return null;
  const n = networksOfTask(view, me).find((x) => !x.ingress && inSubnet(x, ip));
  if (!n) return null;
  const from = kernelFrom(h, c);
  const hops: Hop[] = [{ kind: "route", at: `${me.name} (${n.name})`, detail: `${ip} is on ${n.name} (${n.subnet}): sent on the overlay` }];
  const svc = view.services.find((s) => s.vips.some((v) => v.networkId === n.id && v.ip === ip));
  if (svc && proto === "icmp") {
    // IPVS balances TCP and UDP only; libnetwork adds the VIP to the sandbox's interface as a
    // secondary address so that a ping to it is answered (moby/moby#33770): by the sender's own kernel.
    hops.push({ kind: "loopback", at: `${me.name} (${n.name})`, detail: `${ip} (the VIP of ${svc.name}) is a secondary address of this sandbox's interface: its own kernel answers the echo (IPVS balances TCP and UDP only)` });
    return { outcome: "connected", hops, decidedBy: hops[hops.length - 1]!, from, to: from, server: { host: h.name, container: c, port: 0, program: null, ip }, ttl: 64, rttUs: 0 };
  }
  if (svc) {
    hops.push({ kind: "iptables", at: "mangle OUTPUT", detail: `the sandbox marks packets to the VIP of ${svc.name}`, rule: `-t mangle -A OUTPUT -d ${ip}/32 -j MARK --set-xmark 0x${svc.fwmark.toString(16)}/0xffffffff` });
    const t = ipvsPick(view, svc, n, `vip/${h.name}/${me.id}/${ip}`, hops);
    if (!t) {
      hops.push({ kind: "proxy", at: `ipvs FWM ${svc.fwmark}`, detail: `${svc.name} has no running task: IPVS has no real server, the packet is dropped` });
      return { outcome: "timeout", hops, decidedBy: hops[hops.length - 1]!, from, to: h.name, server: null, ttl: 64, rttUs: 0 };
    }
    return toTask(world, view, h, n, t, port, proto, hops, from, 0);
  }
  const t = view.tasks.find((x) => addrOn(x, n.id) === ip);
  if (!t) {
    hops.push({ kind: "bridge", at: `br0 (${n.name})`, detail: `no task has ${ip} on ${n.name}: no ARP reply (No route to host)` });
    return { outcome: "unreachable", hops, decidedBy: hops[hops.length - 1]!, from, to: h.name, server: null, ttl: 64, rttUs: 0 };
  }
  return toTask(world, view, h, n, t, port, proto, hops, from, 0);
}

/** The service publishing `port/proto` in ingress mode, if any. */
export function ingressService(view: SwarmNetView, port: number, proto: string): { svc: OverlayService; p: OverlayPort } | null {
  for (const svc of view.services) {
    const p = svc.ports.find((x) => x.publishMode === "ingress" && x.publishedPort === port && x.protocol === proto);
    if (p) return { svc, p };
  }
  return null;
}

/**
 * The routing mesh on node `node`: a connection to one of its addresses (or its loopback) on a
 * port a service publishes in ingress mode, when nothing on the node itself answers there. The
 * host's DOCKER-INGRESS rule sends it to the ingress sandbox, whose IPVS picks a running task of
 * the service (round robin per node), then the ingress overlay carries it to the task. Null when
 * no service publishes the port (nothing changes: the node refuses it). With no running task the
 * rules are gone with the last backend (libnetwork removes the ingress DNAT then), so the node
 * refuses it.
 */
export function ingressConnect(world: NetWorld, view: SwarmNetView, node: NetHost, port: number, proto: string, from: string, before: readonly Hop[], baseUs: number): Connection | null {
  if (proto === "icmp") return null;
  const found = ingressService(view, port, proto);
  if (!found) return null;
  const { svc, p } = found;
  const ingress = view.networks.find((n) => n.ingress);
  const hops: Hop[] = [...before];
  const backends = ingress ? tasksOf(view, svc.id).filter((t) => addrOn(t, ingress.id) !== undefined) : [];
  if (!ingress || backends.length === 0) {
    hops.push({ kind: "process", at: `${node.name}:${port}`, detail: `${svc.name} has no running task: the routing mesh's rules for ${port}/${proto} left with its last backend; nothing listens: connection refused` });
    return { outcome: "refused", hops, decidedBy: hops[hops.length - 1]!, from, to: node.name, server: { host: node.name, container: null, port, program: null, ip: node.ip }, ttl: 64, rttUs: baseUs + 2 * LOCAL_LATENCY_US };
  }
  hops.push({ kind: "iptables", at: "nat DOCKER-INGRESS", detail: `${svc.name} publishes ${port}/${proto}: DNAT to the ingress sandbox`, rule: `-t nat -A DOCKER-INGRESS -p ${proto} -m ${proto} --dport ${port} -j DNAT --to-destination ${INGRESS_SBOX_IP}:${port}` });
  hops.push({ kind: "bridge", at: "docker_gwbridge", detail: `to ingress_sbox (${INGRESS_SBOX_IP}) on ${node.name}` });
  hops.push({ kind: "iptables", at: "ingress_sbox mangle PREROUTING", detail: `marks ${port}/${proto} for ${svc.name}`, rule: `-t mangle -A PREROUTING -p ${proto} -m ${proto} --dport ${port} -j MARK --set-xmark 0x${svc.fwmark.toString(16)}/0xffffffff` });
  const t = ipvsPick(view, svc, ingress, `ingress/${node.name}/${proto}/${port}`, hops)!;
  return toTask(world, view, node, ingress, t, p.targetPort, proto, hops, from, baseUs);
}
