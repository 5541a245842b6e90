import {
  DrydockError, composeModels, connected, createSimulation, parseDuration,
  type ComposedAction, type ComposedState, type DaemonMessage, type Duration, type DurationRange, type NodeId, type ScheduledAction, type Simulation,
} from "@drydock/kernel";
import type { RaftOptions } from "@drydock/raft";
import type { SwimParams } from "@drydock/swim";
import type { SwarmAction } from "./daemon/actions.js";
import { endpointTable, type EndpointEntry } from "./daemon/gossip.js";
import { swarmModel, type SwarmModelOptions } from "./daemon/model.js";
import type { SwarmState } from "./daemon/state.js";
import { fakeExecutor, type TaskExecutor } from "./executor.js";
import type { ServiceOptions, ServiceUpdate } from "./spec.js";
import { findByIdOrName } from "./store/store.js";
import { TaskState, type Availability, type NodeDescription, type NodeRole, type Service, type Store, type Task } from "./types.js";
import { certificateRows, nodeRows, serviceRows, serviceTasks, type CertRow, type NodeRow, type ServiceRow, type TaskRow } from "./views.js";

type Daemons = { swarm: ReturnType<typeof swarmModel> };
export type SwarmWorldState = ComposedState<Daemons>;
export type SwarmWorldAction = ComposedAction<Daemons>;
export type SwarmSimulation = Simulation<SwarmWorldState, DaemonMessage, SwarmWorldAction>;

export interface SwarmClusterOptions {
  /** Manager hosts "manager1".."managerN" (default 3). */
  readonly managers?: number;
  /** Worker hosts "worker1".."workerM" (default 2). */
  readonly workers?: number;
  readonly seed?: string | number;
  /** One-way latency between hosts (default 0.2-1 ms, a LAN). */
  readonly latency?: DurationRange;
  readonly loss?: number;
  /** Form the swarm at time 0: init on manager1, the others join (default true). */
  readonly bootstrap?: boolean;
  readonly executor?: TaskExecutor<any>;
  readonly raft?: Partial<RaftOptions>;
  readonly gossip?: SwimParams;
  readonly describe?: (host: string) => Partial<NodeDescription>;
  readonly heartbeatPeriod?: Duration;
  /** Trace records of the swarm's changes (default true). */
  readonly records?: boolean;
  /** The kernel's trace (default true). */
  readonly trace?: boolean;
  readonly snapshotEvery?: Duration;
  readonly schedule?: readonly ScheduledAction<SwarmWorldAction>[];
}

/**
 * A swarm on the kernel for tests, benchmarks and the visualiser: hosts "manager1".. and
 * "worker1..", each running the swarm daemon, every command a logged action of the simulation
 * (replayable from the session). Commands run on a host as `docker` would there: a manager's go to
 * the raft leader. Views read a manager's store.
 */
export class SwarmCluster {
  readonly sim: SwarmSimulation;
  readonly managers: readonly string[];
  readonly workers: readonly string[];
  /** The executor every host runs tasks with (the fake one unless given). */
  readonly executor: TaskExecutor<any>;

  constructor(o: SwarmClusterOptions = {}) {
    const m = o.managers ?? 3;
    const n = o.workers ?? 2;
    if (!Number.isInteger(m) || m < 1 || !Number.isInteger(n) || n < 0) throw new DrydockError("ESIZE", `invalid swarm size: ${m} managers, ${n} workers`);
    this.managers = Array.from({ length: m }, (_, i) => `manager${i + 1}`);
    this.workers = Array.from({ length: n }, (_, i) => `worker${i + 1}`);
    this.executor = o.executor ?? fakeExecutor();
    const options: SwarmModelOptions = {
      executor: this.executor,
      ...(o.raft ? { raft: o.raft } : {}),
      ...(o.gossip ? { gossip: o.gossip } : {}),
      ...(o.describe ? { describe: o.describe } : {}),
      ...(o.heartbeatPeriod !== undefined ? { heartbeatPeriodUs: parseDuration(o.heartbeatPeriod) } : {}),
      ...(o.records !== undefined ? { records: o.records } : {}),
    };
    this.sim = createSimulation({
      seed: o.seed ?? 1,
      nodes: [...this.managers, ...this.workers],
      model: composeModels({ swarm: swarmModel(options) }),
      network: { latency: o.latency ?? [200, 1000], ...(o.loss !== undefined ? { loss: o.loss } : {}) },
      ...(o.trace !== undefined ? { trace: o.trace } : {}),
      ...(o.snapshotEvery !== undefined ? { snapshotEvery: o.snapshotEvery } : {}),
      ...(o.schedule ? { schedule: o.schedule } : {}),
    });
    if (o.bootstrap ?? true) this.bootstrap();
  }

