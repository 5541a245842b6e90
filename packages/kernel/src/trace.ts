import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { DrydockError } from "./errors.js";
import type { Micros } from "./time.js";
import type { NodeId } from "./network.js";

/**
 * Why the network did not deliver a message. `unreachable`: an endpoint that is down, detached
 * or unknown (only messages to or from endpoints meet it). The list is the one definition the
 * counters are built from.
 */
export const DROP_REASONS = ["partition", "loss", "crashed", "held", "user", "unreachable"] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/**
 * One trace record: plain JSON with its virtual time. The visualiser animates from these, tests
 * read them, and their canonical hash identifies a run.
 */
export type TraceRecord =
  // `path` and `hop` appear only on messages to or from an endpoint (a plain node-to-node
  // message's records are unchanged): the hops the message passes, and the one where it died.
  | { readonly t: Micros; readonly type: "send"; readonly id: number; readonly from: NodeId; readonly to: NodeId; readonly at: Micros; readonly msg: unknown; readonly path?: readonly string[] }
  | { readonly t: Micros; readonly type: "deliver"; readonly id: number; readonly from: NodeId; readonly to: NodeId }
  | { readonly t: Micros; readonly type: "drop"; readonly id: number; readonly from: NodeId; readonly to: NodeId; readonly reason: DropReason; readonly hop?: string }
  | { readonly t: Micros; readonly type: "hold"; readonly id: number; readonly from: NodeId; readonly to: NodeId }
  | { readonly t: Micros; readonly type: "timer"; readonly node: NodeId; readonly name: string }
  | { readonly t: Micros; readonly type: "action"; readonly action: unknown; readonly scheduled: boolean }
  | { readonly t: Micros; readonly type: "state"; readonly node: NodeId | null; readonly data: unknown };

export type TraceType = TraceRecord["type"];

/**
 * sha256 (from @noble/hashes) over each record's JSON plus a newline, in trace order. Records
 * are encoded in batches: one TextEncoder call and one hash update per ~64 KiB, not per record.
 */
export class TraceHasher {
  private hash = sha256.create();
  /** Records hashed so far. */
  count = 0;

  /**
   * Hashes records number count..end (the records before `count` must be the ones already
   * hashed). `records[i - offset]` is record number i: a window of the trace starts at `offset`
   * (then pass `end` too).
   */
  catchUp(records: readonly TraceRecord[], end = records.length, offset = 0): void {
    let chunk = "";
    for (let i = this.count; i < end; i++) {
      chunk += JSON.stringify(records[i - offset]) + "\n";
      if (chunk.length > 65_536) {
        this.hash.update(utf8ToBytes(chunk));
        chunk = "";
      }
    }
    if (chunk) this.hash.update(utf8ToBytes(chunk));
    if (end > this.count) this.count = end;
  }

  clone(): TraceHasher {
    const h = new TraceHasher();
    h.hash = this.hash.clone();
    h.count = this.count;
    return h;
  }

  hex(): string {
    return bytesToHex(this.hash.clone().digest());
  }
}

/**
 * A trace's part of a snapshot: its length, and the hash of the records up to there once the
 * hash has passed that point (filled in then: see TraceLog), so a seek never needs records that
 * were dropped.
 */
export interface TraceSlice {
  readonly length: number;
  readonly hasher: TraceHasher | null;
}

type OpenSlice = { readonly length: number; hasher: TraceHasher | null };

/**
 * The run's trace and its hash, in one of two modes.
 *
 * - Whole (the default): every record is kept. After a seek back the records of the future are
 *   kept (`recorded`) until a fork, so a seek forward can restore a later snapshot and take its
 *   trace prefix from them instead of replaying.
 * - Window (`keepWindow(n)`): only the latest records are kept, about n of them, and the ones
 *   before are dropped once hashed. The hash follows the run: `hashSome` moves it on a little at
 *   a time (the app does that while idle and while playing), and a window four times too full
 *   hashes at once. A seek restores a snapshot's hash and regenerates the records after it by
 *   replay, which determinism makes exact.
 *
 * Either way the hash is computed on demand in batches, and each snapshot's slice receives a
 * copy of the hash when the hasher passes its length, so a seek back resumes hashing from the
 * snapshot instead of from the start. The hash is the same in both modes.
 */
export class TraceLog {
  /** The trace up to now; in window mode its latest records, `records[0]` being record number `start`. */
  records: TraceRecord[] = [];
  /** Number of the first record in `records` (0 unless a window dropped the ones before it). */
  start = 0;
  /** The longest trace this session has recorded (whole mode: the timeline's horizon). */
  private recorded: TraceRecord[] = this.records;
  private hasher: TraceHasher | null;
  /** Most records kept in window mode; Infinity: the whole trace. */
  private keep = Infinity;
  /** Snapshot slices the hash has not reached yet, by length. */
  private pending: OpenSlice[] = [];

