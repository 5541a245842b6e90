import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DrydockError } from "@drydock/kernel";
import { parseDockerfile } from "./parser.js";
import { ShellLex } from "./lex.js";
import { compileDockerfile } from "../build/instructions.js";

const fragments = [
  "FROM ", "RUN ", "CMD ", "ENV ", "ARG ", "COPY ", "ADD ", "LABEL ", "ONBUILD ", "HEALTHCHECK ", "SHELL ", "USER ", "WORKDIR ",
  "EXPOSE ", "VOLUME ", "ENTRYPOINT ", "STOPSIGNAL ", "MAINTAINER ", "FOO ", "alpine", " AS x", "--from=a ", "--", "=", "\"", "'",
  "[", "]", ",", "\\", "`", "\n", "\r\n", "\t", " ", "#", "# escape=`\n", "# syntax=docker/dockerfile:1\n", "<<EOF", "EOF", "<<-'E'\n",
  "$", "${", "}", ":-", ":+", "a", "b=c", "CMD", "NONE", "\uFEFF",
  // Heredoc markers in their variants, JSON edge cases and non-ASCII (Go's unicode.IsSpace and UTF-16 pairs).
  "<<", "<< ", "3<<", "<<\"E\"", "E\n", "\tEOF", '["a", ]', '["a"]', "[1]", "\\u00", "\u0085", "\u00a0", "é", "😀", "\ud800",
];

const dockerfileText = fc.array(fc.constantFrom(...fragments), { maxLength: 40 }).map((parts) => parts.join(""));

function onlyTyped(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DrydockError);
  }
}

describe("Dockerfile parser properties (issue 5)", () => {
  it("parse never throws anything but the typed error", () => {
    // Any UTF-16 text too ("binary" units include lone surrogates), not only ASCII.
    const anyText = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }));
    fc.assert(
      fc.property(fc.oneof(dockerfileText, anyText), (text) => {
        try {
          parseDockerfile(text);
        } catch (e) {
          // The typed error, with the line it is about (issue 5: errors carry line and column).
          expect(e).toBeInstanceOf(DrydockError);
          expect((e as DrydockError).location?.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("compiling (the build's instruction checks) never throws anything but the typed error, with a line", () => {
    fc.assert(
      fc.property(dockerfileText, (text) => {
        try {
          compileDockerfile(text);
        } catch (e) {
          expect(e).toBeInstanceOf(DrydockError);
          expect((e as DrydockError).location?.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("variable expansion never throws anything but the typed error", () => {
    const env = new Map([["A", "1"], ["EMPTY", ""]]);
    fc.assert(
      fc.property(fc.array(fc.constantFrom("$", "{", "}", "A", ":", "-", "+", "?", "#", "%", "'", '"', "\\", " ", "x"), { maxLength: 20 }), (parts) => {
        onlyTyped(() => new ShellLex("\\").processWords(parts.join(""), env));
      }),
      { numRuns: 3000 },
    );
  });

  it("instruction line ranges are ordered and inside the file", () => {
    fc.assert(
      fc.property(dockerfileText, (text) => {
        let r;
        try {
          r = parseDockerfile(text);
        } catch {
          return;
        }
        const lines = text.split("\n").length;
        let prev = 0;
        for (const ins of r.instructions) {
          expect(ins.startLine).toBeGreaterThan(prev);
          expect(ins.endLine).toBeGreaterThanOrEqual(ins.startLine);
          expect(ins.endLine).toBeLessThanOrEqual(lines);
          prev = ins.endLine;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
