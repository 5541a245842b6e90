import type { Harness } from "../tests/harness.js";

// The heap after a lecture: one hour of a 1,000-member gossip session played at 10× through the
// app's own playback path (AppState.tick, as the animation frame calls it), in headless chromium.
// The page imports the app's state and scenarios from the Vite dev server and runs a second
// AppState beside the mounted one, so the whole session is the app's code, with no hook added
// to it. The app keeps a window of the trace (keepTraceWindow) and the kernel a bounded set of
// snapshots (historyMax), so the heap should stop growing once both are full.

export interface HeapRun {
  /** JS heap in use after a full garbage collection, MB (10^6 bytes). */
  readonly heapMb: number;
  /** The same before the session began (the page with its default view). */
  readonly baseMb: number;
  /** Heap after each virtual 10 minutes, MB. */
  readonly everyTenMinutesMb: readonly number[];
  readonly virtualUs: number;
  readonly events: number;
  readonly traceKept: number;
  readonly snapshots: number;
  readonly snapshotEveryUs: number;
  readonly reach: string;
  /** Wall time of a jump back to 5 min and back to the end (each replays at most one snapshot interval). */
  readonly seekBackMs: number;
  readonly wallS: number;
  /** Trace records the app keeps (TRACE_WINDOW). */
  readonly traceWindow: number;
}

const LINK = "?scenario=gossip&members=1000&latency=wan&autopause=0&speed=10";

// Runs in the page (kept as text: a transpiler's helpers do not exist there).
const START = `async (link) => {
  const load = (src) => import(src);
  const { AppState, TRACE_WINDOW } = await load("/src/lib/state.svelte.ts");
  const { SCENARIOS } = await load("/src/lib/scenarios.ts");
  const app = new AppState(SCENARIOS, link);
  app.play();
  window.__drydockHeapBench = app;
  return { speed: app.speed, traceWindow: TRACE_WINDOW };
}`;
// One virtual minute: 60 frames of 100 ms of wall time (the most one frame may move), each a
// virtual second at 10×.
const MINUTE = `() => {
  const app = window.__drydockHeapBench;
  for (let i = 0; i < 60; i++) app.tick(100);
  return { now: app.sim.now, events: app.sim.eventCount };
}`;
const FINISH = `async () => {
  const app = window.__drydockHeapBench;
  const { reachText } = await import("/src/lib/reach.ts");
  app.pause();
  const end = app.sim.now;
  const t0 = performance.now();
  app.seekTime(300000000);
  const at = app.sim.now;
  app.seekTime(end);
  const seekBackMs = performance.now() - t0;
  const r = app.frame.reach;
  return { at, traceKept: app.sim.trace.length, snapshots: r.snapshots, snapshotEveryUs: r.snapshotEveryUs, reach: reachText(r), seekBackMs };
}`;

export async function heapAfterHour(h: Harness): Promise<HeapRun> {
  const started = Date.now();
  const { page, context } = await h.page("", { width: 1280, height: 720 });
  try {
    const cdp = await context.newCDPSession(page);
    const heap = async (): Promise<number> => {
      await cdp.send("HeapProfiler.collectGarbage");
      return (await cdp.send("Runtime.getHeapUsage")).usedSize / 1e6;
    };
    const baseMb = await heap();
    const { speed, traceWindow } = (await page.evaluate(`(${START})(${JSON.stringify(LINK)})`)) as { speed: number; traceWindow: number };
    if (speed !== 10) throw new Error(`the session plays at ${String(speed)}×, not 10×`);
    const every: number[] = [];
    let last = { now: 0, events: 0 };
    for (let m = 1; m <= 60; m++) {
      last = (await page.evaluate(`(${MINUTE})()`)) as typeof last;
      if (m % 10 === 0) {
        every.push(Math.round(await heap()));
        process.stderr.write(`  heap: ${m} virtual minutes, ${every[every.length - 1]} MB, ${Math.round((Date.now() - started) / 1000)} s\n`);
      }
    }
    const heapMb = await heap();
    const end = (await page.evaluate(`(${FINISH})()`)) as { at: number; traceKept: number; snapshots: number; snapshotEveryUs: number; reach: string; seekBackMs: number };
    if (end.at !== 300_000_000) throw new Error(`a jump back to 5 min landed at ${end.at} µs`);
    return {
      heapMb, baseMb, traceWindow, everyTenMinutesMb: every, virtualUs: last.now, events: last.events, traceKept: end.traceKept,
      snapshots: end.snapshots, snapshotEveryUs: end.snapshotEveryUs, reach: end.reach, seekBackMs: end.seekBackMs, wallS: (Date.now() - started) / 1000,
    };
  } finally {
    await context.close();
  }
}
