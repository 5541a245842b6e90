import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { screenshot, type AppPage } from "./harness.js";
import { pagesPerTest } from "./pages.js";
import { MEASURE_HTML, type HtmlLegibility } from "../src/lib/scenarios/build/legibility.js";

// Issue 14, single-host networks: two user-defined bridges, a request drawn hop by hop from the
// world's traffic trace. Docker docs "Bridge network driver" (a veth pair per container to its
// network's bridge; user-defined bridges resolve names through the embedded DNS server and are
// isolated from each other), "Packet filtering and firewalls" (the raw PREROUTING rule that drops
// direct access to a container from outside its bridge; docker-proxy for published ports).
// Screenshots in test-results/.

const browser = pagesPerTest();

async function open(search: string, size = { width: 1280, height: 720 }): Promise<AppPage> {
  const p = await browser.open(search, size);
  await p.page.waitForSelector('[data-testid="view-bridge"]');
  return p;
}

const caption = (page: Page) => page.locator('[data-testid="bridge-caption"]').getAttribute("data-step");

/** Types the next step, then events until its request is on the screen and the prompt is free. */
async function step(page: Page, id: string, want: string): Promise<void> {
  expect(await page.locator('[data-testid="step-next"]').getAttribute("data-step")).toBe(id);
  const done = Number(await page.locator('[data-testid="steps"]').getAttribute("data-done"));
  await page.click('[data-testid="step-next"]');
  await page.waitForSelector(`[data-testid="steps"][data-done="${done + 1}"]`);
  // The click plays until the line has finished (or a notable event pauses it first).
  await page.waitForSelector('[data-testid="app"][data-playing="0"]', { timeout: 60_000 });
  for (let i = 0; i < 40; i++) {
    const busy = (await page.locator('[data-testid="steps"]').getAttribute("data-busy")) === "1";
    if (!busy && (await caption(page)) === want) break;
    await page.keyboard.press(busy ? "ArrowRight" : "PageDown");
    await page.waitForTimeout(50);
  }
  expect(await caption(page)).toBe(want);
}

const hops = (page: Page) => page.locator('[data-testid="hop"]').evaluateAll((hs) => hs.map((h) => h.getAttribute("data-kind")));

describe("single-host networks (?scenario=bridge)", () => {
  it("a request across front's bridge, refused on a closed port, dropped between bridges, and through the published port", async () => {
    const p = await open("?scenario=bridge&seed=1&speed=10");
    expect(await caption(p.page)).toBe("start");
    expect(await p.page.locator('[data-testid="network"]').evaluateAll((ns) => ns.map((n) => n.getAttribute("data-name")))).toEqual(["front", "back"]);
    expect(await p.page.locator('[data-testid="port"]').allTextContents()).toEqual([":8080→80/tcp"]);

    await step(p.page, "web", "connected");
    expect(await hops(p.page)).toEqual(["route", "veth", "bridge", "iptables", "veth", "process"]);
    expect(await p.page.locator('[data-testid="hops"]').getAttribute("data-ok")).toBe("1");
    expect(await p.page.locator('[data-testid="attachment"][data-container="web"]').getAttribute("class")).toContain("lit");

    await step(p.page, "refused", "refused");
    expect(await p.page.locator('[data-testid="hops"]').getAttribute("data-outcome")).toBe("refused");

    await step(p.page, "isolated", "isolated");
    expect(await hops(p.page)).toEqual(["route", "veth", "bridge", "iptables"]);
    expect(await p.page.locator('[data-testid="hop"]').last().textContent()).toContain("raw PREROUTING");
    expect(await p.page.locator('[data-testid="attachment"][data-container="db"]').getAttribute("class")).not.toContain("lit");

    await step(p.page, "published", "published");
    expect(await hops(p.page)).toEqual(["loopback", "proxy", "bridge", "veth", "process"]);
    expect(p.errors).toEqual([]);
  });

  for (const [mode, size, min] of [["projector", { width: 1280, height: 720 }, 18], ["embed", { width: 640, height: 400 }, 12]] as const) {
    it(`reads in ${mode} mode at ${size.width}x${size.height} (type at least ${min} px)`, async () => {
      const p = await open(`?scenario=bridge&seed=1&speed=10&${mode}`, size);
      await step(p.page, "web", "connected");
      await step(p.page, "refused", "refused");
      await step(p.page, "isolated", "isolated");
      await p.page.waitForTimeout(2500); // the hops appear one after another
      const m = await p.page.evaluate(`(${MEASURE_HTML})('[data-testid="view-bridge"]')`) as HtmlLegibility;
      await screenshot(p.page, `bridge-${mode}-${size.width}x${size.height}`);
      expect(m.minPx, m.smallest).toBeGreaterThanOrEqual(min);
      expect(m.outside).toEqual([]);
      expect(m.overlaps).toEqual([]);
      expect(p.errors).toEqual([]);
    });
  }
});
