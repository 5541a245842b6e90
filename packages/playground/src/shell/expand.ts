// Word expansion (POSIX XCU 2.6): tilde, parameters, command substitution and arithmetic, then
// field splitting on IFS of the unquoted results (2.6.5), then pathname expansion (2.6.6), then
// quote removal (quoting is already recorded per part, so removal is implicit).
import type { Program, Word, WordPart } from "./ast.js";
import { evalArith } from "./arith.js";
import { ExpansionError } from "./errors.js";
import { globMatch, patternRegex } from "./glob.js";

export { ExpansionError } from "./errors.js";

/** What expansion needs from the interpreter. */
export interface ExpandEnv {
  /** A variable or special parameter; undefined when unset. */
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  /** Runs a command substitution and returns its standard output. */
  substitute(program: Program): string;
  readdir(path: string): readonly string[] | null;
  exists(path: string): boolean;
  readonly cwd: string;
  /** The positional parameters (a function's arguments), for a quoted "$@". */
  positional?(): readonly string[];
}

/** A run of expanded text: `quoted` is never split or globbed; `split` is an unquoted result. */
interface Seg {
  readonly text: string;
  readonly quoted: boolean;
  readonly split: boolean;
  /** Ends the field here and starts the next (between the words of a quoted "$@"). */
  readonly brk?: true;
  /** A quoted "$@" with no positional parameters: the word gives no field at all. */
  readonly none?: true;
}

/**
 * A field being built: its text and, per character, whether it is literal for globbing. Only
 * quoted characters are marked (`literal[i] === true`); the rest are holes, read as false, so an
 * unquoted word (most words typed) costs no array of flags.
 */
interface Field {
  text: string;
  literal: boolean[];
  hadQuotes: boolean;
}

const DEFAULT_IFS = " \t\n";

/** Full expansion of command words: may give zero, one or many fields. */
export function expandWords(words: readonly Word[], env: ExpandEnv): string[] {
  const out: string[] = [];
  for (const word of words) {
    for (const field of splitFields(expandSegs(word, env, true), env)) {
      const globbed = hasActiveGlob(field) ? globMatch(field.text, field.literal, env) : [];
      if (globbed.length > 0) out.push(...globbed);
      else out.push(field.text);
    }
  }
  return out;
}

/** Expansion without splitting or globbing: assignments, heredoc bodies, redirect targets. */
export function expandString(word: Word, env: ExpandEnv): string {
  return expandSegs(word, env, true)
    .map((s) => s.text)
    .join("");
}

// The expansion functions below run for every word of every line: they use loops and
// module-level helpers rather than a closure per call (each closure is an allocation, and under
// tsx, which keeps function names, a defineProperty too: 2% of a `docker run` line's CPU).
function expandSegs(word: Word, env: ExpandEnv, tilde: boolean): Seg[] {
  const segs: Seg[] = [];
  for (let i = 0; i < word.parts.length; i++) {
    const part = word.parts[i]!;
    if (i === 0 && tilde && part.k === "lit" && !part.quoted && part.text.startsWith("~")) {
      const slash = part.text.indexOf("/");
      const prefix = slash < 0 ? part.text : part.text.slice(0, slash);
      const home = slash < 0 && word.parts.length > 1 ? undefined : tildeValue(prefix.slice(1), env);
      if (home !== undefined) {
        segs.push({ text: home, quoted: true, split: false });
        segs.push({ text: part.text.slice(prefix.length), quoted: false, split: false });
        continue;
      }
    }
    if (part.k === "lit") segs.push({ text: part.text, quoted: part.quoted, split: false });
    else segs.push(...expandPart(part, env));
  }
  return segs;
}

/** 2.6.1: `~` is $HOME, `~+` $PWD, `~-` $OLDPWD, `~root` root's home; others stay as typed. */
function tildeValue(user: string, env: ExpandEnv): string | undefined {
  if (user === "") return env.get("HOME") ?? "/root";
  if (user === "+") return env.get("PWD");
  if (user === "-") return env.get("OLDPWD");
  if (user === "root") return "/root";
  return undefined;
}

/** An expansion's text as one segment: split unless the part was quoted. */
function expanded(part: WordPart, text: string): Seg[] {
  return [{ text, quoted: part.quoted, split: !part.quoted }];
}

function expandPart(part: WordPart, env: ExpandEnv): Seg[] {
  switch (part.k) {
    case "lit":
      return [{ text: part.text, quoted: part.quoted, split: false }];
    case "length":
      return expanded(part, String([...(env.get(part.name) ?? "")].length));
    case "cmd":
      // 2.6.3: trailing newlines of the output are removed.
      return expanded(part, env.substitute(part.program).replace(/\n+$/, ""));
    case "arith":
      return expanded(part, evalArith(expandString(part.expr, env), env));
    case "param":
      return expandParam(part, env);
  }
}

