import { describe, expect, it } from "vitest";
import { createRootFs, readFile } from "../fs/index.js";
import { FsHost } from "./fshost.js";
import { type CommandOutcome, type CommandRequest, type ShellHost, Suspend } from "./host.js";
import { LOOP_MAX, SHELL_PID, runLine } from "./interp.js";
import { createSession } from "./session.js";
import { lab } from "./testing.test-util.js";

const out = (line: string) => lab().run(line).stdout;

describe("POSIX 2.6.2 parameter expansion", () => {
  it("$VAR, ${VAR}, ${#VAR}", () => {
    expect(out("X=hello; echo $X ${X}world ${#X}")).toBe("hello helloworld 5\n");
  });
  it("${VAR:-default} does not assign; ${VAR:=x} does; the colon also tests for empty", () => {
    expect(out("E=; echo ${U:-d1} ${E:-d2} ${E-d3}x; echo ${U:=set} $U")).toBe("d1 d2 x\nset set\n");
  });
  it("${VAR:+alt} and ${VAR:?msg}", () => {
    const l = lab();
    expect(l.run("X=1; echo ${X:+alt} ${Y:+alt}.").stdout).toBe("alt .\n");
    const r = l.run("echo ${Y:?is required}");
    expect(r.stderr).toBe("bash: Y: is required\n");
    expect(r.status).toBe(1);
  });
  it("${VAR#pat}, ${VAR##pat}, ${VAR%pat}, ${VAR%%pat} remove prefixes and suffixes", () => {
    expect(out("F=/a/b/c.tar.gz; echo ${F##*/} ${F#*/} ${F%.*} ${F%%.*}")).toBe("c.tar.gz a/b/c.tar.gz /a/b/c.tar /a/b/c\n");
  });
  it("$? is the last status, $$ a fixed pid, $HOME and ~ the home", () => {
    expect(out("false; echo $?; true; echo $?")).toBe("1\n0\n");
    expect(out("echo $$")).toBe(`${SHELL_PID}\n`);
    expect(out("echo ~ ~/x $HOME ~root '~'")).toBe("/root /root/x /root /root ~\n");
  });
  it("2.6.4: arithmetic expansion with C precedence and variables", () => {
    expect(out("N=4; echo $((N * 2 + 1)) $(( (1+2) * 3 )) $((7 % 3)) $((2**10))")).toBe("9 9 1 1024\n");
    expect(lab().run("echo $((1/0))").stderr).toContain("division by 0");
  });
});

describe("POSIX 2.6.3 command substitution", () => {
  it("$(...) and backquotes run through the same interpreter; trailing newlines are stripped", () => {
    expect(out('X=$(printf "a\\n\\n\\n"); echo "[$X]"')).toBe("[a]\n");
    expect(out("echo `echo back` $(echo $(echo nested))")).toBe("back nested\n");
  });
  it("unquoted, the result is split into fields; quoted, it stays one", () => {
    const l = lab(["c1", "c2", "c3"]);
    l.run("docker rm -f $(docker ps -aq)");
    expect(l.calls.map((c) => c.argv)).toEqual([
      ["docker", "ps", "-aq"],
      ["docker", "rm", "-f", "c1", "c2", "c3"],
    ]);
    l.run('docker rm "$(docker ps -aq)"');
    expect(l.calls[3]?.argv).toEqual(["docker", "rm", "c1\nc2\nc3"]);
  });
  it("2.9.1: a bare assignment returns the substitution's status", () => {
    expect(out("X=$(false); echo $?")).toBe("1\n");
  });
  it("a substitution is a subshell: its cd and assignments do not leak", () => {
    expect(out("X=$(cd /tmp; Y=1; pwd); echo $X $PWD ${Y:-unset}")).toBe("/tmp /root unset\n");
  });
});

