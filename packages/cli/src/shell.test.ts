import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Playground, createPlayground } from "@drydock/playground";
import { readMountDir } from "../bin/mount.js";
import { DetachKeys, InputQueue, LineBuffer, RunningLine, Logins, remoteLine, headlessArgv, mountRequest, mountTarget, parseShellArgs, promptText } from "./shell.js";

describe("drydock shell: the prompt and the lines typed at it", () => {
  it("shows Debian's root prompt, ~ for /root", () => {
    expect(promptText({ host: "node1", cwd: "/root" })).toBe("root@node1:~# ");
    expect(promptText({ host: "node1", cwd: "/root/app" })).toBe("root@node1:~/app# ");
    expect(promptText({ host: "node2", cwd: "/" })).toBe("root@node2:/# ");
    expect(promptText({ host: "node1", cwd: "/rootfs" })).toBe("root@node1:/rootfs# ");
  });

  it("inside a container the prompt is its shell's, as the playground says (ash '/ # ', Debian bash, CentOS bash)", () => {
    const pg = createPlayground({ seed: 2 });
    pg.exec("docker pull alpine");
    pg.exec("docker run -it alpine sh");
    expect(promptText(pg.prompt())).toBe("/ # ");
    pg.exec("cd /etc");
    expect(promptText(pg.prompt())).toBe("/etc # ");
    pg.exec("exit");
    expect(promptText(pg.prompt())).toBe("root@node1:~# ");
  });

  it("Ctrl-P is held, Ctrl-Q right after it detaches, anything else lets them through (Docker's detach keys)", () => {
    const k = new DetachKeys();
    expect(k.feed({ ctrl: true, name: "p" })).toBe("hold");
    expect(k.feed({ ctrl: true, name: "q" })).toBe("detach");
    expect(k.feed({ ctrl: true, name: "q" })).toBe("pass");
    expect(k.feed({ ctrl: true, name: "p" })).toBe("hold");
    expect(k.feed({ name: "a" })).toBe("pass");
    expect(k.feed({ ctrl: true, name: "q" })).toBe("pass");
  });

  it("gathers lines while the text needs more (heredoc, quote, backslash, &&, |), then gives them joined", () => {
    const b = new LineBuffer();
    expect(b.push("cat > f <<EOF")).toBeNull();
    expect(b.pending).toBe(true);
    expect(b.push("hello")).toBeNull();
    expect(b.push("EOF")).toBe("cat > f <<EOF\nhello\nEOF");
    expect(b.pending).toBe(false);
    expect(b.push("echo 'a")).toBeNull();
    expect(b.push("b'")).toBe("echo 'a\nb'");
    expect(b.push("ls &&")).toBeNull();
    b.clear();
    expect(b.push("ls")).toBe("ls");
    expect(b.push("ls |")).toBeNull();
    expect(b.flush()).toBe("ls |");
    expect(b.flush()).toBeNull();
  });

  it("parses its flags", () => {
    const o = parseShellArgs(["--seed", "4", "--nodes", "node1,node2", "--mount", "./site", "--mount", "/tmp/x:/srv/x", "--save", "s.json", "--fast"]);
    expect(o).toEqual({
      help: false, seed: "4", nodes: ["node1", "node2"], kubernetes: false, save: "s.json", fast: true,
      mounts: [{ dir: "./site", path: undefined }, { dir: "/tmp/x", path: "/srv/x" }],
    });
    expect(() => parseShellArgs(["extra"])).toThrow(/accepts no arguments/);
    // --kubernetes: kubeadm's usual names unless --nodes says otherwise.
    expect(parseShellArgs(["--kubernetes"])).toMatchObject({ kubernetes: true, nodes: ["control-plane", "node-1", "node-2"] });
    expect(parseShellArgs(["--kubernetes", "--nodes=cp,w1"])).toMatchObject({ kubernetes: true, nodes: ["cp", "w1"] });
  });

  it("drydock raft|swim typed at the prompt is a headless run; anything fancier goes to the host's shell", () => {
    expect(headlessArgv("drydock raft --seed 3 --partition 's1|s2,s3@1s' --until \"3s\"")).toEqual(["raft", "--seed", "3", "--partition", "s1|s2,s3@1s", "--until", "3s"]);
    expect(headlessArgv("  drydock swim")).toEqual(["swim"]);
    expect(headlessArgv("drydock registry start")).toBeNull();
    expect(headlessArgv("drydock raft | head")).toBeNull();
    expect(headlessArgv("drydock raft --seed $SEED")).toBeNull();
    expect(headlessArgv("drydock raft > out.txt")).toBeNull();
    expect(headlessArgv("drydock rafts")).toBeNull();
  });

  it("a mount lands at /root/<basename> or at the PATH given", () => {
    expect(mountTarget(mountRequest("../course/hello"))).toBe("/root/hello");
    expect(mountTarget(mountRequest("hello/"))).toBe("/root/hello");
    expect(mountTarget(mountRequest("hello:/app"))).toBe("/app");
    expect(mountTarget(mountRequest("."))).toBe("/root/mnt");
  });
});

