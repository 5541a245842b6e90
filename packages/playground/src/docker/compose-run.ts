// `docker compose` commands that run a project on the engine (Compose v2.40 beside Docker 28):
// up (building and pulling what it needs, the project's networks and volumes, containers named
// `<project>-<service>-<n>` with compose's labels, created then started in depends_on order,
// scaled, waiting for healthy or completed dependencies), down, ps, logs, scale, start, stop,
// restart, build, pull and run's one-off containers. Compose finds a project's containers by
// their labels (com.docker.compose.project, .service, .container-number), so a project is what
// the engine holds, not a record of its own. Progress is compose's final frame as a terminal
// shows it without colour: "[+] Running 3/3", " ✔ Network app_default  Created", on stderr.
import { canonicalJson, isDrydockError, parseDuration, type Micros } from "@drydock/kernel";
import {
  Daemon, commandOf, createNetwork, randomId, stateString, createVolume, enginePull, engineBuild, findNetwork, logLines, removeNetwork, removeVolume, statusText,
  type Container, type CreateRequest, type EngineState, type JobStep, type MountSpec,
} from "@drydock/engine";
import { ImageStore, formatGoTime, shortId, since } from "@drydock/image";
import { COMPOSE_VERSION, containerName, startOrder, type Healthcheck, type Project, type Service } from "@drydock/compose";
import { sha256Digest } from "@drydock/image";
import { fail } from "../errors.js";
import { collectTree, normalizePath } from "../fs/index.js";
import { formatRows } from "../format/index.js";
import { goQuote } from "../format/gofmt.js";
import type { CommandOutcome, OutputChunk } from "../shell/host.js";
import { flag, parseFlags, type FlagSpec, type Parsed } from "./flags.js";
import type { DockerEnv, Pending } from "./command.js";
import { displayablePorts } from "./containers.js";
import { splitChunks } from "./follow.js";
import { runStepWith } from "../world/build-step.js";

export { COMPOSE_VERSION };

const LABEL = {
  project: "com.docker.compose.project", service: "com.docker.compose.service", number: "com.docker.compose.container-number",
  oneoff: "com.docker.compose.oneoff", hash: "com.docker.compose.config-hash", version: "com.docker.compose.version",
  image: "com.docker.compose.image", dependsOn: "com.docker.compose.depends_on", files: "com.docker.compose.project.config_files",
  workingDir: "com.docker.compose.project.working_dir", network: "com.docker.compose.network", volume: "com.docker.compose.volume",
} as const;

const SECOND = 1_000_000;

// ---- progress ----

interface Event {
  /** "" for a pull's line, which names the service alone (" ✔ redis Pulled"). */
  readonly kind: "Network" | "Volume" | "Container" | "Service" | "Image" | "";
  readonly name: string;
  readonly status: string;
  readonly failed?: boolean;
}

/** Compose's progress as its final frame: the title with the count, one line per resource. */
function progress(title: string, events: readonly Event[]): string {
  if (events.length === 0) return "";
  const ok = events.filter((e) => !e.failed).length;
  return `[+] ${title} ${ok}/${events.length}\n${events.map((e) => ` ${e.failed ? "✘" : "✔"} ${e.kind === "" ? `${e.name} ${e.status}` : `${e.kind} ${e.name}  ${e.status}`}\n`).join("")}`;
}

// ---- the project's containers on the engine ----

/** A project's service containers (not one-off `run` containers), by service then number. */
export function projectContainers(engine: EngineState, project: string, service?: string, oneOff = false): Container[] {
  const out: Container[] = [];
  for (const c of engine.containers.values()) {
    const l = c.config.labels;
    if (l[LABEL.project] !== project || (l[LABEL.oneoff] === "True" && !oneOff)) continue;
    if (service !== undefined && l[LABEL.service] !== service) continue;
    out.push(c);
  }
  return out.sort((a, b) => (a.config.labels[LABEL.service]! < b.config.labels[LABEL.service]! ? -1 : a.config.labels[LABEL.service]! > b.config.labels[LABEL.service]! ? 1 : 0)
    || Number(a.config.labels[LABEL.number]) - Number(b.config.labels[LABEL.number]));
}

const numberOf = (c: Container) => Number(c.config.labels[LABEL.number] ?? "1");
const serviceOf = (c: Container) => c.config.labels[LABEL.service] ?? "";

function daemon(env: DockerEnv): Daemon {
  const rt = env.runtime;
  if (rt === undefined) return fail("NOT_SIMULATED", "containers outside a world");
  return new Daemon(env.engine, env.fs, { now: env.now, random: rt.random, names: rt.names, programs: rt.programs, hostName: rt.hostName });
}

function keep(env: DockerEnv, d: Daemon): void {
  env.engine = d.engine;
  env.fs = d.hostFs;
}

/** The image a service runs: its `image:`, or `<project>-<service>` for one it builds. */
export function imageOf(project: Project, s: Service): string {
  return s.image ?? `${project.name}-${s.name}`;
}

function hashOf(s: Service): string {
  return sha256Digest(canonicalJson(rawJson(s.raw))).slice(7);
}

function rawJson(v: unknown): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, rawJson(x)]));
  if (Array.isArray(v)) return v.map(rawJson);
  return v;
}

// ---- images: pull and build what is missing ----

interface ImageWork {
  readonly steps: JobStep[];
  readonly durationUs: Micros;
  readonly engine: EngineState;
  readonly text: string;
  readonly failed: string | null;
}

/** Reads a build context from the host's disk (the files under the directory, as the CLI sends them). */
function context(env: DockerEnv, dir: string): Record<string, string | { content: string; mode: number }> {
  const files: Record<string, string | { content: string; mode: number }> = {};
  for (const [rel, f] of collectTree(env.fs, dir)) files[rel] = f.mode === 0o644 ? f.text : { content: f.text, mode: f.mode };
  return files;
}

