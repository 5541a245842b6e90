// DESIGN.md: swim "imports nothing of ours". The protocols (SWIM in core/, the heartbeat
// baseline in heartbeat/) are pure: their files import only each other, never the kernel or
// another package; model.ts and heartbeat-model.ts run them on the kernel.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const IMPORT = /(?:import|export)\s[^"']*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
const specifiers = (text: string) => [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]!);

describe.each(["core", "heartbeat"])("src/%s imports nothing of ours outside the protocols", (dir) => {
  const root = join(import.meta.dirname, dir);
  const files = readdirSync(root).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

  it("has sources", () => expect(files.length).toBeGreaterThan(2));

  it.each(files)("%s imports only ./ siblings (and the heartbeat, core's protocol context)", (file) => {
    const bad = specifiers(readFileSync(join(root, file), "utf8")).filter((s) => !/^\.\/[\w.-]+\.js$/.test(s) && s !== "../core/context.js");
    expect(bad).toEqual([]);
  });
});
