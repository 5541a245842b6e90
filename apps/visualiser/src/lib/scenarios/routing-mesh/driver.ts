import type { TraceRecord } from "@drydock/kernel";
import { nodeActors, type Driver, type Mark, type OptionValues } from "../../scenario.js";
import { HOSTS, openSwarmRun, swarmMarks, swarmMessageLabel, type SwarmScript } from "../swarm/driver.js";
import type { SwarmCaption } from "../swarm/model.js";
import type { MeshRequest, RoutingViewModel } from "./model.js";

// The routing mesh (issue 14): web publishes port 8080 in ingress mode; a client outside the swarm
// asks any node's port and the node's ingress DNATs it to its ingress sandbox, where IPVS picks a
// task on the service's VIP round robin, possibly on another node over the ingress overlay (moby
// docs "Use swarm mode routing mesh"; libnetwork service_linux.go). The contrast: endpoint mode
// DNSRR with host-mode ports, where only a node running a task answers on the port.

export const CLIENT = "client";
export const PORT = 8080;
export const REPLICAS = 3;
const KEEP = 6;

export function meshScript(options: OptionValues): SwarmScript {
  const dnsrr = options.mode === "dnsrr";
  return {
    hosts: [...HOSTS, CLIENT],
    lines: [dnsrr
      ? `docker service create --replicas ${REPLICAS} --name web --endpoint-mode dnsrr --publish mode=host,published=${PORT},target=80 nginx:1.27 >/dev/null`
      : `docker service create --replicas ${REPLICAS} --name web --publish ${PORT}:80 nginx:1.27 >/dev/null`],
  };
}

/** What the client types: one request to a node's published port, or a stream of six a second apart. */
export const requestLine = (node: string): string => `curl -s -o /dev/null -w '%{http_code}\\n' http://${node}:${PORT}/`;
export const streamLine = (node: string): string => `for i in 1 2 3 4 5 6; do ${requestLine(node)}; sleep 1; done`;

interface Decide { readonly event: "net.decide"; readonly tool: string; readonly outcome: string; readonly hop: string; readonly hops: readonly string[]; readonly at: string }

/** A hop as the trace words it, shortened to what the room reads ("iptables nat DOCKER-INGRESS: web publishes ..." → "DOCKER-INGRESS: DNAT to the ingress sandbox"). */
export function shortHop(h: string): string | null {
  if (h.startsWith("interface eth0")) return null;
  const body = h.replace(/^(interface|iptables|bridge|proxy|veth|process) /, "");
  return body
    .replace(/^nat DOCKER-INGRESS: web publishes \S+: /, "DOCKER-INGRESS: ")
    .replace(/^ingress_sbox mangle PREROUTING: /, "ingress_sbox: ")
    .replace(/^ipvs FWM (\d+) rr: .*round robin picks (\S+) \(([^)]*)\).*/, "IPVS (fwmark $1) picks $2: $3")
    .replace(/^vxlan0 \(ingress\): VXLAN VNI (\d+): encapsulated in UDP 4789, \S+ → \S+ \((.*)\)/, "VXLAN $1: $2")
    .replace(/\.[0-9a-z]{25}/g, "");
}

/** The client's requests in the trace after the setup, as the view shows them (exported for the tests). */
export function meshRequests(trace: readonly TraceRecord[], after: number, before = 0): { requests: MeshRequest[]; served: Record<string, number>; count: number } {
  const requests: MeshRequest[] = [];
  const served: Record<string, number> = {};
  let n = before;
  for (const r of trace) {
    if (r.t <= after || r.type !== "state" || r.data === null || typeof r.data !== "object") continue;
    const d = r.data as Partial<Decide>;
    if (d.event !== "net.decide" || d.tool !== "curl" || !d.hops || typeof d.at !== "string") continue;
    const wire = d.hops.find((h) => h.startsWith(`interface wire: ${CLIENT} → `));
    if (!wire) continue;
    const entry = wire.slice(`interface wire: ${CLIENT} → `.length);
    const answered = d.outcome === "connected";
    const at = d.at.split("@");
    const task = answered && at.length === 2 ? at[0]!.split(":")[0]!.replace(/\.[0-9a-z]{25}$/, "") : null;
    const taskHost = answered && at.length === 2 ? at[1]! : null;
    if (task) served[task] = (served[task] ?? 0) + 1;
    n++;
    requests.push({
      n, t: r.t, entry, task, taskHost, outcome: d.outcome ?? "",
      ipvs: d.hops.some((h) => h.startsWith("proxy ipvs")), overlay: d.hops.some((h) => h.includes("VXLAN")),
      hops: d.hops.map(shortHop).filter((h): h is string => h !== null),
    });
  }
  return { requests: requests.slice(-KEEP), served, count: n - before };
}

