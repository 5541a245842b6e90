import { describe, expect, it } from "vitest";
import { base64ErrorAt, decodeText, encodeText } from "./base64.js";

describe("base64 (Go's StdEncoding)", () => {
  it("encodes as base64 -w0 does, and back", () => {
    // The course's `echo -n admin | base64` and `echo -n 1f2d1e2e67df | base64`.
    expect(encodeText("admin")).toBe("YWRtaW4=");
    expect(encodeText("1f2d1e2e67df")).toBe("MWYyZDFlMmU2N2Rm");
    expect(encodeText("")).toBe("");
    expect(encodeText("é")).toBe("w6k=");
    expect(decodeText("YWRtaW4=")).toBe("admin");
  });
  it("finds where decoding fails, as CorruptInputError's offset", () => {
    expect(base64ErrorAt("YWRtaW4=")).toBe(-1);
    expect(base64ErrorAt("YWRt\naW4=")).toBe(-1);
    expect(base64ErrorAt("admin")).toBe(4);
    expect(base64ErrorAt("ad*n")).toBe(2);
    expect(base64ErrorAt("YW=a")).toBe(2);
    expect(base64ErrorAt("YWRtaW4=YQ==")).toBe(8);
  });
});
