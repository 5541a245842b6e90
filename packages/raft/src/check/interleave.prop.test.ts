// The pure core under an adversarial network: any message in flight may be delivered next, or
// dropped, or delivered twice; any server may time out, crash or restart at any point. The
// kernel runs of safety.prop.test.ts use timed links, so a reply of an old term or a vote cast
// before a crash rarely meets the situation where it matters; here the order is the test's to
// choose. The Figure 3 properties (and the checker's vote and term rules) hold after every step.
import type { NetState } from "@drydock/kernel";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { configAt } from "../core/log.js";
import { crash, createRaftState, nextDeadline, restart, step } from "../core/raft.js";
import type { Env, RaftInput, RaftMessage, RaftOptions, RaftState } from "../core/types.js";
import type { ClusterState } from "../cluster/model.js";
import { SafetyChecker } from "./invariants.js";

interface Flight { readonly from: string; readonly to: string; readonly message: RaftMessage }

type Op =
  | { readonly op: "deliver"; readonly pick: number; readonly keep: boolean }
  | { readonly op: "drop"; readonly pick: number }
  | { readonly op: "fire"; readonly node: number }
  | { readonly op: "crash"; readonly node: number }
  | { readonly op: "restart"; readonly node: number }
  /** A crash and an immediate restart: volatile state is lost while messages to it stay in flight. */
  | { readonly op: "bounce"; readonly node: number }
  | { readonly op: "propose"; readonly value: number }
  | { readonly op: "compact"; readonly node: number }
  | { readonly op: "member"; readonly add: boolean; readonly node: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 24, arbitrary: fc.record({ op: fc.constant("deliver" as const), pick: fc.nat(), keep: fc.constant(false) }) },
  // Delivered and kept in flight: it will arrive again (duplication).
  { weight: 2, arbitrary: fc.record({ op: fc.constant("deliver" as const), pick: fc.nat(), keep: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("drop" as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("fire" as const), node: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("crash" as const), node: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("restart" as const), node: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("bounce" as const), node: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("propose" as const), value: fc.nat(999) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("compact" as const), node: fc.nat() }) },
);
/** Single-server membership changes (dissertation §4.1) through whichever server leads. */
const memberOp: fc.Arbitrary<Op> = fc.record({ op: fc.constant("member" as const), add: fc.boolean(), node: fc.nat() });

