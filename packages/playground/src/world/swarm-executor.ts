import { DrydockError } from "@drydock/kernel";
import type { RegistryHub } from "@drydock/image";
import { Daemon, enginePull, openStore, type EngineState, type NetWorld } from "@drydock/engine";
import { TaskState, type ExecReport, type ExecResult, type ExecView, type ConfigPayload, type SecretPayload, type Task, type TaskExecutor } from "@drydock/swarm";
import { mkdir, writeFile, type FsDir } from "../fs/index.js";
import type { ContainerRuntime } from "../docker/command.js";
import { dropUnusedOverlays, joinOverlays, taskAttachments, taskNetworkRequest, withLocalOverlays, type SwarmNetworks } from "./swarm-attach.js";

/**
 * The swarm agent's executor on a world host: each task is a container of the host's engine, made
 * as moby's cluster executor makes it (daemon/cluster/executor/container): named
 * `<service>.<slot>.<task id>` (`<service>.<node id>.<task id>` for a global service), with the
 * system labels com.docker.swarm.*, restart policy "no" (the orchestrator restarts tasks, not the
 * engine), and the task's secrets in memory at /run/secrets.
 *
 * The executor is a function over the host's engine: the world hands it the host's engine, files,
 * the registries and the host's ID streams (`io`) before a swarm handler runs and takes the engine
 * back after it (world/swarm.ts), so a task's container changes in the same event as the agent's
 * state. Between handlers `io` is null.
 */

export interface HostIo {
  readonly engine: EngineState;
  readonly fs: FsDir;
  readonly hub: RegistryHub;
  readonly runtime: ContainerRuntime;
  /** The swarm's networks as the node knows them (a task's attachments name them by ID). */
  readonly networks?: SwarmNetworks;
  /** The world's traffic with this host's engine and disk as the executor has them (a starting task's first process sees it). */
  readonly netWorld?: (engine: EngineState, fs: FsDir) => NetWorld;
}

type Phase = "pulling" | "created" | "running" | "stopping" | "exited";

interface TaskContainer {
  readonly task: Task;
  /** "" while the image is pulled. */
  readonly containerId: string;
  readonly phase: Phase;
  /** When a pull is done (Infinity otherwise). */
  readonly dueAt: number;
  readonly secrets: readonly SecretPayload[];
  /** Absent in states saved before configs reached tasks. */
  readonly configs?: readonly ConfigPayload[];
  /** /run/secrets/<target> → secret name. */
  readonly mounts: ReadonlyMap<string, string>;
}

export interface EngineExecState {
  readonly host: string;
  readonly tasks: ReadonlyMap<string, TaskContainer>;
  /** The host's engine while a swarm handler runs (null between handlers). */
  readonly io: HostIo | null;
}

const nonZero = (code: number) => `task: non-zero exit (${code})`;
const none = (x: EngineExecState): ExecResult<EngineExecState> => ({ state: x, reports: [] });

/** moby containerConfig.name(): the task's container name. */
export function taskContainerName(task: Task): string {
  return `${task.serviceName}.${task.slot > 0 ? task.slot : task.nodeId}.${task.id}`;
}

/** moby containerConfig.labels(): the spec's labels, then the system ones over them. */
export function taskLabels(task: Task): Record<string, string> {
  return {
    ...task.spec.container.labels,
    "com.docker.swarm.node.id": task.nodeId,
    "com.docker.swarm.service.id": task.serviceId,
    "com.docker.swarm.service.name": task.serviceName,
    "com.docker.swarm.task": "",
    "com.docker.swarm.task.id": task.id,
    "com.docker.swarm.task.name": taskContainerName(task),
  };
}

function put(x: EngineExecState, id: string, t: TaskContainer | null): EngineExecState {
  const tasks = new Map(x.tasks);
  if (t) tasks.set(id, t);
  else tasks.delete(id);
  return { ...x, tasks };
}

