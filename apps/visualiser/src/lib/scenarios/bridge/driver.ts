import type { TraceRecord } from "@drydock/kernel";
import { formatIp4, formatPrefix4, type EngineState } from "@drydock/engine";
import { nodeActors, type Driver, type Mark, type OptionValues, type ScenarioKey } from "../../scenario.js";
import { nextStepKey } from "../build/driver.js";
import { hostSetup, openHostRun, stepTimes, type ScriptStep } from "../build/run.js";
import { createPlayground } from "@drydock/playground";
import type { Attachment, BridgeNet, BridgeViewModel, Caption, Hop, Request, StepInfo } from "./model.js";

// Single-host networks (issue 14): two user-defined bridges, front (web, publishing 8080, and a
// client) and back (db). A request from the client goes hop by hop as the world's traffic decides
// it (engine network/traffic.ts, recorded as net.decide): the embedded DNS server names web, the
// veth pair, the bridge, iptables' FORWARD chain, the container's process. The drops are Docker's:
// between two user bridges the raw PREROUTING isolation rule drops it, a port nobody listens on
// is refused, and the host reaches web through its published port's docker-proxy.

export const HOST = "node1";

export const SETUP_LINES: readonly string[] = [
  "docker network create front >/dev/null",
  "docker network create back >/dev/null",
  "docker run -d --name web --network front -p 8080:80 nginx:1.27-alpine >/dev/null",
  "docker run -d --name db --network back redis:7 >/dev/null",
  "docker run -d --name client --network front alpine sleep 3600 >/dev/null",
];

/** db's address on back, as the setup's engine gave it (a pure function of the seed). */
const dbIps = new Map<string, string>();
function dbIp(seed: string): string {
  const known = dbIps.get(seed);
  if (known) return known;
  const setup = hostSetup(seed, { host: HOST, lines: SETUP_LINES });
  const pg = createPlayground({ seed, nodes: [HOST] });
  pg.sim.loadActions(setup.actions);
  pg.sim.seekEvent(setup.events);
  const net = networks(pg.sim.state.hosts.get(HOST)!.engine).find((n) => n.name === "back");
  const ip = net?.attachments.find((a) => a.container === "db")?.ip ?? "172.19.0.2";
  dbIps.set(seed, ip);
  return ip;
}

export function bridgeSteps(seed: string): ScriptStep[] {
  return [
    { id: "web", label: "client asks web by name", line: "docker exec client wget -qO- -T 2 http://web/" },
    { id: "refused", label: "a port nobody listens on", line: "docker exec client wget -qO- -T 2 http://web:81/" },
    { id: "isolated", label: "client pings db on the other bridge", line: `docker exec client ping -c 1 -W 1 ${dbIp(seed)}` },
    { id: "published", label: "the host asks the published port", line: "curl -s -o /dev/null -w '%{http_code}\\n' http://localhost:8080/" },
  ];
}

/** The engine's bridge networks with their containers (the host and none networks have no bridge). */
export function networks(engine: EngineState): BridgeNet[] {
  const table = engine.networks;
  const out: BridgeNet[] = [];
  for (const n of table.networks.values()) {
    if (n.driver !== "bridge" || n.bridge === "") continue;
    const attachments: Attachment[] = [];
    for (const e of table.endpoints.values()) {
      if (e.networkId !== n.id || e.ip === null) continue;
      // One entry per port (Docker binds it on 0.0.0.0 and on ::).
      const ports = [...new Set((table.sandboxes.get(e.containerId)?.ports ?? []).map((p) => `${p.hostPort}→${p.containerPort}/${p.protocol}`))];
      attachments.push({ container: e.name, ip: formatIp4(e.ip), ifName: e.ifName, veth: e.vethHost, ports });
    }
    // The default bridge stays out of the picture while nothing uses it.
    if (n.name === "bridge" && attachments.length === 0) continue;
    out.push({
      name: n.name, bridge: n.bridge, subnet: n.subnet ? formatPrefix4(n.subnet) : "", gateway: n.gateway ? formatIp4(n.gateway) : "",
      embeddedDns: n.name !== "bridge", attachments: attachments.sort((a, b) => (a.ip < b.ip ? -1 : 1)),
    });
  }
  return out;
}

interface Decide { readonly event: "net.decide"; readonly tool: string; readonly outcome: string; readonly hop: string; readonly detail?: string; readonly rule?: string; readonly hops: readonly string[] }

const isDecide = (d: unknown): d is Decide => d !== null && typeof d === "object" && (d as { event?: unknown }).event === "net.decide" && Array.isArray((d as { hops?: unknown }).hops);

