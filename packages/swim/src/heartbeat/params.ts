/**
 * The all-to-all heartbeat baseline's parameters (resolved from durations in ../options.ts).
 */
export interface HeartbeatParams {
  readonly heartbeatIntervalUs: number;
  readonly heartbeatTimeoutUs: number;
}
