// The scheduler (kubernetes pkg/scheduler): for each pod without a node, filter the nodes
// (NodeUnschedulable, TaintToleration, NodeAffinity's nodeSelector, NodeResourcesFit), score the
// feasible ones (NodeResourcesFit LeastAllocated + NodeResourcesBalancedAllocation, weight 1 each),
// bind to the best (ties broken at random, as selectHost does). Large clusters score only a
// percentage of nodes (percentageOfNodesToScore), from a start index that moves on.
import { involvedOf } from "./events.js";
import type { Node, Pod, Taint, Toleration } from "../api/types.js";
import type { StoreReader } from "../store/store.js";
import { bytes, milliCpu } from "./resources.js";
import { canonical, isTerminating, withPodCondition, type Write } from "./writes.js";

/** schedutil DefaultMilliCPURequest and DefaultMemoryRequest: what a pod without requests counts as, for scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;
/** The kubelet's default --max-pods. */
export const DEFAULT_MAX_PODS = 110;
/** schedule_one.go minFeasibleNodesToFind and minFeasibleNodesPercentageToFind. */
const MIN_FEASIBLE_NODES = 100;
const MIN_FEASIBLE_PERCENTAGE = 5;

export interface NodeInfo {
  readonly node: Node;
  /** Requests of the pods on it: as declared (fit) and with defaults for pods without (scoring). */
  milliCpu: number;
  memory: number;
  nonZeroCpu: number;
  nonZeroMemory: number;
  pods: number;
  readonly allocCpu: number;
  readonly allocMemory: number;
  readonly allocPods: number;
  /** What scoring divides by when the node declares no limit. */
  readonly capCpu: number;
  readonly capMemory: number;
}

const requests = (pod: Pod) => {
  let cpu = 0, mem = 0, nzCpu = 0, nzMem = 0;
  for (const c of pod.spec.containers) {
    const r = c.resources?.requests;
    const cc = milliCpu(r?.cpu), mm = bytes(r?.memory);
    cpu += cc; mem += mm;
    nzCpu += r?.cpu === undefined ? DEFAULT_MILLI_CPU_REQUEST : cc;
    nzMem += r?.memory === undefined ? DEFAULT_MEMORY_REQUEST : mm;
  }
  return { cpu, mem, nzCpu, nzMem };
};

export function buildNodeInfos(store: StoreReader): NodeInfo[] {
  const infos = new Map<string, NodeInfo>();
  for (const node of store.list("Node")) {
    const a = node.status?.allocatable ?? node.status?.capacity ?? {};
    const allocCpu = a.cpu === undefined ? Infinity : milliCpu(a.cpu);
    const allocMemory = a.memory === undefined ? Infinity : bytes(a.memory);
    infos.set(node.metadata.name, {
      node, milliCpu: 0, memory: 0, nonZeroCpu: 0, nonZeroMemory: 0, pods: 0, allocCpu, allocMemory,
      allocPods: a.pods === undefined ? DEFAULT_MAX_PODS : Number(a.pods),
      capCpu: Number.isFinite(allocCpu) ? allocCpu : 64_000, capMemory: Number.isFinite(allocMemory) ? allocMemory : 256 * 1024 ** 3,
    });
  }
  for (const pod of store.list("Pod")) {
    const info = pod.spec.nodeName ? infos.get(pod.spec.nodeName) : undefined;
    if (!info || pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") continue;
    addPod(info, pod);
  }
  return [...infos.values()];
}

function addPod(info: NodeInfo, pod: Pod): void {
  const r = requests(pod);
  info.milliCpu += r.cpu; info.memory += r.mem; info.nonZeroCpu += r.nzCpu; info.nonZeroMemory += r.nzMem; info.pods++;
}

/** v1helper.TolerationsTolerateTaint. */
export function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if ((t.operator ?? "Equal") === "Exists") return t.key === undefined || t.key === "" || t.key === taint.key;
    return t.key === taint.key && (t.value ?? "") === (taint.value ?? "");
  });
}

const nodeReady = (n: Node) => n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

/** Why a node is not feasible for a pod: the filter plugins' reasons, or null when it fits. */
export function unfit(info: NodeInfo, pod: Pod, r = requests(pod)): string | null {
  return staticUnfit(info.node, pod) ?? resourcesUnfit(info, r);
}