/** The latest request in the trace after `after` (its name lookup folded in), and how many there were. */
export function latestRequest(trace: readonly TraceRecord[], after: number): Request | null {
  let n = 0;
  let last: Request | null = null;
  let dns: string | null = null;
  for (const r of trace) {
    if (r.t < after || r.type !== "state") continue;
    const d = (r as { data: unknown }).data;
    if (!isDecide(d)) continue;
    if (d.outcome === "resolved" && d.hops.length === 0) {
      dns = d.detail ?? d.hop;
      continue;
    }
    n++;
    const hops: Hop[] = d.hops.map((h, i) => {
      const kind = h.split(" ")[0] ?? "";
      return { kind, text: h.slice(kind.length + 1), last: i === d.hops.length - 1 };
    });
    if (d.outcome === "unresolved") hops.push({ kind: "dns", text: d.detail ?? d.hop, last: true });
    const touches = new Set<string>();
    for (const h of d.hops) for (const m of h.matchAll(/\b(br-[0-9a-f]{12}|docker0|[a-z][a-z0-9_-]*(?= eth0)|(?<=→ )[a-z][a-z0-9_-]*(?= eth\d))/g)) touches.add(m[0]);
    last = {
      n, t: r.t, tool: d.tool, outcome: d.outcome, ok: d.outcome === "connected", detail: d.detail ?? "", rule: d.rule ?? null,
      dns: d.outcome === "unresolved" ? null : dns, hops, touches: [...touches],
    };
    dns = null;
  }
  return last;
}

export function bridgeCaption(v: Omit<BridgeViewModel, "caption">): Caption {
  const q = v.request;
  if (!q) {
    return { step: "start", title: "Two user-defined bridges", text: "front holds web (port 8080 published) and client; back holds db. Each container has a veth pair to its network's bridge, and the embedded DNS server (127.0.0.11) answers names on user-defined networks. Press Next." };
  }
  if (q.ok && q.hops.some((h) => h.kind === "proxy")) {
    return { step: "published", title: "A published port", text: "From the host, localhost:8080 reaches web through its published port: docker-proxy accepts and connects to 80 in the container, routed over front's bridge." };
  }
  if (q.ok) {
    return { step: "connected", title: "Across the bridge", text: `The embedded DNS server named web; the request left client by its veth pair, crossed front's bridge, passed iptables' FORWARD chain and reached nginx on port 80.` };
  }
  if (q.outcome === "refused") {
    return { step: "refused", title: "Nothing listening", text: `The request reached web over the bridge, but ${q.detail}: the kernel answered with a reset.` };
  }
  if (q.rule) {
    return { step: "isolated", title: "Dropped between bridges", text: `User-defined bridges are isolated from each other: ${q.detail} (iptables ${q.rule}).` };
  }
  return { step: q.outcome, title: `Request ${q.outcome}`, text: q.detail };
}

/** Any host's bridge networks and the latest request since `after` (the scene's steps and caption are the caller's). */
export function bridgeWorldView(engine: EngineState, host: string, trace: readonly TraceRecord[], after: number): Omit<BridgeViewModel, "steps" | "next" | "busy" | "caption"> {
  return { host, networks: networks(engine), request: latestRequest(trace, after) };
}

export function createBridgeDriver(seed: string, _options: OptionValues): Driver<BridgeViewModel> {
  const run = openHostRun(seed, { host: HOST, lines: SETUP_LINES });
  const sim = run.sim;
  const script = bridgeSteps(seed);
  return {
    playground: run.playground,
    sim,
    timeline: run.timeline,
    actors: nodeActors([HOST]),
    view() {
      const times = stepTimes(script, run.typed());
      const steps: StepInfo[] = script.map((s, i) => ({ ...s, done: i < times.length, at: times[i] ?? null }));
      const base = { ...bridgeWorldView(sim.state.hosts.get(HOST)!.engine, HOST, sim.trace, run.setup.at), steps, next: steps[times.length] ?? null, busy: run.busy() };
      return { ...base, caption: bridgeCaption(base) };
    },
    notable(trace: readonly TraceRecord[], from: number): Mark[] {
      const out: Mark[] = [];
      for (let i = Math.max(0, from); i < trace.length; i++) {
        const r = trace[i]!;
        const d = r.type === "state" ? (r as { data: unknown }).data : null;
        if (r.t < run.setup.at || !isDecide(d) || (d.outcome === "resolved" && d.hops.length === 0)) continue;
        out.push({ t: r.t, label: `${d.tool}: ${d.outcome} at ${d.hop}` });
      }
      return out;
    },
    messageLabel: () => "message",
  };
}

export const BRIDGE_KEYS: readonly ScenarioKey<BridgeViewModel>[] = [nextStepKey<BridgeViewModel>()];
