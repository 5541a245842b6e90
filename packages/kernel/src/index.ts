export { DrydockError, isDrydockError, type SourceLocation } from "./errors.js";
export {
  parseDuration, formatDuration, parseRange, MICROS_PER_MS, MICROS_PER_SECOND,
  type Micros, type Duration, type DurationRange,
} from "./time.js";
export { EventQueue } from "./queue.js";
export { CowMap } from "./cow-map.js";
export { Rng, type RngState } from "./rng.js";
export {
  createNetState, applyNetAction, validateNetAction, isNetAction, connected, linkKey, makeLink, NET_ACTION_TYPES,
  type NodeId, type EndpointId, type Endpoint, type NetState, type NetAction, type LinkParams, type LinkOptions,
} from "./network.js";
export { TraceHasher, canonicalHash, canonicalJson, DROP_REASONS, type TraceRecord, type TraceType, type DropReason } from "./trace.js";
export {
  Simulation, createSimulation, replaySession,
  type Model, type Message, type ModelAction, type Action, type SimContext, type EndpointAction, type SimulationConfig,
  type ScheduledAction, type InFlight, type Route, type LoggedAction, type Session, type Counters, type HistoryInfo,
} from "./simulation.js";
export { composeModels, type ComposedState, type ComposedAction, type DaemonMessage, type DaemonRecord, type Daemons } from "./compose.js";
export { LOCAL_LATENCY_US } from "./transport.js";
export type { BenchResult, BenchSuite } from "./bench.js";
export { pinger, NODES as PINGER_NODES, type PingMsg, type PingState, type PingAction } from "./testing/pinger.js";
