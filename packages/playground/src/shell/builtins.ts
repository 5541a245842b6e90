// Commands the shell runs itself, with bash's output and error texts (bash(1), SHELL BUILTIN
// COMMANDS). Anything else goes to the host.
import { normalizePath } from "../fs/tree.js";
import { ExitSignal, ReturnSignal } from "./errors.js";
import type { Shell } from "./interp.js";
import { type Io, writeErr, writeOut } from "./io.js";
import { decodeEscape } from "./escapes.js";
import { printf, shellQuote } from "./printf.js";
import { read } from "./read.js";
import { testCommand } from "./test.js";
import { JOB_BUILTINS } from "./jobs.js";
import { History } from "./host.js";

export type Builtin = (sh: Shell, args: readonly string[], io: Io, assigns: readonly (readonly [string, string])[]) => number;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const KEYWORDS = new Set(["if", "then", "elif", "else", "fi", "for", "in", "do", "done", "while", "until", "{", "}", "!", "function"]);
/** Builtins that also exist as programs in /usr/bin, so `which` finds them there. */
const ALSO_PROGRAMS = new Set(["echo", "printf", "pwd", "true", "false", "test", "[", "env", "which", "kill"]);

const help = `drydock bash, a simulated shell on a lab machine.
Shell syntax: quoting ('...', "...", \\), $VAR and \${VAR:-default}, $(command),
pipelines (a | b), lists (a && b || c; d), redirections (> >> < 2>&1 &> <<EOF),
( subshells ) and { groups; }, if/then/elif/else/fi, for/while loops, globs (* ? [..]).
Builtins: cd pwd echo printf read export unset set env type command which history
          local return, and functions: name() { ...; }
          test [ true false : exit clear help
Programs: docker, drydock, and the usual file tools (ls cat mkdir rm cp mv touch head
          tail wc grep sort uniq cut tr seq find tee chmod basename dirname hostname uname
          whoami id date sleep).
Try: mkdir app && cd app, write a Dockerfile with cat > Dockerfile <<EOF, then docker build -t app .
     drydock help shows the world's own commands (a registry at localhost:5000).
`;

function cd(sh: Shell, args: readonly string[], io: Io): number {
  const operands = args[0] === "--" ? args.slice(1) : args;
  if (operands.length > 1) return fail(io, "bash: cd: too many arguments");
  let target = operands[0];
  let print = false;
  if (target === undefined || target === "") {
    target = sh.getVar("HOME");
    if (target === undefined) return fail(io, "bash: cd: HOME not set");
  } else if (target === "-") {
    target = sh.getVar("OLDPWD");
    if (target === undefined) return fail(io, "bash: cd: OLDPWD not set");
    print = true;
  }
  const path = normalizePath(sh.cwd, target);
  const kind = sh.host.kind(path);
  if (kind === null) return fail(io, `bash: cd: ${target}: No such file or directory`);
  if (kind !== "dir") return fail(io, `bash: cd: ${target}: Not a directory`);
  sh.setVar("OLDPWD", sh.getVar("PWD") ?? sh.cwd);
  sh.setVar("PWD", path);
  sh.cwd = path;
  if (print) writeOut(io, `${path}\n`);
  return 0;
}

function fail(io: Io, message: string, status = 1): number {
  writeErr(io, `${message}\n`);
  return status;
}

/** bash's echo: options only while every argument letter is one of n, e, E. */
function echo(_sh: Shell, args: readonly string[], io: Io): number {
  let newline = true;
  let escapes = false;
  let i = 0;
  for (; i < args.length && /^-[neE]+$/.test(args[i] as string); i++) {
    for (const c of (args[i] as string).slice(1)) {
      if (c === "n") newline = false;
      else escapes = c === "e";
    }
  }
  let text = args.slice(i).join(" ");
  if (escapes) {
    let out = "";
    for (let j = 0; j < text.length; j++) {
      if (text[j] !== "\\" || j + 1 >= text.length) {
        out += text[j];
        continue;
      }
      const esc = decodeEscape(text.slice(j + 1), true);
      if (esc.stop === true) {
        writeOut(io, out);
        return 0;
      }
      out += esc.text;
      j += esc.used;
    }
    text = out;
  }
  writeOut(io, newline ? `${text}\n` : text);
  return 0;
}

