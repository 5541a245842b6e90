import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { screenshot, type AppPage } from "./harness.js";
import { pagesPerTest } from "./pages.js";

// Issue 17, story mode in the manner of The Secret Lives of Data (thesecretlivesofdata.com/raft):
// a caption per step, the run paused at each step's point, next (↓) and back (↑), then free play.
// Raft's points follow the paper (§5.2 an election: a candidate, then a leader with a majority;
// §5.3 an entry appended, then committed; a partition elects a second leader in a higher term,
// and on the heal the old one steps down); SWIM's (Das et al. 2002): a crashed member suspected,
// declared dead, the news reaching every member. Screenshots are kept in test-results/.

const browser = pagesPerTest();

const story = (page: Page) => page.locator('[data-testid="story"]');
const stepOf = async (page: Page) => ({ step: await story(page).getAttribute("data-step"), done: await story(page).getAttribute("data-done") });
const now = async (page: Page) => Number(await page.locator('[data-testid="app"]').getAttribute("data-now"));
const playing = async (page: Page) => (await page.locator('[data-testid="play"]').textContent())!.includes("Pause");

/** Next (↓), then wait until the run paused at the step's point. */
async function next(page: Page, want: string): Promise<void> {
  await page.keyboard.press("ArrowDown");
  await page.waitForSelector(`[data-testid="story"][data-step="${want}"][data-done="1"]`, { timeout: 90_000 });
  // The pause lands within a frame or two.
  await page.waitForFunction(() => !document.querySelector('[data-testid="play"]')!.textContent!.includes("Pause"), null, { timeout: 5_000 });
}

async function roles(page: Page): Promise<Record<string, string>> {
  return Object.fromEntries(await page.locator('[data-testid^="node-s"]').evaluateAll((gs) => gs.map((g) => [g.getAttribute("data-testid")!.slice(5), `${g.getAttribute("data-role")}@${g.getAttribute("data-term")}`])));
}

describe("story mode (?story=1)", () => {
  it("Raft: an election, a committed request, a partition and its heal, paused at each point; back returns; then free play", async () => {
    const p: AppPage = await browser.open("?scenario=raft&seed=1&story=1&speed=0.1");
    await p.page.waitForSelector('[data-testid="story"]');
    expect(await stepOf(p.page)).toEqual({ step: "followers", done: "1" });
    expect(await p.page.locator(".halo").count()).toBe(5);
    expect(await playing(p.page)).toBe(false);

    await next(p.page, "candidate");
    expect(Object.values(await roles(p.page)).some((r) => r.startsWith("candidate") || r.startsWith("precandidate"))).toBe(true);
    await next(p.page, "leader");
    const leaders = Object.entries(await roles(p.page)).filter(([, r]) => r.startsWith("leader"));
    expect(leaders).toHaveLength(1);
    const [first, firstRole] = leaders[0]!;
    // The leader is the one highlighted.
    expect(await p.page.locator(`[data-testid="node-${first}"] .halo`).count()).toBe(1);

    await next(p.page, "request");
    const appendedAt = await now(p.page);
    await next(p.page, "committed");
    expect(await now(p.page)).toBeGreaterThan(appendedAt);
    // Back: to where the step before paused, its caption up again.
    await p.page.keyboard.press("ArrowUp");
    await p.page.waitForSelector('[data-testid="story"][data-step="request"]');
    expect(await now(p.page)).toBe(appendedAt);
    await next(p.page, "committed");

    await next(p.page, "partition");
    const split = Object.entries(await roles(p.page)).filter(([, r]) => r.startsWith("leader"));
    // Two leaders: the old one, cut off, and one of a higher term on the majority's side.
    expect(split).toHaveLength(2);
    expect(split.map(([id]) => id)).toContain(first);
    expect(Math.max(...split.map(([, r]) => Number(r.split("@")[1])))).toBeGreaterThan(Number(firstRole.split("@")[1]));
    await screenshot(p.page, "story-raft-partition-1280x720");

    await next(p.page, "heal");
    expect(Object.values(await roles(p.page)).filter((r) => r.startsWith("leader"))).toHaveLength(1);
    await next(p.page, "free");
    await p.page.keyboard.press("ArrowDown");
    await p.page.waitForTimeout(200);
    expect(await story(p.page).count()).toBe(0);
    // The story's actions are in the action log: the link replays them.
    expect(p.errors).toEqual([]);
  });

  it("SWIM: a crashed member suspected, declared dead, then known dead by every member", async () => {
    const p = await browser.open("?scenario=gossip&seed=1&members=20&baseline=0&story=1&speed=1");
    await p.page.waitForSelector('[data-testid="story"]');
    expect(await stepOf(p.page)).toEqual({ step: "members", done: "1" });
    await next(p.page, "suspect");
    await next(p.page, "dead");
    await next(p.page, "spread");
    await screenshot(p.page, "story-swim-spread-1280x720");
    expect(p.errors).toEqual([]);
  });

  for (const [mode, size, min] of [["projector", { width: 1280, height: 720 }, 18], ["embed", { width: 640, height: 400 }, 12]] as const) {
    it(`the caption reads in ${mode} mode at ${size.width}x${size.height} (type at least ${min} px) and leaves the servers in view`, async () => {
      const p = await browser.open(`?scenario=raft&seed=1&story=1&speed=0.1&${mode}`, size);
      await p.page.waitForSelector('[data-testid="story"]');
      await next(p.page, "candidate");
      const m = await p.page.evaluate(() => {
        const s = document.querySelector('[data-testid="story"]')!;
        const r = s.getBoundingClientRect();
        const hits = [...document.querySelectorAll('[data-testid^="node-s"] circle.body')].filter((c) => {
          const b = c.getBoundingClientRect();
          return b.top < r.bottom && b.bottom > r.top && b.left < r.right && b.right > r.left;
        }).length;
        const px = Math.min(...[...s.querySelectorAll("p, button")].map((e) => parseFloat(getComputedStyle(e).fontSize)));
        return { px, hits, inside: r.bottom <= innerHeight && r.right <= innerWidth };
      });
      await screenshot(p.page, `story-raft-${mode}-${size.width}x${size.height}`);
      expect(m.px).toBeGreaterThanOrEqual(min);
      expect(m.hits).toBe(0);
      expect(m.inside).toBe(true);
      expect(p.errors).toEqual([]);
    });
  }
});
