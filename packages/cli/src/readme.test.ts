// The README's first session must work as printed from a clean clone (issue #9). The session is
// read from the README itself, typed into a playground line by line, and compared: "..." in the
// README stands for lines left out, and the CREATED column says how long ago, which depends on
// how fast the reader types, so it is compared as "some time ago".
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPlayground } from "@drydock/playground";

const README = readFileSync(join(import.meta.dirname, "..", "..", "..", "README.md"), "utf8");

/** The ```console block under "Your first session": commands with their expected output. */
function session(): { line: string; expected: string[] }[] {
  const section = README.slice(README.indexOf("## Your first session"));
  const block = /```console\n([\s\S]*?)```/.exec(section)![1]!.split("\n");
  const out: { line: string; expected: string[] }[] = [];
  for (const text of block) {
    const prompt = /^root@node\d+:[^#]*# (.*)$/.exec(text);
    if (prompt) out.push({ line: prompt[1]!, expected: [] });
    else if (out.length > 0 && text.startsWith("> ")) out[out.length - 1]!.line += "\n" + text.slice(2);
    else if (out.length > 0 && text !== "") out[out.length - 1]!.expected.push(text);
  }
  return out;
}

const AGO = /\b(Less than a second|\d+ seconds|About a minute|\d+ minutes) ago\b/g;
const normal = (l: string) => l.replace(AGO, "<ago>").replace(/ {2,}/g, "\t");

describe("README: the first session at the prompt works as printed", () => {
  it("each command prints what the README shows", () => {
    const steps = session();
    expect(steps.length).toBeGreaterThanOrEqual(4);
    const pg = createPlayground({ seed: 1 });
    for (const { line, expected } of steps) {
      const r = pg.exec(line);
      expect(r.exitCode, line).toBe(0);
      const got = (r.stdout + r.stderr).split("\n").filter((l) => l !== "").map(normal);
      const want = expected.map(normal);
      // "..." matches any run of lines; everything else must appear in order.
      let at = 0;
      let gap = false;
      for (const w of want) {
        if (w === "...") { gap = true; continue; }
        const found = gap ? got.indexOf(w, at) : got[at] === w ? at : -1;
        expect(found, `${line}: expected the line ${JSON.stringify(w)}`).toBeGreaterThanOrEqual(0);
        at = found + 1;
        gap = false;
      }
      if (!gap) expect(got.length, `${line}: more output than the README shows`).toBe(at);
    }
  });
});
