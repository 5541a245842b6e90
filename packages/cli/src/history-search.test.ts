import { describe, expect, it } from "vitest";
import { ReverseSearch } from "./history-search.js";

// bash's reverse-i-search (readline's isearch.c): the prompt "(reverse-i-search)`q': ", the newest
// line holding the query, Ctrl-R again for an older one, "failed" when none holds it.
describe("Ctrl-R: reverse incremental history search (QA 2026-11-30 #18)", () => {
  const history = ["echo second", "docker images", "echo first"]; // readline's order: newest first

  it("each typed character narrows the search from the line shown; the cursor is at the match", () => {
    const s = new ReverseSearch(history, "");
    expect(s.view()).toEqual({ prompt: "(reverse-i-search)`': ", line: "", cursor: 0 });
    expect(s.type("e")).toEqual({ prompt: "(reverse-i-search)`e': ", line: "echo second", cursor: 6 });
    expect(s.type("c")).toEqual({ prompt: "(reverse-i-search)`ec': ", line: "echo second", cursor: 6 });
    expect(s.type("h")).toEqual({ prompt: "(reverse-i-search)`ech': ", line: "echo second", cursor: 0 });
  });

  it("Ctrl-R again finds an older line; past the oldest the search fails and keeps the last match", () => {
    const s = new ReverseSearch(history, "");
    s.type("echo");
    expect(s.older().line).toBe("echo first");
    expect(s.older()).toEqual({ prompt: "(failed reverse-i-search)`echo': ", line: "echo first", cursor: 0 });
    expect(s.accepted).toBe("echo first");
  });

  it("no match: failed, and the line typed before Ctrl-R is kept; backspace searches again from the newest", () => {
    const s = new ReverseSearch(history, "do");
    expect(s.type("z")).toEqual({ prompt: "(failed reverse-i-search)`z': ", line: "do", cursor: 2 });
    expect(s.accepted).toBe("do");
    expect(s.backspace()).toEqual({ prompt: "(reverse-i-search)`': ", line: "do", cursor: 2 });
    expect(s.type("i").line).toBe("docker images");
    expect(s.before).toBe("do");
  });
});
