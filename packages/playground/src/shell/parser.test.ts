import { describe, expect, it } from "vitest";
import { NESTING_MAX } from "./lexer.js";
import { isComplete, parseLine } from "./parser.js";
import { lab } from "./testing.test-util.js";

const out = (line: string) => lab().run(line).stdout;

describe("POSIX 2.2 quoting", () => {
  it("2.2.1: backslash quotes the next character; backslash-newline is removed", () => {
    expect(out("echo a\\ b \\$HOME \\\\")).toBe("a b $HOME \\\n");
    expect(out("echo con\\\ntinued")).toBe("continued\n");
  });
  it("2.2.2: single quotes keep everything literally", () => {
    expect(out("echo '$HOME \\n \"x\"'")).toBe('$HOME \\n "x"\n');
  });
  it('2.2.3: backslash inside double quotes only escapes $ ` " \\ newline', () => {
    expect(out('echo "\\$HOME \\` \\" \\\\ \\n \\a"')).toBe('$HOME ` " \\ \\n \\a\n');
    expect(out('echo "a\\\nb"')).toBe("ab\n");
  });
  it("2.2.3: $ expands inside double quotes and the result is one field", () => {
    expect(out('X="a   b"; echo "$X"; echo $X')).toBe("a   b\na b\n");
  });
  it('an empty quoted word "" is an argument; an unquoted empty expansion is none', () => {
    const l = lab();
    l.run('docker run "" $NOPE x');
    expect(l.calls[0]?.argv).toEqual(["docker", "run", "", "x"]);
  });
  it("bash $'...' decodes ANSI C escapes", () => {
    expect(out("echo $'a\\tb\\x41\\n'")).toBe("a\tbA\n\n");
  });
  it("2.3 rule 10: # starts a comment only at the start of a word", () => {
    expect(out("echo a#b # comment")).toBe("a#b\n");
  });
});

describe("bash syntax errors: bash's text, exit status 2", () => {
  it.each([
    ["echo a | | b", "bash: syntax error near unexpected token `|'\n"],
    ["| echo", "bash: syntax error near unexpected token `|'\n"],
    ["echo )", "bash: syntax error near unexpected token `)'\n"],
    ["echo a ;; b", "bash: syntax error near unexpected token `;;'\n"],
    ["echo >", "bash: syntax error near unexpected token `newline'\n"],
    ["fi", "bash: syntax error near unexpected token `fi'\n"],
    ["{ }", "bash: syntax error near unexpected token `}'\n"],
    ['echo "abc', 'bash: unexpected EOF while looking for matching `"\'\n'],
    ["echo 'abc", "bash: unexpected EOF while looking for matching `''\n"],
    ["echo a &&", "bash: syntax error: unexpected end of file\n"],
    ["if true; then echo", "bash: syntax error: unexpected end of file\n"],
  ])("%j", (line, stderr) => {
    const l = lab();
    const r = l.run(line);
    expect(r.stderr).toBe(stderr);
    expect(r.status).toBe(2);
    expect(l.run("echo $?").stdout).toBe("2\n");
  });
  it("nesting past NESTING_MAX is a syntax error, not a stack overflow", () => {
    const r = lab().run(`echo ${"$(".repeat(3000)}${")".repeat(3000)}`);
    expect(r.stderr).toBe(`bash: syntax error: nesting deeper than ${NESTING_MAX} levels (drydock's limit)\n`);
    expect(r.status).toBe(2);
  });
  it("a syntax error runs nothing of the line", () => {
    const l = lab();
    l.run("docker ps; echo )");
    expect(l.calls).toEqual([]);
  });
});

describe("isComplete: when the terminal shows a `> ` continuation prompt", () => {
  it.each([
    ['echo "abc', false],
    ["echo 'abc", false],
    ["echo abc \\", false],
    ["echo a &&", false],
    ["echo a |", false],
    ["if true; then", false],
    ["for x in 1 2; do echo $x", false],
    ["cat <<EOF\nhello", false],
    ["echo $(ls", false],
    ["{ echo a", false],
    ["cat <<EOF\nhello\nEOF", true],
    ["echo done", true],
    ["echo )", true],
    ["", true],
  ])("%j → %s", (text, complete) => {
    expect(isComplete(text)).toBe(complete);
  });
});

describe("parseLine builds the POSIX grammar's tree", () => {
  it("lists, and-or and pipelines", () => {
    const p = parseLine("a | b && ! c; d");
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.program.items).toHaveLength(2);
    const first = p.program.items[0];
    expect(first?.first.commands).toHaveLength(2);
    expect(first?.rest[0]?.op).toBe("&&");
    expect(first?.rest[0]?.pipeline.negate).toBe(true);
  });
  it("2.9.1: NAME=value before the command name is an assignment, after it a word", () => {
    const p = parseLine("A=1 B='2' cmd C=3");
    if (!p.ok) throw new Error(p.error);
    const cmd = p.program.items[0]?.first.commands[0];
    expect(cmd?.type === "simple" && cmd.assigns.map((a) => a.name)).toEqual(["A", "B"]);
    expect(cmd?.type === "simple" && cmd.words).toHaveLength(2);
  });
  it("2.10.2: reserved words are recognised only in command position", () => {
    expect(out("echo if then fi")).toBe("if then fi\n");
  });
});
