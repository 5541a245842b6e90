// Text filters: head, tail, wc, sort, uniq, cut, tr (GNU coreutils' output and messages).
// grep has its own file (cu-grep.ts).
import { stat } from "../fs/ops.js";
import { utf8Length } from "../fs/tree.js";
import { Ctx, lastValue, parseArgs, readInput, splitLines } from "./cu-base.js";

/** `-5` means `-n 5` for head and tail (the obsolete form still accepted). */
function numericShorthand(args: readonly string[]): string[] {
  return args.map((a) => (/^-\d+$/.test(a) ? `-n${a.slice(1)}` : a));
}

function headTail(ctx: Ctx, which: "head" | "tail"): void {
  const parsed = parseArgs(ctx, numericShorthand(ctx.req.argv.slice(1)), {
    flags: "qvf",
    values: "nc",
    long: new Map([["lines", "n"], ["bytes", "c"], ["quiet", "q"], ["follow", "f"]]),
  });
  if (parsed === null) return;
  const linesText = lastValue(parsed, "n");
  const bytesText = lastValue(parsed, "c");
  const countText = bytesText ?? linesText ?? "10";
  const m = /^([-+]?)(\d+)$/.exec(countText);
  if (m === null) {
    const what = bytesText !== undefined ? "bytes" : "lines";
    return ctx.fail(`invalid number of ${what}: ‘${countText}’`);
  }
  const sign = m[1] as string;
  const n = Number(m[2]);
  const operands = parsed.operands.length === 0 ? ["-"] : parsed.operands;
  const headers = operands.length > 1 && !parsed.flags.has("q");
  let first = true;
  for (const operand of operands) {
    const text = readInput(ctx, operand, "open");
    if (text === null) continue;
    if (headers) ctx.write(`${first ? "" : "\n"}==> ${operand === "-" ? "standard input" : operand} <==\n`);
    first = false;
    const units = bytesText !== undefined ? [...text] : splitLines(text);
    let picked: string[];
    if (which === "head") picked = sign === "-" ? units.slice(0, Math.max(0, units.length - n)) : units.slice(0, n);
    else picked = sign === "+" ? units.slice(Math.max(0, n - 1)) : n === 0 ? [] : units.slice(-n);
    ctx.write(picked.join(""));
  }
}

export const head = (ctx: Ctx): void => headTail(ctx, "head");
export const tail = (ctx: Ctx): void => headTail(ctx, "tail");

/** wc: counts in the order lines, words, chars, bytes, padded to a common width as GNU does. */
export function wc(ctx: Ctx): void {
  const parsed = parseArgs(ctx, ctx.req.argv.slice(1), {
    flags: "lwcmL",
    long: new Map([["lines", "l"], ["words", "w"], ["bytes", "c"], ["chars", "m"]]),
  });
  if (parsed === null) return;
  const f = parsed.flags;
  const none = !["l", "w", "c", "m"].some((x) => f.has(x));
  const shown = (["l", "w", "m", "c"] as const).filter((x) => f.has(x) || (none && x !== "m"));
  const operands = parsed.operands.length === 0 ? ["-"] : parsed.operands;
  const rows: { counts: number[]; name: string | null }[] = [];
  const totals = shown.map(() => 0);
  // GNU's compute_number_width: one count of one input is unpadded; otherwise the width of the
  // total size of the regular files, at least 7 when reading standard input.
  let width = 1;
  if (!(operands.length === 1 && shown.length === 1)) {
    let sizes = 0;
    let minimum = 1;
    for (const op of operands) {
      const st = op === "-" ? null : stat(ctx.fs, ctx.path(op));
      if (op === "-") minimum = 7;
      else if (st !== null && st.ok && st.value.kind === "file") sizes += st.value.size;
    }
    width = Math.max(String(sizes).length, minimum);
  }
  for (const op of operands) {
    const found = op === "-" ? null : stat(ctx.fs, ctx.path(op));
    const text = found?.ok === true && found.value.kind === "dir" ? "" : readInput(ctx, op);
    if (found?.ok === true && found.value.kind === "dir") ctx.fail(`${op}: Is a directory`);
    if (text === null) continue;
    const counts = shown.map((x) => {
      if (x === "l") return (text.match(/\n/g) ?? []).length;
      if (x === "w") return text.split(/[ \t\n\r\f\v]+/).filter((w) => w !== "").length;
      if (x === "m") return [...text].length;
      return utf8Length(text);
    });
    counts.forEach((c, i) => (totals[i] = (totals[i] ?? 0) + c));
    rows.push({ counts, name: op === "-" ? null : op });
  }
  if (operands.length > 1) rows.push({ counts: totals, name: "total" });
  for (const row of rows) {
    const cells = row.counts.map((c) => String(c).padStart(width)).join(" ");
    ctx.write(row.name === null ? `${cells}\n` : `${cells} ${row.name}\n`);
  }
}

