import { describe, expect, it } from "vitest";
import { LineEditor, splitPaste } from "./editor.js";

// The page terminal's line discipline, as bash's readline (emacs mode) edits a line: keys as
// xterm.js sends them (VT escape sequences, ^C as \x03, Backspace as DEL \x7f).

const typed = (ed: LineEditor, ...chunks: string[]) => chunks.map((c) => ed.feed(c));

describe("LineEditor", () => {
  it("edits in place and runs the line on Enter", () => {
    const ed = new LineEditor();
    typed(ed, "docker servce", "\x1b[D", "\x1b[D", "i");
    expect(ed.line).toBe("docker service");
    typed(ed, "\x7f");
    expect(ed.line).toBe("docker servce");
    expect(ed.feed("\r")).toEqual({ kind: "run", line: "docker servce" });
    expect(ed.line).toBe("");
  });

  it("walks the history with Up and Down and keeps the line being typed", () => {
    const ed = new LineEditor();
    // Enter hands the line over; the binding remembers the whole command line once it runs.
    for (const l of ["docker node ls", "docker service ls"]) {
      typed(ed, l);
      ed.remember([(ed.feed("\r") as { line: string }).line]);
    }
    typed(ed, "docker ver");
    typed(ed, "\x1b[A");
    expect(ed.line).toBe("docker service ls");
    typed(ed, "\x1b[A", "\x1b[A");
    expect(ed.line).toBe("docker node ls");
    typed(ed, "\x1b[B", "\x1b[B");
    expect(ed.line).toBe("docker ver");
  });

  it("drops the line on Ctrl-C and asks for an interrupt", () => {
    const ed = new LineEditor();
    expect(typed(ed, "docker service ls", "\x03")[1]).toEqual({ kind: "interrupt", line: "docker service ls" });
    expect(ed.line).toBe("");
    expect(ed.lines).toEqual([]);
  });

  it("takes one completion, and the common prefix of several", () => {
    const ed = new LineEditor();
    typed(ed, "docker serv");
    expect(ed.feed("\t")).toEqual({ kind: "complete", before: "docker serv" });
    expect(ed.applyCompletion([["service "], "serv"])).toEqual([]);
    expect(ed.line).toBe("docker service ");
    typed(ed, "s");
    expect(ed.applyCompletion([["scale", "create"].filter((w) => w.startsWith("s")), "s"])).toEqual([]);
    expect(ed.line).toBe("docker service scale");
    const ed2 = new LineEditor();
    typed(ed2, "docker service r");
    expect(ed2.applyCompletion([["rm", "rollback"], "r"])).toEqual(["rm", "rollback"]);
    expect(ed2.line).toBe("docker service r");
  });

  it("runs the first line of pasted text", () => {
    const ed = new LineEditor();
    expect(ed.feed("docker node ls\ndocker ps")).toEqual({ kind: "run", line: "docker node ls" });
  });

  it("types a pasted block line by line, Enter after each (a heredoc pasted whole)", () => {
    expect(splitPaste("cat > f <<'EOF'\nFROM alpine\nEOF\n")).toEqual(["cat > f <<'EOF'", "\r", "FROM alpine", "\r", "EOF", "\r"]);
    expect(splitPaste("a\r\n\r\nb")).toEqual(["a", "\r", "\r", "b"]);
    expect(splitPaste("docker ps")).toEqual(["docker ps"]);
    expect(splitPaste("\r")).toEqual(["\r"]);
  });

  it("keeps a recalled multi-line command whole: Enter hands it over as one line", () => {
    const ed = new LineEditor();
    ed.remember(["cat > f <<'EOF'\nx\nEOF"]);
    typed(ed, "\x1b[A");
    expect(ed.feed("\r")).toEqual({ kind: "run", line: "cat > f <<'EOF'\nx\nEOF" });
  });
});
