// Fuzzing the playground's shell parser (packages/playground/src/shell) through the testkit's
// arbitraries: lines from the grammar are complete and run without a syntax error; mutated and
// random lines never throw, and a line the parser rejects runs nothing (the world is as it was).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPlayground, isComplete } from "@drydock/playground";
import { mutated, shellLine } from "./index.js";
import { scaled } from "./fuzz.test-util.js";

export const RUNS = scaled({ complete: 3000, valid: 300, mutated: 600, isComplete: 5000 });

const SYNTAX = /syntax error|unexpected/;

describe("the shell parser, fuzzed", () => {
  it(`${RUNS.complete} lines from the grammar are complete (no open quote, heredoc or compound)`, () => {
    fc.assert(fc.property(shellLine(), (line) => {
      expect(isComplete(line), line).toBe(true);
    }), { numRuns: RUNS.complete });
  });

  it(`isComplete never throws on ${RUNS.isComplete} mutated or random texts`, () => {
    fc.assert(fc.property(fc.oneof(mutated(shellLine()), fc.string({ maxLength: 40 }), fc.string({ maxLength: 20, unit: "binary" })), (text) => {
      expect(typeof isComplete(text)).toBe("boolean");
    }), { numRuns: RUNS.isComplete });
  });

  it(`${RUNS.valid} lines from the grammar run at the prompt without a syntax error and never throw`, () => {
    const pg = createPlayground({ seed: 8 });
    fc.assert(fc.property(shellLine(), (line) => {
      const r = pg.exec(line);
      if (pg.busy()) pg.interrupt();
      expect(Number.isInteger(r.exitCode)).toBe(true);
      expect(r.stderr, line).not.toMatch(SYNTAX);
      expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    }), { numRuns: RUNS.valid });
  }, 120_000);

  // Found by this fuzzing: the playground's shell had no `case ... esac` (POSIX 2.9.4.3).
  it("case ... esac runs as bash runs it", () => {
    const r = createPlayground({ seed: 1 }).exec("case hello in a|b) echo no;; h*) echo yes;; esac");
    expect(r).toMatchObject({ exitCode: 0, stdout: "yes\n" });
  });

  it(`${RUNS.mutated} mutated lines never throw; one the parser rejects runs nothing`, () => {
    const pg = createPlayground({ seed: 9 });
    pg.exec("mkdir -p /root/w && cd /root/w && touch a.txt");
    let rejected = 0;
    fc.assert(fc.property(mutated(shellLine(), { editsMax: 3 }).filter((l) => isComplete(l)), (line) => {
      const before = pg.worldHash();
      const r = pg.exec(line);
      if (pg.busy()) pg.interrupt();
      expect(Number.isInteger(r.exitCode)).toBe(true);
      expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
      if (r.exitCode === 2 && SYNTAX.test(r.stderr)) {
        rejected++;
        expect(pg.worldHash(), line).toBe(before);
      }
    }), { numRuns: RUNS.mutated });
    expect(rejected).toBeGreaterThan(0);
  }, 120_000);
});
