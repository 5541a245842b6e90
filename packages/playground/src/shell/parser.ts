// The shell grammar (POSIX XCU 2.9, 2.10) as recursive descent over the lexer's tokens, with
// bash's error texts: `syntax error near unexpected token `X'` and `unexpected end of file`.
import type { AndOr, Assignment, Command, Pipeline, Program, RedirOp, Redirect, Word, WordPart } from "./ast.js";
import { Lexer, NESTING_MAX, ParseError, type Token, tooDeep } from "./lexer.js";

export { ParseError } from "./lexer.js";

export type ParseResult =
  | { readonly ok: true; readonly program: Program; readonly warnings: readonly string[]; readonly incomplete: boolean }
  | { readonly ok: false; readonly error: string; readonly incomplete: boolean };

const REDIRECT_OPS = new Set(["<", ">", ">>", ">|", "<>", "<&", ">&", "&>", "&>>", "<<", "<<-", "<<<"]);
/** Reserved words that end a compound list and cannot start a command. */
const CLOSERS = new Set(["then", "elif", "else", "fi", "do", "done", "}", "in", "esac"]);
const ESAC = new Set(["esac"]);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

/** Parses a whole line (which may hold several lines: heredoc bodies, continuations). */
export function parseLine(line: string): ParseResult {
  // The same line is typed again and again (history, scripts, a bench of 10,000 `docker run`s):
  // its parse is a pure function of its text, and the AST is read only, so the last few are kept.
  const known = PARSED.get(line);
  if (known !== undefined) return known;
  const parsed = parseLineText(line);
  if (line.length <= PARSED_LINE_MAX) {
    if (PARSED.size >= PARSED_MAX) PARSED.delete(PARSED.keys().next().value!);
    PARSED.set(line, parsed);
  }
  return parsed;
}

/** parseLine's cache: at most PARSED_MAX lines of at most PARSED_LINE_MAX characters, the oldest dropped first. */
const PARSED = new Map<string, ParseResult>();
const PARSED_MAX = 256;
const PARSED_LINE_MAX = 4096;

function parseLineText(line: string): ParseResult {
  try {
    const parser = new Parser(line, 0);
    const program = parser.parseList(() => false);
    const tok = parser.peek();
    if (tok.t !== "eof") throw parser.unexpected(tok);
    return { ok: true, program, warnings: parser.lexer.warnings, incomplete: parser.lexer.incomplete };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: e.message, incomplete: e.incomplete };
    throw e;
  }
}

/** Does a typed line need more input (open quote, trailing `\` or `|`, open `if`, heredoc)? */
export function isComplete(text: string): boolean {
  const parsed = parseLine(text);
  return !parsed.incomplete;
}

function subParse(src: string, pos: number, closer: ")" | null, depth: number): { program: Program; end: number } {
  if (depth > NESTING_MAX) throw tooDeep();
  const parser = new Parser(src, pos, depth);
  const program = parser.parseList((t) => closer !== null && t.t === "op" && t.op === closer);
  const tok = parser.take();
  if (closer === null ? tok.t !== "eof" : !(tok.t === "op" && tok.op === closer)) {
    throw tok.t === "eof" ? new ParseError("unexpected EOF while looking for matching `)'", true) : parser.unexpected(tok);
  }
  return { program, end: parser.lexer.pos };
}

class Parser {
  readonly lexer: Lexer;
  private peeked: Token | null = null;
  /** Where the peeked token's text began (before the blanks in front of it). */
  private peekedAt = 0;

  constructor(private readonly src: string, pos: number, private depth = 0) {
    this.lexer = new Lexer(src, pos, (s, p, c) => subParse(s, p, c, this.depth + 1), depth);
  }

  peek(): Token {
    if (this.peeked === null) this.peekedAt = this.lexer.pos;
    this.peeked ??= this.lexer.next();
    return this.peeked;
  }

  take(): Token {
    const tok = this.peek();
    this.peeked = null;
    return tok;
  }