/** Runs `ops` against `size` servers and checks every state reached; throws a SafetyViolation on a breach. */
function play(size: number, options: Partial<RaftOptions>, seed: number, ops: readonly Op[]): { committed: number; terms: number; reconfigured: boolean } {
  const members = Array.from({ length: size }, (_, i) => `s${i + 1}`);
  // Two more servers start empty and outside any configuration, as a joining server does.
  const ids = [...members, "s8", "s9"];
  let x = seed >>> 0 || 1;
  const random = () => ((x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
  let now = 0;
  const env = (): Env => ({ now, random });
  const servers: Record<string, RaftState> = {};
  const up: Record<string, boolean> = {};
  const epoch: Record<string, number> = {};
  for (const id of ids) {
    servers[id] = createRaftState({ id, peers: members.includes(id) ? members : [], options }, env());
    up[id] = true;
    epoch[id] = 0;
  }
  let flights: Flight[] = [];
  const checker = new SafetyChecker();
  const check = () => {
    const state: ClusterState = { servers: Object.fromEntries(ids.map((id) => [id, { raft: servers[id]!, app: null, timerAt: null }])) };
    checker.check(state, { up, epoch } as unknown as NetState);
  };
  const run = (id: string, input: RaftInput) => {
    const r = step(servers[id]!, input, env());
    servers[id] = r.state;
    for (const o of r.messages) flights.push({ from: id, to: o.to, message: o.message });
  };
  check();
  for (const o of ops) {
    switch (o.op) {
      case "deliver": case "drop": {
        if (flights.length === 0) continue;
        // Mostly among the oldest few in flight (so runs make progress), sometimes any of them.
        const i = o.pick % (o.pick % 3 === 0 ? flights.length : Math.min(flights.length, 3));
        const f = flights[i]!;
        if (o.op === "drop" || !(o.op === "deliver" && o.keep)) flights = flights.filter((_, k) => k !== i);
        if (o.op === "deliver" && up[f.to]) run(f.to, { type: "message", from: f.from, message: f.message });
        break;
      }
      case "fire": {
        const id = ids[o.node % ids.length]!;
        if (!up[id]) continue;
        const due = nextDeadline(servers[id]!);
        if (due === Infinity) continue;
        now = Math.max(now, due);
        run(id, { type: "tick" });
        break;
      }
      case "crash": {
        const id = ids[o.node % ids.length]!;
        if (!up[id]) continue;
        servers[id] = crash(servers[id]!);
        up[id] = false;
        epoch[id]! += 1;
        break;
      }
      case "restart": case "bounce": {
        const id = ids[o.node % ids.length]!;
        if (o.op === "bounce" && up[id]) {
          servers[id] = crash(servers[id]!);
          epoch[id]! += 1;
          check();
        } else if (up[id]) continue;
        up[id] = true;
        servers[id] = restart(servers[id]!, env());
        break;
      }
      case "propose": case "member": {
        const leader = ids.filter((id) => up[id] && servers[id]!.role === "leader").sort((a, b) => servers[b]!.term - servers[a]!.term)[0];
        if (!leader) continue;
        if (o.op === "propose") run(leader, { type: "propose", value: o.value });
        else run(leader, { type: o.add ? "addServer" : "removeServer", id: ids[o.node % ids.length]! });
        break;
      }
      case "compact": {
        // §7: snapshot everything applied (the state machine is not modelled: its data is the index).
        const id = ids[o.node % ids.length]!;
        const s = servers[id]!;
        if (up[id] && s.lastApplied > (s.snapshot?.index ?? 0)) run(id, { type: "compact", index: s.lastApplied, data: s.lastApplied });
        break;
      }
    }
    check();
  }
  const reconfigured = members.some((id) => configAt(servers[id]!, servers[id]!.commitIndex).join() !== members.join());
  return { committed: checker.committedIndex, terms: Math.max(...ids.map((id) => servers[id]!.term)), reconfigured };
}

describe("the core under any order of delivery, loss, duplication, crash and restart (Figure 3)", () => {
  it("Election Safety, one vote per term, terms, Log Matching, Leader Completeness and State Machine Safety hold after every step, with single-server membership changes (dissertation §4.1) in half the runs", () => {
    let runs = 0;
    let committing = 0;
    let contested = 0;
    let reconfigured = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 3, 5), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.constantFrom(1, 2, 64), fc.integer(),
        fc.boolean().chain((membership) => fc.array(membership ? fc.oneof({ weight: 9, arbitrary: op }, { weight: 1, arbitrary: memberOp }) : op, { minLength: 100, maxLength: 500 })),
        (size, preVote, checkQuorum, fastBacktrack, catchUpNewServers, maxEntriesPerMessage, seed, ops) => {
          const r = play(size, { preVote, checkQuorum, fastBacktrack, catchUpNewServers, maxEntriesPerMessage }, seed, ops);
          runs++;
          if (r.committed > 0) committing++;
          if (r.terms > 2) contested++;
          if (r.reconfigured) reconfigured++;
        },
      ),
      { numRuns: 300 },
    );
    // Not vacuous: most runs elect leaders that commit, many go through several terms, and
    // some commit a membership change.
    expect(committing).toBeGreaterThan(runs / 2);
    expect(contested).toBeGreaterThan(runs / 4);
    expect(reconfigured).toBeGreaterThan(runs / 20); // a committed configuration change
  }, 60_000);
});