function exportCmd(sh: Shell, args: readonly string[], io: Io): number {
  let unexport = false;
  const names = args.filter((a) => {
    if (a === "-n") unexport = true;
    return !/^-[pfn]+$/.test(a);
  });
  if (names.length === 0) {
    for (const name of [...sh.exported].sort()) {
      const v = sh.vars.get(name);
      writeOut(io, v === undefined ? `declare -x ${name}\n` : `declare -x ${name}="${v.replace(/(["\\$`])/g, "\\$1")}"\n`);
    }
    return 0;
  }
  let status = 0;
  for (const arg of names) {
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (!NAME.test(name)) {
      status = fail(io, `bash: export: \`${arg}': not a valid identifier`);
      continue;
    }
    if (eq >= 0) sh.setVar(name, arg.slice(eq + 1));
    if (unexport) sh.ownExported().delete(name);
    else sh.ownExported().add(name);
    sh.varsChanged();
  }
  return status;
}

function unset(sh: Shell, args: readonly string[], io: Io): number {
  let status = 0;
  for (const name of args.filter((a) => !/^-[vf]$/.test(a))) {
    if (!NAME.test(name)) status = fail(io, `bash: unset: \`${name}': not a valid identifier`);
    sh.ownVars().delete(name);
    sh.ownExported().delete(name);
    sh.varsChanged();
  }
  return status;
}

function exit(sh: Shell, args: readonly string[], io: Io): number {
  if (args.length > 1) return fail(io, "bash: exit: too many arguments");
  const arg = args[0];
  if (arg === undefined) throw new ExitSignal(sh.status);
  if (!/^[-+]?\d+$/.test(arg.trim())) {
    writeErr(io, `bash: exit: ${arg}: numeric argument required\n`);
    throw new ExitSignal(2);
  }
  throw new ExitSignal(((Number(arg) % 256) + 256) % 256);
}

function history(sh: Shell, args: readonly string[], io: Io): number {
  if (args[0] === "-c") {
    sh.history = History.EMPTY;
    return 0;
  }
  const count = args[0] === undefined ? sh.history.length : Number(args[0]);
  if (!Number.isInteger(count) || count < 0) return fail(io, `bash: history: ${args[0]}: numeric argument required`);
  const first = Math.max(0, sh.history.length - count);
  sh.history.slice(first).forEach((line, i) => writeOut(io, `${String(first + i + 1).padStart(5)}  ${line}\n`));
  return 0;
}

/** What a name is: keyword, builtin, or a program the host knows. */
function describe(sh: Shell, name: string): { kind: "keyword" | "builtin" | "file" | "function"; path: string } | null {
  if (KEYWORDS.has(name)) return { kind: "keyword", path: name };
  if (sh.functions.has(name)) return { kind: "function", path: name };
  if (BUILTINS.has(name)) return { kind: "builtin", path: name };
  const path = sh.host.commandPath(name);
  return path === null ? null : { kind: "file", path };
}

function type(sh: Shell, args: readonly string[], io: Io): number {
  const terse = args[0] === "-t";
  let status = 0;
  for (const name of terse ? args.slice(1) : args) {
    const d = describe(sh, name);
    if (d === null) {
      status = terse ? 1 : fail(io, `bash: type: ${name}: not found`);
      continue;
    }
    if (terse) writeOut(io, `${d.kind}\n`);
    else if (d.kind === "file") writeOut(io, `${name} is ${d.path}\n`);
    else if (d.kind === "function") writeOut(io, `${name} is a function\n`);
    else writeOut(io, `${name} is a shell ${d.kind}\n`);
  }
  return status;
}

function command(sh: Shell, args: readonly string[], io: Io): number {
  if (args[0] === "-v" || args[0] === "-V") {
    let status = 0;
    for (const name of args.slice(1)) {
      const d = describe(sh, name);
      if (d === null) status = args[0] === "-V" ? fail(io, `bash: command: ${name}: not found`) : 1;
      else if (args[0] === "-v") writeOut(io, `${d.path}\n`);
      else writeOut(io, d.kind === "file" ? `${name} is ${d.path}\n` : `${name} is a shell ${d.kind}\n`);
    }
    return status;
  }
  return args.length === 0 ? 0 : sh.dispatch(args, [], io);
}

