// Traffic in virtual time, through the kernel's endpoints. A container's interface is an
// endpoint below its host while the container runs (attached when its sandbox joins a bridge,
// detached when it leaves: `syncEndpoints`), so a request is a kernel message from one endpoint (or
// host) to another, with the hops and the latency the kernel gives it, and the trace records its
// path. What happens to it is decided by the engines (@drydock/engine's traffic.ts: DNS, routes,
// iptables, the process listening), planned by the tool that sends it (net-tools.ts) as steps:
// each step sends a request; at its far end the world records the hop that decided and either
// answers (after the server's time) or lets it die there (a rule's DROP), and the client waits
// for the answer or its timeout; the tool's output comes as the answers do.
import { CowMap, type Micros, type SimContext } from "@drydock/kernel";
import { endpointAddress, endpointPath, kernelEndpoints, lanAddress, type Endpoint, type NetHost, type NetWorld } from "@drydock/engine";
import type { OutputChunk } from "../shell/host.js";
import { splitChunks } from "../docker/follow.js";
import type { HostState, RunningJob, WorldMessage, WorldState } from "./state.js";
import { onDaemon, setHost } from "./ops.js";
import { finishJob } from "./model.js";
import { swarmNetView, type IpvsDraft } from "./ingress.js";
import { kubeNetView } from "./kube-net.js";

// ---- the plan of a request, as data ----

/** A chunk of output; "{rtt}" in its text is the measured round trip in ms (ping's time=; "{rtt2}" with two decimals, httping's), "{seq}" the step's number. */
export type NetChunk = OutputChunk;

/** One request and its answer (or its loss). */
export interface NetStep {
  /** Kernel addresses: a container's endpoint ("web:eth0@node1") or a host. Equal: the container's own loopback. */
  readonly from: string;
  readonly to: string;
  /** "dns", "tcp", "http", "icmp". */
  readonly kind: string;
  /** Answered (a reply, a refusal, an NXDOMAIN) or dropped where it was decided (no answer). */
  readonly answered: boolean;
  /** The server's time before it answers. */
  readonly serverUs: Micros;
  /** How long the client waits when there is no answer. */
  readonly waitUs: Micros;
  /** What the trace records where it was decided. */
  readonly decided: { readonly outcome: string; readonly hop: string; readonly detail: string; readonly rule?: string; readonly hops: readonly string[] };
  readonly onAnswer: readonly NetChunk[];
  readonly onNoAnswer: readonly NetChunk[];
  /** Time between this step's end and the next one's start (ping's interval). */
  readonly gapUs: Micros;
  /** A step with no answer ends the run (a connect that failed). */
  readonly stopOnNoAnswer: boolean;
  /** A batch run's estimate of the round trip (a live run measures the kernel's). */
  readonly rttUs: Micros;
  /** One of the probes the tool's statistics count (ping's echoes, httping's requests); ICMP steps are always. */
  readonly probe?: boolean;
  /** A probe answered with a failure (httping's refused connect): counted as sent, not as ok. */
  readonly failed?: boolean;
}

/** Does the tool's statistics count this step (not the DNS query before the probes)? */
export const isProbe = (s: NetStep): boolean => s.kind === "icmp" || s.probe === true;

/** What a network tool does, as data the world runs (kept in the world's snapshots). */
export interface NetPlan {
  /** "curl", "wget", "ping", "nslookup", … (the trace's name for it). */
  readonly tool: string;
  /** Printed when it starts. */
  readonly start: readonly NetChunk[];
  readonly steps: readonly NetStep[];
  /** Repeated after the steps until interrupted (ping without -c): its number is "{seq}". */
  readonly repeat: NetStep | null;
  /** How it ends: the exit status and what it prints then; "ping" statistics are made from what was measured. */
  readonly end: { readonly status: number; readonly chunks: readonly NetChunk[]; readonly statusOnNoAnswer?: number; readonly chunksOnNoAnswer?: readonly NetChunk[]; readonly stats?: PingStats };
}

/** What ping's statistics need: its style and the name it was given (httping: the URL it requests). */
export interface PingStats {
  readonly style: "busybox" | "iputils" | "httping";
  readonly host: string;
  readonly everyUs: Micros;
}

/** A running request's state (RunningJob.traffic). */
export interface TrafficRun {
  /** The step in progress (repeats count on after the steps). */
  readonly step: number;
  /** Bumped at each step: answers and timers of an older one are stale. */
  readonly token: number;
  readonly sentAt: Micros;
  readonly startedAt: Micros;
  /** Round trips measured (µs), one per answered echo (ping). */
  readonly rtts: readonly Micros[];
  /** Echoes sent (ping). */
  readonly sent: number;
  readonly noAnswer: boolean;
  readonly chunks: readonly OutputChunk[];
}

