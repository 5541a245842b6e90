import type { TraceRecord } from "@drydock/kernel";
import {
  HOST_NAMESPACES, allProcesses, memoryLimit, memoryUsage, stateString, type Container, type EngineState, type Proc,
} from "@drydock/engine";
import { nodeActors, type Driver, type Mark, type OptionValues, type ScenarioKey } from "../../scenario.js";
import { nextStepKey } from "../build/driver.js";
import { openHostRun, stepTimes, type ScriptStep } from "../build/run.js";
import type { Caption, ContainerInfo, ContainersViewModel, NsCell, NsKind, ProcRow, StepInfo } from "./model.js";

// Containers (issue 14): a container is a process on the host, constrained by kernel namespaces
// and control groups (the course: "Single process constrained by kernel namespaces, control
// groups and other technologies"). The engine's process table gives each process a host PID and
// a PID in its namespace (`docker top` shows the first, `ps` inside the second); its namespaces
// are the engine's (`ls -l /proc/PID/ns`); its cgroup's memory grows to --memory, where the
// kernel's OOM killer ends it (exit 137, OOMKilled); `--pid host` shares the host's PID namespace.

export const HOST = "node1";
/** GiB: the hog's --memory. `tail /dev/zero` grows by 480 MB a second, so it reaches the limit in about 2 s. */
export const HOG_MEMORY = "1g";

export const SETUP_LINES: readonly string[] = ["docker run -d --name web nginx:1.27-alpine >/dev/null"];

export const CONTAINER_STEPS: readonly ScriptStep[] = [
  { id: "top", label: "Its processes, in host PIDs", line: "docker top web" },
  { id: "ps", label: "The same, inside its PID namespace", line: "docker exec web ps" },
  { id: "hog", label: `A memory hog limited to ${HOG_MEMORY}`, line: `docker run -d --name hog --memory ${HOG_MEMORY} alpine tail /dev/zero` },
  { id: "oom", label: "Was it OOM-killed?", line: "docker inspect hog --format '{{.State.OOMKilled}} {{.State.ExitCode}}'" },
  { id: "pidhost", label: "Share the host's PID namespace", line: "docker run -d --name tools --pid host alpine sleep 3600" },
];

const NS_KINDS: readonly NsKind[] = ["pid", "net", "ipc", "mnt", "uts", "user", "cgroup"];
/** The host processes worth a line: init and the daemons containers hang from. */
const HOST_SHOWN = new Set([1, 655, 731]);

/** The process table as a tree: the host's init and daemons, every shim and the containers' processes below them. */
export function processRows(engine: EngineState): ProcRow[] {
  const names = new Map([...engine.containers.values()].map((c) => [c.id, c.name]));
  const shown = allProcesses(engine.kernel).filter((p) => HOST_SHOWN.has(p.pid) || p.pid > 4000 && (p.container !== null || p.kind === "shim"));
  const byPid = new Map(shown.map((p) => [p.pid, p]));
  const children = new Map<number, Proc[]>();
  const roots: Proc[] = [];
  for (const p of shown) {
    const parent = byPid.has(p.ppid) && p.ppid !== p.pid ? p.ppid : null;
    if (parent === null) roots.push(p);
    else children.set(parent, [...(children.get(parent) ?? []), p]);
  }
  const out: ProcRow[] = [];
  const walk = (p: Proc, depth: number): void => {
    const own = p.container !== null;
    // A process in the host's PID namespace (`--pid host`) has its host PID there too.
    out.push({
      pid: p.pid, ppid: p.ppid, nsPid: own ? p.nsPid : null, container: own ? names.get(p.container!) ?? p.container!.slice(0, 12) : null,
      command: shortCommand(p.argv), depth, kind: own ? p.kind === "shim" ? "shim" : p.kind : p.kind === "shim" ? "shim" : "host",
    });
    for (const c of children.get(p.pid) ?? []) walk(c, depth + 1);
  };
  for (const r of roots) walk(r, 0);
  return out;
}

/** A shim's command line is long: its binary's name and the container's short ID are what the room needs. */
function shortCommand(argv: readonly string[]): string {
  const [bin, ...rest] = argv;
  if (bin?.endsWith("containerd-shim-runc-v2")) {
    const id = rest[rest.indexOf("-id") + 1] ?? "";
    return `containerd-shim-runc-v2 -id ${id.slice(0, 12)}`;
  }
  return argv.join(" ");
}

const hostNs = (): NsCell[] => NS_KINDS.map((kind) => ({ kind, inode: HOST_NAMESPACES[kind], host: true }));

export function containerInfo(c: Container, now: number): ContainerInfo {
  const ns = NS_KINDS.map((kind): NsCell => {
    const n = c.namespaces.find((x) => x.kind === kind);
    return { kind, inode: n?.inode ?? 0, host: n?.owner === "host" };
  });
  return {
    name: c.name, image: c.config.image, status: stateString(c), exitCode: c.state.exitCode, oomKilled: c.state.oomKilled,
    pid1: c.state.pid, namespaces: ns, memory: memoryUsage(c, now), memoryLimit: memoryLimit(c), limited: c.hostConfig.resources.memory > 0,
  };
}

