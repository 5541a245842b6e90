import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { screenshot, type AppPage } from "./harness.js";
import { pagesPerTest } from "./pages.js";
import { MEASURE_KUBE, type KubeLegibility } from "../src/lib/scenarios/kube-rollout/legibility.js";

// Issue 15, the rollout view: Deployment → ReplicaSets → Pods through `kubectl set image` and
// `kubectl rollout undo`, typed on the control plane by the view's buttons. The deployment
// controller moves the pods from the old ReplicaSet to the new within maxSurge/maxUnavailable
// (kubernetes pkg/controller/deployment/rolling.go); the undo scales the old ReplicaSet back up
// as the newest revision. Beside the tree, the components that acted (the Events' sources).
// Screenshots in test-results/.

const browser = pagesPerTest();

async function open(search: string, size = { width: 1280, height: 720 }): Promise<AppPage> {
  const p = await browser.open(search, size);
  await p.page.waitForSelector('[data-testid="kube-tree"]');
  return p;
}

interface Rs { name: string; image: string; desired: number; ready: number; revision: number; current: boolean; pods: number }

async function rss(page: Page): Promise<Rs[]> {
  return page.locator('[data-testid="kube-rs"]').evaluateAll((els) => els.map((e) => ({
    name: e.getAttribute("data-name")!, image: e.getAttribute("data-image")!, desired: Number(e.getAttribute("data-desired")), ready: Number(e.getAttribute("data-ready")),
    revision: Number(e.getAttribute("data-revision")), current: e.getAttribute("data-current") === "1",
    pods: e.querySelectorAll('[data-testid="kube-pod"]:not([data-state="terminating"])').length,
  })));
}

const step = (page: Page) => page.locator('[data-testid="kube-caption"]').getAttribute("data-step");

/** A button's click plays on to the next notable event, where the run pauses (auto-pause). */
const paused = (page: Page) => page.waitForSelector('[data-testid="app"][data-playing="0"]', { timeout: 60_000 });

/** Next notable event (PageDown: a ReplicaSet scaled) until the caption's step is `want`; returns the trees seen. */
async function until(page: Page, want: string, presses = 30): Promise<{ trees: Rs[][]; active: string[] }> {
  const trees: Rs[][] = [];
  const active = new Set<string>();
  for (let i = 0; i < presses && (await step(page)) !== want; i++) {
    await page.keyboard.press("PageDown");
    await page.waitForTimeout(80);
    trees.push(await rss(page));
    for (const c of await page.locator('[data-testid^="kube-comp-"][data-active="1"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")!))) active.add(c);
  }
  return { trees, active: [...active] };
}

describe("Kubernetes rollout (?scenario=kube-rollout)", () => {
  it("a rolling update moves the pods to a new ReplicaSet in steps, and rollout undo moves them back", async () => {
    const p = await open("?scenario=kube-rollout&seed=1");
    expect(await step(p.page)).toBe("steady");
    const [first] = await rss(p.page);
    expect(first).toMatchObject({ image: "nginx:1.25", desired: 4, ready: 4, current: true, pods: 4 });
    await p.page.click('[data-testid="kube-update"]');
    await paused(p.page);
    const up = await until(p.page, "updated");
    expect(await step(p.page)).toBe("updated");
    // At some step both ReplicaSets held pods, never more than 4 + maxSurge 1.
    expect(up.trees.some((t) => t.filter((r) => r.pods > 0).length === 2)).toBe(true);
    for (const t of up.trees) expect(t.reduce((a, r) => a + r.pods, 0)).toBeLessThanOrEqual(5);
    expect(up.active).toEqual(expect.arrayContaining(["kube-comp-controller-manager", "kube-comp-api-server", "kube-comp-etcd"]));
    const after = await rss(p.page);
    expect(after[0]).toMatchObject({ image: "nginx:1.27", desired: 4, ready: 4, current: true, revision: 2 });
    expect(after[1]).toMatchObject({ name: first!.name, desired: 0, current: false });
    await p.page.click('[data-testid="kube-undo"]');
    await paused(p.page);
    await until(p.page, "undone");
    const back = await rss(p.page);
    expect(back[0]).toMatchObject({ name: first!.name, image: "nginx:1.25", desired: 4, ready: 4, current: true, revision: 3 });
    expect(await p.page.locator('[data-testid="kube-command"]').textContent()).toContain("kubectl rollout undo deployment/web");
    expect(await p.page.locator('[data-testid="kube-steps"] li').count()).toBeGreaterThan(0);
    expect(p.errors).toEqual([]);
  }, 120_000);

  it("the terminal panel drives the same world: kubectl scale typed there shrinks the tree", async () => {
    const p = await open("?scenario=kube-rollout&seed=1&term=1");
    await p.page.waitForSelector('[data-testid="terminal"] .xterm-rows');
    await p.page.click('[data-testid="terminal"]');
    await p.page.keyboard.type("kubectl scale deployment web --replicas=2");
    await p.page.keyboard.press("Enter");
    await p.page.waitForFunction(() => document.querySelector('[data-testid="kube-rs"]')?.getAttribute("data-desired") === "2", undefined, { timeout: 60_000 });
    // kubectl's line for a scale (kubectl/pkg/cmd/scale: "deployment.apps/web scaled").
    expect(await p.page.locator('[data-testid="terminal-text"]').evaluate((el) => el.textContent ?? "")).toContain("deployment.apps/web scaled");
    expect(p.errors).toEqual([]);
  }, 120_000);

  for (const [mode, size, min] of [["projector", { width: 1280, height: 720 }, 18], ["embed", { width: 640, height: 400 }, 12]] as const) {
    it(`mid-rollout reads in ${mode} mode at ${size.width}x${size.height} (type at least ${min} px)`, async () => {
      const p = await open(`?scenario=kube-rollout&seed=1&${mode}`, size);
      await p.page.click('[data-testid="kube-update"]');
      await paused(p.page);
      await until(p.page, "rolling");
      expect(await step(p.page)).toBe("rolling");
      const m = (await p.page.evaluate(`(${MEASURE_KUBE})()`)) as KubeLegibility;
      await screenshot(p.page, `kube-rollout-${mode}-${size.width}x${size.height}`);
      expect(m.minPx, m.smallest).toBeGreaterThanOrEqual(min);
      expect(m.outside).toEqual([]);
      expect(m.clipped).toEqual([]);
      expect(p.errors).toEqual([]);
    });
  }

  // QA walk of session 5, D9: every scene's button plays on after its command, as the build's and secrets' do.
  it("Update shows its effect without Play: the rollout starts and the run pauses at its first step", async () => {
    const p = await open("?scenario=kube-rollout&seed=1");
    const before = Number(await p.page.locator('[data-testid="app"]').getAttribute("data-now"));
    await p.page.click('[data-testid="kube-update"]');
    await paused(p.page);
    expect(Number(await p.page.locator('[data-testid="app"]').getAttribute("data-now"))).toBeGreaterThan(before);
    expect(await step(p.page)).toBe("rolling");
    // kubectl describe's order, oldest first, and the scheduler's own words (kube-scheduler schedule_one.go).
    const steps = await p.page.locator('[data-testid="kube-steps"] li').allTextContents();
    expect(steps.length).toBeGreaterThan(0);
    await until(p.page, "updated");
    const all = await p.page.locator('[data-testid="kube-steps"] li').allTextContents();
    for (const line of all.filter((l) => l.startsWith("default-scheduler"))) expect(line).toMatch(/^default-scheduler Successfully assigned default\/web-\S+ to node-\d$/);
    expect(p.errors).toEqual([]);
  }, 120_000);
});
