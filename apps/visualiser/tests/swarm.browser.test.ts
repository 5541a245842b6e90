import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { readRun, screenshot, type AppPage } from "./harness.js";
import { pagesPerTest } from "./pages.js";
import { MEASURE, type Legibility } from "../src/lib/scenarios/swarm/legibility.js";

// Issue 14, node failure: the playground runs in the page; a worker crashed from the view loses
// its tasks to the other nodes once the leader marks it Down (SwarmKit: 3 missed 5 s heartbeats).
// Screenshots at 1280x720 in projector mode and in the 640x400 embed are kept in test-results/.

const browser = pagesPerTest();

async function open(search: string, size = { width: 1280, height: 720 }): Promise<AppPage> {
  const p = await browser.open(search, size);
  await p.page.waitForSelector('[data-testid="view-swarm"]');
  return p;
}


interface Chip { name: string; node: string; state: string; lost: boolean }

async function chips(page: Page): Promise<Chip[]> {
  return page.locator('[data-testid="task"]').evaluateAll((gs) => gs.map((g) => ({
    name: g.getAttribute("data-name")!, node: g.getAttribute("data-node")!, state: g.getAttribute("data-state")!, lost: g.getAttribute("data-lost") === "1",
  })));
}

const live = (cs: Chip[]) => cs.filter((c) => c.state === "running" && !c.lost);

async function measure(page: Page): Promise<Legibility> {
  // Chips glide for 0.7 s when they move: measure where they stop.
  await page.waitForTimeout(900);
  return page.evaluate(`(${MEASURE})()`) as Promise<Legibility>;
}