/** `[rng 1/4]`: compose's BuildKit output names each vertex with its service. */
function prefixVertices(text: string, service: string, offset: number): string {
  return text.replace(/^#(\d+) /gm, (_m, n: string) => `#${Number(n) + offset} `)
    .replace(/^(#\d+ )\[(internal|\d+\/\d+|[^\]]*)\]/gm, (_m, head: string, what: string) => `${head}[${service} ${what}]`);
}

/** Pulls the services' images that are missing (or all with --pull always) and builds the ones that build. */
export function composeImageWork(project: Project, services: readonly Service[], env: DockerEnv, opts: { build: "missing" | "always" | "never"; pull: "missing" | "always" | "never"; quiet: boolean }): ImageWork | null {
  let engine = env.engine;
  const steps: JobStep[] = [];
  let at = 0;
  let text = "";
  const pulled: Event[] = [];
  const built: Event[] = [];
  let vertexOffset = 0;
  const has = (ref: string) => ImageStore.fromSnapshot(engine.images).resolve(ref) !== undefined;
  for (const s of services) {
    if (s.build !== null) continue;
    const ref = imageOf(project, s);
    if (opts.pull === "never" || (opts.pull === "missing" && has(ref))) continue;
    let job;
    try {
      job = enginePull(engine, env.hub, ref, true);
    } catch (e) {
      if (!isDrydockError(e)) throw e;
      return { steps, durationUs: at, engine, text: text + progress("Pulling", [...pulled, { kind: "", name: s.name, status: "Error", failed: true }]), failed: `Error response from daemon: ${e.message.split("\n")[0]}` };
    }
    engine = job.engine;
    at += job.durationUs;
    steps.push({ atUs: at, event: "compose.pull", detail: { service: s.name, image: ref }, stdout: "" });
    pulled.push({ kind: "", name: s.name, status: "Pulled" });
  }
  if (pulled.length > 0 && !opts.quiet) text += progress("Pulling", pulled);
  for (const s of services) {
    if (s.build === null) continue;
    const ref = imageOf(project, s);
    if (opts.build === "never" || (opts.build === "missing" && has(ref))) continue;
    const dir = s.build.context;
    const dockerfileName = s.build.dockerfile || "Dockerfile";
    const dfPath = normalizePath(dir, dockerfileName);
    const ctxFiles = context(env, dir);
    const df = (() => {
      const rel = dfPath.startsWith(`${dir}/`) ? dfPath.slice(dir.length + 1) : null;
      const v = rel !== null ? ctxFiles[rel] : undefined;
      return v === undefined ? null : typeof v === "string" ? v : v.content;
    })();
    if (df === null) {
      return { steps, durationUs: at, engine, text, failed: `failed to solve: failed to read dockerfile: open ${dockerfileName}: no such file or directory` };
    }
    const args: Record<string, string> = {};
    for (const [k, v] of s.build.args) if (v !== null) args[k] = v;
    const r = engineBuild(engine, env.hub, {
      dockerfile: df, dockerfileName, context: ctxFiles, tags: [ref], buildArgs: args, noCache: false, pull: false, now: env.now + at,
      ...(s.build.target !== "" ? { target: s.build.target } : {}), ...(env.runtime ? { runStep: runStepWith(env.runtime.programs) } : {}),
    });
    const output = r.ok ? r.result.output : r.error.output;
    const renamed = prefixVertices(output.endsWith("\n") ? output : `${output}\n`, s.name, vertexOffset);
    vertexOffset += Math.max(0, ...[...output.matchAll(/^#(\d+) /gm)].map((m) => Number(m[1])));
    text += opts.quiet ? "" : renamed;
    engine = r.ok ? r.job.engine : r.engine;
    at += r.job.durationUs;
    steps.push({ atUs: at, event: "compose.build", detail: { service: s.name, image: ref }, stdout: "" });
    if (!r.ok) return { steps, durationUs: at, engine, text, failed: `failed to solve: ${r.error.message.split("\n").pop() ?? r.error.message}` };
    built.push({ kind: "Service", name: s.name, status: "Built" });
  }
  if (built.length > 0 && !opts.quiet) text += progress("Building", built);
  if (steps.length === 0) return null;
  return { steps, durationUs: at, engine, text, failed: null };
}

// ---- creating containers ----

function restartPolicy(s: Service): CreateRequest["restartPolicy"] {
  const m = /^on-failure(?::(\d+))?$/.exec(s.restart);
  if (m) return { name: "on-failure", maximumRetryCount: Number(m[1] ?? 0) };
  const name = (["no", "always", "unless-stopped"].includes(s.restart) ? s.restart : "no") as "no" | "always" | "unless-stopped";
  return { name, maximumRetryCount: 0 };
}

function bytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgb]?)b?$/i.exec(text.trim());
  if (!m) return 0;
  const unit = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as "" | "b" | "k" | "m" | "g"];
  return Math.round(Number(m[1]) * unit);
}

/** The create request for container n of a service (compose's createContainer). */
function createRequest(project: Project, s: Service, n: number, env: DockerEnv, imageId: string): CreateRequest {
  const name = containerName(project.name, s, n);
  const environment: string[] = [];
  for (const [k, v] of s.environment) {
    if (v !== null) environment.push(`${k}=${v}`);
    else if (Object.hasOwn(env.env, k)) environment.push(`${k}=${env.env[k]}`);
  }
  const deps = [...s.dependsOn].map(([d, dep]) => `${d}:${dep.condition}:${dep.restart}`).join(",");
  const labels: Record<string, string> = {
    ...Object.fromEntries(s.labels),
    [LABEL.hash]: hashOf(s), [LABEL.number]: String(n), [LABEL.dependsOn]: deps, [LABEL.image]: imageId, [LABEL.oneoff]: "False",
    [LABEL.project]: project.name, [LABEL.files]: project.files.join(","), [LABEL.workingDir]: project.workingDir, [LABEL.service]: s.name,
    [LABEL.version]: COMPOSE_VERSION,
  };
  const portBindings: Record<string, { hostIp: string; hostPort: string }[]> = {};
  for (const p of s.ports) {
    const k = `${p.target}/${p.protocol}`;
    (portBindings[k] ??= []).push({ hostIp: p.hostIp, hostPort: p.published });
  }
  const mounts: MountSpec[] = s.volumes.map((v) => {
    if (v.type === "bind") return { type: "bind", source: v.source, target: v.target, readOnly: v.readOnly, mode: v.readOnly ? "ro" : "rw", createHostPath: true } as MountSpec;
    if (v.type === "tmpfs") return { type: "tmpfs", source: "", target: v.target, readOnly: v.readOnly };
    const vol = v.source === "" ? "" : project.volumes.get(v.source)?.name ?? v.source;
    return { type: "volume", source: vol, target: v.target, readOnly: v.readOnly, mode: v.readOnly ? "ro" : "" };
  });
  const networks = [...s.networks].map(([key, cfg]) => ({
    network: project.networks.get(key)?.name ?? key, aliases: [name, s.name, ...cfg.aliases], ...(cfg.ipv4Address !== "" ? { ipv4Address: cfg.ipv4Address } : {}),
  }));
  const mode = s.networkMode !== null
    ? (s.networkMode.startsWith("service:") ? `container:${containerName(project.name, s.networkMode.slice(8), 1)}` : s.networkMode)
    : networks[0]?.network ?? "bridge";
  const cpus = Number(s.resources.cpus);
  return {
    image: imageOf(project, s), name,
    ...(s.command !== null ? { cmd: s.command } : {}), ...(s.entrypoint !== null ? { entrypoint: s.entrypoint } : {}),
    env: environment, labels, restartPolicy: restartPolicy(s), mounts, networkMode: mode,
    ...(s.networkMode === null ? { networks } : {}),
    ...(s.hostname !== "" ? { hostname: s.hostname } : {}), ...(s.workingDir !== "" ? { workdir: s.workingDir } : {}), ...(s.user !== "" ? { user: s.user } : {}),
    ...(s.stopSignal !== "" ? { stopSignal: s.stopSignal } : {}),
    ...(s.healthcheck !== null ? { healthcheck: mobyHealthcheck(s.healthcheck) } : {}),
    exposedPorts: s.expose.map((e) => (e.includes("/") ? e : `${e}/tcp`)), portBindings,
    resources: { ...(Number.isFinite(cpus) && cpus > 0 ? { nanoCpus: Math.round(cpus * 1e9) } : {}), ...(s.resources.memory !== "" ? { memory: bytes(s.resources.memory) } : {}) },
  };
}

/** compose convert.go ToMobyHealthCheck: durations as given, `disable` is NONE. */
function mobyHealthcheck(h: Healthcheck): NonNullable<CreateRequest["healthcheck"]> {
  const us = (text: string) => {
    if (text === "") return 0;
    try {
      return parseDuration(text);
    } catch {
      return 0;
    }
  };
  const set = (k: string, text: string) => (us(text) !== 0 ? { [k]: us(text) } : {});
  // see moby/moby#48874: compose refuses a start interval without a start period.
  if (h.startInterval !== "" && h.startPeriod === "") fail("CLIENT", "healthcheck.start_interval requires healthcheck.start_period to be set");
  return {
    test: h.disable ? ["NONE"] : h.test,
    ...set("interval", h.interval), ...set("timeout", h.timeout), ...set("startPeriod", h.startPeriod), ...set("startInterval", h.startInterval),
    ...(h.retries !== null && h.retries !== 0 ? { retries: h.retries } : {}),
  };
}

// ---- the project's networks and volumes ----

function ensureNetworks(project: Project, services: readonly Service[], env: DockerEnv, events: Event[]): void {
  const used = new Set(services.flatMap((s) => (s.networkMode === null ? [...s.networks.keys()] : [])));
  for (const [key, n] of project.networks) {
    if (!used.has(key)) continue;
    const existing = (() => {
      try {
        return findNetwork(env.engine.networks, n.name);
      } catch {
        return null;
      }
    })();
    if (n.external) {
      if (existing === null) fail("CLIENT", `network ${n.name} declared as external, but could not be found`);
      continue;
    }
    if (existing !== null) continue;
    const { table } = createNetwork(env.engine.networks, {
      name: n.name, driver: n.driver === "bridge" ? "" : n.driver, subnets: n.subnets, internal: n.internal, attachable: n.attachable, created: env.now,
      labels: { ...Object.fromEntries(n.labels), [LABEL.network]: key, [LABEL.project]: project.name, [LABEL.version]: COMPOSE_VERSION },
    });
    env.engine = { ...env.engine, networks: table };
    events.push({ kind: "Network", name: n.name, status: "Created" });
  }
}

function ensureVolumes(project: Project, services: readonly Service[], env: DockerEnv, events: Event[]): void {
  const used = new Set(services.flatMap((s) => s.volumes.filter((v) => v.type === "volume" && v.source !== "").map((v) => v.source)));
  for (const [key, v] of project.volumes) {
    if (!used.has(key)) continue;
    if (env.engine.volumes.has(v.name)) continue;
    if (v.external) fail("CLIENT", `external volume "${v.name}" not found`);
    const r = createVolume(env.engine, {
      name: v.name, driver: v.driver, now: env.now, options: {},
      labels: { ...Object.fromEntries(v.labels), [LABEL.project]: project.name, [LABEL.version]: COMPOSE_VERSION, [LABEL.volume]: key },
    });
    env.engine = r.engine;
    events.push({ kind: "Volume", name: v.name, status: "Created" });
  }
}

// ---- up ----

export interface UpOptions {
  readonly detach: boolean;
  readonly build: boolean;
  readonly noBuild: boolean;
  readonly pull: "missing" | "always" | "never";
  readonly scale: ReadonlyMap<string, number>;
  readonly forceRecreate: boolean;
  readonly noRecreate: boolean;
  readonly noDeps: boolean;
  readonly noStart: boolean;
  readonly removeOrphans: boolean;
  readonly quietPull: boolean;
  /** The services named on the command line (none: all). */
  readonly services: readonly string[];
  readonly title?: string;
  /** --wait: after starting, wait for every service to be running, or healthy when it has a healthcheck. */
  readonly wait?: boolean;
  /** --wait-timeout in seconds (0: none). */
  readonly waitTimeoutS?: number;
}

/** The services to act on: those named and what they depend on (unless --no-deps), in start order. */
function selected(project: Project, names: readonly string[], noDeps: boolean): Service[] {
  for (const n of names) if (!project.services.has(n)) fail("CLIENT", `no such service: ${n}`);
  const want = new Set(names.length === 0 ? [...project.services.keys()] : names);
  if (!noDeps) {
    const visit = (n: string) => {
      for (const d of project.services.get(n)?.dependsOn.keys() ?? []) if (!want.has(d) && project.services.has(d)) { want.add(d); visit(d); }
    };
    for (const n of [...want]) visit(n);
  }
  return startOrder(project.services).filter((n) => want.has(n)).map((n) => project.services.get(n)!);
}

/**
 * `docker compose up`: images first (a job of pulls and builds after which the command runs
 * again), then networks, volumes and containers, dependencies first. Returns compose's progress
 * and, when attached, the containers whose logs it follows.
 */
export function composeUp(project: Project, env: DockerEnv, o: UpOptions): { text: string; attach: Container[]; warnings: string; since: Micros } {
  const services = selected(project, o.services, o.noDeps);
  for (const [n] of o.scale) if (!project.services.has(n)) fail("CLIENT", `no such service: ${n}`);
  const resumed = upState(env.rerunState);
  if (!env.rerun) {
    const work = composeImageWork(project, services, env, { build: o.noBuild ? "never" : o.build ? "always" : "missing", pull: o.pull, quiet: false });
    if (work !== null) {
      const chunks: OutputChunk[] = work.text === "" ? [] : [{ fd: 2, text: work.text }];
      if (work.failed !== null) {
        env.pending = { kind: "compose.build", durationUs: work.durationUs, steps: work.steps, engine: work.engine, outcome: { status: 1, ...splitChunks([...chunks, { fd: 2, text: `${work.failed}\n` }]), chunks: [...chunks, { fd: 2, text: `${work.failed}\n` }] } };
        return { text: "", attach: [], warnings: "", since: env.now };
      }
      env.pending = { kind: "compose.build", durationUs: work.durationUs, steps: withOutput(work.steps, work.text), engine: work.engine, again: true, outcome: { status: 0, ...splitChunks(chunks), chunks } };
      return { text: "", attach: [], warnings: "", since: env.now };
    }
  }
  const store = ImageStore.fromSnapshot(env.engine.images);
  for (const s of services) {
    if (store.resolve(imageOf(project, s)) === undefined) {
      fail("CLIENT", s.build !== null ? `image "${imageOf(project, s)}" not found: build it first (docker compose build) or run up without --no-build` : `No such image: ${imageOf(project, s)}`);
    }
  }
  // The healthchecks convert before anything is made (compose checks them as it creates the first container).
  for (const s of services) if (s.healthcheck !== null) mobyHealthcheck(s.healthcheck);
  let warnings = "";
  const known = new Set([...project.services.keys(), ...project.disabledServices.keys()]);
  const orphans = projectContainers(env.engine, project.name).filter((c) => !known.has(serviceOf(c)));
  if (orphans.length > 0 && !o.removeOrphans) {
    warnings += `WARN[0000] Found orphan containers ([${orphans.map((c) => c.name).join(" ")}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.\n`;
  }
  const events: Event[] = resumed ? resumed.events.map((e) => ({ ...e })) : [];
  const done = new Set(resumed?.done ?? []);
  const attachIds = [...(resumed?.attach ?? [])];
  // Logs are followed from when this `up` started its containers (before any wait for a dependency).
  const since = resumed?.since ?? env.now - 1;
  if (!resumed) {
    ensureNetworks(project, services, env, events);
    ensureVolumes(project, services, env, events);
  }
  const d = daemon(env);
  let failure: string | null = null;
  if (!resumed) {
    if (o.removeOrphans) {
      for (const c of orphans) {
        d.remove(c.id, { force: true });
        events.push({ kind: "Container", name: c.name, status: "Removed" });
      }
    }
    failure = createPhase(project, services, env, d, o, store, events);
  }
  // The start phase, in depends_on order; a dependency that must be healthy (or done) first is polled every 500ms (compose's ticker).
  for (const s of services) {
    if (failure !== null || o.noStart) break;
    if (done.has(s.name)) continue;
    const wait = dependencyWait(project, s, d, events);
    if (wait.kind === "failed") {
      failure = wait.message;
      break;
    }
    if (wait.kind === "wait") {
      keep(env, d);
      const state: UpStateData = { events: events.map((e) => ({ ...e })), done: [...done], attach: attachIds, since };
      env.pending = {
        kind: "compose.wait", durationUs: DEPENDENCY_POLL_US, steps: [{ atUs: DEPENDENCY_POLL_US, event: "compose.wait", detail: { service: s.name }, stdout: "" }],
        again: true, againState: state, outcome: { status: 0, stdout: "", stderr: "" },
      };
      return { text: "", attach: [], warnings, since };
    }
    for (const c of projectContainers(d.engine, project.name, s.name)) {
      if (c.state.running) {
        if (!attachIds.includes(c.id)) attachIds.push(c.id);
        continue;
      }
      try {
        d.start(c.id);
        replaceLast(events, c.name, "Started");
      } catch (e) {
        if (!isDrydockError(e)) throw e;
        failure = `Error response from daemon: ${e.message}`;
        replaceLast(events, c.name, "Error", true);
        break;
      }
      attachIds.push(c.id);
    }
    done.add(s.name);
  }
  if (failure === null && o.wait === true && !o.noStart) {
    // pkg/compose/start.go: every service must be running_or_healthy (or completed, for one another waits on so).
    for (const s of services) {
      const completed = [...project.services.values()].some((x) => x.dependsOn.get(s.name)?.condition === "service_completed_successfully");
      const list = projectContainers(d.engine, project.name, s.name);
      const verdict = completed ? serviceCompleted(list) : serviceHealthy(list, true);
      if (verdict.kind === "failed") {
        failure = verdict.message.replace("%s", s.name);
        break;
      }
      if (verdict.kind === "wait" && o.waitTimeoutS !== undefined && o.waitTimeoutS > 0 && env.now - since >= o.waitTimeoutS * SECOND) {
        failure = `application not healthy after ${o.waitTimeoutS}s`;
        break;
      }
      if (verdict.kind === "wait") {
        keep(env, d);
        const state: UpStateData = { events: events.map((e) => ({ ...e })), done: [...done], attach: attachIds, since };
        env.pending = {
          kind: "compose.wait", durationUs: DEPENDENCY_POLL_US, steps: [{ atUs: DEPENDENCY_POLL_US, event: "compose.wait", detail: { service: s.name }, stdout: "" }],
          again: true, againState: state, outcome: { status: 0, stdout: "", stderr: "" },
        };
        return { text: "", attach: [], warnings, since };
      }
    }
    if (failure === null) for (const s of services) for (const c of projectContainers(d.engine, project.name, s.name)) replaceLast(events, c.name, "Healthy");
  }
  keep(env, d);
  const text = progress(o.title ?? "Running", events);
  if (failure !== null) {
    env.exitCode = 1;
    return { text: text + `${failure}\n`, attach: [], warnings, since };
  }
  return { text, attach: attachIds.map((id) => env.engine.containers.get(id)).filter((c): c is Container => c !== undefined), warnings, since };
}

/** How often compose looks at a dependency it waits for (convergence.go waitDependencies' ticker). */
const DEPENDENCY_POLL_US = 500_000;

/** What `up` hands to its next run while it waits for a dependency: its progress so far and the services started. */
interface UpStateData {
  readonly events: readonly Event[];
  readonly done: readonly string[];
  readonly attach: readonly string[];
  /** When the first run started its containers (the logs an attached `up` follows begin there). */
  readonly since?: Micros;
}

function upState(v: unknown): UpStateData | null {
  return v !== null && typeof v === "object" && "events" in v && "done" in v ? (v as UpStateData) : null;
}

/**
 * compose's create phase (convergence.go ensureService) for every service in depends_on order:
 * scaled down, recreated when its configuration or image changed, created up to its scale.
 * Returns the daemon's error when a container cannot be created.
 */
function createPhase(project: Project, services: readonly Service[], env: DockerEnv, d: Daemon, o: UpOptions, store: ImageStore, events: Event[]): string | null {
  for (const s of services) {
    const img = store.resolve(imageOf(project, s))!;
    const hash = hashOf(s);
    const want = o.scale.get(s.name) ?? s.replicas;
    const have = projectContainers(d.engine, project.name, s.name);
    // Scaling down: the highest numbers go first (compose keeps the lowest).
    for (const c of have.filter((_, i) => i >= want).reverse()) {
      d.remove(c.id, { force: true });
      events.push({ kind: "Container", name: c.name, status: "Removed" });
    }
    const kept = have.slice(0, want);
    for (const c0 of kept) {
      const stale = c0.config.labels[LABEL.hash] !== hash || c0.imageId !== img.id;
      if ((stale && !o.noRecreate) || o.forceRecreate) {
        d.remove(c0.id, { force: true });
        const c = d.create(createRequest(project, s, numberOf(c0), env, img.id));
        events.push({ kind: "Container", name: c.name, status: "Recreated" });
      } else if (c0.state.running && !o.noStart) {
        events.push({ kind: "Container", name: c0.name, status: "Running" });
      }
    }
    const used = new Set(kept.map(numberOf));
    for (let n = 1, made = kept.length; made < want; n++) {
      if (used.has(n)) continue;
      made++;
      try {
        const c = d.create(createRequest(project, s, n, env, img.id));
        events.push({ kind: "Container", name: c.name, status: "Created" });
      } catch (e) {
        if (!isDrydockError(e)) throw e;
        return `Error response from daemon: ${e.message}`;
      }
    }
  }
  return null;
}

type Wait = { readonly kind: "ready" } | { readonly kind: "wait" } | { readonly kind: "failed"; readonly message: string };

/**
 * compose's waitDependencies for one service: service_healthy waits while a dependency's
 * containers are starting and fails when one is unhealthy, exited or has no healthcheck;
 * service_completed_successfully waits for them to exit with 0; service_started does not wait.
 * An optional dependency (required: false) that fails is a warning and is skipped.
 */
function dependencyWait(project: Project, s: Service, d: Daemon, events: Event[]): Wait {
  for (const [dep, cond] of s.dependsOn) {
    if (cond.condition !== "service_healthy" && cond.condition !== "service_completed_successfully") continue;
    if (!project.services.has(dep)) continue;
    const waitingFor = projectContainers(d.engine, project.name, dep);
    if (waitingFor.length === 0) {
      if (cond.required) return { kind: "failed", message: `${s.name} is missing dependency ${dep}` };
      continue;
    }
    const verdict = cond.condition === "service_healthy" ? serviceHealthy(waitingFor) : serviceCompleted(waitingFor);
    if (verdict.kind === "wait") {
      for (const c of waitingFor) replaceLast(events, c.name, "Waiting");
      return verdict;
    }
    if (verdict.kind === "failed") {
      if (!cond.required) continue;
      for (const c of waitingFor) replaceLast(events, c.name, "Error", true);
      return { kind: "failed", message: cond.condition === "service_healthy" ? `dependency failed to start: ${verdict.message}` : verdict.message.replace("%s", dep) };
    }
    for (const c of waitingFor) replaceLast(events, c.name, cond.condition === "service_healthy" ? "Healthy" : "Exited");
  }
  return { kind: "ready" };
}

/** compose isServiceHealthy: every container healthy; with `fallbackRunning` one without a healthcheck only has to run. */
function serviceHealthy(list: readonly Container[], fallbackRunning = false): Wait {
  for (const c of list) {
    if (!c.state.running && c.state.startedAt !== null) return { kind: "failed", message: `container ${c.name} exited (${c.state.exitCode})` };
    const hc = c.config.healthcheck;
    if ((!hc || hc.test[0] === "NONE") && fallbackRunning) {
      if (!c.state.running) return { kind: "wait" };
      continue;
    }
    if (!hc || hc.test[0] === "NONE" || !c.health) return { kind: "failed", message: `container ${c.name} has no healthcheck configured` };
    if (c.health.status === "unhealthy") return { kind: "failed", message: `container ${c.name} is unhealthy` };
    if (c.health.status === "starting") return { kind: "wait" };
  }
  return { kind: "ready" };
}

/** compose isServiceCompleted: the first container that exited decides. */
function serviceCompleted(list: readonly Container[]): Wait {
  for (const c of list) {
    if (c.state.running || c.state.startedAt === null) continue;
    if (c.state.exitCode === 0) return { kind: "ready" };
    return { kind: "failed", message: `service "%s" didn't complete successfully: exit ${c.state.exitCode}` };
  }
  return { kind: "wait" };
}

function replaceLast(events: Event[], name: string, status: string, failed = false): void {
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i]!.name === name && events[i]!.kind === "Container") {
      const was = events[i]!.status;
      events[i] = { ...events[i]!, status: was === "Recreated" && status === "Started" ? "Started" : status, ...(failed ? { failed } : {}) };
      return;
    }
  }
  events.push({ kind: "Container", name, status, ...(failed ? { failed } : {}) });
}

