import type { Model, SimContext } from "@drydock/kernel";
import { DEFAULT_OPTIONS, type RaftMessage, type RaftOptions } from "@drydock/raft";
import { LAN_DEFAULTS, messageSize, type SwimMessage, type SwimParams, type SwimState } from "@drydock/swim";
import { DISPATCHER, RAFT, SCHEDULER } from "../defaults.js";
import { fakeExecutor, type TaskExecutor } from "../executor.js";
import { describeStore } from "../store/store.js";
import type { NodeDescription } from "../types.js";
import { applyAction, validateAction, type SwarmAction } from "./actions.js";
import { GOSSIP_TIMER, gossipDeliver, gossipTimer, newGossip } from "./gossip.js";
import { isRaftMessage, isSwimMessage, type DispatcherMessage, type HostState, type SwarmMessage, type SwarmState } from "./state.js";
import { Work, emptyHost, type DaemonConfig } from "./work.js";

export interface SwarmModelOptions {
  /** Runs the tasks (default: the fake executor, timed plans). */
  readonly executor?: TaskExecutor<any>;
  /** SWIM parameters of the gossip (default NETWORKDB_GOSSIP: memberlist's LAN configuration and networkdb's reconnect). */
  readonly gossip?: SwimParams;
  /** Raft timing (default SwarmKit's: 1 s ticks, election after 10-20 ticks, CheckQuorum). */
  readonly raft?: Partial<RaftOptions>;
  /** dispatcher.go: period 5 s, epsilon 0.5 s, grace multiplier 3. */
  readonly heartbeatPeriodUs?: number;
  readonly heartbeatEpsilonUs?: number;
  readonly graceMultiplier?: number;
  /** The scheduler's commit debounce (50 ms). */
  readonly debounceUs?: number;
  /** What each host is (CPUs, memory, labels, platform); default 4 CPUs, 8 GiB, linux/x86_64. */
  readonly describe?: (host: string) => Partial<NodeDescription>;
  readonly records?: boolean;
}

export const SWARM_RAFT_OPTIONS: RaftOptions = {
  ...DEFAULT_OPTIONS,
  electionTimeoutMin: RAFT.electionTimeoutMinUs,
  electionTimeoutMax: RAFT.electionTimeoutMaxUs,
  heartbeatInterval: RAFT.heartbeatUs,
  checkQuorum: RAFT.checkQuorum,
  preVote: false,
  fastBacktrack: true,
};

/**
 * networkdb's memberlist: the LAN defaults, plus its reconnectNode every retryInterval (1 s,
 * libnetwork networkdb cluster.go), which tries one member it declared dead: without it the two
 * sides of a healed partition, each dead to the other, would never gossip again (memberlist
 * neither probes nor push-pulls dead members), and the endpoint tables would stay split. The
 * default (its timer draws from the gossip's random stream, which moved the golden transcripts'
 * ping times once); `gossip: LAN_DEFAULTS` gives plain memberlist.
 */
export const NETWORKDB_GOSSIP: SwimParams = { ...LAN_DEFAULTS, reconnectIntervalUs: 1_000_000 };

export function daemonConfig(o: SwarmModelOptions = {}): DaemonConfig {
  return {
    executor: o.executor ?? fakeExecutor(),
    gossip: o.gossip ?? NETWORKDB_GOSSIP,
    raft: { ...SWARM_RAFT_OPTIONS, ...(o.raft ?? {}) },
    heartbeatPeriodUs: o.heartbeatPeriodUs ?? DISPATCHER.heartbeatPeriodUs,
    heartbeatEpsilonUs: o.heartbeatEpsilonUs ?? DISPATCHER.heartbeatEpsilonUs,
    graceMultiplier: o.graceMultiplier ?? DISPATCHER.gracePeriodMultiplier,
    debounceUs: o.debounceUs ?? SCHEDULER.commitDebounceGapUs,
    records: o.records ?? true,
    describe: (host) => ({
      hostname: host,
      platform: { os: "linux", architecture: "x86_64" },
      resources: { nanoCPUs: 4e9, memoryBytes: 8 * 1024 ** 3 },
      engineLabels: {},
      engineVersion: "28.0.0",
      ...(o.describe ? o.describe(host) : {}),
    }),
  };
}

function cloneState(s: SwarmState): SwarmState {
  return { hosts: s.hosts, gossip: (s.gossip as SwimState).clone() };
}

/**
 * Swarm mode as one daemon per host of the world (dockerd's swarm component): the agent on every
 * node of a swarm, the manager (raft, the store, and on the leader the orchestrators, scheduler,
 * dispatcher and allocator) on managers, and the node's gossip member. One daemon rather than
 * three because they talk within a host through calls, not the network: composeModels routes a
 * daemon's messages to the same daemon on the other host, so an agent could not reach a manager
 * component that lived in another daemon. Raft's and SWIM's pure cores run inside it, unchanged.
 */