describe("POSIX 2.6.5 field splitting and 2.6.6 pathname expansion", () => {
  it("splits on IFS white space, collapsing runs; other IFS characters delimit each", () => {
    expect(out('X="  a  b  "; for w in $X; do echo "<$w>"; done')).toBe("<a>\n<b>\n");
    expect(out('IFS=:; X="a::b"; for w in $X; do echo "<$w>"; done')).toBe("<a>\n<>\n<b>\n");
  });
  it("*, ? and [...] match names in order; dot files need a literal dot", () => {
    const l = lab();
    l.run("touch b.txt a.txt c.log .hidden");
    expect(l.run("echo *.txt ?.log [ab].txt *").stdout).toBe("a.txt b.txt c.log a.txt b.txt a.txt b.txt c.log\n");
    expect(l.run("echo .h*").stdout).toBe(".hidden\n");
  });
  it("no match leaves the word as typed (bash without nullglob); quoted globs are literal", () => {
    expect(out("echo *.nothing '*' \"*\"")).toBe("*.nothing * *\n");
  });
  it("globs through directories, and */ matches directories only", () => {
    const l = lab();
    l.run("mkdir -p d1/x d2 && touch d1/f d2/f g");
    expect(l.run("echo */f; echo */").stdout).toBe("d1/f d2/f\nd1/ d2/\n");
  });
});

describe("POSIX 2.7 redirection", () => {
  it("> creates and truncates, >> appends, < reads; the file reads back", () => {
    const l = lab();
    l.run("echo one > f; echo two >> f; echo three >> f");
    expect(l.run("cat < f").stdout).toBe("one\ntwo\nthree\n");
    l.run("echo new > f");
    expect(readFile(l.host.fs, "/root/f")).toEqual({ ok: true, value: "new\n" });
  });
  it("2>&1 joins stderr to stdout in order; the order of redirections matters", () => {
    const l = lab();
    expect(l.run("{ echo a; echo b >&2; echo c; } > all 2>&1; cat all").stdout).toBe("a\nb\nc\n");
    const r = l.run("cat nosuch 2>&1 > out");
    expect(r.stdout).toBe("cat: nosuch: No such file or directory\n");
  });
  it("2> and &> send to files; /dev/null swallows", () => {
    const l = lab();
    const r = l.run("cat nosuch 2> err; ls nosuch &> both; echo hi > /dev/null");
    expect(r.stdout + r.stderr).toBe("");
    expect(l.run("cat err both").stdout).toBe("cat: nosuch: No such file or directory\nls: cannot access 'nosuch': No such file or directory\n");
  });
  it("a failed redirection does not run the command (bash's message, status 1)", () => {
    const l = lab();
    const r = l.run("docker ps > nodir/f");
    expect(r.stderr).toBe("bash: nodir/f: No such file or directory\n");
    expect(r.status).toBe(1);
    expect(l.calls).toEqual([]);
    expect(l.run("cat < nosuch").stderr).toBe("bash: nosuch: No such file or directory\n");
  });
});

describe("POSIX 2.7.4 here-documents", () => {
  it("<<EOF expands parameters and substitutions in the body", () => {
    const l = lab();
    l.run("cat > Dockerfile <<EOF\nFROM alpine\nRUN echo $HOME $(echo sub)\nEOF");
    expect(l.run("cat Dockerfile").stdout).toBe("FROM alpine\nRUN echo /root sub\n");
  });
  it("<<'EOF' keeps the body literally", () => {
    expect(out("cat <<'EOF'\necho $HOME `x` \\$\nEOF")).toBe("echo $HOME `x` \\$\n");
  });
  it("<<-EOF strips leading tabs from the body and the delimiter line", () => {
    expect(out("cat <<-EOF\n\tindented\n\t\tmore\n\tEOF")).toBe("indented\nmore\n");
  });
  it("commands after the heredoc operator on the same line still run", () => {
    expect(out("cat <<A && echo after\nbody\nA")).toBe("body\nafter\n");
  });
  it("<<< here-string feeds a word and a newline", () => {
    expect(out("X=world; cat <<< \"hello $X\"")).toBe("hello world\n");
  });
});

describe("POSIX 2.9.2 pipelines and 2.9.3 lists", () => {
  it("each stage's stdout is the next one's stdin; the status is the last stage's", () => {
    const l = lab();
    l.run("printf s3cret | docker secret create db -");
    expect(l.calls[0]).toMatchObject({ argv: ["docker", "secret", "create", "db", "-"], stdin: "s3cret" });
    expect(l.run("echo a | false").status).toBe(1);
    expect(l.run("false | echo a").status).toBe(0);
  });
  it("! negates a pipeline's status", () => {
    expect(out("! false; echo $?; ! true; echo $?")).toBe("0\n1\n");
  });
  it("&& runs on success, || on failure, ; always; newlines separate commands", () => {
    expect(out("true && echo a || echo b; false && echo c || echo d\necho e")).toBe("a\nd\ne\n");
  });
  it("stderr of a pipeline stage goes to the terminal", () => {
    const r = lab().run("cat nosuch | wc -l");
    expect(r.stdout).toBe("0\n");
    expect(r.stderr).toBe("cat: nosuch: No such file or directory\n");
  });
});