/** A job's steps with its output at the last one (what the command printed while it ran). */
function withOutput(steps: readonly JobStep[], text: string): JobStep[] {
  return steps.map((s, i) => (i === steps.length - 1 ? { ...s, stdout: text } : s));
}

// ---- stop, down, restart: the daemon stops, the command waits for the grace periods ----

/** When a stopping container will be down: its stop signal's handling, or the grace period's SIGKILL. */
function stopDelay(d: Daemon, c: Container, timeoutS?: number): Micros {
  if (!c.state.running || c.run === null) return 0;
  const { timeoutS: t } = d.stopSettings(c, undefined, timeoutS);
  const sig = c.config.stopSignal ?? "SIGTERM";
  const r = c.run.plan.signals[sig.startsWith("SIG") ? sig : `SIG${sig}`];
  if (r === undefined || r.kind === "ignore") return Math.max(0, t) * SECOND;
  if (r.kind === "exit") return r.after + 1_000;
  return 100_000;
}

/**
 * Stops containers and waits (a timed job) until their grace periods could be over, then the
 * command runs again to finish (remove, report). Returns false when nothing had to stop.
 */
function stopThenAgain(env: DockerEnv, containers: readonly Container[], timeoutS: number | undefined, kind: string): boolean {
  const running = containers.filter((c) => c.state.running);
  if (running.length === 0 || env.rerun) return false;
  const d = daemon(env);
  let wait = 0;
  // Reverse start order: dependents first (compose stops in reverse dependency order).
  for (const c of [...running].reverse()) {
    wait = Math.max(wait, stopDelay(d, d.get(c.id), timeoutS));
    d.stop(c.id, timeoutS !== undefined ? { timeoutS } : {});
  }
  keep(env, d);
  const at = wait + 50_000;
  env.pending = { kind, durationUs: at, steps: [{ atUs: at, event: `${kind}.wait`, detail: { containers: running.length }, stdout: "" }], again: true, outcome: { status: 0, stdout: "", stderr: "" } };
  return true;
}

