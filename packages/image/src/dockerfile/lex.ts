import { DrydockError } from "@drydock/kernel";
import { isSpace } from "./split-command.js";

/**
 * Shell-style word processing and variable expansion as BuildKit's frontend/dockerfile/shell/lex.go
 * does it: quotes, the escape token, `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`, `${VAR:+word}`,
 * `${VAR+word}`, `${VAR:?msg}`, `${VAR?msg}`, and the pattern trims `#`, `##`, `%`, `%%`.
 */
export type Env = ReadonlyMap<string, string>;

export interface LexOptions {
  /** Keep quote characters in the output (heredoc detection uses this). */
  readonly rawQuotes?: boolean;
  /** Keep the escape token in the output. */
  readonly rawEscapes?: boolean;
  /** Leave `$VAR` text untouched when VAR is unset. */
  readonly skipUnsetEnv?: boolean;
  /**
   * BuildKit's lexer keeps the blanks after `<<` in the word (`<<  EOF` is one word). Only the
   * parser's heredoc detection needs it; the simulated shell splits words as sh does.
   */
  readonly heredocWords?: boolean;
  /**
   * Escape quotes, `$` and the escape token inside substituted values, so that a second,
   * unquoting pass over raw words (the simulated shell's) treats them as text, as sh does.
   */
  readonly escapeExpansions?: boolean;
}

const EOF = "";

class Scanner {
  pos = 0;
  constructor(readonly chars: readonly string[]) {}
  peek(): string {
    return this.chars[this.pos] ?? EOF;
  }
  next(): string {
    const c = this.chars[this.pos] ?? EOF;
    if (c !== EOF) this.pos++;
    return c;
  }
}

/** lex.go's isWhitespace: the shell's blanks. */
const isWhitespace = (ch: string): boolean => ch === " " || ch === "\t" || ch === "\n" || ch === "\r";
const isDigit = (ch: string): boolean => /^\p{Nd}$/u.test(ch);
const isLetter = (ch: string): boolean => /^\p{L}$/u.test(ch);

class Words {
  word = "";
  words: string[] = [];
  inWord = false;
  addChar(ch: string): void {
    if (isSpace(ch) && this.inWord) {
      if (this.word.length !== 0) {
        this.words.push(this.word);
        this.word = "";
        this.inWord = false;
      }
    } else if (!isSpace(ch)) this.addRawChar(ch);
  }
  addRawChar(ch: string): void {
    this.word += ch;
    this.inWord = true;
  }
  addString(s: string): void {
    for (const ch of s) this.addChar(ch);
  }
  addRawString(s: string): void {
    this.word += s;
    this.inWord = true;
  }
  getWords(): string[] {
    if (this.word.length > 0) {
      this.words.push(this.word);
      this.word = "";
      this.inWord = false;
    }
    return this.words;
  }
}

class LexError extends Error {}

