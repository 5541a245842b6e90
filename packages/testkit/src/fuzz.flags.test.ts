// Fuzzing the flag parser (pflag's rules, packages/playground/src/docker/flags.ts): command lines
// drawn from a set of flag specs parse to the values drawn, in every spelling pflag accepts
// (--name value, --name=value, -n value, -nvalue, grouped booleans); any other line fails only
// with the typed EFLAG error and a column.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DrydockError } from "@drydock/kernel";
import { parseFlags, type FlagSpec } from "@drydock/playground";
import { scaled } from "./fuzz.test-util.js";

export const RUNS = scaled({ valid: 2000, random: 3000 });

const SPECS: readonly FlagSpec[] = [
  { name: "all", short: "a", kind: "bool", help: "" },
  { name: "quiet", short: "q", kind: "bool", help: "" },
  { name: "tag", short: "t", kind: "list", help: "" },
  { name: "name", kind: "string", help: "" },
  { name: "format", short: "f", kind: "string", help: "" },
  { name: "count", short: "n", kind: "int", help: "", default: 1 },
  { name: "time", kind: "duration", help: "" },
];

type Drawn = { tokens: string[]; want: Record<string, unknown>; args: string[] };

const value = fc.oneof(fc.constantFrom("x", "alpine:3.5", "{{.ID}}", "a b", "-", "=", ""), fc.string({ maxLength: 6 }));
const flagUse: fc.Arbitrary<(d: Drawn) => void> = fc.oneof(
  fc.tuple(fc.constantFrom("all", "quiet"), fc.constantFrom("long", "short", "explicit")).map(([n, how]) => (d: Drawn) => {
    d.tokens.push(how === "long" ? `--${n}` : how === "short" ? `-${n[0]}` : `--${n}=true`);
    d.want[n] = true;
  }),
  fc.tuple(fc.constantFrom("name", "format"), value.filter((v) => !v.startsWith("-")), fc.constantFrom("space", "equals", "short")).map(([n, v, how]) => (d: Drawn) => {
    if (how === "equals") d.tokens.push(`--${n}=${v}`);
    // (-f= is left out: pflag reads it as the value "=", see the pinned divergence below.)
    else if (how === "short" && n === "format" && v !== "" && !v.startsWith("=")) d.tokens.push(`-f${v}`);
    else d.tokens.push(`--${n}`, v);
    d.want[n] = v;
  }),
  fc.tuple(fc.integer({ min: -5, max: 99999 }), fc.boolean()).map(([v, short]) => (d: Drawn) => {
    d.tokens.push(...(short ? [`-n`, String(v)] : [`--count=${v}`]));
    d.want["count"] = v;
  }),
  fc.tuple(value.filter((v) => !v.startsWith("-")), fc.boolean()).map(([v, short]) => (d: Drawn) => {
    d.tokens.push(...(short ? ["-t", v] : [`--tag=${v}`]));
    d.want["tag"] = [...((d.want["tag"] as string[] | undefined) ?? []), v];
  }),
  fc.constantFrom("1s", "500ms", "2m30s", "0").map((v) => (d: Drawn) => {
    d.tokens.push("--time", v);
    d.want["time"] = v === "0" ? 0 : v === "1s" ? 1_000_000 : v === "500ms" ? 500_000 : 150_000_000;
  }),
  fc.constant((d: Drawn) => {
    // Grouped boolean shorthands.
    d.tokens.push("-aq");
    d.want["all"] = true;
    d.want["quiet"] = true;
  }),
);

describe("the flag parser, fuzzed", () => {
  it(`${RUNS.valid} command lines drawn from the specs parse to the values drawn`, () => {
    fc.assert(fc.property(fc.array(flagUse, { maxLength: 6 }), fc.array(fc.constantFrom("alpine", "x", "."), { maxLength: 2 }), fc.boolean(), (uses, args, dashdash) => {
      const d: Drawn = { tokens: [], want: {}, args: [] };
      for (const u of uses) u(d);
      // Arguments after `--` are arguments whatever they look like.
      const tail = dashdash ? ["--", "-a", ...args] : args;
      const p = parseFlags([...d.tokens, ...tail], SPECS);
      for (const [k, v] of Object.entries(d.want)) expect(p.flags[k]).toEqual(v);
      if (d.want["count"] === undefined) expect(p.flags["count"]).toBe(1);
      expect(p.args).toEqual(dashdash ? ["-a", ...args] : args);
    }), { numRuns: RUNS.valid });
  });

  // Found by this fuzzing: pflag's parseSingleShortArg reads `-f=` as the value "=" ('-farg' with
  // arg "="), and `-f=x` as "x"; drydock used to strip the "=" and then want the next argument.
  it("pflag: -f= is the shorthand with the value \"=\", -f=x is \"x\", and a bool's -a= leaves \"=\" as a shorthand", () => {
    expect(parseFlags(["-f="], SPECS).flags["format"]).toBe("=");
    expect(parseFlags(["-f=x"], SPECS).flags["format"]).toBe("x");
    expect(parseFlags(["-f==x"], SPECS).flags["format"]).toBe("=x");
    expect(() => parseFlags(["-a="], SPECS)).toThrow("unknown shorthand flag: '=' in -a=");
    expect(parseFlags(["-a=false"], SPECS).flags["all"]).toBe(false);
  });

  it(`${RUNS.random} random command lines parse or fail with EFLAG and a column, nothing else`, () => {
    const token = fc.oneof(fc.constantFrom("-", "--", "-a", "-z", "--all", "--nope", "-n", "x", "--count=x", "-t", "--time=bad", "-qa", "-an", "=", "--=", "---x", "-ta"), fc.string({ maxLength: 5 }));
    let failed = 0;
    fc.assert(fc.property(fc.array(token, { maxLength: 8 }), (argv) => {
      try {
        parseFlags(argv, SPECS);
      } catch (e) {
        if (!(e instanceof DrydockError)) throw e;
        expect(e.code).toBe("EFLAG");
        expect(e.location?.column ?? 0).toBeGreaterThanOrEqual(1);
        failed++;
      }
    }), { numRuns: RUNS.random });
    expect(failed).toBeGreaterThan(RUNS.random / 10);
  });
});