/** The world's messages for traffic. */
export interface NetMessage extends WorldMessage {
  readonly type: "net.request" | "net.reply";
  /** The host whose terminal runs the tool, its line and the step's token. */
  readonly origin: string;
  readonly seq: number;
  readonly token: number;
  readonly step: number;
  readonly kind: string;
}

// ---- the world as traffic sees it ----

/** Every host with its LAN address, engine, disk and the processes on it that listen (registries started at its prompt). */
export function netWorld(s: WorldState, ipvs?: IpvsDraft, kubeDraw?: () => number, from?: string): NetWorld {
  const names = [...s.hosts.keys()];
  const hosts: NetHost[] = names.map((name, i) => {
    const h = s.hosts.get(name)!;
    return {
      name, ip: lanAddress(i), engine: h.engine, fs: h.fs,
      listens: (port, proto) => (proto === "tcp" && s.registries.get(`localhost:${port}`) === name ? "registry" : null),
    };
  });
  // In a swarm: its overlays, services, the running tasks as `from`'s endpoint table has them, and the routing mesh (world/ingress.ts).
  const swarm = swarmNetView(s, ipvs, from);
  // With Kubernetes: kube-proxy, the pod network, CoreDNS and NetworkPolicy (world/kube-net.ts).
  const kube = kubeNetView(s, kubeDraw);
  return { hosts, wireUs: 3_000, ...(swarm ? { swarm } : {}), ...(kube ? { kube } : {}) };
}

/** The world with one host's engine and disk as a command has them so far (a line's draft). */
export function netWorldWith(s: WorldState, host: string, engine: HostState["engine"], fs: HostState["fs"], ipvs?: IpvsDraft, kubeDraw?: () => number): NetWorld {
  const w = netWorld(s, ipvs, kubeDraw, host);
  return { ...w, hosts: w.hosts.map((h) => (h.name === host ? { ...h, engine, fs } : h)) };
}

/** A registry's repositories by the address it is reached at ("localhost:5000"). */
export function catalogOf(s: WorldState): (domain: string) => readonly string[] {
  return (domain) => {
    try {
      return s.hub.get(domain).repositories();
    } catch {
      return [];
    }
  };
}

/** The LAN address of a host. */
export function hostAddress(s: WorldState, name: string): string {
  return lanAddress(Math.max(0, [...s.hosts.keys()].indexOf(name)));
}

// ---- endpoints below hosts ----

/** What the last sync left, per simulation: the kernel's network then, and each host's engine tables. */
interface Synced {
  net: object;
  readonly hosts: Map<string, { readonly endpoints: ReadonlyMap<string, Endpoint>; readonly networks: object }>;
}
const synced = new WeakMap<object, Synced>();

/**
 * The kernel's endpoints below `host` made to match its engine's: a container's interface on a
 * bridge is attached while it runs, detached when it stops; a changed path is attached again.
 * When nothing but these syncs changed the kernel's network since the last one, only the engine
 * endpoints that changed since then are looked at (CowMap.changedKeys: a host of 10,000
 * containers costs one endpoint per `docker run`, not 10,000); otherwise the whole host is
 * compared. Either way the changes go to the kernel in one order (detaches, then attaches, each by
 * address), so a replay that starts from a snapshot traces what the first run traced.
 */
