// Can this request get there? A pure decision over the network table and Docker's rules, hop by
// hop, for a TCP/UDP connection from a container, the host or a machine outside to an address and
// port: the route out of the sender, the veth pair and the bridge, the iptables hooks (raw, nat,
// filter, as the kernel runs them for a routed or a bridged packet), the userland proxy behind a
// published port, and the process (or nothing) listening. The verdict names the hop that decided:
// delivered to a listener ("connected"), a reset ("refused": nothing listens), a rule's DROP
// ("timeout"), or no route ("unreachable"). Traffic carried in time (latency per hop) is built on
// these hops by the world once containers exist.
import { evaluate, firewallRules, ruleSpec, type IptRule, type Packet } from "./firewall.js";
import { formatIp4, parseIp4, prefixContains } from "./ip.js";
import { endpointsOf, gatewayEndpoint } from "./endpoints.js";
import type { Endpoint, Network, NetworkTable } from "./types.js";

export type Peer =
  | { readonly kind: "container"; readonly id: string }
  | { readonly kind: "host" }
  /** A machine on the host's LAN (another node, the learner's laptop). */
  | { readonly kind: "external"; readonly ip?: string };

export type HopKind = "process" | "route" | "veth" | "bridge" | "iptables" | "proxy" | "interface" | "loopback";

export interface Hop {
  readonly kind: HopKind;
  /** What the hop is: "web eth0", "veth1a2b3c4", "docker0", "filter FORWARD", "docker-proxy 0.0.0.0:8080". */
  readonly at: string;
  /** What happened there. */
  readonly detail: string;
  /** The iptables rule, as `iptables -S` prints it, when a rule acted. */
  readonly rule?: string;
}

export type Outcome = "connected" | "refused" | "timeout" | "unreachable";

export interface Reach {
  readonly outcome: Outcome;
  readonly hops: readonly Hop[];
  /** The hop that decided the outcome (the last one). */
  readonly decidedBy: Hop;
  /** Where the connection landed: a container (on the endpoint it arrived at; "" for its loopback), the host, or outside. */
  readonly target: { readonly kind: "container"; readonly id: string; readonly ip: string; readonly port: number; readonly endpoint: string } | { readonly kind: "host"; readonly port: number } | { readonly kind: "external"; readonly ip: string } | null;
  /** The sending container's endpoint the packet left by (null: the host, outside, or its loopback). */
  readonly via: string | null;
}

export interface ReachOptions {
  /** "icmp": an echo request, which the kernel answers (no process needs to listen; no port is published). */
  readonly protocol?: "tcp" | "udp" | "sctp" | "icmp";
  /** Whether a process in a container listens on a port. Default: nothing listens. */
  readonly listening?: (containerId: string, port: number, protocol: string) => boolean;
  /** Whether a process on the host (not docker-proxy) listens on a port. Default: nothing. */
  readonly hostListening?: (port: number, protocol: string) => boolean;
  /** The host's address on its LAN (eth0). Default 10.0.0.2. */
  readonly hostIp?: string;
  /** The host's outside interface. Default eth0. */
  readonly hostIf?: string;
  /** The rules, when the caller has them already (they are derived from the table otherwise). */
  readonly rules?: readonly IptRule[];
}

const fmtRule = (r: IptRule | null) => (r ? `${r.table === "filter" ? "" : `-t ${r.table} `}${ruleSpec(r)}` : undefined);

/**
 * Decides whether `from` can open a connection to `toIp:port`, and says which hop decided.
 * `toIp` is an address (resolve names first with resolveName). 127.0.0.1 from a container is the
 * container itself; from the host it is the host (where docker-proxy listens on published ports).
 */
