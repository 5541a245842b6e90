// A ShellHost over one filesystem value and the coreutils: what a machine with no daemons
// offers. The world layer builds its own host (with docker and memoisation); this one serves
// tests and simple embeddings. It holds the current filesystem and replaces it on each change.
import { kindOf, readFile, readdir, writeFile } from "../fs/ops.js";
import { type FsDir, normalizePath } from "../fs/tree.js";
import { COREUTILS, coreutilsPath } from "./coreutils.js";
import type { CommandOutcome, CommandRequest, FsAnswer, ShellHost } from "./host.js";

/** A program beside the coreutils (a fake `docker` in tests). */
export type ExtraCommand = (req: CommandRequest, host: FsHost) => CommandOutcome;

export class FsHost implements ShellHost {
  constructor(
    public fs: FsDir,
    public now = 0,
    readonly extra: ReadonlyMap<string, ExtraCommand> = new Map(),
  ) {}

  run(req: CommandRequest): CommandOutcome {
    const name = req.argv[0] ?? "";
    const base = name.includes("/") ? name.slice(name.lastIndexOf("/") + 1) : name;
    const extra = this.extra.get(base);
    if (extra !== undefined) return extra(req, this);
    const util = COREUTILS.get(base);
    if (util === undefined || (name.includes("/") && normalizePath(req.cwd, name) !== coreutilsPath(base))) {
      if (name.includes("/")) {
        const kind = kindOf(this.fs, normalizePath(req.cwd, name));
        const why = kind === null ? "No such file or directory" : kind === "dir" ? "Is a directory" : "Permission denied";
        return { status: kind === null ? 127 : 126, stdout: "", stderr: `bash: ${name}: ${why}\n` };
      }
      return { status: 127, stdout: "", stderr: `bash: ${name}: command not found\n` };
    }
    const result = util(req, this.fs, this.now);
    this.fs = result.fs;
    return result.outcome;
  }

  commandPath(name: string): string | null {
    if (this.extra.has(name)) return `/usr/bin/${name}`;
    return coreutilsPath(name);
  }

  readFile(path: string): FsAnswer<string> {
    return narrow(readFile(this.fs, path));
  }

  writeFile(path: string, text: string, append: boolean): FsAnswer<null> {
    const written = writeFile(this.fs, path, text, this.now, { append });
    if (!written.ok) return narrow(written);
    this.fs = written.value;
    return { ok: true, value: null };
  }

  readdir(path: string): FsAnswer<readonly string[]> {
    return narrow(readdir(this.fs, path));
  }

  kind(path: string): "file" | "dir" | null {
    return kindOf(this.fs, path);
  }
}

/** The filesystem's errors, in the host contract's narrower set (EINVAL becomes EACCES). */
function narrow<T>(r: { ok: true; value: T } | { ok: false; error: string }): FsAnswer<T> {
  if (r.ok) return r;
  const known = ["ENOENT", "EISDIR", "ENOTDIR", "EACCES", "EEXIST", "ENOTEMPTY"] as const;
  const error = known.find((e) => e === r.error) ?? "EACCES";
  return { ok: false, error };
}
