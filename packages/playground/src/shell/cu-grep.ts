// grep: basic (BRE, the default) and extended (-E) regular expressions translated to
// JavaScript's, fixed strings (-F), and GNU grep's options, prefixes and exit statuses.
import { collectTree, kindOf } from "../fs/ops.js";
import { Ctx, parseArgs, readInput, splitLines } from "./cu-base.js";

const CLASSES = new Map([
  ["alpha", "A-Za-z"],
  ["digit", "0-9"],
  ["alnum", "A-Za-z0-9"],
  ["upper", "A-Z"],
  ["lower", "a-z"],
  ["space", "\\s"],
  ["blank", " \\t"],
  ["punct", "!-\\/:-@\\[-`{-~"],
  ["xdigit", "0-9A-Fa-f"],
]);

/** POSIX regex to JavaScript: in a BRE, `\( \) \{ \} \| \+ \?` are the operators and the bare
 * characters are literal; `[[:class:]]` becomes a range; `\<` and `\>` become `\b`. */
export function toJsRegex(pattern: string, extended: boolean): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "[") {
      const end = bracketEnd(pattern, i);
      if (end < 0) throw new SyntaxError("Unmatched [, [^, [:, [., or [=");
      out += pattern.slice(i, end + 1).replace(/\[:([a-z]+):\]/g, (all, name: string) => CLASSES.get(name) ?? all).replace(/\\/g, "\\\\");
      i = end;
    } else if (c === "\\") {
      const n = pattern[++i] ?? "\\";
      if (n === "<" || n === ">") out += "\\b";
      else if (!extended && "(){}|+?".includes(n)) out += n;
      else out += `\\${n}`;
    } else if (!extended && "(){}|+?".includes(c)) out += `\\${c}`;
    else if (c === "*" && (out === "" || out === "^")) out += "\\*";
    else out += c;
  }
  return out;
}

function bracketEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === "^") i++;
  if (pattern[i] === "]") i++;
  for (; i < pattern.length; i++) {
    if (pattern.startsWith("[:", i)) {
      const close = pattern.indexOf(":]", i + 2);
      if (close < 0) return -1;
      i = close + 1;
    } else if (pattern[i] === "]") return i;
  }
  return -1;
}

