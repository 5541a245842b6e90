import { describe, expect, it } from "vitest";
import { COMMANDS, runCli, shellQuote } from "./main.js";
import type { ProgressSink } from "./io.js";

describe("drydock CLI", () => {
  it("prints help with no command, listing every command", () => {
    const r = runCli([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage:  drydock COMMAND");
    for (const name of COMMANDS.keys()) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
    expect([...COMMANDS.keys()]).toEqual(["shell", "run", "replay", "docker", "raft", "swim", "sweep", "lab"]);
  });

  it("rejects an unknown command: exit 2", () => {
    const r = runCli(["frob"]);
    expect(r).toEqual({ stdout: "", stderr: "drydock: 'frob' is not a drydock command.\nSee 'drydock --help'\n", code: 2 });
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"])(
    "'drydock %s' is an unknown command, not a property of Object.prototype",
    (name) => {
      const r = runCli([name]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`drydock: '${name}' is not a drydock command.\nSee 'drydock --help'\n`);
    },
  );

  it.each(["constructor", "__proto__", "toString"])("'drydock docker %s' is docker's unknown command, exit 1 (as docker exits)", (name) => {
    const r = runCli(["docker", name]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`docker: unknown command: docker ${name}`);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it("'drydock docker --help' is docker's help from a fresh host", () => {
    const r = runCli(["docker", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage:  docker");
  });

  it("'drydock docker' passes each argument as one word, whatever it holds", () => {
    expect(shellQuote("alpine:3.5")).toBe("alpine:3.5");
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("$(rm -rf /)")).toBe("'$(rm -rf /)'");
    const r = runCli(["docker", "pull", "Ubuntu; echo hi"]);
    expect(r.stdout).not.toContain("hi\n");
    expect(r.code).not.toBe(0);
  });

  it("an unknown flag is a usage error (exit 2) pointing at --help", () => {
    const r = runCli(["raft", "--bogus"]);
    expect(r).toEqual({ stdout: "", stderr: "drydock raft: unknown flag: --bogus\nSee 'drydock raft --help'.\n", code: 2 });
  });

  it.each([["raft"], ["swim"], ["run"], ["replay"], ["shell"]])("drydock %s --help prints its usage", (name) => {
    const r = runCli([name, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage:  drydock ${name}`);
  });

  it("drydock shell outside the bin says it needs the terminal (exit 2); its bad flags are usage errors", () => {
    expect(runCli(["shell"]).code).toBe(2);
    expect(runCli(["shell", "--nodes", ","]).stderr).toContain('for "--nodes" flag');
  });

  it("raft: narrates the election, a leader crash and the re-election, deterministically", () => {
    const argv = ["raft", "--seed", "7", "--crash", "leader@2s", "--propose-every", "500ms", "--until", "4s"];
    const a = runCli(argv);
    expect(a.code).toBe(0);
    const leaders = a.stdout.split("\n").filter((l) => l.includes("became leader"));
    expect(leaders.length).toBeGreaterThanOrEqual(2);
    expect(a.stdout).toMatch(/crash s\d \(the leader\)/);
    expect(a.stdout).toMatch(/SERVER\s+STATUS\s+ROLE\s+TERM\s+LOG\s+COMMIT\s+APPLIED/);
    expect(runCli(argv).stdout).toBe(a.stdout);
  });

  it("raft: an unknown server in a fault is the cluster's clear error, exit 1", () => {
    const r = runCli(["raft", "--crash", "s9@1s", "--until", "2s"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: .*s9/);
  });

  it("raft: a fault without a time is a usage error", () => {
    const r = runCli(["raft", "--crash", "s1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid argument "s1" for "--crash" flag');
  });

  it("swim: a crashed member is declared dead by every other member", () => {
    const r = runCli(["swim", "-n", "20", "--crash", "m5@2s", "--until", "25s"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/declares m5 dead; 19 of 19 others knew/);
    expect(r.stdout).toContain("19 alive, 0 suspect, 1 dead");
  });
});

describe("the progress line of headless runs", () => {
  const sink = (auto: boolean) => {
    const lines: string[] = [];
    let done = 0;
    const s: ProgressSink = { auto, report: (l) => lines.push(l), done: () => done++ };
    return { s, lines, get done() { return done; } };
  };

  it("swim reports each virtual second when asked (--progress), and the run is the same as a silent one", () => {
    const argv = ["swim", "-n", "10", "--crash", "m3@2s", "--until", "5s"];
    const quiet = runCli(argv);
    const p = sink(false);
    const loud = runCli([...argv, "--progress"], { progress: p.s });
    expect(loud).toEqual(quiet);
    expect(p.lines).toEqual([1, 2, 3, 4, 5].map((s) => `  virtual ${s}.0s / 5s  (members 10)`));
    expect(p.done).toBe(1);
  });

  it("shows progress by itself when the sink says so (stderr is a terminal), and never when not", () => {
    const auto = sink(true);
    runCli(["swim", "-n", "5", "--until", "3s"], { progress: auto.s });
    expect(auto.lines).toHaveLength(3);
    const off = sink(false);
    runCli(["swim", "-n", "5", "--until", "3s"], { progress: off.s });
    expect(off.lines).toEqual([]);
  });
});
