// sed: GNU sed 4.9's stream editor over the shell's files — scripts of addressed commands
// (s, y, p, P, d, D, n, N, g, G, h, H, x, a, i, c, =, l, q, Q, r, w, b, t, T, :label, {}),
// -n, -e, -f, -E/-r, -s and -i[SUFFIX], with GNU's messages ("-e expression #1, char 5:
// unterminated `s' command") and exit statuses (1 for a bad script, 2 for an unreadable input).
import { readFile, writeFile } from "../fs/ops.js";
import { Ctx, parseArgs, readInput } from "./cu-base.js";
import { errnoText } from "./io.js";
import { toJsRegex } from "./cu-grep.js";

type Address =
  | { readonly kind: "line"; readonly n: number }
  | { readonly kind: "last" }
  | { readonly kind: "regex"; readonly re: RegExp | null }
  | { readonly kind: "step"; readonly first: number; readonly step: number }
  /** GNU's `addr1,+N` and `addr1,~N` (only as a second address). */
  | { readonly kind: "plus"; readonly n: number }
  | { readonly kind: "multiple"; readonly n: number };

interface Command {
  readonly a1: Address | null;
  readonly a2: Address | null;
  readonly negate: boolean;
  readonly name: string;
  /** s: the pattern (null: the last regex used), replacement and flags. */
  readonly re?: RegExp | null;
  readonly replacement?: string;
  readonly global?: boolean;
  readonly nth?: number;
  readonly print?: boolean;
  /** y: the map; a/i/c: the text; b/t/T/:: the label; r/w: the file; q/Q: the exit code. */
  readonly map?: ReadonlyMap<string, string>;
  readonly text?: string;
  readonly label?: string;
  readonly file?: string;
  readonly exit?: number;
  /** `{`: the index just past its matching `}`. */
  end?: number;
}

/** A script error at an absolute offset of the joined script; the caller names the expression. */
class ScriptError extends Error {
  constructor(message: string, readonly at: number | null = null) {
    super(message);
  }
}

