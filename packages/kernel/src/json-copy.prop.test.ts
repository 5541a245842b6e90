// The trace records an endpoint action as JSON would copy it (simulation.ts jsonCopy, which
// replaced JSON.parse(JSON.stringify(action)) on every `docker run`): the copy must be what the
// JSON round trip gives, for any value, so trace hashes stay what they were.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonCopy } from "./simulation.js";
import { canonicalJson } from "./trace.js";

const roundTrip = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

describe("jsonCopy", () => {
  it("gives what JSON.parse(JSON.stringify(v)) gives, for any JSON-like value with holes JSON drops", () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: "small" },
        fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constant(NaN), fc.constant(-0),
        fc.array(tie("v"), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 5 }), tie("v"), { maxKeys: 4 }), fc.constant(-0)),
    })).v;
    fc.assert(fc.property(fc.dictionary(fc.oneof(fc.string({ maxLength: 5 }), fc.constant("__proto__")), value, { maxKeys: 5 }), (v) => {
      const copy = jsonCopy(v);
      expect(copy).toEqual(roundTrip(v));
      expect(JSON.stringify(copy)).toBe(JSON.stringify(roundTrip(v)));
      expect(canonicalJson(copy)).toBe(canonicalJson(roundTrip(v)));
    }), { numRuns: 500 });
  });

  it("copies an endpoint action into new objects, and leaves values JSON changes (a Date, a Map) to JSON", () => {
    const action = { type: "attach", endpoint: "c1@h1", host: "h1", path: ["c1:eth0", "veth1", "docker0"] };
    const copy = jsonCopy(action) as typeof action;
    expect(copy).toEqual(action);
    expect(copy).not.toBe(action);
    expect(copy.path).not.toBe(action.path);
    expect(jsonCopy({ at: new Date(0), m: new Map([[1, 2]]) })).toEqual({ at: "1970-01-01T00:00:00.000Z", m: {} });
  });
});
