// drydock sweep: a run depends on its seed alone, so shards merge into the result of one sweep,
// the worker threads give what one thread gives, and a failing run replays from its seed.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SweepRegistry, sweepOne, type SweepProperty } from "@drydock/testkit";
import { runCli } from "./main.js";
import {
  formatSweep, mergeSweeps, missingRuns, parseSweep, runSweepHere, shardRange, type SweepPlan, type SweepResult,
} from "./sweep.js";
import { oneLeaderProperty } from "./sweep.test-util.js";
import { builtPairs, staleSources, workspacePairs } from "../bin/built.js";

const BIN = join(import.meta.dirname, "..", "bin", "drydock.js");
const UTIL = join(import.meta.dirname, "sweep.test-util.ts");
const dir = mkdtempSync(join(tmpdir(), "drydock-sweep-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = (argv: string[]): SweepResult => JSON.parse(runCli(["sweep", ...argv, "--json"]).stdout) as SweepResult;
/** The result without what the machine measured (wall time, threads). */
const deterministic = (r: SweepResult) => ({ ...r, parts: r.parts.map(({ wallMs: _w, cpuMs: _c, workers: _k, ...p }) => p) });
const plan = (over: Partial<SweepPlan>): SweepPlan => {
  const req = parseSweep(["raft-safety"]);
  if (req.kind !== "run") throw new Error("not a run");
  return { ...req.plan, ...over };
};

/** The drydock command itself (worker threads, --load), as a user runs it. */
function drydock(argv: string[], env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [BIN, "sweep", ...argv], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr: "" };
  } catch (e) {
    const x = e as { status: number; stdout: string; stderr: string };
    return { code: x.status, stdout: x.stdout, stderr: x.stderr };
  }
}

describe("the seed space", () => {
  it("shards cover every run exactly once, contiguously and evenly", () => {
    for (const runs of [1, 2, 7, 10, 100, 10_001]) {
      for (const n of [1, 2, 3, 8, 13]) {
        const ranges = Array.from({ length: n }, (_, i) => shardRange(runs, i + 1, n));
        expect(ranges[0]![0]).toBe(0);
        expect(ranges[n - 1]![1]).toBe(runs);
        for (let i = 1; i < n; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1]);
        const sizes = ranges.map(([a, b]) => b - a);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });

  it("reads its flags, and says what is wrong with bad ones (exit 2)", () => {
    const req = parseSweep(["raft-safety", "--runs", "10", "--shard", "2/3", "--seed", "7", "-w", "2"]);
    expect(req).toMatchObject({ kind: "run", plan: { property: "raft-safety", runs: 10, seed: 7, shard: [2, 3], from: 3, to: 6, workers: 2, shrink: true } });
    for (const [argv, text] of [
      [["raft-safety", "--shard", "3/2"], `invalid argument "3/2" for "--shard" flag`],
      [["raft-safety", "--shard", "0/2"], `invalid argument "0/2" for "--shard" flag`],
      [["raft-safety", "--runs", "0"], `invalid argument "0" for "-n, --runs" flag`],
      [["raft-safety", "--seed", "-1"], `invalid argument "-1" for "--seed" flag`],
      [["raft-safety", "--bogus"], "unknown flag: --bogus"],
      [[], `"drydock sweep" requires exactly 1 argument`],
      [["no-such-property"], `no sweep property named "no-such-property"; there are raft-safety, raft-membership, swim-completeness`],
      [["--merge"], `"drydock sweep --merge" requires at least 1 argument`],
    ] as const) {
      const r = runCli(["sweep", ...argv]);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr).toContain(text);
    }
  });

  it("--help and --list name the properties", () => {
    const help = runCli(["sweep", "--help"]);
    expect(help.stdout).toMatch(/^Usage: {2}drydock sweep PROPERTY/);
    for (const name of ["raft-safety", "raft-membership", "swim-completeness", "swim-accuracy", "swim-incarnations", "swim-dissemination"]) {
      expect(help.stdout).toContain(`  ${name} `);
      expect(runCli(["sweep", "--list"]).stdout).toContain(`  ${name} `);
    }
  });
});

