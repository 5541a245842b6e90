import { describe, expect, it } from "vitest";
import { placeLabels, raftMessageGlyph, type Box } from "./messages.js";

const boxOf = (p: { x: number; y: number }, text: string, font: number): Box => {
  const w = text.length * font * 0.62 + 4;
  return { x0: p.x - w / 2, y0: p.y - font * 0.85, x1: p.x + w / 2, y1: p.y - font * 0.85 + font * 1.05 };
};
const overlap = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

describe("message labels", () => {
  it("tell a reply's outcome by word and mark, not by colour (Raft Figure 2: success, voteGranted)", () => {
    expect(raftMessageGlyph({ type: "AppendEntriesResponse", success: false, term: 2 })).toMatchObject({ reply: true, short: "fail", mark: "✗" });
    expect(raftMessageGlyph({ type: "RequestVoteResponse", voteGranted: true, term: 2 })).toMatchObject({ reply: true, short: "yes", mark: "✓" });
  });

  it("never pile up: labels leaving one server together do not overlap each other or the glyphs", () => {
    // Four AppendEntries leaving a leader at nearly the same point.
    const reqs = [0, 1, 2, 3].map((i) => ({ key: i, x: 300 + i * 4, y: 200 + i * 3, text: "AE +1" }));
    const placed = placeLabels(reqs, [], 15);
    expect(placed.size).toBeGreaterThan(0);
    const boxes = [...placed.entries()].map(([k, p]) => ({ k, b: boxOf(p, "AE +1", 15) }));
    for (const a of boxes) for (const b of boxes) if (a.k !== b.k) expect(overlap(a.b, b.b)).toBe(false);
    for (const { b } of boxes) for (const r of reqs) expect(overlap(b, { x0: r.x - 10, y0: r.y - 10, x1: r.x + 10, y1: r.y + 10 })).toBe(false);
  });

  it("keep off servers and their words, and leave a label out rather than cover one", () => {
    const server: Box = { x0: 0, y0: 0, x1: 600, y1: 600 };
    expect(placeLabels([{ key: 1, x: 300, y: 300, text: "RV t1" }], [server], 15).size).toBe(0);
    const free = placeLabels([{ key: 1, x: 300, y: 300, text: "RV t1" }], [{ x0: 0, y0: 0, x1: 600, y1: 285 }], 15);
    // Above is taken by the obstacle: the label goes below the glyph.
    expect(free.get(1)!.y).toBeGreaterThan(300);
  });
});
