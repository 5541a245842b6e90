import { describe, expect, it } from "vitest";
import { Playground } from "@drydock/playground";
import { TerminalBinding } from "./binding.js";
import { Transcript } from "./transcript.js";

// The page's terminal without the page: continued lines (bash's PS2 `> `), the editor's answer.

const bound = (): TerminalBinding => new TerminalBinding(new Playground({ seed: 1, nodes: ["node1"] }), new Transcript(0));

describe("TerminalBinding", () => {
  it("reads a heredoc typed line by line as one command line, with bash's `> ` prompt, and keeps it whole in the history", () => {
    const b = bound();
    expect(b.prompt()).toBe("root@node1:~# ");
    expect(b.submit("cat > Dockerfile <<'EOF'")).toBeNull();
    expect(b.prompt()).toBe("> ");
    expect(b.submit("FROM alpine:3.19")).toBeNull();
    const line = b.submit("EOF");
    expect(line).toBe("cat > Dockerfile <<'EOF'\nFROM alpine:3.19\nEOF");
    expect(b.prompt()).toBe("root@node1:~# ");
    expect(b.editor.lines).toEqual([line]);
    b.run(line!);
    expect(b.pg.exec("cat Dockerfile", { on: "node1" }).stdout).toBe("FROM alpine:3.19\n");
    expect(b.pg.sim.actionLog.filter((a) => (a.action as { type: string }).type === "exec")).toHaveLength(2);
  });

  it("shows a background job's output and its Done notice after the line during which they came, as bash does", () => {
    const b = bound();
    b.run("sleep 2 & echo started");
    b.run("sleep 3");
    const text = b.shown().map((l) => l.output).join("");
    expect(text).toMatch(/^\[1\] \d+\nstarted\n/);
    // bash's jobs.c: the notice before the next prompt, "Done" padded to 24 columns.
    expect(text).toContain("[1]+  Done                    sleep 2\n");
  });

  it("continues an open quote, a trailing backslash and an unfinished for; Ctrl-C drops the lines", () => {
    const b = bound();
    expect(b.submit("echo 'a")).toBeNull();
    expect(b.submit("b'")).toBe("echo 'a\nb'");
    expect(b.submit("echo a \\")).toBeNull();
    expect(b.submit("b")).toBe("echo a \\\nb");
    expect(b.submit("for i in 1 2; do")).toBeNull();
    expect(b.dropContinued()).toBe(true);
    expect(b.prompt()).toBe("root@node1:~# ");
    expect(b.dropContinued()).toBe(false);
    expect(b.submit("echo done")).toBe("echo done");
  });

  it("opens the editor for nano and writes what it answers; an answer of the text as it was changes nothing", () => {
    const b = bound();
    expect(b.editing()).toBeNull();
    expect(b.answerLocally("nano Dockerfile")).toBeNull(); // no refusal: the page has an editor
    b.run("nano Dockerfile");
    expect(b.editing()).toEqual({ program: "nano", path: "/root/Dockerfile", name: "Dockerfile", text: "" });
    expect(b.busy).toBe(false);
    b.answerEdit("FROM alpine\n");
    expect(b.editing()).toBeNull();
    expect(b.pg.exec("cat Dockerfile", { on: "node1" }).stdout).toBe("FROM alpine\n");
    const before = b.pg.exec("stat -c %Y Dockerfile", { on: "node1" }).stdout;
    b.run("vim Dockerfile");
    expect(b.editing()?.program).toBe("vim");
    b.answerEdit("FROM alpine\n");
    expect(b.pg.exec("stat -c %Y Dockerfile", { on: "node1" }).stdout).toBe(before);
    // The edit's answer shows nothing on the screen: the editor had it.
    const shown = b.shown();
    expect(shown.some((s) => s.line.includes("FROM"))).toBe(false);
    const edits = shown.filter((s) => /^(nano|vim) /.test(s.line));
    expect(edits.map((s) => s.line)).toEqual(["nano Dockerfile", "vim Dockerfile"]);
    expect(edits.map((s) => s.output).join("")).toBe("");
  });
});
