// Properties of parseSelector against the testkit's reference semantics (labels.Requirement.Matches).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { labelSet, labelsAndSelector, selector, selectorMatches, selectorText } from "@drydock/testkit";
import { isKubeError } from "../errors.js";
import { parseSelector } from "./selector.js";

describe("parseSelector, drawn", () => {
  it("the canonical text parses back to itself, and matching agrees with the reference", () => {
    fc.assert(fc.property(selector(), fc.array(labelSet(), { maxLength: 4 }), (s, sets) => {
      const parsed = parseSelector(selectorText(s));
      const text = parsed.toString();
      expect(parseSelector(text).toString()).toBe(text);
      for (const labels of sets) expect(parsed.matches(labels)).toBe(selectorMatches(s, labels));
    }), { numRuns: 1000 });
  });

  it("over shared keys and values (so that matches and misses both occur), matching agrees with the reference", () => {
    let matched = 0;
    fc.assert(fc.property(labelsAndSelector(), ({ labels, selector: s }) => {
      const got = parseSelector(selectorText(s)).matches(labels);
      expect(got).toBe(selectorMatches(s, labels));
      if (got) matched++;
    }), { numRuns: 1000 });
    expect(matched).toBeGreaterThan(50);
  });

  it("gt and lt compare as int64, and fail on a value that is not an integer", () => {
    // A bound is a label value too, so it cannot start with '-': "n>-1" is refused (NewRequirement validates it).
    expect(() => parseSelector("n>-1")).toThrow(/values\[0\]\[n\]: Invalid value: "-1"/);
    const bound = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(0, 9, 10, 99)).map(String);
    const int = fc.integer({ min: -1000, max: 1000 }).map(String);
    fc.assert(fc.property(fc.constantFrom(">", "<"), bound, fc.oneof(int, fc.constantFrom("v2", "1.5", "")), (op, bound, value) => {
      const s = parseSelector(`n${op}${bound}`);
      expect(s.toString()).toBe(`n${op}${bound}`);
      const n = /^-?[0-9]+$/.test(value) ? Number(value) : null;
      const want = n !== null && (op === ">" ? n > Number(bound) : n < Number(bound));
      expect(s.matches({ n: value })).toBe(want);
      expect(s.matches({})).toBe(false);
    }), { numRuns: 500 });
  });

  it("any text either parses or fails with a located KubeError, never an exception of another kind", () => {
    const alphabet = fc.constantFrom(..."ab=!(),<> \tin notin x-._/0123\0".split(""));
    fc.assert(fc.property(fc.oneof(fc.string(), fc.array(alphabet, { maxLength: 30 }).map((a) => a.join(""))), (text) => {
      try {
        const s = parseSelector(text);
        expect(parseSelector(s.toString()).toString()).toBe(s.toString());
      } catch (e) {
        if (!isKubeError(e)) throw e;
        expect(e.message).not.toBe("");
        // Located: a column within the text (or just past its end).
        expect(e.location?.column).toBeGreaterThanOrEqual(1);
        expect(e.location!.column).toBeLessThanOrEqual(text.length + 1);
      }
    }), { numRuns: 3000 });
  });
});
