import { hexDigest } from "./ids.js";
import { TaskState, type Task } from "./types.js";

/**
 * The boundary between the swarm agent and whatever runs a task's container: SwarmKit's
 * agent/exec Executor and Controller (Prepare, Start, Wait, Shutdown, Remove). The agent drives a
 * task through ACCEPTED → PREPARING → (prepare) READY → STARTING → (start) RUNNING and stops it
 * with `stop`; the executor answers with status reports, at once or later in virtual time (it
 * says when through `nextWake`, and the agent calls `wake` then). Every function is pure: it takes
 * the executor's state and returns the next one.
 *
 * drydock's engine will implement this over its containers (issue #10); `fakeExecutor` runs a
 * task as a timed plan so the swarm can be tested without it.
 */

/** A secret as the agent hands it to the executor: the plaintext, to be mounted in memory. */
export interface SecretPayload {
  readonly id: string;
  readonly name: string;
  readonly data: string;
}

/** A config as the agent hands it to the executor (configs are not secret: the store keeps them plain). */
export interface ConfigPayload {
  readonly id: string;
  readonly name: string;
  readonly data: string;
}

/** A status change the executor reports for a task (the agent adds the timestamp). */
export interface ExecReport {
  readonly taskId: string;
  /** READY, RUNNING, COMPLETE, FAILED, REJECTED or SHUTDOWN. */
  readonly state: TaskState;
  readonly message: string;
  readonly err?: string;
  readonly exitCode?: number;
  readonly containerId?: string;
}

export interface ExecResult<X> {
  readonly state: X;
  readonly reports: readonly ExecReport[];
}

