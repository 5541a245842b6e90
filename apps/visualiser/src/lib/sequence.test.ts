import { describe, expect, it } from "vitest";
import type { TraceRecord } from "@drydock/kernel";
import { buildArrows, buildSequence, laneList, LANES_MAX, OTHERS } from "./sequence.js";
import { nodeActors, type Actor } from "./scenario.js";

const A = (...ids: string[]): Actor[] => nodeActors(ids);

const send = (t: number, id: number, from: string, to: string): TraceRecord => ({ t, type: "send", id, from, to, at: t, msg: { type: "ping" } });
const label = (m: unknown): string => (m as { type: string }).type;

describe("sequence diagram arrows", () => {
  it("pairs each send with its delivery or drop, and leaves the rest in flight", () => {
    const trace: TraceRecord[] = [
      send(10, 1, "a", "b"),
      send(12, 2, "b", "a"),
      { t: 15, type: "deliver", id: 1, from: "a", to: "b" },
      { t: 16, type: "drop", id: 2, from: "b", to: "a", reason: "partition" },
      send(18, 3, "a", "c"),
    ];
    const arrows = buildArrows(trace, 20, 100, A("a", "b", "c"), label);
    expect(arrows.map((a) => [a.id, a.endAt, a.dropped])).toEqual([[1, 15, null], [2, 16, "partition"], [3, null, null]]);
  });

  it("keeps only the window before now", () => {
    const trace = [send(10, 1, "a", "b"), send(500, 2, "a", "b")];
    expect(buildArrows(trace, 600, 200, A("a", "b"), label).map((a) => a.id)).toEqual([2]);
  });

  it("folds a large cluster's unlisted members into one lane, and drops messages among them alone", () => {
    const nodes = Array.from({ length: 50 }, (_, i) => `m${i + 1}`);
    const lanes = laneList(nodeActors(nodes));
    expect(lanes).toHaveLength(LANES_MAX);
    expect(lanes[lanes.length - 1]!.id).toBe(OTHERS);
    const trace = [send(1, 1, "m1", "m40"), send(2, 2, "m30", "m40"), send(3, 3, "m2", "m3")];
    const arrows = buildArrows(trace, 10, 100, lanes, label);
    expect(arrows.map((a) => [a.from, a.to])).toEqual([["m1", OTHERS], ["m2", "m3"]]);
  });

  it("gives a crashed or watched member its own lane in a large cluster", () => {
    const nodes = Array.from({ length: 50 }, (_, i) => `m${i + 1}`);
    const lanes = laneList(nodeActors(nodes), ["m40", "m17"]).map((l) => l.id);
    expect(lanes).toHaveLength(LANES_MAX);
    expect(lanes).toContain("m40");
    expect(lanes).toContain("m17");
    // In the nodes' order, the others last.
    expect(lanes).toEqual(["m1", "m2", "m3", "m4", "m5", "m6", "m17", "m40", OTHERS]);
  });

  it("says how many messages of its window it left out, and where the trace it had starts", () => {
    const trace = Array.from({ length: 10 }, (_, i) => send(100 + i, i + 1, "a", "b"));
    const seq = buildSequence(trace, 200, 150, A("a", "b"), label, 4);
    expect(seq.arrows.map((a) => a.id)).toEqual([7, 8, 9, 10]);
    expect(seq.total).toBe(10);
    // The whole trace: it covers the window.
    expect(seq.fromUs).toBeNull();
    // A window of the trace starting after the diagram's window starts: it says from when it shows.
    expect(buildSequence(trace, 200, 150, A("a", "b"), label, 4, undefined, false).fromUs).toBe(100);
    // Hidden kinds are neither drawn nor counted.
    expect(buildSequence(trace, 200, 150, A("a", "b"), label, 4, () => true).total).toBe(0);
  });

  it("draws lanes for actors: a container's endpoints map to its lane, named by its label", () => {
    // Two containers on two hosts: the records name endpoints; the lanes are the containers.
    const lanes: Actor[] = [{ id: "web", label: "web (container)", kind: "container" }, { id: "db", label: "db (container)", kind: "container" }];
    const actorOf = (e: string): string | null => (e.startsWith("web/") ? "web" : e.startsWith("db/") ? "db" : null);
    const trace = [send(1, 1, "web/eth0", "db/eth0"), send(2, 2, "host1", "db/eth0"), send(3, 3, "db/eth0", "web/eth0")];
    const seq = buildSequence(trace, 10, 100, lanes, label, undefined, undefined, true, actorOf);
    expect(seq.arrows.map((a) => [a.from, a.to])).toEqual([["web", "db"], ["db", "web"]]);
    expect(seq.lanes.map((l) => l.label)).toEqual(["web (container)", "db (container)"]);
  });
});