/** A delimiter escaped in a regex (`s|a\|b|x|`) is that character, literal, in either dialect. */
function literal(c: string): string {
  if (/[A-Za-z0-9/,:#@!%_=;\-]/.test(c)) return c === "\\" ? "\\\\" : c;
  return c === "]" ? "[]]" : c === "^" ? "\\^" : `[${c}]`;
}

/** Parses a script into a flat list of commands (`{` jumps past its `}` when unmatched). */
function compile(script: string, extended: boolean): Command[] {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new ScriptError(message, at);
  };
  const out: Command[] = [];
  const open: number[] = [];
  const skipSpace = () => {
    while (i < script.length && /[ \t]/.test(script[i] as string)) i++;
  };
  const regex = (delim: string, flagsAllowed: boolean): { source: string | null; flags: string } => {
    let body = "";
    for (;;) {
      const c = script[i++];
      if (c === undefined) return fail(flagsAllowed ? "unterminated address regex" : "unterminated `s' command", script.length);
      if (c === "\\") {
        const n = script[i++];
        if (n === undefined) return fail("unterminated address regex", script.length);
        body += n === delim ? literal(n) : n === "n" ? "\n" : `\\${n}`;
      } else if (c === delim) break;
      else if (c === "\n" && delim !== "\n") return fail(flagsAllowed ? "unterminated address regex" : "unterminated `s' command");
      else body += c;
    }
    let flags = "";
    if (flagsAllowed) while (script[i] === "I" || script[i] === "M") flags += script[i++] === "I" ? "i" : "m";
    return { source: body === "" ? null : body, flags };
  };
  const toRegExp = (source: string | null, flags: string): RegExp | null => {
    if (source === null) return null;
    try {
      return new RegExp(toJsRegex(source, extended), flags);
    } catch {
      return fail(extended ? "Invalid preceding regular expression" : "Invalid regular expression");
    }
  };
  const address = (second: boolean): Address | null => {
    const c = script[i];
    if (c === undefined) return null;
    if (/\d/.test(c)) {
      let digits = "";
      while (/\d/.test(script[i] ?? "")) digits += script[i++];
      if (!second && script[i] === "~") {
        i++;
        let step = "";
        while (/\d/.test(script[i] ?? "")) step += script[i++];
        return { kind: "step", first: Number(digits), step: Number(step || "0") };
      }
      return { kind: "line", n: Number(digits) };
    }
    if (c === "$") {
      i++;
      return { kind: "last" };
    }
    if (second && (c === "+" || c === "~") && /\d/.test(script[i + 1] ?? "")) {
      i++;
      let digits = "";
      while (/\d/.test(script[i] ?? "")) digits += script[i++];
      return c === "+" ? { kind: "plus", n: Number(digits) } : { kind: "multiple", n: Number(digits) };
    }
    if (c === "/" || c === "\\") {
      i++;
      const delim = c === "\\" ? script[i++] : "/";
      if (delim === undefined) return fail("unexpected `,'");
      const { source, flags } = regex(delim, true);
      return { kind: "regex", re: toRegExp(source, flags) };
    }
    return null;
  };
  /** The rest of the line (a, i, c text; file names), GNU's one-liner form: `a text`, `a\` + newline + text. */
  const restOfLine = (textCommand: boolean): string => {
    skipSpace();
    if (textCommand && script[i] === "\\") {
      i++;
      if (script[i] === "\n") i++;
      else skipSpace();
    }
    let text = "";
    while (i < script.length && script[i] !== "\n") {
      if (textCommand && script[i] === "\\" && i + 1 < script.length) {
        i++;
        text += script[i] === "t" ? "\t" : script[i];
        i++;
        continue;
      }
      text += script[i++];
    }
    return text;
  };
  const label = (): string => {
    skipSpace();
    let name = "";
    while (i < script.length && !/[;\n]/.test(script[i] as string)) name += script[i++];
    return name.trim();
  };
  const endOfCommand = () => {
    skipSpace();
    if (script[i] === "}" || script[i] === "#") return;
    if (i < script.length && script[i] !== ";" && script[i] !== "\n") fail("extra characters after command", i + 1);
  };

  while (i < script.length) {
    while (i < script.length && /[ \t\n;]/.test(script[i] as string)) i++;
    if (i >= script.length) break;
    if (script[i] === "#") {
      while (i < script.length && script[i] !== "\n") i++;
      continue;
    }
    const a1 = address(false);
    let a2: Address | null = null;
    if (a1 !== null && script[i] === ",") {
      i++;
      skipSpace();
      a2 = address(true);
      if (a2 === null) fail("unexpected `,'");
    }
    if (a1?.kind === "line" && a1.n === 0 && (a2 === null || a2.kind !== "regex")) fail("invalid usage of line address 0");
    skipSpace();
    let negate = false;
    while (script[i] === "!") {
      negate = true;
      i++;
      skipSpace();
    }
    const name = script[i++];
    if (name === undefined) fail("missing command");
    const base = { a1, a2, negate, name: name as string };
    const oneAddress = () => {
      if (a2 !== null) fail("command only uses one address");
    };
    switch (name) {
      case "{":
        open.push(out.length);
        out.push({ ...base });
        continue;
      case "}": {
        if (a1 !== null) fail("} doesn't want any addresses");
        const start = open.pop();
        if (start === undefined) fail("unexpected `}'");
        (out[start as number] as Command).end = out.length;
        endOfCommand();
        continue;
      }
      case "#":
        fail("comments don't accept any addresses");
        break;
      case ":": {
        if (a1 !== null) fail(": doesn't want any addresses");
        const name = label();
        if (name === "") fail("\":\" lacks a label");
        out.push({ ...base, label: name });
        continue;
      }
      case "s": {
        const delim = script[i++];
        if (delim === undefined || delim === "\n" || delim === "\\") fail("unterminated `s' command");
        const { source } = regex(delim as string, false);
        let replacement = "";
        for (;;) {
          const c = script[i++];
          if (c === undefined) fail("unterminated `s' command", script.length);
          if (c === "\\") {
            const n = script[i++];
            if (n === undefined) fail("unterminated `s' command", script.length);
            replacement += n === delim ? n : `\\${n}`;
          } else if (c === delim) break;
          else replacement += c;
        }
        let global = false;
        let print = false;
        let nth = 1;
        let flags = "";
        let file: string | undefined;
        for (;;) {
          const f = script[i];
          if (f === "g") global = true;
          else if (f === "p") print = true;
          else if (f === "i" || f === "I") flags += "i";
          else if (f === "m" || f === "M") flags += "m";
          else if (f !== undefined && /\d/.test(f)) {
            let digits = "";
            while (/\d/.test(script[i] ?? "")) digits += script[i++];
            nth = Number(digits);
            if (nth === 0) fail("number option to `s' command may not be zero");
            continue;
          } else if (f === "w") {
            i++;
            file = restOfLine(false);
            break;
          } else break;
          i++;
        }
        if (i < script.length && !/[;\n}# \t]/.test(script[i] as string)) fail("unknown option to `s'", i + 1);
        const groups = source === null ? 9 : countGroups(toJsRegex(source, extended));
        const ref = /\\(\d)/g;
        for (let m = ref.exec(replacement); m !== null; m = ref.exec(replacement)) {
          if (Number(m[1]) > groups) fail(`invalid reference \\${m[1]} on \`s' command's RHS`);
        }
        out.push({ ...base, re: toRegExp(source, `g${flags}`), replacement, global, nth, print, ...(file !== undefined ? { file } : {}) });
        endOfCommand();
        continue;
      }
      case "y": {
        const delim = script[i++] ?? "";
        const part = (): string[] => {
          const chars: string[] = [];
          for (;;) {
            const c = script[i++];
            if (c === undefined) fail("unterminated `y' command", script.length);
            if (c === "\\") chars.push(script[i] === "n" ? "\n" : (script[i] as string)), i++;
            else if (c === delim) return chars;
            else chars.push(c as string);
          }
        };
        const from = part();
        const to = part();
        if (from.length !== to.length) fail("strings for `y' command are different lengths");
        out.push({ ...base, map: new Map(from.map((c, k) => [c, to[k] as string])) });
        endOfCommand();
        continue;
      }
      case "a":
      case "i":
      case "c":
        if (name !== "c") oneAddress();
        out.push({ ...base, text: restOfLine(true) });
        continue;
      case "r":
      case "w":
        out.push({ ...base, file: restOfLine(false) });
        continue;
      case "b":
      case "t":
      case "T":
        out.push({ ...base, label: label() });
        continue;
      case "q":
      case "Q": {
        oneAddress();
        skipSpace();
        let digits = "";
        while (/\d/.test(script[i] ?? "")) digits += script[i++];
        out.push({ ...base, exit: Number(digits || "0") });
        endOfCommand();
        continue;
      }
      case "=":
      case "d":
      case "D":
      case "p":
      case "P":
      case "n":
      case "N":
      case "g":
      case "G":
      case "h":
      case "H":
      case "x":
      case "l":
      case "z":
        out.push({ ...base });
        endOfCommand();
        continue;
      default:
        fail(`unknown command: \`${name}'`);
    }
  }
  if (open.length > 0) fail("unmatched `{'", 0);
  return out;
}

/** Capture groups in a JavaScript pattern (to check `\N` references as sed does at compile time). */
function countGroups(source: string): number {
  let n = 0;
  for (let i = 0; i < source.length; i++) {
    if (source[i] === "\\") i++;
    else if (source[i] === "(" && source[i + 1] !== "?") n++;
  }
  return n;
}

/** The replacement for one match: `&` the match, `\1`..`\9` groups, `\n` newline, `\t` tab. */
function expand(replacement: string, match: RegExpExecArray): string {
  let out = "";
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i] as string;
    if (c === "&") out += match[0];
    else if (c === "\\") {
      const n = replacement[++i] ?? "";
      if (/\d/.test(n)) out += match[Number(n)] ?? "";
      else out += n === "n" ? "\n" : n === "t" ? "\t" : n;
    } else out += c;
  }
  return out;
}

