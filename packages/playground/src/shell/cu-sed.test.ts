// sed as GNU sed 4.9 (Debian 12's) behaves: the expected texts follow the GNU sed manual
// (https://www.gnu.org/software/sed/manual/sed.html, sections 3 "sed scripts", 4 "Addresses",
// 7 "Some sample scripts") and the messages of sed/compile.c (`bad_prog` texts).
import { describe, expect, it } from "vitest";
import { lab } from "./testing.test-util.js";

const setup = () => {
  const l = lab();
  l.run("printf 'one\\ntwo\\nthree\\nfour\\nfive\\n' > n.txt");
  return l;
};

describe("sed: substitution", () => {
  it("s replaces the first match on each line; g every match; N the Nth; & and \\1 in the replacement", () => {
    const l = setup();
    expect(l.run("echo hello hello | sed 's/hello/bye/'").stdout).toBe("bye hello\n");
    expect(l.run("echo hello hello | sed 's/hello/bye/g'").stdout).toBe("bye bye\n");
    expect(l.run("echo aaa | sed 's/a/b/2'").stdout).toBe("aba\n");
    expect(l.run("echo aaaa | sed 's/a/b/2g'").stdout).toBe("abbb\n");
    expect(l.run("echo hello | sed 's/l*o/[&]/'").stdout).toBe("he[llo]\n");
    expect(l.run("echo 'John Smith' | sed 's/\\(.*\\) \\(.*\\)/\\2, \\1/'").stdout).toBe("Smith, John\n");
    expect(l.run("echo 'John Smith' | sed -E 's/(.*) (.*)/\\2, \\1/'").stdout).toBe("Smith, John\n");
    expect(l.run("echo Hello | sed 's/hello/X/I'").stdout).toBe("X\n");
    // An empty match right after a match is skipped (QA 2026-11-30 session 4 #11; GNU sed 4.9 prints XaXcX).
    expect(l.run("echo abc | sed 's/b*/X/g'").stdout).toBe("XaXcX\n");
  });
  it("another delimiter, and an escaped delimiter is literal", () => {
    const l = setup();
    expect(l.run("echo /usr/local/bin | sed 's|/usr/local|/opt|'").stdout).toBe("/opt/bin\n");
    expect(l.run("echo a/b | sed 's/\\//:/'").stdout).toBe("a:b\n");
    expect(l.run("echo 'a|b' | sed -E 's|a\\|b|X|'").stdout).toBe("X\n");
  });
  it("-n with p prints only what changed", () => {
    const l = setup();
    expect(l.run("sed -n 's/o/0/p' n.txt").stdout).toBe("0ne\ntw0\nf0ur\n");
  });
  it("-i edits the file in place; -i.bak keeps the original", () => {
    const l = setup();
    l.run("printf 'FROM node:18\\nCMD [\"node\"]\\n' > Dockerfile");
    expect(l.run("sed -i 's/node:18/node:20-alpine/' Dockerfile").stdout).toBe("");
    expect(l.run("cat Dockerfile").stdout).toBe('FROM node:20-alpine\nCMD ["node"]\n');
    l.run("sed -i.bak -e 's/alpine/slim/' Dockerfile");
    expect(l.run("cat Dockerfile").stdout).toBe('FROM node:20-slim\nCMD ["node"]\n');
    expect(l.run("cat Dockerfile.bak").stdout).toBe('FROM node:20-alpine\nCMD ["node"]\n');
  });
});

describe("sed: addresses (manual section 4)", () => {
  it("line numbers, $, regexes, ranges, first~step, addr,+N and !", () => {
    const l = setup();
    expect(l.run("sed -n 2p n.txt").stdout).toBe("two\n");
    expect(l.run("sed -n '$p' n.txt").stdout).toBe("five\n");
    expect(l.run("sed -n '2,4p' n.txt").stdout).toBe("two\nthree\nfour\n");
    expect(l.run("sed -n '/two/,/four/p' n.txt").stdout).toBe("two\nthree\nfour\n");
    expect(l.run("sed -n '1~2p' n.txt").stdout).toBe("one\nthree\nfive\n");
    expect(l.run("sed -n '/two/,+1p' n.txt").stdout).toBe("two\nthree\n");
    expect(l.run("sed '2,4!d' n.txt").stdout).toBe("two\nthree\nfour\n");
    expect(l.run("sed '/^t/d' n.txt").stdout).toBe("one\nfour\nfive\n");
    // A line-number end at or before the start matches one line only (POSIX).
    expect(l.run("sed -n '3,1p' n.txt").stdout).toBe("three\n");
    // 0,/re/ lets the regex end the range on line 1; 1,/re/ looks from line 2.
    expect(l.run("printf 'x\\nx\\ny\\n' | sed '0,/x/s//X/'").stdout).toBe("X\nx\ny\n");
    expect(l.run("printf 'x\\nx\\ny\\n' | sed '1,/x/s/x/X/'").stdout).toBe("X\nX\ny\n");
  });
  it("files run on as one stream unless -s", () => {
    const l = setup();
    l.run("printf 'a\\nb\\n' > ab");
    expect(l.run("sed -n '$p' n.txt ab").stdout).toBe("b\n");
    expect(l.run("sed -s -n '$p' n.txt ab").stdout).toBe("five\nb\n");
    expect(l.run("sed -n '$=' n.txt ab").stdout).toBe("7\n");
  });
});

