import type { NetState, SimContext } from "@drydock/kernel";
import { HOST_CPUS, HOST_MEMORY, endpointsOf, formatIp4, type EngineState } from "@drydock/engine";
import {
  GOSSIP_TIMER, findByIdOrName, gossipRunning, swarmModel, syncContainerEndpoints, validateAction,
  type SwarmAction, type SwarmMessage, type SwarmState, type TaskEndpoints,
} from "@drydock/swarm";
import type { FsDir } from "../fs/index.js";
import { DOCKER_VERSION } from "../docker/system.js";
import { engineExecutor, type EngineExecState } from "./swarm-executor.js";
import { runtimeOf, setHost, settle } from "./ops.js";
import type { HostState, WorldMessage, WorldState } from "./state.js";
import type { CommandOutcome } from "../shell/host.js";
import { convergeState } from "../docker/service-progress.js";
import { leaderStore } from "./ingress.js";
import { netWorldWith } from "./traffic.js";

/**
 * Swarm mode on the world's hosts. The world's model embeds the swarm daemon's handlers beside
 * the engine's (docs/architecture.md, "Swarm on the world's hosts"): a swarm message, timer,
 * crash or restart of a host runs the swarm daemon's handler on `world.swarm` in the same event,
 * and the agent's executor works on the same host's engine (world/swarm-executor.ts), so a task's
 * container is created, started and stopped in the same transaction as the agent's decision.
 */

/** The world's timers that belong to the swarm daemon carry this prefix. */
export const SWARM_TIMER = "swarm/";

export const SWARM = swarmModel({
  executor: engineExecutor(),
  // What `docker info` says of each host (engine/containers/daemon.ts HOST_CPUS, HOST_MEMORY).
  describe: () => ({ resources: { nanoCPUs: HOST_CPUS * 1e9, memoryBytes: HOST_MEMORY }, engineVersion: DOCKER_VERSION.server }),
});

/** The world's context as the swarm daemon sees it: its timers prefixed, everything else the same. */
function swarmCtx(ctx: SimContext<WorldMessage>): SimContext<SwarmMessage> {
  return {
    get now() { return ctx.now; },
    get net() { return ctx.net; },
    rng: (stream) => ctx.rng(stream),
    send: (from, to, msg) => ctx.send(from, to, msg),
    setTimer: (node, at, name, data) => ctx.setTimer(node, at, SWARM_TIMER + name, data),
    record: (node, data) => ctx.record(node, data),
    isUp: (node) => ctx.isUp(node),
    endpoint: (a) => ctx.endpoint(a),
  };
}

export function swarmInit(ctx: SimContext<WorldMessage>): SwarmState {
  return SWARM.init(swarmCtx(ctx));
}

/** A host's engine as the command running on it has it (its draft), instead of the world's. */
interface EngineOverride {
  readonly host: string;
  readonly engine: EngineState;
  readonly fs: FsDir;
}

/**
 * The swarm state with the host's engine handed to its executor (`io`). Only the host the event
 * is on: an agent runs its own executor, and the leader reaches other hosts by messages (an
 * executor called without its engine throws, so a mistake here is loud).
 */
function withEngines(s: WorldState, swarm: SwarmState, ctx: SimContext<WorldMessage>, node: string, over?: EngineOverride): SwarmState {
  const sh = swarm.hosts.get(node);
  const wh = s.hosts.get(node);
  if (!sh || !wh) return swarm;
  const mine = over?.host === node;
  const networks = leaderStore(s)?.networks;
  const io = {
    engine: mine ? over.engine : wh.engine, fs: mine ? over.fs : wh.fs, hub: s.hub, runtime: runtimeOf(node, ctx), ...(networks ? { networks } : {}),
    netWorld: (engine: EngineState, fs: FsDir) => netWorldWith(s, node, engine, fs),
  };
  const hosts = new Map(swarm.hosts);
  hosts.set(node, { ...sh, exec: { ...(sh.exec as EngineExecState), io } });
  return { ...swarm, hosts };
}

