// Traffic between the world's hosts and their containers, decided as a pure function of their
// engines: a name looked up as the asker's resolver does (its /etc/hosts, the embedded DNS server
// on user-defined networks, the host's nameserver for the LAN and the internet), and a connection
// (TCP, UDP or an ICMP echo) from a container or a host to an address and port, hop by hop
// through reach.ts on the sender's host and, when it leaves for another host of the world, on the
// receiver's. The result names the kernel addresses the exchange runs between (a container's
// endpoint below its host, or a host), so the world can carry it through the kernel's endpoints
// in virtual time, and the round trip a batch run (a script in a container) charges its clock.
import { LOCAL_LATENCY_US, type Micros } from "@drydock/kernel";
import type { EngineState } from "../engine.js";
import type { Container } from "../containers/types.js";
import type { FsDir } from "../fs/index.js";
import { unit } from "../util/det.js";
import { endpointsOf, gatewayEndpoint } from "./endpoints.js";
import { formatIp4, parseIp4, prefixContains } from "./ip.js";
import { reachable, type Hop, type Outcome, type Reach } from "./reach.js";
import { resolveName } from "./dns.js";
import { EMBEDDED_DNS, type Endpoint } from "./types.js";
import { ingressConnect, isSwarmTask, overlayConnect, overlayLookup, type SwarmNetView } from "./overlay.js";
import { internetAddress } from "./internet.js";
import { kubeConnect, kubeLookup, kubeSource, nodePortConnect, type KubeNetView } from "./kube.js";

/** One host of the world as traffic sees it. */
export interface NetHost {
  readonly name: string;
  /** Its address on the LAN (eth0). */
  readonly ip: string;
  readonly engine: EngineState;
  /** Its disk (bind mounts a server reads its files through). */
  readonly fs: FsDir;
  /** A process on the host itself listening on a port (a registry started at its prompt), by program name. */
  readonly listens?: (port: number, proto: string) => string | null;
}

export interface NetWorld {
  readonly hosts: readonly NetHost[];
  /** One-way latency across the wire between two hosts, for estimates (the kernel draws the real one). */
  readonly wireUs?: Micros;
  /** The swarm's overlays, services and running tasks (overlay.ts), when the hosts are in a swarm. */
  readonly swarm?: SwarmNetView;
  /** Kubernetes' data path (kube.ts: kube-proxy, the pod network, CoreDNS, NetworkPolicy), when the hosts run it. */
  readonly kube?: KubeNetView;
}

/** Who sends: a container (full ID) on a host, or the host's own shell. */
export interface Source {
  readonly host: string;
  readonly container: string | null;
}

/** The LAN's nameserver (the hosts' /etc/resolv.conf, and the containers' on the default bridge). */
export const LAN_DNS = "10.0.0.2";

/** The address host number `i` (0-based) of the world has on its LAN. */
export function lanAddress(i: number): string {
  return `10.0.0.${11 + i}`;
}

/** The kernel's id of a container's endpoint below its host: "web:eth0@node1". */
export function endpointAddress(host: string, e: Endpoint): string {
  return `${e.name}:${e.ifName}@${host}`;
}

/** The hops from a container's endpoint up to its host, as the kernel's attach takes them (its own interface first). */
export function endpointPath(table: EngineState["networks"], e: Endpoint): string[] {
  const n = table.networks.get(e.networkId);
  return [`${e.name}:${e.ifName}`, e.vethHost, n?.bridge ?? "docker0"];
}