describe("swarm node failure (?scenario=node-failure)", () => {
  let moved = "";

  it("opens on six running web tasks, with no console errors", async () => {
    const p = await open("?scenario=node-failure&seed=1");
    const cs = await chips(p.page);
    expect(live(cs).map((c) => c.name).sort()).toEqual(["web.1", "web.2", "web.3", "web.4", "web.5", "web.6"]);
    expect(cs.every((c) => c.name.startsWith("web."))).toBe(true);
    expect(await p.page.locator('[data-testid="swarm-caption"]').getAttribute("data-step")).toBe("steady");
    expect(await p.page.locator('[data-testid="service-web"]').getAttribute("data-running")).toBe("6");
    expect(await p.page.locator('[data-testid="task"] text').first().textContent()).toMatch(/web\.\d nginx:latest/);
    expect(p.errors).toEqual([]);
  });

  it("crashing a worker from the view moves its tasks to other nodes within SwarmKit's bound", async () => {
    const p = await open("?scenario=node-failure&seed=1");
    const before = live(await chips(p.page));
    const victim = before.find((c) => c.node.startsWith("worker"))!.node;
    const lost = before.filter((c) => c.node === victim).map((c) => c.name);
    await p.page.click(`[data-testid="node-${victim}"]`);
    await p.page.waitForSelector(`[data-testid="node-${victim}"][data-up="0"]`);
    const t0 = (await readRun(p.page)).now;
    expect(await p.page.locator('[data-testid="swarm-caption"]').getAttribute("data-step")).toBe("worker-down");
    // Next notable event until the lost tasks run elsewhere (node marked Down, then tasks running).
    let cs = await chips(p.page);
    for (let i = 0; i < 8 && !lost.every((name) => live(cs).some((c) => c.name === name && c.node !== victim)); i++) {
      await p.page.keyboard.press("PageDown");
      await p.page.waitForSelector('[data-testid="notice"]');
      cs = await chips(p.page);
    }
    const t1 = (await readRun(p.page)).now;
    expect(live(cs).map((c) => c.name).sort()).toEqual(["web.1", "web.2", "web.3", "web.4", "web.5", "web.6"]);
    for (const name of lost) expect(live(cs).find((c) => c.name === name)!.node).not.toBe(victim);
    // The leader waits out the grace (3 heartbeats of 5 s) before it marks the node Down.
    expect(t1 - t0).toBeGreaterThanOrEqual(10_000_000);
    expect(t1 - t0).toBeLessThanOrEqual(20_000_000);
    expect(await p.page.locator(`[data-testid="node-${victim}"]`).getAttribute("data-status")).toBe("Down");
    expect(await p.page.locator('[data-testid="swarm-caption"]').getAttribute("data-step")).toBe("moved");
    // The old tasks stay on the dead node, crossed out.
    expect(cs.filter((c) => c.node === victim && c.lost).map((c) => c.name).sort()).toEqual([...lost].sort());
    await screenshot(p.page, "swarm-node-failure-1280x720");
    moved = new URL(p.page.url()).search + new URL(p.page.url()).hash;
    expect(p.errors).toEqual([]);
  });

  it("crashing the leader from the view: Raft elects another manager and web keeps running", async () => {
    const p = await open("?scenario=node-failure&seed=1&projector");
    await p.page.click('[data-testid="node-manager1"]');
    await p.page.waitForSelector('[data-testid="node-manager1"][data-up="0"]');
    expect(await p.page.locator('[data-testid="swarm-caption"]').getAttribute("data-step")).toBe("no-leader");
    const step = () => p.page.locator('[data-testid="swarm-caption"]').getAttribute("data-step");
    for (let i = 0; i < 6 && (await step()) !== "manager-down"; i++) {
      await p.page.keyboard.press("PageDown");
      await p.page.waitForSelector('[data-testid="notice"]');
    }
    expect(await step()).toBe("manager-down");
    expect(await p.page.locator(".node.leader").count()).toBe(1);
    expect(["node-manager2", "node-manager3"]).toContain(await p.page.locator(".node.leader").getAttribute("data-testid"));
    // The tasks on the crashed manager are still listed running until it is marked Down; none of the others stopped.
    expect(live(await chips(p.page)).length).toBeGreaterThanOrEqual(5);
    const m = await measure(p.page);
    await screenshot(p.page, "swarm-leader-failure-projector-1280x720");
    expect(m.minPx, m.smallest).toBeGreaterThanOrEqual(18);
    expect(m.outside).toEqual([]);
    expect(m.overlaps).toEqual([]);
    expect(p.errors).toEqual([]);
  });

  it("in the 640x400 embed, a crashed worker's box and the longest caption still fit", async () => {
    const p = await open("?scenario=node-failure&seed=1&embed", { width: 640, height: 400 });
    await p.page.click('[data-testid="node-worker1"]');
    await p.page.waitForSelector('[data-testid="node-worker1"][data-up="0"]');
    expect(await p.page.locator('[data-testid="swarm-caption"]').getAttribute("data-step")).toBe("worker-down");
    const m = await measure(p.page);
    await screenshot(p.page, "swarm-worker-down-embed-640x400");
    expect(m.minPx, m.smallest).toBeGreaterThanOrEqual(12);
    expect(m.outside).toEqual([]);
    expect(m.overlaps).toEqual([]);
    expect(p.errors).toEqual([]);
  });

  it("the link reproduces the screen, and reads at 1280x720 projector (18 px) and in the 640x400 embed (12 px)", async () => {
    expect(moved).not.toBe("");
    const a = await open(moved);
    const shown = await chips(a.page);
    const again = await open(moved);
    expect(await chips(again.page)).toEqual(shown);
    for (const [mode, size, min] of [["projector", { width: 1280, height: 720 }, 18], ["embed", { width: 640, height: 400 }, 12]] as const) {
      const p = await open(`${moved.split("#")[0]}&${mode}${moved.includes("#") ? "#" + moved.split("#")[1] : ""}`, size);
      expect(await chips(p.page)).toEqual(shown);
      const m = await measure(p.page);
      await screenshot(p.page, `swarm-node-failure-${mode}-${size.width}x${size.height}`);
      expect(m.minPx, `${mode}: smallest word ${m.smallest}`).toBeGreaterThanOrEqual(min);
      expect(m.outside, mode).toEqual([]);
      expect(m.overlaps, mode).toEqual([]);
      expect(p.errors).toEqual([]);
    }
  });
});
