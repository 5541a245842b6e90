import { DrydockError, canonicalJson, type Micros, type Model, type SimContext } from "@drydock/kernel";
import { RegistryHub } from "@drydock/image";
import { createEngine, openStore } from "@drydock/engine";
import { createRootFs, kindOf, readFile, readdir, writeFile, writeTree, normalizePath } from "../fs/index.js";
import { createSession, runLine } from "../shell/index.js";
import { Suspend, type CommandOutcome, type CommandRequest, type FsAnswer, type ShellHost, type ShellSession } from "../shell/host.js";
import type { Pending } from "../docker/command.js";
import { ALL_COMMANDS, commandPath, runProgram, type HostDraft } from "./commands.js";
import type { Answer, HostState, WorldAction, WorldMessage, WorldState } from "./state.js";

export interface WorldOptions {
  readonly hosts: readonly string[];
}

function newSession(host: string): ShellSession {
  return createSession({ hostname: host });
}

function newHost(name: string): HostState {
  return {
    name, fs: createRootFs(0, { hostname: name, commands: ALL_COMMANDS }), engine: createEngine(), shell: newSession(name),
    running: null, last: null, lineSeq: 0,
  };
}

/**
 * The ShellHost a line runs against: answers calls already made from the memo (a resumed line
 * replays them), makes new ones on the draft, and throws Suspend for a program that takes time.
 */
class WorldShellHost implements ShellHost {
  private i = 0;
  suspended: Pending | null = null;
  /** Whether the suspended program's output goes to the terminal. */
  streams = false;

  constructor(
    private readonly memo: Answer[],
    readonly draft: HostDraft,
    private readonly now: Micros,
    private readonly host: string,
    private readonly hosts: readonly string[],
  ) {}

  private answer<T extends Answer>(make: () => T): T {
    if (this.i < this.memo.length) return this.memo[this.i++] as T;
    const v = make();
    this.memo.push(v);
    this.i++;
    return v;
  }

  run(req: CommandRequest): CommandOutcome {
    if (this.i < this.memo.length) return this.memo[this.i++] as CommandOutcome;
    const r = runProgram(req, this.draft, { now: this.now, host: this.host, hosts: this.hosts });
    if ("durationUs" in r) {
      this.suspended = r;
      this.streams = req.tty?.stdout === true && req.tty.stderr === true;
      throw new Suspend();
    }
    this.memo.push(r);
    this.i++;
    return r;
  }

  commandPath(name: string): string | null {
    return commandPath(name);
  }

  readFile(path: string): FsAnswer<string> {
    return this.answer(() => readFile(this.draft.fs, path) as FsAnswer<string>);
  }

  writeFile(path: string, text: string, append: boolean): FsAnswer<null> {
    return this.answer(() => {
      const r = writeFile(this.draft.fs, path, text, this.now, { append });
      if (!r.ok) return r as FsAnswer<null>;
      this.draft.fs = r.value;
      return { ok: true, value: null };
    });
  }

  readdir(path: string): FsAnswer<readonly string[]> {
    return this.answer(() => readdir(this.draft.fs, path) as FsAnswer<readonly string[]>);
  }

  kind(path: string): "file" | "dir" | null {
    return this.answer(() => kindOf(this.draft.fs, path));
  }
}

const hostsOf = (s: WorldState) => [...s.hosts.keys()];

function getHost(s: WorldState, name: string): HostState {
  const h = s.hosts.get(name);
  if (!h) throw new DrydockError("ENOHOST", `no host "${name}" (hosts: ${hostsOf(s).join(", ")})`);
  return h;
}

function setHost(s: WorldState, h: HostState, extra: Partial<Pick<WorldState, "hub" | "registries">> = {}): WorldState {
  return { ...s, ...extra, hosts: new Map([...s.hosts, [h.name, h]]) };
}

/**
 * Runs (or resumes) the line in `h.running` until it finishes or suspends on a job; returns the
 * world after. A job's steps become kernel timers on the host, so they die with it in a crash.
 */
function advanceLine(s: WorldState, h: HostState, ctx: SimContext<WorldMessage>): WorldState {
  const run = h.running!;
  const memo = [...run.memo];
  const draft: HostDraft = { fs: h.fs, engine: h.engine, hub: s.hub, registries: s.registries };
  const host = new WorldShellHost(memo, draft, ctx.now, h.name, hostsOf(s));
  let shown = "";
  const terminal = { write: (text: string) => { shown += text; } };
  let result;
  try {
    result = runLine(run.line, run.session, host, terminal);
  } catch (e) {
    if (!(e instanceof Suspend) || !host.suspended) throw e;
    const pending = host.suspended;
    for (let i = 0; i < pending.steps.length; i++) {
      ctx.setTimer(h.name, ctx.now + pending.steps[i]!.atUs, "job", { seq: run.seq, step: i });
    }
    if (pending.steps.length === 0) ctx.setTimer(h.name, ctx.now + pending.durationUs, "job", { seq: run.seq, step: -1 });
    const next: HostState = {
      ...h, fs: draft.fs, engine: draft.engine,
      running: { ...run, memo, shownBefore: shown, job: { pending, startedAt: ctx.now, shown: "", streams: host.streams } },
    };
    ctx.record(h.name, { event: "job.start", kind: pending.kind, durationUs: pending.durationUs });
    return setHost(s, next, { hub: draft.hub, registries: draft.registries });
  }
  ctx.record(h.name, { event: "line.done", status: result.status });
  const done: HostState = {
    ...h, fs: draft.fs, engine: draft.engine, shell: result.session, running: null,
    last: { ...result, seq: run.seq, line: run.line, display: shown },
  };
  return setHost(s, done, { hub: draft.hub, registries: draft.registries });
}

