// Whether the built JavaScript (`npm run build:packages`, dist/) still matches the sources. In
// the repository the command runs the TypeScript through tsx, and a worker thread that does the
// same pays tsx's start-up again (its own loader thread, then every module through it: about a
// second each on this machine, most of a small sweep). Sweep workers (and the command itself,
// bin/drydock.js) run the built files instead, but only when each is as new as its source: a
// stale build would run old code.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** A source file, the file tsc builds from it, and the package (the folder of its tsconfig.json). */
export interface BuiltPair {
  readonly source: string;
  readonly built: string;
  readonly packageDir: string;
}

/** The .ts files under `dir` (tests and declarations aside), recursively, in name order. */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(path));
    else if (e.name.endsWith(".ts") && !/\.(test|test-util|d)\.ts$/.test(e.name)) out.push(path);
  }
  return out;
}

/** Every source of a package's folder (`src`, or `bin`) with its built file: packages/x/dist/src/a.js for packages/x/src/a.ts. */
export function builtPairs(packageDir: string, folder = "src"): BuiltPair[] {
  return sources(join(packageDir, folder)).map((source) => ({ source, built: join(packageDir, "dist", relative(packageDir, source).replace(/\.ts$/, ".js")), packageDir }));
}

/** Every source the packages under `packagesDir` build (their tsconfig's include folders), with its built file. */
export function workspacePairs(packagesDir: string): BuiltPair[] {
  return readdirSync(packagesDir).sort().flatMap((name) => {
    const dir = join(packagesDir, name);
    const tsconfig = join(dir, "tsconfig.json");
    if (!existsSync(tsconfig)) return [];
    const include = (JSON.parse(readFileSync(tsconfig, "utf8")) as { include?: string[] }).include ?? [];
    return include.filter((f) => existsSync(join(dir, f))).flatMap((f) => builtPairs(dir, f));
  });
}

const mtime = (path: string): number | undefined => statSync(path, { throwIfNoEntry: false })?.mtimeMs;

/**
 * What tsc last built, by source path: the sha256 of each source's text, from the package's
 * tsBuildInfoFile (tsc -b's record; a build that left anything to emit is not trusted).
 */
function builtVersions(packageDir: string): Map<string, string> {
  const out = new Map<string, string>();
  try {
    const tsconfig = JSON.parse(readFileSync(join(packageDir, "tsconfig.json"), "utf8")) as { compilerOptions?: { tsBuildInfoFile?: string } };
    const file = tsconfig.compilerOptions?.tsBuildInfoFile;
    if (!file) return out;
    const info = JSON.parse(readFileSync(resolve(packageDir, file), "utf8")) as {
      fileNames?: string[]; fileInfos?: ({ version?: string } | string)[]; affectedFilesPendingEmit?: unknown; changeFileSet?: unknown; pendingEmit?: unknown;
    };
    if (info.affectedFilesPendingEmit || info.changeFileSet || info.pendingEmit || !info.fileNames || !info.fileInfos) return out;
    const base = dirname(resolve(packageDir, file));
    info.fileNames.forEach((name, i) => {
      const v = info.fileInfos![i];
      const version = typeof v === "string" ? v : v?.version;
      if (version) out.set(resolve(base, name), version);
    });
  } catch {
    // No record, or not one we can read: judge by times alone.
  }
  return out;
}

/**
 * The sources whose built file is missing or older than they are (none: the build can run).
 * tsc does not write a file again when its source's text has not changed, so a source only
 * touched (saved again, checked out) counts as built when its text is the one tsc last built.
 */
export function staleSources(pairs: readonly BuiltPair[]): string[] {
  const versions = new Map<string, Map<string, string>>();
  const builtText = (p: BuiltPair): string | undefined => {
    if (!versions.has(p.packageDir)) versions.set(p.packageDir, builtVersions(p.packageDir));
    return versions.get(p.packageDir)!.get(resolve(p.source));
  };
  return pairs.filter((p) => {
    const built = mtime(p.built);
    if (built === undefined) return true;
    if (built >= mtime(p.source)!) return false;
    const version = builtText(p);
    return version === undefined || version !== createHash("sha256").update(readFileSync(p.source)).digest("hex");
  }).map((p) => p.source);
}
