import { describe, expect, it } from "vitest";
import { harness } from "./harness.test-util.js";
import { LIFEGUARD_OFF, retransmitLimit, suspicionTimeoutUs } from "./params.js";
import { applyUpdate, onMessage, onTimer, publish } from "./swim.js";
import { ALIVE, DEAD, LEFT, SUSPECT, keyIncarnation, keyStatus } from "./views.js";

const S = 1_000_000;

/** Runs m1's probe timer at time t and returns the ping it sent. */
function probe(h: ReturnType<typeof harness>, at: number) {
  h.clock.now = at;
  const before = h.sent.length;
  onTimer(h.s, 0, "probe", h.s.life[0], h.ctx);
  return h.sent.slice(before).find((x) => x.msg.type === "ping");
}

describe("SWIM failure detection (Das, Gupta, Motivala 2002; memberlist state.go)", () => {
  it("§4.3 randomized round-robin: in n − 1 periods a member pings every other member exactly once", () => {
    const h = harness(12);
    const targets = Array.from({ length: 11 }, (_, i) => probe(h, (i + 1) * S)!.to);
    expect(new Set(targets).size).toBe(11);
    expect(targets).not.toContain("m1");
  });

  it("§4.3 time-bounded completeness: between two pings of the same member there are at most 2(n − 1) − 1 others", () => {
    const n = 12;
    const h = harness(n);
    const last = new Map<string, number>();
    let maxGap = 0;
    for (let i = 0; i < 6 * (n - 1); i++) {
      const target = probe(h, (i + 1) * S)!.to;
      // Acked at once, so the next probe starts on time.
      onMessage(h.s, { type: "ack", seq: h.s.probeSeq[0]!, updates: [] }, target, 0, h.ctx);
      const prev = last.get(target);
      if (prev !== undefined) maxGap = Math.max(maxGap, i - prev - 1);
      last.set(target, i);
    }
    expect(last.size).toBe(n - 1);
    expect(maxGap).toBeLessThanOrEqual(2 * (n - 1) - 1);
  });

  it("§4.1 piggybacking: an update a member learned rides on the acks it sends", () => {
    const h = harness(6);
    applyUpdate(h.s, 1, { type: "dead", member: "m6", incarnation: 1, from: "m3" }, h.ctx);
    onMessage(h.s, { type: "ping", seq: 9, target: "m2", updates: [] }, "m1", 1, h.ctx);
    const ack = h.sent.at(-1)!;
    expect(ack).toMatchObject({ from: "m2", to: "m1", msg: { type: "ack", seq: 9, updates: [{ type: "dead", member: "m6", incarnation: 1, from: "m3" }] } });
    onMessage(h.s, ack.msg, "m2", 0, h.ctx);
    expect(keyStatus(h.s.view.get(0, 5))).toBe(DEAD);
  });

  it("§3.1: with no ack by the probe timeout, ping-req goes to k = 3 other members, never the target", () => {
    const h = harness(10);
    const ping = probe(h, S)!;
    const t = h.timer("m1", "probe-timeout");
    expect(t.at).toBe(S + 500_000);
    h.clock.now = t.at;
    onTimer(h.s, 0, "probe-timeout", t.data, h.ctx);
    const reqs = h.sent.filter((x) => x.msg.type === "ping-req");
    expect(reqs).toHaveLength(3);
    for (const r of reqs) {
      expect(r.to).not.toBe(ping.to);
      expect(r.to).not.toBe("m1");
      expect(r.msg).toMatchObject({ target: ping.to, nack: true });
    }
  });

  it("§3.1: an ack relayed through a ping-req member saves the target from suspicion", () => {
    const h = harness(10);
    const ping = probe(h, S)!;
    h.clock.now = S + 500_000;
    onTimer(h.s, 0, "probe-timeout", h.timer("m1", "probe-timeout").data, h.ctx);
    const req = h.sent.find((x) => x.msg.type === "ping-req")!;
    const relay = h.s.ids.get(req.to)!;
    onMessage(h.s, req.msg, "m1", relay, h.ctx);
    const relayPing = h.sent[h.sent.length - 1]!;
    expect(relayPing).toMatchObject({ from: req.to, to: ping.to, msg: { type: "ping" } });
    const target = h.s.ids.get(ping.to)!;
    onMessage(h.s, relayPing.msg, req.to, target, h.ctx);
    const ack = h.sent[h.sent.length - 1]!;
    onMessage(h.s, ack.msg, ping.to, relay, h.ctx);
    const forwarded = h.sent[h.sent.length - 1]!;
    expect(forwarded).toMatchObject({ from: req.to, to: "m1", msg: { type: "ack", seq: ping.msg.type === "ping" ? ping.msg.seq : -1 } });
    onMessage(h.s, forwarded.msg, req.to, 0, h.ctx);
    h.clock.now = 2 * S;
    onTimer(h.s, 0, "probe-end", h.timer("m1", "probe-end").data, h.ctx);
    expect(keyStatus(h.s.view.get(0, target))).toBe(ALIVE);
  });

  it("§4.2 (memberlist probeNode): no ack by the end of the period makes the target suspect, gossiped on", () => {
    const h = harness(10);
    const ping = probe(h, S)!;
    h.clock.now = S + 500_000;
    onTimer(h.s, 0, "probe-timeout", h.timer("m1", "probe-timeout").data, h.ctx);
    const end = h.timer("m1", "probe-end");
    expect(end.at).toBe(2 * S);
    h.clock.now = end.at;
    onTimer(h.s, 0, "probe-end", end.data, h.ctx);
    const target = h.s.ids.get(ping.to)!;
    expect(keyStatus(h.s.view.get(0, target))).toBe(SUSPECT);
    expect(h.records.at(-1)!.data).toMatchObject({ event: "suspect", member: ping.to, incarnation: 1, from: "m1" });
    expect(h.s.queues[0]!.map((e) => e.update)).toContainEqual({ type: "suspect", member: ping.to, incarnation: 1, from: "m1" });
  });

  it("memberlist probeNode: a probe that fails after its target refuted suspects the probed incarnation, which the refutation outbids", () => {
    const h = harness(10);
    const ping = probe(h, S)!;
    const target = h.s.ids.get(ping.to)!;
    // The target's refutation (say, of an old life's death) arrives while the probe runs.
    h.clock.now = S + 100_000;
    applyUpdate(h.s, 0, { type: "alive", member: ping.to, incarnation: 2 }, h.ctx);
    h.clock.now = S + 500_000;
    onTimer(h.s, 0, "probe-timeout", h.timer("m1", "probe-timeout").data, h.ctx);
    const end = h.timer("m1", "probe-end");
    h.clock.now = end.at;
    onTimer(h.s, 0, "probe-end", end.data, h.ctx);
    expect(keyStatus(h.s.view.get(0, target))).toBe(ALIVE);
    expect(keyIncarnation(h.s.view.get(0, target))).toBe(2);
  });

  it("§4.2: a member that hears it is suspected refutes with a higher incarnation", () => {
    const h = harness(5);
    applyUpdate(h.s, 2, { type: "suspect", member: "m3", incarnation: 1, from: "m1" }, h.ctx);
    expect(h.s.incarnation[2]).toBe(2);
    expect(h.s.queues[2]!.map((e) => e.update)).toContainEqual({ type: "alive", member: "m3", incarnation: 2 });
    expect(h.records.at(-1)!.data).toMatchObject({ event: "refute", member: "m3", incarnation: 2 });
    // An observer that suspected m3 at incarnation 1 takes the refutation and drops its suspicion.
    applyUpdate(h.s, 0, { type: "suspect", member: "m3", incarnation: 1, from: "m1" }, h.ctx);
    applyUpdate(h.s, 0, { type: "alive", member: "m3", incarnation: 2 }, h.ctx);
    expect(keyStatus(h.s.view.get(0, 2))).toBe(ALIVE);
    expect(h.s.suspicions[0]!.has(2)).toBe(false);
  });

  it("memberlist refute: accused at an incarnation above its own (an earlier life's), a member skips past it", () => {
    const h = harness(5);
    applyUpdate(h.s, 2, { type: "dead", member: "m3", incarnation: 5, from: "m1" }, h.ctx);
    // memberlist refute: if accusedInc >= inc, inc = skipIncarnation(accusedInc - inc + 1).
    expect(h.s.incarnation[2]).toBe(6);
    expect(h.s.queues[2]!.map((e) => e.update)).toContainEqual({ type: "alive", member: "m3", incarnation: 6 });
    // Only the member itself raises its incarnation: an observer passes on what it heard.
    applyUpdate(h.s, 0, { type: "alive", member: "m3", incarnation: 6 }, h.ctx);
    expect(keyIncarnation(h.s.view.get(0, 2))).toBe(6);
    expect(h.s.incarnation[0]).toBe(1);
  });

  it("SWIM §4.2: the timer of a refuted suspicion cannot kill a later suspicion early", () => {
    const h = harness(5, { lifeguard: LIFEGUARD_OFF });
    applyUpdate(h.s, 0, { type: "suspect", member: "m4", incarnation: 1, from: "m2" }, h.ctx);
    const first = h.timer("m1", "suspicion");
    h.clock.now = 1 * S;
    applyUpdate(h.s, 0, { type: "alive", member: "m4", incarnation: 2 }, h.ctx);
    h.clock.now = 2 * S;
    applyUpdate(h.s, 0, { type: "suspect", member: "m4", incarnation: 2, from: "m3" }, h.ctx);
    const second = h.timer("m1", "suspicion");
    expect(second.at).toBe(2 * S + first.at);
    h.clock.now = first.at;
    onTimer(h.s, 0, "suspicion", first.data, h.ctx);
    expect(keyStatus(h.s.view.get(0, 3))).toBe(SUSPECT);
    h.clock.now = second.at;
    onTimer(h.s, 0, "suspicion", second.data, h.ctx);
    expect(keyStatus(h.s.view.get(0, 3))).toBe(DEAD);
    expect(keyIncarnation(h.s.view.get(0, 3))).toBe(2);
  });

  it("memberlist aliveNode: an alive no newer than what is known changes nothing", () => {
    const h = harness(5);
    applyUpdate(h.s, 0, { type: "suspect", member: "m4", incarnation: 1, from: "m2" }, h.ctx);
    applyUpdate(h.s, 0, { type: "alive", member: "m4", incarnation: 1 }, h.ctx);
    expect(keyStatus(h.s.view.get(0, 3))).toBe(SUSPECT);
  });

  it("memberlist deadNode: a suspicion that runs out declares the member dead; a dead from the member itself is a leave", () => {
    const h = harness(5, { lifeguard: LIFEGUARD_OFF });
    applyUpdate(h.s, 0, { type: "suspect", member: "m4", incarnation: 1, from: "m2" }, h.ctx);
    const t = h.timer("m1", "suspicion");
    // Lifeguard off: the fixed memberlist timeout, SuspicionMult × max(1, log10 n) × interval.
    expect(t.at).toBe(suspicionTimeoutUs(4, 5, S));
    h.clock.now = t.at;
    onTimer(h.s, 0, "suspicion", t.data, h.ctx);
    expect(keyStatus(h.s.view.get(0, 3))).toBe(DEAD);
    applyUpdate(h.s, 0, { type: "dead", member: "m5", incarnation: 1, from: "m5" }, h.ctx);
    expect(keyStatus(h.s.view.get(0, 4))).toBe(LEFT);
  });

  it("memberlist queue.go: an update rides on at most RetransmitMult × ceil(log10(n + 1)) packets", () => {
    const h = harness(50);
    applyUpdate(h.s, 0, { type: "suspect", member: "m9", incarnation: 1, from: "m2" }, h.ctx);
    let carried = 0;
    for (let i = 0; i < 40; i++) {
      h.clock.now = (i + 1) * S;
      onMessage(h.s, { type: "ping", seq: 1, target: "m1", updates: [] }, "m3", 0, h.ctx);
      const ack = h.sent.at(-1)!.msg;
      if (ack.type === "ack" && ack.updates.some((u) => u.type === "suspect")) carried++;
    }
    expect(carried).toBe(retransmitLimit(4, 50));
  });

  it("memberlist queue.go: a newer update about the same member replaces the queued one", () => {
    const h = harness(5);
    applyUpdate(h.s, 0, { type: "suspect", member: "m4", incarnation: 1, from: "m2" }, h.ctx);
    applyUpdate(h.s, 0, { type: "alive", member: "m4", incarnation: 2 }, h.ctx);
    expect(h.s.queues[0]!.map((e) => e.update)).toEqual([{ type: "alive", member: "m4", incarnation: 2 }]);
  });

  it("user payloads: a newer version replaces an older one, never the reverse (keyed, versioned entries)", () => {
    const h = harness(4);
    const v1 = publish(h.s, 0, "svc", "a", h.ctx);
    const v2 = publish(h.s, 0, "svc", "b", h.ctx);
    expect(v2.version).toBe(v1.version + 1);
    applyUpdate(h.s, 1, v2, h.ctx);
    applyUpdate(h.s, 1, v1, h.ctx);
    expect(h.s.users.get("svc")!.entries[h.s.users.get("svc")!.held[1]!]!.value).toBe("b");
  });
});