/** `l`: the pattern space unambiguously (octal escapes, `\n` as `\n`, a `$` at the end), wrapped at 70. */
function listed(text: string): string {
  const escapes = new Map([["\\", "\\\\"], ["\x07", "\\a"], ["\b", "\\b"], ["\f", "\\f"], ["\n", "\\n"], ["\r", "\\r"], ["\t", "\\t"], ["\v", "\\v"]]);
  let line = "";
  let out = "";
  for (const c of text) {
    const code = c.charCodeAt(0);
    const piece = escapes.get(c) ?? (code < 32 || code === 127 ? `\\${code.toString(8).padStart(3, "0")}` : c);
    if (line.length + piece.length > 69) {
      out += `${line}\\\n`;
      line = "";
    }
    line += piece;
  }
  return `${out}${line}$\n`;
}

interface Input {
  readonly name: string;
  readonly lines: readonly string[];
  readonly endsWithNewline: boolean;
}

/** Splits the -e/-f pieces' option parsing from GNU getopt: -i takes an optional attached suffix. */
function inPlaceOption(args: readonly string[]): { inPlace: string | null; rest: string[] } {
  let inPlace: string | null = null;
  const rest: string[] = [];
  for (const a of args) {
    const short = /^-([nErsu]*)i(.*)$/s.exec(a);
    if (short !== null) {
      inPlace = short[2] as string;
      if (short[1] !== "") rest.push(`-${short[1]}`);
    } else if (a === "--in-place" || a.startsWith("--in-place=")) inPlace = a.slice("--in-place=".length);
    else rest.push(a);
  }
  return { inPlace, rest };
}

