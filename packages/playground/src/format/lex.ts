// The lexer of Go's text/template (src/text/template/parse/lex.go), Go ≥ 1.18: trim markers
// "{{- " and " -}}", comments "{{/* */}}", newlines allowed inside actions, `=` assignment,
// break/continue. It runs to the first error and returns every item at once; the parser reads
// them in order, so errors come out in the order Go reports them.
import { goQuote, goRuneDesc } from "./gofmt.js";

export type ItemType =
  | "error" | "bool" | "char" | "charConstant" | "complex" | "assign" | "declare" | "eof" | "field"
  | "identifier" | "leftDelim" | "leftParen" | "number" | "pipe" | "rawString" | "rightDelim"
  | "rightParen" | "space" | "string" | "text" | "variable"
  // keywords
  | "block" | "break" | "continue" | "dot" | "define" | "else" | "end" | "if" | "nil" | "range" | "template" | "with";

export interface Item {
  readonly typ: ItemType;
  readonly pos: number; // index into the template text
  readonly val: string;
  readonly line: number;
}

const KEYWORDS: ReadonlyMap<string, ItemType> = new Map<string, ItemType>([
  [".", "dot"], ["block", "block"], ["break", "break"], ["continue", "continue"], ["define", "define"],
  ["else", "else"], ["end", "end"], ["if", "if"], ["range", "range"], ["nil", "nil"],
  ["template", "template"], ["with", "with"],
]);

export const isKeyword = (t: ItemType): boolean => [...KEYWORDS.values()].includes(t);

/** Go's item.String(), used in "unexpected %s in %s". */
export function itemString(i: Item): string {
  if (i.typ === "eof") return "EOF";
  if (i.typ === "error") return i.val;
  if (isKeyword(i.typ)) return `<${i.val}>`;
  const runes = [...i.val];
  if (runes.length > 10) return goQuote(runes.slice(0, 10).join("")) + "...";
  return goQuote(i.val);
}

const LEFT = "{{";
const RIGHT = "}}";
const SPACE_CHARS = " \t\r\n";
const isSpace = (r: string | undefined): boolean => r !== undefined && r !== "" && SPACE_CHARS.includes(r);
const isAlphaNumeric = (r: string | undefined): boolean => r !== undefined && /^[\p{L}\p{Nd}_]$/u.test(r);
const hasLeftTrimMarker = (s: string): boolean => s.length >= 2 && s[0] === "-" && isSpace(s[1]);
const hasRightTrimMarker = (s: string): boolean => s.length >= 2 && isSpace(s[0]) && s[1] === "-";