describe("Lifeguard (Dadgar, Phillips, Currey, arXiv:1707.00788) as memberlist implements it", () => {
  it("Buddy System: a ping to a member we suspect carries the suspicion, so it can refute at once", () => {
    const h = harness(3);
    applyUpdate(h.s, 0, { type: "suspect", member: "m2", incarnation: 1, from: "m3" }, h.ctx);
    applyUpdate(h.s, 0, { type: "suspect", member: "m3", incarnation: 1, from: "m2" }, h.ctx);
    const ping = probe(h, S)!;
    expect(ping.msg.type === "ping" && ping.msg.updates[0]).toMatchObject({ type: "suspect", member: ping.to, from: "m1" });
  });

  it("Local Health Aware Suspicion: the timeout starts at 6× the minimum and k = mult − 2 confirmations bring it down to the minimum", () => {
    const h = harness(100);
    applyUpdate(h.s, 0, { type: "suspect", member: "m50", incarnation: 1, from: "m2" }, h.ctx);
    const min = suspicionTimeoutUs(4, 100, S);
    expect(h.timer("m1", "suspicion").at).toBe(6 * min);
    applyUpdate(h.s, 0, { type: "suspect", member: "m50", incarnation: 1, from: "m3" }, h.ctx);
    const one = h.timer("m1", "suspicion").at;
    expect(one).toBeLessThan(6 * min);
    applyUpdate(h.s, 0, { type: "suspect", member: "m50", incarnation: 1, from: "m3" }, h.ctx);
    expect(h.timer("m1", "suspicion").at).toBe(one); // the same peer twice is one confirmation
    applyUpdate(h.s, 0, { type: "suspect", member: "m50", incarnation: 1, from: "m4" }, h.ctx);
    expect(h.timer("m1", "suspicion").at).toBe(min);
  });

  it("Local Health Aware Suspicion with too few members to confirm (n − 2 < mult − 2): the minimum timeout from the start (suspicion.go newSuspicion, k < 1)", () => {
    const h = harness(3);
    applyUpdate(h.s, 0, { type: "suspect", member: "m3", incarnation: 1, from: "m2" }, h.ctx);
    expect(h.timer("m1", "suspicion").at).toBe(suspicionTimeoutUs(4, 3, S));
  });

  it("Local Health Aware Probe: a failed probe that missed its nacks raises the score, and the probe interval stretches by score + 1", () => {
    const h = harness(10);
    probe(h, S);
    h.clock.now = S + 500_000;
    onTimer(h.s, 0, "probe-timeout", h.timer("m1", "probe-timeout").data, h.ctx);
    h.clock.now = 2 * S;
    onTimer(h.s, 0, "probe-end", h.timer("m1", "probe-end").data, h.ctx);
    expect(h.s.awareness[0]).toBe(3);
    probe(h, 2 * S);
    expect(h.s.probeDeadline[0]).toBe(2 * S + 4 * S);
    // A refutation (we were accused) also counts against our health, up to max − 1.
    applyUpdate(h.s, 0, { type: "suspect", member: "m1", incarnation: 1, from: "m2" }, h.ctx);
    expect(h.s.awareness[0]).toBe(4);
  });

  it("with Lifeguard off nothing adapts: no nacks asked, score stays 0, fixed suspicion timeout", () => {
    const h = harness(10, { lifeguard: LIFEGUARD_OFF });
    probe(h, S);
    h.clock.now = S + 500_000;
    onTimer(h.s, 0, "probe-timeout", h.timer("m1", "probe-timeout").data, h.ctx);
    expect(h.sent.filter((x) => x.msg.type === "ping-req").every((x) => x.msg.type === "ping-req" && !x.msg.nack)).toBe(true);
    h.clock.now = 2 * S;
    onTimer(h.s, 0, "probe-end", h.timer("m1", "probe-end").data, h.ctx);
    expect(h.s.awareness[0]).toBe(0);
    expect(keyIncarnation(h.s.view.get(0, 0))).toBe(1);
  });
});
