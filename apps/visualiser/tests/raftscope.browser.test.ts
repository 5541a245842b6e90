import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { KEY_HELP } from "../src/lib/keys.js";
import { RAFT_KEYS } from "../src/lib/scenarios/raft/driver.js";
import { storyKeys } from "../src/lib/scenarios/raft/story-mode.js";
import { RAFT_STORY } from "../src/lib/scenarios/raft/story.js";
import { readRun, screenshot, type AppPage } from "./harness.js";
import { pagesPerTest } from "./pages.js";

// RaftScope's depth (issue #13): a message's fields on click, the leader's view of each
// follower under its log, request values in the boxes, a request to the server clicked (a stale
// leader in a minority takes it and never commits it), the instructor's keys and their `?` list,
// the message-type filter, stepping back and on to the same instant, controls that would do
// nothing disabled, and a sequence diagram that says what it shows.

const { open } = pagesPerTest();


/** Clicks the glyph (not the label) of the first message matching `selector`. */
async function clickMessage(page: Page, selector: string): Promise<void> {
  const box = (await page.locator(`${selector} :is(rect, circle)`).first().boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector('[data-testid="message-card"]');
}

async function fields(page: Page): Promise<Record<string, string>> {
  return page.locator('[data-testid="message-fields"] dd[data-field]').evaluateAll((dds) =>
    Object.fromEntries(dds.map((d) => [d.getAttribute("data-field")!, d.textContent ?? ""])));
}

/** Steps forward until a message matching `selector` is in flight. */
async function stepUntil(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max && (await page.locator(selector).count()) === 0; i++) await page.keyboard.press("ArrowRight");
  expect(await page.locator(selector).count()).toBeGreaterThan(0);
}

async function notice(page: Page, text: RegExp | string): Promise<void> {
  await page.waitForFunction((t: string | readonly [string, string]) => {
    const s = document.querySelector('[data-testid="notice"]')?.textContent ?? "";
    return typeof t === "string" ? s.includes(t) : new RegExp(t[0], t[1]).test(s);
  }, typeof text === "string" ? text : ([text.source, text.flags] as const));
}