export function syncEndpoints(s: WorldState, host: string, ctx: SimContext<WorldMessage>): void {
  const h = s.hosts.get(host);
  if (!h) return;
  let seen = synced.get(ctx);
  if (!seen || seen.net !== ctx.net) synced.set(ctx, (seen = { net: ctx.net, hosts: new Map() }));
  const table = h.engine.networks;
  const last = seen.hosts.get(host);
  if (last && last.endpoints === table.endpoints && last.networks === table.networks) return;
  const pathOf = (e: Endpoint | undefined) => (e === undefined || e.ifName === "" || e.ip === null ? null : endpointPath(table, e));
  // The kernel addresses to look at, and the path each should have (absent: none).
  const want = new Map<string, readonly string[]>();
  const look = new Set<string>();
  if (last && last.networks === table.networks && table.endpoints instanceof CowMap && last.endpoints instanceof CowMap) {
    const before = last.endpoints as CowMap<string, Endpoint>;
    for (const k of (table.endpoints as CowMap<string, Endpoint>).changedKeys(before)) {
      const was = before.get(k);
      if (pathOf(was) !== null) look.add(endpointAddress(host, was!));
      const now = table.endpoints.get(k);
      const path = pathOf(now);
      if (path !== null) {
        look.add(endpointAddress(host, now!));
        want.set(endpointAddress(host, now!), path);
      }
    }
  } else {
    for (const [id, path] of kernelEndpoints(host, h.engine)) {
      want.set(id, path);
      look.add(id);
    }
    for (const [id, e] of ctx.net.endpoints) if (e.host === host) look.add(id);
  }
  const detach: string[] = [];
  const attach: string[] = [];
  for (const id of look) {
    const e = ctx.net.endpoints.get(id);
    const path = want.get(id);
    const same = e !== undefined && path !== undefined && path.join("\0") === e.path.join("\0");
    if (e !== undefined && e.host === host && !same) detach.push(id);
    if (path !== undefined && !same) attach.push(id);
  }
  for (const id of detach.sort()) ctx.endpoint({ type: "detach", endpoint: id });
  for (const id of attach.sort()) ctx.endpoint({ type: "attach", endpoint: id, host, path: want.get(id)! });
  seen.net = ctx.net;
  seen.hosts.set(host, { endpoints: table.endpoints, networks: table.networks });
}

// ---- running a plan ----

const hostOfAddress = (addr: string) => (addr.includes("@") ? addr.slice(addr.lastIndexOf("@") + 1) : addr);

function stepOf(plan: NetPlan, i: number): NetStep | null {
  if (i < plan.steps.length) return plan.steps[i]!;
  return plan.repeat;
}

/** A step's output with its placeholders filled: "{rtt}" the measured round trip, "{seq}" / "{seq1}" the echo's number from 0 / 1. */
function fill(chunks: readonly NetChunk[], rttUs: Micros | null, step: number, plan: NetPlan): OutputChunk[] {
  const seq = step - plan.steps.filter((s) => !isProbe(s)).length;
  return chunks.map((c) => ({
    fd: c.fd, text: c.text.replace(/\{rtt2\}/g, rttUs === null ? "" : (rttUs / 1000).toFixed(2)).replace(/\{rtt\}/g, rttUs === null ? "" : msText(rttUs)).replace(/\{seq1\}/g, String(seq + 1)).replace(/\{seq\}/g, String(seq)),
  }));
}

/** iputils and busybox print round trips with three decimals below 100 ms. */
export function msText(us: Micros): string {
  const ms = us / 1000;
  return ms < 100 ? ms.toFixed(3) : ms.toFixed(1);
}

function jobOf(s: WorldState, origin: string, seq: number): { h: HostState; job: RunningJob; run: TrafficRun; plan: NetPlan } | null {
  const h = s.hosts.get(origin);
  const job = h?.running?.job;
  if (!h || !h.running || h.running.seq !== seq || !job?.traffic || !job.pending.traffic) return null;
  return { h, job, run: job.traffic, plan: job.pending.traffic };
}

function withRun(s: WorldState, h: HostState, job: RunningJob, run: TrafficRun, out: readonly OutputChunk[] = []): WorldState {
  const text = out.map((c) => c.text).join("");
  const next: RunningJob = { ...job, traffic: { ...run, chunks: [...run.chunks, ...out] }, shown: job.streams ? job.shown + text : job.shown };
  return setHost(s, { ...h, running: { ...h.running!, job: next } });
}

/** A traffic job begins: what it prints first, then its first request. */
export function startTraffic(s: WorldState, name: string, ctx: SimContext<WorldMessage>): WorldState {
  for (const host of s.hosts.keys()) syncEndpoints(s, host, ctx);
  const h = s.hosts.get(name)!;
  const job = h.running!.job!;
  const plan = job.pending.traffic!;
  ctx.record(name, { event: "net.start", tool: plan.tool });
  const run: TrafficRun = { step: 0, token: 0, sentAt: ctx.now, startedAt: ctx.now, rtts: [], sent: 0, noAnswer: false, chunks: [] };
  const s1 = withRun(s, h, job, run, plan.start);
  return sendStep(s1, name, ctx);
}

