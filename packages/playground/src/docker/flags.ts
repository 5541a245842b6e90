import { DrydockError, parseDuration, type Micros } from "@drydock/kernel";

/**
 * Command-line flags parsed as Docker's CLI parses them (spf13/pflag under cobra): `--name
 * value`, `--name=value`, `-n value`, `-nvalue`, grouped boolean shorthands (`-it`), `--` ends
 * the flags, and the same error texts ("unknown flag: --foo", "flag needs an argument: --seed").
 */
export type FlagKind = "bool" | "string" | "int" | "duration" | "list";

export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  readonly kind: FlagKind;
  readonly help: string;
  readonly default?: string | number | boolean;
}

export type FlagValue = string | number | boolean | string[];

export interface Parsed {
  readonly flags: Readonly<Record<string, FlagValue>>;
  readonly args: readonly string[];
}

/** Specs lists seen before, indexed by name and shorthand (a command's list is parsed on every call). */
const INDEXES = new WeakMap<readonly FlagSpec[], { byName: Map<string, FlagSpec>; byShort: Map<string, FlagSpec>; defaults: readonly FlagSpec[] }>();

const BOOL_TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const BOOL_FALSE = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/** The column of argument `i` in the command line as typed (for error locations). */
function columnOf(argv: readonly string[], i: number): number {
  return argv.slice(0, i).reduce((n, a) => n + a.length + 1, 1);
}

/** A flag error at argument `i` (module functions, not closures made on every parse: docker run's flags are parsed on every run). */
function flagFail(argv: readonly string[], i: number, message: string): never {
  throw new DrydockError("EFLAG", message, { line: 1, column: columnOf(argv, i) });
}

function setFlag(flags: Record<string, FlagValue>, argv: readonly string[], i: number, spec: FlagSpec, raw: string, shown: string): void {
  switch (spec.kind) {
    case "bool":
      if (BOOL_TRUE.has(raw)) flags[spec.name] = true;
      else if (BOOL_FALSE.has(raw)) flags[spec.name] = false;
      else flagFail(argv, i, `invalid argument "${raw}" for "${shown}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`);
      return;
    case "int": {
      if (!/^-?\d+$/.test(raw)) flagFail(argv, i, `invalid argument "${raw}" for "${shown}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`);
      flags[spec.name] = Number(raw);
      return;
    }
    case "duration":
      try {
        flags[spec.name] = parseDuration(raw);
      } catch {
        flagFail(argv, i, `invalid argument "${raw}" for "${shown}" flag: time: invalid duration "${raw}"`);
      }
      return;
    case "list": {
      const prev = flags[spec.name];
      flags[spec.name] = [...(Array.isArray(prev) ? prev : []), raw];
      return;
    }
    case "string":
      flags[spec.name] = raw;
      return;
  }
}

/**
 * `interspersed: false` is cobra's SetInterspersed(false): flags end at the first argument, so
 * `docker run alpine ls -l` gives `-l` to ls.
 */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], opts: { readonly interspersed?: boolean } = {}): Parsed {
  let index = INDEXES.get(specs);
  if (index === undefined) {
    index = {
      byName: new Map(specs.map((s) => [s.name, s])), byShort: new Map(specs.filter((s) => s.short).map((s) => [s.short!, s])),
      // The few specs with a default, so a call does not walk docker run's ~100 specs to find them.
      defaults: specs.filter((s) => s.default !== undefined),
    };
    INDEXES.set(specs, index);
  }
  const { byName, byShort } = index;
  const flags: Record<string, FlagValue> = {};
  for (const s of index.defaults) flags[s.name] = s.default!;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const spec = byName.get(name);
      if (!spec) flagFail(argv, i, `unknown flag: --${name}`);
      const shown = `--${name}`;
      if (eq >= 0) setFlag(flags, argv, i, spec!, a.slice(eq + 1), shown);
      else if (spec!.kind === "bool") flags[spec!.name] = true;
      else if (i + 1 < argv.length) setFlag(flags, argv, i, spec!, argv[++i]!, shown);
      else flagFail(argv, i, `flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      // Grouped shorthands: every letter but the last must be a bool; a value may follow.
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const spec = byShort.get(c);
        if (!spec) flagFail(argv, i, `unknown shorthand flag: '${c}' in ${a}`);
        const shown = `-${c}, --${spec!.name}`;
        // pflag's parseSingleShortArg: "-f=arg" only when something follows the "="; a lone
        // "-f=" is "-farg" with the value "=" (and for a bool, "=" is the next shorthand).
        const eqValue = a[j + 1] === "=" && a.length > j + 2;
        if (spec!.kind === "bool") {
          if (eqValue) {
            setFlag(flags, argv, i, spec!, a.slice(j + 2), shown);
            break;
          }
          flags[spec!.name] = true;
          continue;
        }
        const rest = eqValue ? a.slice(j + 2) : a.slice(j + 1);
        if (rest !== "") setFlag(flags, argv, i, spec!, rest, shown);
        else if (i + 1 < argv.length) setFlag(flags, argv, i, spec!, argv[++i]!, shown);
        else flagFail(argv, i, `flag needs an argument: '${c}' in -${c}`);
        break;
      }
      continue;
    }
    args.push(a);
    if (opts.interspersed === false) {
      args.push(...argv.slice(i + 1));
      break;
    }
  }
  return { flags, args };
}

/** Typed reads of parsed flags. */
export const flag = {
  str: (p: Parsed, name: string): string | undefined => p.flags[name] as string | undefined,
  int: (p: Parsed, name: string): number | undefined => p.flags[name] as number | undefined,
  bool: (p: Parsed, name: string): boolean => p.flags[name] === true,
  micros: (p: Parsed, name: string): Micros | undefined => p.flags[name] as Micros | undefined,
  list: (p: Parsed, name: string): string[] => (p.flags[name] as string[] | undefined) ?? [],
};

/** Usage text in cobra's layout. */
export function usage(command: string, summary: string, specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const left = `${s.short ? `-${s.short}, ` : "    "}--${s.name}${s.kind === "bool" ? "" : ` ${s.kind}`}`;
    const def = s.default !== undefined && s.default !== false ? ` (default ${JSON.stringify(s.default)})` : "";
    return `  ${left.padEnd(30)} ${s.help}${def}`;
  });
  return `Usage:  ${command}\n\n${summary}\n\nOptions:\n${rows.join("\n")}\n`;
}
