import { describe, expect, it } from "vitest";
import { isDrydockError } from "@drydock/kernel";
import {
  allocateHostPort, bindContainerPorts, formatBoundPort, NO_PORT_CURSORS, parseExposeFlag, parsePort, parsePortRange, parsePortSpec,
  parsePublishFlag, portBindingsOf, type HostBinding,
} from "./ports.js";

const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (isDrydockError(e)) return e.message;
    throw e;
  }
  return "no error";
};

const one = (hostIp: string, hostPort: string, containerPort: number, protocol = "tcp") => ({ hostIp, hostPort, containerPort, protocol });

describe("parsePortSpec (go-connections nat/nat_test.go)", () => {
  it("TestParsePortSpecEmptyContainerPort: no port specified, with the spec and <empty>", () => {
    expect(errorOf(() => parsePortSpec(""))).toBe("no port specified: <empty>");
    expect(errorOf(() => parsePortSpec("0.0.0.0:1234-1235:/tcp"))).toBe("no port specified: 0.0.0.0:1234-1235:/tcp<empty>");
    expect(errorOf(() => parsePortSpec("0.0.0.0:1234-1235:"))).toBe("no port specified: 0.0.0.0:1234-1235:<empty>");
  });

  it("TestParsePortSpecFull: equal-length ranges pair up", () => {
    expect(parsePortSpec("0.0.0.0:1234-1235:3333-3334/tcp")).toEqual([one("0.0.0.0", "1234", 3333), one("0.0.0.0", "1235", 3334)]);
  });

  it("TestPartPortSpecIPV6: IPv6 hosts with and without brackets", () => {
    expect(parsePortSpec("[2001:4860:0:2001::68]::333")).toEqual([one("2001:4860:0:2001::68", "", 333)]);
    expect(parsePortSpec("[::1]:80:80")).toEqual([one("::1", "80", 80)]);
    expect(parsePortSpec("2001:4860:0:2001::68::333")).toEqual([one("2001:4860:0:2001::68", "", 333)]);
    expect(parsePortSpec("::1:80:80")).toEqual([one("::1", "80", 80)]);
    expect(parsePortSpec("::::80")).toEqual([one("::", "", 80)]);
  });

  it("TestParsePortSpecs: the three protocols, host ports, addresses; a host name is an error", () => {
    expect(parsePortSpec("1234/tcp")).toEqual([one("", "", 1234)]);
    expect(parsePortSpec("2345/udp")).toEqual([one("", "", 2345, "udp")]);
    expect(parsePortSpec("3456/sctp")).toEqual([one("", "", 3456, "sctp")]);
    expect(parsePortSpec("1234:1234/tcp")).toEqual([one("", "1234", 1234)]);
    expect(parsePortSpec("0.0.0.0:3456:3456/sctp")).toEqual([one("0.0.0.0", "3456", 3456, "sctp")]);
    expect(errorOf(() => parsePortSpec("localhost:1234:1234/tcp"))).toBe("invalid IP address: localhost");
  });

  it("TestParsePortSpecsWithRange: container ranges, paired ranges, a host name is an error", () => {
    expect(parsePortSpec("1234-1236/tcp")).toEqual([one("", "", 1234), one("", "", 1235), one("", "", 1236)]);
    expect(parsePortSpec("2345-2347:2345-2347/udp").map((m) => m.hostPort)).toEqual(["2345", "2346", "2347"]);
    expect(parsePortSpec("0.0.0.0:3456-3458:3456-3458/sctp")).toHaveLength(3);
    expect(errorOf(() => parsePortSpec("localhost:1234-1236:1234-1236/tcp"))).toBe("invalid IP address: localhost");
  });

  it("TestParseNetworkOpts*: an address without a host port, udp, sctp; a bare address and negative ports fail", () => {
    expect(parsePortSpec("192.168.1.100::80")).toEqual([one("192.168.1.100", "", 80)]);
    expect(parsePortSpec("192.168.1.100:8080:80")).toEqual([one("192.168.1.100", "8080", 80)]);
    expect(parsePortSpec("192.168.1.100::6000/udp")).toEqual([one("192.168.1.100", "", 6000, "udp")]);
    expect(parsePortSpec("192.168.1.100::6000/sctp")).toEqual([one("192.168.1.100", "", 6000, "sctp")]);
    expect(errorOf(() => parsePortSpec("192.168.1.100"))).toBe("invalid containerPort: 192.168.1.100");
    expect(errorOf(() => parsePortSpec("192.168.1.100:-1:-1"))).toBe("invalid containerPort: -1");
  });

  it("the forms the course types: 80, 8080:80, 127.0.0.1:8080:80/udp", () => {
    expect(parsePortSpec("80")).toEqual([one("", "", 80)]);
    expect(parsePortSpec("8080:80")).toEqual([one("", "8080", 80)]);
    expect(parsePortSpec("127.0.0.1:8080:80/udp")).toEqual([one("127.0.0.1", "8080", 80, "udp")]);
    expect(parsePortSpec("127.0.0.1::80")).toEqual([one("127.0.0.1", "", 80)]);
  });

  it("a host range with a single container port stays one mapping (the daemon picks a port in it)", () => {
    expect(parsePortSpec("8000-8010:80")).toEqual([one("", "8000-8010", 80)]);
  });

  it("unequal ranges are an error", () => {
    expect(errorOf(() => parsePortSpec("8000-8010:80-81"))).toBe("invalid ranges specified for container and host Ports: 80-81 and 8000-8010");
  });

  it("a leading zero is accepted (TestParsePort's octal case: 0123 is 123)", () => {
    expect(parsePortSpec("08080:080")).toEqual([one("", "8080", 80)]);
    expect(parsePort("0123")).toBe(123);
  });

  it("protocols are lower-cased and checked", () => {
    expect(parsePortSpec("80/UDP")).toEqual([one("", "", 80, "udp")]);
    expect(errorOf(() => parsePortSpec("80/xyz"))).toBe("invalid proto: xyz");
    expect(parsePortSpec("80/")).toEqual([one("", "", 80)]);
  });

  it("IP addresses follow Go's net.ParseIP: no leading zeros in IPv4, no zones, brackets checked", () => {
    expect(errorOf(() => parsePortSpec("01.2.3.4:80:80"))).toBe("invalid IP address: 01.2.3.4");
    expect(errorOf(() => parsePortSpec("[fe80::1%eth0]:80:80"))).toBe("invalid IP address: fe80::1%eth0");
    expect(errorOf(() => parsePortSpec("[::1:80:80"))).toBe("invalid IP address [::1: address [::1:: missing ']' in address");
    expect(errorOf(() => parsePortSpec("[::1]x:80:80"))).toBe("invalid IP address [::1]x: address [::1]x:: missing port in address");
    expect(parsePortSpec("[1.2.3.4]:80:80")).toEqual([one("1.2.3.4", "80", 80)]);
    expect(parsePortSpec("::ffff:1.2.3.4:80:80")).toEqual([one("::ffff:1.2.3.4", "80", 80)]);
  });

  it("port numbers: out of range, garbage, a sign", () => {
    expect(errorOf(() => parsePortSpec("65536"))).toBe("invalid containerPort: 65536");
    expect(errorOf(() => parsePortSpec("65536:80"))).toBe("invalid hostPort: 65536");
    expect(errorOf(() => parsePortSpec("8o:80"))).toBe("invalid hostPort: 8o");
    expect(parsePortSpec("+80")).toEqual([one("", "", 80)]);
  });
});

