import { describe, expect, it } from "vitest";
import { createPlayground } from "@drydock/playground";
import { RunningLine } from "./shell.js";

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
