// Fuzzing the Go template parser and executor (packages/playground/src/format) through
// `docker images --format` and `docker image inspect --format` at the prompt: templates from
// text/template's grammar over the context's fields run; mutated ones fail with Docker's
// "template parsing error" and change nothing; none throws.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IMAGE_FORMAT_HEADERS } from "@drydock/image";
import { createPlayground } from "@drydock/playground";
import { goTemplate, mutated } from "./index.js";
import { scaled } from "./fuzz.test-util.js";

export const RUNS = scaled({ valid: 400, mutated: 600 });

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const FIELDS = Object.keys(IMAGE_FORMAT_HEADERS).filter((f) => f !== "Containers" && f !== "SharedSize" && f !== "UniqueSize");

function seeded() {
  const pg = createPlayground({ seed: 4 });
  pg.exec("docker pull alpine:3.5");
  pg.exec("docker tag alpine:3.5 localhost:5000/team/app:v1");
  return pg;
}

describe("Go templates (--format), fuzzed", () => {
  it(`${RUNS.valid} templates from the grammar over docker images' fields run (exit 0), one line per image`, () => {
    const pg = seeded();
    fc.assert(fc.property(goTemplate(FIELDS).filter((t) => !t.includes("\n")), (t) => {
      const r = pg.exec(`docker images --format ${quote(t)}`);
      expect(r.stderr, t).toBe("");
      expect(r.exitCode).toBe(0);
    }), { numRuns: RUNS.valid });
  }, 120_000);

  it(`${RUNS.mutated} mutated templates never throw; a failing one says "template parsing error" and changes nothing`, () => {
    const pg = seeded();
    let failed = 0;
    fc.assert(fc.property(mutated(goTemplate(FIELDS), { editsMax: 3 }), fc.boolean(), (t, inspect) => {
      const before = pg.worldHash();
      const line = inspect ? `docker image inspect --format ${quote(t)} alpine:3.5` : `docker images --format ${quote(t)}`;
      const r = pg.exec(line);
      if (pg.busy()) pg.interrupt();
      expect(Number.isInteger(r.exitCode)).toBe(true);
      expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
      expect(pg.worldHash()).toBe(before);
      if (r.exitCode !== 0 && /^docker/.test(line)) {
        failed++;
        expect(r.stderr, t).toMatch(/template|unexpected|No such|flag|Error/);
      }
    }), { numRuns: RUNS.mutated });
    expect(failed).toBeGreaterThan(0);
  }, 120_000);
});
