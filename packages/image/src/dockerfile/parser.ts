import { own, utf8Length } from "../util/hash.js";
import { DrydockError } from "@drydock/kernel";
import { ShellLex } from "./lex.js";
import {
  parseHealthConfig, parseMaybeJSON, parseMaybeJSONToList, parseNameOrNameVal, parseNameVal, parseString,
  parseStringsWhitespaceDelimited, type LineParse,
} from "./line-parsers.js";
import { splitCommand, trimLeftSpace } from "./split-command.js";

/** A heredoc attached to RUN, COPY or ADD (`<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`). */
export interface Heredoc {
  readonly name: string;
  readonly fileDescriptor: number;
  /** False when the delimiter was quoted: the content is then not expanded. */
  readonly expand: boolean;
  /** `<<-`: leading tabs are stripped from the content and the terminator. */
  readonly chomp: boolean;
  /** The raw lines, each with its newline. */
  readonly content: string;
}

/** One instruction of BuildKit's AST, with its arguments exactly as its parser gives them. */
export interface Instruction {
  /** Lower case: "from", "run", … (an unknown keyword is kept, and rejected when the build reads it). */
  readonly keyword: string;
  readonly args: readonly string[];
  /** True for the exec (JSON array) form. */
  readonly json: boolean;
  /** Leading `--name=value` flags, as written (`--from=build`). */
  readonly flags: readonly string[];
  readonly heredocs: readonly Heredoc[];
  /** 1-based lines of the first and last source line, heredoc bodies included. */
  readonly startLine: number;
  readonly endLine: number;
  /** The logical line (continuations joined, comments dropped). */
  readonly original: string;
  /** ONBUILD's trigger instruction. */
  readonly trigger?: Instruction;
  /** Comments directly above the instruction. */
  readonly comments: readonly string[];
}

export interface ParsedDockerfile {
  /** Parser directives found at the top (`syntax`, `escape`, `check`), keys in lower case. */
  readonly directives: Readonly<Record<string, string>>;
  readonly escape: "\\" | "`";
  readonly warnings: readonly string[];
  readonly instructions: readonly Instruction[];
}

type LineParser = (rest: string, escape: string) => LineParse;

const DISPATCH: Readonly<Record<string, LineParser>> = {
  add: (r) => parseMaybeJSONToList(r),
  arg: (r, e) => parseNameOrNameVal(r, e),
  cmd: (r) => parseMaybeJSON(r),
  copy: (r) => parseMaybeJSONToList(r),
  entrypoint: (r) => parseMaybeJSON(r),
  env: (r, e) => parseNameVal(r, "ENV", e),
  expose: (r) => parseStringsWhitespaceDelimited(r),
  from: (r) => parseStringsWhitespaceDelimited(r),
  healthcheck: (r) => parseHealthConfig(r),
  label: (r, e) => parseNameVal(r, "LABEL", e),
  maintainer: (r) => parseString(r),
  run: (r) => parseMaybeJSON(r),
  shell: (r) => parseMaybeJSON(r),
  stopsignal: (r) => parseString(r),
  user: (r) => parseString(r),
  volume: (r) => parseMaybeJSONToList(r),
  workdir: (r) => parseString(r),
};

export const KNOWN_INSTRUCTIONS: readonly string[] = [...Object.keys(DISPATCH), "onbuild"].sort();

const HEREDOC_KEYWORDS = new Set(["add", "copy", "run"]);
const VALID_DIRECTIVES = new Set(["escape", "syntax", "check"]);
// Go's RE2 \s is ASCII [\t\n\f\r ] only.
const reDirective = /^#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$/;
// Current BuildKit allows blanks between `<<` and the delimiter (`RUN <<  EOF`); RE2's \s is ASCII.
const reHeredoc = /^(\d*)<<(-?)[\t\n\f\r ]*([^<]*)$/;

class Directives {
  escape: "\\" | "`" = "\\";
  continuation = /([^\\])\\[ \t]*$|^\\[ \t]*$/;
  done = false;
  readonly seen: Record<string, string> = {};

  setEscape(token: string): void {
    if (token !== "`" && token !== "\\") {
      throw new DrydockError("EDOCKERFILE", `invalid escape token '${token}' does not match \` or \\`);
    }
    this.escape = token;
    const e = token === "\\" ? "\\\\" : "`";
    this.continuation = new RegExp(`([^${e}])${e}[ \\t]*$|^${e}[ \\t]*$`);
  }

  /** Directives count only in the comment lines before anything else (a blank line ends them). */
  possible(line: string): void {
    if (this.done) return;
    const m = reDirective.exec(line);
    if (!m) {
      this.done = true;
      return;
    }
    const key = m[1]!.toLowerCase();
    if (!VALID_DIRECTIVES.has(key)) {
      this.done = true;
      return;
    }
    if (key in this.seen) throw new DrydockError("EDOCKERFILE", `only one ${key} parser directive can be used`);
    this.seen[key] = m[2]!;
    if (key === "escape") this.setEscape(m[2]!);
  }
}