export function sed(ctx: Ctx): void {
  const { inPlace, rest } = inPlaceOption(ctx.req.argv.slice(1));
  const parsed = parseArgs(ctx, rest, {
    flags: "nErsu",
    values: "ef",
    long: new Map([["quiet", "n"], ["silent", "n"], ["regexp-extended", "E"], ["separate", "s"], ["expression", "e"], ["file", "f"], ["unbuffered", "u"], ["posix", "u"]]),
  });
  if (parsed === null) return;
  const extended = parsed.flags.has("E") || parsed.flags.has("r");
  const operands = [...parsed.operands];
  // The script: the -e expressions, then the -f files, joined by newlines (GNU joins them the
  // same way, so a `{` opened in one may close in the next); errors name the piece they are in.
  const pieces: { text: string; where: string }[] = (parsed.values.get("e") ?? []).map((text, k) => ({ text, where: `-e expression #${k + 1}` }));
  for (const file of parsed.values.get("f") ?? []) {
    const text = readInput(ctx, file);
    if (text === null) return;
    pieces.push({ text: text.replace(/\n$/, ""), where: `file ${file} line 1` });
  }
  if (pieces.length === 0) {
    const script = operands.shift();
    if (script === undefined) {
      ctx.err += "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n\n";
      ctx.status = 1;
      return;
    }
    pieces.push({ text: script, where: "-e expression #1" });
  }
  const joined = pieces.map((p) => p.text).join("\n");
  const located = (err: ScriptError): string => {
    if (err.at === null) return err.message;
    let offset = 0;
    for (const p of pieces) {
      if (err.at <= offset + p.text.length || p === pieces[pieces.length - 1]) return `${p.where}, char ${Math.max(0, err.at - offset)}: ${err.message}`;
      offset += p.text.length + 1;
    }
    return err.message;
  };
  let program: Command[];
  try {
    program = compile(joined, extended);
  } catch (err) {
    if (err instanceof ScriptError) return ctx.fail(located(err));
    throw err;
  }
  const labels = new Map<string, number>();
  program.forEach((c, k) => c.name === ":" && labels.set(c.label as string, k));
  const jump = program.find((c) => "btT".includes(c.name) && c.label !== "" && !labels.has(c.label as string));
  if (jump !== undefined) return ctx.fail(`can't find label for jump to \`${jump.label}'`);
  if (inPlace !== null && operands.length === 0) return ctx.fail("no input files", 1);
  if (operands.length === 0) operands.push("-");

  const inputs: Input[] = [];
  for (const operand of operands) {
    let text: string;
    if (operand === "-") text = ctx.req.stdin;
    else {
      const found = readFile(ctx.fs, ctx.path(operand));
      if (!found.ok) {
        // GNU: the others are still edited, and the exit status is 2.
        ctx.fail(found.error === "EISDIR" ? (inPlace !== null ? `couldn't edit ${operand}: not a regular file` : `read error on ${operand}: ${errnoText(found.error)}`) : `can't read ${operand}: ${errnoText(found.error)}`, inPlace !== null && found.error === "EISDIR" ? 4 : 2);
        continue;
      }
      text = found.value;
    }
    const lines = text === "" ? [] : text.split("\n");
    if (text.endsWith("\n")) lines.pop();
    inputs.push({ name: operand, lines, endsWithNewline: text === "" || text.endsWith("\n") });
  }
  // One stream (line numbers run on, `$` is the last line of the last file) unless -s or -i.
  const streams = inPlace !== null || parsed.flags.has("s") ? inputs.map((x) => [x]) : [inputs];
  const editor = new Editor(ctx, program, labels, parsed.flags.has("n"));
  try {
    for (const stream of streams) {
      if (editor.quitWith !== null) break;
      const out = editor.run(stream);
      if (inPlace === null) {
        ctx.write(out);
        continue;
      }
      const file = (stream[0] as Input).name;
      if (inPlace !== "") {
        const original = readFile(ctx.fs, ctx.path(file));
        // GNU: a suffix with `*` is a name pattern (-i'bak/*'); otherwise it is appended.
        const backup = inPlace.includes("*") ? inPlace.replace(/\*/g, file.split("/").pop() as string) : `${file}${inPlace}`;
        const saved = original.ok ? writeFile(ctx.fs, ctx.path(backup), original.value, ctx.now) : null;
        if (saved?.ok === true) ctx.fs = saved.value;
      }
      const saved = writeFile(ctx.fs, ctx.path(file), out, ctx.now);
      if (saved.ok) ctx.fs = saved.value;
      else ctx.fail(`couldn't open temporary file ${file}: ${errnoText(saved.error)}`, 4);
    }
  } catch (err) {
    if (err instanceof ScriptError) return ctx.fail(located(err));
    throw err;
  }
  for (const [file, text] of editor.written) {
    const saved = writeFile(ctx.fs, ctx.path(file), text, ctx.now);
    if (saved.ok) ctx.fs = saved.value;
    else ctx.fail(`couldn't open file ${file}: ${errnoText(saved.error)}`, 4);
  }
  if (editor.quitWith !== null) ctx.status = Math.max(ctx.status, editor.quitWith);
}