describe("drydock shell: a running line", () => {
  it("streams a pull's progress as virtual time passes, and ends where exec would", () => {
    const a = createPlayground();
    const b = createPlayground();
    const cmd = "echo before; docker pull alpine:3.5 && docker pull ubuntu; echo after";
    const line = new RunningLine(a, "node1", cmd);
    const pieces: string[] = [];
    let t = a.now;
    while (!line.done) {
      t += 50_000;
      line.step(t);
      const s = line.take();
      if (s !== "") pieces.push(s);
    }
    const f = line.finish();
    const whole = b.exec(cmd);
    expect(f.exitCode).toBe(0);
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.join("")).toContain("Pull complete");
    // What was streamed plus what finish() still prints is exactly what exec prints, in order:
    // "before" at once, each pull's lines as its layers finish, "after" at the end.
    expect([...pieces, f.stdout].join("")).toBe(whole.stdout);
    expect(pieces[0]!.startsWith("before\n")).toBe(true);
    expect(f.stdout).toContain("after\n");
    expect(f.stdout).not.toContain("Pull complete");
    expect(a.traceHash()).toBe(b.traceHash());
    expect(a.now).toBe(b.now);
  });

  it("Ctrl-C stops a running line: status 130", () => {
    const pg = createPlayground();
    pg.exec("cat > Dockerfile <<EOF\nFROM ubuntu\nRUN apt-get update\nEOF");
    const line = new RunningLine(pg, "node1", "docker build -t x .");
    line.step(pg.now + 500_000);
    expect(line.done).toBe(false);
    line.interrupt();
    const f = line.finish();
    expect(f.exitCode).toBe(130);
    expect(f.exit).toBe(false);
    expect(pg.busy()).toBe(false);
    pg.exec("docker images");
    // The interrupt is a logged action: the saved session replays to the same run.
    const replayed = Playground.fromSession(pg.exportSession());
    expect(replayed.traceHash()).toBe(pg.traceHash());
    expect(replayed.worldHash()).toBe(pg.worldHash());
  });

  it("exit ends the session with its status; a line that cannot start is reported at once", () => {
    const pg = createPlayground();
    const f = new RunningLine(pg, "node1", "exit 3").finish();
    expect(f).toMatchObject({ exitCode: 3, exit: true });
    const bad = new RunningLine(pg, "nosuch", "ls");
    expect(bad.done).toBe(true);
    expect(bad.finish()).toMatchObject({ exitCode: 255, exit: false });
  });
});

