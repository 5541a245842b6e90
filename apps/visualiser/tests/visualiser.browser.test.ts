import { describe, expect, it } from "vitest";
import { createRaftCluster } from "@drydock/raft";
import { createSwimCluster } from "@drydock/swim";
import { raftClusterOptions } from "../src/lib/scenarios/raft/driver.js";
import { gossipClusterOptions } from "../src/lib/scenarios/gossip/driver.js";
import { encodeActions } from "../src/lib/url.js";
import { layoutMembers } from "../src/lib/scenarios/gossip/draw.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "vite";
import { APP_ROOT, readRun, screenshot, type AppPage } from "./harness.js";
import { pagesPerTest } from "./pages.js";
import { serveStatic } from "./static-site.js";

// Browser tests: a Vite dev server and Debian's chromium driven by playwright-core. They wait
// for the app's data attributes (ready, events, hashes), never for fixed sleeps.

const browser = pagesPerTest();
const { open } = browser;

async function waitForEvents(p: AppPage, atLeast: number): Promise<void> {
  await p.page.waitForFunction((n) => Number(document.querySelector('[data-testid="app"]')?.getAttribute("data-events")) >= n, atLeast);
}

async function leaderOf(p: AppPage): Promise<string> {
  const el = p.page.locator('[data-role="leader"]').first();
  await el.waitFor();
  return ((await el.getAttribute("data-testid")) ?? "").replace("node-", "");
}

// Each test's pages close with it: idle pages still run their animation loops.

