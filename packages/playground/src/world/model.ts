import { DrydockError, canonicalJson, type Micros, type Model, type SimContext } from "@drydock/kernel";
import { deliverInput } from "./terminal-input.js";
import { RegistryHub } from "@drydock/image";
import {
  Daemon, SIGINT, appendEvents, createEngine, layerChanges, openStore, type EngineEvent, type EngineState,
} from "@drydock/engine";
import { createRootFs, kindOf, readFile, readdir, writeFile, writeTree, normalizePath, type FsDir } from "../fs/index.js";
import { createSession, runLine } from "../shell/index.js";
import { Suspend, type CommandOutcome, type CommandRequest, type FsAnswer, type OutputChunk, type ShellHost, type ShellSession } from "../shell/host.js";
import type { ContainerRuntime, Pending } from "../docker/command.js";
import { FORCED_EXIT, interruptFollow, splitChunks, startFollow, stepFollow } from "../docker/follow.js";
import { ALL_COMMANDS, commandPath, runProgram, type HostDraft } from "./commands.js";
import { CATALOGUE } from "./programs.js";
import { attachedLine, canDetach, detach, endAttachment, startAttachment } from "./attach.js";
import { splitDockerRoot, under as underDockerRoot, withDockerRoot } from "./docker-dirs.js";
import { reconcileRegistries } from "./registries.js";
import { Memo } from "./memo.js";
import type { AgainAnswer, Answer, FollowRun, HostState, Running, RunningJob, WorldAction, WorldMessage, WorldState } from "./state.js";
import { getHost, hostsOf, onDaemon, runtimeOf, setHost, settle } from "./ops.js";
import { SWARM_TIMER, loadSwarm, saveSwarm, swarmCrash, swarmDeliver, swarmInit, swarmPoke, swarmPort, swarmRestart, swarmTimer, swarmWaitInterrupted, type SwarmPort } from "./swarm.js";
import { IpvsDraft, ipvsField } from "./ingress.js";
import { KUBE_MESSAGE_TYPES, KUBE_TIMER, kubeCrash, kubeDeliver, kubeInit, kubePoke, kubePort, kubeRestart, kubeTimer, loadKube, saveKube, type KubePort, type KubernetesOptions } from "./kube.js";
import { withPauseImage } from "./kube-containers.js";
import { WorldJobs, backgroundFollows, inBackground, interruptedJobs, reportEnded, startBackground } from "./jobs.js";
import { catalogOf, deliverTraffic, interruptTraffic, netWorldWith, startTraffic, syncEndpoints, trafficTimer, type NetMessage } from "./traffic.js";

export interface WorldOptions {
  readonly hosts: readonly string[];
  /** Kubernetes on these hosts (world/kube.ts): the first runs the control plane. */
  readonly kubernetes?: KubernetesOptions;
}

function newSession(host: string): ShellSession {
  return createSession({ hostname: host });
}

function newHost(name: string): HostState {
  return {
    name, fs: createRootFs(0, { hostname: name, commands: ALL_COMMANDS }), engine: createEngine(0, name), shell: newSession(name),
    running: null, last: null, lineSeq: 0, attachment: null,
  };
}

const isAgain = (a: Answer | undefined): a is AgainAnswer => a !== null && typeof a === "object" && "again" in a;

/** A program's outcome with what it printed before it ran again (`again`) in front. */
function withCarry(carry: readonly OutputChunk[], r: CommandOutcome): CommandOutcome {
  if (carry.length === 0) return r;
  const own: OutputChunk[] = r.chunks ? [...r.chunks] : r.stderrFirst
    ? [{ fd: 2, text: r.stderr }, { fd: 1, text: r.stdout }]
    : [{ fd: 1, text: r.stdout }, { fd: 2, text: r.stderr }];
  const chunks = [...carry, ...own].filter((c) => c.text !== "");
  return { status: r.status, ...splitChunks(chunks), chunks };
}

/**
 * The ShellHost a line runs against: answers calls already made from the memo (a resumed line
 * replays them), makes new ones on the draft, and throws Suspend for a program that takes time.
 */
