import { describe, expect, it } from "vitest";
import { createRootFs } from "../fs/index.js";
import { civilFromMicros, lsTime, strftime } from "./calendar.js";
import { COREUTILS, coreutilsPath } from "./coreutils.js";
import { lab } from "./testing.test-util.js";

const HOUR = 3_600_000_000;
const DAY = 24 * HOUR;

describe("the calendar: virtual time 0 is 2026-01-01 00:00 UTC", () => {
  it("civil dates across months and a leap year", () => {
    expect(civilFromMicros(0)).toMatchObject({ year: 2026, month: 1, day: 1, weekday: 4 });
    expect(civilFromMicros(333 * DAY + 12 * HOUR)).toMatchObject({ year: 2026, month: 11, day: 30, hour: 12 });
    expect(civilFromMicros((365 + 365 + 59) * DAY)).toMatchObject({ year: 2028, month: 2, day: 29 });
  });
  it("ls -l shows the time within six months, the year otherwise", () => {
    expect(lsTime(333 * DAY + 12 * HOUR, 334 * DAY)).toBe("Nov 30 12:00");
    expect(lsTime(0, 300 * DAY)).toBe("Jan  1  2026");
  });
  it("date's default format", () => {
    expect(strftime("%a %b %e %H:%M:%S %Z %Y", 0)).toBe("Thu Jan  1 00:00:00 UTC 2026");
  });
});

describe("COREUTILS as pure functions", () => {
  it("return the next filesystem and leave the given one unchanged", () => {
    const fs = createRootFs(0);
    const mkdir = COREUTILS.get("mkdir");
    const r = mkdir?.({ argv: ["mkdir", "app"], stdin: "", cwd: "/root", env: {} }, fs, 5);
    expect(r?.outcome.status).toBe(0);
    expect(r?.fs).not.toBe(fs);
    expect(coreutilsPath("ls")).toBe("/usr/bin/ls");
    expect(coreutilsPath("docker")).toBeNull();
    expect(COREUTILS.has("constructor")).toBe(false);
  });
});

describe("ls", () => {
  it("one name per line when not a terminal; -a adds dot files, . and ..", () => {
    const l = lab();
    l.run("touch b a .h");
    expect(l.run("ls").stdout).toBe("a\nb\n");
    expect(l.run("ls -a").stdout).toBe(".\n..\n.bashrc\n.h\na\nb\n");
  });
  it("ls -l: total in 1K blocks, mode, links, owner, aligned size, date, name", () => {
    const l = lab();
    l.host.now = 333 * DAY + 12 * HOUR;
    l.run("mkdir d; printf 'hello world' > f");
    expect(l.run("ls -l").stdout).toBe(
      "total 8\ndrwxr-xr-x 2 root root 4096 Nov 30 12:00 d\n-rw-r--r-- 1 root root   11 Nov 30 12:00 f\n",
    );
  });
  it("a missing operand: GNU's message and exit 2; files before directories with headers", () => {
    const l = lab();
    const r = l.run("ls nosuch");
    expect([r.stderr, r.status]).toEqual(["ls: cannot access 'nosuch': No such file or directory\n", 2]);
    l.run("mkdir d && touch d/x f");
    expect(l.run("ls d f").stdout).toBe("f\n\nd:\nx\n");
    expect(l.run("ls -z").stderr).toBe("ls: invalid option -- 'z'\nTry 'ls --help' for more information.\n");
  });
});

describe("file utilities: GNU messages", () => {
  it.each([
    ["cat nosuch", "cat: nosuch: No such file or directory\n", 1],
    ["cat /tmp", "cat: /tmp: Is a directory\n", 1],
    ["mkdir a/b", "mkdir: cannot create directory ‘a/b’: No such file or directory\n", 1],
    ["mkdir /tmp", "mkdir: cannot create directory ‘/tmp’: File exists\n", 1],
    ["rm x", "rm: cannot remove 'x': No such file or directory\n", 1],
    ["rm /tmp", "rm: cannot remove '/tmp': Is a directory\n", 1],
    ["rm", "rm: missing operand\nTry 'rm --help' for more information.\n", 1],
    ["rmdir /etc", "rmdir: failed to remove '/etc': Directory not empty\n", 1],
    ["cp nosuch x", "cp: cannot stat 'nosuch': No such file or directory\n", 1],
    ["cp /etc x", "cp: -r not specified; omitting directory '/etc'\n", 1],
    ["mv nosuch x", "mv: cannot stat 'nosuch': No such file or directory\n", 1],
    ["touch a/b", "touch: cannot touch 'a/b': No such file or directory\n", 1],
    ["head nosuch", "head: cannot open 'nosuch' for reading: No such file or directory\n", 1],
    ["sleep", "sleep: missing operand\nTry 'sleep --help' for more information.\n", 1],
    ["sleep abc", "sleep: invalid time interval ‘abc’\nTry 'sleep --help' for more information.\n", 1],
  ])("%s", (line, stderr, status) => {
    const r = lab().run(line);
    expect([r.stderr, r.status]).toEqual([stderr, status]);
  });
  it("rm -f ignores a missing file; rm -rf removes a tree", () => {
    const l = lab();
    expect(l.run("rm -f nosuch").status).toBe(0);
    l.run("mkdir -p t/u/v && touch t/u/v/f");
    expect(l.run("rm -rf t; ls").stdout).toBe("");
  });
  it("cp and mv into a directory; cp -r copies a tree", () => {
    const l = lab();
    l.run("mkdir d && echo x > f && cp f d && mv f d/g && cp -r d e");
    expect(l.run("ls d e; ls").stdout).toBe("d:\nf\ng\n\ne:\nf\ng\nd\ne\n");
  });
  it("cat -n numbers lines; cat - reads stdin", () => {
    expect(lab().run("printf 'a\\nb\\n' | cat -n").stdout).toBe("     1\ta\n     2\tb\n");
    expect(lab().run("echo in | cat - /etc/hostname").stdout).toBe("in\nlab\n");
  });
});