  unexpected(tok: Token): ParseError {
    if (tok.t === "eof") return new ParseError("syntax error: unexpected end of file", true);
    const text = tok.t === "nl" ? "newline" : tok.t === "op" ? tok.op : tok.t === "io" ? String(tok.fd) : tok.raw;
    return new ParseError(`syntax error near unexpected token \`${text}'`, false);
  }

  private skipNewlines(): void {
    while (this.peek().t === "nl") this.take();
  }

  private isReserved(tok: Token, words: ReadonlySet<string>): boolean {
    return tok.t === "word" && tok.plain !== null && words.has(tok.plain);
  }

  /** A compound list (2.9.3): and-or lists separated by `;`, `&` or newlines, until `stop`. */
  parseList(stop: (tok: Token) => boolean): Program {
    const items: AndOr[] = [];
    this.skipNewlines();
    for (;;) {
      const tok = this.peek();
      if (tok.t === "eof" || stop(tok)) break;
      const start = this.peekedAt;
      const andOr = this.parseAndOr();
      const sep = this.peek();
      if (sep.t === "op" && (sep.op === ";" || sep.op === "&")) {
        const end = this.peekedAt;
        this.take();
        items.push(sep.op === "&" ? { ...andOr, background: true, source: this.src.slice(start, end).trim() } : andOr);
        this.skipNewlines();
      } else if (sep.t === "nl") {
        items.push(andOr);
        this.skipNewlines();
      } else {
        items.push(andOr);
        break;
      }
    }
    return { items };
  }

  /** A list that must not be empty, ended by one of the reserved `closers`. */
  private parseBody(closers: ReadonlySet<string>): Program {
    const body = this.parseList((t) => this.isReserved(t, closers));
    if (body.items.length === 0) throw this.unexpected(this.peek());
    return body;
  }

  private expectWord(word: string): void {
    const tok = this.take();
    if (!(tok.t === "word" && tok.plain === word)) throw this.unexpected(tok);
  }

  private parseAndOr(): AndOr {
    const first = this.parsePipeline();
    const rest: { op: "&&" | "||"; pipeline: Pipeline }[] = [];
    for (;;) {
      const tok = this.peek();
      if (!(tok.t === "op" && (tok.op === "&&" || tok.op === "||"))) break;
      this.take();
      this.skipNewlines();
      rest.push({ op: tok.op, pipeline: this.parsePipeline() });
    }
    return { first, rest, background: false };
  }

  private parsePipeline(): Pipeline {
    let negate = false;
    let time: "bash" | "posix" | undefined;
    let tok = this.peek();
    // bash's grammar: pipeline: [time [-p]] [!] command [| command]... ; `time` is a reserved word.
    if (tok.t === "word" && tok.plain === "time") {
      this.take();
      time = "bash";
      tok = this.peek();
      if (tok.t === "word" && tok.plain === "-p") {
        this.take();
        time = "posix";
        tok = this.peek();
      }
      // `time` alone (or before `;`, `&&`…) times an empty pipeline, as bash does.
      if (tok.t === "eof" || tok.t === "nl" || (tok.t === "op" && [";", "&", "&&", "||"].includes(tok.op))) return { negate, time, commands: [] };
    }
    if (tok.t === "word" && tok.plain === "!") {
      this.take();
      negate = true;
    }
    const commands = [this.parseCommand()];
    for (;;) {
      const pipe = this.peek();
      if (!(pipe.t === "op" && pipe.op === "|")) break;
      this.take();
      this.skipNewlines();
      commands.push(this.parseCommand());
    }
    return time === undefined ? { negate, commands } : { negate, time, commands };
  }

  private parseCommand(): Command {
    if (++this.depth > NESTING_MAX) throw tooDeep();
    try {
      return this.parseCommandInner();
    } finally {
      this.depth--;
    }
  }