/** The execution cycle: read a line into the pattern space, run the script, print, repeat. */
class Editor {
  quitWith: number | null = null;
  readonly written = new Map<string, string>();
  private hold = "";
  private lastRe: RegExp | null = null;
  // Per stream:
  private lines: readonly string[] = [];
  private next = 0;
  private lineNo = 0;
  private out = "";
  private readonly ranges = new Map<number, number>();

  constructor(
    private readonly ctx: Ctx,
    private readonly program: readonly Command[],
    private readonly labels: ReadonlyMap<string, number>,
    private readonly quiet: boolean,
  ) {}

  run(stream: readonly Input[]): string {
    this.lines = stream.flatMap((x) => x.lines);
    const endsWithNewline = stream[stream.length - 1]?.endsWithNewline ?? true;
    this.next = 0;
    this.lineNo = 0;
    this.out = "";
    this.ranges.clear();
    let pattern = "";
    let carry = false; // D restarts the cycle without reading a new line
    while (this.quitWith === null && (carry || this.next < this.lines.length)) {
      if (!carry) pattern = this.read();
      carry = false;
      const cycle = this.cycle(pattern);
      pattern = cycle.pattern;
      carry = cycle.carry;
      if (cycle.print && !this.quiet) this.emit(pattern, !(this.isLast() && !endsWithNewline));
      for (const text of cycle.appended) this.out += text;
    }
    return this.out;
  }

