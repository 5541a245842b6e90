import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { screenshot, type AppPage } from "./harness.js";
import { pagesPerTest } from "./pages.js";
import { MEASURE, type Legibility } from "../src/lib/scenarios/swarm/legibility.js";

// Issue 14, the routing mesh: a click on a node makes the client curl that node's published port.
// Docker's docs ("Use swarm mode routing mesh"): every node accepts connections on a published
// port and routes them to a running task, on it or on another node, over the ingress overlay;
// IPVS balances round robin over the VIP's tasks. With --endpoint-mode dnsrr and host-mode ports
// ("Bypass the routing mesh") only a node running a task answers. Screenshots in test-results/.

const browser = pagesPerTest();

async function open(search: string, size = { width: 1280, height: 720 }): Promise<AppPage> {
  const p = await browser.open(search, size);
  await p.page.waitForSelector('[data-testid="view-swarm"]');
  return p;
}


/** Nodes that run a web task, from the chips. */
async function busy(page: Page): Promise<string[]> {
  return page.locator('[data-testid="task"][data-state="running"]').evaluateAll((gs) => [...new Set(gs.map((g) => g.getAttribute("data-node")!))].sort());
}

async function route(page: Page): Promise<{ entry: string; task: string; host: string; overlay: boolean } | null> {
  const r = page.locator('[data-testid="mesh-route"]');
  if ((await r.count()) === 0) return null;
  return { entry: (await r.getAttribute("data-entry"))!, task: (await r.getAttribute("data-task"))!, host: (await r.getAttribute("data-task-host"))!, overlay: (await r.getAttribute("data-overlay")) === "1" };
}

/** Next notable event until `done` (a request answered is one). */
async function next(page: Page, done: () => Promise<boolean>, presses = 12): Promise<void> {
  for (let i = 0; i < presses && !(await done()); i++) {
    await page.keyboard.press("PageDown");
    await page.waitForTimeout(60);
  }
}

async function measure(page: Page): Promise<Legibility> {
  await page.waitForTimeout(1300); // the request's dot runs for 1.2 s
  return page.evaluate(`(${MEASURE})()`) as Promise<Legibility>;
}

describe("swarm routing mesh (?scenario=routing-mesh)", () => {
  it("a request to a node with no task reaches a task on another node, through ingress, IPVS and the overlay", async () => {
    const p = await open("?scenario=routing-mesh&seed=1");
    expect(await p.page.locator('[data-testid="swarm-caption"]').getAttribute("data-step")).toBe("mesh-ready");
    const withTasks = await busy(p.page);
    expect(withTasks).toHaveLength(3);
    const idle = ["worker1", "worker2", "worker3", "worker4"].find((n) => !withTasks.includes(n))!;
    await p.page.click(`[data-testid="node-${idle}"]`);
    await next(p.page, async () => (await route(p.page)) !== null);
    const r = (await route(p.page))!;
    expect(r.entry).toBe(idle);
    expect(r.host).not.toBe(idle);
    expect(withTasks).toContain(r.host);
    expect(r.task).toMatch(/^web\.[1-3]$/);
    expect(r.overlay).toBe(true);
    expect(await p.page.locator('[data-testid="mesh-route"]').textContent()).toContain("IPVS");
    expect(await p.page.locator('[data-testid="mesh-path"]').count()).toBe(1);
    expect(await p.page.locator('[data-testid="swarm-caption"]').getAttribute("data-step")).toBe("overlay");
    expect(p.errors).toEqual([]);
  });

  it("a stream of six requests spreads over the three tasks, two each", async () => {
    const p = await open("?scenario=routing-mesh&seed=1");
    await p.page.click('[data-testid="mesh-stream"]');
    const total = async () => (await p.page.locator('[data-testid="mesh-served"] .count').allTextContents()).reduce((a, s) => a + Number(s.split("×")[1]), 0);
    await next(p.page, async () => (await total()) >= 6, 20);
    expect(await p.page.locator('[data-testid="mesh-served"] .count').allTextContents()).toEqual(["web.1 ×2", "web.2 ×2", "web.3 ×2"]);
    expect(p.errors).toEqual([]);
  });

  it("DNSRR with a host-mode port: a node without a task refuses the request", async () => {
    const p = await open("?scenario=routing-mesh&seed=1&mode=dnsrr");
    expect(await p.page.locator('[data-testid="swarm-caption"]').getAttribute("data-step")).toBe("host-ready");
    const withTasks = await busy(p.page);
    const idle = ["worker1", "worker2", "worker3", "worker4"].find((n) => !withTasks.includes(n))!;
    await p.page.click(`[data-testid="node-${idle}"]`);
    await next(p.page, async () => (await route(p.page)) !== null);
    expect(await route(p.page)).toMatchObject({ entry: idle, task: "", overlay: false });
    expect(await p.page.locator('[data-testid="swarm-caption"]').getAttribute("data-step")).toBe("refused");
    await screenshot(p.page, "routing-mesh-dnsrr-refused-1280x720");
    expect(p.errors).toEqual([]);
  });

  for (const [mode, size, min] of [["projector", { width: 1280, height: 720 }, 18], ["embed", { width: 640, height: 400 }, 12]] as const) {
    it(`a request across the overlay reads in ${mode} mode at ${size.width}x${size.height} (type at least ${min} px)`, async () => {
      const p = await open(`?scenario=routing-mesh&seed=1&${mode}`, size);
      await p.page.click('[data-testid="node-worker4"]');
      await next(p.page, async () => (await route(p.page)) !== null);
      expect((await route(p.page))?.overlay).toBe(true);
      const m = await measure(p.page);
      await screenshot(p.page, `routing-mesh-${mode}-${size.width}x${size.height}`);
      expect(m.minPx, m.smallest).toBeGreaterThanOrEqual(min);
      expect(m.outside).toEqual([]);
      expect(m.overlaps).toEqual([]);
      expect(p.errors).toEqual([]);
    });
  }
});