class WorldShellHost implements ShellHost {
  readonly memo: Memo;
  /** The line's job calls (`cmd &`, jobs, wait, fg, kill %1) on its host's job table: world/jobs.ts. */
  readonly jobControl: WorldJobs;
  suspended: Pending | null = null;
  /** What the line's docker commands reach of the swarm (world/swarm.ts). */
  swarm: SwarmPort | undefined;
  /** What the line's kubectl commands reach of Kubernetes (world/kube.ts). */
  kube: KubePort | undefined;
  /** The routing mesh's round-robin positions as the line's requests move them (world/ingress.ts). */
  ipvs: IpvsDraft | undefined;
  /** kube-proxy's statistic match draws from the world's seeded stream (world/kube-net.ts). */
  kubeDraw: (() => number) | undefined;
  /** Whether the suspended program's output goes to the terminal. */
  streams = false;

  constructor(
    memo: Answer[],
    readonly draft: HostDraft,
    private readonly now: Micros,
    private readonly host: string,
    private readonly hosts: readonly string[],
    private readonly runtime: ContainerRuntime,
    private readonly world: WorldState,
    jobs?: Pick<HostState, "jobs" | "lastPid">,
  ) {
    this.memo = new Memo(memo);
    this.jobControl = new WorldJobs(this.memo, jobs?.jobs, jobs?.lastPid);
  }

  private answer<T extends Answer>(make: () => T): T {
    return this.memo.answer(make);
  }

  run(req: CommandRequest): CommandOutcome {
    let carry: readonly OutputChunk[] = [];
    let rerun = false;
    let rerunState: unknown;
    if (this.memo.replaying) {
      const m = this.memo.peek();
      if (!isAgain(m)) return this.memo.take<CommandOutcome>();
      carry = m.again;
      rerun = true;
      rerunState = m.state;
      this.memo.drop();
    }
    const r = runProgram(req, this.draft, {
      now: this.now, host: this.host, hosts: this.hosts, runtime: this.runtime, rerun, ...(rerunState !== undefined ? { rerunState } : {}),
      net: () => netWorldWith(this.world, this.host, this.draft.engine, this.draft.fs, this.ipvs, this.kubeDraw), catalog: catalogOf(this.world),
      ...(this.swarm ? { swarm: this.swarm } : {}), ...(this.kube ? { kube: this.kube } : {}),
    });
    if ("durationUs" in r) {
      this.suspended = carry.length === 0 ? r : carryInto(r, carry);
      this.streams = req.tty?.stdout === true && req.tty.stderr === true;
      throw new Suspend();
    }
    return this.memo.record(withCarry(carry, r));
  }

  commandPath(name: string): string | null {
    return commandPath(name);
  }

  /** The files a path is read in: the host's, with the volumes at their mountpoints under /var/lib/docker (docker-dirs.ts). */
  private filesFor(path: string): FsDir {
    return underDockerRoot(path) ? withDockerRoot(this.draft.fs, this.draft.engine, this.now) : this.draft.fs;
  }

  readFile(path: string): FsAnswer<string> {
    return this.answer(() => readFile(this.filesFor(path), path) as FsAnswer<string>);
  }

  writeFile(path: string, text: string, append: boolean): FsAnswer<null> {
    return this.answer(() => {
      const view = this.filesFor(path);
      const r = writeFile(view, path, text, this.now, { append });
      if (!r.ok) return r as FsAnswer<null>;
      if (view === this.draft.fs) this.draft.fs = r.value;
      else {
        const split = splitDockerRoot(this.draft.fs, view, r.value, this.draft.engine, this.now);
        this.draft.fs = split.fs;
        this.draft.engine = split.engine;
      }
      return { ok: true, value: null };
    });
  }

  readdir(path: string): FsAnswer<readonly string[]> {
    return this.answer(() => readdir(this.filesFor(path), path) as FsAnswer<readonly string[]>);
  }

  kind(path: string): "file" | "dir" | null {
    return this.answer(() => kindOf(this.filesFor(path), path));
  }
}

/** A job started by a program run again: what it printed before comes first. */
function carryInto(p: Pending, carry: readonly OutputChunk[]): Pending {
  if (p.follow) return { ...p, follow: { ...p.follow, initial: [...carry, ...p.follow.initial] } };
  // `docker run -it` after the pull it needed: the pull's lines come before the container's prompt.
  if (p.attach) return { ...p, attach: { ...p.attach, initial: [...carry, ...p.attach.initial] } };
  const text = carry.map((c) => c.text).join("");
  return { ...p, steps: [{ atUs: 0, event: "output", detail: {}, stdout: text }, ...p.steps], outcome: withCarry(carry, p.outcome) };
}

/**
 * A timed job's result merged into the engine as it is now: the fields the job changed (its
 * images) from the job, the rest (containers that ran meanwhile) as they are; events of both.
 */
