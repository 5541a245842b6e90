import type { BenchResult } from "@drydock/kernel";
import { loadavg } from "node:os";
import type { Page } from "playwright-core";
import type { Harness } from "../tests/harness.js";
import { builtSite } from "./links.js";

// The time from a line typed into the terminal panel (its Enter) to the swarm view showing what the
// line did (issue 14: at most 100 ms), in headless chromium at 1280x720 on the built site. The
// clock starts at the Enter keydown in the page and stops at the first animation frame whose DOM
// shows the effect (that frame paints it): the line run on the playground (pg.begin and the world
// stepped until it is done: a service create waits for its tasks to converge, as docker's CLI
// does), the view model, Svelte's update of the view and the terminal's redraw. A removal shows
// once Raft commits it, as the run plays on after the line.

// term=1: the panel shown whether or not the scene opens it by default (ScenarioDef.terminal).
const NODE_FAILURE = "?scenario=node-failure&seed=1&autopause=0&term=1";

/** Lines, each with the selector that shows its effect (`!` before it: the element is gone). */
const lines = (name: string): [string, string][] => [
  [`docker service create --replicas 6 --name ${name} nginx`, `[data-testid="service-${name}"][data-running="6"]`],
  [`docker service scale ${name}=2`, `[data-testid="service-${name}"][data-running="2"]`],
  [`docker service rm ${name}`, `![data-testid="service-${name}"]`],
];

// Runs in the page, kept as text (a transpiler's helpers do not exist there).
const UNTIL_SHOWN = `(sel) => new Promise((resolve) => {
  const gone = sel.startsWith("!");
  const q = gone ? sel.slice(1) : sel;
  let t0 = null;
  const onkey = (e) => { if (e.key === "Enter" && t0 === null) t0 = performance.now(); };
  window.addEventListener("keydown", onkey, { capture: true });
  const check = () => {
    const shown = gone ? document.querySelector(q) === null : document.querySelector(q) !== null;
    if (t0 !== null && shown) {
      window.removeEventListener("keydown", onkey, { capture: true });
      resolve(performance.now() - t0);
      return;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})`;

async function timeLine(page: Page, line: string, selector: string): Promise<number> {
  await page.click('[data-testid="terminal"]');
  await page.keyboard.type(line);
  const shown = page.evaluate(`(${UNTIL_SHOWN})(${JSON.stringify(selector)})`) as Promise<number>;
  await page.waitForTimeout(100);
  await page.keyboard.press("Enter");
  const ms = await shown;
  // Pause (the line set the run playing) so each line starts from a still page.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  if ((await page.locator('[data-testid="app"]').getAttribute("data-playing")) === "1") await page.keyboard.press("Space");
  return ms;
}

export interface TerminalLatency {
  /** Milliseconds from Enter to the frame showing the effect, by line. */
  readonly byLine: Readonly<Record<string, number[]>>;
  readonly all: readonly number[];
}

export async function terminalLatency(h: Harness, rounds = 3): Promise<TerminalLatency> {
  const site = await builtSite();
  const context = await h.browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  try {
    await page.goto(site.url + NODE_FAILURE, { waitUntil: "load", timeout: 120_000 });
    await page.waitForSelector('[data-testid="terminal"] .xterm-rows', { timeout: 60_000 });
    await timeLine(page, "docker service ls", '[data-testid="service-web"]'); // warm-up: JIT
    const byLine: Record<string, number[]> = {};
    const all: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const [line, selector] of lines(`api${r}`)) {
        const ms = await timeLine(page, line, selector);
        const key = line.replace(/api\d+/, "api");
        (byLine[key] ??= []).push(ms);
        all.push(ms);
      }
    }
    return { byLine, all };
  } finally {
    await context.close();
    await site.close();
  }
}

const round = (v: number, d = 1): number => Number(v.toFixed(d));
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** bench/index.ts: `...(await terminalResults(h)),` among the results. */
export async function terminalResults(h: Harness): Promise<BenchResult[]> {
  const r = await terminalLatency(h);
  const worst = Math.max(...r.all);
  return [{
    name: "visualiser.terminal_enter_to_view_ms",
    figure: round(median(r.all)),
    unit: "ms",
    params: { scenario: "node-failure", hosts: 7, viewport: "1280x720", browser: "chromium headless", lines: Object.keys(r.byLine) },
    goal: "at most 100 ms from a typed command (Enter) to the view showing its effect",
    met: worst <= 100,
    note: `median over ${r.all.length} lines; worst ${round(worst)} ms; by line (median, max): ${Object.entries(r.byLine).map(([l, xs]) => `${l}: ${round(median(xs))}/${round(Math.max(...xs))}`).join("; ")}; Enter keydown to the first animation frame whose DOM shows the effect; the built site; load average ${loadavg()[0]!.toFixed(1)}`,
  }];
}
