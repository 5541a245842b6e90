/**
 * SWIM's knobs, with the defaults of HashiCorp memberlist's DefaultLANConfig (config.go), and
 * the Lifeguard refinements (Dadgar, Phillips, Currey, 2018) as switches. Times are integer
 * microseconds, like the kernel's.
 */
export interface SwimParams {
  /** Protocol period T' (SWIM §3.1); memberlist ProbeInterval, 1 s on a LAN. */
  readonly probeIntervalUs: number;
  /** How long to wait for a direct ack before asking others; memberlist ProbeTimeout, 500 ms. */
  readonly probeTimeoutUs: number;
  /** k, the members asked to ping-req (SWIM §3.1); memberlist IndirectChecks, 3. */
  readonly indirectChecks: number;
  /** Suspicion timeout = mult × max(1, log10 n) × probe interval; memberlist SuspicionMult, 4. */
  readonly suspicionMult: number;
  /** Lifeguard: the timeout starts at this multiple of the minimum; memberlist SuspicionMaxTimeoutMult, 6. */
  readonly suspicionMaxTimeoutMult: number;
  /** λ: each update is retransmitted mult × ceil(log10(n + 1)) times; memberlist RetransmitMult, 4. */
  readonly retransmitMult: number;
  /** memberlist GossipInterval (200 ms) and GossipNodes (3): extra gossip of pending updates; 0 nodes disables it. */
  readonly gossipIntervalUs: number;
  readonly gossipNodes: number;
  /** Keep gossiping to a member this long after declaring it dead, so it can refute; 30 s. */
  readonly gossipToTheDeadUs: number;
  /** Full state exchange with one member (scaled up past 32 members); 30 s; 0 disables it. */
  readonly pushPullIntervalUs: number;
  /**
   * Docker networkdb's reconnectNode: every interval, try to rejoin one member declared dead
   * (retryInterval, 1 s, in Docker). Not part of memberlist: 0 (off) by default here.
   */
  readonly reconnectIntervalUs: number;
  /** memberlist UDPBufferSize: piggybacked updates fill a packet up to this many bytes. */
  readonly udpBufferSize: number;
  /** Lifeguard local health awareness: probe interval × (score + 1), score < max; AwarenessMaxMultiplier, 8. */
  readonly awarenessMaxMultiplier: number;
  /** Lifeguard switches. With all off the protocol is memberlist before Lifeguard (fixed suspicion timeout, no nacks). */
  readonly lifeguard: LifeguardOptions;
}

export interface LifeguardOptions {
  /** Local health awareness (LHA-Probe): a node that misses nacks slows its own probing. */
  readonly localHealth: boolean;
  /** Dynamic suspicion timeouts (LHA-Suspicion): start long, shrink with independent confirmations. */
  readonly dynamicSuspicion: boolean;
  /** Buddy system: a ping to a suspect carries the suspicion, so the suspect can refute at once. */
  readonly buddySystem: boolean;
}

export const LIFEGUARD_ON: LifeguardOptions = { localHealth: true, dynamicSuspicion: true, buddySystem: true };
export const LIFEGUARD_OFF: LifeguardOptions = { localHealth: false, dynamicSuspicion: false, buddySystem: false };

/** memberlist DefaultLANConfig, Lifeguard on (as memberlist ships since 0.1.0). */
export const LAN_DEFAULTS: SwimParams = {
  probeIntervalUs: 1_000_000,
  probeTimeoutUs: 500_000,
  indirectChecks: 3,
  suspicionMult: 4,
  suspicionMaxTimeoutMult: 6,
  retransmitMult: 4,
  gossipIntervalUs: 200_000,
  gossipNodes: 3,
  gossipToTheDeadUs: 30_000_000,
  pushPullIntervalUs: 30_000_000,
  reconnectIntervalUs: 0,
  udpBufferSize: 1400,
  awarenessMaxMultiplier: 8,
  lifeguard: LIFEGUARD_ON,
};

/** memberlist util.go suspicionTimeout: mult × max(1, log10(max(1, n))) × interval, kept to the millisecond. */
export function suspicionTimeoutUs(mult: number, n: number, intervalUs: number): number {
  const nodeScale = Math.max(1, Math.log10(Math.max(1, n)));
  return Math.floor((mult * Math.floor(nodeScale * 1000) * intervalUs) / 1000);
}

/** memberlist util.go retransmitLimit: mult × ceil(log10(n + 1)). */
export function retransmitLimit(mult: number, n: number): number {
  return mult * Math.ceil(Math.log10(n + 1));
}

/** memberlist util.go pushPullScale: past 32 members the interval grows with log2 n. */
export function pushPullScaleUs(intervalUs: number, n: number): number {
  if (n <= 32) return intervalUs;
  return (Math.ceil(Math.log2(n) - Math.log2(32)) + 1) * intervalUs;
}

/**
 * memberlist suspicion.go remainingSuspicionTime: the timeout falls from max toward min as
 * log(n + 1) / log(k + 1) of the k wanted confirmations arrive, floored to the millisecond.
 */
export function suspicionTimeoutAfter(confirmations: number, k: number, minUs: number, maxUs: number): number {
  if (k <= 0) return minUs;
  const frac = Math.log(confirmations + 1) / Math.log(k + 1);
  const raw = maxUs - frac * (maxUs - minUs);
  const timeout = Math.floor(raw / 1000) * 1000;
  return timeout < minUs ? minUs : timeout;
}
