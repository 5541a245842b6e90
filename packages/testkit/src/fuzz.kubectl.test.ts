// Fuzzing kubectl at the prompt through the testkit's arbitraries (issue #16: every parser and the
// playground fuzzed): drawn and mutated manifests through `kubectl apply -f`, and kubectl lines
// drawn from its own vocabulary with stray words. Never an exception or a stack trace; a one-document
// apply that fails leaves the world as it was (kubectl applies document by document, so a
// multi-document file may fail part-way, as the real one does: only single documents are held to it).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPlayground } from "@drydock/playground";
import { manifest, mutated } from "./index.js";
import { scaled } from "./fuzz.test-util.js";

export const RUNS = scaled({ apply: 150, lines: 300 });

const NODES = ["control-plane", "node-1"];
const cluster = () => createPlayground({ seed: 5, kubernetes: { nodes: NODES } });
const STACK = /\n\s+at .*:\d+:\d+/;

describe("kubectl at the prompt, fuzzed", () => {
  it(`kubectl apply -f: ${RUNS.apply} drawn or mutated manifests, no exception; a failed single document changes nothing`, () => {
    const pg = cluster();
    let ok = 0, failed = 0;
    fc.assert(fc.property(fc.oneof(manifest().map((d) => d.text), mutated(manifest().map((d) => d.text), { editsMax: 2 })), (text) => {
      pg.writeFile("control-plane", "/root/m.yaml", text);
      const before = pg.worldHash();
      const r = pg.exec("kubectl apply -f /root/m.yaml", { on: "control-plane" });
      expect(Number.isInteger(r.exitCode)).toBe(true);
      expect(r.stderr).not.toMatch(STACK);
      if (r.exitCode === 0) ok++;
      else {
        failed++;
        expect(r.stderr, text).not.toBe("");
        if (!/^---$/m.test(text)) expect(pg.worldHash(), `${text}\n${r.stderr}`).toBe(before);
      }
    }), { numRuns: RUNS.apply });
    expect(ok).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(0);
  }, 120_000);

  const WORDS = [
    "get", "describe", "delete", "scale", "rollout", "status", "history", "undo", "pause", "resume", "set", "image", "expose", "label",
    "logs", "run", "create", "deployment", "pods", "pod", "deploy", "svc", "service", "rs", "nodes", "ns", "web", "nginx", "app=web",
    "-o", "wide", "yaml", "json", "name", "jsonpath={.items[*].metadata.name}", "-l", "-n", "kube-system", "--replicas=3", "--replicas",
    "--image=nginx:1.27", "--port=80", "--type=NodePort", "-A", "--all", "--no-headers", "web=nginx:1.9", "deployment/web", "--to-revision=1",
  ];
  const line = fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...WORDS) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }).map((s) => `'${s.replace(/'/g, "")}'`) }), { minLength: 1, maxLength: 6 })
    .map((ws) => `kubectl ${ws.join(" ")}`);

  it(`${RUNS.lines} kubectl lines from its vocabulary and stray words: an exit code and kubectl's texts, never an exception`, () => {
    const pg = cluster();
    pg.exec("kubectl create deployment web --image=nginx --replicas=2", { on: "control-plane" });
    pg.advance("20s");
    let failed = 0;
    fc.assert(fc.property(line, (l) => {
      const r = pg.exec(l, { on: "control-plane" });
      expect(Number.isInteger(r.exitCode), l).toBe(true);
      expect(r.stderr, l).not.toMatch(STACK);
      expect(r.stderr, l).not.toMatch(/internal error|TypeError|undefined is not/i);
      if (r.exitCode !== 0) failed++;
    }), { numRuns: RUNS.lines });
    expect(failed).toBeGreaterThan(0);
  }, 120_000);
});
