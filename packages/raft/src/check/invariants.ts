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
  /** Each server as last checked: its state and its state machine (the commitIndex checked up to is last.raft's). */
  private last = new Map<NodeId, { readonly raft: RaftState; readonly app: unknown }>();
  /** Figure 2's votedFor, per server and term, as first seen: a second, different vote is a violation. */
  private votes = new Map<string, NodeId>();
  /** The highest term any server has held: a term comes only from a candidate or from another server. */
  private maxTerm = 0;
  /** Each server's crash count (the kernel's epoch) when last checked: a crash loses the volatile commitIndex. */
  private epochs = new Map<NodeId, number>();
  /** The highest term when checking began: votes of earlier terms were not seen. */
  private startTerm: number | null = null;
  checks = 0;

  /** The highest index known committed anywhere (proposals up to it were acknowledged). */
  get committedIndex(): number {
    return this.maxCommitted;
  }

  /** The term of the entry committed at `index`, if any server has been seen to commit it. */
  committedTerm(index: number): number | undefined {
    return this.committed.get(index)?.term ?? this.snapshotTerms.get(index);
  }

  /** `net`, when given, tells a crash (which may lower commitIndex) from a live server's step (which may not). */
  check(state: ClusterState, net?: NetState): void {
    this.checks++;
    const maxBefore = this.maxTerm;
    // Terms and votes first, so a leader is checked against every vote cast up to now.
    for (const id in state.servers) {
      const r = state.servers[id]!.raft;
      const before = this.last.get(id)?.raft;
      if (before === r) continue;
      this.terms(before, r, maxBefore);
      // A vote seen before was checked then (and votes are never forgotten).
      if (!before || before.term !== r.term || before.votedFor !== r.votedFor) this.oneVotePerTerm(r);
    }
    for (const id in state.servers) {
      const slot = state.servers[id]!;
      const r = slot.raft;
      const lastSlot = this.last.get(id);
      const before = lastSlot?.raft;
      if (before === r) continue;
      this.electionSafety(r);
      this.leaderRules(before, r);
      if (!before || before.log !== r.log || before.snapshot !== r.snapshot) this.logMatching(before, r);
      if (net) {
        const epoch = net.epoch[id] ?? 0;
        if (before && epoch === this.epochs.get(id) && r.commitIndex < before.commitIndex) {
          throw new SafetyViolation("commitIndex monotone (Figure 2)", `${id}'s commitIndex fell from ${before.commitIndex} to ${r.commitIndex} without a crash`);
        }
        this.epochs.set(id, epoch);
      }
      this.stateMachineSafety(before, r, slot.app, lastSlot?.app);
      this.last.set(id, slot);
    }
    this.startTerm ??= this.maxTerm;
  }

  /**
   * §5.1: currentTerm never decreases (it is persistent), and a higher term comes either from
   * starting an election (term + 1, voting for itself, §5.2) or from a message of a server that
   * holds it. A PreVote round (dissertation §9.6) must raise nobody's term.
   */
  private terms(before: RaftState | undefined, r: RaftState, maxBefore: number): void {
    if (before && r.term < before.term) throw new SafetyViolation("Terms (§5.1)", `${r.id}'s term fell from ${before.term} to ${r.term}`);
    if (before && r.term > before.term && r.term > maxBefore) {
      const campaigned = r.term === before.term + 1 && r.votedFor === r.id && (r.role === "candidate" || r.role === "leader");
      if (!campaigned) throw new SafetyViolation("Terms (§5.1)", `${r.id} moved to term ${r.term}, which no server held and it did not campaign in`);
    }
    if (r.term > this.maxTerm) this.maxTerm = r.term;
  }

  /** Figure 2: votedFor is persistent, so a server votes for at most one candidate per term, crashes included. */
  private oneVotePerTerm(r: RaftState): void {
    if (r.votedFor === null) return;
    const key = `${r.id}/${r.term}`;
    const had = this.votes.get(key);
    if (had === undefined) this.votes.set(key, r.votedFor);
    else if (had !== r.votedFor) throw new SafetyViolation("One vote per term (Figure 2)", `${r.id} voted for ${had} and then ${r.votedFor} in term ${r.term}`);
  }

  private electionSafety(r: RaftState): void {
    if (r.role !== "leader") return;
    const other = this.leaderOf.get(r.term);
    if (other === undefined) {
      this.leaderOf.set(r.term, r.id);
      // §5.2: a candidate wins with the votes of a majority of its configuration in that term.
      if (this.startTerm === null || r.term <= this.startTerm) return;
      let votes = 0;
      for (const id of r.config) if (this.votes.get(`${id}/${r.term}`) === r.id) votes++;
      if (votes < (r.config.length >> 1) + 1) {
        throw new SafetyViolation("Election Safety", `${r.id} leads term ${r.term} with ${votes} of ${r.config.length} votes`);
      }
    }
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
        const mine = r.log.at(i - offset - 1);
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
    const bOff = b.snapshot?.index ?? 0;
    if (offset === bOff) {
      // The same entry objects up to the old end (chunks the two logs share are skipped whole).
      const same = r.log.commonPrefix(b.log);
      if (same < b.log.length) throw new SafetyViolation("Leader Append-Only", `${r.id} rewrote entry ${offset + same + 1} while leader of term ${r.term}`);
    } else {
      for (let i = Math.max(offset, bOff) + 1; i <= bLast; i++) {
        if (r.log.at(i - offset - 1) !== b.log.at(i - bOff - 1)) {
          throw new SafetyViolation("Leader Append-Only", `${r.id} rewrote entry ${i} while leader of term ${r.term}`);
        }
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
      // Check from the first entry that is not the very object the log held before (entries are
      // immutable, so an unchanged object is an unchanged entry; a rewrite anywhere is found).
      const bOff = before.snapshot?.index ?? 0;
      const bLast = lastIndex(before);
      if (bOff === offset) from += r.log.commonPrefix(before.log);
      else while (from <= bLast && from <= offset + r.log.length && from > bOff && r.log.at(from - offset - 1) === before.log.at(from - bOff - 1)) from++;
    }
    for (let i = from; i <= offset + r.log.length; i++) {
      const e = r.log.at(i - offset - 1)!;
      const prevTerm = termAt(r, i - 1)!;
      // §5.3: a log's terms never decrease (each leader appends entries of its own, newer term).
      if (e.term < prevTerm) throw new SafetyViolation("Log Matching", `${r.id}'s entry ${i} has term ${e.term}, after an entry of term ${prevTerm}`);
      let terms = this.seen.get(i);
      if (!terms) this.seen.set(i, (terms = new Map()));
      const s = terms.get(e.term);
      if (!s) terms.set(e.term, { entry: e, prevTerm });
      else if (!same(s.entry, e) || s.prevTerm !== prevTerm) {
        throw new SafetyViolation("Log Matching", `${r.id}'s entry ${i} (term ${e.term}) differs from another log's entry with that index and term, or follows a different entry`);
      }
    }
  }

  private stateMachineSafety(before: RaftState | undefined, r: RaftState, app: unknown, appBefore: unknown): void {
    const offset = r.snapshot?.index ?? 0;
    let from = before?.commitIndex ?? 0;
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
      const e = r.log.at(i - offset - 1)!;
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
    // The state machines themselves: equal fingerprints after the same number of entries (the
    // same machine at the same indexes as last time was compared then).
    if (before && app === appBefore && before.lastApplied === r.lastApplied && before.commitIndex === r.commitIndex) return;
    const d = (app as { digest?: unknown } | null)?.digest;
    if (d !== undefined && r.lastApplied === r.commitIndex) {
      const key = `${d}/${(app as { applied?: unknown }).applied}`;
      const had = this.digests.get(r.lastApplied);
      if (had === undefined) this.digests.set(r.lastApplied, key);
      else if (had !== key) throw new SafetyViolation("State Machine Safety", `${r.id}'s state machine after ${r.lastApplied} entries differs from another server's`);
    }
  }
}
