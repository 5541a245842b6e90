// Networks of one engine: the three every engine has, `docker network create/rm/prune`, and the
// daemon's lookup by ID, name or ID prefix (moby daemon.FindNetwork). Subnets for new bridges
// come from Docker's default address pools (moby libnetwork/ipamutils): 172.17.0.0/16 …
// 172.31.0.0/16, then 192.168.0.0/16 in /20s, the first that overlaps nothing already in use.
import type { Micros } from "@drydock/kernel";
import { sha256Digest } from "@drydock/image";
import { networkError } from "./errors.js";
import {
  formatIp4, formatPrefix4, isIpLiteral, isPrefixLiteral, lastAddr, masked, parseIp4, parsePrefix4, prefixContains, prefixesOverlap,
  samePrefix, firstAddr, type Ip4, type Prefix4,
} from "./ip.js";
import { NO_PORT_CURSORS } from "./ports.js";
import { isPredefined, type IpamConfigEntry, type Network, type NetworkDriver, type NetworkTable } from "./types.js";

/** moby ipamutils localScopeDefaultNetworks: [base, size of each subnet]. */
export const DEFAULT_ADDRESS_POOLS: readonly { readonly base: string; readonly size: number }[] = [
  { base: "172.17.0.0/16", size: 16 }, { base: "172.18.0.0/16", size: 16 }, { base: "172.19.0.0/16", size: 16 },
  { base: "172.20.0.0/14", size: 16 }, { base: "172.24.0.0/14", size: 16 }, { base: "172.28.0.0/14", size: 16 },
  { base: "192.168.0.0/16", size: 20 },
];

/** Every subnet the default pools give, in the order the allocator tries them. */
export function defaultPoolSubnets(): Prefix4[] {
  const out: Prefix4[] = [];
  for (const pool of DEFAULT_ADDRESS_POOLS) {
    const base = parsePrefix4(pool.base)!;
    const step = 2 ** (32 - pool.size);
    for (let a = firstAddr(base); a <= lastAddr(base); a += step) out.push({ addr: a, bits: pool.size });
  }
  return out;
}

const POOL_SUBNETS = defaultPoolSubnets();

/** The default bridge's settings as `docker network inspect bridge` shows them (moby initBridgeDriver). */
export const DEFAULT_BRIDGE_OPTIONS: Readonly<Record<string, string>> = {
  "com.docker.network.bridge.default_bridge": "true",
  "com.docker.network.bridge.enable_icc": "true",
  "com.docker.network.bridge.enable_ip_masquerade": "true",
  "com.docker.network.bridge.host_binding_ipv4": "0.0.0.0",
  "com.docker.network.bridge.name": "docker0",
  "com.docker.network.driver.mtu": "1500",
};

function newId(table: NetworkTable, kind: string, name: string): string {
  return sha256Digest(`${kind}\0${table.salt}\0${name}\0${table.seq}`).slice("sha256:".length);
}

const EMPTY: NetworkTable = { networks: new Map(), endpoints: new Map(), sandboxes: new Map(), portCursors: NO_PORT_CURSORS, seq: 0, salt: "" };

function baseNetwork(id: string, name: string, driver: NetworkDriver, created: Micros): Network {
  return {
    id, name, driver, scope: "local", created, internal: false, attachable: false, ingress: false, enableIPv4: driver === "bridge",
    enableIPv6: false, configOnly: false, configFrom: "", ipamDriver: "default", ipamOptions: null, ipamConfig: [], subnet: null,
    ipRange: null, gateway: null, auxAddresses: [], bridge: "", options: {}, labels: {},
  };
}

function withNetwork(table: NetworkTable, n: Network): NetworkTable {
  const networks = new Map(table.networks);
  networks.set(n.id, n);
  return { ...table, networks, seq: table.seq + 1 };
}

/**
 * The networks a freshly started engine has: bridge (docker0, 172.17.0.0/16, gateway
 * 172.17.0.1), host and none. `salt` (the host's name) makes the IDs differ between hosts.
 */
