// DESIGN.md: "raft ... imports nothing of ours". The core must stay a pure state machine that
// a driver in swarm/kube (or the cluster beside it) runs; it may import only its own files.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const IMPORT = /(?:import|export)\s[^"']*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function specifiers(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]!);
}

describe("src/core imports nothing outside src/core", () => {
  const dir = import.meta.dirname;
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

  it("finds the core's sources", () => {
    expect(files).toEqual(expect.arrayContaining(["raft.ts", "types.ts", "log.ts"]));
  });

  it.each(files)("%s imports only ./ siblings", (file) => {
    const bad = specifiers(readFileSync(join(dir, file), "utf8")).filter((s) => !/^\.\/[\w.-]+\.js$/.test(s));
    expect(bad).toEqual([]);
  });

  it("the check itself catches a package or parent import", () => {
    expect(specifiers(`import { x } from "@drydock/kernel";\nimport type { Y } from "../cluster/model.js";`))
      .toEqual(["@drydock/kernel", "../cluster/model.js"]);
  });
});

describe("src/core has no import cycles (each role is a module: follower, candidate, leader)", () => {
  const dir = import.meta.dirname;
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  const graph = new Map(files.map((f) => [f, specifiers(readFileSync(join(dir, f), "utf8")).map((s) => s.replace(/^\.\//, "").replace(/\.js$/, ".ts"))]));

  it("no module reaches itself through its imports", () => {
    const cycles: string[] = [];
    for (const start of files) {
      const seen = new Set<string>();
      const walk = (f: string, path: string[]): void => {
        for (const g of graph.get(f) ?? []) {
          if (g === start) cycles.push([...path, g].join(" -> "));
          else if (!seen.has(g)) { seen.add(g); walk(g, [...path, g]); }
        }
      };
      walk(start, [start]);
    }
    expect(cycles).toEqual([]);
  });

  it("the roles' step functions are chosen by role (etcd's stepLeader, stepCandidate, stepFollower)", () => {
    expect(files).toEqual(expect.arrayContaining(["follower.ts", "candidate.ts", "leader.ts", "roles.ts"]));
    expect(files).not.toContain("commands.ts");
  });
});