function mergeJobEngine(base: EngineState, done: EngineState, current: EngineState): EngineState {
  if (current === base) return done;
  const out: Record<string, unknown> = { ...current };
  for (const k of Object.keys(done) as (keyof EngineState)[]) {
    if (k === "events" || k === "wakeups") continue;
    if (done[k] !== base[k]) out[k] = done[k];
  }
  const lastBase = base.events[base.events.length - 1];
  const from = lastBase === undefined ? 0 : done.events.lastIndexOf(lastBase) + 1;
  const added: EngineEvent[] = done.events.slice(from);
  out["events"] = appendEvents(current.events, added);
  return out as unknown as EngineState;
}

/**
 * Runs (or resumes) the line in `h.running` until it finishes or suspends on a job; returns the
 * world after. A job's steps become kernel timers on the host, so they die with it in a crash.
 */
/** What a line has shown on the terminal so far (a class, not a closure per line). */
class ShownText {
  text = "";
  write(text: string): void {
    this.text += text;
  }
}

export function advanceLine(s: WorldState, h: HostState, ctx: SimContext<WorldMessage>): WorldState {
  if (h.attachment !== null) return attachedLine(s, h, ctx);
  const run = h.running!;
  const memo = [...run.memo];
  const draft: HostDraft = { fs: h.fs, engine: h.engine, hub: s.hub, registries: s.registries };
  const host = new WorldShellHost(memo, draft, ctx.now, h.name, hostsOf(s), runtimeOf(h.name, ctx), s, h);
  const swarmDraft = { swarm: s.swarm };
  host.swarm = swarmPort(s, swarmDraft, h.name, ctx);
  const kubeDraft = { kube: s.kube };
  host.kube = kubePort(s, kubeDraft, ctx, h.name);
  host.ipvs = new IpvsDraft(s.ipvs);
  if (s.kube) host.kubeDraw = () => ctx.rng("kube-proxy").next();
  const terminal = new ShownText();
  let result;
  try {
    // Typed at the host's prompt (a job's line was expanded when typed).
    result = runLine(run.line, run.session, host, terminal, terminal, { interactive: run.background !== true });
  } catch (e) {
    const jobs = host.jobControl;
    if (!(e instanceof Suspend) || (!host.suspended && jobs.waiting === null)) throw e;
    const shown = terminal.text;
    const table = { jobs: jobs.table, lastPid: jobs.lastPid };
    if (jobs.waiting !== null) {
      // `wait`/`fg`: no timers; the line goes on when the jobs end (world/jobs.ts).
      const pending: Pending = { kind: "wait", durationUs: 0, steps: [], outcome: { status: 0, stdout: "", stderr: "" } };
      const job: RunningJob = { pending, startedAt: ctx.now, shown: "", streams: true, base: draft.engine, follow: null, waits: jobs.waiting };
      ctx.record(h.name, { event: "job.start", kind: "wait", durationUs: 0 });
      const next: HostState = { ...h, ...table, fs: draft.fs, engine: draft.engine, running: { ...run, memo, shownBefore: shown, job } };
      const s1 = { ...setHost(s, next, { hub: draft.hub, registries: draft.registries }), swarm: swarmDraft.swarm, ...ipvsField(host.ipvs), ...(kubeDraft.kube ? { kube: kubeDraft.kube } : {}) };
      return startBackground(settle(s1, h.name, ctx), h.name, jobs.started, ctx);
    }
    const pending = host.suspended!;
    const next: HostState = { ...h, ...table, fs: draft.fs, engine: draft.engine, running: { ...run, memo, shownBefore: shown, job: null } };
    const s1 = { ...setHost(s, next, { hub: draft.hub, registries: pending.registries ?? draft.registries }), swarm: swarmDraft.swarm, ...ipvsField(host.ipvs), ...(kubeDraft.kube ? { kube: kubeDraft.kube } : {}) };
    return startBackground(startJob(s1, h.name, pending, host.streams, ctx), h.name, jobs.started, ctx);
  }
  ctx.record(h.name, { event: "line.done", status: result.status });
  const display = (run.displayPrefix ?? "") + terminal.text.slice(run.displayFrom ?? 0);
  // A line that went on after an attached shell: what it printed before was already shown then.
  const cut = run.displayFrom === undefined ? {}
    : run.displayFrom === 0 ? { stdout: (run.displayPrefix ?? "") + result.stdout, stderr: result.stderr } : { stdout: display, stderr: "" };
  const done: HostState = {
    ...h, jobs: host.jobControl.table, lastPid: host.jobControl.lastPid, fs: draft.fs, engine: draft.engine, shell: result.session, running: null,
    last: { ...result, ...cut, seq: run.seq, line: run.line, display },
  };
  const s1 = settle({ ...setHost(s, done, { hub: draft.hub, registries: draft.registries }), swarm: swarmDraft.swarm, ...ipvsField(host.ipvs), ...(kubeDraft.kube ? { kube: kubeDraft.kube } : {}) }, h.name, ctx);
  // Before the next prompt: the jobs that ended meanwhile; then the ones this line started begin.
  return startBackground(run.background ? s1 : reportEnded(s1, h.name), h.name, host.jobControl.started, ctx);
}

