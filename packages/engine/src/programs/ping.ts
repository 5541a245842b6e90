// ping, as busybox (alpine, busybox) and iputils (debian, ubuntu, centos) print it: one reply a
// second, statistics when it is interrupted (SIGINT) or its count is reached. It installs no
// handler for SIGTERM, so as a container's PID 1 it ignores `docker stop` until the SIGKILL.
import { MICROS_PER_MS, MICROS_PER_SECOND, type Micros } from "@drydock/kernel";
import { unit } from "../util/det.js";
import { isBusybox } from "./basic.js";
import type { Program, StartContext } from "./program.js";
import { basePlan, exitPlan, linesAt, type Plan, type PlanLine, type Reaction } from "./types.js";
import { connect, lookupName } from "../network/traffic.js";

type Params = Readonly<Record<string, string | number>>;

/** Where a name points and how far away it is (there is no DNS yet: a few names are known). */
function target(host: string, ctx: StartContext): { ip: string; rttUs: number; ttl: number } | null {
  if (host === "localhost" || /^127\./.test(host)) return { ip: host === "localhost" ? "127.0.0.1" : host, rttUs: 45, ttl: 64 };
  if (host === ctx.hostname || host === ctx.ip) return { ip: ctx.ip || "127.0.0.1", rttUs: 40, ttl: 64 };
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    if (/^172\.1[6-9]\.|^10\.|^192\.168\./.test(host)) return { ip: host, rttUs: 90, ttl: 64 };
    return { ip: host, rttUs: host === "8.8.8.8" ? 11_400 : 8_000 + Math.floor(unit(host) * 30_000), ttl: host === "8.8.8.8" ? 118 : 50 + Math.floor(unit(`ttl${host}`) * 70) };
  }
  // A name with a dot is on the internet (a public address made from the name); a bare word is unknown.
  if (!host.includes(".")) return null;
  const h = Math.floor(unit(host) * 0xffffff);
  return { ip: `142.${(h >> 16) & 255}.${(h >> 8) & 255}.${(h & 254) + 1}`, rttUs: 9_000 + Math.floor(unit(`rtt${host}`) * 25_000), ttl: 56 + Math.floor(unit(`ttl${host}`) * 60) };
}

/**
 * Where a name points on the process's networks (the engine's traffic model: the embedded DNS,
 * routes, iptables), when it is theirs: a reply's round trip and ttl, "lost" (a rule drops it:
 * no reply ever), "unreachable" (no route), "unknown" (no such name). Undefined: not a name the
 * networks decide (the loopback, the internet), which `target` answers as before.
 */
function netTarget(host: string, ctx: StartContext): { ip: string; rttUs: number; ttl: number } | { ip: string; lost: "lost" | "unreachable" } | "unknown" | undefined {
  const net = ctx.net;
  if (!net || host === "localhost" || /^127\./.test(host)) return undefined;
  const src = { host: net.host, container: ctx.containerId };
  const lk = lookupName(net.world, src, host);
  if (lk.addresses.length === 0) return lk.server === "" && lk.query === null && ctx.ip === "" ? undefined : "unknown";
  const ip = lk.addresses[0]!;
  const c = connect(net.world, src, ip, 0, "icmp");
  if (c.server !== null && c.server.host === "") return undefined;
  if (c.outcome === "connected") return { ip, rttUs: Math.max(45, c.rttUs), ttl: c.ttl };
  return { ip, lost: c.outcome === "unreachable" && c.decidedBy.kind === "route" ? "unreachable" : "lost" };
}

/** Round-trip time of reply k: the base time with a little deterministic jitter. */
function rtt(p: Params, k: number): number {
  const base = Number(p["rtt"]);
  return Math.max(5, Math.round(base * (0.93 + 0.14 * unit(`${p["seed"]}/${k}`))));
}

