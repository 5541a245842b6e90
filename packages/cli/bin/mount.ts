// `drydock shell --mount DIR[:PATH]`: a real directory's text files, read for pg.mount.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DrydockError } from "@drydock/kernel";

/** A file bigger than this is left out, with a warning: the simulator keeps text, not blobs. */
export const MOUNT_FILE_MAX_BYTES = 1024 * 1024;
/** At most this many files per mount (a mount of a home directory by mistake stays bounded). */
export const MOUNT_FILES_MAX = 5000;
const SKIP_DIRS = new Set(["node_modules", ".git"]);

export interface MountRead {
  /** Relative path (with /) → text. */
  readonly files: Record<string, string>;
  readonly warnings: string[];
}

/** Reads DIR recursively: text files only; skips node_modules, .git, big and binary files. */
export function readMountDir(dir: string): MountRead {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new DrydockError("EMOUNT", `--mount ${dir}: no such directory`);
  }
  if (!st.isDirectory()) throw new DrydockError("EMOUNT", `--mount ${dir}: not a directory`);
  const files: Record<string, string> = {};
  const warnings: string[] = [];
  let count = 0;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  // Directories already walked (device and inode), so a symlink loop is walked once.
  const seen = new Set<string>([`${st.dev}:${st.ino}`]);
  const walk = (abs: string, rel: string): void => {
    const names = readdirSync(abs).sort();
    for (const name of names) {
      const a = join(abs, name);
      const r = rel === "" ? name : `${rel}/${name}`;
      let s;
      try {
        s = statSync(a);
      } catch {
        warnings.push(`skipped ${r}: cannot read it`);
        continue;
      }
      if (s.isDirectory()) {
        if (SKIP_DIRS.has(name) || seen.has(`${s.dev}:${s.ino}`)) continue;
        seen.add(`${s.dev}:${s.ino}`);
        walk(a, r);
        continue;
      }
      if (!s.isFile()) continue;
      if (s.size > MOUNT_FILE_MAX_BYTES) {
        warnings.push(`skipped ${r}: ${s.size} bytes is over the 1 MiB limit`);
        continue;
      }
      if (count >= MOUNT_FILES_MAX) {
        warnings.push(`skipped ${r} and the rest: over ${MOUNT_FILES_MAX} files`);
        return;
      }
      const bytes = readFileSync(a);
      let text: string;
      try {
        if (bytes.includes(0)) throw new Error("binary");
        text = decoder.decode(bytes);
      } catch {
        warnings.push(`skipped ${r}: not a text file`);
        continue;
      }
      files[r] = text;
      count++;
    }
  };
  walk(dir, "");
  return { files, warnings };
}
