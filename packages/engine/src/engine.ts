import { DrydockError, type Micros } from "@drydock/kernel";
import { NO_CONTAINERS, type ContainerTable } from "./containers/state.js";
import { NO_PLUGINS, NO_VOLUMES, type PluginTable, type VolumeTable } from "./volumes/state.js";
import type { EngineEvent } from "./events.js";
import { bootKernel, type HostKernel } from "./host/procs.js";
import { CowMap } from "./util/cow-map.js";
import { defaultNetworkTable, type NetworkTable } from "./network/index.js";
import {
  BuildError, ImageStore, build, type BuildResult, type ContextInput, type ImageStoreSnapshot, type RegistryHub, type RunStepExecutor, type TransferResult,
} from "@drydock/image";

/**
 * The Docker Engine on one host, as state and the operations of its API. The state is an
 * immutable value (a snapshot of the world holds it by reference); an operation copies what it
 * changes. Operations that take virtual time (a build, a pull, a push) do not change the state
 * when they start: they return a Job, a plan of what happens when, and the world applies the
 * job's `engine` when its last step is due. So a build is a run of events that can be stepped,
 * seeked and drawn, and `docker images` during a build does not show the image yet.
 */
export interface EngineState {
  /** The image store with its build cache (layers and images are shared, immutable values). */
  readonly images: ImageStoreSnapshot;
  /** `docker login`: registry domain → user name. */
  readonly logins: Readonly<Record<string, string>>;
  readonly containers: ContainerTable;
  /** Container name (without "/") → full ID. */
  readonly containerNames: ReadonlyMap<string, string>;
  readonly volumes: VolumeTable;
  readonly plugins: PluginTable;
  /**
   * The networks of this engine (bridge, host, none and user-defined ones): IPAM, the running
   * containers' endpoints and sandboxes, and the host ports they hold (network/). The one place
   * addresses and published ports are allocated.
   */
  readonly networks: NetworkTable;
  /** The host's process table and namespaces (host/procs.ts). */
  readonly kernel: HostKernel;
  /** The daemon's last events (events.ts), any type. */
  readonly events: readonly EngineEvent[];
  /**
   * When the engine wants to be woken (a process exits, a grace period ends, a restart back-off
   * ends): the world turns each into a kernel timer and clears the list (containers/daemon.ts).
   */
  readonly wakeups: readonly Wakeup[];
}

/** A wake-up the engine asks for: `engineWake(engine, container, gen)` at `at`; stale when the container's gen moved on. */
export interface Wakeup {
  readonly at: Micros;
  readonly container: string;
  readonly gen: number;
}

/** One step of a job, due `atUs` after the job starts: what the trace records then. */
export interface JobStep {
  readonly atUs: Micros;
  readonly event: string;
  readonly detail: Readonly<Record<string, unknown>>;
  /** Output that appears on the terminal at this step. */
  readonly stdout: string;
}

/** What the daemon will have done when a long operation finishes. */
export interface Job {
  readonly kind: "build" | "pull" | "push";
  /** What the client prints, in order, with the time it appears (the last at durationUs). */
  readonly steps: readonly JobStep[];
  readonly durationUs: Micros;
  /** The engine once the job is done. */
  readonly engine: EngineState;
  /** Registries after a push (the hub is world-wide); unchanged otherwise. */
  readonly hubChanged: boolean;
}

export function createEngine(now: Micros = 0, hostName = "node1"): EngineState {
  return {
    networks: defaultNetworkTable(now, hostName),
    images: new ImageStore().snapshot(), logins: {}, containers: NO_CONTAINERS, containerNames: new CowMap(), volumes: NO_VOLUMES,
    plugins: NO_PLUGINS, kernel: bootKernel(now), events: [], wakeups: [],
  };
}

/** A mutable image store over the engine's snapshot, for one operation. */
export function openStore(engine: EngineState): ImageStore {
  return ImageStore.fromSnapshot(engine.images);
}

export function withStore(engine: EngineState, store: ImageStore): EngineState {
  return { ...engine, images: store.snapshot() };
}

