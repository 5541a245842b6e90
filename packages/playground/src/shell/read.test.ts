// bash 5.2's `read` (bash(1) SHELL BUILTIN COMMANDS; builtins/read.def): the expected outputs are
// what bash prints for these lines.
import { describe, expect, it } from "vitest";
import { lab } from "./testing.test-util.js";

describe("read", () => {
  it("splits a line by IFS; the last name takes the rest; REPLY keeps the line as it is", () => {
    const l = lab();
    expect(l.run("read a b <<< '  one two  three  '; echo \"[$a][$b]\"").stdout).toBe("[one][two  three]\n");
    expect(l.run("read <<< '  x y  '; echo \"[$REPLY]\"").stdout).toBe("[  x y  ]\n");
    expect(l.run("read a b c <<< 'only'; echo \"[$a][$b][$c]\"").stdout).toBe("[only][][]\n");
    expect(l.run("IFS=: read u p rest <<< 'root:x:0:0:root'; echo \"$u $p $rest\"").stdout).toBe("root x 0:0:root\n");
  });

  it("reads a line per call from one input: while read loops over a pipe, a file or a heredoc", () => {
    const l = lab();
    l.run("printf 'web 80\\ndb 5432\\n' > ports");
    expect(l.run("while read name port; do echo \"$name listens on $port\"; done < ports").stdout).toBe("web listens on 80\ndb listens on 5432\n");
    expect(l.run("printf 'a\\nb\\nc\\n' | while read x; do echo \"<$x>\"; done").stdout).toBe("<a>\n<b>\n<c>\n");
    expect(l.run("{ read first; read second; echo \"$second $first\"; } <<EOF\none\ntwo\nEOF").stdout).toBe("two one\n");
  });

  it("exit 1 at end of input, even with a last line without a newline (which is still read)", () => {
    const l = lab();
    expect(l.run("printf 'a\\nb' | while read x; do echo $x; done").stdout).toBe("a\n");
    expect(l.run("printf 'last' | { read x; echo $? $x; }").stdout).toBe("1 last\n");
    expect(l.run("read x < /dev/null; echo $?").stdout).toBe("1\n");
  });

  it("without -r a backslash escapes (and joins lines); with -r it is kept", () => {
    const l = lab();
    expect(l.run("printf 'a\\\\ b c\\n' | { read x y; echo \"[$x][$y]\"; }").stdout).toBe("[a b][c]\n");
    expect(l.run("printf 'a\\\\ b c\\n' | { read -r x y; echo \"[$x][$y]\"; }").stdout).toBe("[a\\][b c]\n");
    expect(l.run("printf 'one \\\\\\ntwo\\n' | { read x; echo \"[$x]\"; }").stdout).toBe("[one two]\n");
  });

  it("at the terminal with nothing piped in it says it cannot wait for a typed line", () => {
    const r = lab().run("read -p 'Name: ' name");
    expect([r.status, r.stderr]).toEqual([1, "Name: \ndrydock: read from the terminal is not simulated: give read its input with a pipe, a file or <<<\n"]);
  });

  it("bad names and options are bash's errors", () => {
    const l = lab();
    expect(l.run("read 1x <<< a").stderr).toBe("bash: read: `1x': not a valid identifier\n");
    const bad = l.run("read -q x <<< a");
    expect([bad.status, bad.stderr.split("\n")[0]]).toEqual([2, "bash: read: -q: invalid option"]);
  });
});
