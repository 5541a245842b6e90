import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LAN_DEFAULTS, log2Fixed, milliLog10, pushPullScaleUs, retransmitLimit, suspicionTimeoutAfter, suspicionTimeoutUs } from "./params.js";

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

  it("integer arithmetic only (issue #16): exact at the powers where floats fall short, the same as floats elsewhere", () => {
    // Math.log(1000) / Math.LN10 is 2.9999999999999996: an engine computing log10 that way floors to 2999.
    for (let d = 0; d <= 5; d++) expect(milliLog10(10 ** d)).toBe(d * 1000);
    expect(milliLog10(999)).toBe(2999);
    expect(milliLog10(1001)).toBe(3000);
    for (let n = 1; n <= 3000; n += 7) expect(milliLog10(n)).toBe(Math.floor(1000 * Math.log10(n) + 1e-9));
    for (const x of [1, 2, 3, 4, 5, 7, 8, 1000, 12_345]) expect(Number(log2Fixed(x)) / 2 ** 64).toBeCloseTo(Math.log2(x), 12);
    expect(log2Fixed(4)).toBe(2n << 64n);
    for (let n = 0; n <= 5000; n += 3) expect(retransmitLimit(1, n)).toBe(Math.ceil(Math.log10(n + 1)));
    for (let n = 33; n <= 5000; n += 5) expect(pushPullScaleUs(1, n)).toBe(Math.ceil(Math.log2(n) - Math.log2(32)) + 1);
    const code = readFileSync(join(import.meta.dirname, "params.ts"), "utf8").replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "");
    expect(code).not.toMatch(/Math\.(log|log2|log10|pow|sqrt|exp)\b/);
  });
});
