// ls(1) as GNU coreutils prints it to a pipe (not a terminal): one name per line; `-l` with
// `total N` (1K blocks), the mode string, links, owner, group, size, time and name.
import { type FsStat, compareBytes, readdir, stat } from "../fs/ops.js";
import { lsTime } from "./calendar.js";
import { Ctx, parseArgs, q } from "./cu-base.js";
import { errnoText } from "./io.js";

interface Entry {
  /** The name as shown (an operand as typed, or a name in a directory). */
  readonly name: string;
  readonly path: string;
  readonly st: FsStat;
}

interface Options {
  readonly all: boolean;
  readonly almostAll: boolean;
  readonly long: boolean;
  readonly recursive: boolean;
  readonly dirsAsFiles: boolean;
  readonly human: boolean;
  readonly reverse: boolean;
  readonly byTime: boolean;
  readonly classify: boolean;
}

const LONG = new Map([
  ["all", "a"],
  ["almost-all", "A"],
  ["recursive", "R"],
  ["directory", "d"],
  ["human-readable", "h"],
  ["reverse", "r"],
  ["classify", "F"],
]);

/** `drwxr-xr-x`: the kind, then rwx for owner, group, others; setuid/gid and sticky bits. */
export function modeString(kind: "file" | "dir", mode: number): string {
  const bit = (mask: number, c: string) => ((mode & mask) !== 0 ? c : "-");
  const exec = (mask: number, special: number, set: string) =>
    (mode & special) !== 0 ? ((mode & mask) !== 0 ? set : set.toUpperCase()) : bit(mask, "x");
  return (
    (kind === "dir" ? "d" : "-") +
    bit(0o400, "r") + bit(0o200, "w") + exec(0o100, 0o4000, "s") +
    bit(0o040, "r") + bit(0o020, "w") + exec(0o010, 0o2000, "s") +
    bit(0o004, "r") + bit(0o002, "w") + exec(0o001, 0o1000, "t")
  );
}

/** 1K blocks as `ls -s` and `total` count them: whole 4K blocks. */
const blocks = (st: FsStat): number => (st.kind === "dir" ? 4 : Math.ceil(st.size / 4096) * 4);

/** `-h`: 1023, 1.0K, 4.0K, 12K, 1.5M (one decimal below 10, rounded up, as GNU does). */
function human(n: number): string {
  if (n < 1024) return String(n);
  const units = ["K", "M", "G", "T"];
  let v = n;
  let unit = "";
  for (const u of units) {
    if (v < 1024) break;
    v /= 1024;
    unit = u;
  }
  return v < 10 ? `${(Math.ceil(v * 10) / 10).toFixed(1)}${unit}` : `${Math.ceil(v)}${unit}`;
}

export function ls(ctx: Ctx): void {
  const parsed = parseArgs(ctx, ctx.req.argv.slice(1), { flags: "aAlR1dhrtFCx", long: LONG, usageStatus: 2 });
  if (parsed === null) return;
  const f = parsed.flags;
  const opts: Options = {
    all: f.has("a"),
    almostAll: f.has("A"),
    long: f.has("l"),
    recursive: f.has("R"),
    dirsAsFiles: f.has("d"),
    human: f.has("h"),
    reverse: f.has("r"),
    byTime: f.has("t"),
    classify: f.has("F"),
  };
  const operands = parsed.operands.length === 0 ? ["."] : parsed.operands;
  const files: Entry[] = [];
  const dirs: Entry[] = [];
  for (const name of operands) {
    const st = stat(ctx.fs, ctx.path(name));
    if (!st.ok) ctx.fail(`cannot access ${q(name)}: ${errnoText(st.error)}`, 2);
    else (st.value.kind === "dir" && !opts.dirsAsFiles ? dirs : files).push({ name, path: ctx.path(name), st: st.value });
  }
  const sections: string[] = [];
  if (files.length > 0) sections.push(format(sort(files, opts), opts, ctx.now));
  const headers = operands.length > 1 || opts.recursive;
  for (const dir of sort(dirs, opts)) listDir(ctx, dir, opts, headers, sections);
  ctx.write(sections.join("\n"));
}

function listDir(ctx: Ctx, dir: Entry, opts: Options, header: boolean, sections: string[]): void {
  const names = readdir(ctx.fs, dir.path);
  if (!names.ok) return;
  const entries: Entry[] = [];
  if (opts.all) {
    for (const dot of [".", ".."]) {
      const st = stat(ctx.fs, ctx.path(`${dir.path}/${dot}`));
      if (st.ok) entries.push({ name: dot, path: `${dir.path}/${dot}`, st: st.value });
    }
  }
  for (const name of names.value) {
    if (name.startsWith(".") && !opts.all && !opts.almostAll) continue;
    const path = `${dir.path === "/" ? "" : dir.path}/${name}`;
    const st = stat(ctx.fs, path);
    if (st.ok) entries.push({ name, path, st: st.value });
  }
  const sorted = sort(entries, opts);
  let text = header ? `${dir.name}:\n` : "";
  if (opts.long) {
    const total = sorted.reduce((n, e) => n + blocks(e.st), 0);
    text += `total ${opts.human ? human(total * 1024) : total}\n`;
  }
  text += format(sorted, opts, ctx.now);
  sections.push(text);
  if (!opts.recursive) return;
  for (const e of sorted) {
    if (e.st.kind !== "dir" || e.name === "." || e.name === "..") continue;
    listDir(ctx, { ...e, name: `${dir.name === "/" ? "" : dir.name}/${e.name}` }, opts, true, sections);
  }
}

function sort(entries: Entry[], opts: Options): Entry[] {
  const sorted = [...entries].sort((a, b) => (opts.byTime ? b.st.mtime - a.st.mtime : 0) || compareBytes(a.name, b.name));
  return opts.reverse ? sorted.reverse() : sorted;
}

function format(entries: readonly Entry[], opts: Options, now: number): string {
  const suffix = (e: Entry) => (!opts.classify ? "" : e.st.kind === "dir" ? "/" : (e.st.mode & 0o111) !== 0 ? "*" : "");
  if (!opts.long) return entries.map((e) => `${e.name}${suffix(e)}\n`).join("");
  const sizes = entries.map((e) => (opts.human ? human(e.st.size) : String(e.st.size)));
  const linkWidth = Math.max(0, ...entries.map((e) => String(e.st.nlink).length));
  const sizeWidth = Math.max(0, ...sizes.map((s) => s.length));
  return entries
    .map((e, i) => {
      const links = String(e.st.nlink).padStart(linkWidth);
      const size = (sizes[i] ?? "").padStart(sizeWidth);
      return `${modeString(e.st.kind, e.st.mode)} ${links} root root ${size} ${lsTime(e.st.mtime, now)} ${e.name}${suffix(e)}\n`;
    })
    .join("");
}
