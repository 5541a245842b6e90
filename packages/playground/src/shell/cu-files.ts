// The file-changing utilities (cat, mkdir, rm, rmdir, cp, mv, touch, tee, chmod, find) with
// GNU coreutils' messages, on the immutable filesystem value.
import { chmod as chmodFs, copy, kindOf, mkdir as mkdirFs, move, readdir, remove, rmdir as rmdirFs, stat, touch as touchFs, writeFile } from "../fs/ops.js";
import { basenameOf, lookup } from "../fs/tree.js";
import { Ctx, lq, parseArgs, q, readInput, splitLines } from "./cu-base.js";
import { patternRegex } from "./glob.js";
import { errnoText } from "./io.js";

const tryHelp = (name: string) => `\nTry '${name} --help' for more information.`;

export function cat(ctx: Ctx): void {
  const parsed = parseArgs(ctx, ctx.req.argv.slice(1), { flags: "nAbeEsTuv", long: new Map([["number", "n"]]) });
  if (parsed === null) return;
  const operands = parsed.operands.length === 0 ? ["-"] : parsed.operands;
  let line = 0;
  for (const operand of operands) {
    const text = readInput(ctx, operand);
    if (text === null) continue;
    if (!parsed.flags.has("n")) ctx.write(text);
    else ctx.write(splitLines(text).map((l) => `${String(++line).padStart(6)}\t${l}`).join(""));
  }
}

export function mkdir(ctx: Ctx): void {
  const parsed = parseArgs(ctx, ctx.req.argv.slice(1), { flags: "pv", values: "m", long: new Map([["parents", "p"]]) });
  if (parsed === null) return;
  if (parsed.operands.length === 0) return ctx.fail(`missing operand${tryHelp("mkdir")}`);
  for (const operand of parsed.operands) {
    const made = mkdirFs(ctx.fs, ctx.path(operand), ctx.now, { parents: parsed.flags.has("p") });
    if (made.ok) ctx.fs = made.value;
    else ctx.fail(`cannot create directory ${lq(operand)}: ${errnoText(made.error)}`);
  }
}

export function rm(ctx: Ctx): void {
  const parsed = parseArgs(ctx, ctx.req.argv.slice(1), {
    flags: "rRfidv",
    long: new Map([["recursive", "r"], ["force", "f"], ["dir", "d"], ["no-preserve-root", "no-preserve-root"]]),
  });
  if (parsed === null) return;
  const force = parsed.flags.has("f");
  const recursive = parsed.flags.has("r") || parsed.flags.has("R");
  if (parsed.operands.length === 0) {
    if (!force) ctx.fail(`missing operand${tryHelp("rm")}`);
    return;
  }
  for (const operand of parsed.operands) {
    const path = ctx.path(operand);
    if (/(^|\/)\.\.?\/?$/.test(operand)) {
      ctx.fail(`refusing to remove '.' or '..' directory: skipping ${q(operand)}`);
      continue;
    }
    if (path === "/" && recursive && !parsed.flags.has("no-preserve-root")) {
      ctx.fail(`it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe`);
      continue;
    }
    const node = lookup(ctx.fs, path);
    const emptyDirOk = parsed.flags.has("d") && node.ok && node.value.kind === "dir" && node.value.entries.size === 0;
    const removed = remove(ctx.fs, path, { recursive: recursive || emptyDirOk, force }, ctx.now);
    if (removed.ok) ctx.fs = removed.value;
    else ctx.fail(`cannot remove ${q(operand)}: ${errnoText(removed.error)}`);
  }
}

export function rmdir(ctx: Ctx): void {
  const parsed = parseArgs(ctx, ctx.req.argv.slice(1), { flags: "pv", long: new Map([["parents", "p"]]) });
  if (parsed === null) return;
  if (parsed.operands.length === 0) return ctx.fail(`missing operand${tryHelp("rmdir")}`);
  for (const operand of parsed.operands) {
    const removed = rmdirFs(ctx.fs, ctx.path(operand), ctx.now);
    if (removed.ok) ctx.fs = removed.value;
    else ctx.fail(`failed to remove ${q(operand)}: ${errnoText(removed.error)}`);
  }
}

