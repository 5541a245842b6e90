// Paper §5.3: after a rejection the leader backs nextIndex up until the logs agree; with the
// conflict hint (end of §5.3) it skips a whole term per round trip. Either way it must never
// back up past the last entry the two logs share (the probe would then resend entries the
// follower has, or worse, a snapshot), and with the hint it takes at most one round trip per
// term of the follower's divergent tail (plus one for a follower whose log is short).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRaftState, step } from "./raft.js";
import type { Entry, RaftMessage, RaftState, Snapshot } from "./types.js";

const peers = ["s1", "s2", "s3"];
const env = { now: 0, random: () => 0 };

/**
 * Two logs as Raft can leave them: a common prefix of M entries, then divergent tails. Entries
 * of one term come from that term's one leader at fixed indexes, so past M the tails share no
 * term, except that one side may carry on the prefix's last term a little further.
 */
const logs = fc
  .record({
    prefix: fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 8 }),
    // For each later term: which tail has it (0 neither, 1 leader, 2 follower) and how many entries.
    terms: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 3 })), { maxLength: 6 }),
    carry: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 3 })),
    leaderSnap: fc.nat(), followerSnap: fc.nat(),
    fastBacktrack: fc.boolean(), batch: fc.constantFrom(1, 2, 64),
  })
  .map(({ prefix, terms, carry, leaderSnap, followerSnap, fastBacktrack, batch }) => {
    const common: number[] = [];
    let t = 1;
    for (const step of prefix) { t += step; common.push(t); }
    const last = common.length > 0 ? common[common.length - 1]! : 0;
    const leader = [...common];
    const follower = [...common];
    if (last > 0 && carry[0] !== 0) (carry[0] === 1 ? leader : follower).push(...Array<number>(carry[1]).fill(last));
    const followerTerms = new Set<number>(follower.slice(common.length));
    terms.forEach(([side, n], i) => {
      const term = last + 1 + i;
      if (side === 1) leader.push(...Array<number>(n).fill(term));
      if (side === 2) { follower.push(...Array<number>(n).fill(term)); followerTerms.add(term); }
    });
    const m = common.length;
    return { leader, follower, m, followerTerms: followerTerms.size, leaderSnap: leaderSnap % (m + 1), followerSnap: followerSnap % (m + 1), fastBacktrack, batch };
  });

function start(id: string, terms: readonly number[], snapAt: number, term: number, options: object): RaftState {
  const entries: Entry[] = terms.map((t, i) => ({ term: t, value: `${t}@${i + 1}` }));
  const snapshot: Snapshot | null = snapAt > 0 ? { index: snapAt, term: terms[snapAt - 1]!, config: peers, data: null } : null;
  return createRaftState({ id, peers, term, log: entries.slice(snapAt), snapshot, options }, env);
}

describe("§5.3 backtracking", () => {
  it("Raft §5.3: nextIndex never backs up past the last matching entry; with the hint, one round trip per divergent term", () => {
    fc.assert(
      fc.property(logs, ({ leader, follower, m, followerTerms, leaderSnap, followerSnap, fastBacktrack, batch }) => {
        const top = Math.max(0, ...leader, ...follower);
        const options = { fastBacktrack, maxEntriesPerMessage: batch };
        // s1 wins term top+1 with s3's vote (s2's log may be the more up to date one).
        let r = step(start("s1", leader, leaderSnap, top, options), { type: "timeout" }, env);
        r = step(r.state, { type: "message", from: "s3", message: { type: "RequestVoteResponse", term: top + 1, voteGranted: true } }, env);
        expect(r.state.role).toBe("leader");
        const states: Record<string, RaftState> = { s1: r.state, s2: start("s2", follower, followerSnap, top, options) };
        const queue: { from: string; to: string; message: RaftMessage }[] = r.messages.filter((o) => o.to === "s2").map((o) => ({ from: "s1", ...o }));
        let rejections = 0;
        for (let n = 0; queue.length > 0; n++) {
          expect(n).toBeLessThan(1_000);
          const { from, to, message } = queue.shift()!;
          if (message.type === "AppendEntries") expect(message.prevLogIndex).toBeGreaterThanOrEqual(m);
          expect(message.type).not.toBe("InstallSnapshot"); // the follower holds everything up to m
          if (message.type === "AppendEntriesResponse" && !message.success) rejections++;
          const next = step(states[to]!, { type: "message", from, message }, env);
          states[to] = next.state;
          for (const o of next.messages) if (o.to === "s1" || o.to === "s2") queue.push({ from: to, ...o });
        }
        const want = [...leader, top + 1];
        const got = states.s2!;
        expect(got.log.toArray().map((e) => e.term)).toEqual(want.slice(got.snapshot?.index ?? 0));
        expect(states.s1!.progress.s2!.match).toBe(want.length);
        // Without the hint: one rejection per index between the first probe and the match.
        if (!fastBacktrack) expect(rejections).toBe(leader.length - m);
        else expect(rejections).toBeLessThanOrEqual(followerTerms + 1);
      }),
      { numRuns: 500 },
    );
  });
});
