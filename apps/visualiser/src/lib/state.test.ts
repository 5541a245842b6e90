import { describe, expect, it } from "vitest";
import { AppState, TRACE_WINDOW } from "./state.svelte.js";
import { SCENARIOS } from "./scenarios.js";
import { encodeActions } from "./url.js";
import { OPEN_EVENTS_MAX } from "./replay.js";
import { buildArrows, laneList } from "./sequence.js";
import { createGossipDriver } from "./scenarios/gossip/driver.js";
import { reachText } from "./reach.js";

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
    // A second failure, so there is a second mark (one failure is one mark: see below).
    app.act({ type: "isolate", node: "n3" });
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

  it("stepping back five events and forward five returns to the same instant and state, even from between events", () => {
    const app = fresh("?scenario=raft&seed=3");
    app.setSpeed(5);
    app.autoPause = false;
    // Playback stops between events: the clock stands past the last event processed.
    advance(app, 730);
    const here = { events: app.frame.events, now: app.frame.now, hashes: app.hashes };
    expect(app.sim.now).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) app.stepBack();
    expect(app.frame.events).toBe(here.events - 5);
    for (let i = 0; i < 5; i++) app.stepForward();
    expect({ events: app.frame.events, now: app.frame.now, hashes: app.hashes }).toEqual(here);
  });

  it("the network view pauses once per failure, not once per missed ping", () => {
    const app = fresh("?scenario=network&seed=3");
    app.act({ type: "crash", node: "n2" });
    app.setSpeed(5);
    app.autoPause = true;
    const pauses: string[] = [];
    let misses = 0;
    // Ten seconds of play, resuming after each pause.
    while (app.frame.now < 10_000_000) {
      app.play();
      for (let i = 0; i < 400 && app.playing; i++) app.tick(50);
      if (!app.playing && app.notice) pauses.push(app.notice);
    }
    for (const r of app.sim.trace) if (r.type === "state" && (r.data as { event: string }).event === "noReply") misses++;
    expect(misses).toBeGreaterThan(10);
    expect(pauses).toHaveLength(1);
    expect(pauses[0]).toMatch(/^Paused: n\d: no reply from n2$/);
    // A second failure is news again: isolating n3 pauses once more.
    app.act({ type: "isolate", node: "n3" });
    app.play();
    for (let i = 0; i < 400 && app.playing; i++) app.tick(50);
    expect(app.playing).toBe(false);
    expect(app.notice).toMatch(/^Paused: .*no reply from/);
  });

  it("a bad link shows a clear message and the default scenario", () => {
    const app = fresh("?scenario=network&seed=1&actions=W1swLDAseyJ0eXBlIjoiY3Jhc2giLCJub2RlIjoienp6In1dXQ");
    expect(app.linkError).toMatch(/could not be opened: unknown node "zzz"/);
    expect(app.scenario.id).toBe(SCENARIOS[0]!.id);
    expect(app.sim.session().actions).toHaveLength(0);
  });
});

