import type { Duration, Micros } from "./time.js";
import type { EndpointId, LinkOptions, NetAction, NetState, NodeId } from "./network.js";
import type { DropReason } from "./trace.js";
import type { Rng } from "./rng.js";

// The contract between the kernel and a model, and the plain-data types of a session.

/** What a protocol message must carry: a type, for traces and labels. */
export interface Message {
  readonly type: string;
}

/** A user action the model handles (anything whose type is not a kernel NetAction). */
export interface ModelAction {
  readonly type: string;
}

/** What a model's handlers may do. They never send or sleep themselves: the kernel delivers. */
export interface SimContext<M extends Message> {
  readonly now: Micros;
  readonly net: NetState;
  /** A named stream of the run's seeded randomness (see Rng). */
  rng(stream: string): Rng;
  /** Either end may be a node or an endpoint below a host (see NetState.endpoints). */
  send(from: NodeId | EndpointId, to: NodeId | EndpointId, msg: M): void;
  /** Calls the model's timer handler for `node` at time `at`, unless the node crashed since. */
  setTimer(node: NodeId, at: Micros, name: string, data?: unknown): void;
  /** A state-change record in the trace (a role change, a member declared dead, ...). */
  record(node: NodeId | null, data: unknown): void;
  isUp(node: NodeId): boolean;
  /**
   * An endpoint below a host changes from inside the model (a container's interface joins its
   * bridge when it starts, leaves when it stops): `attach`, `detach`, `ifdown` or `ifup`, validated
   * as the user's would be, applied now and traced as a state record of its host
   * (`{ event: "endpoint", action }`), not as a user action.
   */
  endpoint(action: EndpointAction): void;
}

/** The kernel actions a model may take itself (see SimContext.endpoint). */
export type EndpointAction = Extract<NetAction, { type: "attach" | "detach" | "ifdown" | "ifup" }>;

/**
 * A model is the protocol or system under simulation, as pure handlers: each takes the state and
 * one input and returns the next state. States are immutable values (a snapshot is then a
 * reference); a model whose state is mutable for speed supplies `save` and `load` to copy it.
 */
export interface Model<S, M extends Message, A extends ModelAction = ModelAction> {
  init(ctx: SimContext<M>): S;
  deliver(state: S, msg: M, from: NodeId, to: NodeId, ctx: SimContext<M>): S;
  timer(state: S, node: NodeId, name: string, data: unknown, ctx: SimContext<M>): S;
  /** A user action of the model's own (propose, publish, ...). */
  action?(state: S, action: A, ctx: SimContext<M>): S;
  /** Throws a DrydockError when the action cannot be taken; the world is left unchanged. */
  validate?(state: S, action: A, net: NetState): void;
  /** The node lost its volatile state; its persistent state is kept. */
  crash?(state: S, node: NodeId, ctx: SimContext<M>): S;
  restart?(state: S, node: NodeId, ctx: SimContext<M>): S;
  addNode?(state: S, node: NodeId, ctx: SimContext<M>): S;
  /** Bytes on the wire, for per-node counters (default: 0). */
  size?(msg: M): number;
  save?(state: S): unknown;
  load?(saved: unknown): S;
  /** A JSON view of the state for stateHash (default: the state itself). */
  describe?(state: S): unknown;
}

export type Action<A extends ModelAction = ModelAction> = NetAction | A;

export interface ScheduledAction<A extends ModelAction = ModelAction> {
  readonly at: Duration;
  readonly action: Action<A>;
}

export interface SimulationConfig<S, M extends Message, A extends ModelAction = ModelAction> {
  readonly seed: string | number;
  readonly nodes: readonly NodeId[];
  readonly model: Model<S, M, A>;
  readonly network?: LinkOptions;
  /** Timed actions (a fault schedule, scripted proposals), part of the configuration. */
  readonly schedule?: readonly ScheduledAction<A>[];
  /** Virtual time between history snapshots (default 1s). */
  readonly snapshotEvery?: Duration;
  /** Most snapshots kept; past it every other one is dropped and the interval doubles (default 256). */
  readonly historyMax?: number;
  /** Record the trace (default true). Counters are kept either way. */
  readonly trace?: boolean;
  /** Most events at one instant before the run is declared stuck (default 1,000,000). */
  readonly eventsPerInstantMax?: number;
}

/** A message in flight. */
export interface InFlight<M extends Message = Message> {
  readonly id: number;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: M;
  readonly sentAt: Micros;
  readonly deliverAt: Micros;
  readonly size: number;
  /** Epochs of the hosts at each end when it was sent. */
  readonly fromEpoch: number;
  readonly toEpoch: number;
  /** Only for a message to or from an endpoint: the hosts it travels between and its hops. */
  readonly route?: Route;
}

/** How a message to or from an endpoint travels. */
export interface Route {
  readonly fromHost: NodeId;
  readonly toHost: NodeId;
  /** Every hop: the sender's hops, its host, ["wire", the other host,] the receiver's hops reversed. */
  readonly path: readonly string[];
}

/** A user action in the session log: applied when the run reaches event number `index`. */
export interface LoggedAction<A extends ModelAction = ModelAction> {
  readonly index: number;
  readonly at: Micros;
  readonly action: Action<A>;
}

/** Everything needed to reproduce a session, given the same model configuration. */
export interface Session<A extends ModelAction = ModelAction> {
  readonly version: 1;
  readonly seed: string;
  readonly actions: readonly LoggedAction<A>[];
}

export interface Counters {
  sent: number;
  delivered: number;
  duplicated: number;
  dropped: Record<DropReason, number>;
  /** Per node, in net.nodes order. */
  sentBy: number[];
  bytesBy: number[];
  receivedBy: number[];
}

export interface HistoryInfo {
  readonly snapshots: number;
  readonly snapshotEveryUs: Micros;
  readonly historyMax: number;
  /** The furthest time this session has reached (the end of the timeline). */
  readonly horizonUs: Micros;
  readonly horizonEvents: number;
}
