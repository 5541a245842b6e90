// Token recognition (POSIX XCU 2.3) and quoting (2.2): words come out already split into parts
// that remember their quoting, so expansion knows what to field-split and glob.
import type { Program, Word, WordPart } from "./ast.js";
import { decodeEscape } from "./escapes.js";

/** A syntax error; `incomplete` when more input could fix it (the terminal's `> ` prompt). */
export class ParseError {
  constructor(
    readonly message: string,
    readonly incomplete: boolean,
  ) {}
}

export type Token =
  | { readonly t: "word"; readonly word: Word; readonly raw: string; readonly plain: string | null }
  | { readonly t: "io"; readonly fd: number }
  | { readonly t: "op"; readonly op: string }
  | { readonly t: "nl" }
  | { readonly t: "eof" };

/** Parses a nested program (`$(...)`, backquotes) and tells where it ended. */
export type SubParser = (src: string, pos: number, closer: ")" | null) => { program: Program; end: number };

/** Nesting of substitutions, quotes and compound commands; deeper input is refused, not a crash. */
export const NESTING_MAX = 100;

export function tooDeep(): ParseError {
  return new ParseError(`syntax error: nesting deeper than ${NESTING_MAX} levels (drydock's limit)`, false);
}

interface PendingHeredoc {
  readonly delimiter: string;
  readonly quoted: boolean;
  readonly stripTabs: boolean;
  readonly body: WordPart[];
}

// Longest first, so `<<-` wins over `<<` and `<`.
const OPERATORS = ["&>>", "<<-", "<<<", "&&", "||", ";;", "<<", ">>", "<&", ">&", "<>", ">|", "&>", ";", "&", "|", "(", ")", "<", ">"];
const METACHARS = new Set([" ", "\t", "\n", ";", "&", "|", "(", ")", "<", ">"]);
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const SPECIAL_PARAMS = new Set(["?", "$", "#", "@", "*", "!", "-", "0"]);
const PARAM_OPS = [":-", ":=", ":?", ":+", "##", "%%", "-", "=", "?", "+", "#", "%"] as const;

const lit = (text: string, quoted: boolean): WordPart => ({ k: "lit", text, quoted });

export class Lexer {
  pos: number;
  /** A trailing `\` or an unterminated heredoc: bash would ask for more input. */
  incomplete = false;
  readonly warnings: string[] = [];
  private readonly pending: PendingHeredoc[] = [];

  constructor(
    readonly src: string,
    start: number,
    private readonly sub: SubParser,
    private nesting = 0,
  ) {
    this.pos = start;
  }

  private peekChar(offset = 0): string {
    return this.src[this.pos + offset] ?? "";
  }

