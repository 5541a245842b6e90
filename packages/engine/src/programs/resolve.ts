// How a process's executable is found, as runc and the kernel find it: a name without "/" is
// looked up in the PATH of the process's environment, symbolic links are followed, the file must
// be executable, and a script runs under the interpreter its "#!" line names. The entrypoint
// scripts of official images (`exec "$@"` at the end) hand over to the command they are given.
import { nodeAt, normalizePath, type FsDir, type FsNode } from "../fs/index.js";
import type { StartFailure } from "./program.js";

export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

const CLEAN_DIR = /^(\/[A-Za-z0-9_+-][A-Za-z0-9_.+-]*)+$/;

export interface Resolved {
  /** The path as found ("/bin/ping"), before links are followed. */
  readonly path: string;
  /** The file at the end of the links. */
  readonly target: string;
  readonly node: FsNode;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}


/** Follows symbolic links (at most 40, as Linux's MAXSYMLINKS). */
export function follow(fs: FsDir, path: string): { target: string; node: FsNode } | undefined {
  let p = path;
  for (let hops = 0; hops <= 40; hops++) {
    const node = nodeAt(fs, p);
    if (node === undefined) return undefined;
    if (node.kind === "file" && node.link !== undefined) {
      p = normalizePath(dirOf(p), node.link);
      continue;
    }
    return { target: p, node };
  }
  return undefined;
}

/** PATH values seen, split (every process start reads one, nearly always the same text); bounded. */
const PATH_DIRS = new Map<string, readonly { readonly dir: string; readonly clean: boolean }[]>();
const PATH_DIRS_MAX = 64;

function pathDirs(pathEnv: string): readonly { readonly dir: string; readonly clean: boolean }[] {
  let dirs = PATH_DIRS.get(pathEnv);
  if (dirs === undefined) {
    dirs = pathEnv.split(":").filter((d) => d !== "").map((dir) => ({ dir, clean: CLEAN_DIR.test(dir) }));
    if (PATH_DIRS.size >= PATH_DIRS_MAX) PATH_DIRS.clear();
    PATH_DIRS.set(pathEnv, dirs);
  }
  return dirs;
}

/** runc's failure for `name` (a module function: no closure per process start). */
function lookFailure(name: string, why: string, exitCode: 126 | 127): StartFailure {
  return { failure: `exec: "${name}": ${why}`, exitCode };
}

/**
 * Finds the executable for `name`: Go's exec.LookPath as runc calls it. Fails with runc's
 * words: "executable file not found in $PATH" or "stat /x: no such file or directory" (127),
 * "permission denied" (126).
 */
export function lookPath(fs: FsDir, name: string, pathEnv: string | undefined, cwd: string): Resolved | StartFailure {
  if (name === "") return lookFailure(name, "executable file not found in $PATH", 127);
  if (name.includes("/")) {
    const path = normalizePath(cwd, name);
    const found = follow(fs, path);
    if (!found) return lookFailure(name, `stat ${name}: no such file or directory`, 127);
    if (found.node.kind === "dir") return lookFailure(name, "is a directory", 126);
    if ((found.node.mode & 0o111) === 0) return lookFailure(name, "permission denied", 126);
    return { path, target: found.target, node: found.node };
  }
  for (const dir of pathDirs(pathEnv ?? DEFAULT_PATH)) {
    // A clean absolute directory (the usual PATH) needs no normalising.
    const path = dir.clean ? `${dir.dir}/${name}` : normalizePath("/", `${dir.dir}/${name}`);
    const found = follow(fs, path);
    if (!found || found.node.kind === "dir" || (found.node.mode & 0o111) === 0) continue;
    return { path, target: found.target, node: found.node };
  }
  return lookFailure(name, "executable file not found in $PATH", 127);
}

/** A "#!" line: the interpreter and its one optional argument (Linux passes the rest as one word). */
export function shebang(node: FsNode): string[] | null {
  if (node.kind !== "file" || !node.text.startsWith("#!")) return null;
  const line = node.text.slice(2).split("\n")[0]!.trim();
  if (line === "") return null;
  const sp = line.search(/\s/);
  return sp < 0 ? [line] : [line.slice(0, sp), line.slice(sp).trim()];
}

/**
 * An entrypoint script that ends by exec'ing its arguments (official images' docker-entrypoint.sh,
 * httpd-foreground): the argv it hands over to, or null when the script does more than that.
 * Lines it may have before: comments, `set -e…`, `rm -f …`, blank lines.
 */
export function execWrapper(node: FsNode, args: readonly string[]): string[] | null {
  if (node.kind !== "file") return null;
  const lines = node.text.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  const last = lines.pop();
  if (last === undefined || !lines.every((l) => /^set( -[a-z]+)+$/.test(l) || /^rm -f /.test(l))) return null;
  const m = /^exec\s+(.*?)\s*"\$@"$/.exec(last);
  if (!m) return null;
  const head = m[1]!.trim() === "" ? [] : m[1]!.trim().split(/\s+/);
  return [...head, ...args];
}
