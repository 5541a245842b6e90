import { own } from "../util/hash.js";
import { DrydockError, parseDuration, type Micros } from "@drydock/kernel";
import { KNOWN_INSTRUCTIONS, parseDockerfile, type Heredoc, type Instruction, type ParsedDockerfile } from "../dockerfile/parser.js";

/**
 * The typed instruction layer (BuildKit's frontend/dockerfile/instructions/parse.go): checks each
 * instruction's arguments and flags, and groups instructions into stages. Errors use BuildKit's
 * wording and carry the instruction's line.
 */
export interface Flags {
  readonly [name: string]: string | true;
}

interface Base {
  readonly line: number;
  /** The instruction as written (continuations joined), for history and progress. */
  readonly text: string;
  readonly flags: Flags;
}

export type Command =
  | (Base & { readonly kind: "run"; readonly args: readonly string[]; readonly json: boolean; readonly heredocs: readonly Heredoc[] })
  | (Base & { readonly kind: "copy" | "add"; readonly sources: readonly string[]; readonly dest: string; readonly heredocs: readonly Heredoc[] })
  | (Base & { readonly kind: "env" | "label"; readonly pairs: readonly (readonly [string, string])[] })
  | (Base & { readonly kind: "arg"; readonly args: readonly { readonly key: string; readonly value: string | undefined }[] })
  | (Base & { readonly kind: "cmd" | "entrypoint" | "shell"; readonly args: readonly string[]; readonly json: boolean })
  | (Base & { readonly kind: "workdir" | "user" | "stopsignal" | "maintainer"; readonly value: string })
  | (Base & { readonly kind: "expose" | "volume"; readonly values: readonly string[] })
  | (Base & { readonly kind: "healthcheck"; readonly test: readonly string[]; readonly interval?: Micros; readonly timeout?: Micros; readonly startPeriod?: Micros; readonly startInterval?: Micros; readonly retries?: number })
  | (Base & { readonly kind: "onbuild"; readonly expression: string });

export interface Stage {
  /** Lower-cased `AS name`, or undefined. */
  readonly name: string | undefined;
  readonly index: number;
  /** The base as written (`alpine:${VERSION}`, `scratch`, a stage name). */
  readonly baseName: string;
  readonly platform: string | undefined;
  readonly line: number;
  readonly text: string;
  readonly commands: readonly Command[];
}

export interface CompiledDockerfile {
  readonly parsed: ParsedDockerfile;
  /** ARGs before the first FROM (usable in FROM lines only). */
  readonly metaArgs: readonly { readonly key: string; readonly value: string | undefined; readonly line: number }[];
  readonly stages: readonly Stage[];
}

const validStageName = /^[a-z][a-z0-9-_.]*$/;

function err(message: string, line: number): never {
  throw new DrydockError("EDOCKERFILE", message, { line, column: 1 });
}

/** BuildKit's BFlags: `--name=value` or boolean `--name`; unknown flags are rejected. */
function parseFlags(ins: Instruction, allowed: Readonly<Record<string, "string" | "bool" | "multi">>): Flags {
  const out: Record<string, string | true> = {};
  for (const f of ins.flags) {
    const body = f.replace(/^--/, "");
    const eq = body.indexOf("=");
    const name = eq < 0 ? body : body.slice(0, eq);
    const kind = own(allowed, name);
    if (!kind) err(`unknown flag: ${name}`, ins.startLine);
    if (kind === "bool") {
      if (eq >= 0 && !["true", "false"].includes(body.slice(eq + 1).toLowerCase())) {
        err(`expecting boolean value for flag ${name}, not: ${body.slice(eq + 1)}`, ins.startLine);
      }
      if (eq < 0 || body.slice(eq + 1).toLowerCase() === "true") out[name] = true;
      continue;
    }
    if (eq < 0) err(`missing a value on flag: ${name}`, ins.startLine);
    if (name in out && kind === "string") err(`Duplicate flag specified: ${name}`, ins.startLine);
    out[name] = kind === "multi" && typeof out[name] === "string" ? `${out[name]}\n${body.slice(eq + 1)}` : body.slice(eq + 1);
  }
  return out;
}

function atLeastOne(ins: Instruction, name: string): void {
  if (ins.args.length === 0) err(`${name} requires at least one argument`, ins.startLine);
}

function exactlyOne(ins: Instruction, name: string): void {
  if (ins.args.length !== 1) err(`${name} requires exactly one argument`, ins.startLine);
}

function durationFlag(flags: Flags, name: string, line: number): Micros | undefined {
  const v = flags[name];
  if (v === undefined || v === true) return undefined;
  let us: Micros;
  try {
    us = parseDuration(v);
  } catch {
    err(`time: invalid duration "${v}"`, line);
  }
  if (us !== 0 && us < 1000) err(`Interval "${name}" cannot be less than 1ms`, line);
  return us;
}