function readAll(ctx: Ctx, operands: readonly string[]): string[] {
  const lines: string[] = [];
  for (const op of operands.length === 0 ? ["-"] : operands) {
    const text = readInput(ctx, op);
    if (text !== null) lines.push(...splitLines(text).map((l) => l.replace(/\n$/, "")));
  }
  return lines;
}

/** sort (LC_ALL=C byte order): -r, -n, -u, -f, -k N (one field), -t SEP. */
export function sort(ctx: Ctx): void {
  const parsed = parseArgs(ctx, ctx.req.argv.slice(1), { flags: "rnufbh", values: "kto", long: new Map([["reverse", "r"], ["numeric-sort", "n"], ["unique", "u"]]) });
  if (parsed === null) return;
  const sep = lastValue(parsed, "t");
  const keyField = Number((lastValue(parsed, "k") ?? "0").split(/[,.]/)[0]);
  const key = (line: string): string => {
    if (keyField <= 0) return line;
    const fields = sep !== undefined ? line.split(sep) : line.trim().split(/\s+/);
    return fields.slice(keyField - 1).join(sep ?? " ");
  };
  const numeric = parsed.flags.has("n") || parsed.flags.has("h");
  const fold = parsed.flags.has("f");
  const num = (s: string) => Number(/^\s*-?\d*\.?\d+/.exec(s)?.[0] ?? 0);
  const cmpKeys = (a: string, b: string): number => {
    if (numeric) return num(a) - num(b);
    const [x, y] = fold ? [a.toUpperCase(), b.toUpperCase()] : [a, b];
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const lines = readAll(ctx, parsed.operands);
  // GNU's last-resort comparison on the whole line breaks ties, except with -u.
  const unique = parsed.flags.has("u");
  let sorted = [...lines].sort((a, b) => cmpKeys(key(a), key(b)) || (unique ? 0 : a < b ? -1 : a > b ? 1 : 0));
  if (parsed.flags.has("r")) sorted.reverse();
  if (unique) sorted = sorted.filter((l, i) => i === 0 || cmpKeys(key(l), key(sorted[i - 1] as string)) !== 0);
  ctx.write(sorted.map((l) => `${l}\n`).join(""));
}

/** uniq: adjacent duplicates; -c counts ("%7d %s"), -d only repeated, -u only unique, -i. */
export function uniq(ctx: Ctx): void {
  const parsed = parseArgs(ctx, ctx.req.argv.slice(1), { flags: "cdui", long: new Map([["count", "c"]]) });
  if (parsed === null) return;
  const lines = readAll(ctx, parsed.operands.slice(0, 1));
  const same = (a: string, b: string) => (parsed.flags.has("i") ? a.toLowerCase() === b.toLowerCase() : a === b);
  for (let i = 0; i < lines.length; ) {
    let j = i + 1;
    while (j < lines.length && same(lines[j] as string, lines[i] as string)) j++;
    const count = j - i;
    const keep = (!parsed.flags.has("d") || count > 1) && (!parsed.flags.has("u") || count === 1);
    if (keep) ctx.write(parsed.flags.has("c") ? `${String(count).padStart(7)} ${lines[i]}\n` : `${lines[i]}\n`);
    i = j;
  }
}

/** A cut list: "1,3-5,7-" as a membership test on 1-based positions. */
function parseList(text: string): ((n: number) => boolean) | null {
  const ranges: [number, number][] = [];
  for (const part of text.split(",")) {
    const m = /^(\d*)(-?)(\d*)$/.exec(part);
    if (m === null || part === "" || part === "-") return null;
    const lo = m[1] === "" ? 1 : Number(m[1]);
    const hi = m[2] === "" ? lo : m[3] === "" ? Infinity : Number(m[3]);
    if (lo === 0) return null;
    ranges.push([lo, hi]);
  }
  return (n) => ranges.some(([lo, hi]) => n >= lo && n <= hi);
}

export function cut(ctx: Ctx): void {
  const parsed = parseArgs(ctx, ctx.req.argv.slice(1), { flags: "s", values: "dfcb", long: new Map([["delimiter", "d"], ["fields", "f"]]) });
  if (parsed === null) return;
  const fieldList = lastValue(parsed, "f");
  const charList = lastValue(parsed, "c") ?? lastValue(parsed, "b");
  const listText = fieldList ?? charList;
  if (listText === undefined) return ctx.fail("you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.");
  const list = parseList(listText);
  if (list === null) return ctx.fail(`invalid field range\nTry 'cut --help' for more information.`);
  const delim = lastValue(parsed, "d") ?? "\t";
  if ([...delim].length !== 1) return ctx.fail("the delimiter must be a single character\nTry 'cut --help' for more information.");
  for (const line of readAll(ctx, parsed.operands)) {
    if (fieldList === undefined) {
      ctx.write(`${[...line].filter((_, i) => list(i + 1)).join("")}\n`);
    } else if (!line.includes(delim)) {
      if (!parsed.flags.has("s")) ctx.write(`${line}\n`);
    } else ctx.write(`${line.split(delim).filter((_, i) => list(i + 1)).join(delim)}\n`);
  }
}

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = LOWER.toUpperCase();
const TR_CLASSES = new Map([
  ["lower", LOWER],
  ["upper", UPPER],
  ["alpha", LOWER + UPPER],
  ["alnum", `${LOWER}${UPPER}0123456789`],
  ["digit", "0123456789"],
  ["space", " \t\n\r\f\v"],
  ["blank", " \t"],
  ["punct", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"],
]);

/** A tr set: ranges (a-z), classes ([:upper:]) and escapes (\n, \t, \\) spelled out. */
function expandSet(text: string): string[] | null {
  const out: string[] = [];
  const chars = [...text.replace(/\\(n|t|r|\\)/g, (_, c: string) => new Map([["n", "\n"], ["t", "\t"], ["r", "\r"], ["\\", "\\"]]).get(c) ?? c)];
  for (let i = 0; i < chars.length; i++) {
    const rest = chars.slice(i).join("");
    const cls = /^\[:([a-z]+):\]/.exec(rest);
    if (cls !== null) {
      const members = TR_CLASSES.get(cls[1] as string);
      if (members === undefined) return null;
      out.push(...members);
      i += cls[0].length - 1;
    } else if (chars[i + 1] === "-" && chars[i + 2] !== undefined) {
      const lo = (chars[i] as string).codePointAt(0) ?? 0;
      const hi = (chars[i + 2] as string).codePointAt(0) ?? 0;
      if (hi < lo) return null;
      for (let c = lo; c <= hi && out.length < 65536; c++) out.push(String.fromCodePoint(c));
      i += 2;
    } else out.push(chars[i] as string);
  }
  return out;
}

export function tr(ctx: Ctx): void {
  const parsed = parseArgs(ctx, ctx.req.argv.slice(1), { flags: "dsc", long: new Map([["delete", "d"], ["squeeze-repeats", "s"]]) });
  if (parsed === null) return;
  const [a, b] = parsed.operands;
  const del = parsed.flags.has("d");
  const squeeze = parsed.flags.has("s");
  if (a === undefined) return ctx.fail("missing operand\nTry 'tr --help' for more information.");
  if (b === undefined && !del && !squeeze) return ctx.fail(`missing operand after ‘${a}’\nTwo strings must be given when translating.\nTry 'tr --help' for more information.`);
  const set1 = expandSet(a);
  const set2 = b === undefined ? [] : expandSet(b);
  if (set1 === null || set2 === null) return ctx.fail("invalid character class or range");
  const map = new Map<string, string>();
  if (!del && set2.length > 0) set1.forEach((c, i) => map.set(c, set2[Math.min(i, set2.length - 1)] as string));
  const deleting = new Set(del ? set1 : []);
  const squeezeSet = new Set(squeeze ? (b !== undefined && !del ? set2 : del ? set2 : set1) : []);
  let out = "";
  let last = "";
  for (const ch of ctx.req.stdin) {
    if (deleting.has(ch)) continue;
    const mapped = map.get(ch) ?? ch;
    if (squeezeSet.has(mapped) && mapped === last) continue;
    out += mapped;
    last = mapped;
  }
  ctx.write(out);
}