export function defaultNetworkTable(created: Micros = 0, salt = ""): NetworkTable {
  let t: NetworkTable = { ...EMPTY, salt };
  const subnet = parsePrefix4("172.17.0.0/16")!;
  t = withNetwork(t, {
    ...baseNetwork(newId(t, "network", "bridge"), "bridge", "bridge", created),
    subnet, gateway: parseIp4("172.17.0.1")!, bridge: "docker0", options: DEFAULT_BRIDGE_OPTIONS,
  });
  t = withNetwork(t, baseNetwork(newId(t, "network", "host"), "host", "host", created));
  t = withNetwork(t, baseNetwork(newId(t, "network", "none"), "none", "null", created));
  return t;
}

/** moby daemon.FindNetwork: full ID, then exact name, then a unique ID prefix. Throws "network x not found". */
export function findNetwork(table: NetworkTable, term: string): Network {
  const byName: Network[] = [];
  const byPrefix: Network[] = [];
  for (const n of table.networks.values()) {
    if (n.id === term) return n;
    if (term !== "" && n.id.startsWith(term)) byPrefix.push(n);
    if (n.name === term) byName.push(n);
  }
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) throw networkError("ENETAMBIGUOUS", term, byName.length, "on name");
  if (byPrefix.length === 1) return byPrefix[0]!;
  if (byPrefix.length > 1) throw networkError("ENETAMBIGUOUS", term, byPrefix.length, "based on ID prefix");
  throw networkError("ENETNOTFOUND", term);
}

export function tryFindNetwork(table: NetworkTable, term: string): Network | undefined {
  try {
    return findNetwork(table, term);
  } catch {
    return undefined;
  }
}

export interface CreateNetworkRequest {
  readonly name: string;
  /** "" means bridge (the daemon's default driver). */
  readonly driver?: string;
  readonly subnets?: readonly string[];
  readonly ipRanges?: readonly string[];
  readonly gateways?: readonly string[];
  readonly auxAddresses?: Readonly<Record<string, string>>;
  readonly internal?: boolean;
  readonly attachable?: boolean;
  readonly ingress?: boolean;
  readonly enableIPv6?: boolean;
  readonly ipamDriver?: string;
  readonly ipamOptions?: Readonly<Record<string, string>>;
  readonly options?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly created: Micros;
}

/**
 * The subnets in use on this engine (moby's addrSpace.allocated): every network's pool.
 */
function allocatedSubnets(table: NetworkTable): { subnet: Prefix4; range: Prefix4 | null }[] {
  const out: { subnet: Prefix4; range: Prefix4 | null }[] = [];
  for (const n of table.networks.values()) if (n.subnet) out.push({ subnet: n.subnet, range: n.ipRange });
  return out;
}

/** moby allocatePredefinedPool: the first default-pool subnet that overlaps nothing in use. */
export function nextPoolSubnet(table: NetworkTable): Prefix4 {
  const used = allocatedSubnets(table);
  for (const candidate of POOL_SUBNETS) if (!used.some((u) => prefixesOverlap(u.subnet, candidate))) return candidate;
  throw networkError("ENOMORESUBNETS");
}

