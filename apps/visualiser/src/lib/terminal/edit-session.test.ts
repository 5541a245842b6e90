import { describe, expect, it } from "vitest";
import { EditSession, programOf, withFinalNewline } from "./edit-session.js";

// The page's nano/vim: what its keys do to the answer the world waits for (playground
// world/editor.ts writes the file when the answer differs from the text it had).

describe("EditSession", () => {
  it("saves with ^S, ending the file with a newline as nano and vim do", () => {
    const s = new EditSession("nano", "Dockerfile", "");
    expect(s.title).toBe("GNU nano 7.2  Dockerfile");
    expect(s.save("FROM alpine")).toEqual({ kind: "exit", text: "FROM alpine\n" });
    expect(withFinalNewline("")).toBe("");
  });

  it("quits without saving on Esc: the file's own text comes back", () => {
    expect(new EditSession("vim", "/root/a", "old\n").cancel()).toEqual({ kind: "exit", text: "old\n" });
  });

  it("follows nano's ^O then ^X: written text is kept, ^X asks only when the buffer changed after", () => {
    const s = new EditSession("nano", "f", "a\n");
    // nano's status line after ^O: "[ Wrote 2 lines ]" (nano src/files.c: "Wrote %zu line(s)").
    expect(s.writeOut("a\nb")).toEqual({ kind: "stay", status: "[ Wrote 2 lines ]" });
    expect(s.exit("a\nb\n")).toEqual({ kind: "exit", text: "a\nb\n" });
    const t = new EditSession("nano", "f", "a\n");
    expect(t.exit("a\nc")).toMatchObject({ kind: "stay", status: expect.stringContaining("Save modified buffer?") });
    expect(t.asking).toBe(true);
    expect(t.answer("n", "a\nc")).toEqual({ kind: "exit", text: "a\n" });
    const u = new EditSession("nano", "f", "a\n");
    u.exit("z");
    expect(u.answer("^C", "z")).toEqual({ kind: "stay", status: "[ Cancelled ]" });
    u.exit("z");
    expect(u.answer("Y", "z")).toEqual({ kind: "exit", text: "z\n" });
  });

  it("names the program typed", () => {
    expect(programOf("vim app.py")).toBe("vim");
    expect(programOf("cd /app && vi Dockerfile")).toBe("vi");
    expect(programOf("/usr/bin/nano -w x")).toBe("nano");
    expect(programOf("something")).toBe("nano");
  });
});
