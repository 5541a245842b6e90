import { describe, expect, it } from "vitest";
import { LAN_DEFAULTS, pushPullScaleUs, retransmitLimit, suspicionTimeoutAfter, suspicionTimeoutUs } from "./params.js";

const S = 1_000_000;
const MS = 1_000;

describe("memberlist's LAN defaults and formulas (config.go, util.go, suspicion.go)", () => {
  it("DefaultLANConfig: probe 1 s, timeout 500 ms, k = 3, suspicion ×4 (max ×6), retransmit ×4, gossip 200 ms to 3", () => {
    expect(LAN_DEFAULTS).toMatchObject({
      probeIntervalUs: 1 * S, probeTimeoutUs: 500 * MS, indirectChecks: 3, suspicionMult: 4,
      suspicionMaxTimeoutMult: 6, retransmitMult: 4, gossipIntervalUs: 200 * MS, gossipNodes: 3,
      gossipToTheDeadUs: 30 * S, pushPullIntervalUs: 30 * S, awarenessMaxMultiplier: 8, udpBufferSize: 1400,
    });
  });

  it("util.go suspicionTimeout: mult × max(1, log10 n) × interval (util_test.go TestSuspicionTimeout)", () => {
    const cases: [number, number][] = [[5, 1000], [10, 1000], [50, 1698], [100, 2000], [500, 2698], [1000, 3000]];
    for (const [n, ms] of cases) expect(Math.floor(suspicionTimeoutUs(3, n, S) / 3)).toBe(ms * MS);
    expect(suspicionTimeoutUs(4, 10_000, S)).toBe(16 * S);
  });

  it("util.go retransmitLimit: mult × ceil(log10(n + 1)) (util_test cases)", () => {
    expect(retransmitLimit(3, 0)).toBe(0);
    expect(retransmitLimit(3, 1)).toBe(3);
    expect(retransmitLimit(3, 99)).toBe(6);
    expect(retransmitLimit(4, 1000)).toBe(16);
  });

  it("util.go pushPullScale: unchanged up to 32 members, then × (ceil(log2 n − log2 32) + 1)", () => {
    expect(pushPullScaleUs(30 * S, 32)).toBe(30 * S);
    expect(pushPullScaleUs(30 * S, 33)).toBe(60 * S);
    expect(pushPullScaleUs(30 * S, 1000)).toBe(180 * S);
    expect(pushPullScaleUs(30 * S, 10_000)).toBe(300 * S);
  });

  it("suspicion.go remainingSuspicionTime: falls from max to min as confirmations reach k (suspicion_test.go)", () => {
    // The cases of TestSuspicion_remainingSuspicionTime: k = 3, min 2 s, max 30 s, remaining = timeout − elapsed.
    const cases: [number, number, number][] = [[0, 0, 30_000], [1, 2_000, 14_000], [2, 3_000, 4_810], [3, 4_000, -2_000], [4, 5_000, -3_000], [5, 10_000, -8_000]];
    for (const [n, elapsedMs, remainingMs] of cases) {
      expect(suspicionTimeoutAfter(n, 3, 2 * S, 30 * S) - elapsedMs * MS).toBe(remainingMs * MS);
    }
    expect(suspicionTimeoutAfter(0, 0, 2 * S, 30 * S)).toBe(2 * S);
  });
});