export interface SwarmModel extends Model<SwarmState, SwarmMessage, SwarmAction> {
  /**
   * The host's containers changed outside the executor (an engine beside the daemon: a process
   * exited, a user removed a task's container): the agent asks its executor what is due now.
   */
  wakeExecutor(state: SwarmState, node: string, ctx: SimContext<SwarmMessage>): SwarmState;
}

export function swarmModel(options: SwarmModelOptions = {}): SwarmModel {
  const cfg = daemonConfig(options);
  const work = (s: SwarmState, ctx: Parameters<Model<SwarmState, SwarmMessage>["deliver"]>[4]) => new Work(s, ctx, cfg);
  return {
    init(ctx) {
      const hosts = new Map<string, HostState>();
      for (const n of ctx.net.nodes) hosts.set(n, emptyHost(n, cfg.executor.init(n)));
      return { hosts, gossip: newGossip(cfg.gossip, ctx.net.nodes) };
    },
    deliver(state, msg, from, to, ctx) {
      // A locked manager's swarm component is not running: what reaches it is dropped.
      if (!state.hosts.has(to) || state.hosts.get(to)!.locked) return state;
      const w = work(state, ctx);
      if (isRaftMessage(msg)) w.stepRaft(to, { type: "message", from, message: msg });
      else if (isSwimMessage(msg)) {
        if (w.get(to).member) gossipDeliver(state.gossip, msg as SwimMessage, from, to, ctx);
      } else {
        const m = msg as DispatcherMessage;
        if (m.type === "Register" || m.type === "Heartbeat" || m.type === "TaskStatus" || m.type === "RaftJoin") w.dispatcher(to, from, m);
        else w.agentMessage(to, from, m);
      }
      return w.done();
    },
    timer(state, node, name, data, ctx) {
      if (!state.hosts.has(node) || state.hosts.get(node)!.locked) return state;
      if (name.startsWith(GOSSIP_TIMER)) {
        gossipTimer(state.gossip, node, name.slice(GOSSIP_TIMER.length), data, ctx);
        return state;
      }
      const w = work(state, ctx);
      if (name === "raft") w.raftTimer(node, data);
      else if (name === "control") w.controlTimer(node, data);
      else if (name === "exec") w.execTimer(node, data);
      else if (name === "raft.join") w.raftJoin(node, data);
      else if (name.startsWith("agent.")) w.agentTimer(node, name, data);
      return w.done();
    },
    wakeExecutor(state, node, ctx) {
      if (!state.hosts.get(node)?.member || state.hosts.get(node)!.locked) return state;
      const w = work(state, ctx);
      w.execWake(node);
      return w.done();
    },
    validate(state, action, net) {
      validateAction(state, action, net);
    },
    action(state, action, ctx) {
      const w = work(state, ctx);
      applyAction(w, action);
      return w.done();
    },
    crash(state, node, ctx) {
      if (!state.hosts.has(node)) return state;
      const w = work(state, ctx);
      w.crash(node);
      return w.done();
    },
    restart(state, node, ctx) {
      if (!state.hosts.has(node)) return state;
      const w = work(state, ctx);
      w.restart(node);
      return w.done();
    },
    addNode(state, node) {
      if (state.hosts.has(node)) return state;
      const hosts = new Map(state.hosts);
      hosts.set(node, emptyHost(node, cfg.executor.init(node)));
      state.gossip.addMember(node);
      return { hosts, gossip: state.gossip };
    },
    size(msg) {
      if (isSwimMessage(msg)) return messageSize(msg as SwimMessage);
      if (isRaftMessage(msg)) {
        const m = msg as RaftMessage;
        return m.type === "AppendEntries" ? 48 + 256 * m.entries.length : m.type === "InstallSnapshot" ? 4096 : 32;
      }
      const m = msg as DispatcherMessage;
      return m.type === "Assignments" ? 64 + 512 * m.tasks.length : 96;
    },
    save: (s) => cloneState(s),
    load: (saved) => cloneState(saved as SwarmState),
    describe(s) {
      const hosts: Record<string, unknown> = {};
      for (const [name, h] of [...s.hosts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        hosts[name] = {
          member: h.member,
          raft: h.raft ? { term: h.raft.term, role: h.raft.role, commit: h.raft.commitIndex, config: h.raft.config } : null,
          store: h.raft ? describeStore(h.store) : null,
          agent: h.agent ? { session: h.agent.sessionId, tasks: [...h.agent.tasks.values()].map((t) => [t.task.id, t.status.state]) } : null,
          exec: cfg.executor.inspect(h.exec).running,
        };
      }
      const users: [string, string[]][] = [];
      for (const [k, u] of (s.gossip as SwimState).users) users.push([k, Array.from(u.held, String)]);
      return { hosts, gossip: users };
    },
  };
}