function toCommand(ins: Instruction): Command {
  const base = { line: ins.startLine, text: displayText(ins) };
  const name = ins.keyword.toUpperCase();
  switch (ins.keyword) {
    case "run": {
      const flags = parseFlags(ins, { mount: "multi", network: "string", security: "string" });
      if (ins.args.length === 0 && ins.heredocs.length === 0) err("RUN requires at least one argument", ins.startLine);
      return { ...base, kind: "run", flags, args: ins.args, json: ins.json, heredocs: ins.heredocs };
    }
    case "copy":
    case "add": {
      const allowed: Readonly<Record<string, "string" | "bool" | "multi">> = ins.keyword === "copy"
        ? ({ from: "string", chown: "string", chmod: "string", link: "bool", parents: "bool", exclude: "multi" } as const)
        : ({ chown: "string", chmod: "string", link: "bool", checksum: "string", "keep-git-dir": "bool", exclude: "multi" } as const);
      const flags = parseFlags(ins, allowed);
      const args = ins.args;
      if (ins.args.length < 2) {
        err(`${name} requires at least two arguments, but only one was provided. Destination could not be determined`, ins.startLine);
      }
      return { ...base, kind: ins.keyword, flags, sources: args.slice(0, -1), dest: args[args.length - 1]!, heredocs: ins.heredocs };
    }
    case "env":
    case "label": {
      const flags = parseFlags(ins, {});
      if (ins.args.length === 0) err(`${name} requires at least one argument`, ins.startLine);
      const pairs: [string, string][] = [];
      for (let i = 0; i + 2 < ins.args.length + 1; i += 3) pairs.push([ins.args[i]!, ins.args[i + 1]!]);
      return { ...base, kind: ins.keyword, flags, pairs };
    }
    case "arg": {
      const flags = parseFlags(ins, {});
      atLeastOne(ins, "ARG");
      const args = ins.args.map((w) => {
        const eq = w.indexOf("=");
        return eq < 0 ? { key: w, value: undefined } : { key: w.slice(0, eq), value: w.slice(eq + 1) };
      });
      for (const a of args) if (a.key === "") err("ARG names can not be blank", ins.startLine);
      return { ...base, kind: "arg", flags, args };
    }
    case "cmd":
    case "entrypoint":
      return { ...base, kind: ins.keyword, flags: parseFlags(ins, {}), args: ins.args, json: ins.json };
    case "shell":
      atLeastOne(ins, "SHELL");
      if (!ins.json) err(notJSON("SHELL", ins.original), ins.startLine);
      return { ...base, kind: "shell", flags: parseFlags(ins, {}), args: ins.args, json: true };
    case "workdir":
    case "user":
    case "stopsignal":
    case "maintainer":
      exactlyOne(ins, name);
      return { ...base, kind: ins.keyword, flags: parseFlags(ins, {}), value: ins.args[0]! };
    case "expose":
    case "volume":
      atLeastOne(ins, name);
      for (const v of ins.args) if (ins.keyword === "volume" && v.trim() === "") err("VOLUME specified can not be an empty string", ins.startLine);
      return { ...base, kind: ins.keyword, flags: parseFlags(ins, {}), values: ins.args };
    case "healthcheck": {
      atLeastOne(ins, "HEALTHCHECK");
      const flags = parseFlags(ins, { interval: "string", timeout: "string", "start-period": "string", "start-interval": "string", retries: "string" });
      const typ = ins.args[0]!.toUpperCase();
      if (typ === "NONE") {
        if (ins.args.length !== 1) err("HEALTHCHECK NONE takes no arguments", ins.startLine);
        return { ...base, kind: "healthcheck", flags, test: ["NONE"] };
      }
      if (typ !== "CMD") err(`Unknown type "${typ}" in HEALTHCHECK (try CMD)`, ins.startLine);
      const cmd = ins.args.slice(1);
      if (cmd.length === 0) err("Missing command after HEALTHCHECK CMD", ins.startLine);
      const test = ins.json ? ["CMD", ...cmd] : ["CMD-SHELL", cmd[0]!];
      let retries: number | undefined;
      if (typeof flags.retries === "string") {
        retries = Number.parseInt(flags.retries, 10);
        if (!Number.isFinite(retries) || `${retries}` !== flags.retries) err(`strconv.ParseInt: parsing "${flags.retries}": invalid syntax`, ins.startLine);
        if (retries < 0) err("--retries cannot be negative", ins.startLine);
      }
      const interval = durationFlag(flags, "interval", ins.startLine);
      const timeout = durationFlag(flags, "timeout", ins.startLine);
      const startPeriod = durationFlag(flags, "start-period", ins.startLine);
      const startInterval = durationFlag(flags, "start-interval", ins.startLine);
      return {
        ...base, kind: "healthcheck", flags, test,
        ...(interval !== undefined ? { interval } : {}), ...(timeout !== undefined ? { timeout } : {}),
        ...(startPeriod !== undefined ? { startPeriod } : {}), ...(startInterval !== undefined ? { startInterval } : {}),
        ...(retries !== undefined ? { retries } : {}),
      };
    }
    case "onbuild": {
      atLeastOne(ins, "ONBUILD");
      const trigger = ins.trigger!;
      if (trigger.keyword === "onbuild") err("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", ins.startLine);
      if (trigger.keyword === "from" || trigger.keyword === "maintainer") {
        err(`${trigger.keyword.toUpperCase()} isn't allowed as an ONBUILD trigger`, ins.startLine);
      }
      return { ...base, kind: "onbuild", flags: parseFlags(ins, {}), expression: trigger.original.trim() };
    }
    default: {
      const raw = ins.original.trim().split(/\s+/)[0] ?? ins.keyword;
      const suggestion = suggest(ins.keyword, raw);
      err(`unknown instruction: ${raw}${suggestion ? ` (did you mean ${suggestion}?)` : ""}`, ins.startLine);
    }
  }
}

