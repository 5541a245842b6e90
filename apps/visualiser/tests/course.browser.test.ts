import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RESULTS_DIR } from "./harness.js";
import { measure } from "./measure.js";
import { pagesPerTest } from "./pages.js";

// Every view the picker offers, opened from its link as a room sees it: at 1280x720 in projector
// mode (every word at least 18 px, as the projector issue asks) and in the 640x400 embed (at least
// 12 px), with no console error. The screenshots are docs/course's pictures
// (test-results/course/<id>-projector.png; copy them to docs/course/img/ when a view changes).

const { open } = pagesPerTest();

const SCENARIOS_DIR = join(import.meta.dirname, "..", "src", "lib", "scenarios");
/** The scenario ids, read from each folder's index.ts as the app finds them (scenarios.ts). */
const ids = readdirSync(SCENARIOS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => {
    try {
      const m = /\bid:\s*"([^"]+)"/.exec(readFileSync(join(SCENARIOS_DIR, d.name, "index.ts"), "utf8"));
      return m === null ? [] : [m[1]!];
    } catch {
      return [];
    }
  })
  .sort();

const SHOTS = join(RESULTS_DIR, "course");
/**
 * A view's drawing: the diagram, or the root an HTML view names for itself (first in the page; a
 * lab's is the view beside its panel, whose step list scrolls and is checked in labs.browser.test.ts).
 */
const VIEW = '[data-testid="diagram"], [data-testid^="view-"]';
mkdirSync(SHOTS, { recursive: true });

/** A few steps in, so the picture shows the scene at work rather than its empty start. */
async function advance(page: import("playwright-core").Page): Promise<void> {
  for (let i = 0; i < 3; i++) await page.keyboard.press("n");
  await page.waitForTimeout(300);
}

describe("every view, as a room and a slide see it", () => {
  it("finds the views", () => {
    expect(ids.length).toBeGreaterThanOrEqual(6);
  });

  it.each(ids)("%s: 18 px words at 1280x720 in projector mode, 12 px in the 640x400 embed, no console error", async (id) => {
    const big = await open(`?scenario=${id}&seed=1&projector`, { width: 1280, height: 720 });
    await advance(big.page);
    const m = await measure(big.page, VIEW);
    await big.page.screenshot({ path: join(SHOTS, `${id}-projector.png`) });
    expect(m.minPx, `${id}: smallest word ${m.smallest}`).toBeGreaterThanOrEqual(18);
    expect(m.outside, `${id}: words off the screen`).toEqual([]);
    expect(big.errors).toEqual([]);

    const small = await open(`?scenario=${id}&seed=1&embed`, { width: 640, height: 400 });
    await advance(small.page);
    const e = await measure(small.page, VIEW);
    await small.page.screenshot({ path: join(SHOTS, `${id}-embed.png`) });
    expect(e.minPx, `${id} embed: smallest word ${e.smallest}`).toBeGreaterThanOrEqual(12);
    expect(small.errors).toEqual([]);
  });
});
