import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { isDrydockError } from "@drydock/kernel";
import { allocateHostPort, NO_PORT_CURSORS, parsePortSpec, parsePublishFlag, type HostBinding } from "./ports.js";

// go-connections' error texts, as patterns: anything else from parsePortSpec is a bug.
const TEXTS = [
  /^no port specified: [^]*<empty>$/,
  /^invalid proto: [^]*$/,
  /^invalid IP address: [^]+$/,
  /^invalid IP address [^]+: address [^]+: (missing port in address|missing '\]' in address|too many colons in address|unexpected '\[' in address|unexpected '\]' in address)$/,
  /^invalid containerPort: [^]+$/,
  /^invalid hostPort: [^]+$/,
  /^invalid ranges specified for container and host Ports: [^]+ and [^]+$/,
  /^invalid publish opts format \(should be name=value but got '[^]*'\)$/,
];

// Pieces a spec is made of, so that the generator reaches the valid forms and their edges.
const PIECE = fc.constantFrom(
  ":", "::", "/", "-", "[", "]", "0", "80", "8080", "65535", "65536", "080", "+1", "-1", "tcp", "udp", "sctp", "UDP", "xyz",
  "127.0.0.1", "0.0.0.0", "::1", "1.2.3", "01.2.3.4", "localhost", "fe80::1%eth0", "8000-8010", "80-81", "=", ",", "published", "target",
);
const spec = fc.oneof(
  fc.array(PIECE, { maxLength: 8 }).map((p) => p.join("")),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: fc.constantFrom(..."0123456789:-/[].abcdef"), maxLength: 24 }),
);

describe("parsePortSpec never throws anything but go-connections' errors", () => {
  it("any string gives mappings or a DrydockError with the real text", () => {
    fc.assert(
      fc.property(spec, (s) => {
        let mappings;
        try {
          mappings = parsePublishFlag(s);
        } catch (e) {
          expect(isDrydockError(e)).toBe(true);
          const msg = (e as Error).message;
          expect(TEXTS.some((t) => t.test(msg)), msg).toBe(true);
          return;
        }
        expect(mappings.length).toBeGreaterThan(0);
        for (const m of mappings) {
          expect(Number.isInteger(m.containerPort) && m.containerPort >= 0 && m.containerPort <= 65535).toBe(true);
          expect(["tcp", "udp", "sctp"]).toContain(m.protocol);
          expect(m.hostPort).toMatch(/^(|\d+|\d+-\d+)$/);
        }
      }),
      { numRuns: 1000 },
    );
  }, 60_000);

  it("a spec the parser accepts parses the same again from its canonical form", () => {
    fc.assert(
      fc.property(spec, (s) => {
        let mappings;
        try {
          mappings = parsePortSpec(s);
        } catch {
          return;
        }
        for (const m of mappings) {
          const host = m.hostIp.includes(":") ? `[${m.hostIp}]` : m.hostIp;
          const canonical = m.hostIp !== "" ? `${host}:${m.hostPort}:${m.containerPort}/${m.protocol}` : `${m.hostPort}:${m.containerPort}/${m.protocol}`;
          expect(parsePortSpec(canonical)).toEqual([m]);
        }
      }),
      { numRuns: 2000 },
    );
  }, 60_000);
});

describe("the port allocator binds a host port at most once", () => {
  it("any sequence of requests never gives the same address, port and protocol twice", () => {
    const req = fc.record({
      hostIps: fc.constantFrom(["0.0.0.0", "::"], ["0.0.0.0"], ["127.0.0.1"], ["::1"], ["10.0.0.1"]),
      protocol: fc.constantFrom("tcp", "udp"),
      fixed: fc.option(fc.integer({ min: 32766, max: 32772 }), { nil: null }),
    });
    const range = { begin: 32768, end: 32775 };
    fc.assert(
      fc.property(fc.array(req, { maxLength: 30 }), (reqs) => {
        let used: HostBinding[] = [];
        let cursors = NO_PORT_CURSORS;
        for (const r of reqs) {
          try {
            const got = allocateHostPort(used, cursors, { hostIps: r.hostIps, protocol: r.protocol, start: r.fixed ?? 0, end: r.fixed ?? 0 }, range);
            cursors = got.cursors;
            used = [...used, ...r.hostIps.map((hostIp) => ({ hostIp, hostPort: got.port, protocol: r.protocol }))];
          } catch (e) {
            expect(isDrydockError(e)).toBe(true);
          }
        }
        const clash = (a: HostBinding, b: HostBinding) =>
          a.protocol === b.protocol && a.hostPort === b.hostPort &&
          (a.hostIp === b.hostIp || [a.hostIp, b.hostIp].includes(a.hostIp.includes(":") ? "::" : "0.0.0.0") && a.hostIp.includes(":") === b.hostIp.includes(":"));
        for (let i = 0; i < used.length; i++) for (let j = i + 1; j < used.length; j++) expect(clash(used[i]!, used[j]!)).toBe(false);
      }),
    );
  });
});