/** Anything still running after the wait is killed (the grace period is over). */
function forceStopped(env: DockerEnv, containers: readonly Container[]): void {
  const d = daemon(env);
  for (const c of containers) {
    const now = d.find(c.id);
    if (now && now.state.running) d.kill(now.id, "SIGKILL");
  }
  keep(env, d);
}

export function composeDown(project: Project, env: DockerEnv, o: { volumes: boolean; rmi: string | null; removeOrphans: boolean; timeoutS?: number }): string {
  const known = new Set([...project.services.keys(), ...project.disabledServices.keys()]);
  // Down removes the one-off containers of `compose run` too (oneOffInclude).
  const all = projectContainers(env.engine, project.name, undefined, true);
  const mine = all.filter((c) => known.has(serviceOf(c)) || o.removeOrphans);
  const order = startOrder(project.services);
  const rank = (c: Container) => order.indexOf(serviceOf(c));
  const sorted = [...mine].sort((a, b) => rank(a) - rank(b) || numberOf(a) - numberOf(b));
  if (stopThenAgain(env, sorted, o.timeoutS, "compose.down")) return "";
  forceStopped(env, sorted);
  const events: Event[] = [];
  const d = daemon(env);
  for (const c of [...sorted].reverse()) {
    d.remove(c.id, { force: true, volumes: o.volumes });
    events.push({ kind: "Container", name: c.name, status: "Removed" });
  }
  keep(env, d);
  let warnings = "";
  const orphans = all.filter((c) => !mine.includes(c));
  if (orphans.length > 0) {
    warnings += `WARN[0000] Found orphan containers ([${orphans.map((c) => c.name).join(" ")}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.\n`;
  }
  for (const [, n] of project.networks) {
    if (n.external) continue;
    try {
      env.engine = { ...env.engine, networks: removeNetwork(env.engine.networks, n.name) };
      events.push({ kind: "Network", name: n.name, status: "Removed" });
    } catch {
      // Not there (never created) or still used by another container: compose goes on.
    }
  }
  if (o.volumes) {
    for (const [, v] of project.volumes) {
      if (v.external || !env.engine.volumes.has(v.name)) continue;
      try {
        env.engine = removeVolume(env.engine, v.name, { now: env.now });
        events.push({ kind: "Volume", name: v.name, status: "Removed" });
      } catch {
        // In use by a container outside the project.
      }
    }
  }
  if (o.rmi !== null) {
    const store = ImageStore.fromSnapshot(env.engine.images);
    for (const s of project.services.values()) {
      if (o.rmi === "local" && s.image !== null) continue;
      const ref = imageOf(project, s);
      const img = store.resolve(ref);
      if (!img) continue;
      const inUse = new Set([...env.engine.containers.values()].map((c) => c.imageId));
      if (inUse.has(img.id)) continue;
      try {
        store.remove(ref, { users: [...env.engine.containers.values()].map((c) => ({ id: c.id, imageId: c.imageId, running: c.state.running })) });
        events.push({ kind: "Image", name: ref, status: "Removed" });
      } catch {
        // Another tag or a child image holds it.
      }
    }
    env.engine = { ...env.engine, images: store.snapshot() };
  }
  return warnings + progress("Running", events);
}

