// Fuzzing the manifest loader through the testkit's arbitraries: drawn manifests load as drawn;
// mutated ones (and arbitrary text) load or fail with a located KubeError, never another exception.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { manifestList, mutated } from "@drydock/testkit";
import { isKubeError } from "../errors.js";
import { loadManifests } from "./manifest.js";

const RUNS = { valid: 500, mutated: 1500, text: 1000 };

/** Strings (keys or values) that YAML 1.1, as sigs.k8s.io/yaml reads it, takes for something else when plain: `on`, `y`, `1_0`, `._0_`. */
function hasYaml11Lookalike(v: unknown): boolean {
  const read = (s: string, version: "1.1" | "1.2") => { try { return parse(s, { version, logLevel: "silent" }) as unknown; } catch { return undefined; } };
  const odd = (s: string) => read(s, "1.2") === s && typeof read(s, "1.1") !== "string";
  if (typeof v === "string") return odd(v);
  if (Array.isArray(v)) return v.some(hasYaml11Lookalike);
  if (v !== null && typeof v === "object") return Object.entries(v).some(([k, x]) => odd(k) || hasYaml11Lookalike(x));
  return false;
}

/** Loads, or returns the KubeError; anything else thrown fails the property. */
function attempt(text: string) {
  try {
    return { docs: loadManifests(text, "fuzz.yaml") };
  } catch (e) {
    if (!isKubeError(e)) throw e;
    return { error: e };
  }
}

describe("manifests, fuzzed", () => {
  it(`${RUNS.valid} drawn manifest files load as drawn`, () => {
    let yaml11 = 0;
    fc.assert(fc.property(manifestList(), (d) => {
      const r = attempt(d.text);
      // The generator writes for YAML 1.2; where 1.1 reads a plain scalar otherwise, kubectl sees what we see.
      if (hasYaml11Lookalike(d.value)) { yaml11++; return; }
      if (r.error) throw r.error;
      expect(r.docs!.map((x) => x.object)).toEqual(JSON.parse(JSON.stringify(d.value)));
    }), { numRuns: RUNS.valid });
    // Most drawn files are compared (about one in ten has a YAML 1.1 lookalike).
    expect(yaml11).toBeLessThan(RUNS.valid / 4);
  });

  it(`${RUNS.mutated} mutated manifest files load or fail with a located KubeError`, () => {
    let failed = 0;
    fc.assert(fc.property(mutated(manifestList().map((d) => d.text)), (text) => {
      const r = attempt(text);
      if (r.error) {
        failed++;
        expect(r.error.location, r.error.message).toBeDefined();
        expect(r.error.location!.line).toBeGreaterThanOrEqual(1);
        expect(r.error.location!.line).toBeLessThanOrEqual(text.split("\n").length + 1);
        expect(r.error.file).toBe("fuzz.yaml");
        expect(r.error.message).toMatch(/fuzz\.yaml/);
      }
    }), { numRuns: RUNS.mutated });
    expect(failed).toBeGreaterThan(RUNS.mutated / 20);
  });

  it(`${RUNS.text} arbitrary texts never throw anything but a KubeError`, () => {
    const piece = fc.constantFrom("apiVersion: v1\n", "kind: Pod\n", "---\n", "  ", "- ", ": ", "&a ", "*a ", "<<: ", "{", "}", "[", "]", "\t", "\"", "'", "#", "\n", "metadata:\n  name: x\n", "spec:\n", "containers:\n");
    fc.assert(fc.property(fc.oneof(fc.string(), fc.array(piece, { maxLength: 25 }).map((a) => a.join(""))), (text) => { attempt(text); }), { numRuns: RUNS.text });
  });
});
