import { describe, expect, it } from "vitest";
import { createPlayground } from "@drydock/playground";
import { runCli } from "./main.js";
import { echoLine, parseScript, runScript, transcript } from "./script.js";

const io = (files: Record<string, string>) => ({
  readFile: (path: string) => {
    if (!Object.hasOwn(files, path)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
    return files[path]!;
  },
});

describe("drydock run: the script parser", () => {
  it("skips blank lines and comments; attaches # expect: and # expect-exit: to the command before", () => {
    const s = parseScript([
      "# a comment",
      "",
      "echo hello",
      "# expect: hello",
      "#expect-exit: 0",
      "   ",
      "false",
      "# expect-exit: 1",
    ].join("\n"));
    expect(s).toEqual([
      { line: "echo hello", on: undefined, lineNo: 3, expects: [{ kind: "output", text: "hello", lineNo: 4 }, { kind: "exit", code: 0, lineNo: 5 }] },
      { line: "false", on: undefined, lineNo: 7, expects: [{ kind: "exit", code: 1, lineNo: 8 }] },
    ]);
  });

  it("a heredoc is one command; its body keeps blank lines and # lines verbatim", () => {
    const s = parseScript(["cat > Dockerfile <<EOF", "# syntax comment", "", "FROM ubuntu", "EOF", "# expect-exit: 0", "cat Dockerfile"].join("\n"));
    expect(s.map((c) => c.line)).toEqual(["cat > Dockerfile <<EOF\n# syntax comment\n\nFROM ubuntu\nEOF", "cat Dockerfile"]);
    expect(s[0]!.expects).toEqual([{ kind: "exit", code: 0, lineNo: 6 }]);
    expect(s[1]!.lineNo).toBe(7);
  });

  it("joins continuation lines: a trailing backslash, &&, | and an open quote", () => {
    const s = parseScript(["docker build \\", "  -t x .", "mkdir a &&", "cd a", "ls |", "wc -l", "echo 'a", "b'"].join("\n"));
    expect(s.map((c) => c.line)).toEqual(["docker build \\\n  -t x .", "mkdir a &&\ncd a", "ls |\nwc -l", "echo 'a\nb'"]);
  });

  it("@on HOST runs a line on another host", () => {
    const s = parseScript("@on node2 docker images\n@on  node3   cat <<EOF\nx\nEOF\n");
    expect(s.map((c) => [c.on, c.line])).toEqual([["node2", "docker images"], ["node3", "cat <<EOF\nx\nEOF"]]);
  });

  it.each([
    ["# expect: x", /script:1: "# expect: x" has no command before it/],
    ["ls\n# expect-exit: x", /script:2: invalid exit code "x"/],
    ["ls\n# expect-exit: 256", /script:2: invalid exit code "256"/],
    ["ls\n# expect:", /script:2: "# expect:" needs the text/],
    ["@on node2", /script:1: "@on node2" needs a command/],
    ["@onn node2 ls", /script:1: unknown directive "@onn"/],
    ["ls\ncat <<EOF\nno end", /script:2: the command is not finished at the end of the script/],
    ["echo 'open", /script:1: the command is not finished/],
  ])("%j is a clear error naming the line", (text, want) => {
    expect(() => parseScript(text)).toThrow(want);
  });

  it("echoes a multi-line command as a terminal shows it", () => {
    expect(echoLine("cat <<EOF\na\nEOF")).toBe("$ cat <<EOF\n> a\n> EOF\n");
    expect(echoLine("ls", "node2")).toBe("$ @on node2 ls\n");
  });
});

describe("drydock run: running a script", () => {
  const script = [
    "# write a file with a heredoc, read it back",
    "mkdir app && cd app",
    "cat > notes.txt <<EOF",
    "hello from a heredoc",
    "EOF",
    "cat notes.txt",
    "# expect: hello from a heredoc",
    "# expect-exit: 0",
    "cat nosuch.txt",
    "# expect-exit: 1",
    "# expect: No such file or directory",
  ].join("\n");

  it("prints a transcript and exits 0 when every expectation holds", () => {
    const r = runCli(["run", "s.sh"], io({ "s.sh": script }));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("$ cat > notes.txt <<EOF\n> hello from a heredoc\n> EOF\n$ cat notes.txt\nhello from a heredoc\n");
    expect(r.stdout).toMatch(/\$ cat nosuch.txt\ncat: nosuch.txt: No such file or directory\n\[exit 1\]\n/);
  });

  it("a failed expectation: exit 1, and each failure listed with its line", () => {
    const r = runCli(["run", "s.sh"], io({ "s.sh": "echo hi\n# expect: bye\n# expect-exit: 3\necho ok\n# expect: ok\n" }));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "drydock run: 2 of 3 expectations failed:\n" +
      "  s.sh:2: echo hi: output does not contain \"bye\"\n" +
      "  s.sh:3: echo hi: exited 0, want 3\n",
    );
  });

  it("--json: seed, hashes, results with their expectations, and the session", () => {
    const r = runCli(["run", "--json", "--seed", "9", "s.sh"], io({ "s.sh": script }));
    const j = JSON.parse(r.stdout) as {
      seed: string; traceHash: string; worldHash: string; session: { seed: unknown; actions: unknown[] };
      results: { line: string; exitCode: number; stdout: string; stderr: string; expectations: { ok: boolean }[] }[];
    };
    expect(j.seed).toBe("9");
    expect(j.traceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(j.worldHash).toMatch(/^[0-9a-f]{64}$/);
    expect(j.results.map((x) => x.exitCode)).toEqual([0, 0, 0, 1]);
    expect(j.results[2]!.expectations).toEqual([
      { kind: "output", want: "hello from a heredoc", lineNo: 7, ok: true },
      { kind: "exit", want: 0, lineNo: 8, ok: true },
    ]);
    expect(j.session.actions).toHaveLength(4);
    // The same script and seed: the same run.
    expect(JSON.parse(runCli(["run", "--json", "--seed", "9", "s.sh"], io({ "s.sh": script })).stdout)).toEqual(j);
  });

  it("@on runs on the named host; its disk is its own", () => {
    const pg = createPlayground({ nodes: ["node1", "node2"] });
    const rs = runScript(pg, parseScript("echo one > /root/f\n@on node2 cat /root/f\n# expect-exit: 1\ncat /root/f\n# expect: one\n"));
    expect(rs.map((r) => [r.on, r.exitCode, r.expectations.every((e) => e.ok)])).toEqual([[undefined, 0, true], ["node2", 1, true], [undefined, 0, true]]);
    expect(transcript(rs)).toContain("$ @on node2 cat /root/f\n");
  });

  it("an editor in a script has no terminal: it fails, the file is unchanged, and the next line runs as a command", () => {
    const rs = runScript(createPlayground(), parseScript("echo keep > f\nnano f\necho after\ncat f\n"));
    expect(rs.map((r) => [r.exitCode, r.stdout])).toEqual([[0, ""], [1, ""], [0, "after\n"], [0, "keep\n"]]);
    expect(rs[1]!.stderr).toBe("drydock: an editor needs a terminal (drydock shell at a terminal opens yours): /root/f is unchanged\n");
  });

  it("drydock crash HOST and drydock restart HOST fail and bring back a host, as the labs' faults do (QA session 4 D12b)", () => {
    const pg = createPlayground({ nodes: ["node1", "node2"] });
    const rs = runScript(pg, parseScript([
      "drydock crash node2", "@on node2 echo hi", "drydock crash node2", "drydock restart node2", "@on node2 echo back", "drydock crash nosuch", "drydock restart",
    ].join("\n")));
    expect(rs.map((r) => [r.exitCode, r.stdout + r.stderr])).toEqual([
      [0, "node2 crashed: its engine, containers, swarm daemon and kubelet stopped; drydock restart node2 starts it again\n"],
      [255, "drydock: node2 is down (crashed); restart it first\n"],
      [1, "drydock: node2 is down already\n"],
      [0, "node2 restarted: its engine is back (containers with a restart policy start again)\n"],
      [0, "back\n"],
      [1, "drydock: no host nosuch in this world (hosts: node1, node2)\n"],
      [1, "drydock: usage: drydock restart HOST (hosts: node1, node2)\n"],
    ]);
  });

  it("an autolocked manager restarted is locked until docker swarm unlock", () => {
    const pg = createPlayground({ nodes: ["node1"] });
    const key = /SWMKEY-1-\S+/.exec(pg.exec("docker swarm init --autolock").stdout)![0];
    const rs = runScript(pg, parseScript(["drydock crash node1", "drydock restart node1", "docker node ls", `echo ${key} | docker swarm unlock`, "docker node ls -q | wc -l"].join("\n")));
    expect(rs[2]!.stderr).toContain("Swarm is encrypted and needs to be unlocked");
    expect(rs[3]!.exitCode).toBe(0);
    expect(rs[4]!.stdout.trim()).toBe("1");
  });

  it("stops at exit", () => {
    const rs = runScript(createPlayground(), parseScript("echo a\nexit 4\necho never\n"));
    expect(rs.map((r) => r.exitCode)).toEqual([0, 4]);
  });

  it("a missing script or a malformed one is a usage error, exit 2", () => {
    expect(runCli(["run", "nope.sh"], io({}))).toEqual({ stdout: "", stderr: "drydock run: open nope.sh: no such file or directory\n", code: 2 });
    const bad = runCli(["run", "b.sh"], io({ "b.sh": "# expect: x\n" }));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("b.sh:1:");
    expect(runCli(["run"], io({})).code).toBe(2);
  });
});

describe("drydock replay", () => {
  it("a saved session replays to the same trace and world hashes", () => {
    const pg = createPlayground({ seed: 3, nodes: ["node1", "node2"] });
    pg.exec("mkdir app && cd app");
    pg.exec("cat > Dockerfile <<EOF\nFROM alpine:3.5\nRUN mkdir /x\nEOF");
    pg.exec("docker build -t x .");
    pg.exec("docker images", { on: "node2" });
    const file = pg.exportSession();
    const r = runCli(["replay", "--json", "s.json"], io({ "s.json": file }));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j).toMatchObject({ hosts: ["node1", "node2"], traceHash: pg.traceHash(), worldHash: pg.worldHash(), now: pg.now, actions: 4 });
    const text = runCli(["replay", "s.json"], io({ "s.json": file })).stdout;
    expect(text).toContain(`trace hash    ${pg.traceHash()}`);
    expect(text).toContain("hosts         node1, node2");
  });

  it.each([
    ["not json", "{"],
    ["not a session", JSON.stringify({ hello: 1 })],
    ["null", "null"],
    ["a bad host", JSON.stringify({ version: 1, seed: 1, nodes: ["Bad Host"], actions: [] })],
  ])("a malformed file (%s) is a clear error, exit 2", (_why, text) => {
    const r = runCli(["replay", "s.json"], io({ "s.json": text }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^drydock replay: s\.json: not a drydock session/);
    expect(r.stderr.split("\n")).toHaveLength(2);
  });
});
