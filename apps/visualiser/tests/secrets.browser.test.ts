import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { screenshot, type AppPage } from "./harness.js";
import { pagesPerTest } from "./pages.js";

// Issue 14, secrets: the buttons type `docker secret create`, `docker service create --secret` and
// `docker service update --secret-rm` on the leader. Docker's docs ("Manage sensitive data with
// Docker secrets", How Docker manages secrets): the secret is encrypted at rest in the managers'
// Raft log, sent only to the nodes running a service granted it, mounted in memory at
// /run/secrets/<name>, and removed from the node when the task stops or the grant goes.
// Screenshots at 1280x720 in projector mode and in the 640x400 embed are kept in test-results/.

const browser = pagesPerTest();

async function open(search: string, size = { width: 1280, height: 720 }): Promise<AppPage> {
  const p = await browser.open(search, size);
  await p.page.waitForSelector('[data-testid="view-secrets"]');
  return p;
}

const step = (page: Page) => page.locator('[data-testid="secrets-caption"]').getAttribute("data-step");

const playing = async (page: Page) => (await page.locator('[data-testid="app"]').getAttribute("data-playing")) === "1";

/** Plays (auto-pause off) until the caption's step is `want`, then pauses (a button's click already plays on). */
async function until(page: Page, want: string): Promise<void> {
  if (!(await playing(page))) await page.click('[data-testid="play"]');
  await page.waitForSelector(`[data-testid="secrets-caption"][data-step="${want}"]`, { timeout: 90_000 });
  if (await playing(page)) await page.click('[data-testid="play"]');
  expect(await step(page)).toBe(want);
}

async function nodes(page: Page): Promise<{ host: string; held: string; sealed: string }[]> {
  return page.locator('[data-testid^="secret-node-"]').evaluateAll((els) => els.map((e) => ({
    host: e.getAttribute("data-testid")!.slice("secret-node-".length), held: e.getAttribute("data-held")!, sealed: e.getAttribute("data-sealed")!,
  })));
}

/** Words in the view that are smaller than `min`, run out of their card or out of the window. */
async function legibility(page: Page): Promise<{ minPx: number; outside: string[] }> {
  return page.evaluate(() => {
    const root = document.querySelector('[data-testid="diagram"]')!;
    let minPx = Infinity;
    const outside: string[] = [];
    for (const el of root.querySelectorAll("p, h4, button, .store")) {
      if (!el.textContent!.trim()) continue;
      minPx = Math.min(minPx, parseFloat(getComputedStyle(el).fontSize));
      const r = el.getBoundingClientRect();
      const card = el.closest("section")?.getBoundingClientRect();
      if (r.bottom > innerHeight + 1 || r.right > innerWidth + 1 || (card && (r.bottom > card.bottom + 1 || r.right > card.right + 1))) outside.push(el.textContent!.trim().slice(0, 40));
    }
    return { minPx, outside };
  });
}