describe("sweeping a property", () => {
  it("raft-safety passes, and the same sweep gives the same result", () => {
    const r = json(["raft-safety", "--runs", "12", "--seed", "100"]);
    expect(r).toMatchObject({ drydock: "sweep", version: 1, property: "raft-safety", seed: 100, runs: 12, passed: 12, failures: [] });
    expect(r.events).toBeGreaterThan(1000);
    expect(json(["raft-safety", "--runs", "12", "--seed", "100"])).toEqual(r);
    const text = runCli(["sweep", "raft-safety", "--runs", "12", "--seed", "100"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^drydock sweep raft-safety: 12 of 12 runs, seeds 100\+i\n {2}passed {4}12\n {2}failed {4}0\n/);
  });

  it.each(["raft-membership", "swim-completeness"])("%s passes a few runs", (name) => {
    const r = json([name, "--runs", "3"]);
    expect(r.passed).toBe(3);
  });

  it("shards merge into exactly the result of one sweep; the merge says what is missing", () => {
    const whole = json(["raft-safety", "--runs", "9", "--seed", "40"]);
    const files = [1, 2, 3].map((i) => {
      const f = join(dir, `shard-${i}.json`);
      writeFileSync(f, JSON.stringify(json(["raft-safety", "--runs", "9", "--seed", "40", "--shard", `${i}/3`])));
      return f;
    });
    const io = { readFile: (p: string) => readFileSync(p, "utf8") };
    const merged = JSON.parse(runCli(["sweep", "--merge", "--json", files[2]!, files[0]!, files[1]!], io).stdout) as SweepResult;
    expect({ ...merged, parts: [] }).toEqual({ ...whole, parts: [] });
    expect(merged.parts.map((p) => [p.shard, p.from, p.to])).toEqual([[[1, 3], 0, 3], [[2, 3], 3, 6], [[3, 3], 6, 9]]);
    expect(missingRuns(merged)).toEqual([]);

    const partial = runCli(["sweep", "--merge", files[0]!, files[2]!], io);
    expect(partial.code).toBe(1);
    expect(partial.stdout).toContain("missing   runs 3–5");
    expect(runCli(["sweep", "--merge", files[0]!, files[0]!], io).stderr).toContain("runs 0–2 are in two of the results");
    const other = join(dir, "other.json");
    writeFileSync(other, JSON.stringify(json(["raft-safety", "--runs", "9", "--seed", "41", "--shard", "2/3"])));
    expect(runCli(["sweep", "--merge", files[0]!, other], io).stderr).toContain("seed 41, but");
    expect(runCli(["sweep", "--merge", join(dir, "nope.json")], io).stderr).toContain("no such file or directory");
    writeFileSync(join(dir, "bad.json"), "{}");
    expect(runCli(["sweep", "--merge", join(dir, "bad.json")], io).stderr).toContain("not the JSON result of drydock sweep");
  });

  it("a failing run carries its seed, a replay command and an app link, and replays from its seed alone", () => {
    const registry = new SweepRegistry().add(oneLeaderProperty);
    const tally = runSweepHere(plan({ property: "one-leader", runs: 12, from: 0, to: 12, seed: 1 }), registry);
    const r = tally.result();
    expect(r.failures.length).toBeGreaterThan(0);
    expect(r.passed + r.failures.length).toBe(12);
    const f = r.failures[0]!;
    expect(f.seed).toBe(1 + f.index);
    expect(f.property).toBe("one leader at a time");
    expect(f.message).toMatch(/both lead/);
    expect(f.link).toMatch(/^http:\/\/localhost:5173\/\?v=1&view=raft&scenario=raft&seed=seed-\d+.*&e=\d+&actions=/);
    expect(f.report).toContain(`seed: ${f.seed}`);
    // Replaying: run 0 of a sweep from that seed is the same run, with the same report.
    const { index: _i, seed: _s, ...outcome } = f;
    expect(sweepOne(oneLeaderProperty as SweepProperty<never>, f.seed)).toEqual(outcome);
    const text = formatSweep(r);
    expect(text).toContain(`Failures (run, seed):\n  run ${f.index}, seed ${f.seed}: invariant one leader at a time broken at event`);
    expect(text).toContain(`    replay: drydock sweep one-leader --seed ${f.seed} --runs 1 --workers 1\n    app:    http://localhost:5173/?v=1&view=raft`);
    expect(text).toContain(`The first failure in full (run ${f.index}, seed ${f.seed}):\n  Property failed after 1 run(s)`);
  });

  it("rejects a property with a taken or malformed name", () => {
    expect(() => new SweepRegistry().add({ ...oneLeaderProperty, name: "raft-safety" })).toThrow(/already a sweep property named "raft-safety"/);
    expect(() => new SweepRegistry().add({ ...oneLeaderProperty, name: "Bad Name" })).toThrow(/lower-case words/);
  });
});

describe("the drydock command: worker threads", () => {
  it("two worker threads give what one thread gives; a property loaded from a module fails with exit 1; --progress draws on stderr", () => {
    const argv = ["one-leader", "--load", UTIL, "--runs", "16", "--seed", "3", "--json"];
    const threads = drydock([...argv, "--workers", "2", "--progress"]);
    expect(threads.code).toBe(1);
    const r = JSON.parse(threads.stdout) as SweepResult;
    expect(r.parts[0]).toMatchObject({ workers: 2 });
    expect(r.parts[0]!.wallMs).toBeGreaterThan(0);
    const registry = new SweepRegistry().add(oneLeaderProperty);
    const here = runSweepHere(plan({ property: "one-leader", runs: 16, from: 0, to: 16, seed: 3 }), registry).result();
    expect(deterministic(r)).toEqual(here);
    expect(threads.stderr).toMatch(/one-leader \[#+-*\] \d+\/16 runs, \d+ failed {2}[\d.]+s/);
    // The summary names the time, which only the bin measures.
    const text = drydock(["raft-safety", "--runs", "4", "--workers", "2"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/ {2}time {6}[\d.]+ s wall, [\d.]+ s CPU on 2 worker threads \([\d,]+ runs\/s\)\n/);
    expect(text.stderr).toBe("");
  }, 60_000);

  it("a worker started before the command line is read serves the sweep; one that died before it was needed fails the sweep", async () => {
    // The command starts its first worker while it loads its flag parser (bin/sweep-worker.ts):
    // that worker gets its run only once the plan is known.
    const { StartedWorker, runInWorkers } = await import("../bin/sweep-worker.js");
    const p = plan({ runs: 6, from: 0, to: 6, seed: 9 });
    const early = new StartedWorker("source");
    const tally = await runInWorkers(p, 2, [], () => {}, "source", [early]);
    expect(tally.result()).toEqual(runSweepHere(p, new SweepRegistry()).result());
    const dead = new StartedWorker("source");
    await new Promise((done) => { dead.worker.once("exit", done); void dead.worker.terminate(); });
    await expect(runInWorkers(p, 1, [], () => {}, "source", [dead])).rejects.toThrow(/a sweep worker ended \(status \d+\) before it was given its runs/);
  }, 60_000);

  it("usage errors from the command are exit 2 with no stack trace; a module that cannot load is a clear error", () => {
    const missing = drydock(["raft-safety", "--load", "/nonexistent/sweeps.mjs"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Error: --load \/nonexistent\/sweeps\.mjs: .*(Cannot find|ERR_MODULE_NOT_FOUND)/);
    const r = drydock(["nope", "--runs", "1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`drydock sweep: no sweep property named "nope"; there are raft-safety, raft-membership, swim-completeness, swim-accuracy, swim-incarnations, swim-dissemination\nSee 'drydock sweep --help'.\n`);
  }, 30_000);
});

describe("the drydock command: workers run the built JavaScript only when it is up to date", () => {
  it("a source newer than its built file, or with none, is stale, unless tsc's record says it built that very text; tests are not sources", () => {
    const pkg = join(dir, "pkg");
    const file = (path: string, atS: number, text = "") => {
      mkdirSync(join(pkg, path, ".."), { recursive: true });
      writeFileSync(join(pkg, path), text);
      utimesSync(join(pkg, path), atS, atS);
    };
    file("src/a.ts", 100, "export const a = 1;\n");
    file("src/sub/b.ts", 100);
    file("src/a.test.ts", 300);
    file("src/types.d.ts", 300);
    file("dist/src/a.js", 200);
    file("dist/src/sub/b.js", 200);
    const pairs = builtPairs(pkg);
    expect(pairs.map((p) => p.built)).toEqual([join(pkg, "dist/src/a.js"), join(pkg, "dist/src/sub/b.js")]);
    expect(staleSources(pairs)).toEqual([]);
    file("src/sub/b.ts", 250);
    expect(staleSources(pairs)).toEqual([join(pkg, "src/sub/b.ts")]);
    // Saved again, same text: tsc does not write a.js again, and its build record says so.
    file("src/a.ts", 250, "export const a = 1;\n");
    expect(staleSources(pairs)).toEqual([join(pkg, "src/a.ts"), join(pkg, "src/sub/b.ts")]);
    const sha = createHash("sha256").update("export const a = 1;\n").digest("hex");
    file("tsconfig.json", 100, JSON.stringify({ compilerOptions: { tsBuildInfoFile: "build/pkg.tsbuildinfo" }, include: ["src"] }));
    file("build/pkg.tsbuildinfo", 200, JSON.stringify({ fileNames: ["../src/a.ts", "../src/sub/b.ts"], fileInfos: [{ version: sha }, { version: "0".repeat(64) }] }));
    expect(staleSources(pairs)).toEqual([join(pkg, "src/sub/b.ts")]);
    file("src/a.ts", 250, "export const a = 2;\n");
    expect(staleSources(pairs)).toEqual([join(pkg, "src/a.ts"), join(pkg, "src/sub/b.ts")]);
    // A build that left files to emit is not taken at its word.
    file("src/a.ts", 250, "export const a = 1;\n");
    file("build/pkg.tsbuildinfo", 200, JSON.stringify({ fileNames: ["../src/a.ts"], fileInfos: [{ version: sha }], affectedFilesPendingEmit: [1] }));
    expect(staleSources(pairs)).toEqual([join(pkg, "src/a.ts"), join(pkg, "src/sub/b.ts")]);
    rmSync(join(pkg, "dist/src/a.js"));
    expect(staleSources(builtPairs(pkg))).toEqual([join(pkg, "src/a.ts"), join(pkg, "src/sub/b.ts")]);
    expect(workspacePairs(dir).map((p) => p.source)).toEqual([join(pkg, "src/a.ts"), join(pkg, "src/sub/b.ts")]);
  });

  it("workers on the built files (when they are up to date) give what workers on the sources give", () => {
    const argv = ["raft-safety", "--runs", "12", "--seed", "40", "--workers", "2", "--json"];
    const built = drydock(argv);
    const source = drydock(argv, { DRYDOCK_SOURCE: "1" });
    expect(built.code).toBe(0);
    expect(deterministic(JSON.parse(built.stdout) as SweepResult)).toEqual(deterministic(JSON.parse(source.stdout) as SweepResult));
  }, 60_000);
});
