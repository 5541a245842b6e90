import { TaskState, findByIdOrName, isTaskDirty, shortId, taskStateName, type Service, type Store, type Task } from "@drydock/swarm";
import type { DockerEnv, Pending } from "./command.js";
import { managerStore } from "./swarm-common.js";

/**
 * A `docker service create/update/scale/rollback` that is not detached waits until the service
 * converges, as docker/cli's service/progress/progress.go ServiceProgress does: it polls every
 * 200 ms, counts up-to-date tasks running on nodes that are not down, and once all are, waits the
 * update monitor (5 s) and says "verify: Service converged". What a terminal shows at the end is
 * printed (jsonmessage rewrites each progress line in place; each line keeps the trailing space
 * of its empty progress box).
 *
 * The wait is a job that runs the command again every 200 ms of virtual time (Pending.again): the
 * command is then told `env.rerun` and only looks.
 */

const POLL_US = 200_000;
/** progress.go maxProgressBars: more replicas than this and no bar per task. */
const MAX_PROGRESS_BARS = 20;
/** The longest state name shown (len("preparing") = len("allocated") = 9). */
const LONGEST_STATE = 9;
/** progress.go numberedStates: NEW 1 … RUNNING 9 (ALLOCATED is SwarmKit's PENDING's neighbour, not kept here). */
function numbered(s: TaskState): number {
  const order: readonly TaskState[] = [TaskState.NEW, TaskState.PENDING, TaskState.ASSIGNED, TaskState.ACCEPTED, TaskState.PREPARING, TaskState.READY, TaskState.STARTING, TaskState.RUNNING];
  const i = order.indexOf(s);
  return i < 0 ? 10 : i === 0 ? 1 : i + 2;
}

/** jsonmessage JSONProgress.String with HideCounts and a 200-column terminal: the bar and a space. */
function bar(current: number, total: number): string {
  const pct = Math.min(50, Math.floor(Math.floor((current / total) * 100) / 2));
  return `[${"=".repeat(pct)}>${" ".repeat(50 - pct)}] `;
}

/** The up-to-date task per slot (node, for a global service) on nodes that are not down, as progress.go picks it. */
function current(store: Store, s: Service): Map<string, Task> {
  const up = new Set([...store.nodes.values()].filter((n) => n.status.state !== "down").map((n) => n.id));
  const by = new Map<string, Task>();
  for (const t of store.tasks.values()) {
    // The "_up-to-date" filter: controlapi ListTasks keeps the tasks orchestrator.IsTaskDirty passes.
    if (t.serviceId !== s.id || isTaskDirty(s, t, store.nodes.get(t.nodeId))) continue;
    if (t.nodeId !== "" && !up.has(t.nodeId)) continue;
    const key = s.spec.mode.kind === "global" ? t.nodeId : String(t.slot);
    const o = by.get(key);
    if (o && (o.desiredState < t.desiredState || (o.desiredState === t.desiredState && o.status.state <= t.status.state))) continue;
    by.set(key, t);
  }
  return by;
}

export interface Converge {
  readonly done: boolean;
  /** The terminal's last screen of the progress (no trailing newline missing). */
  readonly screen: string;
}

/** The same bar, or nothing when there is nothing to count (JSONProgress.String with Current and Total 0). */
function jobBar(current: number, total: number): string {
  return current <= 0 && total <= 0 ? "" : bar(current, total);
}

/** progress.go numberedStates for jobs: COMPLETE is 10, the end of a job task's bar (maxJobProgress). */
function numberedJob(s: TaskState): number {
  return s === TaskState.COMPLETE ? 10 : numbered(s);
}