/** Runs `op` on the host's engine; the engine after it goes back into `io`. */
function onEngine<T>(x: EngineExecState, now: number, op: (d: Daemon) => T): { x: EngineExecState; result: T } {
  const io = x.io;
  if (!io) throw new DrydockError("ESWARMEXEC", `the swarm executor of ${x.host} ran without its engine`);
  const d = new Daemon(io.engine, io.fs, {
    now, random: io.runtime.random, names: io.runtime.names, programs: io.runtime.programs, hostName: x.host,
    ...(io.netWorld ? { netWorld: (self: { engine: EngineState; fs: FsDir }) => io.netWorld!(self.engine, self.fs) } : {}),
  });
  const result = op(d);
  return { x: { ...x, io: { ...io, engine: d.engine, fs: d.hostFs } }, result };
}

function containerOf(x: EngineExecState, id: string) {
  return id === "" ? undefined : x.io?.engine.containers.get(id);
}

/** Creates the task's container (the image is there); READY, or REJECTED with the engine's error. */
function create(x: EngineExecState, t: TaskContainer, now: number): ExecResult<EngineExecState> {
  const task = t.task;
  const c = task.spec.container;
  const lim = task.spec.resources.limits;
  // moby container.go portBindings()/exposedPorts(): ports published in host mode are the
  // container's own bindings on its node (the routing mesh carries the ingress ones: world/ingress.ts).
  const hostPorts = (task.endpoint?.ports ?? []).filter((p) => p.publishMode === "host");
  const portBindings: Record<string, { hostIp: string; hostPort: string }[]> = {};
  for (const p of hostPorts) portBindings[`${p.targetPort}/${p.protocol}`] = [{ hostIp: "", hostPort: p.publishedPort !== 0 ? String(p.publishedPort) : "" }];
  // On its swarm networks (world/swarm-attach.ts): created on the first, connected to the others.
  const attachments = taskAttachments(task, x.io?.networks);
  const onNets = attachments.length > 0 && x.io ? { ...x, io: { ...x.io, engine: withLocalOverlays(x.io.engine, attachments, x.io.networks!, now) } } : x;
  const nets = taskNetworkRequest(attachments) ?? {};
  try {
    const r = onEngine(onNets, now, (d) => d.create({
      image: c.image, name: taskContainerName(task), labels: taskLabels(task), ...nets,
      ...(c.command.length > 0 ? { entrypoint: c.command } : {}), ...(c.args.length > 0 ? { cmd: c.args } : {}),
      env: c.env, restartPolicy: { name: "no", maximumRetryCount: 0 },
      ...(hostPorts.length > 0 ? { exposedPorts: Object.keys(portBindings), portBindings } : {}),
      stopTimeout: Math.round(c.stopGracePeriodUs / 1_000_000),
      // The secrets are in the tmpfs before the task's process starts (moby setupSecretDir).
      ...(t.secrets.length > 0 ? { mounts: [{ type: "tmpfs" as const, source: "", target: "/run/secrets", readOnly: false, files: secretFiles(t) }] } : {}),
      ...(lim.nanoCPUs > 0 || lim.memoryBytes > 0 ? { resources: { nanoCpus: lim.nanoCPUs, memory: lim.memoryBytes } } : {}),
    }));
    const id = r.result.id;
    return { state: put(r.x, task.id, { ...t, containerId: id, phase: "created", dueAt: Infinity }), reports: [{ taskId: task.id, state: TaskState.READY, message: "prepared", containerId: id }] };
  } catch (e) {
    if (!(e instanceof DrydockError)) throw e;
    return { state: put(x, task.id, null), reports: [{ taskId: task.id, state: TaskState.REJECTED, message: "preparing", err: e.message }] };
  }
}

/** The secrets' files in the task's in-memory /run/secrets, by their target. */
function secretFiles(t: TaskContainer): Record<string, string> {
  const files: Record<string, string> = {};
  for (const ref of t.task.spec.secrets) {
    const s = t.secrets.find((p) => p.id === ref.secretId);
    if (s) files[ref.target] = s.data;
  }
  return files;
}