/** The shared shape of cp and mv: sources, then a destination (a directory takes them inside). */
function transfer(ctx: Ctx, verb: "cp" | "mv"): void {
  const parsed = parseArgs(ctx, ctx.req.argv.slice(1), {
    flags: verb === "cp" ? "rRafpvin" : "fvin",
    long: new Map([["recursive", "r"], ["force", "f"], ["verbose", "v"]]),
  });
  if (parsed === null) return;
  const ops = parsed.operands;
  if (ops.length === 0) return ctx.fail(`missing file operand${tryHelp(verb)}`);
  if (ops.length === 1) return ctx.fail(`missing destination file operand after ${q(ops[0] as string)}${tryHelp(verb)}`);
  const destArg = ops[ops.length - 1] as string;
  const dest = ctx.path(destArg);
  const destIsDir = kindOf(ctx.fs, dest) === "dir";
  if (ops.length > 2 && !destIsDir) return ctx.fail(`target ${q(destArg)} is not a directory`);
  const recursive = ["r", "R", "a"].some((f) => parsed.flags.has(f));
  for (const srcArg of ops.slice(0, -1)) {
    const src = ctx.path(srcArg);
    const st = stat(ctx.fs, src);
    if (!st.ok) {
      ctx.fail(`cannot stat ${q(srcArg)}: ${errnoText(st.error)}`);
      continue;
    }
    if (verb === "cp" && st.value.kind === "dir" && !recursive) {
      ctx.fail(`-r not specified; omitting directory ${q(srcArg)}`);
      continue;
    }
    const target = destIsDir ? `${dest === "/" ? "" : dest}/${basenameOf(src)}` : dest;
    const shownTarget = destIsDir ? `${destArg.replace(/\/+$/, "")}/${basenameOf(src)}` : destArg;
    if (verb === "cp" && target === src) {
      ctx.fail(`${q(srcArg)} and ${q(shownTarget)} are the same file`);
      continue;
    }
    const result = verb === "cp" ? copy(ctx.fs, src, target, ctx.now) : move(ctx.fs, src, target, ctx.now);
    if (result.ok) {
      ctx.fs = result.value;
      if (parsed.flags.has("v")) ctx.write(`${verb === "mv" ? "renamed " : ""}${q(srcArg)} -> ${q(shownTarget)}\n`);
      continue;
    }
    const e = result.error;
    if (e === "EINVAL") {
      ctx.fail(verb === "cp" ? `cannot copy a directory, ${q(srcArg)}, into itself, ${q(shownTarget)}` : `cannot move ${q(srcArg)} to a subdirectory of itself, ${q(shownTarget)}`);
    } else if (verb === "mv" && e === "ENOTDIR") ctx.fail(`cannot overwrite non-directory ${q(shownTarget)} with directory ${q(srcArg)}`);
    else if (verb === "mv" && e === "EISDIR") ctx.fail(`cannot overwrite directory ${q(shownTarget)} with non-directory`);
    else if (verb === "mv") ctx.fail(`cannot move ${q(srcArg)} to ${q(shownTarget)}: ${errnoText(e)}`);
    else if (e === "EISDIR") ctx.fail(`cannot overwrite directory ${q(shownTarget)} with non-directory`);
    else ctx.fail(`cannot create ${st.value.kind === "dir" ? "directory" : "regular file"} ${q(shownTarget)}: ${errnoText(e)}`);
  }
}

export const cp = (ctx: Ctx): void => transfer(ctx, "cp");
export const mv = (ctx: Ctx): void => transfer(ctx, "mv");

export function touch(ctx: Ctx): void {
  const parsed = parseArgs(ctx, ctx.req.argv.slice(1), { flags: "acm", values: "dt" });
  if (parsed === null) return;
  if (parsed.operands.length === 0) return ctx.fail(`missing file operand${tryHelp("touch")}`);
  for (const operand of parsed.operands) {
    const path = ctx.path(operand);
    if (parsed.flags.has("c") && kindOf(ctx.fs, path) === null) continue;
    const touched = touchFs(ctx.fs, path, ctx.now);
    if (touched.ok) ctx.fs = touched.value;
    else ctx.fail(`cannot touch ${q(operand)}: ${errnoText(touched.error)}`);
  }
}

