// Tab completion at `drydock shell`'s prompt (QA #18), as bash with Debian's bash-completion and
// docker-ce's completion script offers it: command names at the start of a command, `docker`'s
// subcommands and flags, and file names elsewhere. Pure: what it reads comes in a
// CompletionSource; bin/shell.ts hands the result to Node readline's `completer`.
import { SHELL_BUILTINS, dockerCompletions, type HostState, type Playground } from "@drydock/playground";

/** What completion reads of a host. */
export interface CompletionSource {
  /** Command names: the shell's builtins and keywords, and the files in PATH's directories. */
  readonly commands: readonly string[];
  /** The shell's working directory and HOME (for `~/`). */
  readonly cwd: string;
  readonly home: string;
  /** Names in a directory (an absolute path), a directory's with "/" after it; null when it is none. */
  list(dir: string): readonly string[] | null;
  /** Docker's commands under a path and a command's flags. */
  docker(path: readonly string[]): { readonly commands: readonly string[]; readonly flags: readonly string[] };
}

/** bash's reserved words, offered at the start of a command as `compgen -k` lists them. */
const KEYWORDS = ["if", "then", "else", "elif", "fi", "case", "esac", "for", "while", "until", "do", "done", "in", "time", "!", "{", "}"];

/**
 * Completions for the text before the cursor: the candidates and the word they replace (Node
 * readline's completer result). A single candidate ends with a space, or "/" for a directory,
 * as bash inserts it.
 */
export function complete(text: string, src: CompletionSource): [string[], string] {
  const words = currentCommand(text);
  if (words === null) return [[], ""];
  const word = words[words.length - 1]!;
  // Assignments before the command name (`X=1 cmd`) are not its name.
  let start = 0;
  while (start < words.length - 1 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[start]!)) start++;
  const before = words.slice(start, -1);
  let found: string[];
  if (before.length === 0 && !word.includes("/")) {
    found = [...new Set([...src.commands, ...KEYWORDS])].filter((c) => c.startsWith(word)).sort().map(withSpace);
  } else if (before[0] === "docker") {
    found = dockerWords(before.slice(1), word, src) ?? files(word, src);
  } else {
    found = files(word, src);
  }
  if (found.length === 1) return [found, word];
  return [found.map((f) => f.trimEnd()), word];
}

const withSpace = (w: string): string => `${w} `;

/** After `docker`: the next command of the path, or a flag of the command it names; null for an argument (a file, then). */
function dockerWords(args: readonly string[], word: string, src: CompletionSource): string[] | null {
  const path: string[] = [];
  for (const a of args) {
    if (a.startsWith("-")) continue;
    if (!src.docker(path).commands.includes(a)) return word.startsWith("-") ? flagsOf(path, word, src) : null;
    path.push(a);
  }
  if (word.startsWith("-")) return flagsOf(path, word, src);
  const next = src.docker(path).commands;
  return next.length > 0 ? next.filter((c) => c.startsWith(word)).map(withSpace) : null;
}

function flagsOf(path: readonly string[], word: string, src: CompletionSource): string[] {
  return src.docker(path).flags.filter((f) => f.startsWith(word)).map(withSpace);
}

/** File names for the word: its directory part kept, hidden names only when asked for with a dot. */
function files(word: string, src: CompletionSource): string[] {
  const slash = word.lastIndexOf("/");
  const dirPart = word.slice(0, slash + 1);
  const base = word.slice(slash + 1);
  const dir = dirPart === "" ? src.cwd
    : dirPart.startsWith("~/") ? `${src.home}/${dirPart.slice(2)}`
    : dirPart.startsWith("/") ? dirPart : `${src.cwd}/${dirPart}`;
  const names = src.list(dir) ?? [];
  return names
    .filter((n) => n.startsWith(base) && (base.startsWith(".") || !n.startsWith(".")))
    .map((n) => dirPart + (n.endsWith("/") ? n : withSpace(n)));
}

/**
 * The words of the command the cursor is in (after the last unquoted `|`, `;`, `&`, `(` or
 * `` ` ``), the last one the word being typed ("" after a space); null inside quotes, where
 * completion is left alone.
 */
export function currentCommand(text: string): string[] | null {
  let words: string[] = [""];
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== null) {
      if (c === quote) quote = null;
      words[words.length - 1] += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      words[words.length - 1] += c;
    } else if (c === "\\" && i + 1 < text.length) {
      words[words.length - 1] += c + text[++i]!;
    } else if ("|;&(`".includes(c)) {
      words = [""];
    } else if (c === " " || c === "\t") {
      if (words[words.length - 1] !== "") words.push("");
    } else {
      words[words.length - 1] += c;
    }
  }
  if (quote !== null || /['"\\]/.test(words[words.length - 1]!)) return null;
  return words;
}

type Dir = HostState["fs"];

function lookupDir(root: Dir, path: string): Dir | null {
  let d: Dir = root;
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    const next = d.entries.get(part);
    if (next?.kind !== "dir") return null;
    d = next;
  }
  return d;
}

/** A host of a playground as a CompletionSource; none at a container's shell (its files are the container's). */
export function playgroundCompletion(pg: Playground, on: string): CompletionSource | null {
  if (pg.attached(on) !== null) return null;
  const h = pg.host(on);
  const list = (dir: string): string[] | null => {
    const d = lookupDir(h.fs, dir);
    return d === null ? null : [...d.entries].map(([n, node]) => (node.kind === "dir" ? `${n}/` : n)).sort();
  };
  const path = (h.shell.vars["PATH"] ?? "").split(":").filter((p) => p.startsWith("/"));
  const commands = [...SHELL_BUILTINS.keys(), ...path.flatMap((p) => (list(p) ?? []).filter((n) => !n.endsWith("/")))];
  return { commands, cwd: h.shell.cwd, home: h.shell.vars["HOME"] ?? "/root", list, docker: dockerCompletions };
}
