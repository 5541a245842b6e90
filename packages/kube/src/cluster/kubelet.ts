// A kubelet with a fake container runtime, as plain data: the pods its node should run (as the
// API server last told it), each pod's containers through a timed plan, and the status it reports.
// A pod is one network namespace (its IP, shared by its containers); each container has its own
// plan. Timings: image pull and start 1 s, readiness 0.5 s later; an image whose repository (any
// path part) starts with "bad" exits 1 s after each start and restarts with CrashLoopBackOff's
// back-off (10 s doubling to 300 s, kubelet's backOffPeriod and MaxContainerBackOff); stopping
// takes 0.2 s. Probes and restartPolicy as the kubelet's prober workers and kuberuntime apply them.
import type { Probe } from "../api/types.js";

/** A container as the kubelet is told to run it: probes, ports and the script only when set (the push is compared as text). */
export interface AssignedContainer {
  readonly name: string;
  readonly image: string;
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  /** Declared containerPorts (the fake runtime listens on these). */
  readonly ports?: readonly { readonly containerPort: number; readonly name?: string }[];
  /** command and args joined, which the fake runtime reads for the probe's files (see `fakeProbe`). */
  readonly script?: string;
  /** The fake runtime's process ends by itself this long after it starts, with this code (see `scriptEnd`). */
  readonly finishes?: { readonly afterUs: number; readonly code: number };
}

/** What the API server tells a kubelet about one pod bound to its node. */
export interface PodAssignment {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  readonly containers: readonly AssignedContainer[];
  readonly deleting: boolean;
  /** OnFailure or Never; absent means Always (the API's default). */
  readonly restartPolicy?: "OnFailure" | "Never";
}

export interface ContainerReport {
  readonly name: string;
  readonly ready: boolean;
  readonly restartCount: number;
  /** ContainerCreating, CrashLoopBackOff; none when running. */
  readonly reason?: string;
  readonly startedAt?: number;
  /** The container ended and will not be restarted (restartPolicy OnFailure after exit 0, or Never). */
  readonly terminated?: { readonly exitCode: number; readonly reason: "Completed" | "Error" };
}

/** What a kubelet reports about one pod. */
export interface PodReport {
  readonly uid: string;
  readonly phase: "Pending" | "Running" | "Succeeded" | "Failed";
  readonly podIP: string;
  readonly containers: readonly ContainerReport[];
}

/** An event the kubelet records about a pod (pkg/kubelet/events/event.go's reasons), posted with the next status. */
export interface KubeletEvent {
  readonly uid: string;
  readonly pod: string;
  readonly namespace: string;
  /** spec.containers{name}, as the event's involvedObject.fieldPath. */
  readonly container?: string;
  readonly type: "Normal" | "Warning";
  readonly reason: string;
  readonly message: string;
  readonly at: number;
}

type Stage = "creating" | "running" | "ready" | "crashed" | "exited";

/** A probe worker's state (pkg/kubelet/prober/worker.go): when it probes next, its last result and how many in a row. */
export interface ProbeRun {
  readonly at: number;
  readonly last: "success" | "failure";
  readonly run: number;
}

export interface KubeletContainer {
  readonly name: string;
  readonly image: string;
  readonly stage: Stage;
  /** When the next stage is due (µs), or Infinity. */
  readonly nextAt: number;
  readonly restarts: number;
  readonly startedAt?: number;
  /** The runtime could not pull the image: ErrImagePull, then ImagePullBackOff while it waits to retry. */
  readonly waiting?: "ErrImagePull" | "ImagePullBackOff";
  /** Failed pulls in a row (the image back-off doubles with each). */
  readonly pullFailures?: number;
  /** The last exit's code (crashed or exited). */
  readonly exitCode?: number;
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly ports?: AssignedContainer["ports"];
  readonly script?: string;
  readonly finishes?: AssignedContainer["finishes"];
  readonly liveness?: ProbeRun;
  readonly readiness?: ProbeRun;
}

export interface KubeletPod {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  readonly podIP: string;
  readonly containers: readonly KubeletContainer[];
  /** Stopping: every container goes at this time. */
  readonly stopAt?: number;
  readonly restartPolicy?: "OnFailure" | "Never";
}

