// A kubelet with a fake container runtime, as plain data: the pods its node should run (as the
// API server last told it), each pod's containers through a timed plan, and the status it reports.
// A pod is one network namespace (its IP, shared by its containers); each container has its own
// plan. Timings: image pull and start 1 s, readiness 0.5 s later; an image whose repository (any
// path part) starts with "bad" exits 1 s after each start and restarts with CrashLoopBackOff's
// back-off (10 s doubling to 300 s, kubelet's backOffPeriod and MaxContainerBackOff); stopping
// takes 0.2 s.

/** What the API server tells a kubelet about one pod bound to its node. */
export interface PodAssignment {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  readonly containers: readonly { readonly name: string; readonly image: string }[];
  readonly deleting: boolean;
}

export interface ContainerReport {
  readonly name: string;
  readonly ready: boolean;
  readonly restartCount: number;
  /** ContainerCreating, CrashLoopBackOff; none when running. */
  readonly reason?: string;
  readonly startedAt?: number;
}

/** What a kubelet reports about one pod. */
export interface PodReport {
  readonly uid: string;
  readonly phase: "Pending" | "Running";
  readonly podIP: string;
  readonly containers: readonly ContainerReport[];
}

type Stage = "creating" | "running" | "ready" | "crashed";

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
}

export interface KubeletPod {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  readonly podIP: string;
  readonly containers: readonly KubeletContainer[];
  /** Stopping: every container goes at this time. */
  readonly stopAt?: number;
}