  private parseCommandInner(): Command {
    const tok = this.peek();
    if (tok.t === "op" && tok.op === "(") {
      this.take();
      const body = this.parseList((t) => t.t === "op" && t.op === ")");
      const close = this.take();
      if (!(close.t === "op" && close.op === ")") || body.items.length === 0) throw this.unexpected(close);
      return { type: "subshell", body, redirects: this.parseRedirects() };
    }
    if (tok.t === "word" && tok.plain !== null) {
      switch (tok.plain) {
        case "{": {
          this.take();
          const body = this.parseBody(new Set(["}"]));
          this.expectWord("}");
          return { type: "group", body, redirects: this.parseRedirects() };
        }
        case "if":
          return this.parseIf();
        case "for":
          return this.parseFor();
        case "case":
          return this.parseCase();
        case "function": {
          // bash's `function name [()] compound-command`.
          this.take();
          const nameTok = this.take();
          if (nameTok.t !== "word" || nameTok.plain === null) throw this.unexpected(nameTok);
          const open = this.peek();
          if (open.t === "op" && open.op === "(") {
            this.take();
            const close = this.take();
            if (!(close.t === "op" && close.op === ")")) throw this.unexpected(close);
          }
          return this.parseFunctionBody(nameTok.plain);
        }
        case "while":
        case "until": {
          this.take();
          const cond = this.parseBody(new Set(["do"]));
          this.expectWord("do");
          const body = this.parseBody(new Set(["done"]));
          this.expectWord("done");
          return { type: "while", until: tok.plain === "until", cond, body, redirects: this.parseRedirects() };
        }
        default:
          if (CLOSERS.has(tok.plain)) throw this.unexpected(tok);
      }
    }
    return this.parseSimple();
  }

  private parseIf(): Command {
    this.take();
    const branches: { cond: Program; body: Program }[] = [];
    let otherwise: Program | null = null;
    for (;;) {
      const cond = this.parseBody(new Set(["then"]));
      this.expectWord("then");
      const body = this.parseBody(new Set(["elif", "else", "fi"]));
      branches.push({ cond, body });
      const next = this.take();
      if (next.t === "word" && next.plain === "elif") continue;
      if (next.t === "word" && next.plain === "else") {
        otherwise = this.parseBody(new Set(["fi"]));
        this.expectWord("fi");
      } else if (!(next.t === "word" && next.plain === "fi")) throw this.unexpected(next);
      break;
    }
    return { type: "if", branches, otherwise, redirects: this.parseRedirects() };
  }

  private parseFor(): Command {
    this.take();
    const nameTok = this.take();
    if (nameTok.t !== "word") throw this.unexpected(nameTok);
    if (nameTok.plain === null || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(nameTok.plain)) {
      throw new ParseError(`\`${nameTok.raw}': not a valid identifier`, false);
    }
    let items: Word[] | null = null;
    this.skipNewlines();
    const tok = this.peek();
    if (tok.t === "word" && tok.plain === "in") {
      this.take();
      items = [];
      for (let w = this.peek(); w.t === "word"; w = this.peek()) items.push((this.take() as { word: Word }).word);
    }
    const sep = this.peek();
    if ((sep.t === "op" && sep.op === ";") || sep.t === "nl") this.take();
    this.skipNewlines();
    this.expectWord("do");
    const body = this.parseBody(new Set(["done"]));
    this.expectWord("done");
    return { type: "for", name: nameTok.plain, items, body, redirects: this.parseRedirects() };
  }

  /** 2.10.2's case_clause: `case WORD in [(]pat[|pat]...) list ;; ... esac`, the last `;;` optional. */
  private parseCase(): Command {
    this.take();
    const wordTok = this.take();
    if (wordTok.t !== "word") throw this.unexpected(wordTok);
    this.skipNewlines();
    this.expectWord("in");
    const clauses: { patterns: Word[]; body: Program }[] = [];
    for (;;) {
      this.skipNewlines();
      let tok = this.take();
      if (tok.t === "word" && tok.plain === "esac") break;
      if (tok.t === "op" && tok.op === "(") tok = this.take();
      const patterns: Word[] = [];
      for (;;) {
        if (tok.t !== "word") throw this.unexpected(tok);
        patterns.push(tok.word);
        const next = this.take();
        if (next.t === "op" && next.op === ")") break;
        if (!(next.t === "op" && next.op === "|")) throw this.unexpected(next);
        tok = this.take();
      }
      const body = this.parseList((t) => (t.t === "op" && t.op === ";;") || this.isReserved(t, ESAC));
      clauses.push({ patterns, body });
      const end = this.take();
      if (end.t === "word" && end.plain === "esac") break;
      if (!(end.t === "op" && end.op === ";;")) throw this.unexpected(end);
    }
    return { type: "case", word: wordTok.word, clauses, redirects: this.parseRedirects() };
  }