export function composeStop(project: Project, env: DockerEnv, names: readonly string[], timeoutS?: number): string {
  const list = names.length === 0 ? projectContainers(env.engine, project.name) : names.flatMap((n) => projectContainers(env.engine, project.name, n));
  if (stopThenAgain(env, list, timeoutS, "compose.stop")) return "";
  forceStopped(env, list);
  return progress("Stopping", list.map((c) => ({ kind: "Container", name: c.name, status: "Stopped" })));
}

export function composeStart(project: Project, env: DockerEnv, names: readonly string[]): string {
  for (const n of names) if (!project.services.has(n)) fail("CLIENT", `no such service: ${n}`);
  const order = startOrder(project.services).filter((n) => names.length === 0 || names.includes(n));
  const resumed = upState(env.rerunState);
  const d = daemon(env);
  const events: Event[] = resumed ? resumed.events.map((e) => ({ ...e })) : [];
  const done = new Set(resumed?.done ?? []);
  for (const s of order) {
    if (done.has(s)) continue;
    // compose start waits for depends_on conditions as up does (pkg/compose/start.go).
    const wait = dependencyWait(project, project.services.get(s)!, d, events);
    if (wait.kind === "failed") {
      keep(env, d);
      env.exitCode = 1;
      return progress("Running", events) + `${wait.message}\n`;
    }
    if (wait.kind === "wait") {
      keep(env, d);
      const state: UpStateData = { events: events.map((e) => ({ ...e })), done: [...done], attach: [] };
      env.pending = {
        kind: "compose.wait", durationUs: DEPENDENCY_POLL_US, steps: [{ atUs: DEPENDENCY_POLL_US, event: "compose.wait", detail: { service: s }, stdout: "" }],
        again: true, againState: state, outcome: { status: 0, stdout: "", stderr: "" },
      };
      return "";
    }
    for (const c of projectContainers(d.engine, project.name, s)) {
      if (c.state.running) continue;
      try {
        d.start(c.id);
        replaceLast(events, c.name, "Started");
      } catch (e) {
        if (!isDrydockError(e)) throw e;
        keep(env, d);
        env.exitCode = 1;
        replaceLast(events, c.name, "Error", true);
        return progress("Running", events) + `Error response from daemon: ${e.message}\n`;
      }
    }
    done.add(s);
  }
  keep(env, d);
  if (events.length === 0 && projectContainers(env.engine, project.name).length === 0) fail("CLIENT", "service \"" + (names[0] ?? [...project.services.keys()][0]) + "\" has no container to start");
  return progress("Running", events);
}

