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

/** A click on a node opens its menu; its first item crashes (or restarts) the host. */
async function menu(page: Page, host: string, item: string): Promise<void> {
  await page.click(`[data-testid="node-${host}"]`);
  await page.click(`[data-testid="menu-${item}"]`);
}

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
    await menu(p.page, victim, "crash");
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
    await menu(p.page, "manager1", "crash");
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
    await menu(p.page, "worker1", "crash");
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

// Issue 14, drain and partition: a node drained from its menu (`docker node update --availability
// drain` typed on the leader) loses its tasks and gets no new one (SwarmKit's scheduler filters
// out a node whose availability is not active, scheduler/filter.go ReadyFilter; the orchestrator
// shuts down the tasks on a drained node, orchestrator/replicated restart on node update); the
// managers cut in two keep changing on the side with a majority, while a manager on the other side
// answers with SwarmKit's quorum error (packages/swarm/src/errors.ts NO_LEADER, from moby's
// daemon/cluster: "The swarm does not have a leader. It's possible that too few managers are online.").

const playing = (page: Page) => page.locator('[data-testid="app"]').getAttribute("data-playing").then((v) => v === "1");

/** Play until the page shows what `fn` waits for, then pause (playing on after a pause at a notable event). */
async function playUntil(page: Page, fn: string, rounds = 40): Promise<void> {
  for (let i = 0; i < rounds && !(await page.evaluate(fn)); i++) {
    if (!(await playing(page))) await page.click('[data-testid="play"]');
    await page.waitForFunction(`(${fn}) || document.querySelector('[data-testid="app"]').getAttribute("data-playing") === "0"`, null, { timeout: 20_000 });
  }
  if (await playing(page)) await page.click('[data-testid="play"]');
  expect(await page.evaluate(fn), fn).toBe(true);
}

describe("swarm drain and partition (?scenario=node-failure)", () => {
  it("drain from the node's menu: its tasks move and none lands on it, even when web scales up", { timeout: 180_000 }, async () => {
    const p = await open("?scenario=node-failure&seed=1&speed=10&projector");
    const victim = live(await chips(p.page)).find((c) => c.node.startsWith("worker"))!.node;
    await menu(p.page, victim, "drain");
    await playUntil(p.page, `(() => {
      const n = document.querySelector('[data-testid="node-${victim}"]');
      const live = [...document.querySelectorAll('[data-testid="task"][data-state="running"][data-lost="0"][data-stopping="0"]')];
      return n.getAttribute("data-availability") === "Drain" && live.length === 6 && !live.some((c) => c.getAttribute("data-node") === "${victim}");
    })()`);
    expect(await p.page.locator('[data-testid="swarm-caption"]').getAttribute("data-step")).toBe("drained");
    // The line typed on the leader is in the terminal's history: the link replays it.
    await p.page.click('[data-testid="try-any"]');
    await playUntil(p.page, `document.querySelectorAll('[data-testid="task"][data-state="running"][data-lost="0"][data-stopping="0"]').length === 8`);
    const cs = live(await chips(p.page));
    expect(cs).toHaveLength(8);
    expect(cs.filter((c) => c.node === victim)).toEqual([]);
    expect(await p.page.locator(`[data-testid="node-${victim}"] text.status`).textContent()).toContain("Drain");
    const m = await measure(p.page);
    await screenshot(p.page, "swarm-drained-projector-1280x720");
    expect(m.minPx, m.smallest).toBeGreaterThanOrEqual(18);
    expect(m.outside).toEqual([]);
    expect(m.overlaps).toEqual([]);
    // Activate from the same menu, once the leader's terminal is free (the scale line waits until web converged).
    await playUntil(p.page, `document.querySelector('[data-testid="try-manager1"]')?.getAttribute("data-ok") === "1"`);
    await menu(p.page, victim, "activate");
    await playUntil(p.page, `document.querySelector('[data-testid="node-${victim}"]').getAttribute("data-availability") === "Active"`);
    expect(p.errors).toEqual([]);
  });

  it("the leader cut off: the majority side scales web, the minority side answers with the quorum error; heal converges", { timeout: 180_000 }, async () => {
    const p = await open("?scenario=node-failure&seed=1&speed=10&embed", { width: 640, height: 400 });
    await p.page.click('[data-testid="cut-leader"]');
    await p.page.waitForSelector('[data-testid="partition-bar"][data-split="1"]');
    expect(await p.page.locator('[data-testid="swarm-caption"]').getAttribute("data-step")).toBe("partition");
    // The majority elects a leader of its own; the old one steps down once it misses a quorum (CheckQuorum).
    await playUntil(p.page, `!!document.querySelector('[data-testid="node-manager2"].leader, [data-testid="node-manager3"].leader') && document.querySelectorAll(".node.leader").length === 1`);
    const running = live(await chips(p.page)).length;
    expect(await p.page.locator('[data-testid="try-minority"]').textContent()).toContain("manager1");
    await p.page.click('[data-testid="try-minority"]');
    await p.page.click('[data-testid="try-majority"]');
    const majority = (await p.page.locator('[data-testid="try-majority"]').textContent())!.match(/manager\d/)![0];
    await playUntil(p.page, `(() => {
      const a = document.querySelector('[data-testid="try-manager1"]'), b = document.querySelector('[data-testid="try-${majority}"]');
      return a && b && a.getAttribute("data-ok") === "0" && b.getAttribute("data-ok") === "1";
    })()`);
    expect(await p.page.locator('[data-testid="try-manager1"]').textContent()).toContain("The swarm does not have a leader");
    expect(await p.page.locator('[data-testid="swarm-caption"]').getAttribute("data-step")).toBe("refused");
    expect(await p.page.locator(`[data-testid="try-${majority}"]`).textContent()).toContain("web scaled to 8");
    // The tasks already running kept running.
    expect(live(await chips(p.page)).length).toBeGreaterThanOrEqual(running);
    const m = await measure(p.page);
    await screenshot(p.page, "swarm-partition-refused-embed-640x400");
    expect(m.minPx, m.smallest).toBeGreaterThanOrEqual(12);
    expect(m.outside).toEqual([]);
    expect(m.overlaps).toEqual([]);
    await p.page.click('[data-testid="heal"]');
    await playUntil(p.page, `document.querySelectorAll('[data-testid="task"][data-state="running"][data-lost="0"][data-stopping="0"]').length === 8 && document.querySelectorAll(".node.leader").length === 1`);
    expect(await p.page.locator('[data-testid="partition-bar"]').getAttribute("data-split")).toBe("0");
    expect(p.errors).toEqual([]);
  });
});