  private read(): string {
    this.lineNo++;
    return this.lines[this.next++] as string;
  }

  private isLast(): boolean {
    return this.next >= this.lines.length;
  }

  private emit(text: string, newline = true): void {
    this.out += text + (newline ? "\n" : "");
  }

  private write(file: string, text: string): void {
    if (file === "/dev/stdout") this.emit(text);
    else this.written.set(file, (this.written.get(file) ?? "") + text + "\n");
  }

  private test(re: RegExp | null, text: string): boolean {
    const r = re ?? this.lastRe;
    if (r === null) throw new ScriptError("no previous regular expression");
    this.lastRe = r;
    r.lastIndex = 0;
    return r.test(text);
  }

  private matches(a: Address, text: string): boolean {
    switch (a.kind) {
      case "line":
        return this.lineNo === a.n;
      case "last":
        return this.isLast();
      case "step":
        return a.step <= 0 ? this.lineNo === a.first : this.lineNo >= a.first && (this.lineNo - a.first) % a.step === 0;
      case "regex":
        return this.test(a.re, text);
      default:
        return false;
    }
  }

  /** Whether a range's second address ends it on this line. */
  private closes(a2: Address, end: number, text: string): boolean {
    if (a2.kind === "line") return this.lineNo >= a2.n;
    if (a2.kind === "plus") return this.lineNo >= end;
    if (a2.kind === "multiple") return a2.n <= 0 || this.lineNo % a2.n === 0;
    return this.matches(a2, text);
  }

  /** POSIX ranges: the second address is checked from the line after the first matched (GNU's
   * `0,/re/` checks it on line 1 too); a line number at or before the start gives one line. */
  private selected(k: number, c: Command, text: string): boolean {
    if (c.a1 === null) return true;
    if (c.a2 === null) return this.matches(c.a1, text);
    const end = this.ranges.get(k);
    if (end !== undefined) {
      if (this.closes(c.a2, end, text)) this.ranges.delete(k);
      return true;
    }
    if (c.a1.kind === "line" && c.a1.n === 0) {
      if (this.lineNo !== 1) return false;
      if (!this.matches(c.a2, text)) this.ranges.set(k, 0);
      return true;
    }
    if (!this.matches(c.a1, text)) return false;
    const a2 = c.a2;
    const oneLine = (a2.kind === "line" && a2.n <= this.lineNo) || (a2.kind === "plus" && a2.n === 0) || (a2.kind === "multiple" && (a2.n <= 0 || this.lineNo % a2.n === 0));
    if (!oneLine) this.ranges.set(k, a2.kind === "plus" ? this.lineNo + a2.n : 0);
    return true;
  }