function expandParam(part: Extract<WordPart, { k: "param" }>, env: ExpandEnv): Seg[] {
  if (part.name === "@" && part.quoted && part.op === null && env.positional !== undefined) {
    // 2.5.2: "$@" is each positional parameter as a field of its own, and no field when there are none.
    const segs: Seg[] = [];
    if (env.positional().length === 0) return [{ text: "", quoted: false, split: false, none: true }];
    env.positional().forEach((a, i) => {
      if (i > 0) segs.push({ text: "", quoted: false, split: false, brk: true });
      segs.push({ text: a, quoted: true, split: false });
    });
    return segs;
  }
  const value = env.get(part.name);
  const result = (text: string): Seg[] => [{ text, quoted: part.quoted, split: !part.quoted }];
  if (part.op === null || part.arg === null) return result(value ?? "");
  const colon = part.op.startsWith(":");
  const missing = value === undefined || (colon && value === "");
  // The word of `${x:-word}` keeps its own quoting; unquoted, its literal text is split too.
  const argSegs = (): Seg[] =>
    expandSegs(part.arg as Word, env, true).map((s) => (part.quoted || s.quoted ? { ...s, quoted: true, split: false } : { ...s, split: true }));
  switch (part.op) {
    case ":-":
    case "-":
      return missing ? argSegs() : result(value ?? "");
    case ":=":
    case "=": {
      if (!missing) return result(value ?? "");
      const assigned = expandString(part.arg, env);
      env.set(part.name, assigned);
      return result(assigned);
    }
    case ":?":
    case "?": {
      if (!missing) return result(value ?? "");
      const msg = expandString(part.arg, env);
      throw new ExpansionError(`bash: ${part.name}: ${msg === "" ? "parameter null or not set" : msg}`);
    }
    case ":+":
    case "+":
      return missing ? result("") : argSegs();
    default:
      return result(trim(value ?? "", part.op, part.arg, env));
  }
}

/** `${x#pat}` shortest prefix, `##` longest prefix, `%` shortest suffix, `%%` longest suffix. */
function trim(value: string, op: "#" | "##" | "%" | "%%", arg: Word, env: ExpandEnv): string {
  const segs = expandSegs(arg, env, true);
  const text = segs.map((s) => s.text).join("");
  const literal = segs.flatMap((s) => [...s.text].map(() => s.quoted));
  const re = patternRegex(text, literal, false);
  const whole = new RegExp(`^(?:${re})$`, "s");
  const cuts = [...Array(value.length + 1).keys()];
  if (op === "#" || op === "##") {
    for (const i of op === "#" ? cuts : cuts.reverse()) if (whole.test(value.slice(0, i))) return value.slice(i);
  } else {
    for (const i of op === "%" ? cuts.reverse() : cuts) if (whole.test(value.slice(i))) return value.slice(0, i);
  }
  return value;
}

/** 2.9.4.3: a case pattern, expanded without field splitting, matched against the whole value (quoted characters match themselves). */
export function matchPattern(value: string, pattern: Word, env: ExpandEnv): boolean {
  const segs = expandSegs(pattern, env, true);
  const text = segs.map((s) => s.text).join("");
  const literal = segs.flatMap((s) => [...s.text].map(() => s.quoted));
  return new RegExp(`^(?:${patternRegex(text, literal, false)})$`, "s").test(value);
}

/** 2.6.5: split unquoted expansion results on IFS; IFS white space runs count once. */
function splitFields(segs: readonly Seg[], env: ExpandEnv): Field[] {
  const ifs = env.get("IFS") ?? DEFAULT_IFS;
  const fields: Field[] = [];
  let cur: Field | null = null;
  let afterWhite = false;
  for (const seg of segs) {
    if (seg.brk === true) {
      if (cur !== null) fields.push(cur);
      cur = null;
      afterWhite = false;
      continue;
    }
    if (seg.quoted) (cur ??= { text: "", literal: [], hadQuotes: false }).hadQuotes = true;
    // A segment with nothing to split at joins the field whole (the loop below would add it a
    // character at a time, a new string each: `docker run -d alpine sleep 1d` is all such words).
    if (!seg.split || !containsAny(seg.text, ifs)) {
      if (seg.text === "") continue;
      afterWhite = false;
      const f: Field = (cur ??= { text: "", literal: [], hadQuotes: false });
      if (seg.quoted) for (let i = 0, at = f.text.length; i < seg.text.length; i++) f.literal[at + i] = true;
      f.text += seg.text;
      continue;
    }
    for (const ch of seg.text) {
      if (seg.split && ifs.includes(ch)) {
        if (DEFAULT_IFS.includes(ch)) {
          if (cur !== null) fields.push(cur);
          afterWhite = cur !== null || afterWhite;
          cur = null;
        } else {
          if (cur !== null) fields.push(cur);
          else if (!afterWhite) fields.push({ text: "", literal: [], hadQuotes: false });
          cur = null;
          afterWhite = false;
        }
        continue;
      }
      afterWhite = false;
      const f: Field = (cur ??= { text: "", literal: [], hadQuotes: false });
      if (seg.quoted) for (let i = 0, at = f.text.length; i < ch.length; i++) f.literal[at + i] = true;
      f.text += ch;
    }
  }
  if (cur !== null) fields.push(cur);
  if (fields.length === 1 && fields[0]!.text === "" && segs.some((x) => x.none === true)) return [];
  if (fields.length > 1 || fields.length === 0 || fields[0]!.text !== "" || fields[0]!.hadQuotes) return fields;
  return [];
}

function containsAny(text: string, chars: string): boolean {
  for (let i = 0; i < text.length; i++) if (chars.includes(text[i]!)) return true;
  return false;
}

function hasActiveGlob(field: Field): boolean {
  for (let i = 0; i < field.text.length; i++) {
    const c = field.text[i];
    if ((c === "*" || c === "?" || c === "[") && field.literal[i] !== true) return true;
  }
  return false;
}