  get state(): SwarmState { return this.sim.state.swarm; }
  get now(): number { return this.sim.now; }

  /** A swarm command on a host (a logged action). Throws Docker's error and changes nothing if refused. */
  act(action: SwarmAction): void {
    this.sim.act({ ...action, type: `swarm/${action.type}` } as SwarmWorldAction);
  }

  run(until: Duration): void { this.sim.runUntil(until); }
  runFor(d: Duration): void { this.sim.runFor(d); }

  /** docker swarm init on manager1, then every other host joins (managers first); settles 10 s. */
  bootstrap(): void {
    this.act({ type: "init", host: this.managers[0]! });
    for (const h of this.managers.slice(1)) this.act({ type: "join", host: h, token: this.joinToken("manager"), remote: this.managers[0]! });
    for (const h of this.workers) this.act({ type: "join", host: h, token: this.joinToken("worker"), remote: this.managers[0]! });
    this.runFor("10s");
  }

  // ---- commands ---------------------------------------------------------------------------------

  /** The manager a command runs on by default: the leader if there is one, else the first manager that is up. */
  private on(host?: string): string {
    return host ?? this.leader() ?? this.managers.find((m) => this.sim.net.up[m]) ?? this.managers[0]!;
  }

  init(host: string = this.managers[0]!): void { this.act({ type: "init", host }); }
  join(host: string, role: NodeRole, remote: string = this.on()): void { this.act({ type: "join", host, token: this.joinToken(role, remote), remote }); }
  leave(host: string, force = false): void { this.act({ type: "leave", host, force }); }
  promote(node: string, on?: string): void { this.act({ type: "nodeUpdate", host: this.on(on), node, role: "manager" }); }
  demote(node: string, on?: string): void { this.act({ type: "nodeUpdate", host: this.on(on), node, role: "worker" }); }
  availability(node: string, availability: Availability, on?: string): void { this.act({ type: "nodeUpdate", host: this.on(on), node, availability }); }
  label(node: string, labelAdd: Record<string, string>, on?: string): void { this.act({ type: "nodeUpdate", host: this.on(on), node, labelAdd }); }
  nodeRm(node: string, on?: string): void { this.act({ type: "nodeRm", host: this.on(on), node }); }

  /** docker service create; returns the new service's id (from the leader's view). */
  serviceCreate(service: ServiceOptions, on?: string): string {
    const host = this.on(on);
    this.act({ type: "serviceCreate", host, service });
    return findByIdOrName(this.leaderView()!.services, service.name)!.id;
  }
  serviceUpdate(service: string, update: ServiceUpdate, on?: string): void { this.act({ type: "serviceUpdate", host: this.on(on), service, update }); }
  scale(service: string, replicas: number, on?: string): void { this.act({ type: "serviceScale", host: this.on(on), service, replicas }); }
  rollback(service: string, on?: string): void { this.act({ type: "serviceRollback", host: this.on(on), service }); }
  serviceRm(service: string, on?: string): void { this.act({ type: "serviceRm", host: this.on(on), service }); }
  secretCreate(name: string, data: string, on?: string): void { this.act({ type: "secretCreate", host: this.on(on), name, data }); }
  secretRm(secret: string, on?: string): void { this.act({ type: "secretRm", host: this.on(on), secret }); }
  swarmUpdate(update: Omit<Extract<SwarmAction, { type: "swarmUpdate" }>, "type" | "host">, on?: string): void { this.act({ type: "swarmUpdate", host: this.on(on), ...update }); }
  unlock(host: string, key: string): void { this.act({ type: "unlock", host, key }); }
  configCreate(name: string, data: string, on?: string): void { this.act({ type: "configCreate", host: this.on(on), name, data }); }
  configRm(config: string, on?: string): void { this.act({ type: "configRm", host: this.on(on), config }); }
  networkCreate(name: string, on?: string): void { this.act({ type: "networkCreate", host: this.on(on), name }); }