const MiB = 1024 * 1024;
const mib = (b: number): string => `${Math.round(b / MiB)} MiB`;

/** The caption for the step on the screen, in the course's words (docker-fundamentals: kernel namespaces, cgroups). */
export function containersCaption(v: Omit<ContainersViewModel, "caption">): Caption {
  const by = new Map(v.containers.map((c) => [c.name, c]));
  const done = v.steps.filter((s) => s.done).map((s) => s.id);
  const last = done[done.length - 1] ?? null;
  const web = v.procs.filter((p) => p.container === "web");
  const tools = by.get("tools");
  if (tools) {
    const shared = tools.namespaces.filter((n) => n.host).map((n) => n.kind);
    return { step: "pid-host", title: "--pid host", text: `tools shares the host's ${shared.join(" and ")} namespace${shared.length > 1 ? "s" : ""}: its ps sees every process on the host, with host PIDs (its sleep is PID ${tools.pid1} there too). Its network, IPC, mounts and hostname stay its own.` };
  }
  const hog = by.get("hog");
  if (hog && hog.oomKilled) {
    return { step: "oom", title: "OOM-killed", text: `hog reached its cgroup's memory limit (--memory ${HOG_MEMORY}): the kernel's OOM killer sent SIGKILL, so it exited with 137 (128 + 9) and docker inspect says OOMKilled true.` };
  }
  if (hog && hog.status === "running") {
    return { step: "hog", title: "A cgroup limits memory", text: `hog runs tail /dev/zero, which keeps all it reads: its memory climbs towards the limit, ${mib(hog.memory)} of ${mib(hog.memoryLimit)}. Control groups limit memory & CPU.` };
  }
  if (last === "ps") {
    const pid1 = web.find((p) => p.nsPid === 1);
    return { step: "ps", title: "Its own PID namespace", text: `Inside, ps sees only web's processes, numbered from 1: nginx's master is PID 1 there and PID ${pid1?.pid ?? "?"} on the host. Same processes, two numbers.` };
  }
  if (last === "top") {
    return { step: "top", title: "docker top: host PIDs", text: `A container is processes on the host: docker top web lists nginx's master and workers with their host PIDs (${web.map((p) => p.pid).join(", ")}), children of a containerd shim.` };
  }
  return { step: "start", title: "A container is a process", text: "web runs nginx: a process tree on the host, isolated by kernel namespaces (process IDs, network stacks, inter-process communications, mount points, hostnames) and limited by control groups. Press Next." };
}

/** Any host's processes, namespaces and cgroups: the view's picture of one engine (the scene's steps and caption are the caller's). */
export function containersWorldView(engine: EngineState, host: string, now: number): Omit<ContainersViewModel, "steps" | "next" | "busy" | "caption"> {
  const containers = [...engine.containers.values()].sort((a, b) => a.created - b.created).map((c) => containerInfo(c, now));
  return { host, procs: processRows(engine), hostNs: hostNs(), containers };
}

export function createContainersDriver(seed: string, _options: OptionValues): Driver<ContainersViewModel> {
  const run = openHostRun(seed, { host: HOST, lines: SETUP_LINES });
  const sim = run.sim;
  return {
    playground: run.playground,
    sim,
    timeline: run.timeline,
    actors: nodeActors([HOST]),
    view() {
      const times = stepTimes(CONTAINER_STEPS, run.typed());
      const steps: StepInfo[] = CONTAINER_STEPS.map((s, i) => ({ ...s, done: i < times.length, at: times[i] ?? null }));
      const base = { ...containersWorldView(sim.state.hosts.get(HOST)!.engine, HOST, sim.now), steps, next: steps[times.length] ?? null, busy: run.busy() };
      return { ...base, caption: containersCaption(base) };
    },
    notable(trace: readonly TraceRecord[], from: number): Mark[] {
      const out: Mark[] = [];
      for (let i = Math.max(0, from); i < trace.length; i++) {
        const r = trace[i]!;
        if (r.t < run.setup.at || r.type !== "state") continue;
        const d = r.data as { event?: string; action?: { type?: string; endpoint?: string } } | null;
        if (d?.event === "line.done") out.push({ t: r.t, label: "command done" });
        // A container's end, as the trace has it: its endpoint on the bridge goes (hog killed by the OOM killer).
        else if (d?.event === "endpoint" && d.action?.type === "detach") out.push({ t: r.t, label: `${String(d.action.endpoint).split(":")[0]} stopped` });
      }
      return out;
    },
    messageLabel: () => "message",
  };
}

export const CONTAINER_KEYS: readonly ScenarioKey<ContainersViewModel>[] = [nextStepKey<ContainersViewModel>()];