describe("RaftScope's depth", () => {
  it("a message's details list all its fields (Figure 2), and it can be dropped from there", async () => {
    const p = await open("?scenario=raft&seed=4&t=1000000", { width: 1280, height: 720 });
    // A request: the leader sends its entry to every follower.
    await p.page.keyboard.press("c");
    await notice(p.page, "Client request v1 sent");
    await stepUntil(p.page, '[data-kind="append"]');
    await clickMessage(p.page, '[data-kind="append"]');
    const ae = await fields(p.page);
    expect(Object.keys(ae)).toEqual(["term", "leaderId", "prevLogIndex", "prevLogTerm", "entries", "leaderCommit"]);
    expect(ae.entries).toMatch(/^\d+: term \d+, v1$/);
    expect(await p.page.getAttribute('[data-testid="app"]', "data-playing")).toBe("0");
    await screenshot(p.page, "raft-message-details");
    await p.page.keyboard.press("Escape");
    expect(await p.page.locator('[data-testid="message-card"]').count()).toBe(0);
    // Its reply: success and matchIndex.
    await stepUntil(p.page, '[data-kind="append-reply"]');
    await clickMessage(p.page, '[data-kind="append-reply"]');
    expect(Object.keys(await fields(p.page))).toEqual(expect.arrayContaining(["term", "success", "matchIndex"]));
    await p.page.click('[data-testid="message-drop"]');
    await p.page.waitForSelector('[data-testid="raft-message"].dropping');
    // An election: RequestVote carries candidateId, lastLogIndex and lastLogTerm.
    await p.page.keyboard.press("a");
    await stepUntil(p.page, '[data-kind="vote"]');
    await clickMessage(p.page, '[data-kind="vote"]');
    expect(Object.keys(await fields(p.page))).toEqual(["term", "candidateId", "lastLogIndex", "lastLogTerm"]);
    expect(p.errors).toEqual([]);
  });

  it("the logs show request values numbered without gaps, and the leader's nextIndex and matchIndex under each follower", async () => {
    const p = await open("?scenario=raft&seed=4&t=1000000&projector", { width: 1280, height: 720 });
    for (let i = 0; i < 3; i++) {
      await p.page.keyboard.press("c");
      for (let j = 0; j < 30; j++) await p.page.keyboard.press("ArrowRight");
    }
    const values = await p.page.locator('[data-testid="raft-logs"] .entry .v').allTextContents();
    expect([...new Set(values)].sort()).toEqual(["v1", "v2", "v3"]);
    const leader = ((await p.page.locator('[data-role="leader"]').getAttribute("data-testid")) ?? "").replace("node-", "");
    // Every follower's row carries the leader's view of it: a ▲ in its nextIndex column and a ● after its matchIndex.
    const rows = await p.page.locator('[data-testid^="log-"]').evaluateAll((trs) => trs.map((tr) => ({
      id: tr.getAttribute("data-testid")!.slice(4), next: tr.getAttribute("data-next"), match: tr.getAttribute("data-match"),
      nextAt: tr.querySelector('[data-testid="next-index"]') !== null, matchAt: tr.querySelector('[data-testid="match-index"]') !== null,
    })));
    for (const r of rows) {
      if (r.id === leader) expect(r.next).toBeNull();
      else expect(r).toMatchObject({ nextAt: true, matchAt: true });
    }
    await screenshot(p.page, "raft-values-and-progress-1280x720");
    expect(p.errors).toEqual([]);
  });

  it("a client request sent to a stale leader in a minority goes into its log and never commits", async () => {
    const p = await open("?scenario=raft&seed=4&t=1000000&projector", { width: 1280, height: 720 });
    const old = ((await p.page.locator('[data-role="leader"]').getAttribute("data-testid")) ?? "").replace("node-", "");
    const other = old === "s1" ? "s2" : "s1";
    // The leader and one follower on side A; the three others elect a new leader.
    await p.page.click('[data-testid="partition"]');
    await p.page.click(`[data-testid="node-${old}"]`);
    await p.page.click(`[data-testid="node-${other}"]`);
    await p.page.click('[data-testid="partition-apply"]');
    await p.page.keyboard.press("PageDown");
    await notice(p.page, /became leader in term [2-9]/);
    expect(await p.page.getAttribute(`[data-testid="node-${old}"]`, "data-role")).toBe("leader");
    // The menu of a follower offers no request; the stale leader's takes it.
    await p.page.click(`[data-testid="node-${other}"]`);
    expect(await p.page.isDisabled('[data-testid="menu-request"]')).toBe(true);
    await p.page.keyboard.press("Escape");
    await p.page.click(`[data-testid="node-${old}"]`);
    expect(await p.page.textContent('[data-testid="menu-request"]')).toBe(`Client request v1 (to ${old})`);
    await p.page.click('[data-testid="menu-request"]');
    await notice(p.page, `Client request v1 sent to ${old}`);
    // Two seconds on: in the stale leader's log and its one follower's, dashed (not committed), and nowhere else.
    const t = (await readRun(p.page)).now;
    await p.page.selectOption('[data-testid="speed"]', "5");
    await p.page.uncheck('[data-testid="autopause"]').catch(() => {});
    await p.page.evaluate(() => document.querySelector<HTMLElement>('[data-testid="play"]')!.click());
    await p.page.waitForFunction((t0) => Number(document.querySelector('[data-testid="app"]')?.getAttribute("data-now")) > t0 + 2_000_000, t);
    await p.page.keyboard.press("Space");
    const v1 = await p.page.locator('[data-testid="raft-logs"] .entry:has(.v:text-is("v1"))').evaluateAll((es) =>
      es.map((e) => ({ row: e.closest("tr")!.getAttribute("data-testid"), committed: e.classList.contains("committed") })));
    expect(v1.map((e) => e.row).sort()).toEqual([`log-${old}`, `log-${other}`].sort());
    expect(v1.every((e) => !e.committed)).toBe(true);
    await screenshot(p.page, "raft-stale-leader-request-1280x720");
    expect(p.errors).toEqual([]);
  });

  it("keys for an instructor without a mouse, and `?` lists every one of them", async () => {
    const p = await open("?scenario=raft&seed=2", { width: 1024, height: 768 });
    await p.page.keyboard.press("c");
    await notice(p.page, "No leader to take a client request yet.");
    await p.page.keyboard.press("PageDown");
    await notice(p.page, "became leader");
    await p.page.keyboard.press("c");
    await notice(p.page, "Client request v1 sent");
    await p.page.keyboard.press("r");
    await notice(p.page, /Restarted s\d, the leader/);
    await p.page.keyboard.press("t");
    await notice(p.page, /timer ran out first/);
    await p.page.keyboard.press("a");
    await notice(p.page, /timed out at once/);
    // 1 request, a crash and a restart, 1 timeout, then the four followers and candidates at once.
    expect(await p.page.textContent('[data-testid="clock"]')).toMatch(/9 actions/);
    await p.page.keyboard.press("h");
    await p.page.waitForFunction(() => location.search.includes("hide=heartbeat"));
    await p.page.keyboard.press("?");
    const help = p.page.locator('[data-testid="key-help"]');
    await help.waitFor();
    const listed = await help.locator("kbd").allTextContents();
    // Raft's keys, then story mode's next and back (issue 17).
    expect(listed).toEqual([...KEY_HELP.map(([k]) => k), ...RAFT_KEYS.map((k) => k.key), ...storyKeys(RAFT_STORY).map((k) => k.key)]);
    await screenshot(p.page, "raft-keys-help-1024x768");
    await p.page.keyboard.press("Escape");
    expect(await help.count()).toBe(0);
    expect(p.errors).toEqual([]);
  });

  it("the message-type filter hides a kind on the ring and in the sequence diagram, and the link keeps it", async () => {
    const p = await open("?scenario=raft&seed=4&t=1000000");
    await p.page.keyboard.press("ArrowRight");
    await stepUntil(p.page, '[data-kind="heartbeat"]');
    const toggle = p.page.locator('[data-testid="raft-kind-heartbeat"]');
    if (!(await toggle.isVisible())) await p.page.click('[data-testid="raft-key-toggle"]');
    await toggle.click();
    expect(await toggle.getAttribute("aria-pressed")).toBe("false");
    expect(await p.page.locator('[data-kind="heartbeat"]').count()).toBe(0);
    expect(await p.page.locator('[data-testid="sequence"] text.msglbl:text-is("AE ♥")').count()).toBe(0);
    expect(p.page.url()).toContain("hide=heartbeat");
    const copy = await open(new URL(p.page.url()).search);
    expect(await copy.page.locator('[data-kind="heartbeat"]').count()).toBe(0);
    expect([...p.errors, ...copy.errors]).toEqual([]);
  });

  it("stepping back five events and on five returns to the same instant and state hash", async () => {
    const p = await open("?scenario=raft&seed=5");
    await p.page.keyboard.press("PageDown");
    await notice(p.page, "became leader");
    // Play a moment: playback stops between events, so the clock stands past the last one.
    await p.page.selectOption('[data-testid="speed"]', "3");
    const start = (await readRun(p.page)).events;
    await p.page.keyboard.press("Space");
    await p.page.waitForFunction((n) => Number(document.querySelector('[data-testid="app"]')?.getAttribute("data-events")) > n + 20, start);
    await p.page.keyboard.press("Space");
    await p.page.waitForSelector('[data-playing="0"]');
    const here = await readRun(p.page);
    for (let i = 0; i < 5; i++) await p.page.keyboard.press("ArrowLeft");
    await p.page.waitForFunction((n) => document.querySelector('[data-testid="app"]')?.getAttribute("data-events") === String(n), here.events - 5);
    const back = await readRun(p.page);
    expect(back.state).not.toBe(here.state);
    for (let i = 0; i < 5; i++) await p.page.keyboard.press("ArrowRight");
    await p.page.waitForFunction((n) => document.querySelector('[data-testid="app"]')?.getAttribute("data-events") === String(n), here.events);
    expect(await readRun(p.page)).toEqual(here);
    expect(p.errors).toEqual([]);
  });
});