  /** Registers `<<WORD`; its body is read after the next newline (POSIX 2.7.4). */
  heredoc(delimiterRaw: string, stripTabs: boolean): WordPart[] {
    const quoted = /['"\\]/.test(delimiterRaw);
    const delimiter = delimiterRaw.replace(/\\(.)/g, "$1").replace(/['"]/g, "");
    const body: WordPart[] = [];
    this.pending.push({ delimiter, quoted, stripTabs, body });
    return body;
  }

  next(): Token {
    // Blanks and backslash-newline between tokens (2.2.1: the pair is removed).
    for (;;) {
      const c = this.peekChar();
      if (c === " " || c === "\t") this.pos++;
      else if (c === "\\" && this.peekChar(1) === "\n") this.pos += 2;
      else break;
    }
    const c = this.peekChar();
    if (c === "#") {
      // 2.3 rule 10: a comment runs to the end of the line.
      while (this.pos < this.src.length && this.peekChar() !== "\n") this.pos++;
      return this.next();
    }
    if (c === "") {
      this.readHeredocs();
      return { t: "eof" };
    }
    if (c === "\n") {
      this.pos++;
      this.readHeredocs();
      return { t: "nl" };
    }
    const io = /^\d+(?=[<>])/.exec(this.src.slice(this.pos, this.pos + 12));
    if (io !== null) {
      this.pos += io[0].length;
      return { t: "io", fd: Number(io[0]) };
    }
    for (const op of OPERATORS) {
      if (this.src.startsWith(op, this.pos)) {
        this.pos += op.length;
        return { t: "op", op };
      }
    }
    const start = this.pos;
    const parts = this.readWord();
    const raw = this.src.slice(start, this.pos);
    const only = parts[0];
    const plain = parts.length === 1 && only?.k === "lit" && !only.quoted ? only.text : null;
    return { t: "word", word: { parts }, raw, plain };
  }

  private readWord(): WordPart[] {
    const parts: WordPart[] = [];
    while (this.pos < this.src.length) {
      const c = this.peekChar();
      if (METACHARS.has(c)) break;
      if (c === "\\") {
        const n = this.peekChar(1);
        if (n === "\n") this.pos += 2;
        else if (n === "") {
          // A trailing backslash: bash prompts for more; run as-is it stays literal.
          this.incomplete = true;
          this.pos++;
          parts.push(lit("\\", true));
        } else {
          parts.push(lit(n, true));
          this.pos += 2;
        }
      } else if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) throw new ParseError("unexpected EOF while looking for matching `''", true);
        parts.push(lit(this.src.slice(this.pos + 1, end), true));
        this.pos = end + 1;
      } else if (c === '"') {
        this.pos++;
        parts.push(...this.readDoubleQuoted('"'));
      } else if (c === "$") parts.push(...this.readDollar(false));
      else if (c === "`") parts.push(this.readBackquote(false));
      else {
        parts.push(lit(c, false));
        this.pos++;
      }
    }
    return mergeLits(parts);
  }

  /**
   * Inside double quotes (2.2.3), or a heredoc body when `closer` is "": `$` and backquote
   * expand; backslash escapes only `$` `` ` `` `"` `\` and newline, and stays literal before others.
   */
  readDoubleQuoted(closer: '"' | ""): WordPart[] {
    const parts: WordPart[] = [];
    for (;;) {
      const c = this.peekChar();
      if (c === "") {
        if (closer === "") return mergeLits(parts);
        throw new ParseError('unexpected EOF while looking for matching `"\'', true);
      }
      if (c === closer) {
        this.pos++;
        parts.push(lit("", true)); // "" still makes a field
        return mergeLits(parts);
      }
      if (c === "\\") {
        const n = this.peekChar(1);
        if (n === "\n") this.pos += 2;
        else if (n === "$" || n === "`" || n === "\\" || (n === '"' && closer === '"')) {
          parts.push(lit(n, true));
          this.pos += 2;
        } else {
          parts.push(lit("\\", true));
          this.pos++;
        }
      } else if (c === "$") parts.push(...this.readDollar(true));
      else if (c === "`") parts.push(this.readBackquote(true));
      else {
        parts.push(lit(c, true));
        this.pos++;
      }
    }
  }

  private readDollar(quoted: boolean): WordPart[] {
    if (++this.nesting > NESTING_MAX) throw tooDeep();
    try {
      return this.readDollarInner(quoted);
    } finally {
      this.nesting--;
    }
  }

  private readDollarInner(quoted: boolean): WordPart[] {
    const n = this.peekChar(1);
    if (n === "{") {
      this.pos += 2;
      return [this.readBraced(quoted)];
    }
    if (n === "(" && this.peekChar(2) === "(") {
      const arith = this.readArithmetic(quoted);
      if (arith !== null) return [arith];
    }
    if (n === "(") {
      const { program, end } = this.sub(this.src, this.pos + 2, ")");
      this.pos = end;
      return [{ k: "cmd", program, quoted }];
    }
    if (n === "'" && !quoted) {
      this.pos += 2;
      return [lit(this.readAnsiC(), true)];
    }
    if (NAME_START.test(n)) {
      let end = this.pos + 1;
      while (NAME_CHAR.test(this.src[end] ?? "")) end++;
      const name = this.src.slice(this.pos + 1, end);
      this.pos = end;
      return [{ k: "param", name, op: null, arg: null, quoted }];
    }
    if (SPECIAL_PARAMS.has(n) || /[1-9]/.test(n)) {
      this.pos += 2;
      return [{ k: "param", name: n, op: null, arg: null, quoted }];
    }
    this.pos++;
    return [lit("$", quoted)];
  }

  /** `${...}` (2.6.2), after the opening brace. */
  private readBraced(quoted: boolean): WordPart {
    const unterminated = () => new ParseError("unexpected EOF while looking for matching `}'", true);
    let length = false;
    if (this.peekChar() === "#" && this.peekChar(1) !== "}") {
      length = true;
      this.pos++;
    }
    let name = "";
    if (NAME_START.test(this.peekChar())) {
      while (NAME_CHAR.test(this.peekChar())) name += this.src[this.pos++];
    } else if (/[0-9]/.test(this.peekChar())) {
      while (/[0-9]/.test(this.peekChar())) name += this.src[this.pos++];
    } else if (SPECIAL_PARAMS.has(this.peekChar())) name = this.src[this.pos++] as string;
    if (this.pos >= this.src.length) throw unterminated();
    if (name === "") throw new ParseError(`\${${this.src.slice(this.pos, this.src.indexOf("}", this.pos))}}: bad substitution`, false);
    if (this.peekChar() === "}") {
      this.pos++;
      return length ? { k: "length", name, quoted } : { k: "param", name, op: null, arg: null, quoted };
    }
    const op = length ? undefined : PARAM_OPS.find((o) => this.src.startsWith(o, this.pos));
    if (op === undefined) {
      const close = this.src.indexOf("}", this.pos);
      if (close < 0) throw unterminated();
      throw new ParseError(`\${${length ? "#" : ""}${name}${this.src.slice(this.pos, close)}}: bad substitution`, false);
    }
    this.pos += op.length;
    const arg = this.readBraceArg(quoted);
    if (arg === null) throw unterminated();
    return { k: "param", name, op, arg: { parts: arg }, quoted };
  }

  /** The word after a `${name:-` operator, up to the closing brace; spaces are literal. */
  private readBraceArg(quoted: boolean): WordPart[] | null {
    const parts: WordPart[] = [];
    for (;;) {
      const c = this.peekChar();
      if (c === "") return null;
      if (c === "}") {
        this.pos++;
        return mergeLits(parts);
      }
      if (c === "\\" && this.peekChar(1) !== "") {
        parts.push(lit(this.peekChar(1), true));
        this.pos += 2;
      } else if (c === "'" && !quoted) {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) return null;
        parts.push(lit(this.src.slice(this.pos + 1, end), true));
        this.pos = end + 1;
      } else if (c === '"' && !quoted) {
        this.pos++;
        parts.push(...this.readDoubleQuoted('"'));
      } else if (c === "$") parts.push(...this.readDollar(quoted));
      else if (c === "`") parts.push(this.readBackquote(quoted));
      else {
        parts.push(lit(c, quoted));
        this.pos++;
      }
    }
  }

