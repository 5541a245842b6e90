import { DrydockError, parseDuration, type Duration } from "@drydock/kernel";
import { LAN_DEFAULTS, LIFEGUARD_OFF, LIFEGUARD_ON, type LifeguardOptions, type SwimParams } from "./core/params.js";
import type { HeartbeatParams } from "./heartbeat/params.js";

/** SWIM parameters as a user gives them: durations as text ("1s", "500ms") or microseconds. */
export interface SwimParamOptions {
  readonly probeInterval?: Duration;
  readonly probeTimeout?: Duration;
  readonly indirectChecks?: number;
  readonly suspicionMult?: number;
  readonly suspicionMaxTimeoutMult?: number;
  readonly retransmitMult?: number;
  readonly gossipInterval?: Duration;
  readonly gossipNodes?: number;
  readonly gossipToTheDead?: Duration;
  /** "0" disables periodic full state exchange (joins still use one). */
  readonly pushPullInterval?: Duration;
  /** Docker networkdb's reconnect to a failed member every interval ("1s" in Docker); default off. */
  readonly reconnectInterval?: Duration;
  readonly udpBufferSize?: number;
  readonly awarenessMaxMultiplier?: number;
  /** true (default) or false for all of Lifeguard, or each refinement by name. */
  readonly lifeguard?: boolean | Partial<LifeguardOptions>;
}

function duration(name: string, value: Duration | undefined, def: number, positive: boolean): number {
  if (value === undefined) return def;
  if (typeof value === "number" && value < 0) {
    throw new DrydockError("EPARAM", `invalid ${name} ${value}: a duration cannot be negative`);
  }
  if (typeof value === "string" && value.trim().startsWith("-")) {
    throw new DrydockError("EPARAM", `invalid ${name} "${value}": a duration cannot be negative`);
  }
  const us = parseDuration(value);
  if (positive && us <= 0) throw new DrydockError("EPARAM", `invalid ${name} ${JSON.stringify(value)}: must be greater than zero`);
  return us;
}

function count(name: string, value: number | undefined, def: number, min: number): number {
  if (value === undefined) return def;
  if (!Number.isInteger(value) || value < min) {
    throw new DrydockError("EPARAM", `invalid ${name} ${value}: want a whole number of at least ${min}`);
  }
  return value;
}

/** Checks and fills in parameters (memberlist DefaultLANConfig for what is left out). */
export function resolveSwimParams(o: SwimParamOptions = {}): SwimParams {
  const d = LAN_DEFAULTS;
  const lg = o.lifeguard;
  const lifeguard: LifeguardOptions =
    lg === undefined || lg === true ? LIFEGUARD_ON : lg === false ? LIFEGUARD_OFF : { ...LIFEGUARD_ON, ...lg };
  const p: SwimParams = {
    probeIntervalUs: duration("probe interval", o.probeInterval, d.probeIntervalUs, true),
    probeTimeoutUs: duration("probe timeout", o.probeTimeout, d.probeTimeoutUs, true),
    indirectChecks: count("indirect checks", o.indirectChecks, d.indirectChecks, 0),
    suspicionMult: count("suspicion multiplier", o.suspicionMult, d.suspicionMult, 1),
    suspicionMaxTimeoutMult: count("suspicion max timeout multiplier", o.suspicionMaxTimeoutMult, d.suspicionMaxTimeoutMult, 1),
    retransmitMult: count("retransmit multiplier", o.retransmitMult, d.retransmitMult, 1),
    gossipIntervalUs: duration("gossip interval", o.gossipInterval, d.gossipIntervalUs, true),
    gossipNodes: count("gossip nodes", o.gossipNodes, d.gossipNodes, 0),
    gossipToTheDeadUs: duration("gossip to the dead time", o.gossipToTheDead, d.gossipToTheDeadUs, false),
    pushPullIntervalUs: duration("push/pull interval", o.pushPullInterval, d.pushPullIntervalUs, false),
    reconnectIntervalUs: duration("reconnect interval", o.reconnectInterval, d.reconnectIntervalUs, false),
    udpBufferSize: count("UDP buffer size", o.udpBufferSize, d.udpBufferSize, 128),
    awarenessMaxMultiplier: count("awareness max multiplier", o.awarenessMaxMultiplier, d.awarenessMaxMultiplier, 1),
    lifeguard,
  };
  if (p.probeTimeoutUs > p.probeIntervalUs) {
    throw new DrydockError("EPARAM", `probe timeout ${p.probeTimeoutUs}µs is longer than the probe interval ${p.probeIntervalUs}µs`);
  }
  return p;
}

/** The heartbeat baseline's parameters as a user gives them. */
export interface HeartbeatParamOptions {
  /** Default 1 s, SWIM's protocol period, so the two are compared at the same rate. */
  readonly heartbeatInterval?: Duration;
  /** Default 5 intervals. */
  readonly heartbeatTimeout?: Duration;
}

export function resolveHeartbeatParams(o: HeartbeatParamOptions): HeartbeatParams {
  const interval = o.heartbeatInterval === undefined ? 1_000_000 : positiveDuration("heartbeat interval", o.heartbeatInterval);
  const timeout = o.heartbeatTimeout === undefined ? 5 * interval : positiveDuration("heartbeat timeout", o.heartbeatTimeout);
  if (timeout < interval) throw new DrydockError("EPARAM", "heartbeat timeout is shorter than the heartbeat interval");
  if (timeout > 1500 * (interval / 10)) throw new DrydockError("EPARAM", "heartbeat timeout is longer than 150 intervals");
  return { heartbeatIntervalUs: interval, heartbeatTimeoutUs: timeout };
}

function positiveDuration(name: string, d: Duration): number {
  if ((typeof d === "number" && d < 0) || (typeof d === "string" && d.trim().startsWith("-"))) {
    throw new DrydockError("EPARAM", `invalid ${name} ${JSON.stringify(d)}: a duration cannot be negative`);
  }
  const us = parseDuration(d);
  if (us <= 0) throw new DrydockError("EPARAM", `invalid ${name} ${JSON.stringify(d)}: must be greater than zero`);
  return us;
}
