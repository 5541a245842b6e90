import { describe, expect, it } from "vitest";
import { DrydockError } from "./errors.js";
import { formatDuration, parseDuration, parseRange } from "./time.js";

describe("parseDuration (Go's time.ParseDuration units: us, ms, s, m, h)", () => {
  it.each([
    ["150ms", 150_000],
    ["5s", 5_000_000],
    ["1m30s", 90_000_000],
    ["1.5s", 1_500_000],
    ["250us", 250],
    ["250µs", 250],
    ["1h", 3_600_000_000],
    ["0", 0],
    [" 2s ", 2_000_000],
  ])("%s is %i µs", (text, us) => {
    expect(parseDuration(text)).toBe(us);
  });

  it("takes a bare number as microseconds", () => {
    expect(parseDuration(1234)).toBe(1234);
  });

  it.each(["5 parsecs", "5", "", "ms", "1.5", "-3s", "3sms", "1e3ms", "0.0000001s"])("rejects %j with a clear error", (text) => {
    expect(() => parseDuration(text)).toThrow(DrydockError);
  });

  it("says where the text went wrong", () => {
    try {
      parseDuration("5 parsecs");
      expect.unreachable();
    } catch (e) {
      const err = e as DrydockError;
      expect(err.code).toBe("EDURATION");
      expect(err.message).toContain('invalid duration "5 parsecs"');
      expect(err.location).toEqual({ line: 1, column: 1 });
    }
  });

  it.each([-1, 1.5, Number.NaN, Infinity])("rejects the number %d", (n) => {
    expect(() => parseDuration(n)).toThrow(DrydockError);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [150_000, "150ms"],
    [90_000_000, "1m30s"],
    [1_500_000, "1.5s"],
    [250, "250µs"],
    [3_600_000_000, "1h0m0s"],
  ])("%i µs prints as %s", (us, text) => {
    expect(formatDuration(us)).toBe(text);
  });

  it("round-trips what it prints", () => {
    for (const us of [1, 999, 1_000, 1_234_000, 61_000_000, 3_725_500_000]) {
      expect(parseDuration(formatDuration(us))).toBe(us);
    }
  });
});

describe("parseRange", () => {
  it("parses [min, max] and a single value", () => {
    expect(parseRange(["150ms", "300ms"])).toEqual([150_000, 300_000]);
    expect(parseRange("5ms")).toEqual([5_000, 5_000]);
  });
  it("rejects max below min", () => {
    expect(() => parseRange(["300ms", "150ms"], "election timeout")).toThrow(/invalid election timeout: max 150ms is below min 300ms/);
  });
});
