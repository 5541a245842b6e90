// Docker's iptables rules as a table derived from the networks and running containers, in the
// layout of Docker 28 (moby libnetwork/drivers/bridge/internal/iptabler, firewall_linux.go, with
// the userland proxy on and ICC enabled, the defaults): filter FORWARD jumps to DOCKER-USER and
// DOCKER-FORWARD, which runs DOCKER-CT (replies), DOCKER-ISOLATION-STAGE-1/2 (one bridge to
// another: dropped), DOCKER-BRIDGE → DOCKER (published ports accepted, the rest dropped) and
// accepts what leaves a bridge; nat MASQUERADEs what leaves a subnet and DNATs published ports;
// raw drops packets addressed straight to a container from outside its bridge.
// The rules are printed as `iptables -S`, `iptables-save` and `iptables -L` print them, and
// evaluated by `evaluate` for the packets of reach.ts.
import { formatIp4, formatPrefix4, parseIp4, parsePrefix4, prefixContains, type Ip4, type Prefix4 } from "./ip.js";
import { endpointsOf, gatewayEndpoint } from "./endpoints.js";
import type { NetworkTable } from "./types.js";

export type IptTable = "raw" | "filter" | "nat";

interface Neg<T> {
  readonly value: T;
  readonly not: boolean;
}

/** One rule, in iptables' terms. */
export interface IptRule {
  readonly table: IptTable;
  readonly chain: string;
  readonly src?: Neg<string>;
  readonly dst?: Neg<string>;
  readonly inIf?: Neg<string>;
  readonly outIf?: Neg<string>;
  readonly proto?: string;
  readonly dport?: number;
  /** `-m conntrack --ctstate RELATED,ESTABLISHED`. */
  readonly established?: boolean;
  /** `-m addrtype --dst-type LOCAL`. */
  readonly dstLocal?: boolean;
  /** ACCEPT, DROP, RETURN, MASQUERADE, DNAT, or a chain to jump to. */
  readonly target: string;
  /** DNAT's `--to-destination`. */
  readonly toDestination?: string;
}

