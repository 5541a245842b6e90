import type { NetState, NodeId } from "@drydock/kernel";
import { lastIndex, termAt, type Entry, type RaftState } from "../core/index.js";
import type { ClusterState } from "../cluster/model.js";

/**
 * The paper's Figure 3 properties, checked incrementally after every event of a run:
 * Election Safety, Leader Append-Only, Log Matching, Leader Completeness and State Machine
 * Safety, plus §5.4.2's rule that a leader commits by counting only entries of its own term.
 * A violation throws a SafetyViolation naming the property and the servers involved.
 */
export class SafetyViolation extends Error {
  override readonly name = "SafetyViolation";
  constructor(readonly property: string, detail: string) {
    super(`${property}: ${detail}`);
  }
}

interface Seen {
  readonly entry: Entry;
  readonly prevTerm: number;
}

function same(a: Entry, b: Entry): boolean {
  return a === b || (a.term === b.term && JSON.stringify(a.value) === JSON.stringify(b.value) && JSON.stringify(a.config) === JSON.stringify(b.config));
}

export class SafetyChecker {
  /** Election Safety: the one leader of each term. */
  private leaderOf = new Map<number, NodeId>();
  /** Log Matching: for each index, each term seen there, the entry and the term before it. */
  private seen = new Map<number, Map<number, Seen>>();
  /** State Machine Safety: the entry committed (and so applied) at each index, where seen. */
  private committed = new Map<number, Entry>();
  /** Terms of committed indexes known only from snapshots (their entries were compacted unseen). */
  private snapshotTerms = new Map<number, number>();
  /** The term in which each index was first seen committed (the committing server's current term). */
  private commitTerms = new Map<number, number>();
  private maxCommitted = 0;
  /** The state machine's fingerprint after applying up to each index, when it has one. */
  private digests = new Map<number, string>();
  private last = new Map<NodeId, RaftState>();
  private lastCommitChecked = new Map<NodeId, number>();
  checks = 0;

  /** The highest index known committed anywhere (proposals up to it were acknowledged). */
  get committedIndex(): number {
    return this.maxCommitted;
  }

  /** The term of the entry committed at `index`, if any server has been seen to commit it. */
  committedTerm(index: number): number | undefined {
    return this.committed.get(index)?.term ?? this.snapshotTerms.get(index);
  }

  check(state: ClusterState, _net?: NetState): void {
    this.checks++;
    for (const id in state.servers) {
      const slot = state.servers[id]!;
      const r = slot.raft;
      const before = this.last.get(id);
      if (before === r) continue;
      this.electionSafety(r);
      this.leaderRules(before, r);
      if (!before || before.log !== r.log || before.snapshot !== r.snapshot) this.logMatching(before, r);
      this.stateMachineSafety(r, slot.app);
      this.last.set(id, r);
    }
  }

  private electionSafety(r: RaftState): void {
    if (r.role !== "leader") return;
    const other = this.leaderOf.get(r.term);
    if (other === undefined) this.leaderOf.set(r.term, r.id);
    else if (other !== r.id) throw new SafetyViolation("Election Safety", `${other} and ${r.id} are both leaders of term ${r.term}`);
  }

  private leaderRules(before: RaftState | undefined, r: RaftState): void {
    if (r.role !== "leader") return;
    const continuing = before !== undefined && before.role === "leader" && before.term === r.term;
    if (!continuing) {
      // Leader Completeness: a new leader holds every entry committed so far.
      const offset = r.snapshot?.index ?? 0;
      // Leader Completeness: entries committed in earlier terms are in the logs of later leaders.
      for (const [i, c] of this.committed) {
        if (i <= offset || this.commitTerms.get(i)! >= r.term) continue;
        const mine = r.log[i - offset - 1];
        if (!mine || !same(mine, c)) throw new SafetyViolation("Leader Completeness", `${r.id}, leader of term ${r.term}, lacks committed entry ${i} (term ${c.term})`);
      }
      for (const [i, t] of this.snapshotTerms) {
        if (i > offset && this.commitTerms.get(i)! < r.term && termAt(r, i) !== t) throw new SafetyViolation("Leader Completeness", `${r.id}, leader of term ${r.term}, lacks committed entry ${i} (term ${t})`);
      }
      return;
    }
    // Leader Append-Only: a leader never overwrites or deletes entries in its log.
    const b = before!;
    const bLast = lastIndex(b);
    if (lastIndex(r) < bLast) throw new SafetyViolation("Leader Append-Only", `${r.id}'s log shrank from ${bLast} to ${lastIndex(r)} in term ${r.term}`);
    const offset = r.snapshot?.index ?? 0;
    for (let i = Math.max(offset, b.snapshot?.index ?? 0) + 1; i <= bLast; i++) {
      if (r.log[i - offset - 1] !== b.log[i - (b.snapshot?.index ?? 0) - 1]) {
        throw new SafetyViolation("Leader Append-Only", `${r.id} rewrote entry ${i} while leader of term ${r.term}`);
      }
    }
    // §5.4.2: a leader commits by counting replicas only an entry of its current term.
    if (r.commitIndex > b.commitIndex && termAt(r, r.commitIndex) !== r.term) {
      throw new SafetyViolation("Commitment rule (§5.4.2)", `${r.id} (term ${r.term}) committed index ${r.commitIndex} of term ${termAt(r, r.commitIndex)} by counting`);
    }
  }