/** A suspended program's job begins: timers for its steps, or a following job stepped at once. */
export function startJob(s: WorldState, name: string, pending: Pending, streams: boolean, ctx: SimContext<WorldMessage>): WorldState {
  const h = s.hosts.get(name)!;
  const run = h.running!;
  ctx.record(name, { event: "job.start", kind: pending.kind, durationUs: pending.durationUs });
  if (pending.attach) return startAttachment(settle(s, name, ctx), name, pending, ctx);
  if (pending.input) {
    // No timers: the job waits for the next line typed on this host; its prompt is on the terminal.
    const job: RunningJob = { pending, startedAt: ctx.now, shown: outcomeChunks(pending.outcome).map((c) => c.text).join(""), streams, base: h.engine, follow: null };
    return settle(setHost(s, { ...h, running: { ...run, job } }), name, ctx);
  }
  if (pending.traffic) {
    const job: RunningJob = { pending, startedAt: ctx.now, shown: "", streams, base: h.engine, follow: null };
    return startTraffic(settle(setHost(s, { ...h, running: { ...run, job } }), name, ctx), name, ctx);
  }
  if (pending.follow) {
    const chunks = pending.follow.initial;
    const follow: FollowRun = { state: startFollow(pending.follow, h.engine), chunks, token: 0 };
    const job: RunningJob = {
      pending, startedAt: ctx.now, shown: streams ? chunks.map((c) => c.text).join("") : "", streams, base: h.engine, follow,
    };
    const s1 = settle(setHost(s, { ...h, running: { ...run, job } }), name, ctx);
    return followTick(s1, name, ctx);
  }
  for (let i = 0; i < pending.steps.length; i++) {
    ctx.setTimer(name, ctx.now + pending.steps[i]!.atUs, "job", { seq: run.seq, step: i });
  }
  if (pending.steps.length === 0) ctx.setTimer(name, ctx.now + pending.durationUs, "job", { seq: run.seq, step: -1 });
  const job: RunningJob = { pending, startedAt: ctx.now, shown: "", streams, base: h.engine, follow: null };
  return settle(setHost(s, { ...h, running: { ...run, job } }), name, ctx);
}

/** A job is over: its outcome joins the memo and the line goes on from where it stopped. */
export function finishJob(s: WorldState, h: HostState, answer: Answer, ctx: SimContext<WorldMessage>, engine = h.engine): WorldState {
  const run = h.running!;
  const resumed: HostState = { ...h, engine, running: { ...run, memo: [...run.memo, answer], job: null } };
  return advanceLine(s, resumed, ctx);
}

/** Steps the running line's following job (if any): new output, and its end. */
function followTick(s: WorldState, name: string, ctx: SimContext<WorldMessage>, outputOnly = false): WorldState {
  const h = s.hosts.get(name);
  const job = h?.running?.job;
  if (!h || !job || !job.follow || !job.pending.follow) return s;
  const fj = job.pending.follow;
  const st = stepFollow(fj, job.follow.state, h.engine, ctx.now, CATALOGUE);
  const chunks = st.out.length > 0 ? [...job.follow.chunks, ...st.out] : job.follow.chunks;
  const shown = job.streams && st.out.length > 0 ? job.shown + st.out.map((c) => c.text).join("") : job.shown;
  if (st.done !== null && !outputOnly) {
    const all = fj.after ? [...chunks, ...fj.after.chunks] : chunks;
    const status = fj.after && fj.after.status !== 0 ? fj.after.status : st.done.status;
    ctx.record(name, { event: "job.done", kind: job.pending.kind, status });
    const outcome: CommandOutcome = { status, ...splitChunks(all), chunks: all };
    const after = { ...h, running: { ...h.running!, job: { ...job, shown } } };
    return finishJob(s, after, outcome, ctx);
  }
  const token = job.follow.token + 1;
  if (st.nextAt !== null && !outputOnly) ctx.setTimer(name, Math.max(ctx.now, st.nextAt), "follow", { seq: h.running!.seq, token });
  const follow: FollowRun = { state: st.state, chunks, token: outputOnly ? job.follow.token : token };
  return setHost(s, { ...h, running: { ...h.running!, job: { ...job, shown, follow } } });
}