/** Sends the current step's request (or ends the run when there is none). */
function sendStep(s: WorldState, origin: string, ctx: SimContext<WorldMessage>): WorldState {
  const h = s.hosts.get(origin)!;
  const job = h.running!.job!;
  const run = job.traffic!;
  const plan = job.pending.traffic!;
  const step = stepOf(plan, run.step);
  if (step === null) return endTraffic(s, origin, ctx);
  const token = run.token + 1;
  const seq = h.running!.seq;
  const next: TrafficRun = { ...run, token, sentAt: ctx.now, sent: run.sent + (isProbe(step) ? 1 : 0) };
  const s1 = withRun(s, h, job, next);
  const msg: NetMessage = { type: "net.request", origin, seq, token, step: run.step, kind: step.kind };
  if (step.from === step.to) {
    // The container's own loopback (or the host's): nothing leaves it.
    ctx.record(hostOfAddress(step.from), { event: "net.decide", tool: plan.tool, ...step.decided, at: step.from });
    ctx.setTimer(origin, ctx.now + step.serverUs + 10, "net.local", { seq, token });
    return s1;
  }
  ctx.send(step.from, step.to, msg);
  ctx.setTimer(origin, ctx.now + Math.max(step.waitUs, 1), "net.timeout", { seq, token });
  return s1;
}

/** A request or an answer arrived. */
export function deliverTraffic(s: WorldState, msg: NetMessage, from: string, to: string, ctx: SimContext<WorldMessage>): WorldState {
  const j = jobOf(s, msg.origin, msg.seq);
  if (!j || j.run.token !== msg.token) return s; // an interrupted line's, or an older step's
  const step = stepOf(j.plan, msg.step);
  if (!step) return s;
  if (msg.type === "net.request") {
    ctx.record(hostOfAddress(to), { event: "net.decide", tool: j.plan.tool, ...step.decided, at: to });
    if (!step.answered) return s; // dropped here: the client waits for its timeout
    const reply: NetMessage = { ...msg, type: "net.reply" };
    // An echo's answer takes the kernel a little while, not always the same (ping's times vary).
    const serveUs = step.kind === "icmp" ? step.serverUs + ctx.rng("traffic/jitter").int(0, Math.min(80, 2 * step.serverUs)) : step.serverUs;
    if (serveUs <= 0) ctx.send(to, from, reply);
    else ctx.setTimer(hostOfAddress(to), ctx.now + serveUs, "net.serve", { from: to, to: from, msg: reply });
    return s;
  }
  return answered(s, j, step, ctx.now - j.run.sentAt, ctx);
}

function answered(s: WorldState, j: NonNullable<ReturnType<typeof jobOf>>, step: NetStep, rttUs: Micros, ctx: SimContext<WorldMessage>): WorldState {
  // Only echoes count in ping's statistics (not the DNS query before them).
  const rtts = isProbe(step) && step.failed !== true ? [...j.run.rtts, rttUs] : j.run.rtts;
  const run: TrafficRun = { ...j.run, token: j.run.token + 1, rtts, step: j.run.step + 1 };
  const s1 = withRun(s, j.h, j.job, run, fill(step.onAnswer, rttUs, j.run.step, j.plan));
  return nextStep(s1, j.h.name, step, ctx);
}

function nextStep(s: WorldState, origin: string, step: NetStep, ctx: SimContext<WorldMessage>): WorldState {
  const h = s.hosts.get(origin)!;
  const run = h.running!.job!.traffic!;
  if (stepOf(h.running!.job!.pending.traffic!, run.step) === null) return endTraffic(s, origin, ctx);
  if (step.gapUs <= 0) return sendStep(s, origin, ctx);
  ctx.setTimer(origin, ctx.now + step.gapUs, "net.next", { seq: h.running!.seq, token: run.token });
  return s;
}

/** The world's timers for traffic: a server answers, a client gives up, the next step is due. */
export function trafficTimer(s: WorldState, node: string, name: string, data: unknown, ctx: SimContext<WorldMessage>): WorldState {
  if (name === "net.serve") {
    const d = data as { from: string; to: string; msg: NetMessage };
    const j = jobOf(s, d.msg.origin, d.msg.seq);
    if (j && j.run.token === d.msg.token) ctx.send(d.from, d.to, d.msg);
    return s;
  }
  const { seq, token } = data as { seq: number; token: number };
  const j = jobOf(s, node, seq);
  if (!j || j.run.token !== token) return s;
  const step = stepOf(j.plan, j.run.step);
  if (!step) return s;
  if (name === "net.local") return answered(s, j, step, step.serverUs + 10, ctx);
  if (name === "net.next") return sendStep(s, node, ctx);
  if (name !== "net.timeout") return s;
  // No answer in time.
  const run: TrafficRun = { ...j.run, token: j.run.token + 1, step: j.run.step + 1, noAnswer: true };
  const s1 = withRun(s, j.h, j.job, run, fill(step.onNoAnswer, null, j.run.step, j.plan));
  if (step.stopOnNoAnswer) return endTraffic(s1, node, ctx);
  return nextStep(s1, node, step, ctx);
}