export function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let parenDepth = 0;
  // Line numbers: 1 + newlines before a position, by binary search over newline offsets.
  const newlines: number[] = [];
  for (let i = 0; i < input.length; i++) if (input[i] === "\n") newlines.push(i);
  const lineAt = (p: number): number => {
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newlines[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  const emit = (typ: ItemType): void => {
    items.push({ typ, pos: start, val: input.slice(start, pos), line: lineAt(start) });
    start = pos;
  };
  const error = (msg: string): null => {
    items.push({ typ: "error", pos: start, val: msg, line: lineAt(start) });
    return null;
  };
  // Runes: read one code point (surrogate pairs together).
  const next = (): string => {
    if (pos >= input.length) return "";
    const cp = input.codePointAt(pos)!;
    const r = String.fromCodePoint(cp);
    pos += r.length;
    return r;
  };
  const peek = (): string => (pos >= input.length ? "" : String.fromCodePoint(input.codePointAt(pos)!));
  const accept = (valid: string): boolean => {
    const r = peek();
    if (r !== "" && valid.includes(r)) {
      pos += r.length;
      return true;
    }
    return false;
  };
  const acceptRun = (valid: string): void => {
    while (accept(valid));
  };
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    const rest = input.slice(pos, pos + 4);
    if (hasRightTrimMarker(rest) && rest.slice(2).startsWith(RIGHT)) return { delim: true, trim: true };
    return { delim: rest.startsWith(RIGHT), trim: false };
  };
  const atTerminator = (): boolean => {
    const r = peek();
    return isSpace(r) || r === "" || ".,|:)(".includes(r) || r === RIGHT[0];
  };
  const leftTrimLength = (from: number): number => {
    let n = 0;
    while (isSpace(input[from + n])) n++;
    return n;
  };

  type State = (() => State) | null;

  const lexText = (): State => {
    const x = input.indexOf(LEFT, pos);
    if (x < 0) {
      pos = input.length;
      if (pos > start) emit("text");
      emit("eof");
      return null;
    }
    pos = x;
    let trim = 0;
    if (hasLeftTrimMarker(input.slice(x + LEFT.length, x + LEFT.length + 2))) {
      while (pos - trim > start && isSpace(input[pos - trim - 1])) trim++;
    }
    pos -= trim;
    if (pos > start) emit("text");
    pos += trim;
    start = pos;
    return lexLeftDelim;
  };

  const lexLeftDelim = (): State => {
    pos += LEFT.length;
    const afterMarker = hasLeftTrimMarker(input.slice(pos, pos + 2)) ? 2 : 0;
    if (input.startsWith("/*", pos + afterMarker)) {
      pos += afterMarker;
      start = pos;
      return lexComment;
    }
    emit("leftDelim");
    pos += afterMarker;
    start = pos;
    parenDepth = 0;
    return lexInsideAction;
  };

  const lexComment = (): State => {
    pos += 2;
    const x = input.indexOf("*/", pos);
    if (x < 0) return error("unclosed comment");
    pos = x + 2;
    const { delim, trim } = atRightDelim();
    if (!delim) return error("comment ends before closing delimiter");
    if (trim) pos += 2;
    pos += RIGHT.length;
    if (trim) pos += leftTrimLength(pos);
    start = pos;
    return lexText;
  };

  const lexRightDelim = (): State => {
    const { trim } = atRightDelim();
    if (trim) {
      pos += 2;
      start = pos;
    }
    pos += RIGHT.length;
    emit("rightDelim");
    if (trim) {
      pos += leftTrimLength(pos);
      start = pos;
    }
    return lexText;
  };

  const lexInsideAction = (): State => {
    if (atRightDelim().delim) {
      if (parenDepth === 0) return lexRightDelim;
      return error("unclosed left paren");
    }
    const r = next();
    if (r === "") return error("unclosed action");
    if (isSpace(r)) {
      pos -= 1; // put the space back in case we have " -}}"
      return lexSpace;
    }
    switch (r) {
      case "=":
        emit("assign");
        return lexInsideAction;
      case ":":
        if (next() !== "=") return error("expected :=");
        emit("declare");
        return lexInsideAction;
      case "|":
        emit("pipe");
        return lexInsideAction;
      case '"':
        return lexQuote;
      case "`":
        return lexRawQuote;
      case "$":
        return lexVariable;
      case "'":
        return lexChar;
      case "(":
        parenDepth++;
        emit("leftParen");
        return lexInsideAction;
      case ")":
        parenDepth--;
        if (parenDepth < 0) return error("unexpected right paren");
        emit("rightParen");
        return lexInsideAction;
    }
    if (r === ".") {
      // ".field" unless a digit follows ('.' can start a number).
      const c = input[pos];
      if (c !== undefined && (c < "0" || c > "9")) return lexField;
    }
    if (r === "." || r === "+" || r === "-" || (r >= "0" && r <= "9")) {
      pos -= r.length;
      return lexNumber;
    }
    if (isAlphaNumeric(r)) {
      pos -= r.length;
      return lexIdentifier;
    }
    const cp = r.codePointAt(0)!;
    if (cp <= 0x7f && cp >= 0x20 && cp !== 0x7f) {
      emit("char");
      return lexInsideAction;
    }
    return error(`unrecognized character in action: ${goRuneDesc(r)}`);
  };

  const lexSpace = (): State => {
    let numSpaces = 0;
    while (isSpace(peek())) {
      pos++;
      numSpaces++;
    }
    // A trim-marked closing delimiter has a minus after a space.
    if (hasRightTrimMarker(input.slice(pos - 1, pos + 1)) && input.startsWith(RIGHT, pos + 1)) {
      pos--; // before the space
      if (numSpaces === 1) return lexInsideAction; // on the delimiter: go right to it
    }
    emit("space");
    return lexInsideAction;
  };

  const lexIdentifier = (): State => {
    while (isAlphaNumeric(peek())) next();
    if (!atTerminator()) return error(`bad character ${goRuneDesc(peek())}`);
    const word = input.slice(start, pos);
    const keyword = KEYWORDS.get(word);
    if (keyword !== undefined && keyword !== "dot") emit(keyword);
    else if (word === "true" || word === "false") emit("bool");
    else emit("identifier");
    return lexInsideAction;
  };

  const lexFieldOrVariable = (typ: "field" | "variable"): State => {
    if (atTerminator()) {
      emit(typ === "variable" ? "variable" : "dot");
      return lexInsideAction;
    }
    while (isAlphaNumeric(peek())) next();
    if (!atTerminator()) return error(`bad character ${goRuneDesc(peek())}`);
    emit(typ);
    return lexInsideAction;
  };
  const lexField = (): State => lexFieldOrVariable("field");
  const lexVariable = (): State => (atTerminator() ? (emit("variable"), lexInsideAction) : lexFieldOrVariable("variable"));

  const lexChar = (): State => {
    for (;;) {
      const r = next();
      if (r === "\\") {
        const e = next();
        if (e !== "" && e !== "\n") continue;
        return error("unterminated character constant");
      }
      if (r === "" || r === "\n") return error("unterminated character constant");
      if (r === "'") break;
    }
    emit("charConstant");
    return lexInsideAction;
  };

  const scanNumber = (): boolean => {
    accept("+-");
    let digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (accept("oO")) digits = "01234567_";
      else if (accept("bB")) digits = "01_";
    }
    acceptRun(digits);
    if (accept(".")) acceptRun(digits);
    if (digits.length === 11 && accept("eE")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    if (digits.length === 23 && accept("pP")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    accept("i");
    if (isAlphaNumeric(peek())) {
      next();
      return false;
    }
    return true;
  };

  const lexNumber = (): State => {
    if (!scanNumber()) return error(`bad number syntax: ${goQuote(input.slice(start, pos))}`);
    const sign = peek();
    if (sign === "+" || sign === "-") {
      // Complex: 1+2i. No spaces, must end in 'i'.
      if (!scanNumber() || input[pos - 1] !== "i") return error(`bad number syntax: ${goQuote(input.slice(start, pos))}`);
      emit("complex");
    } else emit("number");
    return lexInsideAction;
  };

  const lexQuote = (): State => {
    for (;;) {
      const r = next();
      if (r === "\\") {
        const e = next();
        if (e !== "" && e !== "\n") continue;
        return error("unterminated quoted string");
      }
      if (r === "" || r === "\n") return error("unterminated quoted string");
      if (r === '"') break;
    }
    emit("string");
    return lexInsideAction;
  };

  const lexRawQuote = (): State => {
    const x = input.indexOf("`", pos);
    if (x < 0) return error("unterminated raw quoted string");
    pos = x + 1;
    emit("rawString");
    return lexInsideAction;
  };

  let state: State = lexText;
  while (state !== null) state = state();
  return items;
}