export interface KubeletState {
  readonly pods: Readonly<Record<string, KubeletPod>>;
  /** Pod IPs handed out on this node (10.244.<node>.<n>). */
  readonly ipNext: number;
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

/** The fake runtime's broken images: a reference whose repository (any path part) starts with "bad". */
const failing = (image: string) => image.replace(/:[^/]*$/, "").split("/").some((part) => part.startsWith("bad"));

function backOff(restarts: number): number {
  return Math.min(KUBELET_TIMING.backOffMaxUs, KUBELET_TIMING.backOffUs * 2 ** Math.max(0, restarts - 1));
}

/** The pods the API server says to run: start new ones, stop the ones deleted or no longer listed. */
export function syncPods(k: KubeletState, assigned: readonly PodAssignment[], nodeIndex: number, now: number): { state: KubeletState; gone: string[] } {
  const pods: Record<string, KubeletPod> = { ...k.pods };
  let ipNext = k.ipNext;
  const gone: string[] = [];
  const listed = new Set<string>();
  const stop = (p: KubeletPod) => (p.stopAt === undefined ? { ...p, stopAt: now + KUBELET_TIMING.stopUs } : p);
  for (const a of assigned) {
    listed.add(a.uid);
    const have = pods[a.uid];
    if (a.deleting) {
      if (!have) gone.push(a.uid);
      else pods[a.uid] = stop(have);
      continue;
    }
    if (!have) {
      pods[a.uid] = {
        uid: a.uid, name: a.name, namespace: a.namespace, podIP: `10.244.${nodeIndex}.${ipNext}`,
        containers: a.containers.map((c) => ({ name: c.name, image: c.image, stage: "creating" as const, nextAt: now + KUBELET_TIMING.startUs, restarts: 0 })),
      };
      ipNext = ipNext >= 254 ? 2 : ipNext + 1;
    }
  }
  for (const [uid, p] of Object.entries(pods)) if (!listed.has(uid)) pods[uid] = stop(p);
  return { state: { pods, ipNext }, gone };
}

function advanceContainer(c0: KubeletContainer, now: number): KubeletContainer {
  let c = c0;
  while (c.nextAt <= now) {
    const at = c.nextAt;
    const bad = failing(c.image);
    if (c.stage === "creating") {
      const { waiting: _w, ...rest } = c;
      c = { ...rest, stage: "running", startedAt: at, nextAt: at + (bad ? KUBELET_TIMING.crashUs : KUBELET_TIMING.readyUs) };
    }
    else if (c.stage === "running") c = bad ? { ...c, stage: "crashed", restarts: c.restarts + 1, nextAt: at + backOff(c.restarts + 1) } : { ...c, stage: "ready", nextAt: Infinity };
    else if (c.stage === "crashed") c = { ...c, stage: "creating", nextAt: at + KUBELET_TIMING.startUs };
    else break;
  }
  return c;
}

/** Moves every container whose next stage is due; returns the uids of pods that stopped. */
export function advance(k: KubeletState, now: number): { state: KubeletState; gone: string[]; changed: boolean } {
  const pods: Record<string, KubeletPod> = {};
  const gone: string[] = [];
  let changed = false;
  for (const [uid, p] of Object.entries(k.pods)) {
    if (p.stopAt !== undefined && p.stopAt <= now) { gone.push(uid); changed = true; continue; }
    const containers = p.containers.map((c) => advanceContainer(c, now));
    if (containers.some((c, i) => c !== p.containers[i])) changed = true;
    pods[uid] = { ...p, containers };
  }
  return { state: { ...k, pods }, gone, changed };
}

export function nextWake(k: KubeletState): number {
  let t = Infinity;
  for (const p of Object.values(k.pods)) {
    if (p.stopAt !== undefined) t = Math.min(t, p.stopAt);
    else for (const c of p.containers) t = Math.min(t, c.nextAt);
  }
  return t;
}

/** Every running pod's status, as the kubelet's status manager would post it. */
export function reports(k: KubeletState): PodReport[] {
  return Object.values(k.pods).filter((p) => p.stopAt === undefined).map((p) => ({
    uid: p.uid,
    podIP: p.podIP,
    // Pending until every container has started once.
    phase: p.containers.every((c) => c.startedAt !== undefined) ? "Running" as const : "Pending" as const,
    containers: p.containers.map((c) => ({
      name: c.name,
      ready: c.stage === "ready",
      restartCount: c.restarts,
      ...(c.waiting !== undefined ? { reason: c.waiting } : c.stage === "creating" && c.restarts === 0 ? { reason: "ContainerCreating" } : c.stage === "crashed" || (c.stage === "creating" && c.restarts > 0) ? { reason: "CrashLoopBackOff" } : {}),
      ...(c.startedAt !== undefined ? { startedAt: c.startedAt } : {}),
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
 * The runtime reports containers that exited while the kubelet had them running: under
 * restartPolicy Always each is restarted after CrashLoopBackOff's back-off (10 s doubling to 300 s,
 * kubelet's backOffPeriod and MaxContainerBackOff), as a failing image's are.
 */
export function containersExited(k: KubeletState, exits: readonly ContainerExit[], now: number): KubeletState {
  if (exits.length === 0) return k;
  const pods: Record<string, KubeletPod> = { ...k.pods };
  for (const e of exits) {
    const p = pods[e.uid];
    if (!p || p.stopAt !== undefined) continue;
    pods[e.uid] = {
      ...p,
      containers: p.containers.map((c) => (c.name === e.name && (c.stage === "running" || c.stage === "ready")
        ? { ...c, stage: "crashed" as const, restarts: c.restarts + 1, nextAt: now + backOff(c.restarts + 1) }
        : c)),
    };
  }
  return { ...k, pods };
}

/**
 * The runtime could not pull a container's image as it was to start: the container waits
 * (ErrImagePull, then ImagePullBackOff) and the pull is tried again after the image back-off
 * (10 s doubling to 300 s, kubelet's imageBackOff).
 */
export function imagePullFailed(k: KubeletState, refs: readonly { readonly uid: string; readonly name: string }[], now: number): KubeletState {
  if (refs.length === 0) return k;
  const pods: Record<string, KubeletPod> = { ...k.pods };
  for (const r of refs) {
    const p = pods[r.uid];
    if (!p || p.stopAt !== undefined) continue;
    pods[r.uid] = {
      ...p,
      containers: p.containers.map((c) => {
        if (c.name !== r.name || (c.stage !== "running" && c.stage !== "ready")) return c;
        const failures = (c.pullFailures ?? 0) + 1;
        const { startedAt: _s, ...rest } = c;
        return { ...rest, stage: "creating" as const, nextAt: now + backOff(failures), waiting: failures === 1 ? "ErrImagePull" as const : "ImagePullBackOff" as const, pullFailures: failures };
      }),
    };
  }
  return { ...k, pods };
}
