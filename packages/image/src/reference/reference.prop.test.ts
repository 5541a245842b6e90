import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DrydockError } from "@drydock/kernel";
import { parseReference } from "./reference.js";

const refChars = fc.constantFrom(..."abcXYZ019:/@._-[]sha256 ".split(""));

describe("parseReference properties", () => {
  it("never throws anything but DrydockError (issue 5: parse never throws anything but the typed error)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: refChars, maxLength: 40 })), (text) => {
        try {
          parseReference(text);
        } catch (e) {
          expect(e).toBeInstanceOf(DrydockError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("canonical form is a fixed point: parse(toString(r)) == r, and familiar parses back to the same", () => {
    const component = fc.stringMatching(/^[a-z0-9]{1,6}(?:[._-][a-z0-9]{1,4})?$/);
    const arb = fc.record({
      host: fc.option(fc.constantFrom("localhost:5000", "example.com", "docker.io", "index.docker.io", "10.0.0.1:80"), { nil: undefined }),
      parts: fc.array(component, { minLength: 1, maxLength: 3 }),
      tag: fc.option(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,8}$/), { nil: undefined }),
    });
    fc.assert(
      fc.property(arb, ({ host, parts, tag }) => {
        const text = (host ? `${host}/` : "") + parts.join("/") + (tag ? `:${tag}` : "");
        const ref = parseReference(text);
        expect(parseReference(ref.toString()).toString()).toBe(ref.toString());
        // A Hub namespace with a "." (docker.io/0.a/b) familiarises to "0.a/b", which reads back as a host:
        // distribution/reference has the same asymmetry, pinned in reference.test.ts.
        const first = ref.familiar.split("/")[0]!;
        if (!(ref.familiar.includes("/") && /[.:]/.test(first)) || ref.domain !== "docker.io") {
          expect(parseReference(ref.familiar).toString()).toBe(ref.toString());
        }
      }),
    );
  });
});
