// Fuzzing the Dockerfile parser (packages/image, BuildKit's) and the build through the testkit's
// arbitraries: valid Dockerfiles from the instruction grammar parse to exactly the instructions
// drawn and compile; mutated ones fail only with the typed error and a line; and `docker build`
// at the playground's prompt never throws, and a failed one leaves the world as it was (but for
// BuildKit's cache and the base it pulled, which a failed build keeps).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DrydockError } from "@drydock/kernel";
import { compileDockerfile, parseDockerfile } from "@drydock/image";
import { createPlayground, describeWorld } from "@drydock/playground";
import { dockerfile, mutatedDockerfile } from "./index.js";
import { scaled } from "./fuzz.test-util.js";

export const RUNS = scaled({ valid: 1500, mutated: 3000, build: 200 });

describe("the Dockerfile parser, fuzzed", () => {
  it(`parses ${RUNS.valid} valid Dockerfiles from the grammar to exactly the instructions drawn, and compiles them`, () => {
    fc.assert(fc.property(dockerfile(), (d) => {
      const parsed = parseDockerfile(d.text);
      expect(parsed.escape).toBe(d.escape);
      expect(parsed.instructions.map((i) => i.keyword)).toEqual(d.instructions.map((i) => i.keyword));
      expect(parsed.instructions.map((i) => i.json)).toEqual(d.instructions.map((i) => i.json));
      expect(parsed.instructions.map((i) => i.heredocs.length)).toEqual(d.instructions.map((i) => i.heredocs));
      const compiled = compileDockerfile(d.text);
      expect(compiled.stages.length).toBe(d.instructions.filter((i) => i.keyword === "from").length);
    }), { numRuns: RUNS.valid });
  });

  it(`fails only with the typed error and a line on ${RUNS.mutated} mutated Dockerfiles (parse and compile)`, () => {
    let failed = 0;
    fc.assert(fc.property(mutatedDockerfile(), (text) => {
      for (const f of [() => parseDockerfile(text), () => compileDockerfile(text)]) {
        try {
          f();
        } catch (e) {
          if (!(e instanceof DrydockError)) throw e;
          expect(e.location?.line ?? 0, e.message).toBeGreaterThanOrEqual(1);
          failed++;
        }
      }
    }), { numRuns: RUNS.mutated });
    // The mutations do break things (otherwise this says nothing).
    expect(failed).toBeGreaterThan(RUNS.mutated / 10);
  });
});

/** The parts of the world a failed build must not touch: files, containers, volumes, registries. */
function untouchable(pg: ReturnType<typeof createPlayground>) {
  const w = describeWorld(pg.world) as { hosts: Record<string, Record<string, unknown>>; registries: unknown };
  const h = w.hosts["node1"]!;
  // Tags the builds here make (fuzz:N) must neither appear nor move; a base a build pulled may.
  const tags = (h["tags"] as string[]).filter((t) => t.startsWith("fuzz:"));
  return JSON.stringify({ fs: h["fs"], containers: h["containers"], volumes: h["volumes"], logins: h["logins"], registries: w.registries, tags });
}

describe("docker build at the prompt, fuzzed", () => {
  it(`never throws on ${RUNS.build} drawn or mutated Dockerfiles; a failed build changes nothing but the build cache and pulled bases`, () => {
    const pg = createPlayground({ seed: 5 });
    pg.exec("mkdir -p /root/ctx/app /root/ctx/src && printf 'x\\n' > /root/ctx/app.py && printf 'y\\n' > /root/ctx/requirements.txt");
    let built = 0;
    fc.assert(fc.property(fc.oneof(dockerfile({ instructionsMax: 4 }).map((d) => d.text), mutatedDockerfile({ editsMax: 2 })), fc.nat(1000), (text, n) => {
      pg.writeFile("node1", "/root/ctx/Dockerfile", text);
      const before = untouchable(pg);
      const tag = `fuzz:${n}`;
      const r = pg.exec(`docker build -q -t ${tag} /root/ctx`);
      if (pg.busy()) pg.interrupt();
      expect(Number.isInteger(r.exitCode)).toBe(true);
      expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
      if (r.exitCode === 0) { built++; return; }
      expect(r.stdout + r.stderr).not.toBe("");
      expect(untouchable(pg)).toBe(before);
    }), { numRuns: RUNS.build });
    expect(built).toBeGreaterThan(0);
  }, 120_000);
});