/** The statistics ping prints when it ends (its count reached, or Ctrl-C). */
export function pingStats(st: PingStats, sent: number, rtts: readonly Micros[], elapsedUs: Micros): string {
  const received = rtts.length;
  const loss = sent === 0 ? 0 : Math.round(((sent - received) / sent) * 100);
  const ms = rtts.map((r) => r / 1000);
  const min = Math.min(...ms);
  const max = Math.max(...ms);
  const avg = ms.reduce((a, b) => a + b, 0) / Math.max(1, received);
  if (st.style === "httping") {
    // httping 2.9 (main.c): connects, ok, the failed share with two decimals, the run's time; then min/avg/max with one.
    const failed = sent === 0 ? 0 : ((sent - received) / sent) * 100;
    const rt = received > 0 ? `round-trip min/avg/max = ${min.toFixed(1)}/${avg.toFixed(1)}/${max.toFixed(1)} ms\n` : "";
    return `--- ${st.host} ping statistics ---\n${sent} connects, ${received} ok, ${failed.toFixed(2)}% failed, time ${Math.round(elapsedUs / 1000)}ms\n${rt}`;
  }
  if (st.style === "busybox") {
    const rt = received > 0 ? `round-trip min/avg/max = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)} ms\n` : "";
    return `\n--- ${st.host} ping statistics ---\n${sent} packets transmitted, ${received} packets received, ${loss}% packet loss\n${rt}`;
  }
  const mdev = Math.sqrt(ms.reduce((a, b) => a + (b - avg) ** 2, 0) / Math.max(1, received));
  const rt = received > 0 ? `rtt min/avg/max/mdev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${mdev.toFixed(3)} ms\n` : "";
  return `\n--- ${st.host} ping statistics ---\n${sent} packets transmitted, ${received} received, ${loss}% packet loss, time ${Math.round(elapsedUs / 1000)}ms\n${rt}`;
}

/** The run is over: its last words, and the line goes on with its outcome. */
function endTraffic(s: WorldState, origin: string, ctx: SimContext<WorldMessage>, interrupted = false): WorldState {
  const h = s.hosts.get(origin)!;
  const job = h.running!.job!;
  const run = job.traffic!;
  const plan = job.pending.traffic!;
  const end = plan.end;
  let tail: OutputChunk[];
  let status: number;
  if (end.stats) {
    // iputils counts the intervals; httping the time the run took.
    const elapsed = end.stats.style === "httping" ? ctx.now - run.startedAt : Math.max(0, (run.sent - 1) * end.stats.everyUs);
    tail = [{ fd: 1, text: pingStats(end.stats, run.sent, run.rtts, elapsed) }];
    // ping exits 1 with no reply; httping 127 with no request that succeeded.
    status = run.rtts.length > 0 ? 0 : end.stats.style === "httping" ? 127 : 1;
  } else if (run.noAnswer && end.chunksOnNoAnswer) {
    tail = [...end.chunksOnNoAnswer];
    status = end.statusOnNoAnswer ?? 1;
  } else {
    tail = [...end.chunks];
    status = end.status;
  }
  const all = [...run.chunks, ...(interrupted ? [{ fd: 2 as const, text: "^C" }] : []), ...tail].filter((c) => c.text !== "");
  ctx.record(origin, { event: "net.done", tool: plan.tool, status, sent: run.sent, answered: run.rtts.length });
  const shownTail = (interrupted ? "^C" : "") + tail.map((c) => c.text).join("");
  let after: HostState = { ...h, running: { ...h.running!, job: { ...job, traffic: { ...run, token: run.token + 1 }, shown: job.streams ? job.shown + shownTail : job.shown } } };
  let s1 = setHost(s, after);
  const ex = job.pending.trafficExec;
  if (ex) {
    // `docker exec`'s process ends with the requests.
    s1 = onDaemon(s1, after, ctx, (d) => d.execEnd(ex.container, ex.exec, status));
    after = s1.hosts.get(origin)!;
  }
  return finishJob(s1, after, { status, ...splitChunks(all), chunks: all }, ctx);
}

/** Ctrl-C during a traffic job: ping prints its statistics; the others end with ^C (the caller's default). */
export function interruptTraffic(s: WorldState, h: HostState, ctx: SimContext<WorldMessage>): WorldState | null {
  const job = h.running?.job;
  if (!job?.traffic || !job.pending.traffic?.end.stats) return null;
  return endTraffic(s, h.name, ctx, true);
}

export type { WorldMessage };