/** Every endpoint a host's containers have on a bridge, as kernel attachments (id → path). */
export function kernelEndpoints(host: string, engine: EngineState): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of engine.networks.endpoints.values()) {
    if (e.ifName === "" || e.ip === null) continue;
    out.set(endpointAddress(host, e), endpointPath(engine.networks, e));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Names

export interface Lookup {
  readonly name: string;
  /** The addresses answered, in order (empty: the name does not resolve). */
  readonly addresses: readonly string[];
  /** Who answered: "127.0.0.11" (the embedded DNS server), the LAN's nameserver, "/etc/hosts", or "" for an address literal. */
  readonly server: string;
  /** Why, in words for the trace and the visualiser. */
  readonly reason: string;
  /** The query's kernel ends (a container's endpoint → its host, which runs the embedded DNS), or null when answered locally. */
  readonly query: { readonly from: string; readonly to: string } | null;
}

/** A name on the internet: internet.ts (well-known sites, special-use domains, derived addresses). */
export { internetAddress };

function hostOf(world: NetWorld, name: string): NetHost {
  const h = world.hosts.find((x) => x.name === name);
  if (!h) throw new Error(`traffic: no host ${name}`);
  return h;
}

/** The container whose network namespace `c` lives in: itself, or X for `--network container:X`. */
export function netOwner(engine: EngineState, c: Container): Container {
  const mode = c.hostConfig.networkMode;
  if (!mode.startsWith("container:")) return c;
  const ref = mode.slice("container:".length);
  const byName = engine.containerNames.get(ref);
  const other = engine.containers.get(ref) ?? (byName !== undefined ? engine.containers.get(byName) : undefined)
    ?? [...engine.containers.values()].find((x) => x.id.startsWith(ref));
  return other ?? c;
}

function containerOf(h: NetHost, id: string | null): Container | null {
  const c = id === null ? undefined : h.engine.containers.get(id);
  return c === undefined ? null : netOwner(h.engine, c);
}

/** The kernel address a source sends from toward `dst` (the endpoint its route uses), or its host. */
function sourceAddress(h: NetHost, c: Container | null, dst: string | null): string {
  if (c === null) return h.name;
  const eps = endpointsOf(h.engine.networks, c.id).filter((e) => e.ip !== null);
  const d = dst === null ? null : parseIp4(dst);
  const onNet = d === null ? undefined : eps.find((e) => {
    const n = h.engine.networks.networks.get(e.networkId);
    return n?.subnet ? prefixContains(n.subnet, d) : false;
  });
  const e = onNet ?? gatewayEndpoint(h.engine.networks, c.id) ?? eps[0];
  return e ? endpointAddress(h.name, e) : h.name;
}

/**
 * getaddrinfo as the asker does it: an address literal; /etc/hosts (localhost, its own hostname);
 * on a user-defined network the embedded DNS server (container names, aliases, round robin over a
 * scaled service), which forwards the rest; the LAN's nameserver (the world's hosts by name, the
 * internet's names). A container on `--network none` has no nameserver it can reach.
 */
export function lookupName(world: NetWorld, src: Source, name: string): Lookup {
  const h = hostOf(world, src.host);
  const c = containerOf(h, src.container);
  const wanted = name.toLowerCase().replace(/\.$/, "");
  if (parseIp4(wanted) !== null) return { name, addresses: [wanted], server: "", reason: "an address", query: null };
  if (wanted === "localhost" || wanted === "ip6-localhost") return { name, addresses: ["127.0.0.1"], server: "/etc/hosts", reason: "/etc/hosts: localhost", query: null };
  // A container's own sandbox (it may be starting: its endpoints exist before its process does).
  const own = c !== null && c.hostConfig.networkMode !== "host" ? endpointsOf(h.engine.networks, c.id).filter((e) => e.ip !== null) : [];
  if (c === null || c.hostConfig.networkMode === "host") {
    if (wanted === h.name.toLowerCase()) return { name, addresses: ["127.0.1.1"], server: "/etc/hosts", reason: "/etc/hosts: the host's own name", query: null };
  } else if (wanted === c.config.hostname.toLowerCase() && own.length > 0) {
    return { name, addresses: [formatIp4(own[0]!.ip!)], server: "/etc/hosts", reason: "/etc/hosts: the container's own hostname", query: null };
  }
  const from = sourceAddress(h, c, null);
  if (c !== null && c.hostConfig.networkMode !== "host") {
    if (own.length === 0) return { name, addresses: [], server: "", reason: "no network interface but lo: no nameserver is reachable", query: null };
    // A pod's resolver is CoreDNS (kube.ts): cluster names first.
    const kubeName = world.kube ? kubeLookup(world.kube, h, c, name, from) : null;
    if (kubeName) return kubeName;
    const swarmName = world.swarm ? overlayLookup(world.swarm, h.name, c, name, from) : null;
    if (swarmName) return swarmName;
    const r = resolveName(h.engine.networks, c.id, name);
    if (r.addresses.length > 0) return { name, addresses: r.addresses, server: EMBEDDED_DNS, reason: r.reason, query: { from, to: h.name } };
    const lan = lanLookup(world, wanted);
    // A swarm task's sandbox is on swarm-scoped networks: its resolver is the embedded DNS server (overlay.ts).
    const server = r.server === EMBEDDED_DNS || (world.swarm !== undefined && isSwarmTask(world.swarm, h.name, c)) ? EMBEDDED_DNS : LAN_DNS;
    if (lan) return { name, addresses: [lan.ip], server, reason: `${server === EMBEDDED_DNS ? "embedded DNS forwards to the host's nameserver: " : "the host's nameserver: "}${lan.why}`, query: { from, to: h.name } };
    return { name, addresses: [], server, reason: r.reason, query: { from, to: h.name } };
  }
  const lan = lanLookup(world, wanted);
  if (lan) return { name, addresses: [lan.ip], server: LAN_DNS, reason: `the LAN's nameserver: ${lan.why}`, query: null };
  return { name, addresses: [], server: LAN_DNS, reason: `the LAN's nameserver does not know ${name}`, query: null };
}

function lanLookup(world: NetWorld, wanted: string): { ip: string; why: string } | null {
  const host = world.hosts.find((x) => x.name.toLowerCase() === wanted);
  if (host) return { ip: host.ip, why: `${host.name} is a host of this world` };
  const pub = internetAddress(wanted);
  return pub ? { ip: pub, why: `${wanted} is on the internet` } : null;
}

// ---------------------------------------------------------------------------------------------
// Connections

/** The process that answered a connection (null fields: the host's own stack or the internet). */
export interface Server {
  readonly host: string;
  readonly container: Container | null;
  readonly port: number;
  /** The listening program ("nginx", "registry", …), null for the kernel (an ICMP echo) or the internet. */
  readonly program: string | null;
  /** The address the client connected to (after DNAT, the container's). */
  readonly ip: string;
}

export interface Connection {
  readonly outcome: Outcome;
  readonly hops: readonly Hop[];
  readonly decidedBy: Hop;
  /** Kernel ends: where the packet leaves, and where it is answered, refused or dropped. Equal for the container's own loopback. */
  readonly from: string;
  readonly to: string;
  /** Who answered (connected), or who refused it. */
  readonly server: Server | null;
  /** The hop limit the reply arrives with (ping's ttl=). */
  readonly ttl: number;
  /** The round trip an estimate gives (a batch run's clock; a live run measures the kernel's). */
  readonly rttUs: Micros;
}

/** The program listening on `port` in a container (its PID 1's plan or an exec'd process), null when none does. */
export function listenerOf(c: Container, port: number): string | null {
  const r = c.run;
  if (r === null || c.state.restarting) return null;
  if (r.plan.ports.includes(port)) return r.plan.program;
  for (const e of c.execs) if (e.running && e.plan.ports.includes(port)) return e.plan.program;
  return null;
}

function reachOn(h: NetHost, from: Parameters<typeof reachable>[1], ip: string, port: number, proto: string): Reach {
  const icmp = proto === "icmp";
  return reachable(h.engine.networks, from, ip, port, {
    protocol: proto as "tcp",
    hostIp: h.ip,
    listening: (id, p) => {
      if (icmp) return true;
      const c = h.engine.containers.get(id);
      return c !== undefined && listenerOf(c, p) !== null;
    },
    hostListening: (p, pr) => icmp || (h.listens?.(p, pr) ?? null) !== null,
  });
}

/** Where a reach decided, as a kernel address on host `h`. */
function decidedAt(h: NetHost, r: Reach): string {
  const t = r.target;
  if (t && t.kind === "container" && t.endpoint !== "") {
    const e = h.engine.networks.endpoints.get(t.endpoint);
    if (e) return endpointAddress(h.name, e);
  }
  return h.name;
}

function serverOf(h: NetHost, r: Reach, proto: string): Server | null {
  const t = r.target;
  if (!t) return null;
  if (t.kind === "container") {
    const c = h.engine.containers.get(t.id) ?? null;
    return { host: h.name, container: c, port: t.port, program: proto === "icmp" || c === null ? null : listenerOf(c, t.port), ip: t.ip };
  }
  if (t.kind === "host") return { host: h.name, container: null, port: t.port, program: proto === "icmp" ? null : h.listens?.(t.port, proto) ?? null, ip: h.ip };
  return null;
}

/** A connection attempt from `src` to `ip:port` (ICMP: port 0), decided hop by hop. */
export function connect(world: NetWorld, src: Source, ip: string, port: number, proto: "tcp" | "udp" | "icmp" = "tcp"): Connection {
  const h = hostOf(world, src.host);
  const c = containerOf(h, src.container);
  const wire = world.wireUs ?? 1_000;
  const peer = c !== null ? { kind: "container" as const, id: c.id } : { kind: "host" as const };
  const from = sourceAddress(h, c, ip);
  // A task's container to an address on one of its overlays (a VIP, a task): overlay.ts.
  const overlay = world.swarm && c !== null ? overlayConnect(world, world.swarm, h, c, ip, port, proto) : null;
  if (overlay) return overlay;
  // A ClusterIP or a pod's address: kube-proxy and the pod network (kube.ts).
  const kubeHere = world.kube ? kubeConnect(world, world.kube, h, c, ip, port, proto, from) : null;
  if (kubeHere) return kubeHere;
  const r1 = reachOn(h, peer, ip, port, proto);
  // Nothing on the host answers: the routing mesh may (a port a swarm service publishes).
  // Docker inserts its DOCKER-INGRESS jump first in nat PREROUTING, so a port a swarm service
  // publishes is the mesh's; any other may be a Kubernetes NodePort (kube-proxy's KUBE-NODEPORTS).
  const mesh = (x: NetHost, r: Reach, before: readonly Hop[], baseUs: number): Connection | null => {
    if (r.outcome !== "refused" || r.target?.kind !== "host") return null;
    const hops = [...before, ...r.hops.slice(0, -1)];
    return (world.swarm ? ingressConnect(world, world.swarm, x, port, proto, from, hops, baseUs) : null)
      ?? (world.kube ? nodePortConnect(world, world.kube, x, port, proto, from, hops, baseUs, x === h ? kubeSource(world.kube, h, c) : { ip: x.ip }) : null);
  };
  const meshHere = mesh(h, r1, [], 0);
  if (meshHere) return meshHere;
  const local = (r: Reach, x: NetHost, extraUs = 0, ttl = 64): Connection => {
    const to = decidedAt(x, r);
    const loop = r.target?.kind === "container" && r.target.endpoint === "";
    const hops = loop ? 0 : 2;
    return {
      outcome: r.outcome, hops: r.hops, decidedBy: r.decidedBy, from, to: loop ? from : to, server: serverOf(x, r, proto), ttl,
      rttUs: hops * LOCAL_LATENCY_US + extraUs,
    };
  };
  if (r1.outcome !== "connected" || r1.target?.kind !== "external") return local(r1, h);
  // Out of the host: another host of the world, or the internet.
  const other = world.hosts.find((x) => x.ip === ip && x.name !== h.name);
  if (other) {
    const srcIp = h.ip;
    const r2 = reachOn(other, { kind: "external", ip: srcIp }, ip, port, proto);
    const wireHop: Hop = { kind: "interface", at: "wire", detail: `${h.name} → ${other.name}` };
    const meshThere = mesh(other, r2, [...r1.hops, wireHop], 2 * wire);
    if (meshThere) return meshThere;
    const hops: Hop[] = [...r1.hops, wireHop, ...r2.hops];
    return {
      outcome: r2.outcome, hops, decidedBy: hops[hops.length - 1]!, from, to: decidedAt(other, r2), server: serverOf(other, r2, proto),
      ttl: c !== null ? 63 : 64, rttUs: 2 * (wire + LOCAL_LATENCY_US),
    };
  }
  // The internet: ICMP and the web ports answer; a container's packets are masqueraded on the way.
  const answered = proto === "icmp" || port === 80 || port === 443;
  const hops: Hop[] = [...r1.hops, { kind: "interface", at: "internet", detail: answered ? `${ip} answers` : `${ip}: nothing answers on ${port}/${proto}` }];
  const rtt = ip === "8.8.8.8" ? 11_400 : 8_000 + Math.floor(unit(ip) * 30_000);
  return {
    outcome: answered ? "connected" : "timeout", hops, decidedBy: hops[hops.length - 1]!, from, to: h.name,
    server: answered ? { host: "", container: null, port, program: null, ip } : null,
    ttl: ip === "8.8.8.8" ? 118 : 50 + Math.floor(unit(`ttl${ip}`) * 70), rttUs: rtt,
  };
}

export type { Outcome, Hop };
export { formatIp4 };
