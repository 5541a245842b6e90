// Golden transcripts (STYLE.md, after etcd raft's interaction tests): each file under testdata/
// is a terminal session: `$ line` as typed at the prompt (`> ` before the lines of a heredoc or
// a continuation), then what the terminal showed, then `[exit N]` when its status was not 0.
// Inside a container (`docker run -it centos:7 bash`) a typed line starts with the container
// shell's own prompt instead (`[root@3f2a1b4c5d6e /]# `, `root@3f2a1b4c5d6e:/# `, `/ # `). Keys
// pressed while a line runs are lines of their own right after it: `[Ctrl-C]`, `[3s later: Ctrl-C]`,
// `[Ctrl-P Ctrl-Q]` (Docker's detach keys). The test types every line into one fresh playground
// (seed 1, host node1) and compares the whole transcript. `drydock raft|swim` lines are headless
// runs and go through runCli, as the terminal does.
// Regenerate on purpose with UPDATE_TRANSCRIPTS=1 and review the diff.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDuration } from "@drydock/kernel";
import { createPlayground, isComplete, type Playground } from "@drydock/playground";
import { runCli } from "./main.js";
import { headlessArgv } from "./shell.js";

const dir = join(import.meta.dirname, "..", "testdata");

/** A container shell's prompt at the start of a line: RHEL bash, Debian bash, BusyBox ash / dash. */
const CONTAINER_PROMPT = /^(\[[a-z_][\w-]*@[0-9a-f]{12} [^\]]+\][#$] |[a-z_][\w-]*@[0-9a-f]{12}:[^\s#$]*[#$] |[/~]\S* [#$] )/;

/** A key pressed while the line above runs: `[Ctrl-C]`, `[2s later: Ctrl-C]`, `[Ctrl-P Ctrl-Q]`. */
const KEY = /^\[(?:(\d+(?:\.\d+)?(?:ms|s|m|h)) later: )?(Ctrl-C|Ctrl-P Ctrl-Q)\]$/;

interface Typed {
  readonly cmd: string;
  readonly keys: readonly { readonly after: string | undefined; readonly key: string }[];
}

/** The typed part of a line (after `$ ` or a container's prompt), or null for output. */
function typedText(line: string): string | null {
  if (line.startsWith("$ ")) return line.slice(2);
  const m = CONTAINER_PROMPT.exec(line);
  return m ? line.slice(m[0].length) : null;
}

/** The command lines of a transcript, joined with their `> ` lines while incomplete, and the keys pressed during each. */
export function transcriptLines(text: string): Typed[] {
  const lines = text.split("\n");
  const out: Typed[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.startsWith("#") && out.length === 0) continue;
    let cmd = typedText(lines[i]!);
    if (cmd === null) continue;
    while (!isComplete(cmd) && i + 1 < lines.length && lines[i + 1]!.startsWith(">")) cmd += "\n" + lines[++i]!.replace(/^> ?/, "");
    const keys: Typed["keys"][number][] = [];
    for (let m = KEY.exec(lines[i + 1] ?? ""); m !== null; m = KEY.exec(lines[i + 1] ?? "")) {
      keys.push({ after: m[1], key: m[2]! });
      i++;
    }
    out.push({ cmd, keys });
  }
  return out;
}

/** The command lines of a transcript. */
export function transcriptCommands(text: string): string[] {
  return transcriptLines(text).map((t) => t.cmd);
}

/** Types one line (and its keys) and returns what the terminal showed and the status. */
function typeLine(pg: Playground, t: Typed): { shown: string; status: number } {
  const early = pg.begin(t.cmd);
  if (early) return { shown: early.stdout + early.stderr, status: early.exitCode };
  for (const k of t.keys) {
    if (k.after !== undefined) pg.advance(parseDuration(k.after));
    if (k.key === "Ctrl-C") pg.interrupt();
    else pg.detach();
  }
  const r = pg.wait();
  return { shown: pg.output(), status: r.exitCode };
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
  for (const t of transcriptLines(text)) {
    const [first, ...rest] = t.cmd.split("\n");
    out.push(`${pg.prompt().text ?? "$ "}${first}`, ...rest.map((l) => (l === "" ? ">" : `> ${l}`)));
    out.push(...t.keys.map((k) => `[${k.after !== undefined ? `${k.after} later: ` : ""}${k.key}]`));
    const argv = pg.attached() === null ? headlessArgv(t.cmd) : null;
    const r = argv ? (({ stdout, stderr, code }) => ({ shown: stdout + stderr, status: code }))(runCli(argv)) : typeLine(pg, t);
    if (r.shown !== "") out.push(...r.shown.replace(/\n$/, "").split("\n"));
    if (r.status !== 0) out.push(`[exit ${r.status}]`);
  }
  return out.join("\n") + "\n";
}

describe("golden transcripts", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".txt")).sort();

  it("finds the transcripts, and each types at least one command", () => {
    expect(files).toEqual(expect.arrayContaining([
      "images.txt", "images-course.txt", "raft.txt", "swim.txt",
      // The course's exercises of issue #10, one transcript each.
      "containers-process-isolation.txt", "containers-running-and-inspecting.txt", "containers-interactive.txt", "containers-detached-and-logging.txt",
      "containers-start-stop-inspect-delete.txt", "images-interactive-creation.txt", "system-inspection-commands.txt", "volumes-database.txt",
      "volumes-basic-usage.txt", "system-cleaning-up.txt", "plugins-sshfs.txt",
    ]));
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

  it("a line typed inside a container starts with the container's prompt; keys pressed during a line follow it", () => {
    const text = [
      "# t", "$ docker run -it centos:7 bash", "Unable to find image 'centos:7' locally", "[root@65c9bba1de94 /]# cd /tmp",
      "[root@65c9bba1de94 tmp]# exit", "$ docker run -it alpine sh", "/ # exit", "$ ping 8.8.8.8", "[2.5s later: Ctrl-C]", "PING 8.8.8.8",
      "$ docker attach web", "[Ctrl-P Ctrl-Q]", "read escape sequence",
    ].join("\n");
    expect(transcriptLines(text)).toEqual([
      { cmd: "docker run -it centos:7 bash", keys: [] }, { cmd: "cd /tmp", keys: [] }, { cmd: "exit", keys: [] },
      { cmd: "docker run -it alpine sh", keys: [] }, { cmd: "exit", keys: [] },
      { cmd: "ping 8.8.8.8", keys: [{ after: "2.5s", key: "Ctrl-C" }] }, { cmd: "docker attach web", keys: [{ after: undefined, key: "Ctrl-P Ctrl-Q" }] },
    ]);
  });

  it("a heredoc typed at the prompt is one command, its body on > lines", () => {
    const text = "# t\n$ cat > f <<EOF\n> a\n> EOF\n$ cat f\na\n";
    expect(transcriptCommands(text)).toEqual(["cat > f <<EOF\na\nEOF", "cat f"]);
    expect(replay(text)).toBe(text);
  });
});
