// A step's pause points (issue #17): the `pauses:` field read and checked like the others, and
// where a played step stops: the first instant at which each trigger holds.
import { describe, expect, it } from "vitest";
import { LabError, parseLab } from "./format.js";
import { LabSession } from "./runner.js";
import { pauseHolds } from "./pauses.js";
import { loadLabs } from "../node/index.js";

const FILE = "labs/demo.yaml";

const lab = (pauses: string, action = "run: sleep 20") => `title: Demo
module: Swarm
topology:
  swarm: { managers: [node-0], workers: [node-1] }
setup: { swarm: true }
steps:
  - ${action}
    caption: Wait.
    pauses:
${pauses}`;

function errorOf(text: string): LabError {
  try {
    parseLab(text, FILE);
  } catch (e) {
    if (e instanceof LabError) return e;
    throw e;
  }
  throw new Error("parsed without an error");
}

describe("pauses: in the lab format", () => {
  it("reads a pause's caption and its triggers: after a duration, when a check holds, or both", () => {
    const l = parseLab(lab(`      - after: 12s
        caption: "  Twelve seconds in.  "
      - when: { node: { name: node-1, status: down } }
        caption: node-1 is Down.
      - after: 1s
        when: { service: { name: pinger, running: 3 } }
        caption: Both.
`), FILE);
    expect(l.steps[0]!.pauses).toEqual([
      { caption: "Twelve seconds in.", after: "12s", when: undefined, line: 10 },
      { caption: "node-1 is Down.", after: undefined, when: { kind: "node", name: "node-1", status: "down", availability: undefined, role: undefined, hint: "", on: undefined }, line: 12 },
      { caption: "Both.", after: "1s", when: { kind: "service", name: "pinger", running: 3, replicas: undefined, exists: true, hint: "", on: undefined }, line: 14 },
    ]);
  });

  it("a step without pauses has none", () => {
    expect(parseLab("title: T\nmodule: M\nsteps:\n  - run: ls\n    caption: c\n", FILE).steps[0]!.pauses).toEqual([]);
  });

  it("names the file, line and path of a bad pause", () => {
    expect(errorOf(lab("      - caption: No trigger.\n")).message).toBe(
      `${FILE}:10:9: steps[0].pauses[0]: a pause needs a trigger: after (a duration since the step's line was typed), when (a check), or both`);
    expect(errorOf(lab("      - after: soon\n        caption: x\n")).message).toBe(`${FILE}:10:16: steps[0].pauses[0].after: "soon" is not a duration (as 10s, 500ms, 2m)`);
    expect(errorOf(lab("      - after: 1s\n")).message).toBe(`${FILE}:10:9: steps[0].pauses[0]: missing "caption"`);
    expect(errorOf(lab("      - when: { node: { name: node-9 } }\n        caption: x\n")).message).toContain(`steps[0].pauses[0].when.node.name: no host "node-9" in the topology`);
    expect(errorOf(lab("      - when: { node: { name: node-1, status: gone } }\n        caption: x\n")).message).toContain(`steps[0].pauses[0].when.node.status: "gone" is not`);
    // A pause waits on the world: the line's exit status and the command typed are judged at its end.
    expect(errorOf(lab("      - when: { exit: 0 }\n        caption: x\n")).message).toContain(`10:17: steps[0].pauses[0].when.exit: unknown key "exit" (expected one of: container, containers,`);
    expect(errorOf(lab("      - when: { node: { name: node-1 }, hint: h }\n        caption: x\n")).message).toContain(`steps[0].pauses[0].when.hint: unknown key "hint"`);
    expect(errorOf(lab("      - after: 1s\n        caption: x\n", "crash: node-1")).message).toBe(`${FILE}:10:7: steps[0].pauses: only a run step takes pauses`);
  });
});

describe("pause points in a played step", () => {
  const failure = loadLabs().find((l) => l.slug === "swarm-node-failure-recovery")!;
  const sleep = failure.steps.findIndex((s) => s.pauses.length > 0);

  it("each trigger is false at the instant before its point and true at it", () => {
    const s = new LabSession(failure);
    for (let i = 0; i <= sleep; i++) s.auto();
    const end = { now: s.pg.now, events: s.pg.sim.eventCount };
    const span = s.playedSpan(sleep)!;
    const points = s.pausePoints(sleep);
    // The run is left where it was, the clock too.
    expect({ now: s.pg.now, events: s.pg.sim.eventCount }).toEqual(end);
    expect(points.map((p) => p.pause.caption)).toEqual(failure.steps[sleep]!.pauses.map((p) => p.caption));
    let prev = span.from;
    for (const p of points) {
      expect(p.event).toBeGreaterThan(prev);
      expect(p.event).toBeLessThan(span.to);
      s.pg.sim.seekEvent(p.event);
      expect(pauseHolds(s.pg, p.pause, span.typedAt)).toBe(true);
      // The instant before: the last event at an earlier time.
      let before = p.event - 1;
      s.pg.sim.seekEvent(before);
      while (s.pg.now === p.at) s.pg.sim.seekEvent(--before);
      expect(pauseHolds(s.pg, p.pause, span.typedAt)).toBe(false);
      prev = p.event;
    }
  });

  it("after: holds from that much virtual time after the line was typed", () => {
    // A swarm's heartbeats are events all through the sleep.
    const l = parseLab(lab("      - after: 2s\n        caption: two seconds\n", "run: sleep 5"), FILE);
    const s = new LabSession(l);
    s.auto();
    const span = s.playedSpan(0)!;
    const [p] = s.pausePoints(0);
    expect(p!.at).toBeGreaterThanOrEqual(span.typedAt + 2_000_000);
    expect(p!.at).toBeLessThan(span.typedAt + 5_000_000);
  });

  it("a lab run is the same with its pause points read (the golden runs stay as they are)", () => {
    const a = new LabSession(failure);
    const b = new LabSession(failure);
    while (!a.done) {
      a.auto();
      b.auto();
      b.pausePoints(b.current - 1);
    }
    expect(b.pg.traceHash()).toBe(a.pg.traceHash());
  });
});
