import { describe, expect, it } from "vitest";
import { createPlayground } from "@drydock/playground";
import { PassThrough } from "node:stream";
import { createInterface } from "node:readline";
import { RunningLine } from "./shell.js";
import { promptAfterTypeAhead } from "./terminal-input.js";

/** Runs a line as the terminal does (bin/shell.ts): streamed text, then what finish() adds. */
function typed(pg: ReturnType<typeof createPlayground>, line: string): string {
  const r = new RunningLine(pg, "node1", line);
  r.step(pg.now + 60_000_000);
  const streamed = r.take();
  return streamed + r.finish().display;
}

describe("the terminal answers a program's prompt (QA 2026-11-30 #7, #8)", () => {
  it("the [y/N] prompt is shown once; the typed answer (echoed by readline) and the result follow, not the prompt again", () => {
    const pg = createPlayground({ seed: 1, nodes: ["node1"] });
    pg.exec("docker create --name old alpine true", { on: "node1" });
    expect(typed(pg, "docker container prune")).toBe("WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ");
    expect(pg.reading("node1")).toEqual({ prompt: "Are you sure you want to continue? [y/N] ", echo: true });
    // readline showed "y" and the newline; the world's display holds them too, so the terminal skips them.
    expect(typed(pg, "y")).toMatch(/^Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: 0B\n$/);
  });

  it("a password: the terminal printed only the newline after it (muted readline), the world's newline is not shown twice", () => {
    const pg = createPlayground({ seed: 1, nodes: ["node1"] });
    expect(typed(pg, "docker login -u jdoe localhost:5000")).toBe("Password: ");
    expect(pg.reading("node1")).toEqual({ prompt: "Password: ", echo: false });
    const after = typed(pg, "hunter2");
    expect(after).not.toContain("hunter2");
    expect(after).toBe("\nWARNING! Your credentials are stored unencrypted in '/root/.docker/config.json'.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\nLogin Succeeded\n");
  });
});

describe("type-ahead: what is typed while a line runs is the next line, the cursor at its end (QA 2026-12-01 D5)", () => {
  it("`echo ab` typed during the line, then `c` and Enter at the prompt, read `echo abc` (GNU readline keeps the typed text and its point)", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    const rl = createInterface({ input, output, terminal: true });
    const lines: string[] = [];
    rl.on("line", (l) => lines.push(l));
    // While the line runs, the terminal echoes nothing (bin/shell.ts); readline keeps the keys.
    input.write("echo ab");
    await new Promise((r) => setImmediate(r));
    promptAfterTypeAhead(rl, "root@node1:~# ");
    // One key at a time, as typed (a chunk of several keys is a paste to readline).
    for (const key of ["c", "\r"]) {
      input.write(key);
      await new Promise((r) => setImmediate(r));
    }
    rl.close();
    expect(lines).toEqual(["echo abc"]);
  });
});

describe("background jobs on the terminal (bash: a job prints as it runs; its end is reported before the next prompt)", () => {
  it("what a job prints comes while later lines run, and `[1]+  Done` after the line in which it ended, once", () => {
    const pg = createPlayground({ seed: 1, nodes: ["node1"] });
    expect(typed(pg, "(echo hi; sleep 1; echo there) &")).toBe("[1] 4243\nhi\n");
    expect(typed(pg, "sleep 3")).toBe("there\n[1]+  Done                    (echo hi; sleep 1; echo there)\n");
    expect(typed(pg, "echo x")).toBe("x\n");
  });
});