export interface BuildRequest {
  readonly dockerfile: string;
  readonly dockerfileName: string;
  readonly context: ContextInput;
  readonly tags: readonly string[];
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly noCache: boolean;
  readonly pull: boolean;
  /** The legacy builder (DOCKER_BUILDKIT=0): its transcript and IDs. */
  readonly classic?: boolean;
  readonly now: Micros;
  /** What runs a RUN step's process: the caller's program catalogue, or the image package's RUN interpreter. */
  readonly runStep?: RunStepExecutor;
}

export type BuildOutcome =
  | { readonly ok: true; readonly result: BuildResult; readonly job: Job }
  /** A failed build keeps its finished steps in the cache (BuildKit does); `engine` has them. */
  | { readonly ok: false; readonly error: BuildError; readonly engine: EngineState; readonly job: Job };

/** POST /build: the builder runs now (it is pure); its steps are laid out in virtual time. */
export function engineBuild(engine: EngineState, hub: RegistryHub, req: BuildRequest): BuildOutcome {
  const store = openStore(engine);
  try {
    const result = build({
      dockerfile: req.dockerfile, dockerfileName: req.dockerfileName, context: req.context, tags: req.tags,
      buildArgs: req.buildArgs, noCache: req.noCache, pull: req.pull, now: req.now, classic: req.classic === true,
      ...(req.target !== undefined ? { target: req.target } : {}), ...(req.runStep ? { runStep: req.runStep } : {}),
    }, store, hub);
    const after = withStore(engine, store);
    return { ok: true, result, job: buildJob(result.steps, result.durationUs, after, result.image.id) };
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    const after = withStore(engine, store);
    const spent = e.steps.reduce((n, s) => n + s.durationUs, 0);
    return { ok: false, error: e, engine: after, job: buildJob(e.steps, spent, after, null) };
  }
}

function buildJob(
  steps: BuildResult["steps"], durationUs: Micros, engine: EngineState, imageId: string | null,
): Job {
  let at = 0;
  const out: JobStep[] = [];
  for (const s of steps) {
    at += s.durationUs;
    out.push({ atUs: at, event: "build.step", detail: { vertex: s.vertex, name: s.name, cached: s.cached }, stdout: "" });
  }
  out.push({ atUs: Math.max(at, durationUs), event: imageId ? "build.done" : "build.failed", detail: imageId ? { image: imageId } : {}, stdout: "" });
  return { kind: "build", steps: out, durationUs: Math.max(at, durationUs), engine, hubChanged: false };
}

/** A transfer's lines, spread over its duration (one per layer, as the progress bars finish). */
function transferJob(kind: "pull" | "push", r: TransferResult, engine: EngineState, hubChanged: boolean, quiet: boolean): Job {
  const lines = quiet ? [r.lines[r.lines.length - 1] ?? ""] : [...r.lines];
  const steps: JobStep[] = lines.map((line, i) => ({
    atUs: Math.round((r.durationUs * (i + 1)) / lines.length),
    event: i === lines.length - 1 ? `${kind}.done` : `${kind}.progress`,
    detail: i === lines.length - 1 ? { digest: r.digest } : {},
    stdout: line + "\n",
  }));
  return { kind, steps, durationUs: r.durationUs, engine, hubChanged };
}

/** POST /images/create. Throws a DrydockError (Docker's text) when the image cannot be had. */
export function enginePull(engine: EngineState, hub: RegistryHub, ref: string, quiet: boolean): Job {
  const store = openStore(engine);
  const r = hub.pull(store, ref);
  return transferJob("pull", r, withStore(engine, store), false, quiet);
}

/** POST /images/{name}/push. Changes the (world-wide) hub, which the caller has copied. */
export function enginePush(engine: EngineState, hub: RegistryHub, ref: string): Job {
  const store = openStore(engine);
  const r = hub.push(store, ref);
  return transferJob("push", r, withStore(engine, store), true, false);
}

export function engineLogin(engine: EngineState, domain: string, user: string): EngineState {
  if (user === "") throw new DrydockError("ELOGIN", "Error: Cannot perform an interactive login from a non TTY device");
  return { ...engine, logins: { ...engine.logins, [domain]: user } };
}

export function engineLogout(engine: EngineState, domain: string): { engine: EngineState; was: boolean } {
  if (!Object.hasOwn(engine.logins, domain)) return { engine, was: false };
  const logins = { ...engine.logins };
  delete logins[domain];
  return { engine: { ...engine, logins }, was: true };
}