  crash(host: NodeId): void { this.sim.act({ type: "crash", node: host }); }
  restart(host: NodeId): void { this.sim.act({ type: "restart", node: host }); }
  partition(groups: readonly (readonly NodeId[])[]): void { this.sim.act({ type: "partition", groups }); }
  isolate(host: NodeId): void { this.sim.act({ type: "isolate", node: host }); }
  heal(): void { this.sim.act({ type: "heal" }); }

  // ---- views -------------------------------------------------------------------------------------

  /** The leader: an up manager whose raft leads (the highest term) and has taken over. */
  leader(): string | null {
    let best: string | null = null;
    let term = -1;
    for (const [name, h] of this.state.hosts) {
      if (!this.sim.net.up[name] || h.raft?.role !== "leader" || !h.leader?.ready) continue;
      if (h.raft.term > term) {
        best = name;
        term = h.raft.term;
      }
    }
    return best;
  }

  /** The leader's view (committed plus its own proposals), or null without a leader. */
  leaderView(): Store | null {
    const l = this.leader();
    return l ? this.state.hosts.get(l)!.leader!.view : null;
  }

  /** A manager's committed store (default: the leader's). */
  store(host?: string): Store {
    const h = this.state.hosts.get(host ?? this.leader() ?? this.managers[0]!);
    if (!h) throw new DrydockError("ENODE", `unknown host "${host}"`);
    return h.store;
  }

  joinToken(role: NodeRole, via?: string): string {
    const store = this.store(via ? (this.state.hosts.get(via)?.raft?.leader ?? via) : undefined);
    const tokens = store.cluster?.rootCA.joinTokens;
    if (!tokens) throw new DrydockError("ENOSWARM", "no swarm yet: run init first");
    return role === "manager" ? tokens.manager : tokens.worker;
  }

  nodes(on?: string): NodeRow[] {
    const net = this.sim.net;
    return nodeRows(this.state, this.on(on), (a, b) => !!net.up[a] && !!net.up[b] && connected(net, a, b));
  }

  services(on?: string): ServiceRow[] { return serviceRows(this.store(on)); }
  certificates(on?: string): CertRow[] { return certificateRows(this.store(on)); }

  service(name: string, on?: string): Service | undefined { return findByIdOrName(this.store(on).services, name); }

  /** docker service ps. */
  ps(service: string, on?: string): TaskRow[] {
    const s = this.service(service, on);
    return s ? serviceTasks(this.store(on), s.id) : [];
  }

  tasks(service: string, on?: string): Task[] {
    const s = this.service(service, on);
    return s ? [...this.store(on).tasks.values()].filter((t) => t.serviceId === s.id) : [];
  }

  /** Tasks the store says run and should run. */
  running(service: string, on?: string): Task[] {
    return this.tasks(service, on).filter((t) => t.status.state === TaskState.RUNNING && t.desiredState === TaskState.RUNNING);
  }

  /** The endpoint table `host` has learnt from the gossip. */
  endpoints(host: string): EndpointEntry[] { return endpointTable(this.state.gossip, host); }

  /** The host a node id or hostname names. */
  hostOf(node: string): string | undefined {
    const n = [...this.store().nodes.values()].find((x) => x.id === node || x.description.hostname === node);
    return n?.description.hostname;
  }
}

export function createSwarmCluster(options: SwarmClusterOptions = {}): SwarmCluster {
  return new SwarmCluster(options);
}
