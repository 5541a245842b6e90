// Fuzzing @drydock/compose's loader and YAML reader through the testkit's arbitraries: valid
// compose files load to the services drawn; mutated ones fail only with a ComposeError that is
// not drydock's internal one (a masked bug); `docker compose config` at the prompt never throws
// and changes nothing. Manifests and labels check the generators themselves: a manifest's text
// reads back as the value drawn, and the reference selector semantics are consistent.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ComposeError, loadProject, parseYaml, type Raw } from "@drydock/compose";
import { createPlayground } from "@drydock/playground";
import { composeFile, labelsAndSelector, manifestList, mutated, selectorMatches, type Requirement } from "./index.js";
import { scaled } from "./fuzz.test-util.js";

export const RUNS = scaled({ compose: 500, mutatedCompose: 600, composeConfig: 80, manifests: 800, selectors: 2000 });

/** A YAML value as plain JSON (maps to objects). */
const plain = (v: Raw): unknown => (v instanceof Map ? Object.fromEntries([...v].map(([k, x]) => [k, plain(x)])) : Array.isArray(v) ? v.map(plain) : v);

const load = (text: string) => loadProject({ files: [{ path: "/root/app/compose.yaml", content: text }], workingDir: "/root/app", env: new Map(), dotenv: null });

describe("compose files, fuzzed", () => {
  it(`${RUNS.compose} valid compose files read back as drawn and load to the services drawn, with their images`, () => {
    fc.assert(fc.property(composeFile(), (d) => {
      expect(plain(parseYaml(d.text, "compose.yaml").value)).toEqual(JSON.parse(JSON.stringify(d.value)));
      const { project } = load(d.text);
      expect([...project.services.keys()].sort()).toEqual(Object.keys(d.value.services).sort());
      for (const [name, s] of project.services) {
        const want = d.value.services[name]!;
        if (want.image !== undefined) expect(s.image).toBe(want.image);
        // Environment as a map or a list of NAME=value: the same variables either way.
        const env = want.environment === undefined ? [] : Array.isArray(want.environment)
          ? (want.environment as string[]).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)])
          : Object.entries(want.environment);
        expect(Object.fromEntries(s.environment)).toEqual(Object.fromEntries(env));
        expect(s.ports.map((p) => p.target)).toEqual((want.ports ?? []).map((p) => Number(p.replace(/\/\w+$/, "").split(":").at(-1))));
      }
    }), { numRuns: RUNS.compose });
  }, 120_000);

  it(`${RUNS.mutatedCompose} mutated compose files load or fail with a located ComposeError, never an internal one`, () => {
    let failed = 0;
    fc.assert(fc.property(mutated(composeFile().map((d) => d.text)), (text) => {
      try {
        load(text);
      } catch (e) {
        if (!(e instanceof ComposeError)) throw e;
        expect(e.code, e.message).not.toBe("EINTERNAL");
        failed++;
      }
    }), { numRuns: RUNS.mutatedCompose });
    expect(failed).toBeGreaterThan(RUNS.mutatedCompose / 20);
  }, 120_000);

  it(`docker compose config at the prompt: ${RUNS.composeConfig} drawn or mutated files, no exception, a failure changes nothing`, () => {
    const pg = createPlayground({ seed: 3 });
    pg.exec("mkdir -p /root/app");
    let ok = 0;
    fc.assert(fc.property(fc.oneof(composeFile().map((d) => d.text), mutated(composeFile().map((d) => d.text), { editsMax: 2 })), (text) => {
      pg.writeFile("node1", "/root/app/compose.yaml", text);
      const before = pg.worldHash();
      const r = pg.exec("cd /root/app && docker compose config");
      expect(Number.isInteger(r.exitCode)).toBe(true);
      expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
      // `config` only reads: success or failure, the world is as it was.
      expect(pg.worldHash()).toBe(before);
      if (r.exitCode === 0) ok++;
      else expect(r.stderr).not.toBe("");
    }), { numRuns: RUNS.composeConfig });
    expect(ok).toBeGreaterThan(0);
  }, 120_000);
});

describe("manifests and labels (the generators' own consistency)", () => {
  it(`${RUNS.manifests} manifest files read back as drawn; a Deployment's selector matches its pod template`, () => {
    fc.assert(fc.property(manifestList(), (d) => {
      const docs = d.text.split(/^---\n/m).map((t) => plain(parseYaml(t, "m.yaml").value));
      expect(docs).toEqual(JSON.parse(JSON.stringify(d.value)));
      for (const m of d.value) {
        if (m.kind !== "Deployment") continue;
        const spec = m["spec"] as { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } };
        const requirements: Requirement[] = Object.entries(spec.selector.matchLabels).map(([key, value]) => ({ key, op: "=", value }));
        expect(selectorMatches({ requirements }, spec.template.metadata.labels)).toBe(true);
      }
    }), { numRuns: RUNS.manifests });
  });

  it(`the reference selector semantics (labels/selector.go) hold over ${RUNS.selectors} label sets and selectors`, () => {
    fc.assert(fc.property(labelsAndSelector(), ({ labels, selector }) => {
      const holds = (r: Requirement) => selectorMatches({ requirements: [r] }, labels);
      // Every requirement must hold; the empty selector selects everything.
      expect(selectorMatches(selector, labels)).toBe(selector.requirements.every(holds));
      for (const r of selector.requirements) {
        if (r.op === "=" || r.op === "==") {
          expect(holds({ key: r.key, op: "!=", value: r.value })).toBe(!holds(r));
          expect(holds({ key: r.key, op: "in", values: [r.value] })).toBe(holds(r));
        }
        if (r.op === "in") expect(holds({ key: r.key, op: "notin", values: r.values })).toBe(!holds(r));
        if (r.op === "exists") expect(holds({ key: r.key, op: "!" })).toBe(!holds(r));
      }
    }), { numRuns: RUNS.selectors });
  });
});
