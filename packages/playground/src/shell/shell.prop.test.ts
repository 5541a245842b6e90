import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRootFs } from "../fs/index.js";
import { FsHost } from "./fshost.js";
import { isComplete } from "./parser.js";
import { runLine } from "./interp.js";
import { createSession } from "./session.js";

// Shell-flavoured characters make the interesting paths (quotes, expansions, operators) common.
const shellish = fc.string({
  unit: fc.constantFrom(..."ab $(){}[]*?~#;&|<>'\"`\\\n\t=-!:%/.0123456789xEOF".split(""), "<<", "&&", "${", "$((", "if ", "then ", "fi", "for "),
  maxLength: 40,
});

describe("any line gives a LineResult and never throws", () => {
  it("random strings through runLine on a lab machine", () => {
    fc.assert(
      fc.property(fc.oneof(shellish, fc.string({ maxLength: 30 })), (line) => {
        const host = new FsHost(createRootFs(0));
        const r = runLine(line, createSession(), host);
        expect(typeof r.stdout).toBe("string");
        expect(r.status).toBe(r.session.status);
        expect(Number.isInteger(r.status)).toBe(true);
        expect(typeof isComplete(line)).toBe("boolean");
      }),
      { numRuns: 400 },
    );
  });
});
