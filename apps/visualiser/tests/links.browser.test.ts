import { describe, expect, it } from "vitest";
import { createRaftDriver } from "../src/lib/scenarios/raft/driver.js";
import { encodeActions } from "../src/lib/url.js";
import { labBySlug } from "../src/lib/labs/catalog.js";
import { OPEN_EVENTS_MAX } from "../src/lib/replay.js";
import { readRun, screenshot, type AppPage } from "./harness.js";
import { pagesPerTest } from "./pages.js";

// Links that never freeze the tab (issue #13): the replay a link asks for is bounded before it
// starts, and a link past the bound opens at the nearest point it reaches and says why. The
// bound is counted in events, so these tests assert events, never milliseconds; the times are
// in the benchmarks (bench/index.ts).

const { open } = pagesPerTest();


const hostile: readonly (readonly [string, string, RegExp])[] = [
  ["an action at event 9,007,199,254,740,990", `?scenario=raft#actions=${encodeActions([{ index: 9_007_199_254_740_990, at: 0, action: { type: "crash", node: "s1" } }])}`, /its last action, at event 9,007,199,254,740,990/],
  ["an hour of 1,000 members", "?scenario=gossip&members=1000&t=3600000000", /asks for 1h0m0s/],
  ["event 5,000,000 of 200 members", "?scenario=gossip&members=200&e=5000000", /asks for event 5,000,000/],
];

