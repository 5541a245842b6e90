// What every file utility shares: the run context (the filesystem value it changes, the
// output it collects) and GNU getopt's argument parsing and messages.
import { readFile } from "../fs/ops.js";
import type { FsDir } from "../fs/tree.js";
import { normalizePath } from "../fs/tree.js";
import type { CommandOutcome, CommandRequest } from "./host.js";
import { errnoText } from "./io.js";

export type Coreutil = (req: CommandRequest, fs: FsDir, now: number) => { outcome: CommandOutcome; fs: FsDir };

export class Ctx {
  out = "";
  err = "";
  status = 0;

  constructor(
    readonly name: string,
    readonly req: CommandRequest,
    public fs: FsDir,
    readonly now: number,
  ) {}

  path(arg: string): string {
    return normalizePath(this.req.cwd, arg);
  }

  write(text: string): void {
    this.out += text;
  }

  /** `name: message` on stderr, and the exit status (a later success does not clear it). */
  fail(message: string, status = 1): void {
    this.err += `${this.name}: ${message}\n`;
    this.status = Math.max(this.status, status);
  }

  failErrno(prefix: string, error: string, status = 1): void {
    this.fail(`${prefix}: ${errnoText(error)}`, status);
  }

  done(): { outcome: CommandOutcome; fs: FsDir } {
    return { outcome: { status: this.status, stdout: this.out, stderr: this.err }, fs: this.fs };
  }
}

/** GNU's quoting of a file name in messages (quoteaf): 'name', with ' escaped shell-style. */
export const q = (name: string): string => `'${name.replace(/'/g, "'\\''")}'`;
/** The locale quotes GNU uses in some messages (mkdir, sleep): ‘name’. */
export const lq = (name: string): string => `‘${name}’`;

export interface OptSpec {
  /** Letters that take no value. */
  readonly flags: string;
  /** Letters that take a value (`-n 5`, `-n5`). */
  readonly values?: string;
  /** Long options to the letter they mean (or to themselves, `--no-preserve-root`). */
  readonly long?: ReadonlyMap<string, string>;
  /** Exit status for a usage error (ls and grep use 2). */
  readonly usageStatus?: number;
}

export interface Parsed {
  readonly flags: Set<string>;
  readonly values: Map<string, string[]>;
  readonly operands: string[];
}

/** getopt_long with permutation: options may follow operands; `--` ends them; `-` is an operand. */
export function parseArgs(ctx: Ctx, args: readonly string[], spec: OptSpec): Parsed | null {
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  const operands: string[] = [];
  const usage = spec.usageStatus ?? 1;
  const tryHelp = `Try '${ctx.name} --help' for more information.`;
  const addValue = (letter: string, value: string) => values.set(letter, [...(values.get(letter) ?? []), value]);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const [longName = "", inline] = arg.slice(2).split(/=(.*)/s, 2);
      const letter = spec.long?.get(longName);
      if (letter === undefined) {
        ctx.fail(`unrecognized option '${arg}'\n${tryHelp}`, usage);
        return null;
      }
      if (spec.values?.includes(letter) === true) {
        const value = inline ?? args[++i];
        if (value === undefined) {
          ctx.fail(`option '--${longName}' requires an argument\n${tryHelp}`, usage);
          return null;
        }
        addValue(letter, value);
      } else flags.add(letter);
      continue;
    }
    if (!arg.startsWith("-") || arg === "-") {
      operands.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const c = arg[j] as string;
      if (spec.values?.includes(c) === true) {
        const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
        if (value === undefined) {
          ctx.fail(`option requires an argument -- '${c}'\n${tryHelp}`, usage);
          return null;
        }
        addValue(c, value);
        break;
      }
      if (!spec.flags.includes(c)) {
        ctx.fail(`invalid option -- '${c}'\n${tryHelp}`, usage);
        return null;
      }
      flags.add(c);
    }
  }
  return { flags, values, operands };
}

/** The last value given for an option letter. */
export function lastValue(parsed: Parsed, letter: string): string | undefined {
  const all = parsed.values.get(letter);
  return all?.[all.length - 1];
}

/** Splits text into lines keeping their newlines ("a\nb" gives "a\n", "b"). */
export function splitLines(text: string): string[] {
  return text === "" ? [] : text.split(/(?<=\n)/);
}

/** Reads an operand (`-` is standard input) or reports `name: file: error` and gives null. */
export function readInput(ctx: Ctx, operand: string, style: "plain" | "open" = "plain"): string | null {
  if (operand === "-") return ctx.req.stdin;
  const found = readFile(ctx.fs, ctx.path(operand));
  if (found.ok) return found.value;
  if (style === "open") ctx.fail(`cannot open ${q(operand)} for reading: ${errnoText(found.error)}`);
  else ctx.failErrno(operand, found.error);
  return null;
}