// Story mode (?story=1), as Raft's and SWIM's: paused at each point, next (↓), then free play.
describe("swarm story mode (?scenario=node-failure&story=1)", () => {
  const story = (page: Page) => page.locator('[data-testid="story"]');

  /** Next (↓), then until the run paused at the step's point (Space plays on after a pause at a notable event). */
  async function next(page: Page, want: string): Promise<void> {
    await page.keyboard.press("ArrowDown");
    await page.waitForSelector(`[data-testid="story"][data-step="${want}"]`);
    await playUntil(page, `!!document.querySelector('[data-testid="story"][data-step="${want}"][data-done="1"]')`);
    await page.waitForFunction(() => document.querySelector('[data-testid="app"]')!.getAttribute("data-playing") === "0", null, { timeout: 5_000 });
  }

  it("walks: a worker dies, its tasks move, the leader dies, a new leader, quorum lost, recovered; then free play", { timeout: 240_000 }, async () => {
    const p = await open("?scenario=node-failure&seed=1&story=1&speed=10&projector");
    await p.page.waitForSelector('[data-testid="story"]');
    expect(await story(p.page).getAttribute("data-step")).toBe("steady");
    expect(await p.page.locator(".node.story-hl").count()).toBe(3);
    await next(p.page, "worker-dies");
    const dead = (await p.page.locator('.node.down').getAttribute("data-testid"))!.slice(5);
    expect(dead).toMatch(/^worker/);
    const t0 = Number(await p.page.locator('[data-testid="app"]').getAttribute("data-now"));
    await next(p.page, "moved");
    const t1 = Number(await p.page.locator('[data-testid="app"]').getAttribute("data-now"));
    // SwarmKit's grace: 3 missed 5 s heartbeats (with the period's jitter) before the node is Down.
    expect(t1 - t0).toBeGreaterThanOrEqual(10_000_000);
    expect(await p.page.locator(`[data-testid="node-${dead}"]`).getAttribute("data-status")).toBe("Down");
    await next(p.page, "leader-dies");
    expect(await p.page.locator(".node.leader").count()).toBe(0);
    await next(p.page, "new-leader");
    expect(await p.page.locator(".node.leader").count()).toBe(1);
    await next(p.page, "quorum-lost");
    expect(await p.page.locator('[data-testid="story"]').textContent()).toContain("does not have a leader");
    const m = await measure(p.page);
    await screenshot(p.page, "swarm-story-quorum-lost-projector-1280x720");
    expect(m.minPx, m.smallest).toBeGreaterThanOrEqual(18);
    expect(m.outside).toEqual([]);
    expect(m.overlaps).toEqual([]);
    await next(p.page, "recovered");
    expect(await p.page.locator(".node.down").count()).toBe(0);
    expect(await p.page.locator(".node.leader").count()).toBe(1);
    await next(p.page, "free");
    await p.page.keyboard.press("ArrowDown");
    await p.page.waitForSelector('[data-testid="story"]', { state: "detached" });
    await p.page.waitForSelector('[data-testid="swarm-caption"]');
    expect(p.errors).toEqual([]);
  });

  it("reads in the 640x400 embed", async () => {
    const p = await open("?scenario=node-failure&seed=1&story=1&speed=10&embed", { width: 640, height: 400 });
    await p.page.waitForSelector('[data-testid="story"][data-step="steady"]');
    await next(p.page, "worker-dies");
    const m = await measure(p.page);
    await screenshot(p.page, "swarm-story-embed-640x400");
    expect(m.minPx, m.smallest).toBeGreaterThanOrEqual(12);
    expect(m.outside).toEqual([]);
    expect(m.overlaps).toEqual([]);
    expect(p.errors).toEqual([]);
  });
});