describe("sed: the other commands", () => {
  it("a, i, c (GNU's one-line forms), =, y, q with an exit code, Q", () => {
    const l = setup();
    expect(l.run("sed '2a after two' n.txt").stdout).toBe("one\ntwo\nafter two\nthree\nfour\nfive\n");
    expect(l.run("sed '1i\\first' n.txt").stdout).toBe("first\none\ntwo\nthree\nfour\nfive\n");
    expect(l.run("sed '2,4c\\gone' n.txt").stdout).toBe("one\ngone\nfive\n");
    expect(l.run("sed -n '/three/=' n.txt").stdout).toBe("3\n");
    expect(l.run("echo hello | sed 'y/abcdefghij/ABCDEFGHIJ/'").stdout).toBe("HEllo\n");
    const quit = l.run("sed '2q5' n.txt");
    expect([quit.stdout, quit.status]).toEqual(["one\ntwo\n", 5]);
    expect(l.run("sed '2Q' n.txt").stdout).toBe("one\n");
  });
  it("hold space, N, D, P and branches: the manual's sample scripts", () => {
    const l = setup();
    // tac (7.9 "Reverse lines of files"): 1!G;h;$!d
    expect(l.run("sed -n '1!G;h;$p' n.txt").stdout).toBe("five\nfour\nthree\ntwo\none\n");
    // Join lines in pairs.
    expect(l.run("sed 'N;s/\\n/ /' n.txt").stdout).toBe("one two\nthree four\nfive\n");
    // Join every line with a loop (a label, N, b).
    expect(l.run("sed ':a;N;$!ba;s/\\n/,/g' n.txt").stdout).toBe("one,two,three,four,five\n");
    // t: branch when a substitution was made (commafy a number).
    expect(l.run("echo 1234567 | sed -E ':a;s/([0-9])([0-9]{3})($|,)/\\1,\\2\\3/;ta'").stdout).toBe("1,234,567\n");
    // Delete duplicate consecutive lines (uniq) with N, P and D.
    expect(l.run("printf 'a\\na\\nb\\n' | sed '$!N;/^\\(.*\\)\\n\\1$/!P;D'").stdout).toBe("a\nb\n");
  });
  it("{ } groups commands under one address; w writes a file", () => {
    const l = setup();
    expect(l.run("sed -n '/t/{s/t/T/;p}' n.txt").stdout).toBe("Two\nThree\n");
    l.run("sed -n '/f/w f.txt' n.txt");
    expect(l.run("cat f.txt").stdout).toBe("four\nfive\n");
  });
  it("keeps a last line without a newline as it was", () => {
    const l = setup();
    expect(l.run("printf 'a\\nb' | sed s/b/c/").stdout).toBe("a\nc");
  });
});

describe("sed: errors as GNU sed prints them (sed/compile.c), the file unchanged", () => {
  it("script errors name the expression and the character, exit 1", () => {
    const l = setup();
    const cases: [string, string][] = [
      ["sed 's/a/b' n.txt", "sed: -e expression #1, char 5: unterminated `s' command\n"],
      ["sed k n.txt", "sed: -e expression #1, char 1: unknown command: `k'\n"],
      ["sed 's/a/b/x' n.txt", "sed: -e expression #1, char 7: unknown option to `s'\n"],
      ["sed 's/a/\\1/' n.txt", "sed: -e expression #1, char 7: invalid reference \\1 on `s' command's RHS\n"],
      ["sed '/x/{p' n.txt", "sed: -e expression #1, char 0: unmatched `{'\n"],
      ["sed '}' n.txt", "sed: -e expression #1, char 1: unexpected `}'\n"],
      ["sed 'p x' n.txt", "sed: -e expression #1, char 3: extra characters after command\n"],
      ["sed -e p -e 's/a' n.txt", "sed: -e expression #2, char 3: unterminated `s' command\n"],
      ["sed 'b nowhere' n.txt", "sed: can't find label for jump to `nowhere'\n"],
      ["sed '1,2q' n.txt", "sed: -e expression #1, char 4: command only uses one address\n"],
    ];
    for (const [line, stderr] of cases) {
      const r = l.run(line);
      expect([line, r.stderr, r.status, r.stdout]).toEqual([line, stderr, 1, ""]);
    }
  });
  it("a missing file: can't read, exit 2, the other files still edited; -i with no file", () => {
    const l = setup();
    const r = l.run("sed -n 1p nofile n.txt");
    expect([r.stdout, r.stderr, r.status]).toEqual(["one\n", "sed: can't read nofile: No such file or directory\n", 2]);
    expect(l.run("sed -i s/a/b/").stderr).toBe("sed: no input files\n");
    const usage = l.run("sed");
    expect([usage.stderr.split("\n")[0], usage.status]).toEqual(["Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...", 1]);
  });
  it("a failed -i leaves the file as it was", () => {
    const l = setup();
    l.run("sed -i 's/one/1' n.txt");
    expect(l.run("cat n.txt").stdout).toBe("one\ntwo\nthree\nfour\nfive\n");
  });
});
