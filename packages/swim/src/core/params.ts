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

// The timeouts below follow memberlist's float formulas (log10, log2, log) but are computed
// with integers only: the language leaves Math.log and friends approximate
// (Math.log(1000) / Math.LN10 is 2.9999999999999996 here), so another engine could floor to a
// different millisecond and give a different trace. Integers give the same answer everywhere.

/** Smallest d ≥ 0 with base^d ≥ x (ceil(log_base x) for x ≥ 1; 0 for x ≤ 1). */
function ceilLog(base: number, x: number): number {
  let d = 0;
  for (let p = 1; p < x; p *= base) d++;
  return d;
}

const milliLog10Memo = new Map<number, number>();
/** Filled in below, once log2Fixed is defined. */
let LOG2_10 = 0n;
/** How close to a boundary the fixed-point quotient must be before it is checked exactly. */
const NEAR = 1n << 16n;

/** floor(1000 × log10 n) for a whole n ≥ 1, exactly: the largest k with 10^k ≤ n^1000. */
export function milliLog10(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`milliLog10 of ${n}: want a whole number >= 1`);
  const memo = milliLog10Memo.get(n);
  if (memo !== undefined) return memo;
  // 1000 × log2(n) / log2(10) in 64-bit fixed point: each log2Fixed is short of the truth by
  // less than 2^-64, so the quotient's floor is exact unless the remainder sits within a few
  // units of a boundary; there (n a power of ten, say) settle it with BigInt powers, 10^k <= n^1000.
  const num = 1000n * log2Fixed(n);
  let k = Number(num / LOG2_10);
  const rem = num % LOG2_10;
  if (rem < NEAR || LOG2_10 - rem < NEAR) {
    const power = BigInt(n) ** 1000n;
    while (10n ** BigInt(k + 1) <= power) k++;
    while (k > 0 && 10n ** BigInt(k) > power) k--;
  }
  if (milliLog10Memo.size < 4096) milliLog10Memo.set(n, k);
  return k;
}

const Q = 64n;
/** log2Fixed of small whole numbers, kept: suspicion timeouts ask for log2(k + 1) on every confirmation (64 BigInt squarings each). */
const log2FixedMemo: bigint[] = [];
const LOG2_MEMO_MAX = 4096;

/** floor(log2(x) × 2^64) for a whole x ≥ 1, by repeated squaring: integer arithmetic only. */
export function log2Fixed(x: number): bigint {
  if (!Number.isInteger(x) || x < 1) throw new RangeError(`log2Fixed of ${x}: want a whole number >= 1`);
  if (x <= LOG2_MEMO_MAX) return (log2FixedMemo[x] ??= log2FixedExact(x));
  return log2FixedExact(x);
}

function log2FixedExact(x: number): bigint {
  let int = 0n;
  let v = BigInt(x);
  while (v >= 2n) { v >>= 1n; int++; }
  // y = x / 2^int in [1, 2), as a Q64 fixed-point number.
  let y = (BigInt(x) << Q) >> int;
  const two = 2n << Q;
  let frac = 0n;
  for (let bit = Q - 1n; bit >= 0n; bit--) {
    y = (y * y) >> Q;
    if (y >= two) { y >>= 1n; frac |= 1n << bit; }
  }
  return (int << Q) | frac;
}

LOG2_10 = log2Fixed(10);

/** memberlist util.go suspicionTimeout: mult × max(1, log10(max(1, n))) × interval, kept to the millisecond. */
export function suspicionTimeoutUs(mult: number, n: number, intervalUs: number): number {
  const milliScale = Math.max(1000, milliLog10(Math.max(1, n)));
  return Math.floor((mult * milliScale * intervalUs) / 1000);
}

/** memberlist util.go retransmitLimit: mult × ceil(log10(n + 1)). */
export function retransmitLimit(mult: number, n: number): number {
  return mult * ceilLog(10, n + 1);
}

/** memberlist util.go pushPullScale: past 32 members the interval grows with log2 n (ceil(log2(n / 32)) + 1 times). */
export function pushPullScaleUs(intervalUs: number, n: number): number {
  if (n <= 32) return intervalUs;
  return (ceilLog(2, Math.ceil(n / 32)) + 1) * intervalUs;
}

/**
 * memberlist suspicion.go remainingSuspicionTime: the timeout falls from max toward min as
 * log(n + 1) / log(k + 1) of the k wanted confirmations arrive, floored to the millisecond.
 * The ratio of logarithms is taken as a ratio of 64-bit fixed-point base-2 logarithms.
 */
export function suspicionTimeoutAfter(confirmations: number, k: number, minUs: number, maxUs: number): number {
  if (k <= 0) return minUs;
  const lc = log2Fixed(confirmations + 1);
  const lk = log2Fixed(k + 1);
  // raw = max − (max − min) × lc / lk; timeout = floor(raw / 1000) × 1000, as BigInt floor division.
  const num = BigInt(maxUs) * lk - BigInt(maxUs - minUs) * lc;
  const den = 1000n * lk;
  const q = num >= 0n ? num / den : -((-num + den - 1n) / den);
  const timeout = Number(q) * 1000;
  return timeout < minUs ? minUs : timeout;
}
