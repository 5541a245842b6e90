import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import type { Micros } from "./time.js";
import type { NodeId } from "./network.js";

/** Why the network did not deliver a message. */
export type DropReason = "partition" | "loss" | "crashed" | "held" | "user";

/**
 * One trace record: plain JSON with its virtual time. The visualiser animates from these, tests
 * read them, and their canonical hash identifies a run.
 */
export type TraceRecord =
  | { readonly t: Micros; readonly type: "send"; readonly id: number; readonly from: NodeId; readonly to: NodeId; readonly at: Micros; readonly msg: unknown }
  | { readonly t: Micros; readonly type: "deliver"; readonly id: number; readonly from: NodeId; readonly to: NodeId }
  | { readonly t: Micros; readonly type: "drop"; readonly id: number; readonly from: NodeId; readonly to: NodeId; readonly reason: DropReason }
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