describe("parsePortRange (go-connections nat/parse_test.go TestParsePortRange)", () => {
  it.each([
    ["", "empty string specified for ports"],
    ["asdf", "invalid start port 'asdf': invalid syntax"],
    ["9000-8000", "invalid port range: 9000-8000"],
    ["8000-", "invalid end port '': value is empty"],
    ["-9000", "invalid start port '': value is empty"],
    ["8000-a", "invalid end port 'a': invalid syntax"],
    ["8000-9000a", "invalid end port '9000a': invalid syntax"],
    ["a-9000", "invalid start port 'a': invalid syntax"],
    ["-8000-", "invalid start port '': value is empty"],
    ["-", "invalid start port '': value is empty"],
    ["70000", "invalid start port '70000': value out of range (0–65535)"],
    ["99999999999999999999", "invalid start port '99999999999999999999': value out of range"],
  ])("%j fails with %j", (input, text) => {
    expect(parsePortRange(input)).toBe(text);
  });

  it("single ports and ranges", () => {
    expect(parsePortRange("1234")).toEqual([1234, 1234]);
    expect(parsePortRange("1234-1234")).toEqual([1234, 1234]);
    expect(parsePortRange("8000-9000")).toEqual([8000, 9000]);
    expect(parsePortRange("0-0")).toEqual([0, 0]);
  });

  it("TestParsePort: nat.ParsePort's texts", () => {
    expect(errorOf(() => parsePort("asdf"))).toBe("invalid port 'asdf': invalid syntax");
    expect(errorOf(() => parsePort("-1"))).toBe("invalid port '-1': value out of range (0–65535)");
    expect(errorOf(() => parsePort("65536"))).toBe("invalid port '65536': value out of range (0–65535)");
    expect(parsePort("")).toBe(0);
    expect(parsePort("65535")).toBe(65535);
  });
});

describe("docker/cli flags around -p", () => {
  it("--publish's long form becomes published:target/protocol (convertToStandardNotation)", () => {
    expect(parsePublishFlag("published=8080,target=80")).toEqual([one("", "8080", 80)]);
    expect(parsePublishFlag("target=53,protocol=udp")).toEqual([one("", "", 53, "udp")]);
    expect(errorOf(() => parsePublishFlag("published=8080,80"))).toBe("invalid publish opts format (should be name=value but got '80')");
  });

  it("--expose takes ports and ranges, never a host part", () => {
    expect(parseExposeFlag("80")).toEqual(["80/tcp"]);
    expect(parseExposeFlag("7000-7002/udp")).toEqual(["7000/udp", "7001/udp", "7002/udp"]);
    expect(errorOf(() => parseExposeFlag("8080:80"))).toBe("invalid port format for --expose: 8080:80");
    expect(errorOf(() => parseExposeFlag("x"))).toBe("invalid range format for --expose: x, error: invalid start port 'x': invalid syntax");
  });
});

