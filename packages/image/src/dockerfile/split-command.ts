/**
 * splitCommand and extractBuilderFlags from BuildKit's split_command.go: the keyword, the leading
 * `--flag=value` words, and the rest of the line. A bare `--` ends the flags.
 */
const tokenWhitespace = /[\t\v\f\r ]+/;
/**
 * Go's unicode.IsSpace (Unicode White_Space): unlike JS's \s it includes U+0085 and excludes
 * U+FEFF, so `trim()` and `\s` would disagree with BuildKit on those.
 */
export const GO_SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const reGoSpace = new RegExp(`^[${GO_SPACE}]$`);
export const isSpace = (ch: string): boolean => reGoSpace.test(ch);
const reTrimLeft = new RegExp(`^[${GO_SPACE}]+`);
const reTrim = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, "g");
/** strings.TrimLeftFunc(s, unicode.IsSpace). */
export const trimLeftSpace = (s: string): string => s.replace(reTrimLeft, "");
/** strings.TrimSpace. */
export const trimSpace = (s: string): string => s.replace(reTrim, "");

export interface SplitCommand {
  readonly cmd: string;
  readonly flags: string[];
  readonly args: string;
}

export function splitCommand(line: string): SplitCommand {
  const trimmed = trimSpace(line);
  const m = tokenWhitespace.exec(trimmed);
  if (!m) return { cmd: trimmed, flags: [], args: "" };
  const cmd = trimmed.slice(0, m.index);
  const [args, flags] = extractBuilderFlags(trimmed.slice(m.index + m[0].length));
  return { cmd, flags, args: trimSpace(args) };
}

export function extractBuilderFlags(line: string): [string, string[]] {
  const words: string[] = [];
  let phase: "spaces" | "word" | "quote" = "spaces";
  let word = "";
  let quote = "";
  let blankOK = false;
  for (let pos = 0; pos <= line.length; pos++) {
    const atEnd = pos === line.length;
    let ch = line[pos] ?? "";
    if (phase === "spaces") {
      if (atEnd) break;
      if (isSpace(ch)) continue;
      // Only a word starting with "--" is a flag.
      if (ch !== "-" || pos + 1 === line.length || line[pos + 1] !== "-") return [line.slice(pos), words];
      phase = "word";
    }
    if (atEnd) {
      if (word !== "--" && (blankOK || word.length > 0)) words.push(word);
      break;
    }
    if (phase === "word") {
      if (isSpace(ch)) {
        phase = "spaces";
        if (word === "--") return [line.slice(pos), words];
        if (blankOK || word.length > 0) words.push(word);
        word = "";
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = "quote";
        continue;
      }
      if (ch === "\\") {
        if (pos + 1 === line.length) continue;
        pos++;
        ch = line[pos]!;
      }
      word += ch;
      continue;
    }
    if (ch === quote) {
      phase = "word";
      continue;
    }
    if (ch === "\\") {
      if (pos + 1 === line.length) {
        phase = "word";
        continue;
      }
      pos++;
      ch = line[pos]!;
    }
    word += ch;
  }
  return ["", words];
}
