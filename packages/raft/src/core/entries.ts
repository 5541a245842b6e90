/**
 * A log entry. A leader's first entry of its term is a no-op (`value: null`, paper §8).
 * A configuration entry carries the full new member list (dissertation §4.1: a server uses
 * the latest configuration in its log, committed or not).
 */
export interface Entry {
  readonly term: number;
  readonly value: unknown;
  readonly config?: readonly string[];
}


/**
 * A server's log entries as an immutable value that appends without copying the whole log:
 * full chunks of CHUNK entries, shared by every later version, then a short tail. An append
 * copies the tail (fewer than CHUNK entries) and, once per CHUNK appends, the list of chunks;
 * a step's state and every earlier one (held by snapshots) stay valid. JSON (and so a state
 * hash) sees a plain array of entries.
 */
const SHIFT = 5;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;

type Chunk = readonly Entry[];
const NONE: Chunk = Object.freeze([]);
const NO_CHUNKS: readonly Chunk[] = Object.freeze([]);
/** toArray's results, kept off the log objects so that each stays three fields small. */
const ARRAYS = new WeakMap<EntryLog, readonly Entry[]>();

export class EntryLog implements Iterable<Entry> {
  /** Full chunks, each of CHUNK entries, never written after they fill. */
  readonly #body: readonly Chunk[];
  /** Fewer than CHUNK entries after the body (not frozen, for speed; never written either). */
  readonly #tail: Chunk;
  readonly length: number;

  private constructor(body: readonly Chunk[], tail: Chunk) {
    this.#body = body;
    this.#tail = tail;
    this.length = body.length * CHUNK + tail.length;
  }

  static readonly EMPTY: EntryLog = new EntryLog(NO_CHUNKS, NONE);

  /** A log holding `entries`, in order. */
  static of(entries: readonly Entry[]): EntryLog {
    return EntryLog.EMPTY.append(entries);
  }

  /** The entry at position `k` (0-based), or undefined outside [0, length). */
  at(k: number): Entry | undefined {
    if (!(k >= 0 && k < this.length)) return undefined;
    const c = k >>> SHIFT;
    const body = this.#body;
    return c < body.length ? body[c]![k & MASK] : this.#tail[k & MASK];
  }

  /**
   * How many leading entries this log and `other` share, as the very same entry objects (entries
   * are immutable, so the same object is the same entry). Chunks both logs share are skipped
   * whole, so a log compared with the one it was appended to costs a few steps, not its length.
   */
  commonPrefix(other: EntryLog): number {
    const a = this.#body;
    const b = other.#body;
    let c = 0;
    while (c < a.length && c < b.length && a[c] === b[c]) c++;
    let k = c * CHUNK;
    const max = Math.min(this.length, other.length);
    while (k < max && this.at(k) === other.at(k)) k++;
    return k;
  }

  /** This log with `entries` after its last. */
  append(entries: readonly Entry[]): EntryLog {
    const n = entries.length;
    if (n === 0) return this;
    const tail0 = this.#tail;
    // The common case: a few entries that fit in the tail (one copy of at most CHUNK - 1 entries).
    if (tail0.length + n < CHUNK) return new EntryLog(this.#body, tail0.concat(entries));
    const body = [...this.#body];
    let tail: Entry[] = [...tail0];
    for (let i = 0; i < n; i++) {
      tail.push(entries[i]!);
      if (tail.length === CHUNK) {
        body.push(Object.freeze(tail));
        tail = [];
      }
    }
    return new EntryLog(Object.freeze(body), tail.length === 0 ? NONE : tail);
  }

  /** The first `n` entries. */
  truncate(n: number): EntryLog {
    if (n >= this.length) return this;
    if (n <= 0) return EntryLog.EMPTY;
    const c = n >>> SHIFT;
    const rest = n & MASK;
    const body = Object.freeze(this.#body.slice(0, c));
    const from = c < this.#body.length ? this.#body[c]! : this.#tail;
    return new EntryLog(body, rest === 0 ? NONE : from.slice(0, rest));
  }

  /** The entries after the first `n` (compaction). */
  drop(n: number): EntryLog {
    if (n <= 0) return this;
    if (n >= this.length) return EntryLog.EMPTY;
    if ((n & MASK) === 0) return new EntryLog(Object.freeze(this.#body.slice(n >>> SHIFT)), this.#tail);
    return EntryLog.of(this.slice(n));
  }

  /** Entries [from, to) as a new array, as Array.prototype.slice takes them (no negative positions). */
  slice(from = 0, to = this.length): Entry[] {
    const a = Math.max(0, from);
    const b = Math.min(this.length, to);
    const out: Entry[] = [];
    for (let k = a; k < b; k++) out.push(this.at(k)!);
    return out;
  }

  /** Every entry, in order, as one frozen array (made once per log value, when first asked for). */
  toArray(): readonly Entry[] {
    let all = ARRAYS.get(this);
    if (all === undefined) {
      const out: Entry[] = [];
      for (const c of this.#body) for (const e of c) out.push(e);
      for (const e of this.#tail) out.push(e);
      all = Object.freeze(out);
      ARRAYS.set(this, all);
    }
    return all;
  }

  *[Symbol.iterator](): Iterator<Entry> {
    for (const c of this.#body) yield* c;
    yield* this.#tail;
  }

  /** JSON sees the entries (so a state's hash does not depend on how the log is stored). */
  toJSON(): readonly Entry[] {
    return this.toArray();
  }
}