describe("POSIX 2.9.4 compound commands", () => {
  it("( ... ) is a subshell: cd and variables inside do not leak", () => {
    const l = lab();
    expect(l.run("(cd /tmp; X=1; pwd); pwd; echo ${X:-none}").stdout).toBe("/tmp\n/root\nnone\n");
  });
  it("{ ...; } runs in the current shell", () => {
    expect(out("{ cd /tmp; X=1; }; pwd; echo $X")).toBe("/tmp\n1\n");
  });
  it("if / elif / else", () => {
    expect(out("if false; then echo 1; elif [ -d /tmp ]; then echo 2; else echo 3; fi")).toBe("2\n");
    expect(out("if [ a = b ]\nthen echo yes\nelse echo no\nfi")).toBe("no\n");
  });
  it("for over words, and while with a counter", () => {
    expect(out("for f in a b 'c d'; do echo \"[$f]\"; done")).toBe("[a]\n[b]\n[c d]\n");
    expect(out("i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done")).toBe("0\n1\n2\n");
    expect(out("until true; do echo never; done; echo ok")).toBe("ok\n");
  });
  it("a runaway loop stops after LOOP_MAX iterations", () => {
    const r = lab().run("while true; do :; done");
    expect(r.stderr).toBe(`bash: loop stopped after ${LOOP_MAX} iterations (drydock's limit)\n`);
    expect(r.status).toBe(1);
  });
});

describe("variables and the environment of commands (2.9.1)", () => {
  it("X=1 cmd sets X for that command only", () => {
    const l = lab();
    l.run("GREETING=hi docker run x");
    expect(l.calls[0]?.env.GREETING).toBe("hi");
    l.run("docker ps");
    expect(Object.hasOwn(l.calls[1]?.env ?? {}, "GREETING")).toBe(false);
  });
  it("only exported variables reach commands; cwd is the shell's", () => {
    const l = lab();
    l.run("A=1; export B=2; cd /tmp; docker info");
    const env = l.calls[0]?.env ?? {};
    expect([Object.hasOwn(env, "A"), env.B, env.HOME, env.PATH]).toEqual([false, "2", "/root", expect.stringContaining("/usr/bin")]);
    expect(l.calls[0]?.cwd).toBe("/tmp");
  });
  it("export X=$(cmd) assigns the whole output (a declaration builtin does not split)", () => {
    expect(out('export X=$(echo "a b"); echo "$X"')).toBe("a b\n");
  });
  it("names like __proto__ and constructor are ordinary variables", () => {
    expect(out("echo [$constructor] [$toString]; __proto__=x; echo $__proto__")).toBe("[] []\nx\n");
  });
});

describe("the session carries state from line to line", () => {
  it("cd persists through the session, and $? and history too", () => {
    const l = lab();
    l.run("mkdir work && cd work");
    expect(l.session.cwd).toBe("/root/work");
    expect(l.run("pwd").stdout).toBe("/root/work\n");
    l.run("false");
    expect(l.session.status).toBe(1);
    expect(l.run("echo $?").stdout).toBe("1\n");
    expect([...l.session.history]).toEqual(["mkdir work && cd work", "pwd", "false", "echo $?"]);
  });
  it("a line that sets, exports or unsets variables leaves the session it started from as it was (shells share a session's variables until they change one)", () => {
    // The world runs a line again from an older session on a seek or a replay: that session's
    // variables must be what they were, whatever lines ran from it since.
    const l = lab();
    l.run("export A=1 B=2");
    const s0 = l.session;
    const set = runLine("A=changed; export C=3; unset B; f() { local A=inner; }; f", s0, l.host);
    expect(set.session.vars).toMatchObject({ A: "changed", C: "3" });
    expect(set.session.vars["B"]).toBeUndefined();
    const again = runLine("echo $A $B $C; env | grep -E '^(A|B|C)=' | sort", s0, l.host);
    expect(again.stdout).toBe("1 2\nA=1\nB=2\n");
    expect(s0.vars).toMatchObject({ A: "1", B: "2" });
    expect(s0.exported).toEqual(expect.arrayContaining(["A", "B"]));
    expect(s0.exported).not.toContain("C");
  });
  it("exit ends the line, with its status, and tells the terminal to close", () => {
    const r = lab().run("echo a; exit 3; echo b");
    expect([r.stdout, r.status, r.exit]).toEqual(["a\n", 3, true]);
    const sub = lab().run("(exit 4); echo $?");
    expect([sub.stdout, sub.exit]).toEqual(["4\n", false]);
  });
  it("an unknown command is 127 with bash's text", () => {
    const r = lab().run("nosuchcmd --flag");
    expect([r.stderr, r.status]).toEqual(["bash: nosuchcmd: command not found\n", 127]);
  });
});