function which(sh: Shell, args: readonly string[], io: Io): number {
  // which(1) is a program, not a bash builtin: where it is not installed (centos:7 until `yum install
  // which`) the host runs it as any other command, and says it is not found in its shell's words.
  if (sh.host.lacksProgram?.("which") === true) {
    const out = sh.host.run({ argv: ["which", ...args], stdin: io.stdin, cwd: sh.cwd, env: sh.environment(), tty: { stdin: io.stdinTty === true, stdout: false, stderr: false } });
    writeOut(io, out.stdout);
    writeErr(io, out.stderr);
    return out.status;
  }
  let status = 0;
  for (const name of args.filter((a) => !a.startsWith("-"))) {
    const path = sh.host.commandPath(name) ?? (ALSO_PROGRAMS.has(name) ? `/usr/bin/${name}` : null);
    if (path === null) status = 1;
    else writeOut(io, `${path}\n`);
  }
  return status;
}

const SHELL_ONLY = new Set(["cd", "export", "unset", "exit", "set", "history", "type", "command", "help"]);

/** env(1): prints the environment, or runs a command with `NAME=value` added to it. */
function env(sh: Shell, args: readonly string[], io: Io, assigns: readonly (readonly [string, string])[]): number {
  const extra = [...assigns];
  let i = 0;
  for (; i < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[i] as string); i++) {
    const arg = args[i] as string;
    extra.push([arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]);
  }
  const rest = args.slice(i);
  if (rest.length === 0) {
    const all = sh.environment(extra);
    for (const [k, v] of Object.entries(all)) writeOut(io, `${k}=${v}\n`);
    return 0;
  }
  if (SHELL_ONLY.has(rest[0] as string)) return fail(io, `env: ‘${rest[0]}’: No such file or directory`, 127);
  return sh.dispatch(rest, extra, io);
}

function set(sh: Shell, args: readonly string[], io: Io): number {
  if (args.length === 0) {
    for (const name of [...sh.vars.keys()].sort()) writeOut(io, `${name}=${shellQuote(sh.vars.get(name) ?? "", true)}\n`);
    return 0;
  }
  // Options (-e, -x, -o pipefail) and positional parameters are accepted and ignored here.
  return 0;
}

/** `return [n]`: ends the function being run with n (default: the last command's status). */
function returnCmd(sh: Shell, args: readonly string[], io: Io): number {
  if (sh.frames.length === 0) return fail(io, "bash: return: can only `return' from a function or sourced script");
  const arg = args[0];
  if (arg !== undefined && !/^-?\d+$/.test(arg)) {
    writeErr(io, `bash: return: ${arg}: numeric argument required\n`);
    throw new ReturnSignal(2);
  }
  throw new ReturnSignal(arg === undefined ? sh.status : ((Number(arg) % 256) + 256) % 256);
}

/** `local name[=value]...`: the variable is the function's own until it returns. */
function local(sh: Shell, args: readonly string[], io: Io): number {
  const frame = sh.frames[sh.frames.length - 1];
  if (frame === undefined) return fail(io, "bash: local: can only be used in a function");
  let status = 0;
  for (const a of args) {
    const eq = a.indexOf("=");
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!NAME.test(name)) {
      status = fail(io, `bash: local: \`${a}': not a valid identifier`);
      continue;
    }
    if (!frame.saved.has(name)) frame.saved.set(name, sh.getVar(name));
    sh.setVar(name, eq < 0 ? "" : a.slice(eq + 1));
  }
  return status;
}

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ["cd", cd],
  ["pwd", (sh, _args, io) => (writeOut(io, `${sh.cwd}\n`), 0)],
  ["echo", echo],
  ["printf", (_sh, args, io) => printf(args, io)],
  ["export", exportCmd],
  ["unset", unset],
  ["true", () => 0],
  ["false", () => 1],
  [":", () => 0],
  ["exit", exit],
  ["history", history],
  ["clear", (_sh, _args, io) => (writeOut(io, "\x1b[H\x1b[2J\x1b[3J"), 0)],
  ["help", (_sh, _args, io) => (writeOut(io, help), 0)],
  ["type", type],
  ["command", command],
  ["which", which],
  ["env", env],
  ["set", set],
  ["read", read],
  ["return", returnCmd],
  ["local", local],
  ["test", (sh, args, io) => testCommand(sh, args, io, "test")],
  ["[", (sh, args, io) => testCommand(sh, args, io, "[")],
  ...JOB_BUILTINS,
]);
