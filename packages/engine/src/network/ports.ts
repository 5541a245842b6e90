// Published ports: `-p`/`--publish` as docker/go-connections' nat.ParsePortSpec reads it,
// `--expose`, `-P`'s choice of ephemeral host ports and the daemon's port allocator (moby
// libnetwork/portallocator): a host port is bound by at most one container, and the error when
// it is taken is Docker's ("Bind for 0.0.0.0:8080 failed: port is already allocated").
import { DrydockError } from "@drydock/kernel";
import { isIp6Literal, isIpLiteral } from "./ip.js";

export type Protocol = "tcp" | "udp" | "sctp";

/**
 * One mapping of a `-p` spec (go-connections nat.PortMapping): the container's port and
 * protocol, and the host address and port to bind. `hostPort` is a string as Docker keeps it:
 * "" for an ephemeral port, "8080", or "8000-8010" for a host range on one container port (the
 * daemon picks a free port in it).
 */
export interface PortMapping {
  readonly hostIp: string;
  readonly hostPort: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
}

/** A port-spec error: its message is go-connections' (or docker/cli's) text. */
export class PortSpecError extends DrydockError {
  constructor(message: string) {
    super("EPORTSPEC", message);
  }
}

/** A host port that cannot be bound: the allocator's text. */
export class PortAllocationError extends DrydockError {}

/** "80/tcp": the key Docker uses for a container port (nat.Port). */
export function portKey(port: number, protocol: string): string {
  return `${port}/${protocol}`;
}

/** Splits "80/tcp" into its number and protocol (nat.Port.Int/Proto); the protocol defaults to tcp. */
export function splitPortKey(key: string): { port: number; protocol: string } {
  const slash = key.indexOf("/");
  const num = slash < 0 ? key : key.slice(0, slash);
  const proto = slash < 0 || key.slice(slash + 1) === "" ? "tcp" : key.slice(slash + 1);
  return { port: Number(num.split("-")[0]), protocol: proto };
}

const MAX_UINT64 = (1n << 64n) - 1n;
const INT64_CUTOFF = 1n << 63n;

/** Go's strconv.ParseInt(s, 10, 64): the value, or the reason ("invalid syntax", "value out of range"). */
function goParseInt(s: string): bigint | string {
  if (s === "") return "invalid syntax";
  let rest = s;
  let neg = false;
  if (rest[0] === "+") rest = rest.slice(1);
  else if (rest[0] === "-") {
    neg = true;
    rest = rest.slice(1);
  }
  if (rest === "") return "invalid syntax";
  let n = 0n;
  for (const c of rest) {
    if (c < "0" || c > "9") return "invalid syntax";
    n = n * 10n + BigInt(c.charCodeAt(0) - 48);
    // ParseUint stops at the first digit that overflows 64 bits, before any later garbage.
    if (n > MAX_UINT64) return "value out of range";
  }
  if (!neg && n >= INT64_CUTOFF) return "value out of range";
  if (neg && n > INT64_CUTOFF) return "value out of range";
  return neg ? -n : n;
}

/** go-connections parsePortNumber: a port 0–65535, or the reason. */
function parsePortNumber(raw: string): number | string {
  if (raw === "") return "value is empty";
  const v = goParseInt(raw);
  if (typeof v === "string") return v;
  if (v < 0n || v > 65535n) return "value out of range (0–65535)";
  return Number(v);
}

/** go-connections parsePortRange ("8000-9000", "80"): [start, end], or the error text. */
export function parsePortRange(ports: string): [number, number] | string {
  if (ports === "") return "empty string specified for ports";
  const dash = ports.indexOf("-");
  const start = dash < 0 ? ports : ports.slice(0, dash);
  const end = dash < 0 ? "" : ports.slice(dash + 1);
  const s = parsePortNumber(start);
  if (typeof s === "string") return `invalid start port '${start}': ${s}`;
  if (dash < 0 || start === end) return [s, s];
  const e = parsePortNumber(end);
  if (typeof e === "string") return `invalid end port '${end}': ${e}`;
  if (e < s) return `invalid port range: ${ports}`;
  return [s, e];
}

/** nat.ParsePort: "" is 0; otherwise the number or `invalid port 'x': reason`. */
export function parsePort(raw: string): number {
  if (raw === "") return 0;
  const p = parsePortNumber(raw);
  if (typeof p === "string") throw new PortSpecError(`invalid port '${raw}': ${p}`);
  return p;
}

/** strings.Split(rawport, ":") into ip, host port and container port (go-connections splitParts). */
function splitParts(raw: string): [string, string, string] {
  const parts = raw.split(":");
  const n = parts.length;
  if (n === 1) return ["", "", parts[0]!];
  if (n === 2) return ["", parts[0]!, parts[1]!];
  if (n === 3) return [parts[0]!, parts[1]!, parts[2]!];
  return [parts.slice(0, n - 2).join(":"), parts[n - 2]!, parts[n - 1]!];
}

