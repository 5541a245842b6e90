// Golden transcripts (STYLE.md, after etcd raft's interaction tests): each file under testdata/
// is a terminal session: `$ line` as typed at the prompt (`> ` before the lines of a heredoc or
// a continuation), then what it printed, then `[exit N]` when its status was not 0. The test
// types every line into one fresh playground (seed 1, host node1) and compares the whole
// transcript. `drydock raft|swim` lines are headless runs and go through runCli, as the terminal does.
// Regenerate on purpose with UPDATE_TRANSCRIPTS=1 and review the diff.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPlayground, isComplete } from "@drydock/playground";
import { runCli } from "./main.js";
import { headlessArgv } from "./shell.js";

const dir = join(import.meta.dirname, "..", "testdata");

/** The command lines of a transcript: `$ ` lines, joined with their `> ` lines while incomplete. */
export function transcriptCommands(text: string): string[] {
  const lines = text.split("\n");
  const commands: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith("$ ")) continue;
    let cmd = lines[i]!.slice(2);
    while (!isComplete(cmd) && i + 1 < lines.length && lines[i + 1]!.startsWith(">")) cmd += "\n" + lines[++i]!.replace(/^> ?/, "");
    commands.push(cmd);
  }
  return commands;
}

/** Replays a transcript's commands and returns the transcript as it should read. */
export function replay(text: string): string {
  const pg = createPlayground({ seed: 1 });
  const out: string[] = [];
  const lines = text.split("\n");
  for (const l of lines) {
    if (!l.startsWith("#")) break;
    out.push(l);
  }
  for (const cmd of transcriptCommands(text)) {
    const [first, ...rest] = cmd.split("\n");
    out.push(`$ ${first}`, ...rest.map((l) => (l === "" ? ">" : `> ${l}`)));
    const argv = headlessArgv(cmd);
    const r = argv ? (({ stdout, stderr, code }) => ({ stdout, stderr, exitCode: code }))(runCli(argv)) : pg.exec(cmd);
    const printed = (r.stdout + r.stderr).replace(/\n$/, "");
    if (r.stdout + r.stderr !== "") out.push(...printed.split("\n"));
    if (r.exitCode !== 0) out.push(`[exit ${r.exitCode}]`);
  }
  return out.join("\n") + "\n";
}

describe("golden transcripts", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".txt")).sort();

  it("finds the transcripts, and each types at least one command", () => {
    expect(files).toEqual(expect.arrayContaining(["images.txt", "images-course.txt", "raft.txt", "swim.txt"]));
    for (const f of files) expect(transcriptCommands(readFileSync(join(dir, f), "utf8")).length, f).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(file, () => {
      const path = join(dir, file);
      const text = readFileSync(path, "utf8");
      const want = replay(text);
      if (process.env.UPDATE_TRANSCRIPTS === "1") writeFileSync(path, want);
      else expect(text).toBe(want);
    });
  }

  it("a transcript whose output was edited fails (the comparison can fail)", () => {
    const text = "# t\n$ echo hello\nhello\n";
    expect(replay(text)).toBe(text);
    expect(replay("# t\n$ echo hello\nhullo\n")).not.toBe("# t\n$ echo hello\nhullo\n");
  });

  it("a heredoc typed at the prompt is one command, its body on > lines", () => {
    const text = "# t\n$ cat > f <<EOF\n> a\n> EOF\n$ cat f\na\n";
    expect(transcriptCommands(text)).toEqual(["cat > f <<EOF\na\nEOF", "cat f"]);
    expect(replay(text)).toBe(text);
  });
});