export function meshCaption(v: Pick<RoutingViewModel, "mode" | "requests" | "served">, swarm: SwarmCaption): SwarmCaption {
  if (swarm.step !== "steady") return swarm;
  const last = v.requests[v.requests.length - 1];
  const spread = Object.keys(v.served).sort().map((k) => `${k} ×${v.served[k]}`).join(", ");
  if (!last) {
    return v.mode === "vip"
      ? { step: "mesh-ready", title: `web publishes port ${PORT} on every node`, text: `${REPLICAS} tasks run on three nodes, but every node listens on ${PORT}: click any node to send the client's request there, or send a stream.` }
      : { step: "host-ready", title: `web publishes port ${PORT} in host mode, endpoint mode DNSRR`, text: `No VIP and no routing mesh: only a node running a web task answers on ${PORT}. Click a node to send the client's request there.` };
  }
  if (!last.task) {
    return { step: "refused", title: `${last.entry} refused the request`, text: `Host-mode ports bypass the routing mesh: ${last.entry} runs no web task, so nothing listens on ${PORT} there (${last.outcome}). Served so far: ${spread || "none"}.` };
  }
  if (!last.ipvs) {
    return { step: "host", title: `${last.entry} answered with its own task`, text: `Host mode: the node's port goes straight to the task on that node (${last.task}), no IPVS, no overlay. Served so far: ${spread}.` };
  }
  if (last.overlay) {
    return { step: "overlay", title: `${last.entry} → ${last.task} on ${last.taskHost}`, text: `${last.entry}'s ingress sandbox: IPVS picked ${last.task} round robin on the VIP, and the request crossed the ingress overlay (VXLAN) to ${last.taskHost}. Served so far: ${spread}.` };
  }
  return { step: "local", title: `${last.entry} → ${last.task}, on the same node`, text: `IPVS picked ${last.task}, which runs on ${last.entry} itself: no overlay hop this time. Served so far: ${spread}.` };
}

/**
 * meshRequests over a growing trace, reading only the records added since the last call (a frame
 * would otherwise read the whole trace); a trace that is not the one read before is read again.
 */
function meshScanner(after: number): (trace: readonly TraceRecord[]) => { requests: MeshRequest[]; served: Record<string, number> } {
  let seen: readonly TraceRecord[] | null = null;
  let len = 0;
  let lastRec: TraceRecord | undefined;
  let all: MeshRequest[] = [];
  let served: Record<string, number> = {};
  let count = 0;
  return (trace) => {
    if (trace !== seen || trace.length < len || trace[len - 1] !== lastRec) {
      seen = trace;
      len = 0;
      all = [];
      served = {};
      count = 0;
    }
    if (trace.length > len) {
      const more = meshRequests(trace.slice(len), after, count);
      count += more.count;
      all = [...all, ...more.requests].slice(-KEEP);
      served = { ...served };
      for (const [k, v] of Object.entries(more.served)) served[k] = (served[k] ?? 0) + v;
      len = trace.length;
      lastRec = trace[len - 1];
    }
    return { requests: all, served };
  };
}

export function createMeshDriver(seed: string, options: OptionValues): Driver<RoutingViewModel> {
  const run = openSwarmRun(seed, meshScript(options));
  const sim = run.sim;
  const mode = options.mode === "dnsrr" ? "dnsrr" : "vip";
  const scan = meshScanner(run.setup.at);
  return {
    playground: run.playground,
    sim,
    timeline: run.timeline,
    actors: nodeActors([...HOSTS, CLIENT]),
    view() {
      const swarm = run.swarm();
      const { requests, served } = scan(sim.trace);
      const m = { mode, requests, served } as const;
      return { ...swarm, ...m, port: PORT, caption: meshCaption(m, swarm.caption) };
    },
    notable(trace: readonly TraceRecord[], from: number): Mark[] {
      const out = swarmMarks(trace, from, run.setup.at);
      for (const q of meshRequests(trace.slice(Math.max(0, from)), run.setup.at).requests) {
        out.push({ t: q.t, label: q.task ? `request to ${q.entry} answered by ${q.task} on ${q.taskHost}` : `request to ${q.entry} ${q.outcome}` });
      }
      return out.sort((a, b) => a.t - b.t);
    },
    messageLabel: swarmMessageLabel,
    messageKind: swarmMessageLabel,
  };
}