export function composeRestart(project: Project, env: DockerEnv, names: readonly string[], timeoutS?: number): string {
  const list = names.length === 0 ? projectContainers(env.engine, project.name) : names.flatMap((n) => projectContainers(env.engine, project.name, n));
  if (stopThenAgain(env, list, timeoutS, "compose.restart")) return "";
  forceStopped(env, list);
  const d = daemon(env);
  const events: Event[] = [];
  for (const s of startOrder(project.services)) {
    for (const c of list.filter((x) => serviceOf(x) === s)) {
      try {
        d.start(c.id);
      } catch (e) {
        if (!isDrydockError(e)) throw e;
      }
      events.push({ kind: "Container", name: c.name, status: "Started" });
    }
  }
  keep(env, d);
  return progress("Restarting", events);
}

// ---- ps, logs, top ----

const PS_HEADERS = { Name: "NAME", Image: "IMAGE", Command: "COMMAND", Service: "SERVICE", RunningFor: "CREATED", Status: "STATUS", Ports: "PORTS", ID: "CONTAINER ID", State: "STATE", Project: "PROJECT", Health: "HEALTH", ExitCode: "EXIT CODE", Publishers: "PUBLISHERS", Networks: "NETWORKS", Size: "SIZE", Labels: "LABELS", CreatedAt: "CREATED AT", LocalVolumes: "LOCAL VOLUMES", Mounts: "MOUNTS" };

