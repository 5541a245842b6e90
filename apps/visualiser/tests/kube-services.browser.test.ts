import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { screenshot, type AppPage } from "./harness.js";
import { pagesPerTest } from "./pages.js";
import { MEASURE_KUBE, type KubeLegibility } from "../src/lib/scenarios/kube-rollout/legibility.js";

// Issue 15, the services view: a request to web's ClusterIP reaches a ready pod that kube-proxy's
// iptables statistic match drew (pkg/proxy/iptables/proxier.go); the NodePort of control-plane,
// which runs no web pod, forwards to a pod on a worker; a NetworkPolicy selecting web's pods lets
// only role=client in (networking.k8s.io/v1: a selected pod accepts only what a rule allows), so
// other's arrows turn red and its request is dropped. Screenshots in test-results/.

const browser = pagesPerTest();

async function open(search: string, size = { width: 1280, height: 720 }): Promise<AppPage> {
  const p = await browser.open(search, size);
  await p.page.waitForSelector('[data-testid="view-kube-services"]');
  return p;
}

const step = (page: Page) => page.locator('[data-testid="kube-caption"]').getAttribute("data-step");

async function route(page: Page): Promise<{ from: string; via: string; pod: string; node: string; outcome: string } | null> {
  const r = page.locator('[data-testid="kube-route"]');
  if ((await r.count()) === 0) return null;
  return r.evaluate((e) => ({ from: e.getAttribute("data-from")!, via: e.getAttribute("data-via")!, pod: e.getAttribute("data-pod")!, node: e.getAttribute("data-node")!, outcome: e.getAttribute("data-outcome")! }));
}

/** Next notable event (a request answered or dropped) until `done`. */
async function next(page: Page, done: () => Promise<boolean>, presses = 8): Promise<void> {
  for (let i = 0; i < presses && !(await done()); i++) {
    await page.keyboard.press("PageDown");
    await page.waitForTimeout(80);
  }
}

const arrows = (page: Page) => page.locator('[data-testid="kube-arrow"]').evaluateAll((els) => els.map((e) => `${e.getAttribute("data-from")}>${e.getAttribute("data-allowed")}`));

describe("Kubernetes services (?scenario=kube-services)", () => {
  it("ClusterIP and NodePort requests reach web's pods; the EndpointSlice lists the ready ones", async () => {
    const p = await open("?scenario=kube-services&seed=1");
    expect(await step(p.page)).toBe("ready");
    const web = await p.page.locator('[data-testid="kube-pod"][data-role="web"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-name")!));
    expect(web).toHaveLength(2);
    expect(await p.page.locator('[data-testid="kube-endpoints"] tspan[data-ready="1"]').count()).toBe(2);
    expect(await p.page.locator('[data-testid="kube-node-control-plane"]').textContent()).toContain("no pods");
    await p.page.click('[data-testid="kube-req-clusterip"]');
    await next(p.page, async () => (await route(p.page)) !== null);
    const r = (await route(p.page))!;
    expect(r).toMatchObject({ from: "client", via: "clusterip", outcome: "connected" });
    expect(web).toContain(r.pod);
    expect(await p.page.locator('[data-testid="kube-route"]').textContent()).toMatch(/draws 0\.\d+ of 2 endpoints/);
    expect(await p.page.locator('[data-testid="kube-request-path"]').count()).toBe(1);
    await p.page.click('[data-testid="kube-req-nodeport"]');
    await next(p.page, async () => (await route(p.page))?.via === "nodeport");
    expect(await route(p.page)).toMatchObject({ from: "node-2", via: "nodeport", outcome: "connected" });
    expect(await step(p.page)).toBe("nodeport");
    expect(p.errors).toEqual([]);
  }, 120_000);

  it("scaling up: the new pod joins the EndpointSlice as a ready endpoint only once it is ready", async () => {
    const p = await open("?scenario=kube-services&seed=1");
    await p.page.click('[data-testid="kube-scale"]');
    // While it starts: a web pod not ready, not an endpoint (the EndpointSlice controller marks it ready=false).
    await p.page.waitForSelector('[data-testid="kube-pod"][data-role="web"][data-ready="0"]', { timeout: 30_000 });
    expect(await p.page.locator('[data-testid="kube-pod"][data-role="web"][data-ready="0"]').getAttribute("data-endpoint")).toBe("0");
    expect(await step(p.page)).toBe("not-ready");
    const ready = () => p.page.locator('[data-testid="kube-endpoints"] tspan[data-ready="1"]').count();
    await next(p.page, async () => (await ready()) === 3);
    expect(await ready()).toBe(3);
    expect(await p.page.locator('[data-testid="kube-pod"][data-role="web"][data-endpoint="1"]').count()).toBe(3);
    expect(p.errors).toEqual([]);
  }, 120_000);

  it("a NetworkPolicy turns other's arrows red and drops its request", async () => {
    const p = await open("?scenario=kube-services&seed=1");
    expect(new Set(await arrows(p.page))).toEqual(new Set(["client>1", "other>1"]));
    await p.page.click('[data-testid="kube-policy"]');
    for (let i = 0; i < 20 && (await step(p.page)) !== "policy"; i++) await p.page.waitForTimeout(100);
    expect(await step(p.page)).toBe("policy");
    expect(new Set(await arrows(p.page))).toEqual(new Set(["client>1", "other>0"]));
    await p.page.click('[data-testid="kube-req-other"]');
    await next(p.page, async () => (await route(p.page)) !== null);
    expect(await route(p.page)).toMatchObject({ from: "other", pod: "" });
    expect(await step(p.page)).toBe("dropped");
    expect(await p.page.locator('[data-testid="kube-dropped"]').count()).toBe(1);
    await screenshot(p.page, "kube-services-dropped-1280x720");
    expect(p.errors).toEqual([]);
  });

  for (const [mode, size, min] of [["projector", { width: 1280, height: 720 }, 18], ["embed", { width: 640, height: 400 }, 12]] as const) {
    it(`the policy's arrows and a dropped request read in ${mode} mode at ${size.width}x${size.height} (type at least ${min} px)`, async () => {
      const p = await open(`?scenario=kube-services&seed=1&${mode}`, size);
      await p.page.click('[data-testid="kube-policy"]');
      for (let i = 0; i < 20 && (await step(p.page)) !== "policy"; i++) await p.page.waitForTimeout(100);
      await p.page.click('[data-testid="kube-req-other"]');
      await next(p.page, async () => (await route(p.page)) !== null);
      expect(await p.page.locator('[data-testid="kube-dropped"]').count()).toBe(1);
      await p.page.waitForTimeout(1300); // the request's dot runs for 1.2 s
      const m = (await p.page.evaluate(`(${MEASURE_KUBE})()`)) as KubeLegibility;
      await screenshot(p.page, `kube-services-${mode}-${size.width}x${size.height}`);
      expect(m.minPx, m.smallest).toBeGreaterThanOrEqual(min);
      expect(m.outside).toEqual([]);
      expect(m.clipped).toEqual([]);
      expect(m.overlaps).toEqual([]);
      expect(p.errors).toEqual([]);
    });
  }
});