describe("text filters", () => {
  it("head and tail: -n N, -N, +N", () => {
    const l = lab();
    l.run("seq 10 > n");
    expect(l.run("head -n 2 n; head -3 n | tail -1; tail -n 2 n; tail -n +9 n").stdout).toBe("1\n2\n3\n9\n10\n9\n10\n");
  });
  it("wc: GNU's padding (one count of one input unpadded; stdin at width 7)", () => {
    const l = lab();
    l.run("printf 'a b\\nc\\n' > f");
    expect(l.run("wc -l f").stdout).toBe("2 f\n");
    expect(l.run("wc f").stdout).toBe("2 3 6 f\n");
    expect(l.run("cat f | wc").stdout).toBe("      2       3       6\n");
    expect(l.run("wc -l < f").stdout).toBe("2\n");
  });
  it("grep: -i -v -n -c, BRE and -E, -r with file prefixes, exit 1 on no match", () => {
    const l = lab();
    l.run("printf 'Apple\\nbanana\\ncherry\\n' > f; mkdir d; echo banana > d/x");
    expect(l.run("grep -in apple f").stdout).toBe("1:Apple\n");
    expect(l.run("grep -v an f").stdout).toBe("Apple\ncherry\n");
    expect(l.run("grep -c 'an\\+' f").stdout).toBe("1\n");
    expect(l.run("grep -E '^(b|c)' f").stdout).toBe("banana\ncherry\n");
    expect(l.run("grep -r banana .").stdout).toBe("./d/x:banana\n./f:banana\n");
    expect(l.run("grep zzz f").status).toBe(1);
    expect(l.run("grep x nosuch").status).toBe(2);
  });
  // GNU grep's manual, "Context Line Control": context lines use '-' after the file name and line
  // number where matches use ':', and "--" goes between groups that are not adjacent.
  it("grep -A/-B/-C NUM: context lines with '-', groups split by --", () => {
    const l = lab();
    l.run("seq 10 > n; printf 'a\nx\nb\n' > g");
    expect(l.run("grep -A1 '^[37]$' n").stdout).toBe("3\n4\n--\n7\n8\n");
    expect(l.run("grep -B 2 -n '^5$' n").stdout).toBe("3-3\n4-4\n5:5\n");
    expect(l.run("grep -C1 '^[34]$' n").stdout).toBe("2\n3\n4\n5\n");
    expect(l.run("grep --context=1 -e 1 -e 9 n").stdout).toBe("1\n2\n--\n8\n9\n10\n");
    expect(l.run("grep -A1 --after-context=0 -H x g n").stdout).toBe("g:x\n");
    expect(l.run("grep -B1 x g n").stdout).toBe("g-a\ng:x\n");
    expect(l.run("grep -A1 b g n").stdout).toBe("g:b\n");
    expect(l.run("grep -c -A5 x g").stdout).toBe("1\n");
    expect(l.run("grep -o -C1 -e 2 -e 8 n").stdout).toBe("2\n--\n8\n");
    const bad = l.run("grep -A x 1 n");
    expect([bad.status, bad.stderr]).toEqual([2, "grep: x: invalid context length argument\n"]);
  });
  it("sort, uniq -c, cut, tr", () => {
    expect(lab().run("printf 'b\\na\\nb\\n10\\n9\\n' | sort").stdout).toBe("10\n9\na\nb\nb\n");
    expect(lab().run("printf '10\\n9\\n' | sort -n").stdout).toBe("9\n10\n");
    expect(lab().run("printf 'a\\na\\nb\\n' | uniq -c").stdout).toBe("      2 a\n      1 b\n");
    expect(lab().run("cut -d: -f1,7 /etc/passwd | head -1").stdout).toBe("root:/bin/bash\n");
    expect(lab().run("echo hello | tr -d l | tr a-z A-Z").stdout).toBe("HEO\n");
  });
  it("basename, dirname, seq, uname, hostname, whoami, id", () => {
    expect(lab().run("basename /a/b.txt .txt; dirname /a/b.txt; dirname x").stdout).toBe("b\n/a\n.\n");
    expect(lab().run("seq 2 2 6; seq -s, 3").stdout).toBe("2\n4\n6\n1,2,3\n");
    expect(lab().run("uname; uname -r; uname -m; hostname; whoami; id").stdout).toBe(
      "Linux\n6.1.0-28-amd64\nx86_64\nlab\nroot\nuid=0(root) gid=0(root) groups=0(root)\n",
    );
  });
});