describe("links that never freeze: the replay is bounded before it starts", () => {
  // The hostile links: each opened the tab for minutes. Now each spends at most the
  // budget of events (a little over, by the last step) and opens at the nearest point it reaches.
  const bound = OPEN_EVENTS_MAX * 1.25;

  it("an action at event 9,007,199,254,740,990", () => {
    const actions = encodeActions([{ index: 9_007_199_254_740_990, at: 0, action: { type: "crash", node: "s1" } }]);
    const app = new AppState(SCENARIOS, `?scenario=raft&seed=1#actions=${actions}`);
    expect(app.linkError).toBeNull();
    expect(app.timeline.work()).toBeLessThanOrEqual(bound);
    expect(app.linkNote).toMatch(/last action, at event 9,007,199,254,740,990/);
    expect(app.linkNote).toMatch(/nearest point it reaches/);
    expect(app.linkNote).toMatch(/1 of its 1 action comes later/);
  });

  it("an hour of a 1,000-member cluster", () => {
    const app = new AppState(SCENARIOS, "?scenario=gossip&members=1000&t=3600000000");
    expect(app.timeline.work()).toBeLessThanOrEqual(bound);
    expect(app.timeline.work()).toBeGreaterThan(OPEN_EVENTS_MAX * 0.75);
    expect(app.frame.now).toBeGreaterThan(30_000_000);
    expect(app.linkNote).toMatch(/asks for 1h0m0s/);
    // The link it now carries is the point it stands at, and opens there exactly.
    const copy = new AppState(SCENARIOS, app.linkSearch());
    expect(copy.linkNote).toBeNull();
    expect(copy.hashes).toEqual(app.hashes);
  });

  it("event 5,000,000 of a 200-member cluster with its heartbeat baseline", () => {
    const app = new AppState(SCENARIOS, "?scenario=gossip&members=200&e=5000000");
    // The baseline's events count too: 200 members send ~40,000 heartbeats a second.
    expect(app.timeline.work()).toBeLessThanOrEqual(bound);
    expect(app.frame.events).toBeLessThan(OPEN_EVENTS_MAX);
    expect(app.linkNote).toMatch(/asks for event 5,000,000/);
  });

  it("a link within the budget opens exactly where it says, with no note", () => {
    const app = new AppState(SCENARIOS, "?scenario=raft&seed=2&t=30000000");
    expect(app.linkNote).toBeNull();
    expect(app.frame.now).toBe(30_000_000);
  });

  it("speed, the selected server and the charts' settings come back from a link", () => {
    const app = new AppState(SCENARIOS, "?scenario=raft&seed=2&e=50");
    app.setSpeed(6);
    app.select("s3");
    app.setChart({ trials: 500, timeouts: "150-155ms", prevote: true });
    const copy = new AppState(SCENARIOS, app.linkSearch());
    expect(copy.speedIndex).toBe(6);
    expect(copy.selected).toBe("s3");
    expect(copy.chart).toEqual({ trials: 500, timeouts: "150-155ms", prevote: true });
    // A selection that names no server of this run is left out.
    expect(new AppState(SCENARIOS, "?scenario=raft&sel=s42").selected).toBeNull();
  });
});

describe("the app keeps a window of the trace", () => {
  it("seeking back past the window regenerates it: the same hashes and the same sequence diagram as the whole trace", () => {
    const app = new AppState(SCENARIOS, "?scenario=gossip&members=500&seed=3&t=50000000");
    // The link's replay kept the whole trace; from here the window drops what has been hashed.
    app.seekTime(51_000_000);
    expect(app.sim.traceStart).toBeGreaterThan(0);
    expect(app.sim.trace.length).toBeLessThanOrEqual(TRACE_WINDOW);
    const whole = createGossipDriver("3", { members: "500", baseline: true, lifeguard: true, latency: "wan", loss: "0" });
    for (const t of [4_321_000, 47_000_000, 12_500_000]) {
      app.seekTime(t);
      whole.timeline.seek(t);
      expect(app.hashes).toEqual({ trace: whole.sim.traceHash(), state: whole.sim.stateHash() });
      const lanes = laneList(whole.actors);
      const arrows = buildArrows(whole.sim.trace, t, app.scenario.windowUs, lanes, whole.messageLabel);
      expect(app.frame.sequence.arrows).toEqual(arrows);
      expect(arrows.length).toBeGreaterThan(10);
    }
  });
});