/** Go's strings.ToLower for one code point at a time (unicode.ToLower maps one rune to one rune). */
function goLower(s: string): string {
  let out = "";
  for (const c of s) out += [...c.toLowerCase()][0] ?? c;
  return out;
}

/** net.SplitHostPort(hostport) for a host in brackets: the host, or the AddrError text. */
function splitBracketHost(hostport: string): string | { error: string } {
  const err = (why: string) => ({ error: `address ${hostport}: ${why}` });
  const i = hostport.lastIndexOf(":");
  if (i < 0) return err("missing port in address");
  const end = hostport.indexOf("]");
  if (end < 0) return err("missing ']' in address");
  if (end + 1 === hostport.length) return err("missing port in address");
  if (end + 1 !== i) return hostport[end + 1] === ":" ? err("too many colons in address") : err("missing port in address");
  const host = hostport.slice(1, end);
  if (hostport.slice(1).includes("[")) return err("unexpected '[' in address");
  if (hostport.slice(end + 1).includes("]")) return err("unexpected ']' in address");
  return host;
}

const PROTOCOLS: ReadonlySet<string> = new Set(["tcp", "udp", "sctp"]);

/**
 * `-p` as go-connections' nat.ParsePortSpec reads it: `[ip:][hostPort:]containerPort[/proto]`,
 * with ranges (`8000-8010:80-90`), IPv6 hosts with or without brackets (`[::1]:80:80`,
 * `::1:80:80`), a literal IP only (`localhost` is an error), equal-length ranges paired up, a host
 * range on a single container port kept as one mapping, leading zeros accepted. Throws a
 * PortSpecError with go-connections' text ("invalid proto: xyz", "no port specified: :<empty>").
 */
export function parsePortSpec(spec: string): PortMapping[] {
  let [ip, hostPort, containerPort] = splitParts(spec);
  // nat.SplitProtoPort: cut at the first "/", the protocol defaults to tcp.
  const slash = containerPort.indexOf("/");
  let proto = slash < 0 ? "" : containerPort.slice(slash + 1);
  containerPort = slash < 0 ? containerPort : containerPort.slice(0, slash);
  if (containerPort === "") throw new PortSpecError(`no port specified: ${spec}<empty>`);
  if (proto === "") proto = "tcp";
  proto = goLower(proto);
  if (!PROTOCOLS.has(proto)) throw new PortSpecError(`invalid proto: ${proto}`);
  if (ip !== "" && ip[0] === "[") {
    const host = splitBracketHost(ip + ":");
    if (typeof host !== "string") throw new PortSpecError(`invalid IP address ${ip}: ${host.error}`);
    ip = host;
  }
  if (ip !== "" && !isIpLiteral(ip)) throw new PortSpecError(`invalid IP address: ${ip}`);
  const c = parsePortRange(containerPort);
  if (typeof c === "string") throw new PortSpecError(`invalid containerPort: ${containerPort}`);
  const [startPort, endPort] = c;
  let startHost = 0;
  let endHost = 0;
  if (hostPort !== "") {
    const h = parsePortRange(hostPort);
    if (typeof h === "string") throw new PortSpecError(`invalid hostPort: ${hostPort}`);
    [startHost, endHost] = h;
    // A host range is allowed with one container port: the daemon picks a free port in it.
    if (endPort - startPort !== endHost - startHost && endPort !== startPort) {
      throw new PortSpecError(`invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`);
    }
  }
  const count = endPort - startPort + 1;
  const out: PortMapping[] = [];
  for (let i = 0; i < count; i++) {
    let h = "";
    if (hostPort !== "") {
      h = String(startHost + i);
      if (count === 1 && startHost !== endHost) h += `-${endHost}`;
    }
    out.push({ hostIp: ip, hostPort: h, containerPort: startPort + i, protocol: proto as Protocol });
  }
  return out;
}

/**
 * `-p`/`--publish` as docker/cli passes it on: the long form (`published=8080,target=80,
 * protocol=udp`) is rewritten to `published:target/protocol` (convertToStandardNotation), then
 * parsed by parsePortSpec.
 */
export function parsePublishFlag(value: string): PortMapping[] {
  if (!value.includes("=")) return parsePortSpec(value);
  const params = new Map<string, string>([["protocol", "tcp"]]);
  for (const param of value.split(",")) {
    const eq = param.indexOf("=");
    if (eq <= 0) throw new PortSpecError(`invalid publish opts format (should be name=value but got '${param}')`);
    params.set(param.slice(0, eq), param.slice(eq + 1));
  }
  return parsePortSpec(`${params.get("published") ?? ""}:${params.get("target") ?? ""}/${params.get("protocol")}`);
}