/** Ctrl-C during a following job: it may go to the container (sig-proxy, a terminal) instead of ending the line. */
function interruptJob(s: WorldState, h: HostState, ctx: SimContext<WorldMessage>): WorldState | null {
  const job = h.running?.job;
  if (!job?.follow || !job.pending.follow) return null;
  const act = interruptFollow(job.pending.follow, job.follow.state);
  if (act.kind === "end") return null;
  ctx.record(h.name, { event: "job.interrupt", kind: job.pending.kind });
  const echo: OutputChunk = { fd: 2, text: act.echo };
  const interrupts = job.follow.state.interrupts + 1;
  const withEcho = (x: WorldState): WorldState => {
    const hh = x.hosts.get(h.name)!;
    const j = hh.running!.job!;
    const follow: FollowRun = { ...j.follow!, state: { ...j.follow!.state, interrupts }, chunks: [...j.follow!.chunks, echo] };
    return setHost(x, { ...hh, running: { ...hh.running!, job: { ...j, follow, shown: j.streams ? j.shown + echo.text : j.shown } } });
  };
  let s1 = withEcho(s);
  if (act.kind === "stop") {
    // Compose stops (or, the second time, kills) the project's containers; the job reports when they are down.
    const hh = s1.hosts.get(h.name)!;
    s1 = onDaemon(s1, hh, ctx, (d) => {
      for (const id of act.containers) {
        const c = d.find(id);
        if (!c || !c.state.running) continue;
        if (act.force) d.kill(id, "SIGKILL");
        else d.stop(id);
      }
    });
    return followTick(s1, h.name, ctx);
  }
  if (act.forceExit) {
    const hh = s1.hosts.get(h.name)!;
    const j = hh.running!.job!;
    const chunks: OutputChunk[] = [...j.follow!.chunks, { fd: 2, text: FORCED_EXIT }];
    const after = { ...hh, running: { ...hh.running!, job: { ...j, shown: j.streams ? j.shown + FORCED_EXIT : j.shown } } };
    return finishJob(s1, after, { status: 1, ...splitChunks(chunks), chunks }, ctx);
  }
  if (act.container !== "") {
    const hh = s1.hosts.get(h.name)!;
    s1 = onDaemon(s1, hh, ctx, (d) => {
      if (act.exec !== null) d.signalExec(act.container, act.exec, SIGINT);
      else d.kill(act.container, "SIGINT");
    });
  }
  return followTick(s1, h.name, ctx);
}

/**
 * Ctrl-P Ctrl-Q while a run, start -a or attach with a terminal follows its container (docker/cli
 * hijack.go's escape proxy reads the keys): the CLI stops streaming and the container goes on.
 * `docker attach` returns the EscapeError ("read escape sequence", exit 1); run and start return
 * nil on it (run.go, start.go).
 */
function detachFollow(s: WorldState, h: HostState, ctx: SimContext<WorldMessage>): WorldState {
  const job = h.running!.job!;
  ctx.record(h.name, { event: "detach", kind: job.pending.kind });
  const notice: OutputChunk[] = job.pending.kind === "attach" ? [{ fd: 2, text: "read escape sequence\n" }] : [];
  const chunks = [...job.follow!.chunks, ...notice];
  const shown = job.streams ? job.shown + notice.map((c) => c.text).join("") : job.shown;
  const after = { ...h, running: { ...h.running!, job: { ...job, shown } } };
  return finishJob(s, after, { status: notice.length > 0 ? 1 : 0, ...splitChunks(chunks), chunks }, ctx);
}