export interface KubeletState {
  readonly pods: Readonly<Record<string, KubeletPod>>;
  /** Pod IPs handed out on this node (10.244.<node>.<n>). */
  readonly ipNext: number;
  /** Events recorded since the last status post. */
  readonly events?: readonly KubeletEvent[];
}

export const EMPTY_KUBELET: KubeletState = { pods: {}, ipNext: 2 };

export const KUBELET_TIMING = {
  startUs: 1_000_000,
  readyUs: 500_000,
  crashUs: 1_000_000,
  stopUs: 200_000,
  backOffUs: 10_000_000,
  backOffMaxUs: 300_000_000,
} as const;

/** The fake runtime's broken images: a reference whose repository (any path part) starts with `prefix`. */
const named = (image: string, prefix: string) => image.replace(/:[^/]*$/, "").split("/").some((part) => part.startsWith(prefix));
const failing = (image: string) => named(image, "bad");

function backOff(restarts: number): number {
  return Math.min(KUBELET_TIMING.backOffMaxUs, KUBELET_TIMING.backOffUs * 2 ** Math.max(0, restarts - 1));
}

const S = 1_000_000;

/** SetDefaults_Probe (pkg/apis/core/v1/defaults.go): period 10 s, timeout 1 s, success 1, failure 3; initial delay 0. */
export function probeDefaults(p: Probe): { initialDelayUs: number; periodUs: number; successThreshold: number; failureThreshold: number } {
  return {
    initialDelayUs: (p.initialDelaySeconds ?? 0) * S,
    periodUs: (p.periodSeconds || 10) * S,
    successThreshold: p.successThreshold || 1,
    failureThreshold: p.failureThreshold || 3,
  };
}

/** The pods the API server says to run: start new ones, stop the ones deleted or no longer listed. */
export function syncPods(k: KubeletState, assigned: readonly PodAssignment[], nodeIndex: number, now: number): { state: KubeletState; gone: string[] } {
  const pods: Record<string, KubeletPod> = { ...k.pods };
  let ipNext = k.ipNext;
  const gone: string[] = [];
  const listed = new Set<string>();
  const events = [...(k.events ?? [])];
  const stop = (p: KubeletPod) => {
    if (p.stopAt !== undefined) return p;
    // killContainer's event for each container still running.
    for (const c of p.containers) if (c.stage === "running" || c.stage === "ready") events.push(event(p, c.name, "Normal", "Killing", `Stopping container ${c.name}`, now));
    return { ...p, stopAt: now + KUBELET_TIMING.stopUs };
  };
  for (const a of assigned) {
    listed.add(a.uid);
    const have = pods[a.uid];
    if (a.deleting) {
      if (!have) gone.push(a.uid);
      else pods[a.uid] = stop(have);
      continue;
    }
    if (!have) {
      const p: KubeletPod = {
        uid: a.uid, name: a.name, namespace: a.namespace, podIP: `10.244.${nodeIndex}.${ipNext}`,
        ...(a.restartPolicy ? { restartPolicy: a.restartPolicy } : {}),
        containers: a.containers.map((c) => ({ ...c, stage: "creating" as const, nextAt: now + KUBELET_TIMING.startUs, restarts: 0 })),
      };
      pods[a.uid] = p;
      for (const c of p.containers) events.push(event(p, c.name, "Normal", "Pulling", `Pulling image "${c.image}"`, now));
      ipNext = ipNext >= 254 ? 2 : ipNext + 1;
    }
  }
  for (const [uid, p] of Object.entries(pods)) if (!listed.has(uid)) pods[uid] = stop(p);
  return { state: withEvents({ pods, ipNext }, events), gone };
}

const withEvents = (k: KubeletState, events: readonly KubeletEvent[]): KubeletState => {
  const { events: _e, ...rest } = k;
  return events.length > 0 ? { ...rest, events } : rest;
};

function event(p: { uid: string; name: string; namespace: string }, container: string | undefined, type: KubeletEvent["type"], reason: string, message: string, at: number): KubeletEvent {
  return { uid: p.uid, pod: p.name, namespace: p.namespace, ...(container !== undefined ? { container } : {}), type, reason, message, at };
}

