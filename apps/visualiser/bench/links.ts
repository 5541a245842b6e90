import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "vite";
import type { Browser } from "playwright-core";
import { APP_ROOT } from "../tests/harness.js";
import { serveStatic } from "../tests/static-site.js";
import { createRaftDriver } from "../src/lib/scenarios/raft/driver.js";
import { encodeActions } from "../src/lib/actions-link.js";

// How long a link takes to open: from navigation to the first frame of the view at the link's
// point (the app's `drydock:shown` mark, on the page's clock), on the built site served by a
// plain static server, as a room gets it. The replay alone is the `drydock:replay` measure.

export interface OpenTime {
  /** Median over the runs of navigation → first frame at the link's point. */
  readonly shownMs: number;
  /** Median replay (AppState's construction). */
  readonly replayMs: number;
  /** Median time at which the app's script started (page load before it). */
  readonly startMs: number;
  /** Median time until the fingerprint (trace and state hash) is shown. */
  readonly fingerprintMs: number;
  readonly runs: readonly number[];
  /** The page's note when the link opened short of its point. */
  readonly note: string | null;
  readonly events: number;
}

/** A 10-minute Raft session: five servers, a client request every 10 s, the leader stopped and restarted every 2 minutes. */
export function raftSessionLink(): string {
  const d = createRaftDriver("1", { size: 5, prevote: false, checkquorum: false, timeouts: "150-300ms" });
  const tl = d.timeline;
  let stopped: string | null = null;
  for (let s = 1; s <= 600; s++) {
    tl.runUntil(s * 1_000_000);
    const leader = d.view([], { selected: null }).nodes.find((n) => n.up && n.role === "leader");
    if (s % 10 === 0 && leader) tl.act({ type: "propose", value: `v${s}` });
    if (s % 120 === 60 && leader) {
      tl.act({ type: "crash", node: leader.id });
      stopped = leader.id;
    }
    if (s % 120 === 90 && stopped) {
      tl.act({ type: "restart", node: stopped });
      stopped = null;
    }
  }
  return `?scenario=raft&seed=1&t=${d.sim.now}&e=${d.sim.eventCount}#actions=${encodeActions(d.sim.session().actions)}`;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Builds the site into a temporary folder and serves it; `close` removes both. */
export async function builtSite(): Promise<{ url: string; close: () => Promise<void> }> {
  const out = mkdtempSync(join(tmpdir(), "drydock-bench-site-"));
  // Built for production, as a room runs it. The harness's dev server sets NODE_ENV=development in
  // this process, and Vite would then build Svelte's development version, which captures a stack
  // for every piece of state it makes (two thirds of a frame in the swarm view).
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile: join(APP_ROOT, "vite.config.ts"), root: APP_ROOT, logLevel: "error", build: { outDir: out, emptyOutDir: true } });
  } finally {
    if (env === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = env;
  }
  const site = await serveStatic(out, "/");
  return {
    url: site.url,
    async close() {
      await site.close();
      rmSync(out, { recursive: true, force: true });
    },
  };
}

export async function openTime(browser: Browser, url: string, link: string, runs = 5): Promise<OpenTime> {
  const shown: number[] = [];
  const replay: number[] = [];
  const started: number[] = [];
  const printed: number[] = [];
  let note: string | null = null;
  let events = 0;
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    try {
      await page.goto(url + link, { waitUntil: "load", timeout: 120_000 });
      await page.waitForFunction(() => performance.getEntriesByName("drydock:shown").length > 0, null, { timeout: 120_000 });
      await page.waitForFunction(() => document.querySelector('[data-testid="app"]')?.getAttribute("data-trace-hash") !== "", null, { timeout: 120_000 });
      const printedAt = await page.evaluate(() => performance.now());
      const m = await page.evaluate(() => ({
        shown: performance.getEntriesByName("drydock:shown")[0]!.startTime,
        replay: performance.getEntriesByName("drydock:replay")[0]!.duration,
        start: performance.getEntriesByName("drydock:start")[0]!.startTime,
      }));
      started.push(m.start);
      shown.push(m.shown);
      replay.push(m.replay);
      printed.push(printedAt);
      const noted = page.locator('[data-testid="link-note"]');
      note = (await noted.count()) > 0 ? await noted.textContent() : null;
      events = Number(await page.getAttribute('[data-testid="app"]', "data-events"));
    } finally {
      await context.close();
    }
  }
  return { shownMs: median(shown), replayMs: median(replay), startMs: median(started), fingerprintMs: median(printed), runs: shown.map((v) => Math.round(v)), note, events };
}
