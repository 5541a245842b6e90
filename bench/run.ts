// `npm run bench`: runs every package's benchmark suite and writes bench/results.json.
// Suites are found by convention (packages/*/bench/index.ts, apps/*/bench/index.ts exporting
// `benchmarks`). Pass suite names to run a subset: `npm run bench -- kernel raft`.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchResult, BenchSuite } from "@drydock/kernel";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const only = process.argv.slice(2);
const suites = ["packages", "apps"].flatMap((top) =>
  readdirSync(join(root, top))
    .filter((name) => existsSync(join(root, top, name, "bench", "index.ts")))
    .map((name) => ({ name, file: join(root, top, name, "bench", "index.ts") })),
).filter((s) => only.length === 0 || only.includes(s.name));

const out = join(root, "bench", "results.json");
type Row = BenchResult & { suite: string };
const readResults = (): Row[] => (existsSync(out) ? ((JSON.parse(readFileSync(out, "utf8")) as { results?: Row[] }).results ?? []) : []);
const results: Row[] = [];

const failed: string[] = [];
for (const suite of suites) {
  process.stdout.write(`bench ${suite.name} ...\n`);
  try {
    const mod = (await import(pathToFileURL(suite.file).href)) as { benchmarks: BenchSuite };
    for (const r of await mod.benchmarks()) {
      results.push({ suite: suite.name, ...r });
      const goal = r.goal ? `  (goal ${r.goal}: ${r.met ? "met" : "not met"})` : "";
      process.stdout.write(`  ${r.name}: ${r.figure} ${r.unit}${goal}\n`);
    }
  } catch (e) {
    // One failing suite (a property the long run falsified, a missing browser) must not hide
    // the others' figures; it is reported and fails the command.
    failed.push(suite.name);
    process.stderr.write(`bench ${suite.name} FAILED: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  }
}

// The file is read again now, not at the start: another run may have written other suites'
// figures meanwhile. A suite that failed keeps its previous figures; the others are replaced.
const done = new Set(suites.map((s) => s.name).filter((n) => !failed.includes(n)));
const merged = [...readResults().filter((r) => !done.has(r.suite)), ...results];
const machine = { node: process.version, platform: `${process.platform}-${process.arch}`, note: "2 cores, 24 GiB; figures are wall-clock and vary with load" };
writeFileSync(out, JSON.stringify({ machine, results: merged }, null, 2) + "\n");
process.stdout.write(`wrote ${out} (${merged.length} results)\n`);
if (failed.length > 0) {
  process.stderr.write(`failed suites: ${failed.join(", ")}\n`);
  process.exitCode = 1;
}
