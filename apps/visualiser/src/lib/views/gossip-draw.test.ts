import { describe, expect, it } from "vitest";
import { MEMBER_STYLES, NAMES_MAX, layoutMembers, namePx } from "./gossip-draw.js";

describe("gossip drawing", () => {
  it("tells every belief by its shape, not only by its colour (WCAG 1.4.1, use of colour)", () => {
    const shapes = Object.values(MEMBER_STYLES).map((s) => s.shape);
    expect(new Set(shapes).size).toBe(shapes.length);
  });

  it.each([[480, 260, false], [700, 420, true], [300, 300, true]])("leaves room for every name around a ring (%i x %i, projector %s)", (w, h, projector) => {
    for (const n of [5, 10, 20, NAMES_MAX]) {
      const px = namePx(projector, w, h);
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