describe("how far back the view can go", () => {
  it("thins history as the run grows, keeps the start reachable, and says so", () => {
    const app = new AppState(SCENARIOS, "?scenario=raft&seed=4");
    const every = app.frame.reach.snapshotEveryUs;
    // Raft snapshots every 250 ms; 256 of them cover 64 s, so by 100 s the interval has doubled.
    app.seekTime(100_000_000);
    const r = app.frame.reach;
    expect(r.fromUs).toBe(0);
    expect(r.snapshots).toBeLessThanOrEqual(256);
    expect(r.snapshotEveryUs).toBeGreaterThan(every);
    expect(reachText(r)).toMatch(/^Back to the start: \d+ snapshots, one every \d+(\.\d+)?m?s, so a jump back replays at most/);
    // The start is still there, exactly: the same hashes as a fresh run at that instant.
    app.seekTime(300_000);
    const fresh300 = new AppState(SCENARIOS, "?scenario=raft&seed=4&t=300000");
    expect(app.hashes).toEqual(fresh300.hashes);
  });

  it("names the instant the kept trace starts at when older records were thinned", () => {
    expect(reachText({ fromUs: 0, snapshots: 225, snapshotEveryUs: 16_000_000, traceFromUs: 3_590_000_000 }))
      .toBe("Back to the start: 225 snapshots, one every 16s, so a jump back replays at most 16s. Messages before 59m50s are replayed when shown.");
  });
});

describe("AppState terminal (issue 14)", () => {
  it("runs a typed line as an exec action: the view follows, the link carries it, a fresh page shows the same terminal", () => {
    const app = fresh("?scenario=node-failure&seed=1");
    expect(app.terminal).not.toBeNull();
    expect(app.type("docker service rm web")).toBe("");
    app.pause();
    // The removal is committed by the leader's Raft within the line's settle time: the view has no service.
    expect((app.frame.view as { services: unknown[] }).services).toEqual([]);
    const link = app.linkSearch();
    const again = new AppState(SCENARIOS, link);
    expect(again.linkError).toBeNull();
    expect((again.frame.view as { services: unknown[] }).services).toEqual([]);
    expect(again.terminal!.shown()).toEqual(app.terminal!.shown());
    expect(again.terminal!.shown().map((s) => [s.prompt, s.line, s.output])).toEqual([["root@manager1:~# ", "docker service rm web", "web\n"]]);
  });

  it("an editor typed in the page waits for the page's editor, and the saved text is a logged answer that writes the file", () => {
    const app = fresh("?scenario=node-failure&seed=1");
    app.type("vi Dockerfile");
    app.pause();
    const t = app.terminal!;
    expect(t.editing()).toMatchObject({ program: "vi", text: "" });
    const actions = app.sim.actionLog.length;
    app.external(() => t.answerEdit("FROM alpine:3.19\n"));
    app.pause();
    expect(app.sim.actionLog.length).toBe(actions + 1);
    expect(t.editing()).toBeNull();
    app.type("cat Dockerfile");
    app.pause();
    expect(t.shown().at(-1)!.output).toBe("FROM alpine:3.19\n");
  });

  it("answers ssh itself and runs later lines on that host; a line typed after going back forks the future", () => {
    const app = fresh("?scenario=node-failure&seed=1");
    const start = app.frame.events;
    app.type("docker service ls");
    app.pause();
    expect(app.type("ssh worker2")).toBe("");
    expect(app.terminal!.host).toBe("worker2");
    app.type("docker node ls");
    app.pause();
    expect(app.terminal!.shown().map((s) => s.prompt)).toEqual(["root@manager1:~# ", "root@worker2:~# "]);
    app.seekEvent(start);
    expect(app.terminal!.shown()).toEqual([]);
    app.type("hostname");
    app.pause();
    expect(app.terminal!.shown().map((s) => [s.line, s.output])).toEqual([["hostname", "worker2\n"]]);
  });

  it("has no terminal in a scene without a playground", () => {
    expect(fresh("?scenario=network&seed=7").terminal).toBeNull();
  });
});

describe("the terminal's host in the link", () => {
  it("opens the terminal on the host the link names (on=), and the link keeps the host picker's choice", () => {
    const app = new AppState(SCENARIOS, "?scenario=node-failure&seed=1&term=1&on=worker2");
    expect(app.terminal!.host).toBe("worker2");
    expect(app.linkSearch()).toContain("&on=worker2");
    app.terminal!.moveTo("manager1");
    expect(app.linkSearch()).not.toContain("on=");
  });
});