/** `--expose 80`, `--expose 7000-7010/udp` (docker/cli): the "port/proto" keys it adds to ExposedPorts. */
export function parseExposeFlag(value: string): string[] {
  if (value.includes(":")) throw new PortSpecError(`invalid port format for --expose: ${value}`);
  const slash = value.indexOf("/");
  const port = slash < 0 ? value : value.slice(0, slash);
  const proto = slash < 0 || value.slice(slash + 1) === "" ? "tcp" : value.slice(slash + 1);
  const r = port === "" ? "empty string specified for ports" : parsePortRange(port);
  if (typeof r === "string") throw new PortSpecError(`invalid range format for --expose: ${value}, error: ${r}`);
  const out: string[] = [];
  for (let p = r[0]; p <= r[1]; p++) out.push(portKey(p, proto));
  return out;
}

// ---------------------------------------------------------------------------------------------
// The port allocator (moby libnetwork/portallocator)

/** Linux's net.ipv4.ip_local_port_range on a default kernel: where ephemeral host ports come from. */
export const EPHEMERAL_PORT_RANGE: { readonly begin: number; readonly end: number } = { begin: 32768, end: 60999 };

/** A host port bound by a running container: the address, the port and the protocol. */
export interface HostBinding {
  /** "0.0.0.0", "::" or a literal address. */
  readonly hostIp: string;
  readonly hostPort: number;
  readonly protocol: string;
}

/**
 * The allocator's memory of where it last stopped in each range (per address, protocol and
 * range): moby's allocator goes on from there rather than reusing a port just released.
 */
export type PortCursors = ReadonlyMap<string, number>;

export const NO_PORT_CURSORS: PortCursors = new Map();

const isV6 = (ip: string) => isIp6Literal(ip);
const unspecifiedOf = (ip: string) => (isV6(ip) ? "::" : "0.0.0.0");

/** moby's alreadyAllocatedErr text. */
export function portAllocatedMessage(hostIp: string, port: number): string {
  return `Bind for ${hostIp}:${port} failed: port is already allocated`;
}

export interface PortRequest {
  /** Addresses to bind (every one must be free): ["0.0.0.0", "::"] for a spec without an address. */
  readonly hostIps: readonly string[];
  readonly protocol: string;
  /** 0 and 0: any port of the ephemeral range; equal: exactly that port; else a free port in [start, end]. */
  readonly start: number;
  readonly end: number;
}

/**
 * RequestPortsInRange: a port free on every address asked for (an unspecified address needs the
 * port free on every address of its family; a specific one needs it free on the unspecified
 * address too). Returns the port and the allocator's new cursors, or throws Docker's error.
 */
export function allocateHostPort(
  inUse: readonly HostBinding[], cursors: PortCursors, req: PortRequest, range = EPHEMERAL_PORT_RANGE,
): { port: number; cursors: PortCursors } {
  if (!PROTOCOLS.has(req.protocol)) throw new PortAllocationError("EPORTPROTO", "unknown protocol");
  if ((req.start !== 0 || req.end !== 0) && (req.start === 0 || req.end === 0 || req.end < req.start)) {
    throw new PortAllocationError("EPORTRANGE", `invalid port range: ${req.start}-${req.end}`);
  }
  if (req.hostIps.length === 0) throw new PortAllocationError("EPORTRANGE", "no IP addresses specified");
  // The address maps a port must be free in, in a fixed order: the ones asked for, then the others.
  const maps: string[] = [...req.hostIps];
  const known = new Set(inUse.filter((b) => b.protocol === req.protocol).map((b) => b.hostIp));
  for (const unspec of ["0.0.0.0", "::"]) {
    if (req.hostIps.includes(unspec)) {
      for (const a of [...known].sort()) if (unspecifiedOf(a) === unspec && !maps.includes(a)) maps.push(a);
    } else if (req.hostIps.some((a) => unspecifiedOf(a) === unspec) && !maps.includes(unspec)) {
      maps.push(unspec);
    }
  }
  const taken = (addr: string, port: number) =>
    inUse.some((b) => b.protocol === req.protocol && b.hostIp === addr && b.hostPort === port);
  if (req.start > 0 && req.start === req.end) {
    for (const addr of maps) {
      if (taken(addr, req.start)) throw new PortAllocationError("EPORTALLOCATED", portAllocatedMessage(addr, req.start));
    }
    return { port: req.start, cursors };
  }
  const begin = req.start === 0 ? range.begin : req.start;
  const end = req.start === 0 ? range.end : req.end;
  const key = (addr: string) => `${addr}/${req.protocol}/${begin}-${end}`;
  let port = cursors.get(key(req.hostIps[0]!)) ?? end;
  for (let i = begin; i <= end; i++) {
    port++;
    if (port > end) port = begin;
    if (maps.some((addr) => taken(addr, port))) continue;
    const next = new Map(cursors);
    for (const addr of req.hostIps) next.set(key(addr), port);
    return { port, cursors: next };
  }
  throw new PortAllocationError("EPORTSEXHAUSTED", "all ports are allocated");
}