export function tee(ctx: Ctx): void {
  const parsed = parseArgs(ctx, ctx.req.argv.slice(1), { flags: "ai", long: new Map([["append", "a"]]) });
  if (parsed === null) return;
  ctx.write(ctx.req.stdin);
  for (const operand of parsed.operands) {
    const written = writeFile(ctx.fs, ctx.path(operand), ctx.req.stdin, ctx.now, { append: parsed.flags.has("a") });
    if (written.ok) ctx.fs = written.value;
    else ctx.failErrno(operand, written.error);
  }
}

/** chmod MODE FILE...: octal (755) or symbolic ([ugoa]*[+-=][rwxXst]*, comma-separated). */
export function chmod(ctx: Ctx): void {
  const args = ctx.req.argv.slice(1).filter((a) => a !== "-R");
  const [modeText, ...files] = args;
  if (modeText === undefined) return ctx.fail(`missing operand${tryHelp("chmod")}`);
  if (files.length === 0) return ctx.fail(`missing operand after ${lq(modeText)}${tryHelp("chmod")}`);
  for (const operand of files) {
    const st = stat(ctx.fs, ctx.path(operand));
    if (!st.ok) {
      ctx.fail(`cannot access ${q(operand)}: ${errnoText(st.error)}`);
      continue;
    }
    const mode = applyMode(modeText, st.value.mode);
    if (mode === null) return ctx.fail(`invalid mode: ${lq(modeText)}${tryHelp("chmod")}`);
    const changed = chmodFs(ctx.fs, ctx.path(operand), mode);
    if (changed.ok) ctx.fs = changed.value;
  }
}

function applyMode(text: string, mode: number): number | null {
  if (/^[0-7]{1,4}$/.test(text)) return parseInt(text, 8);
  let next = mode;
  for (const clause of text.split(",")) {
    const m = /^([ugoa]*)([-+=])([rwxst]*)$/.exec(clause);
    if (m === null) return null;
    const who = m[1] === "" || m[1] === "a" ? "ugo" : (m[1] as string);
    let bits = 0;
    for (const w of who) {
      const shift = w === "u" ? 6 : w === "g" ? 3 : 0;
      for (const p of m[3] as string) {
        if (p === "r") bits |= 4 << shift;
        if (p === "w") bits |= 2 << shift;
        if (p === "x") bits |= 1 << shift;
      }
    }
    if (m[2] === "+") next |= bits;
    else if (m[2] === "-") next &= ~bits;
    else next = (next & ~who.split("").reduce((acc, w) => acc | (7 << (w === "u" ? 6 : w === "g" ? 3 : 0)), 0)) | bits;
  }
  return next;
}

/** find [path...] [-name PATTERN] [-type f|d] [-maxdepth N]: paths in directory order. */
export function find(ctx: Ctx): void {
  const args = ctx.req.argv.slice(1);
  const firstTest = args.findIndex((a) => a.startsWith("-"));
  const roots = firstTest < 0 ? args : args.slice(0, firstTest);
  const tests = firstTest < 0 ? [] : args.slice(firstTest);
  let name: RegExp | null = null;
  let type: string | null = null;
  let maxDepth = Infinity;
  for (let i = 0; i < tests.length; i += 2) {
    const [t, v] = [tests[i], tests[i + 1]];
    if (v === undefined) return ctx.fail(`missing argument to \`${t}'`);
    if (t === "-name" || t === "-iname") name = new RegExp(`^${patternRegex(v, [], false)}$`, t === "-iname" ? "is" : "s");
    else if (t === "-type") type = v;
    else if (t === "-maxdepth") maxDepth = Number(v);
    else return ctx.fail(`unknown predicate \`${t}'`);
  }
  const walk = (shown: string, path: string, depth: number): void => {
    const kind = kindOf(ctx.fs, path);
    if (kind === null) return;
    const base = depth === 0 ? basenameOf(shown) : basenameOf(path);
    if ((name === null || name.test(base)) && (type === null || (type === "d") === (kind === "dir"))) ctx.write(`${shown}\n`);
    if (kind !== "dir" || depth >= maxDepth) return;
    const names = readdir(ctx.fs, path);
    for (const child of names.ok ? names.value : []) walk(`${shown.replace(/\/$/, "")}/${child}`, `${path === "/" ? "" : path}/${child}`, depth + 1);
  };
  for (const root of roots.length === 0 ? ["."] : roots) {
    if (kindOf(ctx.fs, ctx.path(root)) === null) ctx.fail(`${q(root)}: No such file or directory`);
    else walk(root, ctx.path(root), 0);
  }
}