/** The world as a kernel model: hosts are the kernel's nodes; every way in is an action. */
export function worldModel(options: WorldOptions): Model<WorldState, WorldMessage, WorldAction> {
  return {
    init(ctx) {
      return {
        hosts: new Map(options.hosts.map((n) => [n, newHost(n)])), hub: options.kubernetes ? withPauseImage(new RegistryHub()) : new RegistryHub(), registries: new Map(), registryContainers: new Map(),
        swarm: swarmInit(ctx),
        ...(options.kubernetes ? { kube: kubeInit(options.kubernetes, ctx) } : {}),
      };
    },

    deliver(s, msg, from, to, ctx) {
      if (msg.type === "net.request" || msg.type === "net.reply") {
        const m = msg as NetMessage;
        return inBackground(s, m.origin, m.seq, (x) => deliverTraffic(x, m, from, to, ctx), ctx) ?? deliverTraffic(s, m, from, to, ctx);
      }
      if (KUBE_MESSAGE_TYPES.has(msg.type)) return kubeDeliver(s, msg, from, to, ctx);
      return swarmDeliver(s, msg, from, to, ctx);
    },

    validate(s, a, net) {
      const h = getHost(s, a.host);
      if (!net.up[a.host]) throw new DrydockError("EHOSTDOWN", `${a.host} is down (crashed); restart it first`);
      if (a.type === "exec") {
        if (typeof a.line !== "string") throw new DrydockError("EACTION", "exec needs a line");
        if (h.running && !h.running.job?.pending.input) throw new DrydockError("EBUSY", `${a.host} is still running "${h.running.line}"`);
      }
      if (a.type === "writeFile" && (typeof a.path !== "string" || !a.path.startsWith("/"))) {
        throw new DrydockError("EPATH", `writeFile needs an absolute path, not ${JSON.stringify(a.path)}`);
      }
    },

    action(s, a, ctx) {
      const h = getHost(s, a.host);
      switch (a.type) {
        case "exec": {
          // A program waits for a line from the terminal: this line is its answer, not a command (terminal-input.ts).
          const waiting = h.running?.job?.pending;
          if (waiting?.input) {
            const { state, echo } = deliverInput(waiting, a.line);
            ctx.record(h.name, { event: "terminal.input", kind: waiting.kind, ...(waiting.input.echo ? { line: a.line } : {}) });
            const after = finishJob(s, h, { again: [...outcomeChunks(waiting.outcome), echo], state }, ctx);
            return kubePoke(swarmPoke(after, a.host, ctx), a.host, ctx);
          }
          const seq = h.lineSeq + 1;
          const session = h.attachment?.session ?? h.shell;
          const started: HostState = {
            ...h, lineSeq: seq,
            running: { seq, line: a.line, session, memo: [], job: null, startedAt: ctx.now, shownBefore: "" },
          };
          // A command may have removed or stopped a task's container: the swarm agent looks.
          const after = advanceLine(s, started, ctx);
          return kubePoke(swarmPoke(after, a.host, ctx), a.host, ctx);
        }
        case "interrupt": {
          if (!h.running) return s;
          const stats = interruptTraffic(s, h, ctx);
          if (stats !== null) return stats;
          const sent = interruptJob(s, h, ctx);
          if (sent !== null) return sent;
          const waited = swarmWaitInterrupted(s, h, ctx.now);
          if (waited !== null) {
            ctx.record(h.name, { event: "job.interrupt", kind: "service.progress" });
            return finishJob(s, h, waited, ctx);
          }
          // Ctrl-C: the line stops where it is; a job's effects are never applied.
          ctx.record(h.name, { event: "line.interrupted" });
          const session = { ...h.running.session, status: 130 };
          const jobs = interruptedJobs(h.jobs, h.running.job?.waits);
          const last = {
            session, stdout: "", stderr: "^C\n", status: 130, exit: false, seq: h.running.seq, line: h.running.line,
            display: h.running.shownBefore + (h.running.job?.shown ?? "") + "^C\n",
          };
          if (h.attachment !== null) return setHost(s, { ...h, running: null, attachment: { ...h.attachment, session }, last });
          return setHost(s, { ...h, running: null, shell: session, last, ...(jobs !== undefined ? { jobs } : {}) });
        }
        case "detachTerminal": {
          // Ctrl-P Ctrl-Q: the terminal leaves the container, which goes on running.
          if (!canDetach(h)) return s;
          if (h.attachment !== null) return detach(s, h, ctx);
          return detachFollow(s, h, ctx);
        }
        case "writeFile": {
          const parts = a.path.split("/");
          const dir = parts.slice(0, -1).join("/") || "/";
          const r = writeTree(h.fs, dir, new Map([[parts[parts.length - 1]!, { text: a.text, mode: 0o644 }]]), ctx.now);
          if (!r.ok) throw new DrydockError("EWRITE", `cannot write ${a.path}: ${r.error}`);
          return setHost(s, { ...h, fs: r.value });
        }
        case "mount": {
          const files = new Map(Object.entries(a.files).map(([k, v]) => [k, { text: v, mode: 0o644 }]));
          const r = writeTree(h.fs, normalizePath("/", a.dir), files, ctx.now);
          if (!r.ok) throw new DrydockError("EWRITE", `cannot copy into ${a.dir}: ${r.error}`);
          return setHost(s, { ...h, fs: r.value });
        }
      }
    },

    timer(s, node, name, data, ctx) {
      // A background job's timer: its line is swapped in as the host's while it runs (world/jobs.ts).
      const of = lineOf(node, name, data);
      if (of !== null) {
        const r = inBackground(s, of.host, of.seq, (x) => hostTimer(x, node, name, data, ctx), ctx);
        if (r !== null) return r;
      }
      if (name !== "wake") return hostTimer(s, node, name, data, ctx);
      // A container woke: background jobs that follow one show its output first, as the terminal's line does.
      const before = backgroundFollows(s, node, (x) => followTick(x, node, ctx, true), ctx);
      return backgroundFollows(hostTimer(before, node, name, data, ctx), node, (x) => followTick(x, node, ctx), ctx);
    },

    crash(s, node, ctx) {
      const h = s.hosts.get(node);
      if (!h) return s;
      ctx.record(node, { event: "host.crashed", running: h.running?.line ?? null });
      // Running state is lost (every process, the terminal); the disk (files, images, containers' records) is kept.
      const d = new Daemon(h.engine, h.fs, { now: ctx.now, random: { next: () => 0 }, names: { next: () => 0 }, programs: CATALOGUE, hostName: node });
      d.crash();
      const down = setHost(s, { ...h, engine: d.engine, running: null, last: null, attachment: null, jobs: [] });
      syncEndpoints(down, node, ctx);
      // Its registry containers stop serving with it; its swarm daemon (raft node, gossip member, agent) dies too.
      // Its kubelet goes with them.
      return kubeCrash(swarmCrash(reconcileRegistries(down, node), node, ctx), node, ctx);
    },

    restart(s, node, ctx) {
      const h = s.hosts.get(node);
      if (!h) return s;
      ctx.record(node, { event: "host.booted" });
      // dockerd starts again: containers with a restart policy come back (moby daemon.restore).
      const s1 = setHost(s, { ...h, shell: newSession(node) });
      const s2 = onDaemon(s1, s1.hosts.get(node)!, ctx, (d) => d.boot());
      return kubeRestart(swarmRestart(s2, node, ctx), node, ctx);
    },

    // The swarm's gossip state is mutable (SWIM's, for speed): a snapshot copies it.
    save: (s) => ({ ...s, swarm: saveSwarm(s.swarm), ...(s.kube ? { kube: saveKube(s.kube) } : {}) }),
    load: (saved) => { const s = saved as WorldState; return { ...s, swarm: loadSwarm(s.swarm), ...(s.kube ? { kube: loadKube(s.kube) } : {}) }; },

    describe(s) {
      return describeWorld(s);
    },
  };
}

