// Golden transcripts (STYLE.md, after etcd raft's interaction tests): each file under testdata/
// is a shell session, `$ command` lines followed by what it printed. The test replays every
// session and compares. Regenerate on purpose with UPDATE_TRANSCRIPTS=1 and review the diff.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readContextDirectory } from "@drydock/image/node";
import { runCli } from "./main.js";
import { ShellSession } from "./session.js";
import type { CliIO } from "./docker.js";

const root = join(import.meta.dirname, "..");
const dir = join(root, "testdata");
const io: CliIO = { readContext: (path, dockerfileName) => readContextDirectory(join(root, path), { dockerfileName }) };

/** Replays a transcript's commands and returns the transcript as it should read. */
function replay(text: string): string {
  const session = new ShellSession(io, (argv) => runCli(argv, io));
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("#") && out.every((l) => l.startsWith("#"))) out.push(line);
    if (!line.startsWith("$ ")) continue;
    const r = session.run(line.slice(2));
    out.push(line, ...(r.stdout + r.stderr).replace(/\n$/, "").split("\n").filter((_, i, a) => a.length > 1 || a[0] !== ""));
    if (r.code !== 0) out.push(`[exit ${r.code}]`);
  }
  return out.join("\n") + "\n";
}

describe("golden transcripts", () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".txt"))) {
    it(file, () => {
      const path = join(dir, file);
      const text = readFileSync(path, "utf8");
      const want = replay(text);
      if (process.env.UPDATE_TRANSCRIPTS === "1") writeFileSync(path, want);
      expect(text).toBe(want);
    });
  }
});
