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

  /** Hashes records[count..end) (the records before `count` must be the ones already hashed). */
  catchUp(records: readonly TraceRecord[], end = records.length): void {
    let chunk = "";
    for (let i = this.count; i < end; i++) {
      chunk += JSON.stringify(records[i]) + "\n";
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
 * The run's trace and its hash. After a seek back the records of the future are kept (`recorded`)
 * until a fork, so a seek forward can restore a later snapshot and take its trace prefix from
 * them instead of replaying. Its part of a snapshot is the trace length.
 */
export class TraceLog {
  /** The trace up to now. */
  records: TraceRecord[] = [];
  /** The longest trace this session has recorded (the timeline's horizon). */
  private recorded: TraceRecord[] = this.records;
  private hasher: TraceHasher | null;

  /** `on` false keeps no records (counters only, for runs of 10,000 members). */
  constructor(readonly on: boolean) {
    this.hasher = on ? new TraceHasher() : null;
  }

  push(r: TraceRecord): void {
    this.records.push(r);
  }

  /** sha256 of the trace so far. */
  hash(): string {
    if (!this.hasher) throw new DrydockError("ETRACE", "this simulation was created with trace: false");
    this.hasher.catchUp(this.records);
    return this.hasher.hex();
  }

  /** Whether the records up to `length` are known without replaying (no fork since they were). */
  reaches(length: number): boolean {
    return !this.on || this.recorded.length >= length;
  }

  /** A new future starts here: the recorded one is void. */
  fork(): void {
    this.recorded = this.records;
  }

  save(): number {
    return this.records.length;
  }

  load(length: number): void {
    if (this.records.length > this.recorded.length) this.recorded = this.records;
    this.records = this.recorded.slice(0, length);
    // The hash is kept lazily: if it covered records past the snapshot, start it again (the
    // trace before the snapshot is kept, so hash() can always rebuild it).
    if (this.hasher && this.hasher.count > length) this.hasher = new TraceHasher();
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