/**
 * The configs' files: moby (daemon/container_operations_unix.go configsPath / getConfigTargetPath)
 * puts a config at its target, under / when the target is a bare name.
 */
function mountConfigs(d: Daemon, id: string, t: TaskContainer, now: number): void {
  const configs = t.configs ?? [];
  if (configs.length === 0) return;
  const before = d.fsView(id);
  let after = before;
  for (const ref of t.task.spec.configs) {
    const c = configs.find((p) => p.id === ref.configId);
    if (!c) continue;
    const path = configTargetPath(ref.target);
    const dir = mkdir(after, path.slice(0, path.lastIndexOf("/")) || "/", now, { parents: true });
    if (dir.ok) after = dir.value;
    const w = writeFile(after, path, c.data, now);
    if (w.ok) after = w.value;
  }
  d.applyView(id, before, after);
}

export function configTargetPath(target: string): string {
  return target.startsWith("/") ? target : `/${target}`;
}

/** What became of a task's container since the executor last looked. */
function observe(taskId: string, t: TaskContainer, x: EngineExecState): ExecReport | null {
  if (t.phase !== "running" && t.phase !== "stopping") return null;
  const c = containerOf(x, t.containerId);
  if (c && c.state.running) return null;
  if (t.phase === "stopping") return { taskId, state: TaskState.SHUTDOWN, message: "shutdown", containerId: t.containerId };
  const code = c ? c.state.exitCode : 137;
  return code === 0
    ? { taskId, state: TaskState.COMPLETE, message: "finished", exitCode: 0, containerId: t.containerId }
    : { taskId, state: TaskState.FAILED, message: "started", err: nonZero(code), exitCode: code, containerId: t.containerId };
}

/** Pulls that are done, and task containers that exited since the executor last looked. */
function wake(x: EngineExecState, now: number): ExecResult<EngineExecState> {
  const reports: ExecReport[] = [];
  let state = x;
  for (const [taskId, t] of [...x.tasks].sort((a, b) => a[1].dueAt - b[1].dueAt || (a[0] < b[0] ? -1 : 1))) {
    if (t.phase === "pulling" && t.dueAt <= now) {
      const io = state.io!;
      let engine: EngineState;
      try {
        engine = enginePull(io.engine, io.hub, t.task.spec.container.image, true).engine;
      } catch (e) {
        if (!(e instanceof DrydockError)) throw e;
        engine = io.engine; // as in prepare: the create says what is missing
      }
      const r = create({ ...state, io: { ...io, engine } }, t, now);
      state = r.state;
      reports.push(...r.reports);
      continue;
    }
    const rep = observe(taskId, t, state);
    if (rep) {
      state = put(state, taskId, { ...t, phase: "exited" });
      reports.push(rep);
    }
  }
  return { state, reports };
}