  private logMatching(before: RaftState | undefined, r: RaftState): void {
    const offset = r.snapshot?.index ?? 0;
    let from = offset + 1;
    if (before) {
      // Logs change by truncating and appending: entries up to an unchanged old last entry are unchanged.
      const bLast = lastIndex(before);
      const bOff = before.snapshot?.index ?? 0;
      if (bLast > offset && bLast <= lastIndex(r) && r.log[bLast - offset - 1] === before.log[bLast - bOff - 1]) from = bLast + 1;
    }
    for (let i = from; i <= offset + r.log.length; i++) {
      const e = r.log[i - offset - 1]!;
      const prevTerm = termAt(r, i - 1)!;
      let terms = this.seen.get(i);
      if (!terms) this.seen.set(i, (terms = new Map()));
      const s = terms.get(e.term);
      if (!s) terms.set(e.term, { entry: e, prevTerm });
      else if (!same(s.entry, e) || s.prevTerm !== prevTerm) {
        throw new SafetyViolation("Log Matching", `${r.id}'s entry ${i} (term ${e.term}) differs from another log's entry with that index and term, or follows a different entry`);
      }
    }
  }

  private stateMachineSafety(r: RaftState, app: unknown): void {
    const offset = r.snapshot?.index ?? 0;
    let from = this.lastCommitChecked.get(r.id) ?? 0;
    if (r.commitIndex < from) from = r.commitIndex; // a crash lost the volatile commitIndex
    if (r.snapshot && r.snapshot.index > from) {
      const { index, term } = r.snapshot;
      const known = this.committedTerm(index);
      if (known === undefined) {
        this.snapshotTerms.set(index, term);
        this.commitTerms.set(index, r.term);
      }
      else if (known !== term) {
        throw new SafetyViolation("State Machine Safety", `${r.id}'s snapshot at ${index} has term ${term}, the committed entry there has ${known}`);
      }
      if (index > this.maxCommitted) this.maxCommitted = index;
      from = index;
    }
    if (r.commitIndex > this.maxCommitted) this.maxCommitted = r.commitIndex;
    for (let i = Math.max(from, offset) + 1; i <= r.commitIndex; i++) {
      const e = r.log[i - offset - 1]!;
      const c = this.committed.get(i);
      if (c === undefined) {
        const t = this.snapshotTerms.get(i);
        if (t !== undefined && t !== e.term) throw new SafetyViolation("State Machine Safety", `${r.id} applies entry ${i} of term ${e.term}, a snapshot holds term ${t}`);
        this.committed.set(i, e);
        this.commitTerms.set(i, r.term);
      }
      else if (!same(c, e)) {
        throw new SafetyViolation("State Machine Safety", `${r.id} applies entry ${i} of term ${e.term}, another server applied term ${c.term}`);
      }
    }
    this.lastCommitChecked.set(r.id, r.commitIndex);
    // The state machines themselves: equal fingerprints after the same number of entries.
    const d = (app as { digest?: unknown } | null)?.digest;
    if (d !== undefined && r.lastApplied === r.commitIndex) {
      const key = `${d}/${(app as { applied?: unknown }).applied}`;
      const had = this.digests.get(r.lastApplied);
      if (had === undefined) this.digests.set(r.lastApplied, key);
      else if (had !== key) throw new SafetyViolation("State Machine Safety", `${r.id}'s state machine after ${r.lastApplied} entries differs from another server's`);
    }
  }
}