export function apiPorts(c: Container): { ip: string; privatePort: number; publicPort: number; type: string }[] {
  if (!c.run) return [];
  const out = c.run.ports.map((b) => ({ ip: b.hostIp, privatePort: b.containerPort, publicPort: b.hostPort, type: b.protocol }));
  const bound = new Set(c.run.ports.map((b) => `${b.containerPort}/${b.protocol}`));
  for (const k of c.config.exposedPorts) {
    if (bound.has(k)) continue;
    const [port, proto] = k.split("/") as [string, string | undefined];
    out.push({ ip: "", privatePort: Number(port), publicPort: 0, type: proto ?? "tcp" });
  }
  return out;
}

const ellipsis = (text: string, n: number) => ([...text].length > n ? [...text].slice(0, n - 1).join("") + "…" : text);

export function composePs(project: Project, env: DockerEnv, p: Parsed): string {
  const all = flag.bool(p, "all");
  for (const n of p.args) if (!project.services.has(n)) fail("CLIENT", `no such service: ${n}`);
  // -a: "including those created by the run command" (one-off containers).
  let list = projectContainers(env.engine, project.name, undefined, all).filter((c) => p.args.length === 0 || p.args.includes(serviceOf(c)));
  if (!all) list = list.filter((c) => c.state.running);
  const status = flag.list(p, "status");
  if (status.length > 0) list = list.filter((c) => status.includes(c.state.running ? (c.state.paused ? "paused" : c.state.restarting ? "restarting" : "running") : c.state.startedAt === null ? "created" : "exited"));
  list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (flag.bool(p, "services")) return [...new Set(list.map(serviceOf))].map((s) => `${s}\n`).join("");
  if (flag.bool(p, "quiet")) return list.map((c) => `${flag.bool(p, "no-trunc") ? c.id : shortId(c.id)}\n`).join("");
  const rows = list.map((c) => ({
    Name: c.name, Image: c.config.image, Command: goQuote(flag.bool(p, "no-trunc") ? commandOf(c) : ellipsis(commandOf(c), 20)), Service: serviceOf(c),
    RunningFor: since(c.created, env.now), Status: statusText(c, env.now), Ports: displayablePorts(apiPorts(c)), ID: shortId(c.id),
    State: stateString(c), Project: project.name, Health: c.health?.status ?? "",
    ExitCode: String(c.state.exitCode), Publishers: "", Networks: c.networks.map((n) => n.network).join(","), Size: "0B",
    Labels: Object.keys(c.config.labels).sort().map((k) => `${k}=${c.config.labels[k]}`).join(","), CreatedAt: formatGoTime(c.created),
    LocalVolumes: String(c.mounts.filter((m) => m.type === "volume").length), Mounts: c.mounts.map((m) => m.source || m.target).join(","),
    Label: (name: string) => c.config.labels[name] ?? "",
  }));
  return formatRows({
    format: flag.str(p, "format"), rows, headers: PS_HEADERS, typeName: "*formatter.ContainerContext",
    defaultFormat: "table {{.Name}}\t{{.Image}}\t{{.Command}}\t{{.Service}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}",
  });
}