/** A binding as a container holds it once its ports are bound (inspect's NetworkSettings.Ports). */
export interface BoundPort {
  readonly containerPort: number;
  readonly protocol: string;
  readonly hostIp: string;
  readonly hostPort: number;
}

/** HostConfig.PortBindings: "80/tcp" → [{ hostIp, hostPort }] (hostPort "" ephemeral, "8000-8010" a range). */
export type PortBindingMap = Readonly<Record<string, readonly { readonly hostIp: string; readonly hostPort: string }[]>>;

/** The PortBindings a container's `-p` specs make (ParsePortSpecs): bindings in the order given. */
export function portBindingsOf(mappings: readonly PortMapping[]): { exposed: string[]; bindings: PortBindingMap } {
  const bindings = new Map<string, { hostIp: string; hostPort: string }[]>();
  for (const m of mappings) {
    const k = portKey(m.containerPort, m.protocol);
    const list = bindings.get(k) ?? [];
    list.push({ hostIp: m.hostIp, hostPort: m.hostPort });
    bindings.set(k, list);
  }
  return { exposed: [...bindings.keys()], bindings: Object.fromEntries(bindings) };
}

/**
 * Binds a container's ports as moby does when it starts: each exposed port in nat.SortPortMap's
 * order (explicit host ports first, then larger ports, tcp before udp), each of its bindings (an
 * address-less one on 0.0.0.0 and ::), and with `-P` every exposed port without a binding on an
 * ephemeral port. Throws Docker's allocation error; on success returns the bound ports and cursors.
 */
export function bindContainerPorts(
  inUse: readonly HostBinding[], cursors: PortCursors,
  request: { readonly exposed: readonly string[]; readonly bindings: PortBindingMap; readonly publishAll: boolean },
  range = EPHEMERAL_PORT_RANGE,
): { bound: BoundPort[]; cursors: PortCursors } {
  const keys = [...new Set([...request.exposed, ...Object.keys(request.bindings)])];
  const hostPortOf = (k: string) => {
    const list = Object.hasOwn(request.bindings, k) ? request.bindings[k]! : [];
    const r = list.length > 0 ? parsePortRange(list[0]!.hostPort) : "none";
    return typeof r === "string" ? 0 : r[0];
  };
  const sorted = keys.map((k) => ({ k, ...splitPortKey(k), hp: hostPortOf(k) })).sort((a, b) =>
    b.hp - a.hp || b.port - a.port || (a.protocol === "tcp" ? 0 : 1) - (b.protocol === "tcp" ? 0 : 1) || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  const bound: BoundPort[] = [];
  let used = [...inUse];
  let cur = cursors;
  for (const { k, port, protocol } of sorted) {
    const list = Object.hasOwn(request.bindings, k) ? request.bindings[k]! : [];
    const wanted = list.length > 0 ? list : request.publishAll ? [{ hostIp: "", hostPort: "" }] : [];
    for (const b of wanted) {
      let start = 0;
      let end = 0;
      if (b.hostPort !== "") {
        const r = parsePortRange(b.hostPort);
        if (typeof r === "string") throw new PortAllocationError("EPORTSPEC", `error parsing HostPort value (${b.hostPort}): ${r}`);
        [start, end] = r;
      }
      const hostIps = b.hostIp === "" ? ["0.0.0.0", "::"] : [b.hostIp];
      const got = allocateHostPort(used, cur, { hostIps, protocol, start, end }, range);
      cur = got.cursors;
      for (const hostIp of hostIps) {
        const one = { containerPort: port, protocol, hostIp, hostPort: got.port };
        bound.push(one);
        used = [...used, { hostIp, hostPort: got.port, protocol }];
      }
    }
  }
  return { bound, cursors: cur };
}

/** `docker port web` lines and `docker ps`'s PORTS: "80/tcp -> 0.0.0.0:8080", IPv6 in brackets. */
export function formatBoundPort(b: BoundPort): string {
  const host = isV6(b.hostIp) ? `[${b.hostIp}]` : b.hostIp;
  return `${portKey(b.containerPort, b.protocol)} -> ${host}:${b.hostPort}`;
}
