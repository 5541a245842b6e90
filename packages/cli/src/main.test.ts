import { describe, expect, it } from "vitest";
import { runCli } from "./main.js";

describe("drydock CLI", () => {
  it("prints help with no command", () => {
    const r = runCli([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage:  drydock COMMAND");
  });

  it("rejects an unknown command as docker does", () => {
    const r = runCli(["frob"]);
    expect(r.code).toBe(125);
    expect(r.stderr).toBe("drydock: 'frob' is not a drydock command.\nSee 'drydock --help'\n");
  });

  it("an unknown flag is a usage error (exit 125) pointing at --help", () => {
    const r = runCli(["raft", "--bogus"]);
    expect(r).toEqual({ stdout: "", stderr: "unknown flag: --bogus\nSee 'drydock raft --help'.\n", code: 125 });
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
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('invalid argument "s1" for "--crash" flag');
  });

  it("swim: a crashed member is declared dead by every other member", () => {
    const r = runCli(["swim", "-n", "20", "--crash", "m5@2s", "--until", "25s"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/declares m5 dead; 19 of 19 others knew/);
    expect(r.stdout).toContain("19 alive, 0 suspect, 1 dead");
  });
});