describe("links that never freeze", () => {
  it.each(hostile)("%s: opens at the nearest point it reaches and says why", async (name, link, asked) => {
    const p = await open(link);
    const note = p.page.locator('[data-testid="link-note"]');
    await note.waitFor();
    const text = (await note.textContent()) ?? "";
    expect(text).toMatch(asked);
    expect(text).toMatch(/nearest point it reaches/);
    const run = await readRun(p.page);
    expect(run.events).toBeGreaterThan(0);
    expect(run.events).toBeLessThanOrEqual(OPEN_EVENTS_MAX);
    // The address now names the point on the screen: reloading it opens there. (The first link
    // still carries its action beyond reach, so it says so again; the others open in silence.)
    expect(p.page.url()).toContain(`e=${run.events}`);
    await screenshot(p.page, `link-hostile-${name.replace(/[^a-z0-9]+/gi, "-")}`);
    const again = await open(new URL(p.page.url()).search + new URL(p.page.url()).hash);
    expect(await readRun(again.page)).toEqual(run);
    expect(await again.page.locator('[data-testid="link-note"]').count()).toBe(link.includes("#actions") ? 1 : 0);
    expect([...p.errors, ...again.errors]).toEqual([]);
  });

  it("a session of 290 actions keeps its log in the fragment and reproduces Node's run", async () => {
    const d = createRaftDriver("6", { size: 5, prevote: false, checkquorum: false, timeouts: "150-300ms" });
    for (let i = 0; i < 290; i++) {
      d.timeline.runUntil(500_000 + i * 20_000);
      const leader = d.view([], { selected: null }).nodes.find((n) => n.up && n.role === "leader");
      if (leader) d.timeline.act({ type: "propose", value: `v${i}` });
      else d.timeline.act({ type: "timeout", node: "s1" });
    }
    d.timeline.runUntil(7_000_000);
    expect(d.sim.actionLog).toHaveLength(290);
    const actions = encodeActions(d.sim.session().actions);
    const search = `?scenario=raft&seed=6&e=${d.sim.eventCount}&t=${d.sim.now}`;
    // Vite's preview server answered 431 to a request line this long; the fragment is never sent.
    expect(actions.length).toBeGreaterThan(8_000);
    const p = await open(`${search}#actions=${actions}`);
    const run = await readRun(p.page);
    expect(run).toMatchObject({ events: d.sim.eventCount, trace: d.sim.traceHash(), state: d.sim.stateHash() });
    const url = new URL(p.page.url());
    expect(url.search.length).toBeLessThan(200);
    expect(url.hash).toMatch(/^#actions=/);
    expect(p.errors).toEqual([]);
  });

  it("the link keeps speed, the selected server, what is shown, and the charts' settings", async () => {
    const p = await open("?scenario=raft&seed=2&e=300&speed=3&sel=s2&projector&panel=1");
    expect(await p.page.inputValue('[data-testid="speed"]')).toBe("6");
    expect(await p.page.textContent('[data-testid="raft-panel"]')).toBeTruthy();
    expect(await p.page.locator("aside h3").first().textContent()).toMatch(/s2.*selected/);
    // A presenter's keys change the speed; the address follows.
    await p.page.keyboard.press("]");
    await p.page.waitForFunction(() => location.search.includes("speed=10"));
    expect(p.page.url()).toContain("sel=s2");
    expect(p.page.url()).toContain("panel=1");
    const charts = await open("?view=charts&trials=500&ctimeout=150-155ms&cprevote=1");
    expect(await charts.page.inputValue('[data-testid="chart-trials"]')).toBe("500");
    expect(await charts.page.inputValue('[data-testid="chart-timeout"]')).toBe("150-155ms");
    expect(await charts.page.isChecked('[data-testid="chart-prevote"]')).toBe(true);
    await charts.page.selectOption('[data-testid="chart-trials"]', "100");
    await charts.page.waitForFunction(() => location.search.includes("trials=100"));
    expect([...p.errors, ...charts.errors]).toEqual([]);
  });

  it("gossip: the watched member is the selection, and the link keeps it", async () => {
    const p = await open("?scenario=gossip&members=20&seed=4&e=200&sel=m7");
    await p.page.waitForSelector('[data-testid="gossip-canvas"][data-watched="m7"]');
    expect(p.page.url()).toContain("sel=m7");
    expect(p.errors).toEqual([]);
  });
});

// QA walk of session 5, D10: a link with one option not understood opens its valid parts (the
// scene or lab it names, that option at its default or in range) and says once, in the notice
// area, what it dropped; a name that does not exist opens the default scene and says so, as text.
const STEPS = labBySlug("swarm-self-healing")!.steps.length;
const partly: readonly (readonly [string, string, Record<string, string>, string])[] = [
  ["?lab=swarm-self-healing&step=99", "lab", { lab: "swarm-self-healing", step: String(STEPS) }, `step=99: the lab swarm-self-healing has steps 1 to ${STEPS}; showing step ${STEPS}`],
  ["?scenario=node-failure&speed=-5", "node-failure", { seed: "1" }, "speed=-5 is not a speed (0, 0.01, 0.03, 0.1, 0.25, 1, 3, 10); playing at 3×"],
  ["?scenario=build&seed=", "build", { seed: "1" }, 'seed="" is not a seed'],
  ["?scenario=build&seed=%00", "build", { seed: "1" }, 'seed="\\u0000" is not a seed'],
  ["?scenario=../../etc", "raft", {}, 'there is no scene named "../../etc"; showing Raft'],
  ["?lab=nope", "raft", {}, 'there is no lab named "nope"; showing Raft'],
  ["?lab=%3Cscript%3Edocument.title='pwned'%3C/script%3E", "raft", {}, `there is no lab named "<script>document.title='pwned'</script>"; showing Raft`],
];

describe("links with a part not understood", () => {
  it.each(partly)("%s opens %s and says what it dropped", async (link, scene, kept, said) => {
    const p = await open(link);
    const note = p.page.locator('[data-testid="link-error"]');
    await note.waitFor();
    expect(await p.page.locator('[data-testid="app"]').getAttribute("data-scenario")).toBe(scene);
    const url = new URL(p.page.url()).searchParams;
    for (const [key, value] of Object.entries(kept)) expect(url.get(key), key).toBe(value);
    expect(await note.textContent()).toContain(said);
    // Said once, and as text: the link's markup is never the page's.
    expect(await p.page.locator('[data-testid="link-error"], [data-testid="link-note"]').count()).toBe(1);
    expect(await p.page.locator('[data-testid="link-error"] script').count()).toBe(0);
    expect(await p.page.title()).not.toBe("pwned");
    if (link.includes("speed")) expect(await p.page.inputValue('[data-testid="speed"]')).toBe("6"); // 3×, the scene's own
    await screenshot(p.page, `link-partly-${link.replace(/[^a-z0-9]+/gi, "-").slice(0, 40)}`);
    expect(p.errors).toEqual([]);
  });

  it("a link understood in full says nothing", async () => {
    const p = await open(`?lab=swarm-self-healing&step=${STEPS}`);
    await p.page.waitForSelector('[data-testid="lab"][data-lab="swarm-self-healing"]');
    expect(await p.page.locator('[data-testid="link-error"]').count()).toBe(0);
    expect(p.errors).toEqual([]);
  });
});
