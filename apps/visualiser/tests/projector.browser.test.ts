import { describe, expect, it } from "vitest";
import { screenshot, type AppPage } from "./harness.js";
import { measure } from "./measure.js";
import { pagesPerTest } from "./pages.js";

// The screens rooms have: 1280x720 and 1024x768 projectors and a 640x400 slide embed. Each check
// is measured in the page (rendered type sizes, areas, overlaps, contrast), and each view and mode
// leaves a screenshot in test-results/ for a person to look at.

const { open } = pagesPerTest();


/** Contrast of a CSS colour against white, computed in the page's colour parser. */
const CONTRAST = `(colours) => {
  const ctx = document.createElement("canvas").getContext("2d");
  const lum = (c) => { ctx.fillStyle = "#000"; ctx.fillStyle = c; const h = ctx.fillStyle.slice(1);
    const v = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16) / 255).map((s) => s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4);
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  return colours.map((c) => (1.05) / (lum(c) + 0.05));
}`;

async function toLeader(p: AppPage, steps = 3): Promise<void> {
  await p.page.keyboard.press("PageDown");
  await p.page.waitForSelector('[data-testid="notice"]:has-text("became leader")');
  for (let i = 0; i < steps; i++) await p.page.keyboard.press("ArrowRight");
}

const PROJECTORS = [{ width: 1280, height: 720 }, { width: 1024, height: 768 }] as const;

