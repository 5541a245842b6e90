// The digests the image package writes (layer diff IDs, cache keys, content digests, the engine's
// endpoint and sandbox IDs) are sha256 from @noble/hashes: reusing one hasher between calls, and
// remembering recent digests, must give exactly the library's one-shot digest for every text.
import fc from "fast-check";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import { rememberedDigest, sha256Digest } from "./hash.js";

const oneShot = (text: string) => `sha256:${bytesToHex(sha256(utf8ToBytes(text)))}`;

describe("sha256Digest", () => {
  it("is the library's sha256 of the UTF-8 text, call after call (short, block-sized, long, non-ASCII)", () => {
    const lengths = fc.oneof(fc.constantFrom(0, 1, 55, 56, 63, 64, 65, 119, 120, 128), fc.nat({ max: 600 }));
    const text = fc.oneof(
      lengths.chain((n) => fc.string({ minLength: n, maxLength: n })),
      fc.string({ unit: "grapheme", maxLength: 80 }),
    );
    fc.assert(fc.property(fc.array(text, { minLength: 1, maxLength: 5 }), (texts) => {
      for (const t of texts) expect(sha256Digest(t)).toBe(oneShot(t));
    }), { numRuns: 400 });
  });

  it("known vectors (FIPS 180-2: \"abc\"; the empty string)", () => {
    expect(sha256Digest("abc")).toBe("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Digest("")).toBe("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("remembered digests are the digests, however often and in whatever order they are asked", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom("a", "b", "layer\0f", "x".repeat(300)), { maxLength: 20 }), (texts) => {
      for (const t of texts) expect(rememberedDigest(t)).toBe(oneShot(t));
    }));
  });
});
