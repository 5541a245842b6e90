import {
  DrydockError, createSimulation, type Duration, type DurationRange, type NodeId, type Simulation,
} from "@drydock/kernel";
import type { SwimMessage } from "./core/messages.js";
import type { SwimParams } from "./core/params.js";
import { SwimState } from "./core/state.js";
import { heldPayload } from "./core/swim.js";
import { resolveHeartbeatParams, resolveSwimParams, type HeartbeatParamOptions, type SwimParamOptions } from "./options.js";
import { swimMembers, swimModel, validateSwimAction, type MemberView, type SwimAction } from "./model.js";
import { heartbeatMembers, heartbeatModel, heartbeatPayload } from "./heartbeat-model.js";
import type { HeartbeatMessage } from "./heartbeat/messages.js";
import type { HeartbeatParams } from "./heartbeat/params.js";
import { HeartbeatState } from "./heartbeat/state.js";

export type Protocol = "swim" | "heartbeat";

export interface SwimClusterOptions extends SwimParamOptions, HeartbeatParamOptions {
  /** Founding members, named "m1".."mN". */
  readonly size: number;
  readonly seed?: string | number;
  readonly protocol?: Protocol;
  /** One-way latency, uniform over [min, max] (default 1–5 ms, a LAN). */
  readonly latency?: DurationRange | Duration;
  /** Probability that a packet is lost. */
  readonly loss?: number;
  /** Restarted members rejoin through these (default the first three members). */
  readonly seeds?: readonly NodeId[];
  /** Kernel trace (default true); large runs turn it off. */
  readonly trace?: boolean;
  /** State-change records in the trace (default true). */
  readonly records?: boolean;
  readonly snapshotEvery?: Duration;
  readonly historyMax?: number;
}

export type ClusterMessage = SwimMessage | HeartbeatMessage;

export interface NodeCounters {
  readonly node: NodeId;
  readonly messages: number;
  readonly bytes: number;
  readonly received: number;
}

export interface Payload {
  readonly value: string;
  readonly version: number;
  readonly origin: NodeId;
}

export interface SwimCluster {
  readonly protocol: Protocol;
  /** The kernel simulation: seek, step, trace, inFlight, counters. */
  readonly sim: Simulation<SwimState | HeartbeatState, ClusterMessage, SwimAction>;
  readonly params: SwimParams | HeartbeatParams;
  /** Every node ever added, founding members first. */
  nodes(): NodeId[];
  /** Runs until virtual time `until`. */
  run(until: Duration): void;
  runFor(duration: Duration): void;
  crash(node: NodeId): void;
  restart(node: NodeId): void;
  partition(groups: readonly (readonly NodeId[])[]): void;
  heal(): void;
  /** A new member joins through `seed`; returns its id ("m<N+1>" unless named). */
  join(seed: NodeId, node?: NodeId): NodeId;
  leave(node: NodeId): void;
  publish(node: NodeId, key: string, value: string): void;
  /** `node`'s view of the membership. */
  members(node: NodeId): MemberView[];
  /** The payload version `node` holds under `key`. */
  payload(node: NodeId, key: string): Payload | undefined;
  /** Messages and bytes sent by each node. */
  counters(): NodeCounters[];
}

function latencyRange(l: DurationRange | Duration | undefined): DurationRange {
  if (l === undefined) return ["1ms", "5ms"];
  return Array.isArray(l) ? (l as DurationRange) : [l as Duration, l as Duration];
}

const names = (n: number): NodeId[] => Array.from({ length: n }, (_, i) => `m${i + 1}`);

/** A SWIM (or all-to-all heartbeat) cluster on the kernel's simulated network. */
export function createSwimCluster(options: SwimClusterOptions): SwimCluster {
  const size = options.size;
  if (!Number.isInteger(size) || size < 1) throw new DrydockError("EPARAM", `invalid cluster size ${size}: want a whole number of at least 1`);
  const protocol = options.protocol ?? "swim";
  if (protocol !== "swim" && protocol !== "heartbeat") throw new DrydockError("EPARAM", `unknown protocol "${protocol}": want "swim" or "heartbeat"`);
  const nodes = names(size);
  const seeds = options.seeds ?? nodes.slice(0, 3);
  for (const s of seeds) if (!nodes.includes(s)) throw new DrydockError("EJOIN", `unknown seed "${s}"`);
  const params = protocol === "swim" ? resolveSwimParams(options) : resolveHeartbeatParams(options);
  const model = protocol === "swim"
    ? swimModel({ params: params as SwimParams, seeds, records: options.records ?? true })
    : heartbeatModel({ params: params as HeartbeatParams, records: options.records ?? true });
  const sim = createSimulation({
    seed: options.seed ?? 1,
    nodes,
    // UDP: packets may overtake each other.
    network: { latency: latencyRange(options.latency), loss: options.loss ?? 0, reorder: true },
    model: model as never,
    trace: options.trace ?? true,
    ...(options.snapshotEvery !== undefined ? { snapshotEvery: options.snapshotEvery } : {}),
    ...(options.historyMax !== undefined ? { historyMax: options.historyMax } : {}),
  }) as unknown as Simulation<SwimState | HeartbeatState, ClusterMessage, SwimAction>;

  const known = (node: NodeId): void => {
    if (!Object.hasOwn(sim.net.up, node)) throw new DrydockError("ENODE", `unknown node "${node}"`);
  };

  const cluster: SwimCluster = {
    protocol,
    sim,
    params,
    nodes: () => [...sim.net.nodes],
    run: (until) => sim.runUntil(until),
    runFor: (d) => sim.runFor(d),
    crash: (node) => sim.act({ type: "crash", node }),
    restart: (node) => sim.act({ type: "restart", node }),
    partition: (groups) => sim.act({ type: "partition", groups }),
    heal: () => sim.act({ type: "heal" }),
    join(seed, node) {
      let name = node;
      for (let k = sim.net.nodes.length + 1; name === undefined; k++) if (!Object.hasOwn(sim.net.up, `m${k}`)) name = `m${k}`;
      const action: SwimAction = { type: "join", node: name, seed };
      const exists = Object.hasOwn(sim.net.up, name);
      // Check the join as it will be taken, before the node is added: a failed join changes nothing.
      if (!exists) {
        const net = { ...sim.net, up: { ...sim.net.up, [name]: true } };
        validate(sim.state, action, net);
        sim.act({ type: "addNode", node: name });
      }
      sim.act(action);
      return name;
    },
    leave: (node) => sim.act({ type: "leave", node }),
    publish: (node, key, value) => sim.act({ type: "publish", node, key, value }),
    members(node) {
      known(node);
      const s = sim.state;
      return s instanceof SwimState ? swimMembers(s, node) : heartbeatMembers(s, node);
    },
    payload(node, key) {
      known(node);
      const s = sim.state;
      if (s instanceof SwimState) {
        const i = s.ids.get(node);
        const u = i === undefined ? undefined : heldPayload(s, i, key);
        return u && { value: u.value, version: u.version, origin: u.origin };
      }
      return heartbeatPayload(s, node, key);
    },
    counters() {
      const c = sim.counters;
      return sim.net.nodes.map((node, i) => ({ node, messages: c.sentBy[i] ?? 0, bytes: c.bytesBy[i] ?? 0, received: c.receivedBy[i] ?? 0 }));
    },
  };
  return cluster;

  function validate(state: SwimState | HeartbeatState, action: SwimAction, net: typeof sim.net): void {
    if (state instanceof SwimState) validateSwimAction(state, action, net);
    else model.validate!(state as never, action, net);
  }
}