/** Glob (`*`, `?`, literal) to a regular expression, for `${VAR#pattern}` and friends. */
function globToRegExp(pattern: string, greedy: boolean, anchor: "start" | "end"): RegExp {
  let re = "";
  for (const ch of pattern) {
    if (ch === "*") re += greedy ? ".*" : ".*?";
    else if (ch === "?") re += ".";
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(anchor === "start" ? `^${re}` : `${re}$`, "s");
}

function trimSuffix(value: string, pattern: string, longest: boolean): string {
  // The shortest suffix match starts as late as possible; try each start position.
  const re = new RegExp(`^(?:${globToRegExp(pattern, true, "start").source.slice(1)})$`, "s");
  if (longest) {
    for (let i = 0; i <= value.length; i++) if (re.test(value.slice(i))) return value.slice(0, i);
  } else {
    for (let i = value.length; i >= 0; i--) if (re.test(value.slice(i))) return value.slice(0, i);
  }
  return value;
}

function trimPrefix(value: string, pattern: string, longest: boolean): string {
  const re = new RegExp(`^(?:${globToRegExp(pattern, true, "start").source.slice(1)})$`, "s");
  if (longest) {
    for (let i = value.length; i >= 0; i--) if (re.test(value.slice(0, i))) return value.slice(i);
  } else {
    for (let i = 0; i <= value.length; i++) if (re.test(value.slice(0, i))) return value.slice(i);
  }
  return value;
}

class ShellWord {
  readonly scanner: Scanner;
  /** Names looked up during processing, for ARG "first use" cache rules. */
  readonly used = new Set<string>();
  constructor(
    source: string,
    readonly env: Env,
    readonly escapeToken: string,
    readonly opts: LexOptions,
  ) {
    this.scanner = new Scanner([...source]);
  }

  processStopOn(stopChar: string): [string, string[]] {
    let result = "";
    const words = new Words();
    while (this.scanner.peek() !== EOF) {
      const ch = this.scanner.peek();
      if (stopChar !== EOF && ch === stopChar) {
        this.scanner.next();
        return [result, words.getWords()];
      }
      if (ch === "'" || ch === '"' || ch === "$" || (ch === "<" && this.opts.heredocWords)) {
        const tmp = ch === "'" ? this.processSingleQuote() : ch === '"' ? this.processDoubleQuote() : ch === "<" ? this.processPossibleHeredoc() : this.processDollar();
        result += tmp;
        if (ch === "$") words.addString(tmp);
        else words.addRawString(tmp);
        continue;
      }
      let c = this.scanner.next();
      if (c === this.escapeToken) {
        if (this.opts.rawEscapes) {
          words.addRawChar(c);
          result += c;
        }
        c = this.scanner.next();
        if (c === EOF) break;
        words.addRawChar(c);
      } else words.addChar(c);
      result += c;
    }
    if (stopChar !== EOF) throw new LexError(`unexpected end of statement while looking for matching ${stopChar}`);
    return [result, words.getWords()];
  }

  /** `<<` takes the whitespace after it into the same word, so `<<  EOF` is one heredoc word (lex.go). */
  processPossibleHeredoc(): string {
    this.scanner.next();
    if (this.scanner.peek() !== "<") return "<";
    this.scanner.next();
    let space = "";
    while (isWhitespace(this.scanner.peek())) space += this.scanner.next();
    return `<<${space}`;
  }

  processSingleQuote(): string {
    // Everything up to the next ' is literal; ' cannot be escaped inside.
    let result = "";
    const open = this.scanner.next();
    if (this.opts.rawQuotes) result += open;
    for (;;) {
      const ch = this.scanner.next();
      if (ch === EOF) throw new LexError("unexpected end of statement while looking for matching single-quote");
      if (ch === "'") {
        if (this.opts.rawQuotes) result += ch;
        return result;
      }
      result += ch;
    }
  }

  processDoubleQuote(): string {
    this.inDouble++;
    try {
      return this.processDoubleQuoteInner();
    } finally {
      this.inDouble--;
    }
  }

  private processDoubleQuoteInner(): string {
    // Literal except $ and the escape token, which escapes only " $ and itself.
    let result = "";
    const open = this.scanner.next();
    if (this.opts.rawQuotes) result += open;
    for (;;) {
      const p = this.scanner.peek();
      if (p === EOF) throw new LexError("unexpected end of statement while looking for matching double-quote");
      if (p === '"') {
        this.scanner.next();
        if (this.opts.rawQuotes) result += p;
        return result;
      }
      if (p === "$") {
        result += this.processDollar();
        continue;
      }
      let ch = this.scanner.next();
      if (ch === this.escapeToken) {
        const n = this.scanner.peek();
        if (n === EOF) continue;
        if (n === '"' || n === "$" || n === this.escapeToken) {
          if (this.opts.rawEscapes) result += ch;
          ch = this.scanner.next();
        }
      }
      result += ch;
    }
  }

  /** Depth of double quotes being processed: substituted values are escaped for their context. */
  private inDouble = 0;

  private lookup(name: string): string | undefined {
    this.used.add(name);
    const v = this.env.get(name);
    return v === undefined || !this.opts.escapeExpansions ? v : this.escapeValue(v);
  }

  private escapeValue(v: string): string {
    const e = this.escapeToken;
    const special = this.inDouble > 0 ? ['"', "$", e] : ['"', "'", "$", e];
    let out = "";
    for (const ch of v) out += special.includes(ch) ? e + ch : ch;
    return out;
  }

  processDollar(): string {
    this.scanner.next();
    if (this.scanner.peek() !== "{") {
      const name = this.processName();
      if (name === "") return "$";
      const v = this.lookup(name);
      if (v === undefined && this.opts.skipUnsetEnv) return `$${name}`;
      return v ?? "";
    }
    this.scanner.next();
    const p = this.scanner.peek();
    if (p === EOF) throw new LexError("syntax error: missing '}'");
    if (p === "{" || p === "}" || p === ":") throw new LexError("syntax error: bad substitution");
    const name = this.processName();
    const ch = this.scanner.next();
    if (ch === "}") {
      const v = this.lookup(name);
      if (v === undefined && this.opts.skipUnsetEnv) return `\${${name}}`;
      return v ?? "";
    }
    if (ch === EOF) throw new LexError("syntax error: missing '}'");
    let colon = false;
    let modifier = ch;
    if (ch === ":") {
      colon = true;
      modifier = this.scanner.next();
    }
    let longest = false;
    if ((modifier === "#" || modifier === "%") && !colon && this.scanner.peek() === modifier) {
      this.scanner.next();
      longest = true;
    }
    let word: string;
    try {
      [word] = this.processStopOn("}");
    } catch (e) {
      if (this.scanner.peek() === EOF) throw new LexError("syntax error: missing '}'");
      throw e;
    }
    const value = this.lookup(name);
    const set = value !== undefined;
    const empty = !set || value === "";
    switch (modifier) {
      case "+":
        return (colon ? !empty : set) ? word : "";
      case "-":
        return (colon ? empty : !set) ? word : (value ?? "");
      case "?":
        if (colon ? empty : !set) {
          const message = word !== "" ? word : colon && set ? "is not allowed to be empty" : "is not allowed to be unset";
          throw new LexError(`${name}: ${message}`);
        }
        return value ?? "";
      case "#":
        if (!colon) return trimPrefix(value ?? "", word, longest);
        break;
      case "%":
        if (!colon) return trimSuffix(value ?? "", word, longest);
        break;
    }
    throw new LexError(`unsupported modifier (${colon ? ":" : ""}${modifier}) in substitution`);
  }

  processName(): string {
    let name = "";
    while (this.scanner.peek() !== EOF) {
      const ch = this.scanner.peek();
      if (name.length === 0 && isDigit(ch)) {
        while (this.scanner.peek() !== EOF && isDigit(this.scanner.peek())) name += this.scanner.next();
        return name;
      }
      if (name.length === 0 && "@*#?-$!0".includes(ch)) return this.scanner.next();
      if (!isLetter(ch) && !isDigit(ch) && ch !== "_") break;
      name += this.scanner.next();
    }
    return name;
  }
}

export interface ProcessResult {
  readonly word: string;
  readonly words: readonly string[];
  /** Variable names the text referred to. */
  readonly used: ReadonlySet<string>;
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** Words of text with no quotes or expansions: runs of non-space characters. */
function splitFields(text: string): string[] {
  const out: string[] = [];
  let word = "";
  for (const ch of text) {
    if (isSpace(ch)) {
      if (word !== "") out.push(word);
      word = "";
    } else word += ch;
  }
  if (word !== "") out.push(word);
  return out;
}

/** A lexer bound to an escape token ("\\" or "`"). */
export class ShellLex {
  constructor(
    readonly escapeToken: string = "\\",
    readonly options: LexOptions = {},
  ) {}

  process(source: string, env: Env): ProcessResult {
    // Fast path: nothing to expand, quote or escape (the common case for Dockerfile words).
    if (!this.options.rawQuotes && !this.options.rawEscapes && !source.includes("$") && !source.includes("'") && !source.includes('"') && !source.includes(this.escapeToken)) {
      return { word: source, words: splitFields(source), used: NO_NAMES };
    }
    const sw = new ShellWord(source, env, this.escapeToken, this.options);
    try {
      const [word, words] = sw.processStopOn(EOF);
      return { word, words, used: sw.used };
    } catch (e) {
      if (e instanceof LexError) throw new DrydockError("ESUBSTITUTION", `failed to process ${JSON.stringify(source)}: ${e.message}`);
      throw e;
    }
  }

  /** ProcessWord: expand variables and remove quotes, keeping spaces between words. */
  processWord(source: string, env: Env): string {
    return this.process(source, env).word;
  }

  /** ProcessWords: expand, then split into words on unquoted whitespace. */
  processWords(source: string, env: Env): string[] {
    return [...this.process(source, env).words];
  }
}

/** The names a text refers to as variables (used to find an ARG's first use). */
export function referencedVariables(source: string, escapeToken = "\\"): Set<string> {
  try {
    return new Set(new ShellLex(escapeToken).process(source, new Map()).used);
  } catch {
    return new Set();
  }
}
