export { createSwimCluster, type SwimCluster, type SwimClusterOptions, type Protocol, type ClusterMessage, type NodeCounters, type Payload } from "./cluster.js";
export { swimModel, swimMembers, validateSwimAction, type SwimAction, type SwimModelOptions, type MemberView } from "./model.js";
export { resolveSwimParams, resolveHeartbeatParams, type SwimParamOptions, type HeartbeatParamOptions } from "./options.js";
// The all-to-all heartbeat baseline: a pure protocol in ./heartbeat/ (like ./core/), run as a kernel model.
export { heartbeatModel, heartbeatMembers, type HeartbeatModelOptions } from "./heartbeat-model.js";
export { HeartbeatState } from "./heartbeat/state.js";
export type { HeartbeatMessage } from "./heartbeat/messages.js";
export type { HeartbeatParams } from "./heartbeat/params.js";
export {
  LAN_DEFAULTS, LIFEGUARD_ON, LIFEGUARD_OFF, suspicionTimeoutUs, retransmitLimit, pushPullScaleUs, suspicionTimeoutAfter,
  type SwimParams, type LifeguardOptions,
} from "./core/params.js";
export { SwimState } from "./core/state.js";
export { ViewTable, UNKNOWN, makeKey, keyIncarnation, keyStatus, STATUS_NAMES, type Status, type StatusName } from "./core/views.js";
export { permute } from "./core/order.js";
export { messageSize, updateSize, type SwimMessage, type Update } from "./core/messages.js";
export type { ProtocolContext, RandomSource } from "./core/context.js";
// The protocol's handlers, for a driver that runs SWIM inside a larger model (swarm).
export {
  start as swimStart, stop as swimStop, join as swimJoin, leave as swimLeave, publish as swimPublish,
  onMessage as swimDeliver, onTimer as swimTimer, applyUpdate as swimApplyUpdate, heldPayload,
} from "./core/swim.js";
export { seenBy, payloadSpread, SEEN_NAMES, type SeenName, type PayloadSpread } from "./query.js";