  /** `on` false keeps no records (counters only, for runs of 10,000 members). */
  constructor(readonly on: boolean) {
    this.hasher = on ? new TraceHasher() : null;
  }

  /** Records traced so far, dropped ones included. */
  get length(): number {
    return this.start + this.records.length;
  }

  /**
   * From now on keep about the latest `records` records and drop older ones once they are
   * hashed. Call `hashSome` now and then so that hashing keeps up without a pause.
   */
  keepWindow(records: number): void {
    if (!this.on || this.keep !== Infinity) return;
    if (!Number.isInteger(records) || records < 2) throw new DrydockError("ETRACE", `a trace window holds at least 2 records, not ${records}`);
    this.keep = records;
    // The future recorded after a seek back is not kept in window mode.
    this.recorded = this.records;
  }

  push(r: TraceRecord): void {
    this.records.push(r);
    if (this.records.length > this.keep) this.trim();
  }

  /** Window mode: drops the oldest hashed records, down to half the window. */
  private trim(): void {
    const half = this.keep >> 1;
    const want = this.records.length - half;
    // A window four times too full: the hash has fallen behind, so it catches up now.
    if (this.records.length > 4 * this.keep) this.hashTo(this.start + want);
    const hashed = this.hasher!.count - this.start;
    if (hashed < half) return;
    const drop = Math.min(hashed, want);
    this.records = this.records.slice(drop);
    this.recorded = this.records;
    this.start += drop;
  }

  /** Hashes records up to number `end`, giving each snapshot slice it passes a copy of the hash. */
  private hashTo(end: number): void {
    const h = this.hasher!;
    while (this.pending.length > 0 && this.pending[0]!.length <= end) {
      const slice = this.pending.shift()!;
      if (slice.length < h.count) continue;
      h.catchUp(this.records, slice.length, this.start);
      slice.hasher = h.clone();
    }
    h.catchUp(this.records, end, this.start);
  }

  /** Hashes up to `records` more records; true once the hash has caught up with the trace. */
  hashSome(records: number): boolean {
    if (!this.hasher) return true;
    this.hashTo(Math.min(this.length, this.hasher.count + Math.max(1, records)));
    return this.hasher.count >= this.length;
  }

  /** sha256 of the trace so far. */
  hash(): string {
    if (!this.hasher) throw new DrydockError("ETRACE", "this simulation was created with trace: false");
    this.hashTo(this.length);
    return this.hasher.hex();
  }

  /** Whether a snapshot ahead can be restored without replaying up to it (no fork since it was taken). */
  reaches(s: TraceSlice): boolean {
    if (!this.on) return true;
    // A window has the hash of a snapshot the hasher has passed; replay regenerates its records.
    // A fork has already dropped the snapshots of the future it voided (History.fork).
    if (this.keep !== Infinity) return s.hasher !== null;
    return this.recorded.length >= s.length;
  }

  /** A new future starts here: the recorded one is void, and so are its snapshots. */
  fork(): void {
    this.recorded = this.records;
    const length = this.length;
    while (this.pending.length > 0 && this.pending[this.pending.length - 1]!.length > length) this.pending.pop();
  }

  save(): TraceSlice {
    const length = this.length;
    const h = this.hasher;
    if (!h || h.count === length) return { length, hasher: h ? h.clone() : null };
    const slice: OpenSlice = { length, hasher: null };
    // Slices wait in order of length (after a seek back, the future's slices are still waiting).
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1]!.length > length) i--;
    this.pending.splice(i, 0, slice);
    return slice;
  }

  load(s: TraceSlice): void {
    const length = s.length;
    if (this.keep === Infinity) {
      if (this.records.length > this.recorded.length) this.recorded = this.records;
      this.records = this.recorded.slice(0, length);
    } else if (length >= this.start && length <= this.length) {
      // The window keeps the records before the snapshot that it still has.
      this.records = this.records.slice(0, length - this.start);
      this.recorded = this.records;
    } else {
      // Past either end of the window: it starts empty at the snapshot, and replay regenerates what follows.
      this.records = [];
      this.recorded = this.records;
      this.start = length;
    }
    if (!this.hasher) return;
    if (s.hasher) {
      this.hasher = s.hasher.clone();
    } else if (this.hasher.count > length) {
      // The hash had passed this point without this slice (it was restored from elsewhere): in
      // whole mode every record is kept, so it starts again. A window never gets here: the
      // slices of the points it hashed past all hold their hash.
      if (this.keep !== Infinity) throw new DrydockError("ETRACE", `no hash for a snapshot at record ${length}`);
      this.hasher = new TraceHasher();
    }
  }
}

/** sha256 hex of any JSON value with object keys sorted, for state digests. */
export function canonicalHash(value: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(value))));
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Map) return { $map: [...v.entries()] };
    if (v instanceof Set) return { $set: [...v.values()] };
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}
