// IP addresses and prefixes as Go's net/netip reads them: the rules Docker applies to `-p`
// host addresses, `--subnet`, `--gateway`, `--ip-range` and `--ip`. IPv4 addresses are held as
// unsigned 32-bit integers (the whole simulated network is IPv4; IPv6 is parsed and validated,
// so `-p [::1]:80:80` works, but not allocated).

/** An IPv4 address as an unsigned 32-bit integer. */
export type Ip4 = number;

/** An IPv4 prefix: its (masked or not) address and its length. */
export interface Prefix4 {
  readonly addr: Ip4;
  readonly bits: number;
}

/**
 * netip.ParseAddr's IPv4 form: four decimal fields 0–255, no leading zeros ("IPv4 field has
 * octet with leading zero" since Go 1.17), nothing else. Returns the address or null.
 */
export function parseIp4(s: string): Ip4 | null {
  let val = 0;
  let digits = 0;
  let fields = 0;
  let out = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && val === 0) return null;
      val = val * 10 + (c - 48);
      digits++;
      if (val > 255) return null;
    } else if (c === 46) {
      if (i === 0 || i === s.length - 1 || s[i - 1] === ".") return null;
      if (fields === 3) return null;
      out = out * 256 + val;
      fields++;
      val = 0;
      digits = 0;
    } else {
      return null;
    }
  }
  if (fields < 3 || digits === 0) return null;
  return out * 256 + val;
}

/**
 * netip.ParseAddr's IPv6 form (RFC 4291 text, an embedded IPv4 in the last 32 bits, "::" once);
 * a zone (`%eth0`) is refused as net.ParseIP refuses it. Returns the 8 groups or null.
 */
export function parseIp6(s: string): number[] | null {
  if (s.includes("%")) return null;
  const groups: number[] = [];
  let ellipsis = -1;
  let rest = s;
  if (rest.startsWith("::")) {
    ellipsis = 0;
    rest = rest.slice(2);
    if (rest === "") return [0, 0, 0, 0, 0, 0, 0, 0];
  }
  while (groups.length < 8) {
    let off = 0;
    let acc = 0;
    for (; off < rest.length; off++) {
      const c = rest[off]!;
      const d = parseInt(c, 16);
      if (!/[0-9a-fA-F]/.test(c)) break;
      acc = acc * 16 + d;
      if (off > 3) return null;
    }
    if (off === 0) return null;
    if (off < rest.length && rest[off] === ".") {
      if (ellipsis < 0 && groups.length !== 6) return null;
      if (groups.length + 2 > 8) return null;
      const v4 = parseIp4(rest);
      if (v4 === null) return null;
      groups.push(Math.floor(v4 / 65536), v4 % 65536);
      rest = "";
      break;
    }
    groups.push(acc);
    rest = rest.slice(off);
    if (rest === "") break;
    if (rest[0] !== ":" || rest.length === 1) return null;
    rest = rest.slice(1);
    if (rest[0] === ":") {
      if (ellipsis >= 0) return null;
      ellipsis = groups.length;
      rest = rest.slice(1);
      if (rest === "") break;
    }
  }
  if (rest !== "") return null;
  if (groups.length < 8) {
    if (ellipsis < 0) return null;
    groups.splice(ellipsis, 0, ...new Array<number>(8 - groups.length).fill(0));
  } else if (ellipsis >= 0) {
    return null;
  }
  return groups;
}

/** net.ParseIP(s) != nil: a literal IPv4 or IPv6 address, no host names, no zones. */
export function isIpLiteral(s: string): boolean {
  // netip.ParseAddr decides the family by the first '.' or ':' it meets.
  for (const c of s) {
    if (c === ".") return parseIp4(s) !== null;
    if (c === ":") return parseIp6(s) !== null;
    if (c === "%") return false;
  }
  return false;
}

export function isIp6Literal(s: string): boolean {
  for (const c of s) {
    if (c === ".") return false;
    if (c === ":") return parseIp6(s) !== null;
  }
  return false;
}

export function formatIp4(ip: Ip4): string {
  return `${(ip >>> 24) & 255}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** The mask of a prefix length as a 32-bit unsigned integer. */
export function mask4(bits: number): number {
  return bits === 0 ? 0 : (0xffff_ffff << (32 - bits)) >>> 0;
}

/** netip.ParsePrefix for IPv4 ("172.18.0.0/16"); null when it is not one. */
export function parsePrefix4(s: string): Prefix4 | null {
  const slash = s.lastIndexOf("/");
  if (slash < 0) return null;
  const addr = parseIp4(s.slice(0, slash));
  const bitsText = s.slice(slash + 1);
  // netip.ParsePrefix: decimal, no sign, no leading zeros ("bad bits after slash").
  if (addr === null || !/^(0|[1-9]\d?)$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  if (bits > 32) return null;
  return { addr, bits };
}

/** netip.ParsePrefix accepts it (IPv4 or IPv6). */
export function isPrefixLiteral(s: string): boolean {
  const slash = s.lastIndexOf("/");
  if (slash < 0) return false;
  const bitsText = s.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(bitsText)) return false;
  const host = s.slice(0, slash);
  if (parsePrefix4(s)) return true;
  return isIp6Literal(host) && Number(bitsText) <= 128;
}

export function masked(p: Prefix4): Prefix4 {
  return { addr: (p.addr & mask4(p.bits)) >>> 0, bits: p.bits };
}

export function formatPrefix4(p: Prefix4): string {
  return `${formatIp4(p.addr)}/${p.bits}`;
}

export function prefixSize(p: Prefix4): number {
  return 2 ** (32 - p.bits);
}

export function firstAddr(p: Prefix4): Ip4 {
  return masked(p).addr;
}

export function lastAddr(p: Prefix4): Ip4 {
  return (masked(p).addr + prefixSize(p) - 1) >>> 0;
}

export function prefixContains(p: Prefix4, ip: Ip4): boolean {
  return ip >= firstAddr(p) && ip <= lastAddr(p);
}

export function prefixesOverlap(a: Prefix4, b: Prefix4): boolean {
  return firstAddr(a) <= lastAddr(b) && firstAddr(b) <= lastAddr(a);
}

export function samePrefix(a: Prefix4, b: Prefix4): boolean {
  return a.addr === b.addr && a.bits === b.bits;
}
