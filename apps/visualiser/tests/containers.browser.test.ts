import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { screenshot, type AppPage } from "./harness.js";
import { pagesPerTest } from "./pages.js";
import { MEASURE_HTML, type HtmlLegibility } from "../src/lib/scenarios/build/legibility.js";

// Issue 14, containers: the engine's process table in host PIDs beside the PIDs inside the
// container's PID namespace (`docker top` runs ps on the host, moby daemon/top_unix.go; `ps`
// inside numbers from 1, pid_namespaces(7)); the container's namespaces against the host's (a
// new pid, net, ipc, mnt, uts and cgroup namespace, the host's user namespace unless userns-remap);
// a memory hog with --memory OOM-killed at the cgroup's limit (exit 137, OOMKilled true: docs
// "Runtime options with Memory, CPUs, and GPUs"); `--pid host` sharing the host's PID namespace.
// Screenshots in test-results/.

const browser = pagesPerTest();

async function open(search: string, size = { width: 1280, height: 720 }): Promise<AppPage> {
  const p = await browser.open(search, size);
  await p.page.waitForSelector('[data-testid="view-containers"]');
  return p;
}

const caption = (page: Page) => page.locator('[data-testid="containers-caption"]').getAttribute("data-step");

/** Types the next step (the Next button), then the next notable event until the caption is `want`. */
async function step(page: Page, id: string, want: string): Promise<void> {
  expect(await page.locator('[data-testid="step-next"]').getAttribute("data-step")).toBe(id);
  const done = Number(await page.locator('[data-testid="steps"]').getAttribute("data-done"));
  await page.click('[data-testid="step-next"]');
  await page.waitForSelector(`[data-testid="steps"][data-done="${done + 1}"]`);
  // The click plays until the line has finished (or a notable event pauses it first).
  await page.waitForSelector('[data-testid="app"][data-playing="0"]', { timeout: 60_000 });
  // The next notable event until the caption is the step's; one event at a time while a line is
  // still running at the prompt (an instant command ends at the instant it was typed).
  for (let i = 0; i < 40; i++) {
    const busy = (await page.locator('[data-testid="steps"]').getAttribute("data-busy")) === "1";
    if (!busy && (await caption(page)) === want) break;
    await page.keyboard.press(busy ? "ArrowRight" : "PageDown");
    await page.waitForTimeout(50);
  }
  expect(await caption(page)).toBe(want);
}

const memory = (page: Page, name: string) => page.locator(`[data-testid="memory"][data-container="${name}"]`).evaluate((e) => ({
  usage: Number(e.getAttribute("data-usage")), limit: Number(e.getAttribute("data-limit")), oom: e.getAttribute("data-oom"), exit: e.getAttribute("data-exit"), status: e.getAttribute("data-status"),
}));

const hostShared = (page: Page, name: string) => page.locator(`[data-testid="ns-cell"][data-container="${name}"][data-host="1"]`).evaluateAll((cs) => cs.map((c) => c.getAttribute("data-kind")));

describe("containers (?scenario=containers)", () => {
  it("host PIDs beside namespace PIDs, namespaces, an OOM kill and --pid host", async () => {
    const p = await open("?scenario=containers&seed=1&speed=10");
    expect(await caption(p.page)).toBe("start");
    const web = await p.page.locator('[data-testid="proc"][data-container="web"]').evaluateAll((rs) => rs.map((r) => [Number(r.getAttribute("data-pid")), Number(r.getAttribute("data-ns-pid"))]));
    expect(web).toHaveLength(3);
    expect(web[0]![1]).toBe(1);
    expect(web.every(([host, ns]) => host! > 4000 && ns! < host!)).toBe(true);
    expect(await hostShared(p.page, "web")).toEqual(["user"]);

    await step(p.page, "top", "top");
    await step(p.page, "ps", "ps");
    await step(p.page, "hog", "hog");
    const climbing = await memory(p.page, "hog");
    expect(climbing.status).toBe("running");
    expect(climbing.usage).toBeGreaterThan(0);
    expect(climbing.usage).toBeLessThan(climbing.limit);
    for (let i = 0; i < 10 && (await caption(p.page)) !== "oom"; i++) {
      await p.page.keyboard.press("PageDown");
      await p.page.waitForTimeout(50);
    }
    expect(await memory(p.page, "hog")).toMatchObject({ oom: "1", exit: "137", status: "exited", limit: 1024 ** 3 });
    await step(p.page, "oom", "oom");
    await step(p.page, "pidhost", "pid-host");
    expect(await hostShared(p.page, "tools")).toEqual(["pid", "user"]);
    const sleep = p.page.locator('[data-testid="proc"][data-container="tools"]');
    expect(await sleep.getAttribute("data-ns-pid")).toBe(await sleep.getAttribute("data-pid"));
    expect(p.errors).toEqual([]);
  });

  for (const [mode, size, min] of [["projector", { width: 1280, height: 720 }, 18], ["embed", { width: 640, height: 400 }, 12]] as const) {
    it(`reads in ${mode} mode at ${size.width}x${size.height} (type at least ${min} px)`, async () => {
      const p = await open(`?scenario=containers&seed=1&speed=10&${mode}`, size);
      for (const [id, want] of [["top", "top"], ["ps", "ps"], ["hog", "hog"]] as const) await step(p.page, id, want);
      // Play a moment: the hog's memory climbs (a picture only; the assertions are on the final state).
      await p.page.keyboard.press(" ");
      await p.page.waitForTimeout(1200);
      await p.page.keyboard.press(" ");
      await screenshot(p.page, `containers-hog-${mode}-${size.width}x${size.height}`);
      for (let i = 0; i < 10 && (await caption(p.page)) !== "oom"; i++) await p.page.keyboard.press("PageDown");
      for (const [id, want] of [["oom", "oom"], ["pidhost", "pid-host"]] as const) await step(p.page, id, want);
      await p.page.waitForTimeout(300);
      const m = await p.page.evaluate(`(${MEASURE_HTML})('[data-testid="view-containers"]')`) as HtmlLegibility;
      await screenshot(p.page, `containers-${mode}-${size.width}x${size.height}`);
      expect(m.minPx, m.smallest).toBeGreaterThanOrEqual(min);
      expect(m.outside).toEqual([]);
      expect(m.overlaps).toEqual([]);
      expect(p.errors).toEqual([]);
    });
  }
});