describe("swarm secrets (?scenario=secrets)", () => {
  it("create, grant, remove: ciphertext in the managers' store, in memory only on the nodes running db, then nowhere", async () => {
    const p = await open("?scenario=secrets&seed=1&autopause=0&speed=10");
    expect(await step(p.page)).toBe("start");
    await p.page.click('[data-testid="secret-create"]');
    await until(p.page, "created");
    expect(await p.page.locator('[data-testid="secret-record"]').textContent()).toMatch(/db_pass = secretbox \S+… \S+…/);
    expect(await p.page.locator('[data-testid="secret-record"]').textContent()).not.toContain("hunter2");
    let ns = await nodes(p.page);
    expect(ns.filter((n) => n.sealed === "db_pass").map((n) => n.host)).toEqual(["manager1", "manager2", "manager3"]);
    expect(ns.every((n) => n.held === "")).toBe(true);

    await p.page.click('[data-testid="secret-service"]');
    await until(p.page, "granted");
    ns = await nodes(p.page);
    const holders = ns.filter((n) => n.held === "db_pass").map((n) => n.host);
    expect(holders).toHaveLength(2);
    const mounted = await p.page.locator('[data-testid="secret-task"][data-state="running"]').evaluateAll((els) => els.map((e) => [e.closest("section")!.getAttribute("data-testid"), e.getAttribute("data-files")]));
    expect(mounted.map(([n]) => n!.slice("secret-node-".length)).sort()).toEqual([...holders].sort());
    expect(mounted.every(([, f]) => f === "/run/secrets/db_pass")).toBe(true);
    await screenshot(p.page, "secrets-granted-1280x720");

    await p.page.click('[data-testid="secret-rm"]');
    await until(p.page, "removed");
    ns = await nodes(p.page);
    expect(ns.every((n) => n.held === "")).toBe(true);
    expect(await p.page.locator('[data-testid="secret-task"][data-files="/run/secrets/db_pass"]').count()).toBe(0);
    expect(ns.filter((n) => n.sealed === "db_pass")).toHaveLength(3);
    expect(p.errors).toEqual([]);
  });

  for (const [mode, size, min] of [["projector", { width: 1280, height: 720 }, 18], ["embed", { width: 640, height: 400 }, 12]] as const) {
    it(`granted, reads in ${mode} mode at ${size.width}x${size.height} (type at least ${min} px)`, async () => {
      const p = await open(`?scenario=secrets&seed=1&autopause=0&speed=10&${mode}`, size);
      await p.page.click('[data-testid="secret-create"]');
      await until(p.page, "created");
      await p.page.click('[data-testid="secret-service"]');
      await until(p.page, "granted");
      const m = await legibility(p.page);
      await screenshot(p.page, `secrets-${mode}-${size.width}x${size.height}`);
      expect(m.minPx).toBeGreaterThanOrEqual(min);
      expect(m.outside).toEqual([]);
      expect(p.errors).toEqual([]);
    });
  }

  // QA walk of session 5, D9: a button's command shows its effect without Play; D11: a task not
  // running yet reads as pending, not struck through as removed.
  it("Create the secret shows its effect without Play: the run plays on, the secret in the store; the service's tasks run and it pauses", async () => {
    const p = await open("?scenario=secrets&seed=1&projector");
    const app = p.page.locator('[data-testid="app"]');
    const before = Number(await app.getAttribute("data-now"));
    expect(await p.page.locator('[data-testid="secret-service"]').isDisabled()).toBe(true);
    await p.page.click('[data-testid="secret-create"]');
    await p.page.waitForSelector('[data-testid="secret-service"]:not([disabled])', { timeout: 60_000 });
    expect(await p.page.locator('[data-testid="secret-record"]').textContent()).toContain("db_pass = secretbox");
    await p.page.waitForFunction((t) => Number(document.querySelector('[data-testid="app"]')!.getAttribute("data-now")) > t, before);
    expect(await app.getAttribute("data-playing")).toBe("1");
    // Create the service: its tasks show up pending (italic, not struck through) on the way to running.
    await p.page.click('[data-testid="secret-service"]');
    await p.page.waitForSelector('[data-testid="secret-task"]:not([data-state="running"])', { timeout: 60_000 });
    const early = p.page.locator('[data-testid="secret-task"]:not([data-state="running"])').first();
    if (!(await early.getAttribute("data-state"))!.startsWith("exited")) {
      expect(await early.evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe("none");
      expect(await early.evaluate((el) => el.classList.contains("pending"))).toBe(true);
    }
    await screenshot(p.page, "secrets-service-pending-projector-1280x720");
    // The run pauses at the next notable event: a db task running, its secret mounted.
    await p.page.waitForSelector('[data-testid="app"][data-playing="0"]', { timeout: 60_000 });
    expect(await p.page.locator('[data-testid="secret-task"][data-state="running"][data-files="/run/secrets/db_pass"]').count()).toBeGreaterThan(0);
    expect(p.errors).toEqual([]);
  }, 120_000);
});
