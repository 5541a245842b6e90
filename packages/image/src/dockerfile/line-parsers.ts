import { DrydockError } from "@drydock/kernel";
import { isSpace, trimLeftSpace } from "./split-command.js";

/**
 * BuildKit's line parsers (frontend/dockerfile/parser/line_parsers.go): each turns the text after
 * the keyword and flags into the AST's argument list. They do no variable expansion; the builder
 * does that where Docker does.
 */
export interface LineParse {
  readonly args: string[];
  readonly json: boolean;
}

const NONE: LineParse = { args: [], json: false };
/** Go's `[\t\v\f\r ]+`, the splitter for whitespace-delimited arguments. */
export const reWhitespace = /[\t\v\f\r ]+/;

export const NOT_STRING_ARRAY = "when using JSON array syntax, arrays must be comprised of strings only";

/** parseWords: space-delimited words; quotes and escapes are kept for later processing. */
export function parseWords(rest: string, escapeToken: string): string[] {
  const words: string[] = [];
  let phase: "spaces" | "word" | "quote" = "spaces";
  let quote = "";
  let blankOK = false;
  let word = "";
  const chars = [...rest];
  for (let pos = 0; pos <= chars.length; pos++) {
    const atEnd = pos === chars.length;
    let ch = chars[pos] ?? "";
    if (phase === "spaces") {
      if (atEnd) break;
      if (isSpace(ch)) continue;
      phase = "word";
    }
    // End of input inside a word or an unterminated quote: BuildKit keeps the partial word
    // (`ARG "foo` gives the word `"foo`; the builder's word processing rejects it later).
    if (atEnd) {
      if (blankOK || word.length > 0) words.push(word);
      break;
    }
    if (phase === "word") {
      if (isSpace(ch)) {
        phase = "spaces";
        if (blankOK || word.length > 0) words.push(word);
        word = "";
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = "quote";
      }
      if (ch === escapeToken) {
        if (pos + 1 === chars.length) continue;
        word += ch;
        pos++;
        ch = chars[pos]!;
      }
      word += ch;
      continue;
    }
    if (ch === quote) phase = "word";
    if (ch === escapeToken && quote !== "'") {
      if (pos + 1 === chars.length) {
        phase = "word";
        continue;
      }
      pos++;
      word += ch;
      ch = chars[pos]!;
    }
    word += ch;
  }
  return words;
}

/** ENV and LABEL: `key value` (separator "") or `k=v k2=v2` (separator "="), as triples. */
export function parseNameVal(rest: string, key: string, escapeToken: string): LineParse {
  const words = parseWords(rest, escapeToken);
  if (words.length === 0) return NONE;
  if (!words[0]!.includes("=")) {
    const m = reWhitespace.exec(rest);
    if (!m) throw new DrydockError("EDOCKERFILE", `${key} must have two arguments`);
    return { args: [rest.slice(0, m.index), rest.slice(m.index + m[0].length), ""], json: false };
  }
  const args: string[] = [];
  for (const word of words) {
    const eq = word.indexOf("=");
    if (eq < 0) {
      throw new DrydockError("EDOCKERFILE", `Syntax error - can't find = in ${JSON.stringify(word)}. Must be of the form: name=value`);
    }
    args.push(word.slice(0, eq), word.slice(eq + 1), "=");
  }
  return { args, json: false };
}

/** ARG: `name`, `name=`, `name=value`, words kept as written. */
export function parseNameOrNameVal(rest: string, escapeToken: string): LineParse {
  return { args: parseWords(rest, escapeToken), json: false };
}

export function parseStringsWhitespaceDelimited(rest: string): LineParse {
  if (rest === "") return NONE;
  return { args: rest.split(reWhitespace), json: false };
}

export function parseString(rest: string): LineParse {
  return rest === "" ? NONE : { args: [rest], json: false };
}

/** Go strings hold UTF-8: encoding/json decodes an unpaired surrogate escape (`"\\ud800"`) as U+FFFD. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const goString = (s: string): string => s.replace(loneSurrogate, "\ufffd");

type JsonResult = { ok: true; args: string[] } | { ok: false; notStrings: boolean };

function parseJSON(rest: string): JsonResult {
  const text = trimLeftSpace(rest);
  if (!text.startsWith("[")) return { ok: false, notStrings: false };
  let value: unknown;
  let overflow = false;
  try {
    // A number beyond float64 is an UnmarshalTypeError in Go: not JSON for BuildKit, so shell form.
    value = JSON.parse(text, (_k, v: unknown) => {
      if (typeof v === "number" && !Number.isFinite(v)) overflow = true;
      return v;
    });
  } catch {
    return { ok: false, notStrings: false };
  }
  if (overflow) return { ok: false, notStrings: false };
  if (!Array.isArray(value)) return { ok: false, notStrings: false };
  if (!value.every((v): v is string => typeof v === "string")) return { ok: false, notStrings: true };
  return { ok: true, args: value.map(goString) };
}

/** RUN, CMD, ENTRYPOINT, SHELL: a JSON array of strings, else the whole text as one string. */
export function parseMaybeJSON(rest: string): LineParse {
  if (rest === "") return NONE;
  const j = parseJSON(rest);
  if (j.ok) return { args: j.args, json: true };
  if (j.notStrings) throw new DrydockError("EDOCKERFILE", NOT_STRING_ARRAY);
  return { args: [rest], json: false };
}

/** COPY, ADD, VOLUME: a JSON array, else whitespace-delimited words. */
export function parseMaybeJSONToList(rest: string): LineParse {
  const j = parseJSON(rest);
  if (j.ok) return { args: j.args, json: true };
  if (j.notStrings) throw new DrydockError("EDOCKERFILE", NOT_STRING_ARRAY);
  return parseStringsWhitespaceDelimited(rest);
}

/** HEALTHCHECK: the type word (CMD, NONE, …) then the command as parseMaybeJSON. */
export function parseHealthConfig(rest: string): LineParse {
  let sep = 0;
  while (sep < rest.length && !isSpace(rest[sep]!)) sep++;
  let next = sep;
  while (next < rest.length && isSpace(rest[next]!)) next++;
  if (sep === 0) return NONE;
  const cmd = parseMaybeJSON(rest.slice(next));
  return { args: [rest.slice(0, sep), ...cmd.args], json: cmd.json };
}