  private cycle(start: string): { pattern: string; print: boolean; carry: boolean; appended: string[] } {
    const { program, labels } = this;
    let pattern = start;
    let substituted = false;
    const appended: string[] = [];
    const stop = (print: boolean, carry = false) => ({ pattern, print, carry, appended });
    const target = (label: string | undefined) => (label === undefined || label === "" ? program.length : (labels.get(label) as number));
    let pc = 0;
    while (pc < program.length) {
      const k = pc;
      const c = program[pc++] as Command;
      const hit = this.selected(k, c, pattern) !== c.negate;
      if (c.name === "{") {
        if (!hit) pc = c.end ?? program.length;
        continue;
      }
      if (!hit || c.name === ":") continue;
      switch (c.name) {
        case "s": {
          const re = c.re ?? this.lastRe;
          if (re === null || re === undefined) throw new ScriptError("no previous regular expression");
          this.lastRe = re;
          const replaced = substitute(pattern, re, c);
          if (replaced !== null) {
            pattern = replaced;
            substituted = true;
            if (c.print === true) this.emit(pattern);
            if (c.file !== undefined) this.write(c.file, pattern);
          }
          break;
        }
        case "y":
          pattern = [...pattern].map((ch) => c.map?.get(ch) ?? ch).join("");
          break;
        case "p":
          this.emit(pattern);
          break;
        case "P":
          this.emit(pattern.split("\n")[0] as string);
          break;
        case "=":
          this.emit(String(this.lineNo));
          break;
        case "l":
          this.out += listed(pattern);
          break;
        case "z":
          pattern = "";
          break;
        case "a":
          appended.push(`${c.text}\n`);
          break;
        case "r": {
          const found = readFile(this.ctx.fs, this.ctx.path(c.file as string));
          // GNU: a file that cannot be read is silently ignored.
          if (found.ok && found.value !== "") appended.push(found.value.endsWith("\n") ? found.value : `${found.value}\n`);
          break;
        }
        case "w":
          this.write(c.file as string, pattern);
          break;
        case "i":
          this.emit(c.text as string);
          break;
        case "c":
          // With a range, the text replaces the whole range: printed once, at its end.
          if (c.a2 === null || c.negate || !this.ranges.has(k)) this.emit(c.text as string);
          return stop(false);
        case "d":
          return stop(false);
        case "D": {
          const nl = pattern.indexOf("\n");
          if (nl < 0) return stop(false);
          pattern = pattern.slice(nl + 1);
          return stop(false, true);
        }
        case "n":
        case "N":
          // GNU: with no next line, n and N print the pattern space (unless -n) and end.
          if (this.isLast()) return stop(true);
          if (c.name === "n" && !this.quiet) this.emit(pattern);
          for (const text of appended.splice(0)) this.out += text;
          pattern = c.name === "n" ? this.read() : `${pattern}\n${this.read()}`;
          break;
        case "g":
          pattern = this.hold;
          break;
        case "G":
          pattern += `\n${this.hold}`;
          break;
        case "h":
          this.hold = pattern;
          break;
        case "H":
          this.hold += `\n${pattern}`;
          break;
        case "x":
          [pattern, this.hold] = [this.hold, pattern];
          break;
        case "b":
          pc = target(c.label);
          break;
        case "t":
        case "T":
          if (substituted === (c.name === "t")) pc = target(c.label);
          substituted = false;
          break;
        case "q":
          this.quitWith = c.exit ?? 0;
          return stop(true);
        case "Q":
          this.quitWith = c.exit ?? 0;
          return stop(false);
      }
    }
    return stop(true);
  }
}

/** s///: replaces the Nth match (and, with g, every later one); null when nothing matched. */
function substitute(pattern: string, re: RegExp, c: Command): string | null {
  const r = new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`);
  const nth = c.nth ?? 1;
  let result = "";
  let from = 0;
  let count = 0;
  let did = false;
  // POSIX: an empty match right after the previous match is not a match (`s/b*/X/g` on abc is XaXcX).
  let prevEnd = -1;
  for (let m = r.exec(pattern); m !== null; m = r.exec(pattern)) {
    if (m[0] === "" && m.index === prevEnd) {
      r.lastIndex++;
      continue;
    }
    if (m[0] !== "") prevEnd = m.index + m[0].length;
    count++;
    if (count >= nth) {
      result += pattern.slice(from, m.index) + expand(c.replacement ?? "", m);
      from = m.index + m[0].length;
      did = true;
      if (c.global !== true) break;
    }
    if (m[0] === "") r.lastIndex++;
  }
  return did ? result + pattern.slice(from) : null;
}
