// bash's `read` builtin (bash(1), SHELL BUILTIN COMMANDS; builtins/read.def): one line from fd 0,
// split by IFS into the names given (the last takes the rest), REPLY when none is given; without
// -r a backslash escapes the next character and a backslash-newline continues the line. Exit 1 at
// end of input, even when a last line without its newline was read into the names.
import type { Shell } from "./interp.js";
import { type Io, writeErr } from "./io.js";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function read(sh: Shell, args: readonly string[], io: Io, assigns: readonly (readonly [string, string])[] = []): number {
  let raw = false;
  let prompt: string | null = null;
  let delim = "\n";
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (c === "r") raw = true;
      else if (c === "s") continue; // no echo: nothing is echoed here anyway
      else if ("pdt".includes(c)) {
        const value = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (value === undefined) {
          writeErr(io, `bash: read: -${c}: option requires an argument\nread: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n`);
          return 2;
        }
        if (c === "p") prompt = value;
        if (c === "d") delim = value === "" ? "\0" : value[0]!;
        break; // -t: input here never blocks, so a timeout never fires
      } else {
        writeErr(io, `bash: read: -${c}: invalid option\nread: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n`);
        return 2;
      }
    }
  }
  const names = args.slice(i);
  const bad = names.find((n) => !NAME.test(n));
  if (bad !== undefined) {
    writeErr(io, `bash: read: \`${bad}': not a valid identifier\n`);
    return 1;
  }
  if (io.stdinTty === true && io.stdin === "") {
    // The interactive terminal: bash would wait for a line typed there (prompt on stderr).
    writeErr(io, `${prompt !== null ? `${prompt}\n` : ""}drydock: read from the terminal is not simulated: give read its input with a pipe, a file or <<<\n`);
    return 1;
  }
  const cursor = io.stdinRead ?? { at: 0 };
  const input = io.stdin;
  // One logical line: up to the delimiter; without -r, backslash-newline joins the next line.
  let line = "";
  let at = cursor.at;
  let ended = false;
  for (;;) {
    if (at >= input.length) {
      ended = true;
      break;
    }
    const c = input[at++]!;
    if (c === delim) break;
    if (!raw && c === "\\") {
      const n = input[at++];
      if (n === undefined) {
        ended = true;
        break;
      }
      if (n === "\n") continue;
      // An escaped character is kept and is not a field separator: marked with a NUL before it.
      line += `\0${n}`;
      continue;
    }
    line += c;
  }
  cursor.at = at;
  // `IFS=: read a b`: the prefix assignment is IFS for this read only.
  const ifs = assigns.find(([n]) => n === "IFS")?.[1] ?? sh.getVar("IFS") ?? " \t\n";
  const values = splitFields(line, ifs, Math.max(1, names.length), names.length === 0);
  const targets = names.length === 0 ? ["REPLY"] : names;
  targets.forEach((n, k) => sh.setVar(n, values[k] ?? ""));
  // bash returns 1 at end of input before a delimiter, whatever it read.
  return ended ? 1 : 0;
}

/**
 * IFS field splitting for read: IFS whitespace around fields is dropped (not for REPLY), the last
 * name takes the rest of the line as it is (less trailing IFS whitespace); NUL-marked characters
 * were escaped and are never separators.
 */
function splitFields(line: string, ifs: string, count: number, reply: boolean): string[] {
  const unmark = (s: string) => s.replace(/\0(.)/gs, "$1");
  if (reply) return [unmark(line)];
  const white = [...ifs].filter((c) => " \t\n".includes(c));
  const isWhite = (c: string | undefined) => c !== undefined && white.includes(c);
  const isSep = (c: string | undefined) => c !== undefined && ifs.includes(c);
  let i = 0;
  const skipWhite = () => {
    while (i < line.length && isWhite(line[i])) i++;
  };
  const out: string[] = [];
  skipWhite();
  while (i < line.length && out.length < count - 1) {
    let field = "";
    while (i < line.length && !isSep(line[i])) {
      if (line[i] === "\0") field += line[i++]!;
      field += line[i++] ?? "";
    }
    out.push(unmark(field));
    // One separator: IFS whitespace around at most one non-whitespace IFS character.
    skipWhite();
    if (i < line.length && isSep(line[i]) && !isWhite(line[i])) {
      i++;
      skipWhite();
    }
  }
  if (i < line.length || out.length < count) {
    let rest = line.slice(i);
    while (rest.length > 0 && isWhite(rest[rest.length - 1]) && rest[rest.length - 2] !== "\0") rest = rest.slice(0, -1);
    out.push(unmark(rest));
  }
  return out;
}