/** Takes the engine back from the host's executor into the world (settling it when it changed). */
function takeEngines(s: WorldState, swarm: SwarmState, ctx: SimContext<WorldMessage>, node: string, over?: EngineOverride): { world: WorldState; over?: EngineOverride } {
  const sh = swarm.hosts.get(node);
  const x = sh?.exec as EngineExecState | undefined;
  const io = x?.io ?? null;
  if (!sh || !x || io === null) return { world: { ...s, swarm }, ...(over ? { over } : {}) };
  const hosts = new Map(swarm.hosts);
  hosts.set(node, { ...sh, exec: { ...x, io: null } });
  const world: WorldState = { ...s, swarm: { ...swarm, hosts } };
  if (over?.host === node) return { world, over: { host: node, engine: io.engine, fs: io.fs } };
  const wh = world.hosts.get(node);
  if (!wh || (io.engine === wh.engine && io.fs === wh.fs)) return { world };
  return { world: settle(setHost(world, { ...wh, engine: io.engine, fs: io.fs }), node, ctx) };
}

/** Runs one of the swarm daemon's handlers for an event on `node`, its engine in reach of its executor. */
function run(s: WorldState, ctx: SimContext<WorldMessage>, node: string, f: (swarm: SwarmState, sctx: SimContext<SwarmMessage>) => SwarmState): WorldState {
  const sctx = swarmCtx(ctx);
  return takeEngines(s, f(withEngines(s, s.swarm, ctx, node), sctx), ctx, node).world;
}

const isGossip = (msg: WorldMessage) => ["ping", "ack", "ping-req", "nack", "gossip", "reconnect", "push-pull"].includes(msg.type);

export function swarmDeliver(s: WorldState, msg: WorldMessage, from: string, to: string, ctx: SimContext<WorldMessage>): WorldState {
  // Gossip never reaches an executor: it runs on the swarm state as it is (the common case, kept cheap).
  if (isGossip(msg)) return { ...s, swarm: SWARM.deliver(s.swarm, msg as SwarmMessage, from, to, swarmCtx(ctx)) };
  return run(s, ctx, to, (sw, c) => SWARM.deliver(sw, msg as SwarmMessage, from, to, c));
}

export function swarmTimer(s: WorldState, node: string, name: string, data: unknown, ctx: SimContext<WorldMessage>): WorldState {
  const own = name.slice(SWARM_TIMER.length);
  if (own.startsWith(GOSSIP_TIMER)) return { ...s, swarm: SWARM.timer(s.swarm, node, own, data, swarmCtx(ctx)) };
  const after = run(s, ctx, node, (sw, c) => SWARM.timer(sw, node, own, data, c));
  // At each heartbeat the node also looks at its standalone containers again (one published before its gossip had joined goes out now).
  if (own === "agent.hb") publishContainers(after, node, ctx);
  return after;
}

/** The host crashed: its engine has crashed already; its raft node and gossip member go with it. */
export function swarmCrash(s: WorldState, node: string, ctx: SimContext<WorldMessage>): WorldState {
  return run(s, ctx, node, (sw, c) => SWARM.crash!(sw, node, c));
}

/** The host is back: dockerd has restored its containers; the swarm daemon starts again. */
export function swarmRestart(s: WorldState, node: string, ctx: SimContext<WorldMessage>): WorldState {
  return run(s, ctx, node, (sw, c) => SWARM.restart!(sw, node, c));
}

/** The host's engine changed outside the swarm (a container exited, `docker rm -f` of a task's): the agent looks. */
export function swarmPoke(s: WorldState, node: string, ctx: SimContext<WorldMessage>): WorldState {
  publishContainers(s, node, ctx);
  const sh = s.swarm.hosts.get(node);
  if (!sh?.member || (sh.exec as EngineExecState).tasks.size === 0) return s;
  return run(s, ctx, node, (sw, c) => SWARM.wakeExecutor(sw, node, c));
}

/**
 * The node's standalone containers on swarm networks (`docker run --network X` on an attachable
 * overlay), as its networkdb publishes them (libnetwork addServiceInfoToCluster: the endpoint with
 * the container's name and aliases, no service), so every node's embedded DNS answers their names
 * and the overlay reaches them; a stopped, removed or disconnected one is withdrawn. The gossip's
 * state is SWIM's mutable one, changed in place as its handlers do.
 */
