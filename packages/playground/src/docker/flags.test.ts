import { describe, expect, it } from "vitest";
import { DrydockError } from "@drydock/kernel";
import { parseFlags, type FlagSpec } from "./flags.js";

// The texts are spf13/pflag's, which the docker CLI prints through cobra.
const SPECS: FlagSpec[] = [
  { name: "detach", short: "d", kind: "bool", help: "" },
  { name: "interactive", short: "i", kind: "bool", help: "" },
  { name: "tty", short: "t", kind: "bool", help: "" },
  { name: "name", kind: "string", help: "" },
  { name: "publish", short: "p", kind: "list", help: "" },
  { name: "replicas", kind: "int", help: "", default: 1 },
  { name: "timeout", kind: "duration", help: "" },
];

const err = (argv: string[]) => {
  try {
    parseFlags(argv, SPECS);
  } catch (e) {
    return e as DrydockError;
  }
  throw new Error("no error");
};

describe("parseFlags (pflag semantics)", () => {
  it("reads long flags with a space or an equals sign, and keeps positional arguments", () => {
    const p = parseFlags(["--name", "web", "nginx", "--replicas=3", "echo", "hi"], SPECS);
    expect(p.flags).toMatchObject({ name: "web", replicas: 3 });
    expect(p.args).toEqual(["nginx", "echo", "hi"]);
  });

  it("groups boolean shorthands (-it) and takes a shorthand value attached or separate", () => {
    const p = parseFlags(["-it", "-p80:80", "-p", "443:443", "-d"], SPECS);
    expect(p.flags).toMatchObject({ interactive: true, tty: true, detach: true, publish: ["80:80", "443:443"] });
  });

  it("stops reading flags at --", () => {
    expect(parseFlags(["--", "--name", "x"], SPECS).args).toEqual(["--name", "x"]);
  });

  it("applies defaults and bool=false", () => {
    expect(parseFlags(["--detach=false"], SPECS).flags).toMatchObject({ replicas: 1, detach: false });
  });

  it("parses durations with the kernel's units", () => {
    expect(parseFlags(["--timeout", "1m30s"], SPECS).flags.timeout).toBe(90_000_000);
  });

  it.each([
    [["--bogus"], "unknown flag: --bogus", 1],
    [["nginx", "-z"], "unknown shorthand flag: 'z' in -z", 7],
    [["-itz"], "unknown shorthand flag: 'z' in -itz", 1],
    [["--name"], "flag needs an argument: --name", 1],
    [["-p"], "flag needs an argument: 'p' in -p", 1],
    [["--replicas", "three"], 'invalid argument "three" for "--replicas" flag: strconv.ParseInt: parsing "three": invalid syntax', 1],
    [["--detach=maybe"], 'invalid argument "maybe" for "--detach" flag: strconv.ParseBool: parsing "maybe": invalid syntax', 1],
    [["--timeout", "5 parsecs"], 'invalid argument "5 parsecs" for "--timeout" flag: time: invalid duration "5 parsecs"', 1],
  ])("%j fails with pflag's message", (argv, message, column) => {
    const e = err(argv);
    expect(e).toBeInstanceOf(DrydockError);
    expect(e.message).toBe(message);
    expect(e.location).toEqual({ line: 1, column });
  });
});