/** A timer of a host: its daemons', its line's (a job's step, a follow, traffic) and containers' wake-ups. */
function hostTimer(s: WorldState, node: string, name: string, data: unknown, ctx: SimContext<WorldMessage>): WorldState {
  const h = s.hosts.get(node);
  if (!h) return s;
  if (name.startsWith(SWARM_TIMER)) return swarmTimer(s, node, name, data, ctx);
  if (name.startsWith(KUBE_TIMER)) return kubeTimer(s, node, name, data, ctx);
  if (name === "wake") {
    const { container, gen } = data as { container: string; gen: number };
    // What the followed container printed up to now is shown before its end is applied (a --rm container is gone after).
    const s0 = followTick(s, node, ctx, true);
    const s1 = onDaemon(s0, s0.hosts.get(node)!, ctx, (d) => d.wake(container, gen));
    const s2 = endAttachment(s1, node, ctx);
    return kubePoke(swarmPoke(followTick(s2, node, ctx), node, ctx), node, ctx);
  }
  if (name === "follow") {
    const { seq, token } = data as { seq: number; token: number };
    const job = h.running?.job;
    if (!h.running || h.running.seq !== seq || !job?.follow || job.follow.token !== token) return s;
    return followTick(s, node, ctx);
  }
  if (name.startsWith("net.")) return trafficTimer(s, node, name, data, ctx);
  if (name !== "job") return s;
  const { seq, step } = data as { seq: number; step: number };
  const run = h.running;
  if (!run || run.seq !== seq || !run.job) return s; // an interrupted line's timers
  const job = run.job;
  const p = job.pending;
  const st = step >= 0 ? p.steps[step] : undefined;
  if (st) ctx.record(node, { event: st.event, ...st.detail });
  const last = step < 0 || step === p.steps.length - 1;
  if (!last) {
    if (!job.streams || !st?.stdout) return s;
    return setHost(s, { ...h, running: { ...run, job: { ...job, shown: job.shown + st.stdout } } });
  }
  // The job is done: its changes land now, and the line goes on from where it stopped.
  const engine = p.engine ? mergeJobEngine(job.base, p.engine, h.engine) : h.engine;
  const answer: Answer = p.again ? { again: outcomeChunks(p.outcome), ...(p.againState !== undefined ? { state: p.againState } : {}) } : p.outcome;
  return finishJob({ ...s, hub: p.hub ?? s.hub }, h, answer, ctx, engine);
}

