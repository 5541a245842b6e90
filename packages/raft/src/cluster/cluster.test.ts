import { isDrydockError } from "@drydock/kernel";
import { describe, expect, it } from "vitest";
import { createRaftCluster } from "./cluster.js";
import { leaderChanges } from "./events.js";

function leaders(c: ReturnType<typeof createRaftCluster>) {
  return c.nodes().filter((n) => n.up && n.role === "leader");
}

describe("createRaftCluster", () => {
  it("elects one leader and replicates proposals to every server (paper §5.2, §5.3)", () => {
    const c = createRaftCluster({ seed: 7 });
    c.run("1s");
    expect(leaders(c)).toHaveLength(1);
    for (let i = 0; i < 5; i++) c.propose({ n: i });
    c.runFor("500ms");
    const views = c.nodes();
    const last = views[0]!.lastIndex;
    expect(last).toBe(6); // the leader's no-op (§8) and five commands
    for (const n of views) {
      expect(n.commitIndex).toBe(last);
      expect(n.state).toEqual(views[0]!.state);
    }
  });

  it("replaces a crashed leader and the restarted server catches up (§5.2, §5.3)", () => {
    const c = createRaftCluster({ seed: 3 });
    c.run("1s");
    const old = c.leader()!;
    c.crash(old);
    c.runFor("1s");
    const now = c.leader();
    expect(now).not.toBeNull();
    expect(now).not.toBe(old);
    c.restart(old);
    c.propose("after");
    c.runFor("500ms");
    const lasts = new Set(c.nodes().map((n) => `${n.lastIndex}/${n.commitIndex}`));
    expect(lasts.size).toBe(1);
  });

  it("records role changes with their term in the trace", () => {
    const c = createRaftCluster({ seed: 1 });
    c.run("1s");
    const changes = leaderChanges(c.trace);
    expect(changes.length).toBeGreaterThanOrEqual(1);
    expect(changes[changes.length - 1]!.node).toBe(c.leader());
    expect(changes[changes.length - 1]!.term).toBe(c.node(c.leader()!).term);
  });

  it("rejects a proposal when there is no leader, and changes nothing", () => {
    const c = createRaftCluster({ seed: 1 });
    const before = c.sim.stateHash();
    let err: unknown;
    try { c.propose("x"); } catch (e) { err = e; }
    expect(isDrydockError(err) && err.code).toBe("ENOLEADER");
    expect(c.sim.stateHash()).toBe(before);
  });
});