describe("visualiser in chromium", () => {
  it.each([
    ["raft", "?scenario=raft", "view-raft"],
    ["gossip", "?scenario=gossip&members=50", "gossip-canvas"],
    ["network", "?scenario=network", "view-network"],
  ])("loads the %s view with no console errors, plays, and saves a screenshot", async (name, search, testid) => {
    const p = await open(search);
    await p.page.waitForSelector(`[data-testid="${testid}"]`);
    await p.page.keyboard.press("PageDown");
    const start = (await readRun(p.page)).events;
    await p.page.selectOption('[data-testid="speed"]', "5"); // real time
    await p.page.click('[data-testid="play"]');
    await waitForEvents(p, start + 40);
    await p.page.locator("body").press("Space"); // the keyboard shortcut pauses
    await p.page.waitForSelector('[data-playing="0"]');
    await screenshot(p.page, `view-${name}`);
    expect(p.errors).toEqual([]);
  });

  it("the charts view runs its experiments and draws both charts", async () => {
    const p = await open("?view=charts&scenario=raft");
    await p.page.click('[data-testid="run-elections"]');
    await p.page.waitForSelector('[data-testid="election-histogram"]', { timeout: 60_000 });
    // Raft §9.3: with timeouts of 150-300 ms, elections usually finish within a few hundred ms.
    const summary = (await p.page.textContent('[data-testid="election-summary"]')) ?? "";
    const median = Number(/median (\d+(?:\.\d+)?) ms/.exec(summary)?.[1]);
    expect(median).toBeGreaterThan(50);
    expect(median).toBeLessThan(400);
    await p.page.click('[data-testid="run-load"]');
    await p.page.waitForSelector('[data-testid="load-chart"]', { timeout: 60_000 });
    await screenshot(p.page, "view-charts");
    expect(p.errors).toEqual([]);
  });

  it("stopping the leader from its menu leads to a new leader (Raft §5.2)", async () => {
    const p = await open("?scenario=raft&seed=3");
    await p.page.click('[data-testid="next-notable"]');
    await p.page.waitForSelector('[data-role="leader"]');
    const first = await leaderOf(p);
    expect(first).not.toBeNull();
    await p.page.click(`[data-testid="node-${first}"]`);
    await p.page.click('[data-testid="menu-stop"]');
    await p.page.waitForSelector(`[data-testid="node-${first}"][data-role="down"]`);
    await p.page.click('[data-testid="next-notable"]');
    await p.page.waitForFunction((old) => {
      const el = document.querySelector('[data-role="leader"]');
      return el !== null && el.getAttribute("data-testid") !== `node-${old}`;
    }, first);
    const second = await leaderOf(p);
    expect(second).not.toBe(first);
    await screenshot(p.page, "raft-new-leader");
    expect(p.errors).toEqual([]);
  });

  it("a message is dropped from its details, and partitions are drawn by choosing groups", async () => {
    const p = await open("?scenario=raft&seed=8");
    await p.page.click('[data-testid="next-notable"]');
    for (let i = 0; i < 50 && (await p.page.locator('[data-testid="raft-message"]').count()) === 0; i++) await p.page.keyboard.press("ArrowRight");
    const glyph = (await p.page.locator('[data-testid="raft-message"] :is(rect, circle)').first().boundingBox())!;
    await p.page.mouse.click(glyph.x + glyph.width / 2, glyph.y + glyph.height / 2);
    await p.page.click('[data-testid="message-drop"]');
    await p.page.waitForSelector('[data-testid="raft-message"].dropping');
    expect(await p.page.textContent('[data-testid="clock"]')).toMatch(/1 action/);
    await p.page.click('[data-testid="partition"]');
    await p.page.click('[data-testid="node-s1"]');
    await p.page.click('[data-testid="node-s2"]');
    await p.page.click('[data-testid="partition-apply"]');
    // {s1, s2} | {s3, s4, s5}: the 2 x 3 links between the sides are cut.
    expect(await p.page.locator('[data-testid="view-raft"] line.link.cut').count()).toBe(6);
    expect(await p.page.textContent('[data-testid="clock"]')).toMatch(/2 actions/);
    await screenshot(p.page, "raft-partition");
    expect(p.errors).toEqual([]);
  });

  it("presenter keys work after using a control, and acting after scrubbing back forks a new future (RaftScope)", async () => {
    const p = await open("?scenario=raft&seed=3");
    const playing = () => p.page.getAttribute('[data-testid="app"]', "data-playing");
    // A control that was just used gives the keyboard back: a focused select would swallow PageDown.
    await p.page.focus('[data-testid="speed"]');
    await p.page.selectOption('[data-testid="speed"]', "0");
    await p.page.keyboard.press("PageDown");
    await p.page.waitForSelector('[data-testid="notice"]:has-text("became leader")');
    await p.page.fill('[data-testid="seed"]', "12");
    await p.page.keyboard.press("Enter");
    await p.page.waitForSelector('[data-testid="app"][data-events="0"]');
    await p.page.keyboard.press("PageDown");
    await p.page.waitForSelector('[data-testid="notice"]:has-text("became leader")');
    expect(p.page.url()).toContain("seed=12");
    // The remote's "blank" keys play and pause.
    await p.page.keyboard.press(".");
    expect(await playing()).toBe("1");
    await p.page.keyboard.press("b");
    expect(await playing()).toBe("0");
    // Run on a little, then drag the scrubber back to the middle.
    for (let i = 0; i < 20; i++) await p.page.keyboard.press("ArrowRight");
    const scrubber = p.page.locator('[data-testid="scrubber"]');
    const end = Number(await scrubber.getAttribute("max"));
    const box = (await scrubber.boundingBox())!;
    await p.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await p.page.waitForFunction((e) => Number(document.querySelector('[data-testid="app"]')?.getAttribute("data-now")) < e, end);
    const back = Number(await p.page.getAttribute('[data-testid="app"]', "data-now"));
    expect(back).toBeLessThan(end);
    await p.page.click('[data-testid="node-s1"]');
    await p.page.click('[data-testid="menu-stop"]');
    await p.page.waitForSelector('[data-testid="node-s1"][data-role="down"]');
    // The old future is gone: the scrubber ends where the new one begins.
    expect(Number(await scrubber.getAttribute("max"))).toBe(back);
    expect(await p.page.textContent('[data-testid="clock"]')).toMatch(/1 action/);
    // Escape closes a server's menu and cancels choosing a partition, changing nothing.
    await p.page.click('[data-testid="node-s2"]');
    await p.page.waitForSelector('[data-testid="node-menu"]');
    await p.page.keyboard.press("Escape");
    expect(await p.page.locator('[data-testid="node-menu"]').count()).toBe(0);
    await p.page.click('[data-testid="partition"]');
    await p.page.click('[data-testid="node-s3"]');
    await p.page.keyboard.press("Escape");
    expect(await p.page.locator('[data-testid="partition-hint"]').count()).toBe(0);
    expect(await p.page.textContent('[data-testid="clock"]')).toMatch(/1 action/);
    expect(p.errors).toEqual([]);
  });

  it("stepping back returns to the identical state", async () => {
    const p = await open("?scenario=raft&seed=5");
    await p.page.click('[data-testid="next-notable"]');
    const before = await readRun(p.page);
    await p.page.keyboard.press("ArrowRight");
    await waitForEvents(p, before.events + 1);
    const after = await readRun(p.page);
    expect(after.state).not.toBe(before.state);
    await p.page.keyboard.press("ArrowLeft");
    await p.page.waitForFunction((n) => document.querySelector('[data-testid="app"]')?.getAttribute("data-events") === String(n), before.events);
    expect(await readRun(p.page)).toEqual(before);
  });

  it("a copied link opened in a new page shows the same state", async () => {
    const p = await open("?scenario=raft&seed=11&size=7&prevote=1");
    await p.page.click('[data-testid="next-notable"]');
    const leader = await leaderOf(p);
    await p.page.click(`[data-testid="node-${leader}"]`);
    await p.page.click('[data-testid="menu-request"]');
    await p.page.keyboard.press("ArrowRight");
    await p.page.keyboard.press("ArrowRight");
    const here = await readRun(p.page);
    await p.page.click('[data-testid="share"]');
    const link = await p.page.inputValue('[data-testid="share-url"]');
    // The action log is in the fragment: the copied link is the whole address.
    const copy = await open(new URL(link).search + new URL(link).hash);
    expect(await readRun(copy.page)).toEqual(here);
    expect(await copy.page.inputValue('[data-testid="opt-size"]').catch(() => null)).toBe("7");
    expect(copy.errors).toEqual([]);
  });

  it("the trace hash of a scenario in the browser equals the one in Node", async () => {
    const raft = createRaftCluster(raftClusterOptions("42", { size: 5, prevote: false, checkquorum: false }));
    raft.sim.seekEvent(400);
    const gossip = createSwimCluster(gossipClusterOptions("42", { members: "20", latency: "wan", loss: "0", lifeguard: true }, "swim"));
    gossip.sim.act({ type: "crash", node: "m4" });
    gossip.sim.seekEvent(3000);
    const actions = encodeActions(gossip.sim.session().actions);
    const a = await open("?scenario=raft&seed=42&e=400");
    const b = await open(`?scenario=gossip&seed=42&members=20&e=3000&actions=${actions}`);
    expect((await readRun(a.page)).trace).toBe(raft.sim.traceHash());
    expect((await readRun(b.page)).trace).toBe(gossip.sim.traceHash());
    expect((await readRun(b.page)).state).toBe(gossip.sim.stateHash());
  });

  it("projector mode renders large type and embed mode shows only the view and its controls", async () => {
    const proj = await open("?scenario=raft&projector", { width: 1920, height: 1080 });
    await proj.page.click('[data-testid="next-notable"]');
    const base = await proj.page.evaluate(() => getComputedStyle(document.body.querySelector(".app")!).fontSize);
    expect(parseFloat(base)).toBeGreaterThanOrEqual(22);
    await screenshot(proj.page, "projector-raft-1080p");
    const embed = await open("?scenario=raft&embed");
    expect(await embed.page.locator("header").count()).toBe(0);
    expect(await embed.page.locator('[data-testid="sequence"]').count()).toBe(0);
    await embed.page.waitForSelector('[data-testid="view-raft"]');
    await embed.page.waitForSelector('[data-testid="play"]');
    await screenshot(embed.page, "embed-raft");
    expect([...proj.errors, ...embed.errors]).toEqual([]);
  });

  it("in a 9-server ring on a projector, message labels cover no other label and no server's words, and the notice is shown whole", async () => {
    const p = await open("?scenario=raft&seed=4&size=9&prevote=1&checkquorum=1&projector", { width: 1920, height: 1080 });
    await p.page.keyboard.press("PageDown");
    await p.page.waitForSelector('[data-testid="notice"]:has-text("became leader")');
    const notice = p.page.locator('[data-testid="notice"]');
    expect(await notice.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    // Just after an election: the new leader's AppendEntries all leave at once, among vote replies.
    for (let i = 0; i < 5; i++) await p.page.keyboard.press("ArrowRight");
    await p.page.waitForFunction(() => document.querySelectorAll('[data-testid="raft-message"]').length >= 8);
    const boxes = await p.page.evaluate(() => {
      const rect = (e: Element) => { const r = e.getBoundingClientRect(); return { x0: r.left, y0: r.top, x1: r.right, y1: r.bottom }; };
      return {
        labels: [...document.querySelectorAll('[data-testid="raft-message"] .lbl')].map(rect),
        words: [...document.querySelectorAll('[data-testid^="node-"] text.role, [data-testid^="node-"] text.name, [data-testid^="node-"] text.term')].map(rect),
      };
    });
    expect(boxes.labels.length).toBeGreaterThan(0);
    const overlap = (a: { x0: number; y0: number; x1: number; y1: number }, b: typeof a): boolean => a.x0 < b.x1 - 1 && b.x0 < a.x1 - 1 && a.y0 < b.y1 - 1 && b.y0 < a.y1 - 1;
    boxes.labels.forEach((a, i) => boxes.labels.forEach((b, j) => { if (i !== j) expect(overlap(a, b)).toBe(false); }));
    for (const a of boxes.labels) for (const w of boxes.words) expect(overlap(a, w)).toBe(false);
    const small = await open("?scenario=raft&seed=4");
    await small.page.keyboard.press("PageDown");
    await small.page.waitForSelector('[data-testid="notice"]:has-text("became leader")');
    expect(await small.page.locator('[data-testid="notice"]').evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    expect([...p.errors, ...small.errors]).toEqual([]);
  });

  it("a bad link shows a clear message and the default scenario", async () => {
    const p = await open("?scenario=raft&seed=1&size=42");
    const msg = await p.page.textContent('[data-testid="link-error"]');
    expect(msg).toMatch(/could not be opened: Servers must be a whole number from 3 to 9, not "42"/);
    expect((await readRun(p.page)).scenario).toBe("raft");
    const old = await open("?v=0&scenario=gossip");
    expect(await old.page.textContent('[data-testid="link-error"]')).toMatch(/another version/);
  });

  it("names and values from user input are shown as text, never as markup", async () => {
    const evil = "<img src=x onerror=document.title='pwned'>";
    const actions = encodeActions([{ index: 0, at: 0, action: { type: "publish", node: "m1", key: "web", value: evil } }]);
    const p = await open(`?scenario=gossip&members=10&seed=2&e=60&actions=${actions}`);
    await p.page.waitForSelector('[data-testid="gossip-canvas"]');
    await p.page.waitForFunction((v) => document.body.textContent?.includes(v), evil);
    expect(await p.page.locator("aside img, .legend img").count()).toBe(0);
    expect(await p.page.title()).not.toBe("pwned");
    expect(p.errors).toEqual([]);
  });

  it("says how far back the view can go once history is thinned, and goes there", async () => {
    // 100 s of Raft: 400 snapshots' worth at 250 ms, so the kernel has doubled the interval.
    const p = await open("?scenario=raft&seed=4&t=100000000");
    const text = (await p.page.textContent('[data-testid="reach"]')) ?? "";
    expect(text).toMatch(/^Back to the start: \d+ snapshots, one every 500ms, so a jump back replays at most 500ms\./);
    expect(await p.page.getAttribute('[data-testid="scrubber"]', "title")).toBe(text);
    await p.page.evaluate(() => {
      const s = document.querySelector<HTMLInputElement>('[data-testid="scrubber"]')!;
      s.value = "300000";
      s.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await p.page.waitForSelector('[data-now="300000"]');
    expect(p.errors).toEqual([]);
  });

  it("crashing a gossip member spreads suspicion, then death, to every live member (SWIM §4.2)", async () => {
    const p = await open("?scenario=gossip&members=20&seed=9&latency=lan");
    await p.page.click('[data-testid="gossip-canvas"]', { position: await memberPosition(p) });
    await p.page.click('[data-testid="menu-stop"]');
    // Auto-pause stops at the first suspicion, then at the first declaration of death.
    await p.page.click('[data-testid="next-notable"]');
    await p.page.waitForFunction(() => Number(document.querySelector('[data-testid="suspects"]')?.textContent) > 0);
    await p.page.click('[data-testid="next-notable"]');
    await p.page.waitForFunction(() => Number(document.querySelector('[data-testid="declared-dead"]')?.textContent) > 0);
    await screenshot(p.page, "gossip-infection");
    expect(p.errors).toEqual([]);
  });
});

describe("the built site", () => {
  it("works from a subfolder of a plain static server, with no backend", async () => {
    const out = mkdtempSync(join(tmpdir(), "drydock-site-"));
    await build({ configFile: join(APP_ROOT, "vite.config.ts"), root: APP_ROOT, logLevel: "error", build: { outDir: out, emptyOutDir: true } });
    const site = await serveStatic(out, "/courses/raft/");
    try {
      const context = await browser.harness.browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${site.url}?scenario=raft&seed=42&e=400`, { timeout: 60_000 });
      await page.waitForSelector('[data-testid="view-raft"]', { timeout: 60_000 });
      const raft = createRaftCluster(raftClusterOptions("42", { size: 5, prevote: false, checkquorum: false }));
      raft.sim.seekEvent(400);
      expect((await readRun(page)).trace).toBe(raft.sim.traceHash());
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await site.close();
      rmSync(out, { recursive: true, force: true });
    }
  });
});

/** Where the first member of the ring is drawn on the gossip canvas. */
async function memberPosition(p: AppPage, members = 20): Promise<{ x: number; y: number }> {
  const box = (await p.page.locator('[data-testid="gossip-canvas"]').boundingBox())!;
  const layout = layoutMembers(members, box.width, box.height, 0, 15);
  return { x: layout.x[0]!, y: layout.y[0]! };
}
