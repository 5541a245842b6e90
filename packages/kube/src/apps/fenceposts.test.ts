import { describe, expect, it } from "vitest";
import { isKubeError } from "../errors.js";
import { resolveFenceposts, scaledValue } from "./fenceposts.js";

describe("resolveFenceposts (deployment_util_test.go TestResolveFenceposts)", () => {
  const cases: [string | undefined, string | undefined, number, number, number][] = [
    ["0%", "0%", 0, 0, 1],
    ["39%", "39%", 10, 4, 3],
    ["39%", undefined, 10, 4, 0],
    [undefined, undefined, 10, 0, 1],
  ];
  for (const [s, u, desired, surge, unavailable] of cases) {
    it(`maxSurge ${s}, maxUnavailable ${u}, ${desired} desired -> ${surge}:${unavailable}`, () => {
      expect(resolveFenceposts(s, u, desired)).toEqual({ surge, unavailable });
    });
  }

  it("a string that is not a percentage is an error, with intstr's text", () => {
    expect(() => resolveFenceposts("oops", "39%", 10)).toThrow("invalid value for IntOrString: invalid type: string is not a percentage");
    expect(() => resolveFenceposts("55%", "urg", 10)).toThrow("invalid value for IntOrString: invalid type: string is not a percentage");
    expect(() => resolveFenceposts("x%", 1, 10)).toThrow('invalid value for IntOrString: invalid value "x%": strconv.Atoi: parsing "x": invalid syntax');
    try { resolveFenceposts("oops", 1, 3); } catch (e) { expect(isKubeError(e)).toBe(true); }
  });

  it("the defaults (25%, 25%) on common sizes: surge rounds up, unavailable rounds down", () => {
    // 25% of 10 is 2.5: ceil for surge, floor for unavailable.
    expect(resolveFenceposts("25%", "25%", 10)).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts("25%", "25%", 8)).toEqual({ surge: 2, unavailable: 2 });
    expect(resolveFenceposts("25%", "25%", 3)).toEqual({ surge: 1, unavailable: 0 });
    // One replica: surge 1, unavailable 0 (floor(0.25)).
    expect(resolveFenceposts("25%", "25%", 1)).toEqual({ surge: 1, unavailable: 0 });
  });

  it("integers are taken as they are, whatever the size", () => {
    expect(resolveFenceposts(1, 1, 2)).toEqual({ surge: 1, unavailable: 1 });
    expect(resolveFenceposts(3, 2, 10)).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts(0, 0, 5)).toEqual({ surge: 0, unavailable: 1 });
    expect(scaledValue(7, 100, false)).toBe(7);
  });
});