/** iputils prints three significant digits (time=11.5 ms, 0.045 ms, 123 ms). */
function iputilsMs(us: number): string {
  const ms = us / 1000;
  if (ms < 1) return ms.toFixed(3);
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

function replyLine(p: Params, k: number): string {
  const t = rtt(p, k);
  if (p["style"] === "busybox") return `64 bytes from ${p["ip"]}: seq=${k} ttl=${p["ttl"]} time=${(t / 1000).toFixed(3)} ms\n`;
  return `64 bytes from ${p["ip"]}: icmp_seq=${k + 1} ttl=${p["ttl"]} time=${iputilsMs(t)} ms\n`;
}

/** The statistics after `sent` packets and `received` replies. */
function stats(p: Params, sent: number, received: number, elapsedUs: number): string {
  const times = Array.from({ length: received }, (_, k) => rtt(p, k) / 1000);
  const loss = sent === 0 ? 0 : Math.round(((sent - received) / sent) * 100);
  const min = Math.min(...times);
  const max = Math.max(...times);
  const avg = times.reduce((a, b) => a + b, 0) / Math.max(1, received);
  if (p["style"] === "busybox") {
    const rt = received > 0 ? `round-trip min/avg/max = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)} ms\n` : "";
    return `\n--- ${p["host"]} ping statistics ---\n${sent} packets transmitted, ${received} packets received, ${loss}% packet loss\n${rt}`;
  }
  const mdev = Math.sqrt(times.reduce((a, b) => a + (b - avg) ** 2, 0) / Math.max(1, received));
  const rt = received > 0 ? `rtt min/avg/max/mdev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${mdev.toFixed(3)} ms\n` : "";
  return `\n--- ${p["host"]} ping statistics ---\n${sent} packets transmitted, ${received} received, ${loss}% packet loss, time ${Math.round(elapsedUs / 1000)}ms\n${rt}`;
}

/** Reply k arrives at k·interval + its round-trip time. */
function arrivedBy(p: Params, at: Micros): { sent: number; received: number } {
  const every = Number(p["every"]);
  const count = Number(p["count"]);
  const sent = Math.min(Math.floor(at / every) + 1, count > 0 ? count : Infinity);
  // Reply k is printed at k·interval plus the base round-trip time (the tick's schedule).
  const received = at < Number(p["rtt"]) ? 0 : Math.min(sent, Math.floor((at - Number(p["rtt"])) / every) + 1);
  return { sent, received };
}

function onInterrupt(p: Params, at: Micros): Reaction {
  const { sent, received } = arrivedBy(p, at);
  const elapsed = Math.max(0, (sent - 1) * Number(p["every"]));
  const code = received > 0 ? 0 : 1;
  return { kind: "exit", code, after: 200, lines: linesAt(0, stats(p, sent, received, elapsed)) };
}

export const ping: Program = {
  names: ["ping", "ping6"],
  ticks: { ping: replyLine },
  reactions: { "ping-stats": (p, at) => onInterrupt(p, at) },
  start(ctx) {
    const busybox = isBusybox(ctx);
    const style = busybox ? "busybox" : "iputils";
    const args = ctx.spec.argv.slice(1);
    let count = 0;
    let every: Micros = MICROS_PER_SECOND;
    let quiet = false;
    const hosts: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const opt = /^-([cisWwt])(.*)$/.exec(a);
      if (opt) {
        const v = opt[2] !== "" ? opt[2]! : (args[++i] ?? "");
        if (opt[1] === "c") count = Math.max(0, Number.parseInt(v, 10) || 0);
        if (opt[1] === "i") every = Math.max(200 * MICROS_PER_MS, Math.round(Number.parseFloat(v) * MICROS_PER_SECOND) || MICROS_PER_SECOND);
        continue;
      }
      if (a === "-q") quiet = true;
      else if (/^-[46nvfDO]+$/.test(a)) continue;
      else hosts.push(a);
    }
    const host = hosts[hosts.length - 1];
    if (host === undefined) {
      return exitPlan("ping", busybox ? 1 : 2, linesAt(0, busybox ? "BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n" : "ping: usage error: Destination address required\n", "stderr"));
    }
    const viaNet = netTarget(host, ctx);
    const lost = typeof viaNet === "object" && "lost" in viaNet ? viaNet : null;
    const t = viaNet === "unknown" ? null : viaNet !== undefined && !("lost" in viaNet) ? viaNet : lost ? { ip: lost.ip, rttUs: 0, ttl: 64 } : target(host, ctx);
    if (t === null) {
      return exitPlan("ping", busybox ? 1 : 2, linesAt(2 * MICROS_PER_MS, busybox ? `ping: bad address '${host}'\n` : `ping: ${host}: Name or service not known\n`, "stderr"));
    }
    const header = busybox ? `PING ${host} (${t.ip}): 56 data bytes\n` : `PING ${host} (${t.ip}) 56(84) bytes of data.\n`;
    if ((ctx.ip === "" || lost?.lost === "unreachable") && !/^127\.|localhost/.test(host)) {
      // --network none: only the loopback interface.
      return exitPlan("ping", 1, [...linesAt(0, header), ...linesAt(MICROS_PER_MS, "ping: sendto: Network unreachable\n", "stderr")]);
    }
    // A reply that never comes (a rule drops the echo): no lines, and the statistics count none received.
    const params: Params = { host, ip: t.ip, ttl: t.ttl, rtt: lost ? Number.MAX_SAFE_INTEGER : t.rttUs, seed: `${ctx.containerId}/${ctx.now}/${host}`, style, every, count };
    const lines: PlanLine[] = linesAt(0, header);
    const signals: Record<string, Reaction> = { SIGINT: { kind: "call", fn: "ping-stats", params } };
    if (lost) {
      const plan: Plan = { ...basePlan("ping"), lines, memory: { base: 900 * 1024, growPerSec: 0, max: null }, signals };
      if (count === 0) return plan;
      // With -c: the echoes go out one a second; it waits ten seconds more for replies, then gives up.
      const end = (count - 1) * every + 10 * MICROS_PER_SECOND;
      return { ...plan, lines: [...lines, ...linesAt(end, stats(params, count, 0, (count - 1) * every))], exit: { at: end, code: 1 } };
    }
    const plan: Plan = {
      ...basePlan("ping"), lines, memory: { base: 900 * 1024, growPerSec: 0, max: null }, signals,
      tick: quiet ? null : { from: Number(params["rtt"]), every, count: count > 0 ? count : null, gen: "ping", params, stream: "stdout" },
    };
    if (count === 0) return plan;
    // With -c the last reply arrives, then the statistics, then it exits.
    const lastAt = (count - 1) * every + Number(params["rtt"]);
    const end = lastAt + 100;
    return {
      ...plan,
      lines: [...lines, ...linesAt(end, stats(params, count, count, (count - 1) * every))],
      exit: { at: end, code: 0 },
    };
  },
};