/** The line a timer belongs to (a job's step, a follow, a network tool's), by host and line number. */
function lineOf(node: string, name: string, data: unknown): { host: string; seq: number } | null {
  if (name === "net.serve") {
    const msg = (data as { msg: NetMessage }).msg;
    return { host: msg.origin, seq: msg.seq };
  }
  if (name !== "job" && name !== "follow" && !name.startsWith("net.")) return null;
  const seq = (data as { seq?: unknown }).seq;
  return typeof seq === "number" ? { host: node, seq } : null;
}

function outcomeChunks(r: CommandOutcome): OutputChunk[] {
  if (r.chunks) return [...r.chunks];
  const out: OutputChunk[] = r.stderrFirst ? [{ fd: 2, text: r.stderr }, { fd: 1, text: r.stdout }] : [{ fd: 1, text: r.stdout }, { fd: 2, text: r.stderr }];
  return out.filter((c) => c.text !== "");
}

/**
 * The world as JSON for hashing: each host's files, images, tags, build cache and logins, its
 * containers (state, writable layer, mounts), volumes and plugins, and the registries'
 * contents. Layers are content-addressed, so their digests stand for them.
 */
export function describeWorld(s: WorldState, opts: { shells?: boolean } = {}): unknown {
  const hosts: Record<string, unknown> = {};
  for (const [name, h] of s.hosts) {
    const store = openStore(h.engine);
    const e = h.engine;
    hosts[name] = {
      fs: h.fs,
      images: store.allImages().map((i) => i.id).sort(),
      tags: store.allImages().flatMap((i) => store.tagsOf(i.id).map((t) => `${t.familiar}=${i.id}`)).sort(),
      cache: [...e.images.cache.keys()].sort(),
      layers: [...e.images.layers.keys()].sort(),
      logins: e.logins,
      containers: [...e.containers.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map((c) => ({
        id: c.id, name: c.name, image: c.imageId, created: c.created, config: c.config, hostConfig: c.hostConfig,
        state: c.state, restartCount: c.restartCount, mounts: c.mounts, runs: c.logs.length, running: c.run !== null,
        layer: [...layerChanges(c.lowerfs, c.rootfs, c.mounts.map((m) => m.target))].sort(([a], [b]) => (a < b ? -1 : 1)),
      })),
      volumes: [...e.volumes.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((v) => ({ ...v })),
      plugins: [...e.plugins.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map((p) => ({ ...p })),
      // Networks are on the daemon's disk (local-kv.db); their endpoints are running state, like the process table.
      networks: [...e.networks.networks.values()].map((n) => ({ id: n.id, name: n.name, driver: n.driver, internal: n.internal, labels: n.labels, ipam: n.ipamConfig })),
      ...(opts.shells ? { shell: h.shell, running: h.running?.line ?? null, attached: h.attachment?.container ?? null } : {}),
    };
  }
  // Kubernetes' store (etcd's content, on the control plane's disk): its revision moves with every write.
  return { hosts, registries: describeHub(s.hub), started: [...s.registries], ...(s.kube ? { kube: s.kube.state.store.revision } : {}) };
}

export const worldJson = (s: WorldState): string => canonicalJson(describeWorld(s));

/** Each registry's repositories and tags (what `GET /v2/_catalog` and tags/list would say). */
function describeHub(hub: RegistryHub): unknown {
  return hub.domains().map((d) => {
    const r = hub.get(d);
    return [d, r.repositories().map((repo) => [repo, r.tags(repo).map((t) => [t, r.resolve({ path: repo, tag: t } as never)?.manifest.digest ?? null])])];
  });
}

export type { Running };