/** moby api/types/network ValidateIPAM (IPv4 only): every problem, joined as moby joins them. */
function validateIpam(config: readonly IpamConfigEntry[], enableIPv6: boolean): void {
  const errs: string[] = [];
  for (const cfg of config) {
    const subnet = parsePrefix4(cfg.subnet);
    if (!subnet) {
      if (isPrefixLiteral(cfg.subnet)) {
        if (!enableIPv6) continue;
        continue; // IPv6 subnets are accepted and kept, not simulated.
      }
      errs.push(`invalid subnet ${cfg.subnet}: invalid CIDR block notation`);
      continue;
    }
    const m = masked(subnet);
    if (!samePrefix(m, subnet)) errs.push(`invalid subnet ${formatPrefix4(subnet)}: it should be ${formatPrefix4(m)}`);
    if (cfg.ipRange !== "") {
      const r = parsePrefix4(cfg.ipRange);
      if (!r) {
        errs.push(isPrefixLiteral(cfg.ipRange) ? `invalid ip-range ${cfg.ipRange}: parent subnet is an IPv4 block` : `invalid ip-range ${cfg.ipRange}: invalid CIDR block notation`);
      } else {
        if (r.bits < subnet.bits) errs.push(`invalid ip-range ${cfg.ipRange}: CIDR block is bigger than its parent subnet ${formatPrefix4(subnet)}`);
        if (!samePrefix(masked(r), r)) errs.push(`invalid ip-range ${formatPrefix4(r)}: it should be ${formatPrefix4(masked(r))}`);
        if (!prefixesOverlap(subnet, r)) errs.push(`invalid ip-range ${cfg.ipRange}: parent subnet ${formatPrefix4(subnet)} doesn't contain ip-range`);
      }
    }
    const addrErr = (addr: string): string | null => {
      if (addr === "") return null;
      if (!isIpLiteral(addr)) return "invalid address";
      const ip = parseIp4(addr);
      if (ip === null) return "parent subnet is an IPv4 block";
      if (!prefixContains(subnet, ip)) return `parent subnet ${formatPrefix4(subnet)} doesn't contain this address`;
      return null;
    };
    const g = addrErr(cfg.gateway);
    if (g) errs.push(`invalid gateway ${cfg.gateway}: ${g}`);
    for (const [name, aux] of Object.entries(cfg.auxAddresses)) {
      const a = addrErr(aux);
      if (a) errs.push(`invalid auxiliary address ${name}: ${a}`);
    }
  }
  if (errs.length === 1) throw networkError("EINVALIDIPAM", errs[0]!);
  if (errs.length > 1) throw networkError("EINVALIDIPAM", "* " + errs.join("\n* "));
}

const SIMULATED_DRIVERS: ReadonlySet<string> = new Set(["bridge"]);
const REAL_DRIVERS: ReadonlySet<string> = new Set(["macvlan", "ipvlan"]);

/**
 * POST /networks/create: a new network and the table with it. Errors are moby's (a name in use,
 * a predefined name, an invalid IPAM configuration, pools exhausted or overlapping).
 */
export function createNetwork(table: NetworkTable, req: CreateNetworkRequest): { table: NetworkTable; network: Network } {
  if (isPredefined(req.name)) throw networkError("EPREDEFINEDCREATE", req.name);
  const driver = req.driver === undefined || req.driver === "" ? "bridge" : req.driver;
  if (driver === "overlay") throw networkError("ENOTSWARMMANAGER");
  if (REAL_DRIVERS.has(driver)) throw networkError("EDRIVERNOTSIMULATED", driver);
  if (!SIMULATED_DRIVERS.has(driver)) throw networkError("EDRIVERNOTFOUND", driver);
  const ipamConfig: IpamConfigEntry[] = (req.subnets ?? []).map((subnet, i) => ({
    subnet, ipRange: req.ipRanges?.[i] ?? "", gateway: req.gateways?.[i] ?? "", auxAddresses: i === 0 ? req.auxAddresses ?? {} : {},
  }));
  validateIpam(ipamConfig, req.enableIPv6 === true);
  if (req.name === "") throw networkError("ENETNAMEEMPTY");
  for (const n of table.networks.values()) if (n.name === req.name) throw networkError("ENETEXISTS", req.name);

  // The IPv4 pool: the user's subnet (checked for overlap unless an ip-range is given, as moby
  // does) or the next free default pool.
  const v4 = ipamConfig.find((c) => parsePrefix4(c.subnet) !== null);
  let subnet: Prefix4;
  let ipRange: Prefix4 | null = null;
  if (v4) {
    subnet = parsePrefix4(v4.subnet)!;
    ipRange = v4.ipRange !== "" ? masked(parsePrefix4(v4.ipRange)!) : null;
    const used = allocatedSubnets(table);
    const clash = ipRange === null
      ? used.some((u) => prefixesOverlap(u.subnet, subnet))
      : used.some((u) => samePrefix(u.subnet, subnet) && (u.range === null || samePrefix(u.range, ipRange!)));
    if (clash) throw networkError("EPOOLOVERLAP");
  } else {
    subnet = nextPoolSubnet(table);
  }
  const aux = Object.values(v4?.auxAddresses ?? {}).map((a) => parseIp4(a)).filter((a): a is Ip4 => a !== null);
  // The gateway: the user's, or the first free address of the range (moby asks IPAM for one).
  let gateway: Ip4;
  if (v4 && v4.gateway !== "") gateway = parseIp4(v4.gateway)!;
  else {
    const from = ipRange ?? subnet;
    gateway = firstUsable(subnet, from, new Set(aux));
  }
  const id = newId(table, "network", req.name);
  const network: Network = {
    ...baseNetwork(id, req.name, "bridge", req.created),
    internal: req.internal === true, attachable: req.attachable === true, ingress: req.ingress === true, enableIPv4: true,
    enableIPv6: req.enableIPv6 === true, ipamDriver: req.ipamDriver === undefined || req.ipamDriver === "" ? "default" : req.ipamDriver,
    ipamOptions: req.ipamOptions ?? {}, ipamConfig, subnet, ipRange, gateway, auxAddresses: aux, bridge: `br-${id.slice(0, 12)}`,
    options: req.options ?? {}, labels: req.labels ?? {},
  };
  return { table: withNetwork(table, network), network };
}