/** The swarm agent's TaskExecutor over the host's engine (see the file's comment). */
export function engineExecutor(pullUsMin = 0): TaskExecutor<EngineExecState> {
  return {
    name: "engine",
    init: (host) => ({ host, tasks: new Map(), io: null }),

    prepare(x, task, secrets, now, configs = []) {
      const mounts = new Map<string, string>();
      for (const ref of task.spec.secrets) if (secrets.some((s) => s.id === ref.secretId)) mounts.set(`/run/secrets/${ref.target}`, ref.secretName);
      const t: TaskContainer = { task, containerId: "", phase: "pulling", dueAt: Infinity, secrets, configs, mounts };
      const io = x.io!;
      if (openStore(io.engine).resolve(task.spec.container.image) !== undefined) return create(x, t, now);
      // The image is pulled first (moby's cluster executor pulls before it creates), taking the pull's time.
      let durationUs: number;
      try {
        durationUs = enginePull(io.engine, io.hub, task.spec.container.image, true).durationUs;
      } catch (e) {
        if (!(e instanceof DrydockError)) throw e;
        // moby's cluster executor only logs a failed pull and goes on to create the container,
        // which fails with the engine's "No such image: nope:latest": that is the task's error.
        return create(x, t, now);
      }
      return none(put(x, task.id, { ...t, dueAt: now + Math.max(pullUsMin, durationUs) }));
    },

    start(x, taskId, now) {
      const t = x.tasks.get(taskId);
      if (!t || t.phase !== "created") return none(x);
      try {
        // The configs are in place before the process starts, as moby's bind mounts are.
        const r = onEngine(x, now, (d) => {
          mountConfigs(d, t.containerId, t, now);
          d.start(t.containerId);
        });
        const io = r.x.io!;
        const attachments = taskAttachments(t.task, io.networks);
        const joined = attachments.length > 0 ? { ...r.x, io: { ...io, engine: joinOverlays(io.engine, t.containerId, attachments) } } : r.x;
        const started = put(joined, taskId, { ...t, phase: "running" });
        const rep = observe(taskId, { ...t, phase: "running" }, started);
        // A program that ends at once has ended by the time the start returns.
        const reports: ExecReport[] = [{ taskId, state: TaskState.RUNNING, message: "started", containerId: t.containerId }];
        if (rep) return { state: put(started, taskId, { ...t, phase: "exited" }), reports: [...reports, rep] };
        return { state: started, reports };
      } catch (e) {
        if (!(e instanceof DrydockError)) throw e;
        return { state: put(x, taskId, { ...t, phase: "exited" }), reports: [{ taskId, state: TaskState.FAILED, message: "starting", err: e.message, containerId: t.containerId }] };
      }
    },

    stop(x, taskId, now) {
      const t = x.tasks.get(taskId);
      const shutdown: ExecReport = { taskId, state: TaskState.SHUTDOWN, message: "shutdown", ...(t?.containerId ? { containerId: t.containerId } : {}) };
      if (!t || t.phase === "exited") return { state: x, reports: [shutdown] };
      if (t.phase === "stopping") return none(x);
      const c = containerOf(x, t.containerId);
      if (t.phase !== "running" || !c || !c.state.running) return { state: put(x, taskId, { ...t, phase: "exited", dueAt: Infinity }), reports: [shutdown] };
      const r = onEngine(x, now, (d) => d.stop(t.containerId, { timeoutS: Math.round(t.task.spec.container.stopGracePeriodUs / 1_000_000) }));
      const stopping = put(r.x, taskId, { ...t, phase: "stopping" });
      const rep = observe(taskId, { ...t, phase: "stopping" }, stopping);
      return rep ? { state: put(stopping, taskId, { ...t, phase: "exited" }), reports: [rep] } : none(stopping);
    },

    remove(x, taskId, now) {
      const t = x.tasks.get(taskId);
      if (!t) return none(x);
      const gone = put(x, taskId, null);
      if (!containerOf(x, t.containerId)) return none(gone);
      const r = onEngine(gone, now, (d) => d.remove(t.containerId, { force: true }));
      const io = r.x.io!;
      return none({ ...r.x, io: { ...io, engine: dropUnusedOverlays(io.engine) } });
    },

    wake,

    nextWake(x) {
      let at = Infinity;
      for (const t of x.tasks.values()) if (t.phase === "pulling" && t.dueAt < at) at = t.dueAt;
      return at;
    },

    // The engine's crash has stopped the processes; an interrupted pull starts again at the restart.
    crash: (x) => x,

    restart(x, now) {
      // dockerd's restore has marked the containers that ran as exited (255): the same look as a wake.
      let state = x;
      for (const [taskId, t] of x.tasks) if (t.phase === "pulling") state = put(state, taskId, { ...t, dueAt: now });
      return wake(state, now);
    },

    inspect(x): ExecView {
      const running: string[] = [];
      const secrets = new Map<string, ReadonlyMap<string, string>>();
      for (const [taskId, t] of x.tasks) {
        const c = containerOf(x, t.containerId);
        if (c?.state.running || (x.io === null && (t.phase === "running" || t.phase === "stopping"))) running.push(taskId);
        if (t.phase !== "exited" && t.mounts.size > 0) secrets.set(taskId, t.mounts);
      }
      return { running: running.sort(), secrets };
    },
  };
}
