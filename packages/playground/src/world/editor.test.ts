import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

// QA 2026-11-30 #15: "every Dockerfile exercise says open a file in your editor"; `vi Dockerfile`
// said "command not found". The editor asks the terminal for the file's new text (world/editor.ts).
describe("nano, vi and vim: the terminal edits the file, the answer is its new text", () => {
  it("a new file: the request carries its path and empty text; the answer is written; nothing is echoed", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("mkdir app && cd app");
    const asked = pg.exec("nano Dockerfile");
    expect(asked).toEqual({ exitCode: -1, stdout: "", stderr: "", reading: { prompt: "", echo: false, edit: { path: "/root/app/Dockerfile", text: "" } } });
    expect(pg.exec("FROM alpine\nCMD [\"echo\", \"hi\"]\n")).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(pg.exec("cat Dockerfile").stdout).toBe('FROM alpine\nCMD ["echo", "hi"]\n');
    expect(pg.exec("docker build -q -t hi . >/dev/null && docker run --rm hi").stdout).toBe("hi\n");
  });

  it("an existing file comes with its text; saving it unchanged writes nothing (vim's :q!)", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("printf 'FROM alpine\\n' > Dockerfile");
    const mtime = pg.exec("stat -c %Y Dockerfile").stdout;
    pg.exec("sleep 5");
    expect(pg.exec("vi Dockerfile").reading?.edit).toEqual({ path: "/root/Dockerfile", text: "FROM alpine\n" });
    const before = pg.worldHash();
    pg.exec("FROM alpine\n");
    expect(pg.exec("stat -c %Y Dockerfile").stdout).toBe(mtime);
    expect(pg.worldHash()).toBe(before); // the answer is in the action log; the world is as it was
    expect(pg.exec("vim +3 Dockerfile").reading?.edit?.text).toBe("FROM alpine\n");
    pg.exec("FROM alpine:3.19\n");
    expect(pg.exec("cat Dockerfile").stdout).toBe("FROM alpine:3.19\n");
  });

  it("the edit is a logged action: a replay edits the same", () => {
    const run = () => {
      const pg = createPlayground({ seed: 3 });
      pg.exec("vi notes.txt");
      pg.exec("one\ntwo\n");
      return pg;
    };
    const [a, b] = [run(), run()];
    expect(b.traceHash()).toBe(a.traceHash());
    expect(b.worldHash()).toBe(a.worldHash());
    expect(a.exec("cat notes.txt").stdout).toBe("one\ntwo\n");
  });

  it("Ctrl-C while the editor is open changes nothing", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("nano x");
    pg.interrupt();
    expect(pg.busy()).toBe(false);
    expect(pg.exec("cat x").stderr).toBe("cat: x: No such file or directory\n");
  });

  it("refusals: a directory, a missing directory, a pipe, no file name", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("mkdir d");
    expect(pg.exec("vi d")).toMatchObject({ exitCode: 1, stderr: '"d" is a directory\n' });
    expect(pg.exec("echo x | nano f")).toMatchObject({ exitCode: 1, stderr: "Too many errors from stdin\n" });
    expect(pg.exec("nano")).toMatchObject({ exitCode: 1 });
    expect(pg.exec("vi nodir/f").reading?.edit?.path).toBe("/root/nodir/f");
    expect(pg.exec("text\n")).toEqual({ exitCode: 1, stdout: "", stderr: '"nodir/f" E212: Can\'t open file for writing\n' });
    expect(pg.exec("which nano vi vim").stdout).toBe("/usr/bin/nano\n/usr/bin/vi\n/usr/bin/vim\n");
  });
});
