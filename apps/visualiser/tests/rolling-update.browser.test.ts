import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { screenshot, type AppPage } from "./harness.js";
import { pagesPerTest } from "./pages.js";
import { MEASURE, type Legibility } from "../src/lib/scenarios/swarm/legibility.js";

// Issue 14, rolling update: the buttons type `docker service update` on the leader; an update to a
// bad image (busybox running `false`, exit 1 at once) fails within the monitor period and, with
// --update-failure-action rollback, SwarmKit's updater rolls back (UpdateStatus rollback_started,
// then rollback_completed: swarmkit manager/orchestrator/update/updater.go). Screenshots at
// 1280x720 in projector mode and in the 640x400 embed are kept in test-results/.

const browser = pagesPerTest();

async function open(search: string, size = { width: 1280, height: 720 }): Promise<AppPage> {
  const p = await browser.open(search, size);
  await p.page.waitForSelector('[data-testid="view-swarm"]');
  return p;
}


interface Chip { name: string; node: string; state: string; image: string; stopping: boolean; lost: boolean }

async function chips(page: Page): Promise<Chip[]> {
  return page.locator('[data-testid="task"]').evaluateAll((gs) => gs.map((g) => ({
    name: g.getAttribute("data-name")!, node: g.getAttribute("data-node")!, state: g.getAttribute("data-state")!,
    image: g.getAttribute("data-image")!, stopping: g.getAttribute("data-stopping") === "1", lost: g.getAttribute("data-lost") === "1",
  })));
}

const live = (cs: Chip[]) => cs.filter((c) => c.state === "running" && !c.lost && !c.stopping);
const state = (page: Page) => page.locator('[data-testid="update-bar"]').getAttribute("data-state");

async function measure(page: Page): Promise<Legibility> {
  await page.waitForTimeout(900); // chips glide for 0.7 s
  return page.evaluate(`(${MEASURE})()`) as Promise<Legibility>;
}

/** Next notable event (PageDown) until the update's state is `want`; returns the states passed. */
async function until(page: Page, want: string, presses = 30): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < presses && (await state(page)) !== want; i++) {
    await page.keyboard.press("PageDown");
    await page.waitForTimeout(60);
    seen.push((await state(page)) ?? "");
  }
  return seen;
}

describe("swarm rolling update (?scenario=rolling-update)", () => {
  it("opens on six web tasks of nginx:1.25 with the update config shown, with no console errors", async () => {
    const p = await open("?scenario=rolling-update&seed=1");
    const cs = await chips(p.page);
    expect(live(cs).map((c) => `${c.name} ${c.image}`).sort()).toEqual([1, 2, 3, 4, 5, 6].map((i) => `web.${i} nginx:1.25`));
    expect(await p.page.locator('[data-testid="task"] text').first().textContent()).toMatch(/web\.\d nginx:1\.25/);
    expect(await state(p.page)).toBe("none");
    expect(await p.page.locator('[data-testid="update-delay"]').textContent()).toBe("delay 10 s");
    expect(await p.page.locator('[data-testid="update-monitor"]').textContent()).toBe("monitor 5 s");
    expect(await p.page.locator('[data-testid="update-failures"]').textContent()).toBe("failures 0");
    expect(await p.page.locator('[data-testid="swarm-caption"]').getAttribute("data-step")).toBe("steady");
    expect(p.errors).toEqual([]);
  });

  it("an update to a failing image rolls back: rollback_completed, and every chip shows the old version", async () => {
    const p = await open("?scenario=rolling-update&seed=1&failure=rollback");
    await p.page.click('[data-testid="update-bad"]');
    const seen = await until(p.page, "rollback_completed");
    expect(seen).toContain("rollback_started");
    expect(await state(p.page)).toBe("rollback_completed");
    expect(Number(await p.page.locator('[data-testid="update-bar"]').getAttribute("data-failures"))).toBeGreaterThan(0);
    const cs = await chips(p.page);
    expect(live(cs).map((c) => `${c.name} ${c.image}`).sort()).toEqual([1, 2, 3, 4, 5, 6].map((i) => `web.${i} nginx:1.25`));
    expect(cs.some((c) => c.image === "busybox:1.36" && c.state === "running")).toBe(false);
    expect(await p.page.locator('[data-testid="swarm-caption"]').getAttribute("data-step")).toBe("rollback_completed");
    await p.page.waitForTimeout(900); // chips glide for 0.7 s
    await screenshot(p.page, "rolling-update-rolled-back-1280x720");
    expect(p.errors).toEqual([]);
  });

  it("with --update-failure-action pause the bad image pauses the update; Roll back brings the old version", async () => {
    const p = await open("?scenario=rolling-update&seed=1&failure=pause");
    await p.page.click('[data-testid="update-bad"]');
    await until(p.page, "paused");
    expect(await state(p.page)).toBe("paused");
    expect(await p.page.locator('[data-testid="swarm-caption"]').getAttribute("data-step")).toBe("paused");
    await p.page.click('[data-testid="update-rollback"]');
    await until(p.page, "rollback_completed");
    expect(await state(p.page)).toBe("rollback_completed");
    expect(live(await chips(p.page)).every((c) => c.image === "nginx:1.25")).toBe(true);
    expect(p.errors).toEqual([]);
  });

  for (const [mode, size, min] of [["projector", { width: 1280, height: 720 }, 18], ["embed", { width: 640, height: 400 }, 12]] as const) {
    it(`mid-update, start-first, reads in ${mode} mode at ${size.width}x${size.height} (type at least ${min} px)`, async () => {
      const p = await open(`?scenario=rolling-update&seed=1&order=start-first&${mode}`, size);
      await p.page.click('[data-testid="update-good"]');
      // Into the update: the first batch's new tasks run beside the old ones (start-first).
      for (let i = 0; i < 12 && !(await chips(p.page)).some((c) => c.image === "nginx:1.27" && c.state === "running"); i++) {
        await p.page.keyboard.press("PageDown");
        await p.page.waitForTimeout(60);
      }
      expect(await state(p.page)).toBe("updating");
      const m = await measure(p.page);
      await screenshot(p.page, `rolling-update-${mode}-${size.width}x${size.height}`);
      expect(m.minPx, m.smallest).toBeGreaterThanOrEqual(min);
      expect(m.outside).toEqual([]);
      expect(m.overlaps).toEqual([]);
      expect(p.errors).toEqual([]);
    });
  }
});