function publishContainers(s: WorldState, node: string, ctx: SimContext<WorldMessage>): void {
  const wh = s.hosts.get(node);
  if (!wh || !s.swarm.hosts.get(node)?.member || !gossipRunning(s.swarm.gossip, node)) return;
  const table = wh.engine.networks;
  const overlays = [...table.networks.values()].filter((n) => n.driver === "overlay" && !n.ingress);
  const running: TaskEndpoints[] = [];
  if (overlays.length > 0) {
    for (const c of wh.engine.containers.values()) {
      if (c.run === null || !c.state.running || "com.docker.swarm.task" in c.config.labels) continue;
      const mine = endpointsOf(table, c.id).filter((e) => e.ip !== null && overlays.some((n) => n.id === e.networkId));
      if (mine.length === 0) continue;
      const aliases = c.networks.filter((a) => overlays.some((n) => n.name === a.network)).flatMap((a) => a.aliases);
      running.push({
        taskId: c.id, serviceId: "", service: "", task: c.name, node, containerId: c.id,
        networks: mine.map((e) => ({ network: e.networkId, ip: formatIp4(e.ip!), vip: "" })), ...(aliases.length > 0 ? { aliases } : {}),
      });
    }
  }
  syncContainerEndpoints(s.swarm.gossip, node, running, swarmCtx(ctx));
}

/**
 * What a docker command on a host reaches of the swarm: its state as the line has it so far, the
 * network (who is up and connected), and `act`, which validates a swarm command (throwing Docker's
 * error, changing nothing) and applies it, as the kernel does a swarm action, within the line's event.
 */
export interface SwarmPort {
  state(): SwarmState;
  readonly net: NetState;
  act(a: SwarmAction, engine: EngineState, fs: FsDir): { engine: EngineState; fs: FsDir };
  /** Another host's engine as it is now (docker service logs reads the tasks' containers where they run). */
  engineOf(host: string): EngineState | undefined;
}

/** A line's draft of the swarm: the port reads and writes `draft.swarm`. */
export function swarmPort(s: WorldState, draft: { swarm: SwarmState }, host: string, ctx: SimContext<WorldMessage>): SwarmPort {
  return {
    state: () => draft.swarm,
    engineOf: (h) => s.hosts.get(h)?.engine,
    get net() { return ctx.net; },
    act(a, engine, fs) {
      validateAction(draft.swarm, a, ctx.net);
      const over: EngineOverride = { host, engine, fs };
      const sw = SWARM.action!(withEngines(s, draft.swarm, ctx, host, over), a, swarmCtx(ctx));
      const r = takeEngines(s, sw, ctx, host, over);
      draft.swarm = r.world.swarm;
      return { engine: r.over?.engine ?? engine, fs: r.over?.fs ?? fs };
    },
  };
}

/** The gossip's protocol state is mutable (SWIM's, for speed): snapshots copy it. */
export const saveSwarm = (sw: SwarmState): SwarmState => SWARM.save!(sw) as SwarmState;
export const loadSwarm = (saved: SwarmState): SwarmState => SWARM.load!(saved) as SwarmState;

/**
 * Ctrl-C while `docker service create/update/scale` waits for the service to converge: docker/cli's
 * progress.go stops watching and says so, and the command ends well (the service goes on
 * converging). Returns the command's outcome, or null when the line waits for something else.
 */
export function swarmWaitInterrupted(s: WorldState, h: HostState, now: number): CommandOutcome | null {
  const p = h.running?.job?.pending;
  if (!p || p.kind !== "service.progress") return null;
  const detail = p.steps.map((st) => st.detail as { service?: string; rollback?: boolean; quiet?: boolean }).find((d) => d.service !== undefined);
  const service = detail?.service ?? "";
  // -q: docker/cli sends the progress, and what it says on Ctrl-C, to io.Discard.
  if (detail?.quiet === true) return { status: 0, stdout: `${p.outcome.stdout}^C\n`, stderr: "" };
  // What the terminal shows of the progress when Ctrl-C comes: the leader's store as the CLI polled it.
  const m = s.swarm.hosts.get(h.name)?.member;
  const leader = m?.managers.map((x) => s.swarm.hosts.get(x)).find((x) => x?.raft?.role === "leader");
  const svc = leader ? findByIdOrName(leader.store.services, service) : undefined;
  const screen = leader && svc ? convergeState(leader.store, svc, now, detail?.rollback === true).screen : "";
  const stdout = `${p.outcome.stdout}${screen}^COperation continuing in background.\nUse \`docker service ps ${service}\` to check progress.\n`;
  return { status: 0, stdout, stderr: "" };
}
