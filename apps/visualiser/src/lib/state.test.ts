import { describe, expect, it } from "vitest";
import { AppState } from "./state.svelte.js";
import { SCENARIOS } from "./scenarios.js";

function fresh(search = "?scenario=network&seed=7"): AppState {
  return new AppState(SCENARIOS, search);
}

function advance(app: AppState, ms: number): void {
  app.play();
  for (let i = 0; i < ms / 50; i++) app.tick(50);
  app.pause();
}

describe("AppState time travel", () => {
  it("stepping back returns to the identical state (hashes equal)", () => {
    const app = fresh();
    app.setSpeed(5);
    app.autoPause = false;
    advance(app, 500);
    const before = app.hashes!;
    const events = app.frame.events;
    app.stepForward();
    expect(app.frame.events).toBe(events + 1);
    expect(app.hashes!.state).not.toBe(before.state);
    app.stepBack();
    expect(app.frame.events).toBe(events);
    expect(app.hashes).toEqual(before);
  });

  it("acting after going back forks a new future (RaftScope's rule)", () => {
    const app = fresh();
    app.setSpeed(5);
    app.autoPause = false;
    advance(app, 1000);
    app.seekTime(300_000);
    expect(app.act({ type: "crash", node: "n2" })).toBe(true);
    expect(app.sim.session().actions).toHaveLength(1);
    expect(app.frame.horizonUs).toBe(300_000);
  });

  it("a refused action changes nothing and says why", () => {
    const app = fresh();
    const before = app.hashes;
    expect(app.act({ type: "crash", node: "nope" })).toBe(false);
    expect(app.notice).toMatch(/unknown node "nope"/);
    expect(app.hashes).toEqual(before);
  });

  it("a link made from the state reproduces it exactly", () => {
    const app = fresh();
    app.setSpeed(5);
    app.autoPause = false;
    advance(app, 400);
    app.act({ type: "isolate", node: "n3" });
    advance(app, 400);
    app.stepBack();
    const copy = new AppState(SCENARIOS, app.linkSearch());
    expect(copy.linkError).toBeNull();
    expect(copy.hashes).toEqual(app.hashes);
    expect(copy.frame.events).toBe(app.frame.events);
  });

  it("next and previous notable events move between marks; auto-pause stops at one", () => {
    const app = fresh();
    app.act({ type: "crash", node: "n2" });
    app.nextNotable();
    expect(app.marks.length).toBeGreaterThan(0);
    const first = app.marks[0]!;
    expect(app.frame.now).toBe(first.t);
    app.nextNotable();
    const second = app.frame.now;
    expect(second).toBeGreaterThan(first.t);
    app.prevNotable();
    expect(app.frame.now).toBe(first.t);
    // Playing from the start with auto-pause on stops at the first mark.
    app.seekTime(0);
    app.setSpeed(5);
    app.autoPause = true;
    app.play();
    for (let i = 0; i < 200 && app.playing; i++) app.tick(50);
    expect(app.playing).toBe(false);
    expect(app.frame.now).toBe(first.t);
  });

  it("when no notable event comes within a minute, the view and the scrubber's range stay where they were", () => {
    const app = fresh("?scenario=network&seed=3");
    app.setSpeed(5);
    app.autoPause = false;
    advance(app, 300);
    const before = app.hashes;
    const shown = app.frame.horizonUs;
    app.nextNotable();
    expect(app.notice).toMatch(/No notable event/);
    expect(app.hashes).toEqual(before);
    // The minute searched is not stretched over the scrubber: what was shown keeps its width.
    expect(app.frame.horizonUs).toBe(shown);
    expect(app.sim.history().horizonUs).toBeGreaterThan(60_000_000);
  });

  it("a bad link shows a clear message and the default scenario", () => {
    const app = fresh("?scenario=network&seed=1&actions=W1swLDAseyJ0eXBlIjoiY3Jhc2giLCJub2RlIjoienp6In1dXQ");
    expect(app.linkError).toMatch(/could not be opened: unknown node "zzz"/);
    expect(app.scenario.id).toBe(SCENARIOS[0]!.id);
    expect(app.sim.session().actions).toHaveLength(0);
  });
});