describe("projector first", () => {
  it.each([
    ["raft 5 servers", "?scenario=raft&seed=4"],
    ["raft 9 servers", "?scenario=raft&seed=4&size=9&prevote=1"],
  ])("%s: every word in the diagram is at least 18 px at 720 lines, and the diagram has 60%% of the screen", async (name, search) => {
    for (const size of PROJECTORS) {
      const p = await open(`${search}&projector`, size);
      await toLeader(p);
      const m = await measure(p.page);
      expect(m.minPx, `${name} ${size.width}x${size.height}: smallest word ${m.smallest}`).toBeGreaterThanOrEqual(18);
      expect(m.area).toBeGreaterThanOrEqual(0.6);
      expect(m.outside).toEqual([]);
      // Nine servers fit, logs included: a log row per server, all on screen.
      const rows = await p.page.locator('[data-testid="raft-logs"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().bottom));
      expect(rows.length).toBe(name.includes("9") ? 9 : 5);
      for (const bottom of rows) expect(bottom).toBeLessThanOrEqual(size.height);
      // The panel and the sequence strip are folded away, and the link says so only by default.
      expect(await p.page.locator("aside").count()).toBe(0);
      expect(await p.page.locator('[data-testid="sequence"]').count()).toBe(0);
      await screenshot(p.page, `projector-${name.replace(/ /g, "-")}-${size.width}x${size.height}`);
      expect(p.errors).toEqual([]);
    }
  });

  it("no word under a server touches another server, and no message label covers another or a server's words (9 servers, 720 lines)", async () => {
    const p = await open("?scenario=raft&seed=4&size=9&prevote=1&checkquorum=1&projector", PROJECTORS[0]);
    await toLeader(p, 5);
    const found = await p.page.evaluate(() => {
      const rect = (e: Element) => { const r = e.getBoundingClientRect(); return { x0: r.left, y0: r.top, x1: r.right, y1: r.bottom }; };
      const servers = [...document.querySelectorAll('[data-testid^="node-"]')].map((g) => {
        const c = g.querySelector("circle.body")!;
        const r = c.getBoundingClientRect();
        return { id: g.getAttribute("data-testid"), cx: (r.left + r.right) / 2, cy: (r.top + r.bottom) / 2, r: r.width / 2, words: [...g.querySelectorAll("text.role")].map(rect) };
      });
      return { servers, labels: [...document.querySelectorAll('[data-testid="raft-message"] .lbl')].map(rect) };
    });
    type B = { x0: number; y0: number; x1: number; y1: number };
    const overlap = (a: B, b: B): boolean => a.x0 < b.x1 - 1 && b.x0 < a.x1 - 1 && a.y0 < b.y1 - 1 && b.y0 < a.y1 - 1;
    const hitsCircle = (b: B, s: { cx: number; cy: number; r: number }): boolean =>
      Math.hypot(Math.max(b.x0 - s.cx, 0, s.cx - b.x1), Math.max(b.y0 - s.cy, 0, s.cy - b.y1)) < s.r - 1;
    for (const s of found.servers) for (const w of s.words) for (const o of found.servers) if (o !== s) expect(hitsCircle(w, o), `${s.id}'s words on ${o.id}`).toBe(false);
    const words = found.servers.flatMap((s) => s.words);
    found.labels.forEach((a, i) => found.labels.forEach((b, j) => { if (i !== j) expect(overlap(a, b)).toBe(false); }));
    for (const a of found.labels) for (const w of words) expect(overlap(a, w)).toBe(false);
    expect(p.errors).toEqual([]);
  });

  it("what is folded away in projector mode is one click away, and the link keeps it", async () => {
    const p = await open("?scenario=raft&seed=4&projector", PROJECTORS[0]);
    await p.page.click('[data-testid="panel-toggle"]');
    await p.page.waitForSelector("aside");
    expect(p.page.url()).toContain("panel=1");
    const copy = await open(new URL(p.page.url()).search, PROJECTORS[0]);
    await copy.page.waitForSelector("aside");
    expect(await copy.page.locator('[data-testid="sequence"]').count()).toBe(0);
    // Normal mode shows both, and leaves them out of the link.
    await copy.page.keyboard.press("p");
    await copy.page.waitForSelector('[data-testid="sequence"]');
    expect(copy.page.url()).not.toContain("panel=");
  });

  it("gossip at 1,000 members: the disc fills its pane, the crashed member is on top, large and named", async () => {
    const p = await open("?scenario=gossip&members=1000&seed=2&latency=lan&projector", PROJECTORS[0]);
    await p.page.click('[data-testid="member-actions"]');
    await p.page.click('[data-testid="menu-stop"]');
    await p.page.keyboard.press("n");
    await p.page.waitForSelector('[data-testid="notice"]:has-text("suspected")');
    const canvas = p.page.locator('[data-testid="gossip-canvas"]');
    const box = (await canvas.boundingBox())!;
    // The disc spans its pane's shorter side (a 200 px disc in a quarter of the pane, before).
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(0.75 * (PROJECTORS[0].height - 200));
    expect(await canvas.getAttribute("data-disc")).toBe("disc");
    const memberR = Number(await canvas.getAttribute("data-member-r"));
    const spot = Number(await canvas.getAttribute("data-spotlight-r"));
    expect(memberR).toBeGreaterThanOrEqual(4);
    expect(spot).toBeGreaterThanOrEqual(2 * memberR);
    expect(spot).toBeGreaterThanOrEqual(13);
    // The pixels at the crashed member are its cross (dark), drawn over any message line.
    const m = await measure(p.page);
    expect(m.minPx, m.smallest).toBeGreaterThanOrEqual(18);
    expect(m.area).toBeGreaterThanOrEqual(0.6);
    await screenshot(p.page, "projector-gossip-1000-1280x720");
    // Message kinds can be thinned to heads or hidden, and the link keeps it.
    await p.page.keyboard.press("n");
    await p.page.waitForSelector('[data-testid="kind-ping"]');
    await p.page.click('[data-testid="kind-ping"]');
    expect(await p.page.getAttribute('[data-testid="kind-ping"]', "data-mode")).toBe("heads");
    await p.page.click('[data-testid="kind-ping"]');
    expect(await p.page.getAttribute('[data-testid="kind-ping"]', "data-mode")).toBe("hidden");
    expect(p.page.url()).toContain("hide=ping");
    await screenshot(p.page, "projector-gossip-1000-ping-hidden");
    expect(p.errors).toEqual([]);
  });

  it("gossip and network views keep 18 px words on 1280x720 and 1024x768 projectors", async () => {
    for (const [search, size] of ["?scenario=gossip&members=20&seed=3", "?scenario=network&seed=3"].flatMap((s) => PROJECTORS.map((z) => [s, z] as const))) {
      const p = await open(`${search}&projector`, size);
      await p.page.keyboard.press("n");
      await p.page.waitForSelector('[data-testid="notice"]');
      const m = await measure(p.page);
      expect(m.minPx, `${search}: ${m.smallest}`).toBeGreaterThanOrEqual(18);
      expect(m.area).toBeGreaterThanOrEqual(0.6);
      expect(m.outside).toEqual([]);
      await screenshot(p.page, `projector-${new URLSearchParams(search).get("scenario")}-${size.width}x${size.height}`);
      expect(p.errors).toEqual([]);
    }
  });
});

describe("the 640x400 embed", () => {
  it.each([
    ["raft", "?scenario=raft&seed=4&embed"],
    ["raft-9", "?scenario=raft&seed=4&size=9&embed"],
    ["gossip", "?scenario=gossip&members=20&seed=2&embed"],
    ["network", "?scenario=network&seed=2&embed"],
  ])("%s: a compact control bar, the view fitted, and no word under 12 px", async (name, search) => {
    const p = await open(search, { width: 640, height: 400 });
    await p.page.keyboard.press("PageDown");
    await p.page.waitForSelector('[data-testid="notice"]');
    const controls = (await p.page.locator('[role="toolbar"]').boundingBox())!;
    // One row of controls and the notice (127 of 400 px before).
    expect(controls.height).toBeLessThanOrEqual(64);
    expect(controls.y + controls.height).toBeLessThanOrEqual(400);
    const m = await measure(p.page);
    expect(m.minPx, m.smallest).toBeGreaterThanOrEqual(12);
    expect(m.area).toBeGreaterThanOrEqual(0.6);
    expect(m.outside).toEqual([]);
    await screenshot(p.page, `embed-${name}-640x400`);
    expect(p.errors).toEqual([]);
  });
});

describe("contrast and notices", () => {
  it("links, message lines and key glyphs are at least 3:1 against the paper, in both modes", async () => {
    for (const mode of ["", "&projector"]) {
      const p = await open(`?scenario=raft&seed=4${mode}`, PROJECTORS[0]);
      await toLeader(p, 0);
      const links = await p.page.locator('[data-testid="view-raft"] line.link').evaluateAll((ls) => ls.map((l) => getComputedStyle(l).stroke));
      expect(links.length).toBe(10);
      for (const c of await p.page.evaluate(`(${CONTRAST})(${JSON.stringify(links)})`) as number[]) expect(c).toBeGreaterThanOrEqual(3);
    }
    const g = await open("?scenario=gossip&members=50&seed=2&e=3000", PROJECTORS[0]);
    await g.page.waitForSelector('[data-testid^="kind-"]');
    const strokes = await g.page.locator('[data-testid^="kind-"] path').evaluateAll((ps) => ps.map((p) => p.getAttribute("fill")!));
    expect(strokes.length).toBeGreaterThan(0);
    for (const c of await g.page.evaluate(`(${CONTRAST})(${JSON.stringify(strokes)})`) as number[]) expect(c).toBeGreaterThanOrEqual(3);
  });

  it("a notice goes as soon as the run moves on, and is never cut off", async () => {
    const p = await open("?scenario=network&seed=3", PROJECTORS[0]);
    await p.page.keyboard.press("n");
    await p.page.waitForSelector('[data-testid="notice"]');
    await p.page.keyboard.press("ArrowRight");
    await p.page.waitForSelector('[data-testid="notice"]', { state: "detached" });
    // "No notable event in the next minute" after crashing every other node: then stepping and
    // scrubbing clear it (it stayed before).
    const r = await open("?scenario=raft&seed=4&size=3", PROJECTORS[0]);
    await toLeader(r, 0);
    for (const s of ["s1", "s2", "s3"]) {
      await r.page.click(`[data-testid="node-${s}"]`);
      if (await r.page.locator('[data-testid="menu-stop"]:not([disabled])').count()) await r.page.click('[data-testid="menu-stop"]');
      else await r.page.keyboard.press("Escape");
    }
    await r.page.keyboard.press("n");
    await r.page.waitForSelector('[data-testid="notice"]:has-text("No notable event")');
    const whole = await r.page.locator('[data-testid="notice"]').evaluate((e) => {
      const b = e.getBoundingClientRect();
      return e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight + 1 && b.right <= innerWidth && b.bottom <= innerHeight;
    });
    expect(whole).toBe(true);
    const scrubber = (await r.page.locator('[data-testid="scrubber"]').boundingBox())!;
    await r.page.mouse.click(scrubber.x + scrubber.width * 0.3, scrubber.y + scrubber.height / 2);
    await r.page.waitForSelector('[data-testid="notice"]', { state: "detached" });
    expect([...p.errors, ...r.errors]).toEqual([]);
  });
});
