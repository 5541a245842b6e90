// kubectl's command line as cobra and pflag read it: `--flag=value`, `--flag value`, `-n value`,
// `-nvalue`, booleans without a value, `--` ending the flags (kubectl exec).

/** Flags that take a value (long name → short name when it has one). */
const VALUED: ReadonlyMap<string, string | null> = new Map([
  ["filename", "f"], ["namespace", "n"], ["output", "o"], ["selector", "l"], ["container", "c"],
  ["image", null], ["replicas", null], ["port", null], ["target-port", null], ["type", null], ["name", null],
  ["to-revision", null], ["revision", null], ["protocol", null], ["labels", null], ["tail", null], ["restart", null],
  ["grace-period", null], ["timeout", null], ["record", null], ["env", null], ["from-literal", null], ["from-file", null],
  ["sort-by", null], ["field-selector", null], ["schedule", null], ["address", null],
]);

/** Boolean flags (long name → short name). */
const BOOLEAN: ReadonlyMap<string, string | null> = new Map([
  ["all-namespaces", "A"], ["no-headers", null], ["show-labels", null], ["overwrite", null], ["recursive", "R"],
  ["watch", "w"], ["all", null], ["stdin", "i"], ["tty", "t"], ["force", null], ["previous", "p"], ["follow", null], ["wait", null], ["quiet", "q"],
]);

const SHORT = new Map<string, string>([
  ...[...VALUED].filter(([, s]) => s !== null).map(([l, s]): [string, string] => [s!, l]),
  ...[...BOOLEAN].filter(([, s]) => s !== null).map(([l, s]): [string, string] => [s!, l]),
]);

export interface Parsed {
  readonly args: string[];
  readonly flags: Map<string, string[]>;
  /** After `--`. */
  readonly rest: string[] | null;
}

export class FlagError extends Error {}

export function parseKubectlArgs(argv: readonly string[]): Parsed {
  // `-f` is --filename for most commands but --follow for `kubectl logs` (its own flag set).
  const verb = argv.find((a) => !a.startsWith("-"));
  const short = verb === "logs" ? new Map([...SHORT, ["f", "follow"]]) : SHORT;
  const args: string[] = [];
  const flags = new Map<string, string[]>();
  const add = (k: string, v: string) => flags.set(k, [...(flags.get(k) ?? []), v]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") return { args, flags, rest: argv.slice(i + 1) };
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (VALUED.has(name)) {
        if (eq >= 0) add(name, a.slice(eq + 1));
        else if (i + 1 < argv.length) add(name, argv[++i]!);
        else throw new FlagError(`flag needs an argument: --${name}`);
      } else if (BOOLEAN.has(name)) add(name, eq >= 0 ? a.slice(eq + 1) : "true");
      else throw new FlagError(`unknown flag: --${name}`);
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      // A run of short flags: booleans, then at most one that takes the rest (or the next word) as its value.
      for (let j = 1; j < a.length; j++) {
        const ch = a[j]!;
        const long = short.get(ch);
        if (long === undefined) throw new FlagError(`unknown shorthand flag: '${ch}' in ${a}`);
        if (VALUED.has(long)) {
          let v = a.slice(j + 1);
          if (v.startsWith("=")) v = v.slice(1);
          if (v === "") {
            if (i + 1 >= argv.length) throw new FlagError(`flag needs an argument: '${ch}' in -${ch}`);
            v = argv[++i]!;
          }
          add(long, v);
          break;
        }
        add(long, "true");
      }
      continue;
    }
    args.push(a);
  }
  return { args, flags, rest: null };
}

export const flag = (p: Parsed, name: string): string | undefined => p.flags.get(name)?.at(-1);
export const flagAll = (p: Parsed, name: string): string[] => p.flags.get(name) ?? [];
export const bool = (p: Parsed, name: string): boolean => { const v = flag(p, name); return v !== undefined && v !== "false"; };
