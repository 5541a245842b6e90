// Shell functions as bash 5.2 runs them (bash(1) FUNCTIONS; POSIX XCU 2.9.5): the expected
// outputs are bash's for these lines.
import { describe, expect, it } from "vitest";
import { lab } from "./testing.test-util.js";

describe("functions", () => {
  it("name() { ...; } defines; a call gets its arguments as $1.., $# and $@; the definition lasts the session", () => {
    const l = lab();
    expect(l.run("greet() { echo \"hello $1 ($# args: $@)\"; }").stdout).toBe("");
    expect(l.run("greet world and more").stdout).toBe("hello world (3 args: world and more)\n");
    expect(l.run("function shout { echo \"$1!\"; }; shout hey").stdout).toBe("hey!\n");
    expect(l.run("type -t greet shout").stdout).toBe("function\nfunction\n");
    expect(l.run("echo \"[$1][$#]\"").stdout).toBe("[][0]\n");
  });

  it("return ends the call with a status; local variables get their old values back", () => {
    const l = lab();
    l.run("x=outer; f() { local x=inner; echo $x; return 3; echo never; }");
    const r = l.run("f; echo \"$? $x\"");
    expect(r.stdout).toBe("inner\n3 outer\n");
    expect(l.run("return 1").stderr).toBe("bash: return: can only `return' from a function or sourced script\n");
    expect(l.run("local y=1").stderr).toBe("bash: local: can only be used in a function\n");
  });

  it("functions call functions and recurse; for x; do iterates the arguments; a function beats a program of its name", () => {
    const l = lab();
    l.run("count() { if [ $1 -gt 0 ]; then echo $1; count $(( $1 - 1 )); fi; }");
    expect(l.run("count 3").stdout).toBe("3\n2\n1\n");
    l.run("each() { for a; do echo \"- $a\"; done; }");
    expect(l.run("each one two").stdout).toBe("- one\n- two\n");
    l.run("ls() { echo 'my ls'; }");
    expect(l.run("ls").stdout).toBe("my ls\n");
    expect(l.run("forever() { forever; }; forever").stderr).toContain("maximum function nesting level exceeded (100)");
  });

  it("a quoted \"$@\" is each argument as a word of its own; \"$*\" is one word", () => {
    const l = lab();
    l.run("args() { printf '[%s]' \"$@\"; echo; printf '[%s]' \"$*\"; echo; printf '[%s]' $@; echo; }");
    expect(l.run("args 'a b' c").stdout).toBe("[a b][c]\n[a b c]\n[a][b][c]\n");
    l.run("none() { for a in \"$@\"; do echo \"<$a>\"; done; echo \"n=$#\"; }");
    expect(l.run("none").stdout).toBe("n=0\n");
    expect(l.run("none '' x").stdout).toBe("<>\n<x>\nn=2\n");
  });

  it("in a pipeline and a substitution the arguments are still there", () => {
    const l = lab();
    l.run("up() { echo \"$1\" | tr a-z A-Z; }");
    expect(l.run("up abc; echo $(up def)").stdout).toBe("ABC\nDEF\n");
  });

  it("a body that is not a compound command is bash's syntax error", () => {
    const l = lab();
    expect(l.run("f() echo hi").stderr).toBe("bash: syntax error near unexpected token `echo'\n");
  });
});
