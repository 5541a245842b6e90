// test and [ (POSIX test(1)): the meaning depends on the argument count first, as the
// standard's table says; longer expressions use -a, -o, ! and parentheses.
import { normalizePath } from "../fs/tree.js";
import type { Shell } from "./interp.js";
import { type Io, writeErr } from "./io.js";

class TestError {
  constructor(readonly message: string) {}
}

const UNARY = new Set(["-e", "-f", "-d", "-s", "-r", "-w", "-x", "-L", "-h", "-z", "-n", "-t", "-b", "-c", "-p", "-S"]);
const BINARY = new Set(["=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge"]);

export function testCommand(sh: Shell, argv: readonly string[], io: Io, name: "test" | "["): number {
  let args = [...argv];
  if (name === "[") {
    if (args[args.length - 1] !== "]") {
      writeErr(io, "bash: [: missing `]'\n");
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    return evaluate(sh, args, name) ? 0 : 1;
  } catch (e) {
    if (!(e instanceof TestError)) throw e;
    writeErr(io, `bash: ${name}: ${e.message}\n`);
    return 2;
  }
}

function integer(text: string): number {
  if (!/^\s*[-+]?\d+\s*$/.test(text)) throw new TestError(`${text}: integer expression expected`);
  return Number(text);
}

function unary(sh: Shell, op: string, arg: string): boolean {
  if (op === "-z") return arg === "";
  if (op === "-n") return arg !== "";
  if (op === "-t" || op === "-L" || op === "-h" || op === "-b" || op === "-c" || op === "-p" || op === "-S") return false;
  const path = normalizePath(sh.cwd, arg);
  const kind = arg === "" ? null : sh.host.kind(path);
  if (op === "-f") return kind === "file";
  if (op === "-d") return kind === "dir";
  if (op === "-s") {
    if (kind !== "file") return kind === "dir";
    const read = sh.host.readFile(path);
    return read.ok && read.value !== "";
  }
  return kind !== null;
}

function binary(left: string, op: string, right: string): boolean {
  switch (op) {
    case "=":
    case "==":
      return left === right;
    case "!=":
      return left !== right;
    case "<":
      return left < right;
    case ">":
      return left > right;
  }
  const a = integer(left);
  const b = integer(right);
  const cmp = new Map([["-eq", a === b], ["-ne", a !== b], ["-lt", a < b], ["-le", a <= b], ["-gt", a > b], ["-ge", a >= b]]);
  return cmp.get(op) ?? false;
}

function evaluate(sh: Shell, args: readonly string[], name: string): boolean {
  const [a = "", b = "", c = ""] = args;
  switch (args.length) {
    case 0:
      return false;
    case 1:
      return a !== "";
    case 2:
      if (a === "!") return b === "";
      if (UNARY.has(a)) return unary(sh, a, b);
      throw new TestError(`${a}: unary operator expected`);
    case 3:
      if (BINARY.has(b)) return binary(a, b, c);
      if (b === "-a") return a !== "" && c !== "";
      if (b === "-o") return a !== "" || c !== "";
      if (a === "!") return !evaluate(sh, args.slice(1), name);
      if (a === "(" && c === ")") return b !== "";
      throw new TestError(`${b}: binary operator expected`);
    case 4:
      if (a === "!") return !evaluate(sh, args.slice(1), name);
  }
  return general(sh, args);
}

/** More than four arguments: `expr -o expr`, `expr -a expr`, `! expr`, `( expr )`. */
function general(sh: Shell, args: readonly string[]): boolean {
  let pos = 0;
  const peek = () => args[pos];
  const orExpr = (): boolean => {
    let v = andExpr();
    while (peek() === "-o") {
      pos++;
      v = andExpr() || v;
    }
    return v;
  };
  const andExpr = (): boolean => {
    let v = notExpr();
    while (peek() === "-a") {
      pos++;
      v = notExpr() && v;
    }
    return v;
  };
  const notExpr = (): boolean => {
    if (peek() === "!") {
      pos++;
      return !notExpr();
    }
    return primary();
  };
  const primary = (): boolean => {
    const a = args[pos];
    if (a === undefined) throw new TestError("argument expected");
    if (a === "(") {
      pos++;
      const v = orExpr();
      if (args[pos++] !== ")") throw new TestError("`)' expected");
      return v;
    }
    const b = args[pos + 1];
    if (b !== undefined && BINARY.has(b) && args[pos + 2] !== undefined) {
      pos += 3;
      return binary(a, b, args[pos - 1] as string);
    }
    if (UNARY.has(a) && b !== undefined) {
      pos += 2;
      return unary(sh, a, b);
    }
    pos++;
    return a !== "";
  };
  const v = orExpr();
  if (pos < args.length) throw new TestError("too many arguments");
  return v;
}
