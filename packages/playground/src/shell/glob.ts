// Pattern matching notation (POSIX XCU 2.13): `*`, `?` and bracket expressions, used for
// pathname expansion (2.13.3, through the host's readdir) and `${x#pattern}` trims.
import { compareBytes } from "../fs/ops.js";
import { normalizePath } from "../fs/tree.js";

const CLASSES = new Map([
  ["alpha", "A-Za-z"],
  ["digit", "0-9"],
  ["alnum", "A-Za-z0-9"],
  ["upper", "A-Z"],
  ["lower", "a-z"],
  ["space", " \\t\\n\\r\\f\\v"],
  ["blank", " \\t"],
  ["punct", "!-\\/:-@\\[-`{-~"],
  ["xdigit", "0-9A-Fa-f"],
]);

const escapeRe = (c: string): string => c.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");

/**
 * The regular expression source for a pattern; `literal[i]` marks characters that were quoted
 * (they match themselves). With `inPath`, `*` and `?` do not match `/`.
 */
export function patternRegex(text: string, literal: readonly boolean[], inPath: boolean): string {
  const any = inPath ? "[^/]" : "[\\s\\S]";
  let re = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (literal[i] === true) re += escapeRe(c);
    else if (c === "*") re += `${any}*`;
    else if (c === "?") re += any;
    else if (c === "[") {
      const bracket = readBracket(text, literal, i);
      if (bracket === null) re += "\\[";
      else {
        re += bracket.re;
        i = bracket.end;
      }
    } else if (c === "\\" && i + 1 < text.length) re += escapeRe(text[++i] as string);
    else re += escapeRe(c);
  }
  return re;
}

/** A bracket expression `[...]`, `[!...]` (or `[^...]`), with `[:class:]`; null if unclosed. */
function readBracket(text: string, literal: readonly boolean[], start: number): { re: string; end: number } | null {
  let i = start + 1;
  let negate = false;
  if ((text[i] === "!" || text[i] === "^") && literal[i] !== true) {
    negate = true;
    i++;
  }
  let body = "";
  let first = true;
  for (; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "]" && !first && literal[i] !== true) return { re: `[${negate ? "^" : ""}${body}]`, end: i };
    first = false;
    const cls = /^\[:([a-z]+):\]/.exec(text.slice(i));
    if (cls !== null && literal[i] !== true) {
      const chars = CLASSES.get(cls[1] as string);
      if (chars === undefined) return null;
      body += chars;
      i += cls[0].length - 1;
    } else if (c === "-" && literal[i] !== true && body !== "" && text[i + 1] !== "]") body += "-";
    else body += escapeRe(c);
  }
  return null;
}

export interface GlobEnv {
  readonly cwd: string;
  readdir(path: string): readonly string[] | null;
  exists(path: string): boolean;
}

/**
 * 2.13.3: expands a pattern into the existing paths it matches, sorted; names starting with `.`
 * match only a literal leading `.`. An empty array means no match (the word then stays as typed).
 */
export function globMatch(text: string, literal: readonly boolean[], env: GlobEnv): string[] {
  const segments: { text: string; literal: boolean[] }[] = [];
  let cur = { text: "", literal: [] as boolean[] };
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "/") {
      segments.push(cur);
      cur = { text: "", literal: [] };
    } else {
      cur.text += text[i];
      cur.literal.push(literal[i] === true);
    }
  }
  segments.push(cur);
  const absolute = text.startsWith("/");
  let bases = [absolute ? "/" : ""];
  let literalTail = false;
  segments.forEach((seg, index) => {
    if (seg.text === "") return;
    const last = index === segments.length - 1;
    const isPattern = [...seg.text].some((c, i) => (c === "*" || c === "?" || c === "[") && seg.literal[i] !== true);
    const sep = last ? "" : "/";
    if (!isPattern) {
      bases = bases.map((b) => b + seg.text.replace(/\\(.)/g, "$1") + sep);
      literalTail = true;
      return;
    }
    literalTail = false;
    const re = new RegExp(`^${patternRegex(seg.text, seg.literal, true)}$`, "s");
    const dotOk = seg.text.startsWith(".");
    const next: string[] = [];
    for (const base of bases) {
      const names = env.readdir(normalizePath(env.cwd, base === "" ? "." : base)) ?? [];
      for (const name of names) {
        if (name.startsWith(".") && !dotOk) continue;
        if (re.test(name)) next.push(base + name + sep);
      }
    }
    bases = next;
  });
  // `*/` matches directories only; a literal tail must exist.
  const dirsOnly = text.endsWith("/");
  const found = bases.filter((p) => {
    const path = normalizePath(env.cwd, p);
    if (dirsOnly) return env.readdir(path) !== null;
    return !literalTail || env.exists(path);
  });
  return found.sort(compareBytes);
}