describe("the port allocator (moby libnetwork/portallocator)", () => {
  const tcp = (hostIp: string, hostPort: number): HostBinding => ({ hostIp, hostPort, protocol: "tcp" });

  it("ephemeral ports start at the bottom of ip_local_port_range and go on from the last one", () => {
    const a = allocateHostPort([], NO_PORT_CURSORS, { hostIps: ["0.0.0.0"], protocol: "tcp", start: 0, end: 0 });
    expect(a.port).toBe(32768);
    const b = allocateHostPort([tcp("0.0.0.0", 32768)], a.cursors, { hostIps: ["0.0.0.0"], protocol: "tcp", start: 0, end: 0 });
    expect(b.port).toBe(32769);
    // Released 32768 is not reused at once: the allocator goes on from where it stopped.
    const c = allocateHostPort([], b.cursors, { hostIps: ["0.0.0.0"], protocol: "tcp", start: 0, end: 0 });
    expect(c.port).toBe(32770);
  });

  it("a taken host port is Docker's error, on 0.0.0.0 or a specific address", () => {
    const used = [tcp("0.0.0.0", 8080)];
    expect(errorOf(() => allocateHostPort(used, NO_PORT_CURSORS, { hostIps: ["0.0.0.0", "::"], protocol: "tcp", start: 8080, end: 8080 })))
      .toBe("Bind for 0.0.0.0:8080 failed: port is already allocated");
    expect(errorOf(() => allocateHostPort(used, NO_PORT_CURSORS, { hostIps: ["127.0.0.1"], protocol: "tcp", start: 8080, end: 8080 })))
      .toBe("Bind for 0.0.0.0:8080 failed: port is already allocated");
    expect(errorOf(() => allocateHostPort([tcp("127.0.0.1", 8080)], NO_PORT_CURSORS, { hostIps: ["0.0.0.0"], protocol: "tcp", start: 8080, end: 8080 })))
      .toBe("Bind for 127.0.0.1:8080 failed: port is already allocated");
    // Another protocol or another specific address is free.
    expect(allocateHostPort(used, NO_PORT_CURSORS, { hostIps: ["0.0.0.0"], protocol: "udp", start: 8080, end: 8080 }).port).toBe(8080);
    expect(allocateHostPort([tcp("127.0.0.1", 8080)], NO_PORT_CURSORS, { hostIps: ["127.0.0.2"], protocol: "tcp", start: 8080, end: 8080 }).port).toBe(8080);
  });

  it("a host range picks a free port in it; a full range is exhausted", () => {
    const r = allocateHostPort([tcp("0.0.0.0", 8000)], NO_PORT_CURSORS, { hostIps: ["0.0.0.0"], protocol: "tcp", start: 8000, end: 8001 });
    expect(r.port).toBe(8001);
    expect(errorOf(() => allocateHostPort([tcp("0.0.0.0", 8000), tcp("0.0.0.0", 8001)], NO_PORT_CURSORS, { hostIps: ["0.0.0.0"], protocol: "tcp", start: 8000, end: 8001 })))
      .toBe("all ports are allocated");
  });

  it("-P maps every exposed port onto the ephemeral range, larger ports first (nat.SortPortMap)", () => {
    const r = bindContainerPorts([], NO_PORT_CURSORS, { exposed: ["80/tcp", "443/tcp"], bindings: {}, publishAll: true });
    expect(r.bound.map(formatBoundPort)).toEqual([
      "443/tcp -> 0.0.0.0:32768", "443/tcp -> [::]:32768", "80/tcp -> 0.0.0.0:32769", "80/tcp -> [::]:32769",
    ]);
  });

  it("-p 8080:80 binds 0.0.0.0 and ::, and a second container asking for 8080 fails", () => {
    const { bindings, exposed } = portBindingsOf(parsePortSpec("8080:80"));
    const first = bindContainerPorts([], NO_PORT_CURSORS, { exposed, bindings, publishAll: false });
    expect(first.bound.map(formatBoundPort)).toEqual(["80/tcp -> 0.0.0.0:8080", "80/tcp -> [::]:8080"]);
    const inUse = first.bound.map((b) => ({ hostIp: b.hostIp, hostPort: b.hostPort, protocol: b.protocol }));
    expect(errorOf(() => bindContainerPorts(inUse, first.cursors, { exposed, bindings, publishAll: false })))
      .toBe("Bind for 0.0.0.0:8080 failed: port is already allocated");
  });
});
