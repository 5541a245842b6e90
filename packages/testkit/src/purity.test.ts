// DESIGN.md's core rule: no wall clock, no Math.random, no timers and no I/O in packages/*/src.
// Test files and bench/ folders are outside the rule (they may measure and read files).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const PACKAGES = join(import.meta.dirname, "..", "..");
const FORBIDDEN = /\bDate\.|\bnew Date\b|\bDate\(|\b(Math\.random|setTimeout|setInterval|performance\.now|getRandomValues|process\.hrtime)\b|from\s+["']node:|(?<![.\w])require\(\s*["']/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|js|svelte)$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}

describe("determinism guard", () => {
  const pkgs = readdirSync(PACKAGES).filter((p) => !p.startsWith("."));

  it("finds the packages it guards", () => {
    expect(pkgs).toEqual(expect.arrayContaining(["kernel", "raft", "swim", "image"]));
  });

  it.each(pkgs)("packages/%s/src uses no wall clock, Math.random, timers or I/O", (pkg) => {
    const offenders: string[] = [];
    for (const file of sources(join(PACKAGES, pkg, "src"))) {
      readFileSync(file, "utf8").split("\n").forEach((line, i) => {
        // "// wall-clock ok" marks a line that only names a forbidden word (a simulated program
        // looking for setTimeout in a learner's source), as the before-stop hook allows it.
        const code = line.includes("// wall-clock ok") ? "" : line.replace(/\/\/.*$/, "");
        if (FORBIDDEN.test(code)) offenders.push(`${relative(PACKAGES, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it("the guard itself catches a forbidden use", () => {
    expect(FORBIDDEN.test("const t = Date.now();")).toBe(true);
    expect(FORBIDDEN.test("import { readFileSync } from 'node:fs';")).toBe(true);
    expect(FORBIDDEN.test("const m = require('fs');")).toBe(true);
    expect(FORBIDDEN.test("const t = new Date();")).toBe(true);
    expect(FORBIDDEN.test("const x = rng.next();")).toBe(false);
    expect(FORBIDDEN.test("  require(text: string): Image {")).toBe(false);
    expect(FORBIDDEN.test("store.require(name)")).toBe(false);
  });
});