/** The container's process ended with `code`: restarted after the back-off, or kept exited, as restartPolicy says (kuberuntime's ShouldContainerBeRestarted). */
function terminate(c: KubeletContainer, p: KubeletPod, code: number, at: number, events: KubeletEvent[]): KubeletContainer {
  const { liveness: _l, readiness: _r, ...rest } = c;
  const restart = p.restartPolicy === undefined || (p.restartPolicy === "OnFailure" && code !== 0);
  if (!restart) return { ...rest, stage: "exited", exitCode: code, nextAt: Infinity };
  events.push(event(p, c.name, "Warning", "BackOff", `Back-off restarting failed container ${c.name} in pod ${p.name}_${p.namespace}(${p.uid})`, at));
  return { ...rest, stage: "crashed", exitCode: code, restarts: c.restarts + 1, nextAt: at + backOff(c.restarts + 1) };
}

/** When the fake runtime's process ends by itself (Infinity: it runs until stopped). */
const finishAt = (c: KubeletContainer): number => (c.finishes && c.startedAt !== undefined ? c.startedAt + c.finishes.afterUs : Infinity);

function stageStep(c: KubeletContainer, p: KubeletPod, at: number, events: KubeletEvent[]): KubeletContainer {
  if (c.stage === "creating") {
    const { waiting: _w, ...rest } = c;
    events.push(
      c.restarts === 0 && c.pullFailures === undefined ? event(p, c.name, "Normal", "Pulled", `Successfully pulled image "${c.image}" in 1s (1s including waiting)`, at) : event(p, c.name, "Normal", "Pulled", `Container image "${c.image}" already present on machine`, at),
      event(p, c.name, "Normal", "Created", `Created container ${c.name}`, at),
      event(p, c.name, "Normal", "Started", `Started container ${c.name}`, at),
    );
    // The probe workers start with the container; readiness is Failure, liveness Success, until probed.
    const probes = {
      ...(c.livenessProbe ? { liveness: { at: at + probeDefaults(c.livenessProbe).initialDelayUs, last: "success" as const, run: 0 } } : {}),
      ...(c.readinessProbe ? { readiness: { at: at + probeDefaults(c.readinessProbe).initialDelayUs, last: "failure" as const, run: 0 } } : {}),
    };
    const started: KubeletContainer = { ...rest, ...probes, stage: "running", startedAt: at, nextAt: Infinity };
    const nextAt = failing(c.image) ? at + KUBELET_TIMING.crashUs : Math.min(c.readinessProbe ? Infinity : at + KUBELET_TIMING.readyUs, finishAt(started));
    return { ...started, nextAt };
  }
  if (c.stage === "running" || c.stage === "ready") {
    if (failing(c.image) && c.stage === "running") return terminate(c, p, 1, at, events);
    if (at >= finishAt(c)) return terminate(c, p, c.finishes!.code, at, events);
    if (c.stage === "running" && !c.readinessProbe) return { ...c, stage: "ready", nextAt: finishAt(c) };
    return { ...c, nextAt: finishAt(c) };
  }
  if (c.stage === "crashed") return { ...c, stage: "creating", nextAt: at + KUBELET_TIMING.startUs };
  return { ...c, nextAt: Infinity };
}

/**
 * How long the fake runtime's process for `command args` runs and how it ends, or null when it runs
 * until stopped (no command: the image's server; `sleep infinity`, `tail -f`, a `while` loop).
 * Each `sleep N` takes N seconds, `exit N` ends with N, anything else takes 0.1 s; the end is exit 0.
 */