describe("drydock shell --mount: reading a real directory", () => {
  const dir = mkdtempSync(join(tmpdir(), "drydock-mount-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads text files recursively; skips node_modules, .git, binary and big files with warnings", () => {
    mkdirSync(join(dir, "src"));
    mkdirSync(join(dir, "node_modules", "x"), { recursive: true });
    mkdirSync(join(dir, ".git"));
    writeFileSync(join(dir, "Dockerfile"), "FROM alpine:3.5\n");
    writeFileSync(join(dir, "src", "hello.c"), "int main(){}\n");
    writeFileSync(join(dir, "node_modules", "x", "index.js"), "x");
    writeFileSync(join(dir, ".git", "HEAD"), "ref");
    writeFileSync(join(dir, "logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1]));
    writeFileSync(join(dir, "big.txt"), "a".repeat(1024 * 1024 + 1));
    const r = readMountDir(dir);
    expect(r.files).toEqual({ Dockerfile: "FROM alpine:3.5\n", "src/hello.c": "int main(){}\n" });
    expect(r.warnings).toEqual(["skipped big.txt: 1048577 bytes is over the 1 MiB limit", "skipped logo.png: not a text file"]);
  });

  it("a missing directory is a clear error", () => {
    expect(() => readMountDir(join(dir, "nope"))).toThrow(/--mount .*nope: no such directory/);
    expect(() => readMountDir(join(dir, "Dockerfile"))).toThrow(/not a directory/);
  });
});

describe("drydock shell: ssh moves the terminal between hosts", () => {
  it("ssh node2 logs in there; exit comes back with ssh's words; an unknown host is ssh's error", async () => {
    const { Logins } = await import("./shell.js");
    const l = new Logins(["node1", "node2"]);
    expect(l.on).toBe("node1");
    expect(l.ssh("ls")).toBeNull();
    expect(l.ssh("ssh node9")).toEqual({ exitCode: 255, stdout: "", stderr: "ssh: Could not resolve hostname node9: Name or service not known\n" });
    expect(l.ssh("ssh root@node2")).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(l.on).toBe("node2");
    expect(l.logout()).toBe("logout\nConnection to node2 closed.\n");
    expect(l.on).toBe("node1");
    expect(l.logout()).toBeNull(); // exit on the first host closes the terminal
  });
});

describe("drydock shell: type-ahead is read in order, as bash reads its input stream (QA #1)", () => {
  it("QA #1: a pasted block whose second command is a heredoc takes that heredoc's body from the pasted lines, not from later keystrokes", () => {
    const q = new InputQueue();
    // The paste: the first heredoc is read at the prompt; the rest arrives while `cat > a.txt` runs.
    expect(q.type("cat > a.txt <<'XEOF'")).toBeNull();
    expect(q.type("one")).toBeNull();
    expect(q.type("XEOF")).toBe("cat > a.txt <<'XEOF'\none\nXEOF");
    for (const l of ["cat > b.txt <<'XEOF'", "two", "XEOF", "echo pasted"]) q.add(l);
    const read: string[] = [];
    const next = () => q.next((line, continuation) => read.push(`${continuation ? "> " : "$ "}${line}`));
    expect(next()).toBe("cat > b.txt <<'XEOF'\ntwo\nXEOF");
    expect(next()).toBe("echo pasted");
    expect(next()).toBeNull();
    expect(read).toEqual(["$ cat > b.txt <<'XEOF'", "> two", "> XEOF", "$ echo pasted"]);
    // A line typed later is read after them.
    expect(q.type("ls")).toBe("ls");
  });

  it("QA #1: the paste run through a playground writes both files and prints `pasted` (bash's result)", () => {
    const pg = createPlayground();
    const q = new InputQueue();
    const lines = ["cat > a.txt <<'XEOF'", "one", "XEOF", "cat > b.txt <<'XEOF'", "two", "XEOF", "echo pasted"];
    const out: string[] = [];
    for (const l of lines) q.add(l);
    for (let text = q.next(); text !== null; text = q.next()) out.push(new RunningLine(pg, "node1", text).finish().display ?? "");
    expect(out).toEqual(["", "", "pasted\n"]);
    expect(pg.exec("cat a.txt b.txt").stdout).toBe("one\ntwo\n");
  });

  it("a heredoc cut short by the queue waits at `> ` for what is typed next; Ctrl-C drops it and the type-ahead (termios flushes input on INTR)", () => {
    const q = new InputQueue();
    q.add("cat > f <<EOF");
    q.add("x");
    expect(q.next()).toBeNull();
    expect(q.pending).toBe(true);
    expect(q.type("EOF")).toBe("cat > f <<EOF\nx\nEOF");
    q.add("echo queued");
    q.clear();
    expect(q.queued).toBe(0);
    expect(q.next()).toBeNull();
    expect(q.pending).toBe(false);
  });
});

describe("drydock shell: stdout and stderr at a terminal (QA #6)", () => {
  it("QA #6: the terminal shows stderr in the order written (`ls: …` before `after`); a pipe or file still gets them apart", () => {
    const pg = createPlayground();
    const f = new RunningLine(pg, "node1", "ls /nope; echo after").finish();
    expect(f.display).toBe("ls: cannot access '/nope': No such file or directory\nafter\n");
    expect(f.stdout).toBe("after\n");
    expect(f.stderr).toBe("ls: cannot access '/nope': No such file or directory\n");
  });

  it("QA #6: a container's `echo err >&2` shows between `out` and `out2`, as on a real terminal", () => {
    const pg = createPlayground();
    pg.exec("docker pull alpine");
    const f = new RunningLine(pg, "node1", "docker run --rm alpine sh -c 'echo out; echo err >&2; echo out2'; echo after").finish();
    expect(f.display).toBe("out\nerr\nout2\nafter\n");
    expect(f.stdout).toBe("out\nout2\nafter\n");
  });

  it("a line that cannot start shows its error", () => {
    const pg = createPlayground();
    expect(new RunningLine(pg, "nosuch", "ls").finish().display).toMatch(/^drydock: /);
  });
});

describe("drydock shell: lines that only wait take the wall time they say (QA #14)", () => {
  it("QA #14: host `sleep 10` is a wait (paced at 1x, as coreutils sleep takes 10 s); a build or pull is not", () => {
    const pg = createPlayground();
    const sleep = new RunningLine(pg, "node1", "date; sleep 10; date");
    sleep.step(pg.now + 1_000_000);
    expect(sleep.done).toBe(false);
    expect(sleep.waiting).toBe(true);
    expect(sleep.realTime).toBe(true);
    sleep.finish();
    const pull = new RunningLine(pg, "node1", "docker pull ubuntu");
    pull.step(pg.now + 100_000);
    expect(pull.done).toBe(false);
    expect(pull.waiting).toBe(false);
    expect(pull.realTime).toBe(false);
    pull.finish();
  });

  it("QA #14: `docker stop`'s grace period follows the container, so it is paced at 1x too", () => {
    const pg = createPlayground();
    pg.exec("docker run -d --name sl alpine sleep 1000");
    const stop = new RunningLine(pg, "node1", "docker stop sl");
    stop.step(pg.now + 1_000_000);
    expect(stop.done).toBe(false);
    expect(stop.realTime).toBe(true);
    expect(stop.finish().display).toBe("sl\n");
  });
});

describe("drydock shell: ssh HOST COMMAND runs the command there (QA #16, OpenSSH's behaviour)", () => {
  const run = (pg: Playground, l: Logins, text: string) => {
    const r = l.remote(text);
    if (r === null) return null;
    const what = remoteLine(pg, l.on, r);
    return "line" in what ? new RunningLine(pg, r.host, what.line).finish() : what;
  };

  it("QA #16: `ssh node2 docker swarm join --token $(cat /tmp/t) …` expands $(…) on node1 and joins node2 to the swarm", () => {
    const pg = createPlayground({ nodes: ["node1", "node2"] });
    const l = new Logins(pg.nodes);
    pg.exec("docker swarm init --advertise-addr 10.0.0.11");
    pg.exec("docker swarm join-token -q worker > /tmp/t");
    const f = run(pg, l, "ssh node2 docker swarm join --token $(cat /tmp/t) 10.0.0.11:2377");
    expect(f).toMatchObject({ exitCode: 0, stdout: "This node joined a swarm as a worker.\n" });
    expect(l.on).toBe("node1"); // the terminal stays on node1
    expect(pg.exec("docker node ls --format '{{.Hostname}}'").stdout).toBe("node1\nnode2\n");
  });

  it("the command runs in a login shell at HOME; the remote status is ssh's; the remote terminal keeps its state", () => {
    const pg = createPlayground({ nodes: ["node1", "node2"] });
    const l = new Logins(pg.nodes);
    pg.exec("cd /tmp", { on: "node2" });
    expect(run(pg, l, "ssh node2 pwd")).toMatchObject({ exitCode: 0, stdout: "/root\n" });
    expect(run(pg, l, "ssh root@node2 'echo a  b; exit 3'")).toMatchObject({ exitCode: 3, stdout: "a b\n" });
    expect(pg.exec("pwd", { on: "node2" }).stdout).toBe("/tmp\n");
    expect(run(pg, l, "ssh node9 ls")).toMatchObject({ exitCode: 255, stderr: "ssh: Could not resolve hostname node9: Name or service not known\n" });
    // A pipe or redirection belongs to the local line: out of reach here, so not taken as ssh.
    expect(l.remote("ssh node2 cat /tmp/t > t")).toBeNull();
    expect(l.remote("ssh node2")).toBeNull();
  });
});