function withLocation(e: unknown, line: number): never {
  if (e instanceof DrydockError) {
    throw new DrydockError(e.code, e.message, e.location ?? { line: Math.max(line, 1), column: 1 });
  }
  throw e;
}

/** bufio.MaxScanTokenSize - 1: the longest line (in UTF-8 bytes, without its newline) the scanner reads. */
const MAX_LINE_BYTES = 65_535;

/** Splits text into lines, keeping each line's ending (BuildKit's scanLines). */
function scanLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const i = text.indexOf("\n", start);
    if (i < 0) break;
    lines.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

const trimNewline = (s: string): string => s.replace(/[\r\n]+$/, "");
const trimLeadingWhitespace = trimLeftSpace;
const isComment = (s: string): boolean => trimLeadingWhitespace(trimNewline(s)).startsWith("#");
const isEmptyContinuationLine = (s: string): boolean => trimLeadingWhitespace(trimNewline(s)).length === 0;

function processLine(d: Directives, token: string, stripLeft: boolean): string {
  let t = trimNewline(token);
  if (stripLeft) t = trimLeadingWhitespace(t);
  d.possible(t);
  return t.startsWith("#") ? "" : t;
}

function trimContinuation(line: string, d: Directives): [string, boolean] {
  if (d.continuation.test(line)) return [line.replace(d.continuation, "$1"), false];
  return [line, true];
}

interface Node {
  keyword: string;
  rawKeyword: string;
  args: string[];
  json: boolean;
  flags: string[];
  original: string;
  trigger?: Node;
}

function nodeFromLine(line: string, d: Directives): Node {
  const { cmd, flags, args } = splitCommand(line);
  const keyword = cmd.toLowerCase();
  if (keyword === "onbuild") {
    if (args === "") return { keyword, rawKeyword: cmd, args: [], json: false, flags, original: line };
    const trigger = nodeFromLine(args, d);
    return { keyword, rawKeyword: cmd, args: [trigger.keyword, trigger.original], json: false, flags, original: line, trigger };
  }
  const fn = own(DISPATCH, keyword);
  // BuildKit's parseIgnore keeps an unknown instruction with one empty argument node (it dumps as
  // `(foo "")`); the build rejects it.
  const parsed = fn ? fn(args, d.escape) : { args: [""], json: false };
  return { keyword, rawKeyword: cmd, args: parsed.args, json: parsed.json, flags, original: line };
}

function canContainHeredoc(node: Node): boolean {
  const n = node.keyword === "onbuild" && node.trigger ? node.trigger : node;
  return HEREDOC_KEYWORDS.has(n.keyword) && !n.json;
}