  private parseRedirects(): Redirect[] {
    const out: Redirect[] = [];
    for (let r = this.tryRedirect(); r !== null; r = this.tryRedirect()) out.push(r);
    return out;
  }

  /** `[n]op word`; a heredoc's body is filled in when the lexer passes the next newline. */
  private tryRedirect(): Redirect | null {
    let tok = this.peek();
    let fd: number | null = null;
    if (tok.t === "io") {
      this.take();
      fd = tok.fd;
      tok = this.peek();
      if (!(tok.t === "op" && REDIRECT_OPS.has(tok.op))) throw this.unexpected(tok);
    }
    if (!(tok.t === "op" && REDIRECT_OPS.has(tok.op))) return null;
    this.take();
    const op = tok.op as RedirOp;
    const target = this.take();
    // bash names the end of the line `newline` here, even at the end of the input.
    if (target.t === "eof") throw this.unexpected({ t: "nl" });
    if (target.t !== "word") throw this.unexpected(target);
    const defaultFd = op.startsWith("<") ? 0 : 1;
    if (op === "<<" || op === "<<-") {
      const body: WordPart[] = this.lexer.heredoc(target.raw, op === "<<-");
      return { fd: fd ?? 0, op, target: { parts: body } };
    }
    return { fd: fd ?? defaultFd, op, target: target.word };
  }

  /** The compound command a function runs (2.9.5: a group, a subshell, if, for, while, case). */
  private parseFunctionBody(name: string): Command {
    this.skipNewlines();
    const tok = this.peek();
    const compound = (tok.t === "op" && tok.op === "(") || (tok.t === "word" && tok.plain !== null && ["{", "if", "for", "while", "until", "case"].includes(tok.plain));
    if (!compound) throw this.unexpected(tok);
    if (!/^[A-Za-z_][A-Za-z0-9_.:-]*$/.test(name)) throw new ParseError(`\`${name}': not a valid identifier`, false);
    return { type: "function", name, body: this.parseCommand() };
  }

  private parseSimple(): Command {
    const assigns: Assignment[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const redirect = this.tryRedirect();
      if (redirect !== null) {
        redirects.push(redirect);
        continue;
      }
      const tok = this.peek();
      if (tok.t === "op" && tok.op === "(" && words.length === 1 && assigns.length === 0 && redirects.length === 0) {
        // `name() compound-command`: a function definition (2.9.5).
        const name = words[0]!.parts.length === 1 && words[0]!.parts[0]!.k === "lit" && !words[0]!.parts[0]!.quoted ? words[0]!.parts[0]!.text : null;
        this.take();
        const close = this.take();
        if (name === null || !(close.t === "op" && close.op === ")")) throw this.unexpected(close);
        return this.parseFunctionBody(name);
      }
      if (tok.t !== "word") break;
      this.take();
      const assignment = words.length === 0 ? asAssignment(tok.word) : null;
      if (assignment !== null) assigns.push(assignment);
      else words.push(tok.word);
    }
    if (assigns.length === 0 && words.length === 0 && redirects.length === 0) throw this.unexpected(this.peek());
    return { type: "simple", assigns, words, redirects };
  }
}

/** `NAME=value` before the command name (2.9.1): the name must be unquoted. */
export function asAssignment(word: Word): Assignment | null {
  const first = word.parts[0];
  if (first?.k !== "lit" || first.quoted) return null;
  const m = ASSIGNMENT.exec(first.text);
  if (m === null) return null;
  const name = m[1] as string;
  const restText = first.text.slice(m[0].length);
  const value: WordPart[] = restText === "" ? [] : [{ k: "lit", text: restText, quoted: false }];
  return { name, value: { parts: [...value, ...word.parts.slice(1)] } };
}
