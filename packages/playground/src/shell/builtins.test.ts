import { describe, expect, it } from "vitest";
import { lab } from "./testing.test-util.js";
import { createPlayground } from "../playground.js";
import { History } from "./host.js";

const out = (line: string) => lab().run(line).stdout;

describe("cd (bash builtin)", () => {
  it("cd, cd -, cd ~, cd .. and PWD/OLDPWD", () => {
    const l = lab();
    expect(l.run("cd /usr/bin; cd ..; pwd; cd -; echo $PWD $OLDPWD").stdout).toBe("/usr\n/usr/bin\n/usr/bin /usr\n");
    expect(l.run("cd; pwd; cd /tmp; cd ~; pwd").stdout).toBe("/root\n/root\n");
  });
  it("bash's errors: missing, not a directory, too many arguments", () => {
    const l = lab();
    expect(l.run("cd nosuch").stderr).toBe("bash: cd: nosuch: No such file or directory\n");
    expect(l.session.status).toBe(1);
    expect(l.run("cd /etc/passwd").stderr).toBe("bash: cd: /etc/passwd: Not a directory\n");
    expect(l.run("cd a b").stderr).toBe("bash: cd: too many arguments\n");
    expect(l.run("cd -").stderr).toBe("bash: cd: OLDPWD not set\n");
  });
});

describe("echo and printf", () => {
  it("echo -n, -e (with \\c stopping output), and a non-option -x", () => {
    expect(out("echo -n a; echo b")).toBe("ab\n");
    expect(out("echo -e 'a\\tb\\nc\\cignored'")).toBe("a\tb\nc");
    expect(out("echo -x -")).toBe("-x -\n");
  });
  it("printf %s %d %b %q, widths, and the format repeated for extra arguments (coreutils)", () => {
    expect(out("printf '%s=%d\\n' a 1 b 2")).toBe("a=1\nb=2\n");
    expect(out("printf '%5s|%-5s|%03d\\n' ab cd 7")).toBe("   ab|cd   |007\n");
    expect(out("printf '%b\\n' 'x\\ty'")).toBe("x\ty\n");
    expect(out("printf '%q\\n' 'a b' \"it's\" ''")).toBe("a\\ b\nit\\'s\n''\n");
    expect(out("printf '%s %s\\n' only")).toBe("only \n");
  });
  it("printf: invalid number warns and exits 1", () => {
    const r = lab().run("printf '%d\\n' abc");
    expect([r.stdout, r.stderr, r.status]).toEqual(["0\n", "bash: printf: abc: invalid number\n", 1]);
  });
});

describe("export, unset, set, env", () => {
  it("export -p lists declare -x lines; export NAME=value; unset removes", () => {
    const l = lab();
    l.run("export APP=web; X=1; export X; unset X");
    const listed = l.run("export -p").stdout;
    expect(listed).toContain('declare -x APP="web"\n');
    expect(listed).not.toContain("declare -x X");
    expect(l.run("export 1x=2").stderr).toBe("bash: export: `1x=2': not a valid identifier\n");
  });
  it("set prints all variables, quoting values as bash does", () => {
    expect(out("MSG='a b'; set")).toContain("MSG='a b'\n");
  });
  it("env prints the exported variables, and env X=1 cmd runs cmd with X", () => {
    const l = lab();
    expect(l.run("env").stdout).toContain("HOME=/root\n");
    l.run("env STAGE=prod docker info");
    expect(l.calls[0]?.env.STAGE).toBe("prod");
  });
});

describe("type, command -v, which", () => {
  it("tell keywords, builtins and programs apart through host.commandPath", () => {
    expect(out("type cd if docker")).toBe("cd is a shell builtin\nif is a shell keyword\ndocker is /usr/bin/docker\n");
    expect(out("command -v cd docker ls")).toBe("cd\n/usr/bin/docker\n/usr/bin/ls\n");
    expect(out("which docker nosuch; echo $?")).toBe("/usr/bin/docker\n1\n");
    expect(lab().run("type nosuch").stderr).toBe("bash: type: nosuch: not found\n");
  });
});

describe("history, clear, help, true, false, :, exit", () => {
  it("history numbers lines as bash does", () => {
    const l = lab();
    l.run("ls");
    expect(l.run("history").stdout).toBe("    1  ls\n    2  history\n");
  });
  it("history at a world's prompt: the host's session keeps a History (shared lines); a line that waits is listed once; -c empties it", () => {
    const pg = createPlayground({ seed: 1, nodes: ["node1"] });
    pg.exec("sleep 1 && echo ok");
    expect(pg.exec("history 2").stdout).toBe("    1  sleep 1 && echo ok\n    2  history 2\n");
    expect(pg.host("node1").shell.history).toBeInstanceOf(History);
    expect(pg.exec("history -c; history").stdout).toBe("");
  });
  it("clear writes the ANSI clear-screen sequence; help mentions docker", () => {
    expect(out("clear")).toBe("\x1b[H\x1b[2J\x1b[3J");
    expect(out("help")).toContain("docker");
  });
  it("true, false and : set $?", () => {
    expect(out("true; echo $?; false; echo $?; :; echo $?")).toBe("0\n1\n0\n");
  });
  it("exit with a bad number is status 2 with bash's message", () => {
    const r = lab().run("exit abc");
    expect([r.stderr, r.status, r.exit]).toEqual(["bash: exit: abc: numeric argument required\n", 2, true]);
  });
});

describe("test and [ (POSIX test)", () => {
  it("files, strings and integers", () => {
    expect(out("[ -d /tmp ] && [ -f /etc/passwd ] && [ ! -e /nope ] && echo ok")).toBe("ok\n");
    expect(out("[ -z '' ] && [ -n x ] && [ a != b ] && [ 3 -gt 2 ] && echo ok")).toBe("ok\n");
    expect(out("[ 1 -eq 1 -a 2 -eq 3 ]; echo $?")).toBe("1\n");
  });
  it("bash's errors: missing ] and a non-integer", () => {
    expect(lab().run("[ 1 -eq 1").stderr).toBe("bash: [: missing `]'\n");
    const r = lab().run("[ x -lt 1 ]");
    expect([r.stderr, r.status]).toEqual(["bash: [: x: integer expression expected\n", 2]);
  });
});

describe("history expansion (GNU bash manual, History Expansion; bashhist.c prints the expanded line on stderr)", () => {
  it("!! runs the last line again, !n line n, !-n the nth before, !str the newest starting with str; the line run is what history keeps", () => {
    const l = lab();
    l.run("echo one");
    l.run("echo two");
    expect(l.run("!!")).toMatchObject({ stdout: "two\n", stderr: "echo two\n" });
    expect(l.run("!1 && !-2")).toMatchObject({ stdout: "one\ntwo\n", stderr: "echo one && echo two\n" });
    // The newest line starting with `echo` is `echo one && echo two`: the pipe takes the second.
    expect(l.run("!echo | tr a-z A-Z").stdout).toBe("one\nTWO\n");
    expect(l.run("history 1").stdout).toBe("    6  history 1\n");
    expect(l.run("history 2").stdout).toBe("    6  history 1\n    7  history 2\n");
  });
  it("an event it lacks stops the line (bash: !9: event not found); `!` before a blank, `$!`, '!x' and [ ! -f x ] are left alone", () => {
    const l = lab();
    expect(l.run("!9")).toMatchObject({ stdout: "", stderr: "bash: !9: event not found\n" });
    expect(l.run("echo 'hi!x' hi! ; [ ! -f /nope ] && echo no").stdout).toBe("hi!x hi!\nno\n");
  });
});