/** The world as a kernel model: hosts are the kernel's nodes; every way in is an action. */
export function worldModel(options: WorldOptions): Model<WorldState, WorldMessage, WorldAction> {
  return {
    init() {
      return { hosts: new Map(options.hosts.map((n) => [n, newHost(n)])), hub: new RegistryHub(), registries: new Map() };
    },

    deliver(s) {
      return s;
    },

    validate(s, a, net) {
      const h = getHost(s, a.host);
      if (!net.up[a.host]) throw new DrydockError("EHOSTDOWN", `${a.host} is down (crashed); restart it first`);
      if (a.type === "exec") {
        if (typeof a.line !== "string") throw new DrydockError("EACTION", "exec needs a line");
        if (h.running) throw new DrydockError("EBUSY", `${a.host} is still running "${h.running.line}"`);
      }
      if (a.type === "writeFile" && (typeof a.path !== "string" || !a.path.startsWith("/"))) {
        throw new DrydockError("EPATH", `writeFile needs an absolute path, not ${JSON.stringify(a.path)}`);
      }
    },

    action(s, a, ctx) {
      const h = getHost(s, a.host);
      switch (a.type) {
        case "exec": {
          const seq = h.lineSeq + 1;
          const started: HostState = {
            ...h, lineSeq: seq,
            running: { seq, line: a.line, session: h.shell, memo: [], job: null, startedAt: ctx.now, shownBefore: "" },
          };
          return advanceLine(s, started, ctx);
        }
        case "interrupt": {
          if (!h.running) return s;
          // Ctrl-C: the line stops where it is; a job's effects are never applied.
          ctx.record(h.name, { event: "line.interrupted" });
          const session = { ...h.running.session, status: 130 };
          return setHost(s, {
            ...h, running: null, shell: session,
            last: {
              session, stdout: "", stderr: "^C\n", status: 130, exit: false, seq: h.running.seq, line: h.running.line,
              display: h.running.shownBefore + (h.running.job?.shown ?? "") + "^C\n",
            },
          });
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
      if (name !== "job") return s;
      const h = s.hosts.get(node);
      const { seq, step } = data as { seq: number; step: number };
      const run = h?.running;
      if (!h || !run || run.seq !== seq || !run.job) return s; // an interrupted line's timers
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
      const resumed: HostState = {
        ...h, engine: p.engine ?? h.engine,
        running: { ...run, memo: [...run.memo, p.outcome], job: null },
      };
      return advanceLine({ ...s, hub: p.hub ?? s.hub }, resumed, ctx);
    },

    crash(s, node, ctx) {
      const h = s.hosts.get(node);
      if (!h) return s;
      ctx.record(node, { event: "host.crashed", running: h.running?.line ?? null });
      // Running state is lost; the disk (files, images, build cache) is kept.
      return setHost(s, { ...h, running: null, last: null });
    },

    restart(s, node, ctx) {
      const h = s.hosts.get(node);
      if (!h) return s;
      ctx.record(node, { event: "host.booted" });
      return setHost(s, { ...h, shell: newSession(node) });
    },

    describe(s) {
      return describeWorld(s);
    },
  };
}

/**
 * The world as JSON for hashing: each host's files, images, tags, build cache and logins, and
 * the registries' contents. Layers are content-addressed, so their digests stand for them.
 */
export function describeWorld(s: WorldState, opts: { shells?: boolean } = {}): unknown {
  const hosts: Record<string, unknown> = {};
  for (const [name, h] of s.hosts) {
    const store = openStore(h.engine);
    hosts[name] = {
      fs: h.fs,
      images: store.allImages().map((i) => i.id).sort(),
      tags: store.allImages().flatMap((i) => store.tagsOf(i.id).map((t) => `${t.familiar}=${i.id}`)).sort(),
      cache: [...h.engine.images.cache.keys()].sort(),
      layers: [...h.engine.images.layers.keys()].sort(),
      logins: h.engine.logins,
      ...(opts.shells ? { shell: h.shell, running: h.running?.line ?? null } : {}),
    };
  }
  return { hosts, registries: describeHub(s.hub), started: [...s.registries] };
}

export const worldJson = (s: WorldState): string => canonicalJson(describeWorld(s));

/** Each registry's repositories and tags (what `GET /v2/_catalog` and tags/list would say). */
function describeHub(hub: RegistryHub): unknown {
  return hub.domains().map((d) => {
    const r = hub.get(d);
    return [d, r.repositories().map((repo) => [repo, r.tags(repo).map((t) => [t, r.resolve({ path: repo, tag: t } as never)?.manifest.digest ?? null])])];
  });
}
