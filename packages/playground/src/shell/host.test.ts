import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "@drydock/kernel";
import { HISTORY_MAX, History } from "./host.js";

/** What a session's history was before it was shared: a fresh array per line, the oldest dropped past the limit. */
function modelAppend(lines: readonly string[], line: string, max: number): readonly string[] {
  return [...lines, line].slice(-max);
}

describe("History (the lines a shell has typed)", () => {
  it("keeps the last HISTORY_MAX lines, oldest first (Ubuntu's .bashrc: HISTSIZE=1000)", () => {
    let h = History.EMPTY;
    for (let i = 0; i < 2_500; i++) h = h.append(`echo ${i}`);
    expect(h.length).toBe(HISTORY_MAX);
    expect(h.slice(0, 2)).toEqual(["echo 1500", "echo 1501"]);
    expect(h.slice(HISTORY_MAX - 1)).toEqual(["echo 2499"]);
    expect([...h]).toEqual(Array.from({ length: HISTORY_MAX }, (_, i) => `echo ${i + 1_500}`));
  });

  it("a session kept (a snapshot, a line run again after a suspend) sees the same lines after others append", () => {
    const a = History.EMPTY.append("ls").append("pwd");
    const b = a.append("date");
    const c = a.append("whoami");
    const again = a.append("date");
    expect([[...a], [...b], [...c], [...again]]).toEqual([["ls", "pwd"], ["ls", "pwd", "date"], ["ls", "pwd", "whoami"], ["ls", "pwd", "date"]]);
  });

  it("serialises and compares as its lines, whatever it shares (canonicalJson, so state hashes, stay as they were)", () => {
    const long = History.EMPTY.append("ls").append("pwd");
    long.append("date");
    const fresh = History.of(["ls", "pwd"]);
    expect(JSON.stringify({ history: long })).toBe(JSON.stringify({ history: ["ls", "pwd"] }));
    expect(long).toEqual(fresh);
    expect(long).not.toEqual(History.of(["ls"]));
    expect(canonicalJson({ history: long })).toBe(canonicalJson({ history: ["ls", "pwd"] }));
  });

  it("appending is O(1) amortised: 10,000 lines copy about 2 lines each, not the 1,000 kept", () => {
    let h = History.EMPTY;
    let copied = 0;
    for (let i = 0; i < 10_000; i++) {
      h = h.append(`docker run -d alpine sleep 1d`);
      copied += h.copiedLines;
    }
    expect(copied).toBeLessThan(2 * 10_000);
  });

  it("any tree of appends from kept versions matches fresh arrays (property, limits 1 to 5)", () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 5 }),
      fc.array(fc.tuple(fc.nat(), fc.constantFrom("a", "b", "c")), { maxLength: 60 }),
      (max, steps) => {
        const versions: { h: History; model: readonly string[] }[] = [{ h: History.empty(max), model: [] }];
        for (const [pick, line] of steps) {
          const from = versions[pick % versions.length]!;
          versions.push({ h: from.h.append(line), model: modelAppend(from.model, line, max) });
        }
        for (const v of versions) {
          expect([...v.h]).toEqual(v.model);
          expect(v.h.length).toBe(v.model.length);
        }
      },
    ));
  });
});