/** The filters that depend on the node's spec and labels only (the same for every pod with the same tolerations and selector). */
function staticUnfit(n: Node, pod: Pod): string | null {
  if (n.spec.unschedulable && !tolerates(pod.spec.tolerations ?? [], { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" })) return "node(s) were unschedulable";
  for (const t of n.spec.taints ?? []) {
    if ((t.effect === "NoSchedule" || t.effect === "NoExecute") && !tolerates(pod.spec.tolerations ?? [], t)) return `node(s) had untolerated taint {${t.key}: ${t.value ?? ""}}`;
  }
  if (!nodeReady(n) && !(n.spec.taints ?? []).length) return "node(s) were not ready";
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) {
    if (n.metadata.labels?.[k] !== v || !Object.hasOwn(n.metadata.labels ?? {}, k)) return "node(s) didn't match Pod's node affinity/selector";
  }
  return null;
}

function resourcesUnfit(info: NodeInfo, r: { cpu: number; mem: number }): string | null {
  if (info.pods + 1 > info.allocPods) return "Too many pods";
  if (info.milliCpu + r.cpu > info.allocCpu) return "Insufficient cpu";
  if (info.memory + r.mem > info.allocMemory) return "Insufficient memory";
  return null;
}

/** LeastAllocated + BalancedAllocation over cpu and memory, 0-200. */
export function score(info: NodeInfo, pod: Pod, r = requests(pod)): number {
  return scoreWith(info, r);
}

function scoreWith(info: NodeInfo, r: { nzCpu: number; nzMem: number }): number {
  const cpu = Math.min(1, (info.nonZeroCpu + r.nzCpu) / info.capCpu);
  const mem = Math.min(1, (info.nonZeroMemory + r.nzMem) / info.capMemory);
  // leastRequestedScore: ((capacity - requested) * MaxNodeScore) / capacity, averaged; integer division as in Go.
  const least = Math.floor((Math.floor((1 - cpu) * 100) + Math.floor((1 - mem) * 100)) / 2);
  // balancedResourceScorer: (1 - standard deviation of the fractions) * MaxNodeScore.
  const balanced = Math.floor((1 - Math.abs(cpu - mem) / 2) * 100);
  return least + balanced;
}

export interface SchedulerState {
  /** schedule_one.go nextStartNodeIndex: where the next search starts. */
  nextStartNodeIndex: number;
}

export interface ScheduleEnv {
  readonly now: number;
  /** A uniform integer in [0, n), from the scheduler's seeded stream. */
  readonly random: (n: number) => number;
  readonly state: SchedulerState;
  /** Pods handled at most per pass (a bound; the rest wait for the next). */
  readonly podsMax?: number;
}

/** numFeasibleNodesToFind with the default percentageOfNodesToScore (adaptive: 50% - nodes/125, at least 5%). */
export function feasibleNodesToFind(nodes: number): number {
  if (nodes < MIN_FEASIBLE_NODES) return nodes;
  const pct = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - Math.floor(nodes / 125));
  return Math.max(MIN_FEASIBLE_NODES, Math.floor((nodes * pct) / 100));
}

/** One scheduling pass: every pending pod, in creation order, bound to a node or marked unschedulable. */
export function schedulePods(store: StoreReader, env: ScheduleEnv, infos: NodeInfo[] = buildNodeInfos(store)): Write[] {
  const writes: Write[] = [];
  const pending = store.list("Pod").filter((p) => !p.spec.nodeName && !isTerminating(p) && (p.spec.schedulerName ?? "default-scheduler") === "default-scheduler")
    .sort((a, b) => (a.metadata.creationTimestamp ?? 0) - (b.metadata.creationTimestamp ?? 0) || (a.metadata.uid! < b.metadata.uid! ? -1 : 1));
  const toFind = feasibleNodesToFind(infos.length);
  // The static filters' verdicts per node, shared by pods with the same tolerations and node selector.
  const verdicts = new Map<string, (string | null)[]>();
  // The nodes' counters as flat arrays: the inner loop runs nodes x pods times (5e7 in the benchmark).
  const n = infos.length;
  const col = (f: (i: NodeInfo) => number) => Float64Array.from(infos, f);
  const podsOn = col((i) => i.pods), allocPods = col((i) => i.allocPods);
  const cpuUsed = col((i) => i.milliCpu), allocCpu = col((i) => i.allocCpu);
  const memUsed = col((i) => i.memory), allocMem = col((i) => i.allocMemory);
  const nzCpu = col((i) => i.nonZeroCpu), nzMem = col((i) => i.nonZeroMemory);
  const capCpu = col((i) => i.capCpu), capMem = col((i) => i.capMemory);
  for (const pod of pending.slice(0, env.podsMax ?? Infinity)) {
    const r = requests(pod);
    const signature = canonical([pod.spec.tolerations ?? [], pod.spec.nodeSelector ?? {}]);
    let verdict = verdicts.get(signature);
    if (!verdict) {
      verdict = infos.map((info) => staticUnfit(info.node, pod));
      verdicts.set(signature, verdict);
    }
    let best = -1;
    let bestScore = -1;
    let ties = 0;
    let found = 0;
    let reasons: Map<string, number> | null = null;
    let i = 0;
    let at = env.state.nextStartNodeIndex % Math.max(1, n);
    for (; i < n && found < toFind; i++, at = at + 1 === n ? 0 : at + 1) {
      // resourcesUnfit, on the arrays.
      const why = verdict[at] ?? (podsOn[at]! + 1 > allocPods[at]! ? "Too many pods" : cpuUsed[at]! + r.cpu > allocCpu[at]! ? "Insufficient cpu" : memUsed[at]! + r.mem > allocMem[at]! ? "Insufficient memory" : null);
      if (why !== null) { (reasons ??= new Map()).set(why, (reasons.get(why) ?? 0) + 1); continue; }
      found++;
      // scoreWith, on the arrays.
      const fc = Math.min(1, (nzCpu[at]! + r.nzCpu) / capCpu[at]!);
      const fm = Math.min(1, (nzMem[at]! + r.nzMem) / capMem[at]!);
      const s = Math.floor((Math.floor((1 - fc) * 100) + Math.floor((1 - fm) * 100)) / 2) + Math.floor((1 - Math.abs(fc - fm) / 2) * 100);
      // selectHost: reservoir sampling among the best.
      if (s > bestScore) { best = at; bestScore = s; ties = 1; }
      else if (s === bestScore && env.random(++ties) === 0) best = at;
    }
    if (n > 0) env.state.nextStartNodeIndex = (env.state.nextStartNodeIndex + i) % n;
    if (best >= 0) {
      podsOn[best]!++; cpuUsed[best]! += r.cpu; memUsed[best]! += r.mem; nzCpu[best]! += r.nzCpu; nzMem[best]! += r.nzMem;
      addPod(infos[best]!, pod);
      const bound = withPodCondition({ ...pod, spec: { ...pod.spec, nodeName: infos[best]!.node.metadata.name } }, "PodScheduled", "True", env.now);
      const node = infos[best]!.node.metadata.name;
      // schedule_one.go handleBindingCycle: "Successfully assigned %v/%v to %v".
      writes.push({ type: "update", object: bound, event: { involved: involvedOf(pod), type: "Normal", reason: "Scheduled", message: `Successfully assigned ${pod.metadata.namespace ?? "default"}/${pod.metadata.name} to ${node}`, component: "default-scheduler" } });
    } else {
      const detail = [...(reasons ?? [])].sort(([a], [b]) => (a < b ? -1 : 1)).map(([why, k]) => `${k} ${why}`).join(", ");
      const message = `0/${n} nodes are available${detail ? `: ${detail}` : ""}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;
      const cond = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
      // handleSchedulingFailure records FailedScheduling with the fit error; drydock retries every pass, so only a new message is a new attempt to report.
      if (cond?.message !== message) writes.push({ type: "update", object: withPodCondition(pod, "PodScheduled", "False", env.now, "Unschedulable", message), event: { involved: involvedOf(pod), type: "Warning", reason: "FailedScheduling", message, component: "default-scheduler" } });
    }
  }
  return writes;
}