export function scriptEnd(argv: readonly string[]): { afterUs: number; code: number } | null {
  if (argv.length === 0) return null;
  const text = argv.join(" ").replace(/^(\/bin\/)?(ba)?sh\s+-c\s+/, "");
  let t = 0;
  for (const stmt of text.split(/;|&&|\n/)) {
    const w = stmt.trim().replace(/^["']|["']$/g, "").split(/\s+/).filter((x) => x !== "");
    if (w.length === 0) continue;
    if (w[0] === "while" || w[0] === "until" || (w[0] === "tail" && w.includes("-f")) || (w[0] === "sleep" && w[1] === "infinity")) return null;
    if (w[0] === "sleep" && /^\d+(\.\d+)?$/.test(w[1] ?? "")) { t += Number(w[1]) * S; continue; }
    if (w[0] === "exit") return { afterUs: t + S / 10, code: Number(w[1] ?? "0") || 0 };
    t += S / 10;
  }
  return { afterUs: t, code: 0 };
}

/**
 * One probe of a worker (prober/worker.go doProbe): a result the same as the last extends the run,
 * another starts one; readiness follows the result once the run reaches successThreshold or
 * failureThreshold; liveness failing failureThreshold times in a row kills the container, which
 * restartPolicy then restarts. Every failure is an Unhealthy event (prober.go).
 */
function probeStep(c: KubeletContainer, p: KubeletPod, which: "liveness" | "readiness", at: number, events: KubeletEvent[], prober?: Prober): KubeletContainer {
  const spec = (which === "liveness" ? c.livenessProbe : c.readinessProbe)!;
  const d = probeDefaults(spec);
  const w = c[which]!;
  const since = at - (c.startedAt ?? at);
  const r = prober?.(c, p, spec, since) ?? fakeProbe(c, p.podIP, spec, since);
  const result = r.ok ? "success" as const : "failure" as const;
  const run = result === w.last ? w.run + 1 : 1;
  const next: KubeletContainer = { ...c, [which]: { at: at + d.periodUs, last: result, run } };
  if (!r.ok) events.push(event(p, c.name, "Warning", "Unhealthy", `${which === "liveness" ? "Liveness" : "Readiness"} probe failed: ${r.output}`, at));
  if (which === "readiness") {
    if (result === "success" && run >= d.successThreshold && next.stage === "running") return { ...next, stage: "ready" };
    if (result === "failure" && run >= d.failureThreshold && next.stage === "ready") return { ...next, stage: "running" };
    return next;
  }
  if (result === "failure" && run >= d.failureThreshold) {
    events.push(event(p, c.name, "Normal", "Killing", `Container ${c.name} failed liveness probe, will be restarted`, at));
    // Killed by the runtime: 128 + SIGKILL.
    return terminate(next, p, 137, at, events);
  }
  return next;
}

/** A real runtime's answer to a probe (the playground's engine), or undefined to leave it to the fake runtime. */
export type Prober = (c: KubeletContainer, p: KubeletPod, probe: Probe, sinceStartUs: number) => { ok: boolean; output: string } | undefined;

/**
 * The fake runtime's answer to a probe. httpGet and tcpSocket reach the pod's IP: refused on a port
 * the container does not declare (when it declares any, or on a named port it does not have); an
 * image whose repository starts with "unhealthy" answers HTTP 500 (and refuses TCP). exec runs in
 * the container: `cat`/`test -e`/`ls` of a file the container's script made with `touch` and has
 * not yet removed with `rm` after its `sleep`s (the docs' exec-liveness pod:
 * `touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600`); `false` fails; anything else succeeds.
 */
export function fakeProbe(c: Pick<KubeletContainer, "image" | "ports" | "script">, podIP: string, probe: Probe, sinceStartUs: number): { ok: boolean; output: string } {
  const sick = named(c.image, "unhealthy");
  if (probe.httpGet || probe.tcpSocket) {
    const port = (probe.httpGet ?? probe.tcpSocket)!.port;
    const declared = c.ports ?? [];
    const n = typeof port === "number" ? port : declared.find((x) => x.name === port)?.containerPort ?? Number(port);
    const open = typeof port === "string" && !/^\d+$/.test(port) ? declared.some((x) => x.name === port) : declared.length === 0 || declared.some((x) => x.containerPort === n);
    const dial = `dial tcp ${podIP}:${Number.isFinite(n) ? n : port}: connect: connection refused`;
    if (probe.httpGet) {
      const path = probe.httpGet.path ?? "/";
      if (!open) return { ok: false, output: `Get "http://${podIP}:${n}${path}": ${dial}` };
      return sick ? { ok: false, output: "HTTP probe failed with statuscode: 500" } : { ok: true, output: "" };
    }
    return open && !sick ? { ok: true, output: "" } : { ok: false, output: dial };
  }
  const argv = probe.exec?.command ?? [];
  const [cmd, ...rest] = argv;
  if (cmd === "false") return { ok: false, output: "" };
  if ((cmd === "cat" || cmd === "ls" || (cmd === "test" && rest[0] === "-e")) && rest.length > 0) {
    const path = rest[rest.length - 1]!;
    if (fileAt(c.script ?? "", path, sinceStartUs)) return { ok: true, output: "" };
    const output = cmd === "cat" ? `cat: can't open '${path}': No such file or directory` : cmd === "ls" ? `ls: ${path}: No such file or directory` : "";
    return { ok: false, output };
  }
  return { ok: !sick, output: "" };
}

/** Whether the container's shell script has `path` at `sinceStartUs`: `touch`, `rm`, `sleep` in order, each sleep moving time on. */
function fileAt(script: string, path: string, sinceStartUs: number): boolean {
  let t = 0;
  let exists = false;
  for (const stmt of script.split(/;|&&|\n/)) {
    // The shell that runs the script (`sh -c "…"`) is not a step of it.
    const w = stmt.trim().replace(/^(\/bin\/)?(ba)?sh -c\s+/, "").replace(/^["']|["']$/g, "").split(/\s+/);
    if (t > sinceStartUs) break;
    if (w[0] === "touch" && w.includes(path)) exists = true;
    else if (w[0] === "rm" && w.includes(path)) exists = false;
    else if (w[0] === "sleep" && /^\d+(\.\d+)?$/.test(w[1] ?? "")) t += Number(w[1]) * S;
  }
  return exists;
}

function advanceContainer(c0: KubeletContainer, p: KubeletPod, now: number, events: KubeletEvent[], prober?: Prober): KubeletContainer {
  let c = c0;
  for (;;) {
    const live = c.liveness?.at ?? Infinity;
    const ready = c.readiness?.at ?? Infinity;
    const at = Math.min(c.nextAt, live, ready);
    if (at > now) break;
    if (c.nextAt <= Math.min(live, ready)) c = stageStep(c, p, at, events);
    else c = probeStep(c, p, live <= ready ? "liveness" : "readiness", at, events, prober);
  }
  return c;
}

/** Moves every container whose next stage is due; returns the uids of pods that stopped. */
export function advance(k: KubeletState, now: number, prober?: Prober): { state: KubeletState; gone: string[]; changed: boolean } {
  const pods: Record<string, KubeletPod> = {};
  const gone: string[] = [];
  const events = [...(k.events ?? [])];
  let changed = false;
  for (const [uid, p] of Object.entries(k.pods)) {
    if (p.stopAt !== undefined && p.stopAt <= now) { gone.push(uid); changed = true; continue; }
    // A stopping pod's containers still move (their events are not kept: the pod is going).
    const containers = p.containers.map((c) => advanceContainer(c, p, now, p.stopAt === undefined ? events : [], prober));
    // A probe that ran and changed nothing the status shows (the run count, its next time) is not a change to post.
    if (containers.some((c, i) => visible(c) !== visible(p.containers[i]!))) changed = true;
    pods[uid] = { ...p, containers };
  }
  if (events.length > (k.events?.length ?? 0)) changed = true;
  return { state: withEvents({ ...k, pods }, events), gone, changed };
}

const visible = (c: KubeletContainer) => `${c.stage}/${c.restarts}/${c.waiting ?? ""}/${c.exitCode ?? ""}`;

export function nextWake(k: KubeletState): number {
  let t = Infinity;
  for (const p of Object.values(k.pods)) {
    if (p.stopAt !== undefined) t = Math.min(t, p.stopAt);
    else for (const c of p.containers) t = Math.min(t, c.nextAt, c.liveness?.at ?? Infinity, c.readiness?.at ?? Infinity);
  }
  return t;
}

/** The events recorded since the last post, and the state without them. */
export function takeEvents(k: KubeletState): { state: KubeletState; events: readonly KubeletEvent[] } {
  return k.events ? { state: withEvents(k, []), events: k.events } : { state: k, events: [] };
}

/** Every running pod's status, as the kubelet's status manager would post it. */
export function reports(k: KubeletState): PodReport[] {
  return Object.values(k.pods).filter((p) => p.stopAt === undefined).map((p) => ({
    uid: p.uid,
    podIP: p.podIP,
    // getPhase (kubelet_pods.go): every container ended for good → Succeeded when all exited 0, else
    // Failed; Pending until every container has started once; Running otherwise.
    phase: p.containers.every((c) => c.stage === "exited")
      ? (p.containers.every((c) => c.exitCode === 0) ? "Succeeded" as const : "Failed" as const)
      : p.containers.every((c) => c.startedAt !== undefined) ? "Running" as const : "Pending" as const,
    containers: p.containers.map((c) => ({
      name: c.name,
      ready: c.stage === "ready",
      restartCount: c.restarts,
      ...(c.waiting !== undefined ? { reason: c.waiting } : c.stage === "creating" && c.restarts === 0 ? { reason: "ContainerCreating" } : c.stage === "crashed" || (c.stage === "creating" && c.restarts > 0) ? { reason: "CrashLoopBackOff" } : {}),
      ...(c.startedAt !== undefined ? { startedAt: c.startedAt } : {}),
      ...(c.stage === "exited" ? { terminated: { exitCode: c.exitCode ?? 0, reason: c.exitCode === 0 ? "Completed" as const : "Error" as const } } : {}),
    })),
  }));
}

/** A container the runtime saw exit (its process ended, or it was removed or killed outside the kubelet). */
export interface ContainerExit {
  readonly uid: string;
  readonly name: string;
  readonly exitCode: number;
}

/**
 * The runtime reports containers that exited while the kubelet had them running: as restartPolicy
 * says (Always: any exit; OnFailure: a non-zero one; Never: none) each is restarted after
 * CrashLoopBackOff's back-off (10 s doubling to 300 s, kubelet's backOffPeriod and
 * MaxContainerBackOff), as a failing image's are, or kept exited.
 */
export function containersExited(k: KubeletState, exits: readonly ContainerExit[], now: number): KubeletState {
  if (exits.length === 0) return k;
  const pods: Record<string, KubeletPod> = { ...k.pods };
  const events = [...(k.events ?? [])];
  for (const e of exits) {
    const p = pods[e.uid];
    if (!p || p.stopAt !== undefined) continue;
    pods[e.uid] = {
      ...p,
      containers: p.containers.map((c) => (c.name === e.name && (c.stage === "running" || c.stage === "ready") ? terminate(c, p, e.exitCode, now, events) : c)),
    };
  }
  return withEvents({ ...k, pods }, events);
}

/**
 * The runtime could not pull a container's image as it was to start: the container waits
 * (ErrImagePull, then ImagePullBackOff) and the pull is tried again after the image back-off
 * (10 s doubling to 300 s, kubelet's imageBackOff).
 */
export function imagePullFailed(k: KubeletState, refs: readonly { readonly uid: string; readonly name: string }[], now: number): KubeletState {
  if (refs.length === 0) return k;
  const pods: Record<string, KubeletPod> = { ...k.pods };
  const events = [...(k.events ?? [])];
  for (const r of refs) {
    const p = pods[r.uid];
    if (!p || p.stopAt !== undefined) continue;
    pods[r.uid] = {
      ...p,
      containers: p.containers.map((c) => {
        if (c.name !== r.name || (c.stage !== "running" && c.stage !== "ready")) return c;
        const failures = (c.pullFailures ?? 0) + 1;
        // kuberuntime_image.go: the pull's error, then the back-off's.
        events.push(failures === 1 ? event(p, c.name, "Warning", "Failed", "Error: ErrImagePull", now) : event(p, c.name, "Normal", "BackOff", `Back-off pulling image "${c.image}"`, now));
        const { startedAt: _s, ...rest } = c;
        return { ...rest, stage: "creating" as const, nextAt: now + backOff(failures), waiting: failures === 1 ? "ErrImagePull" as const : "ImagePullBackOff" as const, pullFailures: failures };
      }),
    };
  }
  return withEvents({ ...k, pods }, events);
}
