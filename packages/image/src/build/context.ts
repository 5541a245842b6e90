import { own } from "../util/hash.js";
import { DrydockError } from "@drydock/kernel";
import { textFile, opaqueFile, type FileEntry } from "../layers/entry.js";
import { globToRegExp, hasGlob, normalizePath } from "../util/path.js";

/** A file of the build context. `mtime` is kept only to show that the cache ignores it. */
export interface ContextFileSpec {
  readonly content?: string;
  /** For files whose bytes the simulation does not hold. */
  readonly size?: number;
  readonly mode?: number;
  readonly mtime?: number;
  /** A tarball's members, which ADD extracts. */
  readonly archive?: Readonly<Record<string, string>>;
}

/** The in-memory build context: relative paths (no leading "/") to file text or a spec. */
export type ContextInput = Readonly<Record<string, string | ContextFileSpec>>;

export interface ContextFile {
  readonly path: string;
  readonly entry: FileEntry;
  readonly mtime: number;
}

export interface BuildContext {
  readonly files: ReadonlyMap<string, ContextFile>;
  /** Total bytes, as BuildKit's "transferring context" reports it. */
  readonly size: number;
}

/** Context files by content: a build checksums its context, and the same text recurs across builds. */
const textEntries = new Map<string, FileEntry>();
function cachedTextFile(text: string): FileEntry {
  let e = textEntries.get(text);
  if (!e) {
    if (textEntries.size >= 4096) textEntries.clear();
    e = textFile(text);
    if (text.length <= 65_536) textEntries.set(text, e);
  }
  return e;
}

function toEntry(path: string, spec: string | ContextFileSpec): ContextFile {
  if (typeof spec === "string") return { path, entry: cachedTextFile(spec), mtime: 0 };
  const meta = { mode: spec.mode ?? 0o644 };
  let entry: FileEntry;
  if (spec.content !== undefined) entry = textFile(spec.content, meta);
  else entry = opaqueFile(`context:${path}`, spec.size ?? 0, meta);
  if (spec.archive) {
    const members = Object.entries(spec.archive).sort().map(([k, v]) => `${k}\0${v}`).join("\n");
    entry = { ...opaqueFile(`tar:${members}`, spec.size ?? members.length, meta), archive: spec.archive };
  }
  return { path, entry, mtime: spec.mtime ?? 0 };
}

/** Parses .dockerignore lines: comments, blank lines, `!` exceptions, leading "/" and "./" stripped. */
export function parseDockerignore(text: string): { pattern: RegExp; exclude: boolean }[] {
  const out: { pattern: RegExp; exclude: boolean }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const exclude = !line.startsWith("!");
    const pat = normalizePath(exclude ? line : line.slice(1).trim()).slice(1);
    if (pat === "") continue;
    out.push({ pattern: globToRegExp(pat), exclude });
  }
  return out;
}

function ignored(path: string, rules: readonly { pattern: RegExp; exclude: boolean }[]): boolean {
  let result = false;
  const parts = path.split("/");
  for (const r of rules) {
    // A pattern matching a parent directory excludes everything below it.
    for (let i = 1; i <= parts.length; i++) {
      if (r.pattern.test(parts.slice(0, i).join("/"))) {
        result = r.exclude;
        break;
      }
    }
  }
  return result;
}

/** Builds a context from an in-memory tree, applying its .dockerignore (the Dockerfile itself is kept). */
export function createContext(input: ContextInput = {}, opts: { dockerfileName?: string } = {}): BuildContext {
  const ignore = own(input, ".dockerignore");
  const rules = ignore === undefined ? [] : parseDockerignore(typeof ignore === "string" ? ignore : (ignore.content ?? ""));
  const files = new Map<string, ContextFile>();
  let size = 0;
  for (const [raw, spec] of Object.entries(input)) {
    const path = normalizePath(raw).slice(1);
    if (path === "") throw new DrydockError("ECONTEXT", `invalid context path "${raw}"`);
    const keep = path === (opts.dockerfileName ?? "Dockerfile") || path === ".dockerignore" || !ignored(path, rules);
    if (!keep) continue;
    const f = toEntry(path, spec);
    files.set(path, f);
    size += f.entry.size;
  }
  return { files: new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))), size };
}

/** A file chosen by a COPY/ADD source, with the path it takes under the destination. */
export interface Selected {
  readonly rel: string;
  readonly file: ContextFile;
  /** True when the source named a directory (its contents are copied, not itself). */
  readonly fromDir: boolean;
}

/**
 * Resolves one COPY source against the context: a file, a directory (its contents), or a glob
 * (Go filepath.Match semantics). Returns [] when nothing matches.
 */
export function selectFromContext(ctx: BuildContext, source: string): Selected[] {
  const src = normalizePath(source).slice(1);
  const out: Selected[] = [];
  const addDir = (dir: string, asName: string) => {
    for (const [p, f] of ctx.files) {
      if (dir === "" || p.startsWith(`${dir}/`)) {
        const rest = dir === "" ? p : p.slice(dir.length + 1);
        out.push({ rel: asName === "" ? rest : `${asName}/${rest}`, file: f, fromDir: true });
      }
    }
  };
  if (src === "") {
    addDir("", "");
    return out;
  }
  if (!hasGlob(src)) {
    const f = ctx.files.get(src);
    if (f) return [{ rel: src.slice(src.lastIndexOf("/") + 1), file: f, fromDir: false }];
    addDir(src, "");
    return out;
  }
  const re = globToRegExp(src);
  const dirs = new Set<string>();
  for (const [p, f] of ctx.files) {
    if (re.test(p)) out.push({ rel: p.slice(p.lastIndexOf("/") + 1), file: f, fromDir: false });
    const parts = p.split("/");
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join("/");
      if (re.test(d)) dirs.add(d);
    }
  }
  // A glob that matches a directory copies that directory's contents under its own name.
  for (const d of [...dirs].sort()) addDir(d, d.slice(d.lastIndexOf("/") + 1));
  return out;
}
