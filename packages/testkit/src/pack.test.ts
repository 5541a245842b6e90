// Packages people can install (issue #16): every package is built, packed with `npm pack`, and
// installed from the tarballs into a fresh project outside the workspace; there, the example
// property test of docs/testing.md runs under Vitest as a user would write it, a plain Node ESM
// script uses the packages, TypeScript checks both against the shipped declarations (NodeNext
// resolution, no skipLibCheck), and `npx drydock` runs the command line from the cli tarball.
// Only third-party dependencies come from the npm registry (its cache first).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const PACKAGES = ["kernel", "raft", "swim", "image", "engine", "compose", "swarm", "kube", "playground", "testkit", "labs", "cli"];
const pkgJson = (p: string) => JSON.parse(readFileSync(join(ROOT, "packages", p, "package.json"), "utf8")) as { name: string; version: string; dependencies?: Record<string, string> };
const devDeps = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).devDependencies as Record<string, string>;
const exact = (range: string) => range.replace(/^[\^~]/, "");

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "true", FORCE_COLOR: "0", NO_COLOR: "1" } });
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${x.stdout ?? ""}\n${x.stderr ?? ""}\n${x.message}`);
  }
}

/** Removes built files whose source is gone (a deleted module must not ship from an old build). */
function dropStale(pkg: string): void {
  const dist = join(ROOT, "packages", pkg, "dist");
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
  if (!existsSync(dist)) return;
  for (const f of walk(dist)) {
    const src = join(ROOT, "packages", pkg, relative(dist, f)).replace(/\.d\.ts$|\.js$/, ".ts");
    if (!existsSync(src)) rmSync(f);
  }
}

/** The ```ts (or ```js) blocks of docs/testing.md, in order. */
const docBlocks = (lang = "ts"): string[] => [...readFileSync(join(ROOT, "docs", "testing.md"), "utf8").matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);

let dir = "";

beforeAll(() => {
  run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-b", ...PACKAGES.map((p) => join("packages", p))], ROOT);
  for (const p of PACKAGES) dropStale(p);
  dir = mkdtempSync(join(tmpdir(), "drydock-pack-"));
  const packs = join(dir, "packs");
  mkdirSync(packs);
  run("npm", ["pack", "--silent", "--pack-destination", packs, ...PACKAGES.flatMap((p) => ["-w", pkgJson(p).name])], ROOT);
  const project = join(dir, "project");
  const deps = Object.fromEntries(PACKAGES.map((p) => {
    const { name, version } = pkgJson(p);
    return [name, `file:${join(packs, `${name.replace("@", "").replace("/", "-")}-${version}.tgz`)}`];
  }));
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({
    name: "drydock-user", private: true, type: "module", dependencies: deps,
    devDependencies: { vitest: exact(devDeps.vitest!), "fast-check": exact(devDeps["fast-check"]!) },
  }, null, 2));
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], project);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the packed packages, installed outside the workspace", () => {
  const project = () => join(dir, "project");

  it("ship built JavaScript and declarations, not TypeScript sources or tests", () => {
    for (const p of PACKAGES) {
      const root = join(project(), "node_modules", "@drydock", p);
      const files = run("find", [".", "-type", "f"], root).split("\n").filter(Boolean);
      expect(files.some((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")), `${p} ships .ts sources`).toBe(false);
      expect(files.some((f) => /\.test\./.test(f)), `${p} ships tests`).toBe(false);
      expect(files).toContain("./dist/src/index.js");
      expect(files).toContain("./dist/src/index.d.ts");
      expect(files).toContain("./README.md");
    }
  });

  it("run the example property test of docs/testing.md under Vitest", () => {
    writeFileSync(join(project(), "raft-safety.prop.test.ts"), docBlocks()[0]!);
    const out = run(process.execPath, [join(project(), "node_modules", "vitest", "vitest.mjs"), "run", "raft-safety"], project());
    expect(out).toMatch(/1 passed/);
  }, 60_000);

  it("work from a plain Node ESM script", () => {
    writeFileSync(join(project(), "smoke.mjs"), [
      `import { createRaftCluster } from "@drydock/raft";`,
      `import { createSwimCluster } from "@drydock/swim";`,
      `import { createPlayground } from "@drydock/playground";`,
      `const c = createRaftCluster({ size: 3, seed: 1 }); c.run("2s");`,
      `const s = createSwimCluster({ size: 5, seed: 1 }); s.run("5s");`,
      `const pg = createPlayground({ seed: 1, nodes: ["node1"] });`,
      `console.log(JSON.stringify({ leader: c.leader() !== null, members: s.members("m1").length, pull: pg.exec("docker pull busybox").exitCode }));`,
    ].join("\n"));
    expect(JSON.parse(run(process.execPath, ["smoke.mjs"], project()))).toEqual({ leader: true, members: 5, pull: 0 });
  });

  it("type-check against the shipped declarations (NodeNext, no skipLibCheck)", () => {
    writeFileSync(join(project(), "one-leader.test.ts"), docBlocks()[1]!);
    writeFileSync(join(project(), "tsconfig.json"), JSON.stringify({
      compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: false, types: [] },
      include: ["*.ts"],
    }));
    run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "."], project());
  }, 60_000);

  it("give the drydock command through npx", () => {
    expect(run("npx", ["--no-install", "drydock", "--help"], project())).toMatch(/^Usage: {2}drydock COMMAND/);
    expect(run("npx", ["--no-install", "drydock", "raft", "--help"], project())).toMatch(/drydock raft/);
  });

  it("sweep in worker threads from the built files, with a property of docs/testing.md loaded from the user's module", () => {
    expect(run("npx", ["--no-install", "drydock", "sweep", "raft-safety", "--runs", "4", "--workers", "2"], project())).toMatch(/passed {4}4\n {2}failed {4}0\n/);
    writeFileSync(join(project(), "my-sweeps.mjs"), docBlocks("js")[0]!);
    let out = "";
    try {
      run("npx", ["--no-install", "drydock", "sweep", "one-leader", "--load", "my-sweeps.mjs", "--runs", "12", "--workers", "2"], project());
    } catch (e) {
      out = (e as Error).message;
    }
    expect(out).toMatch(/run 11, seed 12: invariant one leader at a time broken at event \d+/);
  }, 60_000);
});
