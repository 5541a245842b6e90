/**
 * Every member's view of every member, kept compact. A view entry is one integer, the "key":
 * incarnation × 4 + status (alive 0, suspect 1, dead 2, left 3), or UNKNOWN. Views agree almost
 * everywhere (an update reaches every member within a few periods), so each subject member
 * has a base key that most observers hold, and a small map of the observers that hold another.
 * 10,000 members then cost a few typed arrays, not 10⁸ entries; a rebase keeps the maps small.
 */
export const UNKNOWN = -1;

export const ALIVE = 0;
export const SUSPECT = 1;
export const DEAD = 2;
export const LEFT = 3;
/** 0 alive, 1 suspect, 2 dead, 3 left. */
export type Status = 0 | 1 | 2 | 3;

export const STATUS_NAMES = ["alive", "suspect", "dead", "left"] as const;
export type StatusName = (typeof STATUS_NAMES)[number];

export const makeKey = (incarnation: number, status: Status): number => incarnation * 4 + status;
export const keyIncarnation = (key: number): number => Math.floor(key / 4);
export const keyStatus = (key: number): Status => (key & 3) as Status;

export class ViewTable {
  /** Observers and subjects share one index space (member ids). */
  size: number;
  base: Int32Array;
  dev: Map<number, number>[];
  /**
   * dev[j].size, per subject, in a flat array: most subjects have no deviation, and at 10,000
   * members reading a Map object per lookup (random members, cold in cache) cost more than the
   * rest of the lookup.
   */
  devCount: Int32Array;
  /** Deviation count at which a rebase is next considered, per subject. */
  private nextCheck: Int32Array;

  constructor(capacity: number) {
    this.size = 0;
    this.base = new Int32Array(Math.max(capacity, 4)).fill(UNKNOWN);
    this.nextCheck = new Int32Array(Math.max(capacity, 4));
    this.devCount = new Int32Array(Math.max(capacity, 4));
    this.dev = [];
  }

  /**
   * Adds a member id: every existing observer does not know it, and (unless `initial`, for the
   * founding members whose views are then set at once) it knows nobody.
   */
  add(initial = false): number {
    const id = this.size++;
    if (id >= this.base.length) {
      const base = new Int32Array(this.base.length * 2).fill(UNKNOWN);
      base.set(this.base);
      this.base = base;
      const check = new Int32Array(this.base.length);
      check.set(this.nextCheck);
      this.nextCheck = check;
      const count = new Int32Array(this.base.length);
      count.set(this.devCount);
      this.devCount = count;
    }
    this.base[id] = UNKNOWN;
    this.dev.push(new Map());
    // The new observer starts knowing nothing: a deviation wherever the base is known.
    if (!initial) for (let j = 0; j < id; j++) if (this.base[j] !== UNKNOWN) this.set(id, j, UNKNOWN);
    this.nextCheck[id] = this.threshold();
    return id;
  }

  get(observer: number, subject: number): number {
    if (this.devCount[subject] === 0) return this.base[subject]!;
    const v = this.dev[subject]!.get(observer);
    return v === undefined ? this.base[subject]! : v;
  }

  set(observer: number, subject: number, key: number): void {
    const d = this.dev[subject]!;
    if (key === this.base[subject]) d.delete(observer);
    else d.set(observer, key);
    this.devCount[subject] = d.size;
    if (d.size >= this.nextCheck[subject]!) this.rebase(subject);
  }

  /** One observer's whole view, indexed by member id (a copy). */
  row(observer: number): Int32Array {
    const out = this.base.slice(0, this.size);
    const count = this.devCount;
    for (let j = 0; j < this.size; j++) {
      if (count[j] === 0) continue;
      const v = this.dev[j]!.get(observer);
      if (v !== undefined) out[j] = v;
    }
    return out;
  }

  /** Sets every observer's view of `subject` (the initial, agreed membership). */
  setAll(subject: number, key: number): void {
    this.base[subject] = key;
    this.dev[subject]!.clear();
    this.devCount[subject] = 0;
  }

  /** Forgets everything `observer` knew (a restart): UNKNOWN for every subject. */
  forget(observer: number): void {
    for (let j = 0; j < this.size; j++) this.set(observer, j, UNKNOWN);
  }

  private threshold(): number {
    return Math.max(8, this.size >> 1);
  }

  /**
   * When more than half of the observers deviate, the most common deviating key may become the
   * base. Checks are spaced so that their O(n) cost is amortized over many updates.
   */
  private rebase(subject: number): void {
    const d = this.dev[subject]!;
    const counts = new Map<number, number>();
    let best = UNKNOWN;
    let bestCount = 0;
    for (const v of d.values()) {
      const c = (counts.get(v) ?? 0) + 1;
      counts.set(v, c);
      if (c > bestCount) { best = v; bestCount = c; }
    }
    const holdBase = this.size - d.size;
    if (bestCount > holdBase) {
      const old = this.base[subject]!;
      const next = new Map<number, number>();
      for (let o = 0; o < this.size; o++) {
        const v = d.get(o);
        const key = v === undefined ? old : v;
        if (key !== best) next.set(o, key);
      }
      this.base[subject] = best;
      this.dev[subject] = next;
      this.devCount[subject] = next.size;
    }
    this.nextCheck[subject] = Math.max(this.threshold(), this.dev[subject]!.size + Math.max(8, this.size >> 3));
  }

  clone(): ViewTable {
    const t = Object.create(ViewTable.prototype) as ViewTable;
    t.size = this.size;
    t.base = this.base.slice();
    t.nextCheck = this.nextCheck.slice();
    t.devCount = this.devCount.slice();
    t.dev = this.dev.map((m) => new Map(m));
    return t;
  }

  /** Observers that deviate from the base, summed over subjects (for tests and benches). */
  deviations(): number {
    let s = 0;
    for (const d of this.dev) s += d.size;
    return s;
  }
}