export function reachable(table: NetworkTable, from: Peer, toIp: string, port: number, opts: ReachOptions = {}): Reach {
  const proto = opts.protocol ?? "tcp";
  const hostIp = opts.hostIp ?? "10.0.0.2";
  const hostIf = opts.hostIf ?? "eth0";
  const rules = opts.rules ?? firewallRules(table);
  const listening = opts.listening ?? (() => false);
  const hostListening = opts.hostListening ?? (() => false);
  const hops: Hop[] = [];
  const bridges = [...table.networks.values()].filter((n) => n.driver === "bridge" && n.subnet !== null && n.gateway !== null);
  const hostAddrs = new Set([hostIp, ...bridges.map((n) => formatIp4(n.gateway!))]);
  const dstIp = parseIp4(toIp);

  let via: string | null = null;
  const done = (outcome: Outcome, target: Reach["target"]): Reach => ({ outcome, hops, decidedBy: hops[hops.length - 1]!, target, via });
  const hop = (kind: HopKind, at: string, detail: string, rule?: IptRule | null) => {
    const r = fmtRule(rule ?? null);
    hops.push(r !== undefined ? { kind, at, detail, rule: r } : { kind, at, detail });
  };
  const containerName = (id: string) => endpointsOf(table, id)[0]?.name ?? id.slice(0, 12);

  // A connection arriving at a container's address on a network: the process listening, or RST.
  const atContainer = (e: Endpoint, n: Network, p: number = port): Reach => {
    hop("veth", `${e.vethHost} → ${containerName(e.containerId)} ${e.ifName}`, `into the container's namespace on ${n.name}`);
    const ip = formatIp4(e.ip!);
    if (listening(e.containerId, p, proto)) {
      hop("process", `${containerName(e.containerId)}:${p}`, `a process listens on ${p}/${proto}`);
      return done("connected", { kind: "container", id: e.containerId, ip, port: p, endpoint: e.id });
    }
    hop("process", `${containerName(e.containerId)}:${p}`, `nothing listens on ${p}/${proto}: connection refused`);
    return done("refused", { kind: "container", id: e.containerId, ip, port: p, endpoint: e.id });
  };

  // A connection arriving at the host itself (INPUT): docker-proxy on a published port, or a host process.
  const atHost = (addr: string, viaBridge: boolean): Reach => {
    const bound = [...table.sandboxes.values()].flatMap((sb) => sb.ports.map((p) => ({ sb, p })))
      .find(({ p }) => p.protocol === proto && p.hostPort === port && (p.hostIp === "0.0.0.0" || p.hostIp === addr || (addr === "127.0.0.1" && p.hostIp === "127.0.0.1")));
    if (bound) {
      const gw = gatewayEndpoint(table, bound.sb.containerId);
      hop("proxy", `docker-proxy ${bound.p.hostIp}:${port}`, `the userland proxy of ${containerName(bound.sb.containerId)} accepts${viaBridge ? " (packets from a bridge skip DNAT)" : ""} and connects to the container`);
      if (!gw || gw.ip === null) return done("refused", null);
      const n = table.networks.get(gw.networkId)!;
      hop("bridge", n.bridge, `routed from the host to ${formatIp4(gw.ip)}:${bound.p.containerPort} on ${n.name}`);
      return atContainer(gw, n, bound.p.containerPort);
    }
    if (hostListening(port, proto)) {
      hop("process", `host:${port}`, `a process on the host listens on ${port}/${proto}`);
      return done("connected", { kind: "host", port });
    }
    hop("process", `host:${port}`, `nothing on the host listens on ${port}/${proto}: connection refused`);
    return done("refused", { kind: "host", port });
  };

  const endpointAt = (n: Network, ip: number) =>
    [...table.endpoints.values()].find((e) => e.networkId === n.id && e.ip === ip);

  // A routed packet after PREROUTING's DNAT: where it goes, through filter FORWARD.
  const forward = (pkt: Packet, fromName: string): Reach => {
    const d = parseIp4(pkt.dst);
    const out = d === null ? undefined : bridges.find((n) => prefixContains(n.subnet!, d));
    const outIf = out ? out.bridge : hostIf;
    const v = evaluate(rules, "filter", "FORWARD", { ...pkt, outIf });
    const decided = v.rule ?? null;
    if (v.target !== "ACCEPT") {
      hop("iptables", "filter FORWARD", decided ? `${fromName} → ${pkt.dst}: dropped by ${decided.chain}` : `${fromName} → ${pkt.dst}: dropped by FORWARD's policy (DROP)`, decided);
      return done("timeout", null);
    }
    hop("iptables", "filter FORWARD", `accepted by ${decided?.chain ?? "FORWARD"}`, decided);
    if (!out) {
      const m = evaluate(rules, "nat", "POSTROUTING", { ...pkt, outIf });
      if (m.target === "MASQUERADE") hop("iptables", "nat POSTROUTING", `source rewritten to ${hostIp} (MASQUERADE)`, m.rule);
      hop("interface", hostIf, `out to ${pkt.dst}`);
      return done("connected", { kind: "external", ip: pkt.dst });
    }
    hop("bridge", out.bridge, `bridge of ${out.name}`);
    const e = endpointAt(out, d!);
    if (!e) {
      hop("bridge", out.bridge, `no container has ${pkt.dst} on ${out.name}: no ARP reply (No route to host)`);
      return done("unreachable", null);
    }
    return atContainer(e, out, pkt.dport);
  };

  if (dstIp === null) {
    hop("route", toIp, "not an IPv4 address");
    return done("unreachable", null);
  }

  if (from.kind === "container") {
    const eps = endpointsOf(table, from.id);
    const me = containerName(from.id);
    const hostMode = eps.some((e) => table.networks.get(e.networkId)?.driver === "host");
    if (hostMode) return reachable(table, { kind: "host" }, toIp, port, opts);
    if (toIp.startsWith("127.")) {
      hop("loopback", `${me} lo`, "the container's own loopback");
      if (listening(from.id, port, proto)) {
        hop("process", `${me}:${port}`, `a process listens on ${port}/${proto}`);
        return done("connected", { kind: "container", id: from.id, ip: toIp, port, endpoint: "" });
      }
      hop("process", `${me}:${port}`, `nothing listens on ${port}/${proto} in this container: connection refused`);
      return done("refused", { kind: "container", id: from.id, ip: toIp, port, endpoint: "" });
    }
    const bridged = eps.filter((e) => e.ip !== null);
    // On one of my networks: straight across the bridge (br_netfilter runs FORWARD on it).
    for (const e of bridged) {
      const n = table.networks.get(e.networkId)!;
      if (!prefixContains(n.subnet!, dstIp)) continue;
      via = e.id;
      hop("route", `${me} ${e.ifName}`, `${toIp} is on ${n.name} (${formatIp4(n.subnet!.addr)}/${n.subnet!.bits}): sent directly`);
      hop("veth", `${me} ${e.ifName} → ${e.vethHost}`, `onto ${n.bridge}`);
      hop("bridge", n.bridge, `bridge of ${n.name}`);
      if (n.gateway === dstIp) return atHost(toIp, true);
      const target = endpointAt(n, dstIp);
      if (!target) {
        hop("bridge", n.bridge, `no container has ${toIp} on ${n.name}: no ARP reply (No route to host)`);
        return done("unreachable", null);
      }
      const v = evaluate(rules, "filter", "FORWARD", { src: formatIp4(e.ip!), dst: toIp, inIf: n.bridge, outIf: n.bridge, proto, dport: port, dstLocal: false });
      if (v.target !== "ACCEPT") {
        hop("iptables", "filter FORWARD", `dropped by ${v.rule?.chain ?? "FORWARD's policy"}`, v.rule);
        return done("timeout", null);
      }
      hop("iptables", "filter FORWARD", `accepted by ${v.rule?.chain ?? "FORWARD"}`, v.rule);
      return atContainer(target, n);
    }
    // Elsewhere: through the default gateway.
    const gw = gatewayEndpoint(table, from.id);
    if (!gw) {
      hop("route", me, bridged.length === 0 ? "no network interface but lo (--network none): Network is unreachable" : "only internal networks: no default route (Network is unreachable)");
      return done("unreachable", null);
    }
    const gn = table.networks.get(gw.networkId)!;
    via = gw.id;
    hop("route", `${me} ${gw.ifName}`, `default route via ${formatIp4(gn.gateway!)} (${gn.name})`);
    hop("veth", `${me} ${gw.ifName} → ${gw.vethHost}`, `onto ${gn.bridge}`);
    hop("bridge", gn.bridge, `to the host, routed`);
    const pkt: Packet = { src: formatIp4(gw.ip!), dst: toIp, inIf: gn.bridge, outIf: "", proto, dport: port, dstLocal: hostAddrs.has(toIp) };
    const raw = evaluate(rules, "raw", "PREROUTING", pkt);
    if (raw.target === "DROP") {
      hop("iptables", "raw PREROUTING", `direct access to ${toIp} from outside its bridge is dropped`, raw.rule);
      return done("timeout", null);
    }
    const nat = evaluate(rules, "nat", "PREROUTING", pkt);
    if (nat.target === "DNAT" && nat.rule?.toDestination) {
      const [ip, p] = nat.rule.toDestination.split(":");
      hop("iptables", "nat PREROUTING", `DNAT to ${nat.rule.toDestination}`, nat.rule);
      return forward({ ...pkt, dst: ip!, dport: Number(p), dstLocal: false }, me);
    }
    if (pkt.dstLocal) {
      if (nat.path.some((r) => r.target === "RETURN")) hop("iptables", "nat DOCKER", `from ${gn.bridge}: no DNAT (the userland proxy answers)`, nat.path.find((r) => r.target === "RETURN"));
      return atHost(toIp, true);
    }
    return forward(pkt, me);
  }

  if (from.kind === "host") {
    if (toIp.startsWith("127.") || hostAddrs.has(toIp)) {
      // nat OUTPUT: DNAT for the host's own addresses but not loopback.
      const pkt: Packet = { src: hostIp, dst: toIp, inIf: "", outIf: "", proto, dport: port, dstLocal: true };
      const nat = evaluate(rules, "nat", "OUTPUT", pkt);
      if (nat.target === "DNAT" && nat.rule?.toDestination) {
        const [ip, p] = nat.rule.toDestination.split(":");
        hop("iptables", "nat OUTPUT", `DNAT to ${nat.rule.toDestination}`, nat.rule);
        const e = [...table.endpoints.values()].find((x) => x.ip === parseIp4(ip!));
        if (!e) return done("unreachable", null);
        const n = table.networks.get(e.networkId)!;
        hop("bridge", n.bridge, `routed from the host to ${ip} on ${n.name}`);
        return atContainer(e, n, Number(p));
      }
      hop("loopback", toIp.startsWith("127.") ? "host lo" : `host ${toIp}`, "to the host itself");
      return atHost(toIp.startsWith("127.") ? "127.0.0.1" : toIp, false);
    }
    const n = bridges.find((b) => prefixContains(b.subnet!, dstIp));
    if (n) {
      // The host reaches its containers directly (OUTPUT, not FORWARD).
      hop("route", `host ${n.bridge}`, `${toIp} is on ${n.name}: routed out of ${n.bridge}`);
      const e = endpointAt(n, dstIp);
      if (!e) {
        hop("bridge", n.bridge, `no container has ${toIp}: no ARP reply (No route to host)`);
        return done("unreachable", null);
      }
      return atContainer(e, n);
    }
    hop("interface", hostIf, `out to ${toIp}`);
    return done("connected", { kind: "external", ip: toIp });
  }

  // From outside, arriving on eth0.
  const src = from.ip ?? "10.0.0.100";
  const pkt: Packet = { src, dst: toIp, inIf: hostIf, outIf: "", proto, dport: port, dstLocal: hostAddrs.has(toIp) };
  hop("interface", hostIf, `from ${src}`);
  const raw = evaluate(rules, "raw", "PREROUTING", pkt);
  if (raw.target === "DROP") {
    hop("iptables", "raw PREROUTING", `direct access to ${toIp} from outside its bridge is dropped`, raw.rule);
    return done("timeout", null);
  }
  const nat = evaluate(rules, "nat", "PREROUTING", pkt);
  if (nat.target === "DNAT" && nat.rule?.toDestination) {
    const [ip, p] = nat.rule.toDestination.split(":");
    hop("iptables", "nat PREROUTING", `DNAT to ${nat.rule.toDestination}`, nat.rule);
    return forward({ ...pkt, dst: ip!, dport: Number(p), dstLocal: false }, src);
  }
  if (pkt.dstLocal) return atHost(toIp, false);
  return forward(pkt, src);
}