  /** `$((expr))`: null when the parentheses do not close as `))` (then it is `$( (...) )`). */
  private readArithmetic(quoted: boolean): WordPart | null {
    let depth = 0;
    for (let i = this.pos + 3; i < this.src.length; i++) {
      const c = this.src[i];
      if (c === "(") depth++;
      else if (c === ")") {
        if (depth > 0) depth--;
        else if (this.src[i + 1] === ")") {
          const inner = new Lexer(this.src.slice(this.pos + 3, i), 0, this.sub, this.nesting);
          const expr = inner.readDoubleQuoted("");
          this.pos = i + 2;
          return { k: "arith", expr: { parts: expr }, quoted };
        } else return null;
      }
    }
    return null;
  }

  /** Backquotes (2.6.3): `\` keeps its meaning only before `$` `` ` `` `\` (and `"` in quotes). */
  private readBackquote(quoted: boolean): WordPart {
    let inner = "";
    let i = this.pos + 1;
    for (;;) {
      const c = this.src[i];
      if (c === undefined) throw new ParseError("unexpected EOF while looking for matching ``'", true);
      if (c === "`") break;
      const n = this.src[i + 1];
      if (c === "\\" && (n === "$" || n === "`" || n === "\\" || (quoted && n === '"'))) {
        inner += n;
        i += 2;
      } else {
        inner += c;
        i++;
      }
    }
    this.pos = i + 1;
    return { k: "cmd", program: this.sub(inner, 0, null).program, quoted };
  }

  /** bash's `$'...'`: ANSI C escapes. */
  private readAnsiC(): string {
    let out = "";
    for (;;) {
      const c = this.peekChar();
      if (c === "") throw new ParseError("unexpected EOF while looking for matching `''", true);
      this.pos++;
      if (c === "'") return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const rest = this.src.slice(this.pos);
      const esc = decodeEscape(rest, false);
      out += esc.text;
      this.pos += esc.used;
    }
  }

  private readHeredocs(): void {
    for (const doc of this.pending.splice(0)) {
      const lines: string[] = [];
      let found = false;
      while (this.pos < this.src.length) {
        const nl = this.src.indexOf("\n", this.pos);
        const end = nl < 0 ? this.src.length : nl;
        let line = this.src.slice(this.pos, end);
        this.pos = nl < 0 ? end : end + 1;
        if (doc.stripTabs) line = line.replace(/^\t+/, "");
        if (line === doc.delimiter) {
          found = true;
          break;
        }
        lines.push(line);
      }
      if (!found) {
        this.incomplete = true;
        this.warnings.push(`bash: warning: here-document at line 1 delimited by end-of-file (wanted \`${doc.delimiter}')`);
      }
      const text = lines.map((l) => `${l}\n`).join("");
      if (doc.quoted) doc.body.push(lit(text, true));
      else doc.body.push(...new Lexer(text, 0, this.sub, this.nesting).readDoubleQuoted(""));
    }
  }
}

function mergeLits(parts: WordPart[]): WordPart[] {
  const out: WordPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p.k === "lit" && last?.k === "lit" && last.quoted === p.quoted) out[out.length - 1] = lit(last.text + p.text, p.quoted);
    else out.push(p);
  }
  return out;
}