/** What runs on a host, for views and invariants. */
export interface ExecView {
  /** Tasks whose container is running (or starting, or stopping). */
  readonly running: readonly string[];
  /** Per task, the secrets mounted in its container, as /run/secrets/<target> → secret name. */
  readonly secrets: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

export interface TaskExecutor<X = unknown> {
  readonly name: string;
  init(host: string): X;
  /** Pull the image and create the container, secrets mounted: READY "prepared", or REJECTED with the error. */
  prepare(x: X, task: Task, secrets: readonly SecretPayload[], now: number, configs?: readonly ConfigPayload[]): ExecResult<X>;
  /** Start the prepared container: RUNNING "started", or FAILED. When it exits later: COMPLETE or FAILED. */
  start(x: X, taskId: string, now: number): ExecResult<X>;
  /** Stop it (SIGTERM, then SIGKILL after the grace period): SHUTDOWN "shutdown". */
  stop(x: X, taskId: string, now: number): ExecResult<X>;
  /** Remove the container and unmount its secrets (the task left the node's assignments). */
  remove(x: X, taskId: string, now: number): ExecResult<X>;
  /** Virtual time passed: the reports that are due now. */
  wake(x: X, now: number): ExecResult<X>;
  /** When `wake` has something to do next (Infinity: nothing). */
  nextWake(x: X): number;
  /** The host crashed: its containers die with it (the disk, and created containers, stay). */
  crash(x: X): X;
  /** The host is back: what became of the containers that were running when it crashed. */
  restart(x: X, now: number): ExecResult<X>;
  inspect(x: X): ExecView;
}

// ---- the fake executor -----------------------------------------------------------------------

/** How a fake image behaves. Times are microseconds. */
export interface ImagePlan {
  /** First pull on a host (later prepares find it cached). */
  readonly pullUs: number;
  /** Container start to running. */
  readonly startUs: number;
  /** SIGTERM to exit. */
  readonly stopUs: number;
  /** Exits this long after it started (undefined: runs until stopped). */
  readonly exitAfterUs?: number;
  readonly exitCode?: number;
  /** The image cannot be used: prepare fails with this error (the task is REJECTED). */
  readonly reject?: string;
}

export const DEFAULT_PLAN: ImagePlan = { pullUs: 1_000_000, startUs: 500_000, stopUs: 200_000 };

/**
 * The fake's defaults: any image runs; one whose repository starts with "bad" starts and exits
 * with code 1 three seconds later (a crashing program); one named "nope" does not exist, as
 * Docker says when the image cannot be pulled.
 */
export function defaultPlan(image: string): ImagePlan {
  const repo = image.split("@")[0]!.split(":")[0]!.split("/").pop()!;
  // "job…" images do their work and exit 0 (a batch job's task, run to COMPLETE).
  if (repo.startsWith("job")) return { ...DEFAULT_PLAN, exitAfterUs: 2_000_000, exitCode: 0 };
  if (repo.startsWith("bad")) return { ...DEFAULT_PLAN, exitAfterUs: 3_000_000, exitCode: 1 };
  if (repo === "nope") return { ...DEFAULT_PLAN, reject: `No such image: ${image.includes(":") ? image : `${image}:latest`}` };
  return DEFAULT_PLAN;
}

type Phase = "pulling" | "created" | "starting" | "running" | "stopping" | "exited";

interface FakeContainer {
  readonly id: string;
  readonly image: string;
  readonly phase: Phase;
  /** When the current phase ends (Infinity: it does not end by itself). */
  readonly dueAt: number;
  readonly plan: ImagePlan;
  readonly secrets: ReadonlyMap<string, string>;
}

export interface FakeExecutorState {
  readonly host: string;
  readonly pulled: ReadonlySet<string>;
  readonly containers: ReadonlyMap<string, FakeContainer>;
}

export interface FakeExecutorOptions {
  /** How each image behaves (default: defaultPlan). */
  readonly plan?: (image: string) => ImagePlan;
}

const nonZero = (code: number) => `task: non-zero exit (${code})`;

export function fakeExecutor(options: FakeExecutorOptions = {}): TaskExecutor<FakeExecutorState> {
  const planOf = options.plan ?? defaultPlan;
  const put = (x: FakeExecutorState, id: string, c: FakeContainer | null): FakeExecutorState => {
    const containers = new Map(x.containers);
    if (c) containers.set(id, c);
    else containers.delete(id);
    return { ...x, containers };
  };
  const none = (x: FakeExecutorState): ExecResult<FakeExecutorState> => ({ state: x, reports: [] });
  return {
    name: "fake",
    init: (host) => ({ host, pulled: new Set(), containers: new Map() }),
    prepare(x, task, secrets, now) {
      const image = task.spec.container.image;
      const plan = planOf(image);
      if (plan.reject !== undefined) {
        return { state: x, reports: [{ taskId: task.id, state: TaskState.REJECTED, message: "preparing", err: plan.reject }] };
      }
      const id = hexDigest(`${x.host}/${task.id}`);
      const mounts = new Map<string, string>();
      for (const ref of task.spec.secrets) {
        if (secrets.some((s) => s.id === ref.secretId)) mounts.set(`/run/secrets/${ref.target}`, ref.secretName);
      }
      const cached = x.pulled.has(image);
      const c: FakeContainer = { id, image, phase: cached ? "created" : "pulling", dueAt: cached ? Infinity : now + plan.pullUs, plan, secrets: mounts };
      const state = put(x, task.id, c);
      if (!cached) return none(state);
      return { state, reports: [{ taskId: task.id, state: TaskState.READY, message: "prepared", containerId: id }] };
    },
    start(x, taskId, now) {
      const c = x.containers.get(taskId);
      if (!c || c.phase !== "created") return none(x);
      return none(put(x, taskId, { ...c, phase: "starting", dueAt: now + c.plan.startUs }));
    },
    stop(x, taskId, now) {
      const c = x.containers.get(taskId);
      if (!c || c.phase === "exited") return { state: x, reports: [{ taskId, state: TaskState.SHUTDOWN, message: "shutdown" }] };
      if (c.phase === "stopping") return none(x);
      if (c.phase === "pulling" || c.phase === "created") {
        return { state: put(x, taskId, { ...c, phase: "exited", dueAt: Infinity }), reports: [{ taskId, state: TaskState.SHUTDOWN, message: "shutdown" }] };
      }
      return none(put(x, taskId, { ...c, phase: "stopping", dueAt: now + c.plan.stopUs }));
    },
    remove(x, taskId) {
      return x.containers.has(taskId) ? none(put(x, taskId, null)) : none(x);
    },
    wake(x, now) {
      const reports: ExecReport[] = [];
      let state = x;
      const due = [...x.containers].filter(([, c]) => c.dueAt <= now).sort((a, b) => a[1].dueAt - b[1].dueAt || (a[0] < b[0] ? -1 : 1));
      for (const [taskId, c] of due) {
        switch (c.phase) {
          case "pulling":
            state = { ...put(state, taskId, { ...c, phase: "created", dueAt: Infinity }), pulled: new Set([...state.pulled, c.image]) };
            reports.push({ taskId, state: TaskState.READY, message: "prepared", containerId: c.id });
            break;
          case "starting":
            state = put(state, taskId, { ...c, phase: "running", dueAt: c.plan.exitAfterUs !== undefined ? c.dueAt + c.plan.exitAfterUs : Infinity });
            reports.push({ taskId, state: TaskState.RUNNING, message: "started", containerId: c.id });
            break;
          case "running": {
            const code = c.plan.exitCode ?? 0;
            state = put(state, taskId, { ...c, phase: "exited", dueAt: Infinity });
            reports.push(code === 0
              ? { taskId, state: TaskState.COMPLETE, message: "finished", exitCode: 0, containerId: c.id }
              : { taskId, state: TaskState.FAILED, message: "started", err: nonZero(code), exitCode: code, containerId: c.id });
            break;
          }
          case "stopping":
            state = put(state, taskId, { ...c, phase: "exited", dueAt: Infinity });
            reports.push({ taskId, state: TaskState.SHUTDOWN, message: "shutdown", containerId: c.id });
            break;
          default:
            break;
        }
      }
      return { state, reports };
    },
    nextWake(x) {
      let at = Infinity;
      for (const c of x.containers.values()) if (c.dueAt >= 0 && c.dueAt < at) at = c.dueAt;
      return at;
    },
    crash(x) {
      // Processes die with the host; an interrupted pull starts over; created containers stay.
      const containers = new Map<string, FakeContainer>();
      for (const [id, c] of x.containers) {
        const dead = c.phase === "starting" || c.phase === "running" || c.phase === "stopping";
        containers.set(id, dead ? { ...c, phase: c.phase === "stopping" ? "stopping" : "running", dueAt: -1 } : c.phase === "pulling" ? { ...c, dueAt: -2 } : c);
      }
      return { ...x, containers };
    },
    restart(x, now) {
      const reports: ExecReport[] = [];
      const containers = new Map<string, FakeContainer>();
      for (const [taskId, c] of x.containers) {
        if (c.dueAt === -1) {
          // dockerd finds the container dead after a crash: exit code 255.
          containers.set(taskId, { ...c, phase: "exited", dueAt: Infinity });
          reports.push(c.phase === "stopping"
            ? { taskId, state: TaskState.SHUTDOWN, message: "shutdown", containerId: c.id }
            : { taskId, state: TaskState.FAILED, message: "started", err: nonZero(255), exitCode: 255, containerId: c.id });
        } else if (c.dueAt === -2) containers.set(taskId, { ...c, dueAt: now + c.plan.pullUs });
        else containers.set(taskId, c);
      }
      return { state: { ...x, containers }, reports };
    },
    inspect(x) {
      const running: string[] = [];
      const secrets = new Map<string, ReadonlyMap<string, string>>();
      for (const [taskId, c] of x.containers) {
        if (c.dueAt < 0) continue; // died with the host
        if (c.phase === "starting" || c.phase === "running" || c.phase === "stopping") running.push(taskId);
        if (c.phase !== "exited" && c.secrets.size > 0) secrets.set(taskId, c.secrets);
      }
      return { running: running.sort(), secrets };
    },
  };
}