describe("the Suspend contract (host.ts)", () => {
  /** The world's memo: answers recorded calls in order, so a rerun continues where it stopped. */
  function memoHost(inner: ShellHost, suspendAt: number): { host: ShellHost; calls: () => number; armed: { on: boolean } } {
    const memo: CommandOutcome[] = [];
    let index = 0;
    let total = 0;
    const armed = { on: true };
    const host: ShellHost = {
      ...inner,
      readFile: (p) => inner.readFile(p),
      writeFile: (p, t, a) => inner.writeFile(p, t, a),
      readdir: (p) => inner.readdir(p),
      kind: (p) => inner.kind(p),
      commandPath: (n) => inner.commandPath(n),
      run(req: CommandRequest) {
        const i = index++;
        const known = memo[i];
        if (known !== undefined) return known;
        total++;
        if (armed.on && i === suspendAt) {
          armed.on = false;
          index = 0;
          memo.push(inner.run(req));
          throw new Suspend();
        }
        const outcome = inner.run(req);
        memo.push(outcome);
        return outcome;
      },
    };
    return { host, calls: () => total, armed };
  }

  it("runLine lets Suspend through, and a rerun with a memoising host continues", () => {
    const seen: string[] = [];
    const inner = new FsHost(createRootFs(0), 0, new Map([["docker", (req: CommandRequest) => (seen.push(req.argv.join(" ")), { status: 0, stdout: `${req.argv[1]} done\n`, stderr: "" })]]));
    const memo = memoHost(inner, 1);
    const session = createSession();
    const line = "docker pull alpine && docker build . && docker run alpine";
    expect(() => runLine(line, session, memo.host)).toThrow(Suspend);
    const r = runLine(line, session, memo.host);
    expect(r.stdout).toBe("pull done\nbuild done\nrun done\n");
    expect(seen).toEqual(["docker pull alpine", "docker build .", "docker run alpine"]);
    expect([...r.session.history]).toEqual([line]);
  });
});

describe("POSIX 2.9.4.3 case", () => {
  it("runs the first clause whose pattern matches (patterns with |, globs, an optional '(')", () => {
    expect(out("case hello in a|b) echo no;; h*) echo yes;; *) echo late;; esac")).toBe("yes\n");
    expect(out("case x in (x) echo paren;; esac")).toBe("paren\n");
    expect(out("x=foo; case $x in f?o) echo ok;; esac")).toBe("ok\n");
    expect(out("for f in a b; do case $f in a) echo A;; b) echo B;; esac; done")).toBe("A\nB\n");
  });
  it("quoted pattern characters match themselves; the last ';;' may be left out; a newline may separate clauses", () => {
    expect(out('case "a*" in "a*") echo lit;; *) echo other; esac')).toBe("lit\n");
    expect(out("case abc in a\\*) echo no;; *) echo star;; esac")).toBe("star\n");
    expect(out("case x in\n x) echo multi\n ;;\nesac")).toBe("multi\n");
  });
  it("no match: status 0 (2.9.4.3 'Exit Status'); a stray esac is bash's syntax error", () => {
    expect(out("false; case q in a) echo a;; esac; echo st=$?")).toBe("st=0\n");
    const r = lab().run("esac");
    expect(r.stderr).toBe("bash: syntax error near unexpected token `esac'\n");
    expect(r.status).toBe(2);
  });
});