export function grep(ctx: Ctx): void {
  const parsed = parseArgs(ctx, ctx.req.argv.slice(1), {
    flags: "ivncrRElLqsHhwFoxP",
    values: "eABC",
    long: new Map([["after-context", "A"], ["before-context", "B"], ["context", "C"], ["ignore-case", "i"], ["invert-match", "v"], ["line-number", "n"], ["count", "c"], ["recursive", "r"], ["extended-regexp", "E"], ["quiet", "q"], ["files-with-matches", "l"], ["word-regexp", "w"], ["fixed-strings", "F"], ["only-matching", "o"], ["regexp", "e"]]),
    usageStatus: 2,
  });
  if (parsed === null) return;
  const f = parsed.flags;
  const operands = [...parsed.operands];
  const patterns = parsed.values.get("e") ?? (operands.length > 0 ? [operands.shift() as string] : null);
  if (patterns === null) return ctx.fail("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.", 2);
  let re: RegExp;
  try {
    const sources = patterns.flatMap((p) => p.split("\n")).map((p) => (f.has("F") ? p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&") : toJsRegex(p, f.has("E") || f.has("P"))));
    let source = sources.map((s) => `(?:${s})`).join("|");
    if (f.has("w")) source = `(?<![A-Za-z0-9_])(?:${source})(?![A-Za-z0-9_])`;
    if (f.has("x")) source = `^(?:${source})$`;
    re = new RegExp(source, f.has("i") ? "gi" : "g");
  } catch (e) {
    const message = e instanceof SyntaxError && e.message.startsWith("Unmatched") ? e.message : "Invalid regular expression";
    return ctx.fail(message, 2);
  }
  // Context lines (-A/-B/-C NUM): the last of each given wins, -A and -B over -C (grep.c context_length_arg).
  const context = (letter: string): number | null | undefined => {
    const v = parsed.values.get(letter)?.at(-1);
    if (v === undefined) return undefined;
    return /^\d+$/.test(v) ? Number(v) : null;
  };
  const [after, before, both] = [context("A"), context("B"), context("C")];
  for (const [letter, n] of [["A", after], ["B", before], ["C", both]] as const) {
    if (n === null) return ctx.fail(`${parsed.values.get(letter)!.at(-1)}: invalid context length argument`, 2);
  }
  // With -o a context line has no matching part to print (GNU prints none), but the groups still get "--".
  const afterN = after ?? both ?? -1;
  const beforeN = before ?? both ?? -1;
  const contextLines = !f.has("o");
  // GNU grep prints "--" between groups whenever a context was asked for, even 0.
  const separators = afterN >= 0 || beforeN >= 0;
  let printedAny = false;
  const recursive = f.has("r") || f.has("R");
  const inputs: { name: string; text: string | null }[] = [];
  const targets = operands.length === 0 ? (recursive ? [null] : ["-"]) : operands;
  for (const target of targets) {
    const dir = target === null ? ctx.req.cwd : ctx.path(target);
    if (target !== "-" && kindOf(ctx.fs, dir) === "dir") {
      if (!recursive) {
        if (!f.has("s")) ctx.fail(`${target}: Is a directory`, 2);
        continue;
      }
      for (const [rel, file] of collectTree(ctx.fs, dir)) inputs.push({ name: target === null ? rel : `${target.replace(/\/$/, "")}/${rel}`, text: file.text });
      continue;
    }
    const text = f.has("s") && target !== "-" && kindOf(ctx.fs, dir) === null ? null : readInput(ctx, target ?? "-");
    if (text === null && f.has("s")) ctx.status = 2;
    inputs.push({ name: target === "-" ? "(standard input)" : (target ?? "-"), text });
  }
  const prefixNames = (inputs.length > 1 || recursive || f.has("H")) && !f.has("h");
  let matched = false;
  for (const input of inputs) {
    if (input.text === null) continue;
    let count = 0;
    const lines = splitLines(input.text).map((raw) => raw.replace(/\n$/, ""));
    const quiet = f.has("q") || f.has("l") || f.has("L") || f.has("c");
    // The last line printed of this file (-1: none yet), and how many after-context lines are still due.
    let last = -1;
    let afterDue = 0;
    const emit = (i: number, sep: ":" | "-", text: string) => {
      if (separators && printedAny && (last < 0 || i > last + 1)) ctx.write("--\n");
      ctx.write(`${prefixNames ? `${input.name}${sep}` : ""}${f.has("n") ? `${i + 1}${sep}` : ""}${text}\n`);
      last = i;
      printedAny = true;
    };
    lines.forEach((line, i) => {
      re.lastIndex = 0;
      const hit = re.test(line) !== f.has("v");
      if (!hit) {
        if (!quiet && contextLines && afterDue > 0) {
          afterDue--;
          emit(i, "-", line);
        }
        return;
      }
      count++;
      matched = true;
      if (quiet) return;
      if (contextLines) for (let b = Math.max(last + 1, i - Math.max(beforeN, 0)); b < i; b++) emit(b, "-", lines[b]!);
      afterDue = Math.max(afterN, 0);
      if (f.has("o") && !f.has("v")) {
        re.lastIndex = 0;
        for (const m of line.matchAll(re)) if (m[0] !== "") emit(i, ":", m[0]);
      } else emit(i, ":", line);
    });
    if (f.has("q")) continue;
    if (f.has("c")) ctx.write(`${prefixNames ? `${input.name}:` : ""}${count}\n`);
    if (f.has("l") && count > 0) ctx.write(`${input.name}\n`);
    if (f.has("L") && count === 0) ctx.write(`${input.name}\n`);
  }
  // Exit status: 0 when a line was selected, 1 when none, 2 after an error (unless -q matched).
  if (ctx.status >= 1) ctx.status = f.has("q") && matched ? 0 : 2;
  else ctx.status = matched ? 0 : 1;
}
