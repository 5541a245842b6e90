import { describe, expect, it } from "vitest";
import { MEMBER_STYLES, MESSAGE_STYLES, NAMES_MAX, layoutMembers, namePx } from "./draw.js";
import { contrast, NON_TEXT_MIN } from "../../contrast.js";
import { STROKES } from "../../palette.js";

describe("gossip drawing", () => {
  it("tells every belief by its shape, not only by its colour (WCAG 1.4.1, use of colour)", () => {
    const shapes = Object.values(MEMBER_STYLES).map((s) => s.shape);
    expect(new Set(shapes).size).toBe(shapes.length);
  });

  it("draws every message kind, member outline and link at 3:1 or more on white (WCAG 1.4.11)", () => {
    for (const [kind, st] of Object.entries(MESSAGE_STYLES)) expect([kind, contrast(st.colour, "#ffffff") >= NON_TEXT_MIN]).toEqual([kind, true]);
    // Members are outlined in ink; the "not known yet" dot is itself the glyph.
    expect(contrast(MEMBER_STYLES.unknown.fill, "#ffffff")).toBeGreaterThanOrEqual(NON_TEXT_MIN);
    for (const [name, c] of Object.entries(STROKES)) expect([name, contrast(c, "#ffffff") >= NON_TEXT_MIN]).toEqual([name, true]);
  });

  it.each([[480, 260, 15], [700, 420, 18], [300, 300, 18]])("leaves room for every name around a ring (%i x %i, %i px type)", (w, h, base) => {
    for (const n of [5, 10, 20, NAMES_MAX]) {
      const px = namePx(base);
      const l = layoutMembers(n, w, h, 0, px);
      for (let i = 0; i < n; i++) {
        // Names sit r + 14 beyond a member along its radius, centred vertically on that point.
        const dy = l.y[i]! - h / 2;
        const dx = l.x[i]! - w / 2;
        const len = Math.hypot(dx, dy) || 1;
        const ny = l.y[i]! + (dy / len) * (l.r + 14);
        expect(ny - px / 2).toBeGreaterThanOrEqual(0);
        expect(ny + px / 2).toBeLessThanOrEqual(h);
      }
    }
  });
});