/** The prefix compose puts before a container's lines: its service and number, padded to the longest. */
export function logPrefixes(list: readonly Container[]): Map<string, string> {
  const names = list.map((c) => `${serviceOf(c)}-${numberOf(c)}`);
  const width = Math.max(0, ...names.map((n) => n.length));
  return new Map(list.map((c, i) => [c.id, `${names[i]!.padEnd(width)}  | `]));
}

/** `docker compose logs`: every container's lines in time order, prefixed. */
export function composeLogs(project: Project, env: DockerEnv, o: { services: readonly string[]; tail: number | null; timestamps: boolean; noPrefix: boolean }): OutputChunk[] {
  for (const n of o.services) if (!project.services.has(n)) fail("CLIENT", `no such service: ${n}`);
  const list = projectContainers(env.engine, project.name).filter((c) => o.services.length === 0 || o.services.includes(serviceOf(c)));
  const prefixes = logPrefixes(list);
  const lines: { at: Micros; seq: number; chunk: OutputChunk }[] = [];
  let seq = 0;
  for (const c of list) {
    let mine = logLines(c.logs, env.runtime!.programs, env.now);
    if (o.tail !== null) mine = o.tail === 0 ? [] : mine.slice(-o.tail);
    for (const l of mine) {
      const ts = o.timestamps ? `${formatGoTime(l.at).replace(" +0000 UTC", "Z")} ` : "";
      lines.push({ at: l.at, seq: seq++, chunk: { fd: 1, text: `${o.noPrefix ? "" : prefixes.get(c.id)!}${ts}${l.text.endsWith("\n") ? l.text : `${l.text}\n`}` } });
    }
  }
  lines.sort((a, b) => a.at - b.at || a.seq - b.seq);
  return lines.map((l) => l.chunk);
}

export type { Pending, FlagSpec };

// ---- run: a one-off container ----

export interface RunOptions {
  readonly command: readonly string[];
  readonly detach: boolean;
  readonly rm: boolean;
  readonly env: readonly string[];
  readonly entrypoint: string | undefined;
  readonly name: string | undefined;
  readonly user: string | undefined;
  readonly workdir: string | undefined;
  readonly tty: boolean;
  readonly interactive: boolean;
  readonly publish: readonly string[];
  readonly servicePorts: boolean;
  readonly volumes: readonly string[];
  readonly labels: readonly string[];
  readonly useAliases: boolean;
}

/**
 * `docker compose run SERVICE [COMMAND]` as the `docker run` arguments it amounts to (pkg/compose/run.go):
 * the service's image, environment, volumes and networks, the one-off labels, the name
 * `<project>-<service>-run-<12 hex>`, no published ports unless --service-ports, no restart policy.
 */
export function runArgs(project: Project, s: Service, env: DockerEnv, o: RunOptions): string[] {
  const slug = randomId(env.runtime!.random);
  const name = o.name ?? `${project.name}-${s.name}-run-${slug.slice(0, 12)}`;
  const req = createRequest(project, s, 1, env, "");
  const labels = { ...req.labels, [LABEL.oneoff]: "True", "com.docker.compose.slug": slug };
  delete (labels as Record<string, string>)[LABEL.number];
  const args: string[] = ["run", "--name", name];
  if (o.detach) args.push("-d");
  if (o.rm) args.push("--rm");
  if (o.interactive) args.push("-i");
  if (o.tty) args.push("-t");
  for (const [k, v] of Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))) args.push("--label", `${k}=${v}`);
  for (const l of o.labels) args.push("--label", l);
  for (const e of [...(req.env ?? []), ...o.env]) args.push("-e", e);
  const first = req.networks?.[0];
  if (req.networkMode !== undefined && (first === undefined || req.networkMode !== first.network)) args.push("--network", req.networkMode);
  else if (first !== undefined) {
    args.push("--network", first.network);
    if (o.useAliases) for (const a of (first.aliases ?? []).slice(2)) args.push("--network-alias", a);
  }
  for (const m of req.mounts ?? []) {
    if (m.type === "tmpfs") args.push("--tmpfs", m.target);
    else if (m.source === "") args.push("-v", m.target);
    else args.push("-v", `${m.source}:${m.target}${m.readOnly ? ":ro" : ""}`);
  }
  for (const v of o.volumes) args.push("-v", v);
  if (o.servicePorts) for (const p of s.ports) args.push("-p", `${p.hostIp !== "" ? `${p.hostIp}:` : ""}${p.published !== "" ? `${p.published}:` : ""}${p.target}/${p.protocol}`);
  for (const p of o.publish) args.push("-p", p);
  const user = o.user ?? req.user;
  if (user !== undefined) args.push("-u", user);
  const workdir = o.workdir ?? req.workdir;
  if (workdir !== undefined) args.push("-w", workdir);
  if (req.hostname !== undefined) args.push("--hostname", req.hostname);
  const hc = s.healthcheck;
  if (hc !== null && hc.disable) args.push("--no-healthcheck");
  const entrypoint = o.entrypoint ?? (s.entrypoint !== null ? s.entrypoint[0] : undefined);
  const entryArgs = o.entrypoint === undefined && s.entrypoint !== null ? s.entrypoint.slice(1) : [];
  if (entrypoint !== undefined) args.push("--entrypoint", entrypoint);
  args.push(imageOf(project, s));
  const cmd = o.command.length > 0 ? o.command : (s.command ?? []);
  args.push(...entryArgs, ...cmd);
  return args;
}