/** progress.go's job updaters: the job's completions, its active tasks, a bar per task; "job complete" at the end. */
function jobState(store: Store, s: Service): Converge {
  const tasks = [...store.tasks.values()].filter((t) => t.serviceId === s.id && t.specVersion === s.specVersion);
  // "if there is already a task recorded for this slot (node), choose the one with the lower state".
  const by = new Map<string, Task>();
  const global = s.spec.mode.kind === "global-job";
  for (const t of tasks) {
    const k = global ? t.nodeId : String(t.slot);
    const o = by.get(k);
    if (!o || numberedJob(o.status.state) > numberedJob(t.status.state)) by.set(k, t);
  }
  const taskLine = (id: string, t: Task) => t.status.err !== ""
    ? `${id}: ${t.status.err.length > 75 ? t.status.err.slice(0, 74) + "…" : t.status.err} `
    : `${id}: ${taskStateName(t.status.state).padEnd(LONGEST_STATE)} ${bar(numberedJob(t.status.state), 10)}`;
  const lines: string[] = [];
  let complete = 0;
  let active = 0;
  let total: number;
  if (s.spec.mode.kind === "replicated-job") {
    const { maxConcurrent, totalCompletions } = s.spec.mode;
    total = totalCompletions;
    const slotLines: string[] = [];
    for (let i = 0; i < total; i++) {
      const t = by.get(String(i));
      if (t && numberedJob(t.status.state) < 10) active++;
      if (t?.status.state === TaskState.COMPLETE) complete++;
      if (total <= MAX_PROGRESS_BARS) slotLines.push(t ? taskLine(`${i + 1}/${total}`, t) : `${i + 1}/${total}:   `);
    }
    const d = String(total).length;
    const a = String(maxConcurrent).length;
    lines.push(`job progress: ${String(complete).padStart(d)} out of ${total} complete ${jobBar(complete, total)}`);
    lines.push(`active tasks: ${String(active).padStart(a)} out of ${String(Math.min(total - complete, maxConcurrent)).padStart(a)} tasks `);
    lines.push(...slotLines);
  } else {
    if (by.size === 0) return { done: false, screen: "job progress: waiting for tasks \n" };
    total = by.size;
    const nodeLines: string[] = [];
    for (const [nodeId, t] of [...by].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
      if (t.status.state === TaskState.COMPLETE) complete++;
      if (total <= MAX_PROGRESS_BARS) nodeLines.push(taskLine(nodeId, t));
    }
    lines.push(`job progress: ${String(complete).padStart(String(total).length)} out of ${total} complete ${jobBar(complete, total)}`, ...nodeLines);
  }
  const done = complete === total;
  return { done, screen: [...lines, ...(done ? ["job complete"] : [])].join("\n") + "\n" };
}

/** Where the service's convergence stands now, and what the terminal shows. */
export function convergeState(store: Store, s: Service, now: number, rollback: boolean): Converge {
  if (s.spec.mode.kind === "replicated-job" || s.spec.mode.kind === "global-job") return jobState(store, s);
  const tasks = current(store, s);
  const replicated = s.spec.mode.kind === "replicated";
  const want = replicated ? (s.spec.mode as { replicas: number }).replicas : tasks.size;
  let running = 0;
  let lastRunningAt = 0;
  const lines: string[] = [];
  const keys = [...tasks.keys()].sort((a, b) => (replicated ? Number(a) - Number(b) : a < b ? -1 : 1));
  keys.forEach((k, i) => {
    const t = tasks.get(k)!;
    const active = t.desiredState <= TaskState.RUNNING;
    if (active && t.status.state === TaskState.RUNNING) {
      running++;
      lastRunningAt = Math.max(lastRunningAt, t.status.timestamp);
    }
    if (want > MAX_PROGRESS_BARS) return;
    const id = replicated ? `${i + 1}/${want}` : shortId(t.nodeId);
    if (t.status.err !== "") lines.push(`${id}: ${t.status.err.length > 75 ? t.status.err.slice(0, 74) + "…" : t.status.err} `);
    else if (active && t.status.state <= TaskState.RUNNING) {
      const n = numbered(t.status.state);
      lines.push(`${id}: ${taskStateName(t.status.state).padEnd(LONGEST_STATE)} ${bar(rollback ? 9 - n : n, 9)}`);
    }
  });
  // Slots with no task yet keep their empty line.
  if (replicated && want <= MAX_PROGRESS_BARS) for (let i = keys.length; i < want; i++) lines.push(`${i + 1}/${want}:   `);
  // docker/cli's replicated updater returns running == replicas, so `scale web=0` converges once none
  // runs; a global service's count is its tasks, which are not there yet at first.
  const converged = (replicated || want > 0) && running === want;
  const monitor = s.spec.update.monitorUs > 0 ? s.spec.update.monitorUs : 5_000_000;
  const done = converged && now - lastRunningAt >= monitor;
  const overall = `overall progress: ${rollback ? "rolling back update: " : ""}${running} out of ${want} tasks `;
  const verify = !converged ? [] : done ? ["verify: Service converged "]
    : [`verify: Waiting ${Math.floor((monitor - (now - lastRunningAt)) / 1_000_000) + 1} seconds to verify that tasks are stable... `];
  return { done, screen: [overall, ...lines, ...verify].join("\n") + "\n" };
}

/**
 * The command's wait: the screen when the service has converged, or a job that runs the command
 * again in 200 ms (its output so far, `printed`, comes first in what it prints then).
 */
export function waitConverge(env: DockerEnv, service: string, printed: string, rollback = false, quiet = false): string {
  const { view } = managerStore(env);
  const s = findByIdOrName(view.services, service);
  if (!s) return printed;
  const c = convergeState(view, s, env.now, rollback);
  if (c.done) return printed + c.screen;
  env.pending = {
    kind: "service.progress", durationUs: POLL_US, steps: [{ atUs: POLL_US, event: "service.progress", detail: { service, rollback, ...(quiet ? { quiet: true } : {}) }, stdout: "" }],
    again: true, outcome: { status: 0, stdout: printed, stderr: "", chunks: printed === "" ? [] : [{ fd: 1, text: printed }] },
  } satisfies Pending;
  return "";
}

export { taskStateName };