/**
 * errNotJSON: on a line that looks like an unescaped Windows path in a JSON array (which then
 * parsed as shell form), BuildKit adds a hint.
 */
function notJSON(command: string, original: string): string {
  const line = original.toLowerCase();
  const hint = /"[a-z]:\\/.test(line) && !line.includes("\\\\") && line.includes("[") && line.includes("]")
    ? `. It looks like '${line}' includes a file path without an escaped back-slash. JSON requires back-slashes to be escaped such as ["c:\\\\path\\\\to\\\\file.exe", "/parameter"]`
    : "";
  return `${command} requires the arguments to be in JSON form${hint}`;
}

/** BuildKit suggests the nearest instruction name (Levenshtein distance at most 2). */
function suggest(word: string, orig: string): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of KNOWN_INSTRUCTIONS) {
    const d = levenshtein(word, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  // matchCase: the suggestion takes the case the user wrote.
  if (best && orig === orig.toUpperCase()) return best.toUpperCase();
  return best;
}

function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** How `docker history` and the progress output name an instruction: keyword upper-cased. */
export function displayText(ins: Instruction): string {
  const rest = ins.original.trim().replace(/^\S+\s*/, "");
  return `${ins.keyword.toUpperCase()} ${rest}`.trim();
}

/** Compiled Dockerfiles by text: parsing is pure, and builds often repeat a Dockerfile. */
const memo = new Map<string, CompiledDockerfile>();
const MEMO_MAX = 256;

/** Parses (if given text) and compiles a Dockerfile into meta ARGs and stages. */
export function compileDockerfile(input: string | ParsedDockerfile): CompiledDockerfile {
  if (typeof input === "string") {
    const hit = memo.get(input);
    if (hit) return hit;
    const compiled = compileUncached(input);
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(input, compiled);
    return compiled;
  }
  return compileUncached(input);
}

function compileUncached(input: string | ParsedDockerfile): CompiledDockerfile {
  const parsed = typeof input === "string" ? parseDockerfile(input) : input;
  const metaArgs: { key: string; value: string | undefined; line: number }[] = [];
  const stages: { name: string | undefined; index: number; baseName: string; platform: string | undefined; line: number; text: string; commands: Command[] }[] = [];
  const seen = new Set<string>();
  for (const ins of parsed.instructions) {
    if (ins.keyword === "from") {
      const flags = parseFlags(ins, { platform: "string" });
      const args = ins.args;
      let name: string | undefined;
      if (args.length === 3 && args[1]!.toLowerCase() === "as") {
        name = args[2]!.toLowerCase();
        if (!validStageName.test(name)) {
          err(`invalid name for build stage: "${args[2]}", name can't start with a number or contain symbols`, ins.startLine);
        }
        if (seen.has(name)) err(`duplicate stage name "${name}"`, ins.startLine);
        seen.add(name);
      } else if (args.length !== 1) err("FROM requires either one or three arguments", ins.startLine);
      stages.push({
        name, index: stages.length, baseName: args[0]!, platform: typeof flags.platform === "string" ? flags.platform : undefined,
        line: ins.startLine, text: displayText(ins), commands: [],
      });
      continue;
    }
    const cmd = toCommand(ins);
    const current = stages[stages.length - 1];
    if (!current) {
      if (cmd.kind !== "arg") err("no build stage in current context", ins.startLine);
      for (const a of cmd.args) metaArgs.push({ ...a, line: ins.startLine });
      continue;
    }
    current.commands.push(cmd);
  }
  if (stages.length === 0) err("no build stage in current context", parsed.instructions[parsed.instructions.length - 1]?.startLine ?? 1);
  return { parsed, metaArgs, stages };
}