export const BUILTIN_CHAINS: Readonly<Record<IptTable, readonly string[]>> = {
  raw: ["PREROUTING", "OUTPUT"],
  filter: ["INPUT", "FORWARD", "OUTPUT"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
};

/** Docker's own chains in each table. */
export const DOCKER_CHAINS: Readonly<Record<IptTable, readonly string[]>> = {
  raw: [],
  filter: ["DOCKER", "DOCKER-BRIDGE", "DOCKER-CT", "DOCKER-FORWARD", "DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION-STAGE-2", "DOCKER-USER"],
  nat: ["DOCKER"],
};

/** filter FORWARD's policy once Docker has enabled IP forwarding (FilterForwardDrop). */
export function policyOf(table: IptTable, chain: string): string | null {
  if (!BUILTIN_CHAINS[table].includes(chain)) return null;
  return table === "filter" && chain === "FORWARD" ? "DROP" : "ACCEPT";
}

const yes = <T>(value: T): Neg<T> => ({ value, not: false });
const no = <T>(value: T): Neg<T> => ({ value, not: true });

/**
 * Every rule Docker has programmed for this engine's networks and running containers, in chain
 * order. Rules Docker inserts at the top (-I) come newest first; appended ones oldest first.
 */
export function firewallRules(table: NetworkTable): IptRule[] {
  // The rules are a function of the table, which is immutable: made once per table (a request evaluates them per packet).
  let rules = RULES.get(table);
  if (!rules) {
    rules = makeRules(table);
    RULES.set(table, rules);
  }
  return rules;
}

const RULES = new WeakMap<NetworkTable, IptRule[]>();

function makeRules(table: NetworkTable): IptRule[] {
  const nets = [...table.networks.values()].filter((n) => n.driver === "bridge" && n.subnet !== null);
  const external = nets.filter((n) => !n.internal);
  const byChain = new Map<string, IptRule[]>();
  const put = (r: IptRule) => {
    const k = `${r.table} ${r.chain}`;
    byChain.set(k, [...(byChain.get(k) ?? []), r]);
  };
  const newestFirst = <T>(xs: readonly T[]) => [...xs].reverse();

  // Running containers with published ports (IPv4 bindings are NATed; IPv6 ones go to docker-proxy).
  const published: { ip: string; bridge: string; hostIp: string; hostPort: number; port: number; proto: string }[] = [];
  for (const sb of table.sandboxes.values()) {
    const gw = gatewayEndpoint(table, sb.containerId);
    if (!gw || gw.ip === null) continue;
    const n = table.networks.get(gw.networkId)!;
    for (const p of sb.ports) {
      if (p.hostIp.includes(":")) continue;
      published.push({ ip: formatIp4(gw.ip), bridge: n.bridge, hostIp: p.hostIp, hostPort: p.hostPort, port: p.containerPort, proto: p.protocol });
    }
  }

  // raw PREROUTING: no direct access to a container from outside its bridge (filterDirectAccess).
  for (const n of external) {
    for (const e of table.endpoints.values()) {
      if (e.networkId === n.id && e.ip !== null) put({ table: "raw", chain: "PREROUTING", dst: yes(`${formatIp4(e.ip)}/32`), inIf: no(n.bridge), target: "DROP" });
    }
  }

  // filter
  put({ table: "filter", chain: "FORWARD", target: "DOCKER-USER" });
  put({ table: "filter", chain: "FORWARD", target: "DOCKER-FORWARD" });
  for (const p of newestFirst(published)) {
    put({ table: "filter", chain: "DOCKER", dst: yes(`${p.ip}/32`), inIf: no(p.bridge), outIf: yes(p.bridge), proto: p.proto, dport: p.port, target: "ACCEPT" });
  }
  for (const n of external) put({ table: "filter", chain: "DOCKER", inIf: no(n.bridge), outIf: yes(n.bridge), target: "DROP" });
  for (const n of external) put({ table: "filter", chain: "DOCKER-BRIDGE", outIf: yes(n.bridge), target: "DOCKER" });
  for (const n of external) put({ table: "filter", chain: "DOCKER-CT", outIf: yes(n.bridge), established: true, target: "ACCEPT" });
  put({ table: "filter", chain: "DOCKER-FORWARD", target: "DOCKER-CT" });
  put({ table: "filter", chain: "DOCKER-FORWARD", target: "DOCKER-ISOLATION-STAGE-1" });
  put({ table: "filter", chain: "DOCKER-FORWARD", target: "DOCKER-BRIDGE" });
  for (const n of nets) {
    if (n.internal) put({ table: "filter", chain: "DOCKER-FORWARD", inIf: yes(n.bridge), outIf: yes(n.bridge), target: "ACCEPT" });
    else put({ table: "filter", chain: "DOCKER-FORWARD", inIf: yes(n.bridge), target: "ACCEPT" });
  }
  for (const n of newestFirst(nets.filter((x) => x.internal))) {
    const prefix = formatPrefix4(n.subnet!);
    put({ table: "filter", chain: "DOCKER-ISOLATION-STAGE-1", src: no(prefix), outIf: yes(n.bridge), target: "DROP" });
    put({ table: "filter", chain: "DOCKER-ISOLATION-STAGE-1", dst: no(prefix), inIf: yes(n.bridge), target: "DROP" });
  }
  for (const n of external) put({ table: "filter", chain: "DOCKER-ISOLATION-STAGE-1", inIf: yes(n.bridge), outIf: no(n.bridge), target: "DOCKER-ISOLATION-STAGE-2" });
  for (const n of newestFirst(external)) put({ table: "filter", chain: "DOCKER-ISOLATION-STAGE-2", outIf: yes(n.bridge), target: "DROP" });

  // nat
  put({ table: "nat", chain: "PREROUTING", dstLocal: true, target: "DOCKER" });
  put({ table: "nat", chain: "OUTPUT", dst: no("127.0.0.0/8"), dstLocal: true, target: "DOCKER" });
  for (const n of newestFirst(external)) put({ table: "nat", chain: "POSTROUTING", src: yes(formatPrefix4(n.subnet!)), outIf: no(n.bridge), target: "MASQUERADE" });
  for (const n of newestFirst(external)) put({ table: "nat", chain: "DOCKER", inIf: yes(n.bridge), target: "RETURN" });
  for (const p of published) {
    put({
      table: "nat", chain: "DOCKER", ...(p.hostIp !== "0.0.0.0" ? { dst: yes(`${p.hostIp}/32`) } : {}), inIf: no(p.bridge), proto: p.proto,
      dport: p.hostPort, target: "DNAT", toDestination: `${p.ip}:${p.port}`,
    });
  }

  const order: string[] = [];
  for (const t of ["raw", "filter", "nat"] as const) {
    for (const c of [...BUILTIN_CHAINS[t], ...DOCKER_CHAINS[t]]) order.push(`${t} ${c}`);
  }
  return order.flatMap((k) => byChain.get(k) ?? []);
}

/** A rule's arguments as `iptables -S` prints them: -s, -d, -i, -o, -p, matches, -j. */
export function ruleSpec(r: IptRule): string {
  const parts: string[] = [];
  const neg = (flag: string, v: Neg<string> | undefined) => {
    if (v) parts.push(...(v.not ? ["!", flag, v.value] : [flag, v.value]));
  };
  neg("-s", r.src);
  neg("-d", r.dst);
  neg("-i", r.inIf);
  neg("-o", r.outIf);
  if (r.proto) parts.push("-p", r.proto);
  if (r.dport !== undefined) parts.push("-m", r.proto ?? "tcp", "--dport", String(r.dport));
  if (r.established) parts.push("-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED");
  if (r.dstLocal) parts.push("-m", "addrtype", "--dst-type", "LOCAL");
  parts.push("-j", r.target);
  if (r.toDestination) parts.push("--to-destination", r.toDestination);
  return `-A ${r.chain} ${parts.join(" ")}`;
}

function chainsOf(t: IptTable): string[] {
  return [...BUILTIN_CHAINS[t], ...[...DOCKER_CHAINS[t]].sort()];
}

/** `iptables -t TABLE -S [CHAIN]`. */
export function formatIptablesS(rules: readonly IptRule[], t: IptTable = "filter", chain?: string): string {
  const chains = chain !== undefined ? [chain] : chainsOf(t);
  const lines: string[] = [];
  for (const c of chains) {
    const pol = policyOf(t, c);
    lines.push(pol !== null ? `-P ${c} ${pol}` : `-N ${c}`);
  }
  for (const c of chains) for (const r of rules) if (r.table === t && r.chain === c) lines.push(ruleSpec(r));
  return lines.map((l) => l + "\n").join("");
}

/** `iptables-save`: every table, its chains and rules (counters zero). */
export function formatIptablesSave(rules: readonly IptRule[]): string {
  let out = "";
  for (const t of ["raw", "filter", "nat"] as const) {
    out += `*${t}\n`;
    for (const c of chainsOf(t)) out += `:${c} ${policyOf(t, c) ?? "-"} [0:0]\n`;
    for (const c of chainsOf(t)) for (const r of rules) if (r.table === t && r.chain === c) out += ruleSpec(r) + "\n";
    out += "COMMIT\n";
  }
  return out;
}

const SERVICES = new Map<number, string>([[22, "ssh"], [53, "domain"], [80, "http"], [443, "https"], [8080, "http-alt"]]);

/**
 * `iptables [-t TABLE] -L [CHAIN] [-n] [-v]` in iptables' own layout (print_header and
 * print_firewall): without -n addresses print as "anywhere" and ports by service name.
 */
export function formatIptablesList(
  rules: readonly IptRule[], opts: { table?: IptTable; chain?: string; numeric?: boolean; verbose?: boolean } = {},
): string {
  const t = opts.table ?? "filter";
  const chains = opts.chain !== undefined ? [opts.chain] : chainsOf(t);
  const numeric = opts.numeric === true;
  const verbose = opts.verbose === true;
  const addr = (v: Neg<string> | undefined) => {
    const text = !v ? (numeric ? "0.0.0.0/0" : "anywhere") : numeric ? v.value : v.value.replace(/\/32$/, "");
    return (v?.not ? "!" : " ") + text.padEnd(19) + " ";
  };
  const iface = (v: Neg<string> | undefined) => (v ? (v.not ? "!" : "") + v.value : numeric ? "*" : "any");
  const blocks: string[] = [];
  for (const c of chains) {
    const mine = rules.filter((r) => r.table === t && r.chain === c);
    const pol = policyOf(t, c);
    const refs = rules.filter((r) => r.table === t && r.target === c).length;
    let s = `Chain ${c} (${pol !== null ? `policy ${pol}${verbose ? " 0 packets, 0 bytes" : ""}` : `${refs} references`})\n`;
    s += (verbose ? " pkts bytes " : "") + "target".padEnd(9) + " " + " prot " + "opt" + (verbose ? " " + "in".padEnd(6) + " " + "out".padEnd(6) + " " : "") +
      " " + "source".padEnd(19) + " " + " " + "destination".padEnd(19) + " \n";
    for (const r of mine) {
      const matches: string[] = [];
      if (r.dport !== undefined) matches.push(`${r.proto ?? "tcp"} dpt:${numeric ? r.dport : SERVICES.get(r.dport) ?? r.dport}`);
      if (r.established) matches.push("ctstate RELATED,ESTABLISHED");
      if (r.dstLocal) matches.push("ADDRTYPE match dst-type LOCAL");
      if (r.toDestination) matches.push(`to:${r.toDestination}`);
      s += (verbose ? "    0     0 " : "") + r.target.padEnd(9) + " " + " " + (r.proto ?? "all").padEnd(5) + "-- " +
        (verbose ? " " + iface(r.inIf).padEnd(6) + " " + iface(r.outIf).padEnd(6) + " " : "") + addr(r.src) + addr(r.dst) + matches.map((m) => " " + m).join("") + "\n";
    }
    blocks.push(s);
  }
  return blocks.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** A packet as the rules see it at one hook. */
export interface Packet {
  readonly src: string;
  readonly dst: string;
  /** The interface it came in on ("" when generated on the host). */
  readonly inIf: string;
  /** The interface it will leave by ("" in PREROUTING, before routing). */
  readonly outIf: string;
  readonly proto: string;
  readonly dport: number;
  /** The destination is one of the host's own addresses (addrtype LOCAL). */
  readonly dstLocal: boolean;
}

export interface Verdict {
  /** ACCEPT, DROP, or the chain's policy; for nat, DNAT/MASQUERADE/RETURN/ACCEPT. */
  readonly target: string;
  /** The rule that decided (null: the built-in chain's policy). */
  readonly rule: IptRule | null;
  /** The rules that matched on the way, jumps included. */
  readonly path: readonly IptRule[];
}

/** A rule with its addresses parsed once (evaluation runs per packet, the rules change rarely). */
interface Compiled {
  readonly rule: IptRule;
  readonly src: { readonly p: Prefix4 | null; readonly not: boolean } | null;
  readonly dst: { readonly p: Prefix4 | null; readonly not: boolean } | null;
}

const compileAddr = (v: Neg<string> | undefined) => (v ? { p: parsePrefix4(v.value.includes("/") ? v.value : `${v.value}/32`), not: v.not } : null);

function addrHit(spec: Compiled["src"], ip: Ip4 | null): boolean {
  if (!spec) return true;
  const hit = spec.p !== null && ip !== null && prefixContains(spec.p, ip);
  return spec.not ? !hit : hit;
}

function ifMatches(spec: Neg<string> | undefined, name: string): boolean {
  if (!spec) return true;
  const hit = spec.value === name;
  return spec.not ? !hit : hit;
}

function matchesCompiled(c: Compiled, p: Packet, src: Ip4 | null, dst: Ip4 | null): boolean {
  const r = c.rule;
  return addrHit(c.src, src) && addrHit(c.dst, dst) && ifMatches(r.inIf, p.inIf) && ifMatches(r.outIf, p.outIf) &&
    (r.proto === undefined || r.proto === p.proto) && (r.dport === undefined || r.dport === p.dport) &&
    // Every packet evaluated here opens a new connection: conntrack's RELATED,ESTABLISHED never matches.
    !r.established && (r.dstLocal !== true || p.dstLocal);
}

export function ruleMatches(r: IptRule, p: Packet): boolean {
  return matchesCompiled({ rule: r, src: compileAddr(r.src), dst: compileAddr(r.dst) }, p, parseIp4(p.src), parseIp4(p.dst));
}

const COMPILED = new WeakMap<readonly IptRule[], Map<string, Compiled[]>>();

function chainsIndex(rules: readonly IptRule[]): Map<string, Compiled[]> {
  let index = COMPILED.get(rules);
  if (!index) {
    index = new Map();
    for (const r of rules) {
      const k = `${r.table} ${r.chain}`;
      let list = index.get(k);
      if (!list) index.set(k, (list = []));
      list.push({ rule: r, src: compileAddr(r.src), dst: compileAddr(r.dst) });
    }
    COMPILED.set(rules, index);
  }
  return index;
}

const TERMINAL = new Set(["ACCEPT", "DROP", "REJECT", "DNAT", "MASQUERADE", "SNAT"]);

/** Runs a packet through a chain (and the chains it jumps to), as the kernel does. */
export function evaluate(rules: readonly IptRule[], t: IptTable, chain: string, p: Packet): Verdict {
  const path: IptRule[] = [];
  const index = chainsIndex(rules);
  const src = parseIp4(p.src);
  const dst = parseIp4(p.dst);
  const run = (c: string, depth: number): { target: string; rule: IptRule | null } | null => {
    if (depth > 16) return null;
    for (const compiled of index.get(`${t} ${c}`) ?? []) {
      if (!matchesCompiled(compiled, p, src, dst)) continue;
      const r = compiled.rule;
      path.push(r);
      if (TERMINAL.has(r.target)) return { target: r.target, rule: r };
      if (r.target === "RETURN") return null;
      const sub = run(r.target, depth + 1);
      if (sub) return sub;
    }
    return null;
  };
  const got = run(chain, 0);
  if (got) return { ...got, path };
  return { target: policyOf(t, chain) ?? "RETURN", rule: null, path };
}

/** The containers' endpoints by address (for the evaluator's callers). */
export function endpointByIp(table: NetworkTable, ip: string) {
  const a = parseIp4(ip);
  if (a === null) return undefined;
  for (const e of table.endpoints.values()) if (e.ip === a) return e;
  return undefined;
}

export { endpointsOf };
