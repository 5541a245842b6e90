/**
 * Node-only helpers: read a real directory as a build context. The engine itself is pure; this
 * module does the I/O and hands it an in-memory context.
 */
import { lstatSync, readFileSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { createContext, type BuildContext, type ContextFileSpec } from "../src/index.js";

export interface ReadContextOptions {
  /** The Dockerfile's name inside the directory (default "Dockerfile"). */
  readonly dockerfileName?: string;
  /** Files larger than this are sized but not read (default 1 MiB). */
  readonly maxTextBytes?: number;
}

export interface DirectoryContext {
  readonly context: BuildContext;
  /** The Dockerfile's text, when the directory has one. */
  readonly dockerfile: string | undefined;
}

/** True when the bytes decode as UTF-8 text without NULs. */
function isText(buf: Buffer): boolean {
  if (buf.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads `dir` recursively into a build context, applying its .dockerignore. Text files keep their
 * content; binary or large files keep their size; permissions and mtimes come from the disk.
 * Symbolic links are skipped (Docker sends them as links; the simulator does not model them here).
 */
export function readContextDirectory(dir: string, opts: ReadContextOptions = {}): DirectoryContext {
  const maxText = opts.maxTextBytes ?? 1024 * 1024;
  const input: Record<string, ContextFileSpec> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const st = lstatSync(full);
      if (st.isDirectory()) walk(full);
      else if (st.isFile()) {
        const rel = relative(dir, full).split(sep).join("/");
        const mode = st.mode & 0o7777;
        const mtime = Math.round(st.mtimeMs * 1000);
        if (st.size <= maxText) {
          const buf = readFileSync(full);
          input[rel] = isText(buf) ? { content: buf.toString("utf8"), mode, mtime } : { size: st.size, mode, mtime };
        } else input[rel] = { size: st.size, mode, mtime };
      }
    }
  };
  walk(dir);
  const dockerfileName = opts.dockerfileName ?? "Dockerfile";
  const df = input[dockerfileName];
  return { context: createContext(input, { dockerfileName }), dockerfile: df?.content };
}