describe("controls and the sequence diagram say what they do", () => {
  it("the baseline box is disabled at 1,000 members and says why; step back and reset are disabled at the start", async () => {
    const p = await open("?scenario=gossip&members=1000&seed=2");
    const box = p.page.locator('[data-testid="opt-baseline"]');
    expect(await box.isDisabled()).toBe(true);
    expect(await box.isChecked()).toBe(false);
    expect(await p.page.textContent('[data-testid="opt-baseline-inert"]')).toMatch(/off above 200 members/);
    expect(await p.page.isDisabled('[data-testid="step-back"]')).toBe(true);
    expect(await p.page.isDisabled('[data-testid="reset"]')).toBe(true);
    await p.page.keyboard.press("ArrowRight");
    await p.page.waitForSelector('[data-testid="step-back"]:not([disabled])');
    const small = await open("?scenario=gossip&members=50&seed=2");
    expect(await small.page.isDisabled('[data-testid="opt-baseline"]')).toBe(false);
    expect([...p.errors, ...small.errors]).toEqual([]);
  });

  it("a crashed member gets its own lane, messages in flight end in a hollow head, and the header says what it left out", async () => {
    const p = await open("?scenario=gossip&members=1000&seed=2&latency=lan");
    await p.page.selectOption('[data-testid="member-picker"]', "m500");
    await p.page.click('[data-testid="member-actions"]');
    await p.page.click('[data-testid="menu-stop"]');
    await p.page.keyboard.press("n");
    await notice(p.page, "suspected");
    const lanes = await p.page.locator('[data-testid="sequence"] text.lanelbl').allTextContents();
    expect(lanes).toContain("m500");
    expect(lanes).toContain("others");
    expect(await p.page.locator('[data-testid="sequence"] line[data-flying="1"]').count()).toBeGreaterThan(0);
    expect(await p.page.locator('[data-testid="sequence"] line[data-flying="1"][marker-end]').count()).toBe(0);
    expect(await p.page.textContent('[data-testid="sequence-about"]')).toMatch(/8 of 1,000 members/);
    await screenshot(p.page, "sequence-gossip-1000-crashed-lane");
    expect(p.errors).toEqual([]);
  });
});