/** Heredoc markers among the line's words, parsed as BuildKit's heredocsFromLine does. */
function heredocsFromLine(line: string): Omit<Heredoc, "content">[] {
  const raw = new ShellLex("\\", { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true, heredocWords: true });
  let words: string[];
  try {
    words = raw.processWords(line, new Map());
  } catch {
    return [];
  }
  const docs: Omit<Heredoc, "content">[] = [];
  for (const word of words) {
    const m = reHeredoc.exec(word);
    if (!m || m[3] === "") continue;
    const rest = m[3]!;
    const unquoted = new ShellLex("\\", { skipUnsetEnv: true }).processWords(rest, new Map());
    if (unquoted.length !== 1) continue;
    const rawWords = new ShellLex("\\", { rawQuotes: true, skipUnsetEnv: true }).processWords(rest, new Map());
    const quotes = (s: string): number => (s.match(/['"]/g) ?? []).length;
    docs.push({
      name: unquoted[0]!,
      fileDescriptor: m[1] ? Number.parseInt(m[1], 10) : 0,
      chomp: m[2] === "-",
      expand: quotes(unquoted[0]!) === quotes(rawWords[0] ?? ""),
    });
  }
  return docs;
}

function freeze(node: Node, heredocs: Heredoc[], startLine: number, endLine: number, comments: string[]): Instruction {
  return {
    keyword: node.keyword,
    args: node.args,
    json: node.json,
    flags: node.flags,
    heredocs,
    startLine,
    endLine,
    original: node.original,
    comments,
    ...(node.trigger ? { trigger: freeze(node.trigger, [], startLine, endLine, []) } : {}),
  };
}

/**
 * Parses a Dockerfile as BuildKit's frontend/dockerfile/parser.Parse does. Throws DrydockError
 * (code EDOCKERFILE, BuildKit's wording, with the line) on malformed input.
 */
export function parseDockerfile(text: string): ParsedDockerfile {
  const d = new Directives();
  const lines = scanLines(text);
  // bufio.Scanner stops at a line that does not fit its 64 KiB buffer; what came before still parses.
  const tooLong = lines.findIndex((l) => l.length > MAX_LINE_BYTES / 4 && utf8Length(trimNewline(l)) > MAX_LINE_BYTES);
  if (tooLong >= 0) lines.length = tooLong;
  const instructions: Instruction[] = [];
  const warnings: string[] = [];
  let comments: string[] = [];
  let i = 0;
  let currentLine = 0;
  while (i < lines.length) {
    let raw = lines[i++]!;
    if (currentLine === 0 && raw.startsWith("\uFEFF")) raw = raw.slice(1);
    if (isComment(raw)) comments.push(trimLeadingWhitespace(trimNewline(raw)).slice(1).trim());
    let processed: string;
    try {
      processed = processLine(d, raw, true);
    } catch (e) {
      withLocation(e, currentLine + 1);
    }
    currentLine++;
    const startLine = currentLine;
    let [line, isEnd] = trimContinuation(processed, d);
    if (isEnd && line === "") continue;
    let hasEmptyContinuation = false;
    while (!isEnd && i < lines.length) {
      const next = lines[i++]!;
      const p = processLine(d, next, false);
      currentLine++;
      if (isComment(next)) continue;
      if (isEmptyContinuationLine(p)) {
        hasEmptyContinuation = true;
        continue;
      }
      const [cont, end] = trimContinuation(p, d);
      line += cont;
      isEnd = end;
    }
    if (hasEmptyContinuation) warnings.push(`[WARNING]: Empty continuation line found in:\n    ${line}`);
    let node: Node;
    try {
      node = nodeFromLine(line, d);
    } catch (e) {
      withLocation(e, startLine);
    }
    const heredocs: Heredoc[] = [];
    if (canContainHeredoc(node)) {
      for (const doc of heredocsFromLine(line)) {
        let content = "";
        let terminated = false;
        while (i < lines.length) {
          const body = lines[i++]!;
          currentLine++;
          let candidate = trimNewline(body);
          if (doc.chomp) candidate = candidate.replace(/^\t+/, "");
          if (candidate === doc.name) {
            terminated = true;
            break;
          }
          content += body;
        }
        if (!terminated) throw new DrydockError("EDOCKERFILE", "unterminated heredoc", { line: startLine, column: 1 });
        heredocs.push({ ...doc, content });
      }
    }
    instructions.push(freeze(node, heredocs, startLine, currentLine, comments));
    comments = [];
  }
  if (warnings.length > 0) warnings.push("[WARNING]: Empty continuation lines will become errors in a future release.");
  if (instructions.length === 0) {
    throw new DrydockError("EDOCKERFILE", "file with no instructions", { line: Math.max(currentLine, 1), column: 1 });
  }
  if (tooLong >= 0) {
    throw new DrydockError("EDOCKERFILE", `dockerfile line greater than max allowed size of ${MAX_LINE_BYTES}`, { line: Math.max(currentLine, 1), column: 1 });
  }
  return { directives: { ...d.seen, ...detectAfterShebang(lines, d.seen) }, escape: d.escape, warnings, instructions };
}

/**
 * BuildKit's DetectSyntax / ParseDirective skip a `#!` shebang on the first line before looking for
 * `# syntax=` and `# check=` (the escape directive is read by the parser itself, which does not).
 */
function detectAfterShebang(lines: readonly string[], seen: Readonly<Record<string, string>>): Record<string, string> {
  const first = (lines[0] ?? "").replace(/^\uFEFF/, "");
  if (!first.startsWith("#!")) return {};
  const out: Record<string, string> = {};
  for (const raw of lines.slice(1)) {
    const m = reDirective.exec(trimNewline(raw));
    if (!m) break;
    const key = m[1]!.toLowerCase();
    if (!VALID_DIRECTIVES.has(key)) break;
    if ((key === "syntax" || key === "check") && !(key in seen) && !(key in out)) out[key] = m[2]!;
  }
  return out;
}

/** `<<-` heredocs: strip leading tabs from each content line (ChompHeredocContent). */
export function chompHeredocContent(content: string): string {
  return content.replace(/^\t+/gm, "");
}

/** Go's strconv.Quote for the printable strings Dockerfiles hold (JSON's escaping agrees on them). */
function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\u007f/g, "\\x7f");
}

function dumpOne(ins: Instruction): string {
  let str = ins.keyword;
  if (ins.flags.length > 0) str += ` [${ins.flags.map(goQuote).join(" ")}]`;
  if (ins.trigger) str += ` (${dumpOne(ins.trigger)})`;
  else for (const a of ins.args) str += ` ${goQuote(a)}`;
  return str.trim();
}

/**
 * The AST as BuildKit's Node.Dump prints it, one `(keyword "arg" …)` line per instruction: the
 * format of its parser test corpus (testfiles/*\/result), so that corpus can check this parser.
 */
export function dumpAst(parsed: ParsedDockerfile): string {
  return parsed.instructions.map((i) => `(${dumpOne(i)})\n`).join("");
}