/** The first address of `from` that is neither the subnet's network nor its broadcast address, nor taken. */
export function firstUsable(subnet: Prefix4, from: Prefix4, taken: { has(ip: Ip4): boolean }, start?: Ip4): Ip4 {
  const hostBits = 32 - subnet.bits;
  // `start`: the caller knows every address of the range below it is taken (ipam-index.ts).
  const lo = Math.max(firstAddr(from), start ?? 0);
  const hi = lastAddr(from);
  // The subnet's network and broadcast addresses, once (not two masks per address tried).
  const net = hostBits > 1 ? firstAddr(subnet) : -1;
  const broadcast = hostBits > 1 ? lastAddr(subnet) : -1;
  for (let a = lo; a <= hi; a++) {
    if (a === net || a === broadcast) continue;
    if (!taken.has(a)) return a;
  }
  return -1;
}

/** The endpoints on a network, in the order they joined. */
export function endpointsOn(table: NetworkTable, networkId: string) {
  return [...table.endpoints.values()].filter((e) => e.networkId === networkId);
}

/**
 * DELETE /networks/{id}: refuses the predefined networks and a network with endpoints (moby's
 * "has active endpoints (name:"web" id:"3f2a…")").
 */
export function removeNetwork(table: NetworkTable, term: string): NetworkTable {
  const n = findNetwork(table, term);
  if (isPredefined(n.name)) throw networkError("EPREDEFINEDREMOVE", n.name);
  const eps = endpointsOn(table, n.id);
  if (eps.length > 0) {
    throw networkError("EACTIVEENDPOINTS", n.name, eps.map((e) => `name:"${e.name}" id:"${e.id.slice(0, 12)}"`).join(", "));
  }
  const networks = new Map(table.networks);
  networks.delete(n.id);
  return { ...table, networks };
}

/**
 * POST /networks/prune: removes every user-defined network no container uses, for which `keep`
 * (the `--filter` until/label conditions) does not say otherwise. Returns the names removed.
 */
export function pruneNetworks(table: NetworkTable, keep: (n: Network) => boolean = () => false): { table: NetworkTable; removed: string[] } {
  let t = table;
  const removed: string[] = [];
  for (const n of table.networks.values()) {
    if (isPredefined(n.name) || endpointsOn(t, n.id).length > 0 || keep(n)) continue;
    t = removeNetwork(t, n.id);
    removed.push(n.name);
  }
  return { table: t, removed };
}

/** The network a container's `--network` names: "default" is the bridge. */
export function networkForMode(table: NetworkTable, mode: string): Network {
  return findNetwork(table, mode === "default" || mode === "" ? "bridge" : mode);
}

export { formatIp4 };
