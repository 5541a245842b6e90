const GONE: unique symbol = Symbol("gone");
type Slot<V> = V | typeof GONE;
/** Merge two layers while the older is at most this many times the newer (fewer layers, faster reads). */
const MERGE_RATIO = 4;
/**
 * The top of a map nothing has been set in since its last fork: shared and never written (set()
 * makes a map its own top first). A fork is made on every command for every map a value holds
 * (an image store's six, each time one is opened), and most are only read: allocating a Map for
 * each cost more than the fork itself (bench playground.containers_10000_run_and_listed).
 */
const EMPTY_TOP: ReadonlyMap<unknown, unknown> = new Map();
/** No key: what `absent` holds when no miss is remembered. */
const NO_KEY: unique symbol = Symbol("no key");

/**
 * A Map whose copies are cheap: `fork()` shares the contents and both maps then change
 * independently. The world keeps every host's image store as a value (a snapshot of the world is
 * a reference), and copying a store of thousands of layers and cache records on every build cost
 * more than the build itself (measured: 2 of 4 ms per build at 1,000 images).
 *
 * Contents are a stack of frozen layers under a mutable top. Forking freezes the top; layers are
 * merged as in a log-structured merge tree (while the older of the two newest is at most twice
 * the newer), so there are O(log n) layers and each entry is copied O(log n) times in all.
 * Iteration follows first insertion, as a Map's does. Values are never undefined.
 *
 * It lives in the kernel because the kernel's own network value holds one (NetState.endpoints:
 * 10,000 containers' interfaces, one more attached per `docker run`); the image store, the engine's
 * tables and the world use the same class.
 */
export class CowMap<K, V> implements ReadonlyMap<K, V> {
  private layers: readonly ReadonlyMap<K, Slot<V>>[] = [];
  private top = EMPTY_TOP as unknown as Map<K, Slot<V>>;
  private count = 0;
  /**
   * The key of the last get() that found nothing, while it is still absent: a new key is looked
   * up through every layer first (a fresh ID, name or PID is checked, then set) and set() would
   * look it up through every layer again to keep the count. Only set() can add it back, and
   * set() forgets it. An ES private field: a cache, not contents (two maps with the same entries
   * and layers compare equal whatever each last missed).
   */
  #absent: unknown = NO_KEY;

  constructor(entries?: Iterable<readonly [K, V]>) {
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  /** A copy that shares this map's contents (O(1) amortised). */
  fork(): CowMap<K, V> {
    this.freezeTop();
    const copy = new CowMap<K, V>();
    copy.layers = this.layers;
    copy.count = this.count;
    // The same contents: what is absent here is absent there.
    copy.#absent = this.#absent;
    return copy;
  }

  private freezeTop(): void {
    if (this.top.size === 0) return;
    const layers = [...this.layers, this.top];
    while (layers.length >= 2 && layers[layers.length - 2]!.size <= MERGE_RATIO * layers[layers.length - 1]!.size) {
      const newer = layers.pop()!;
      // forEach, not new Map(older) and for…of: no entry array per copied entry (the merges were
      // a third of a `docker run`'s allocation on a host of thousands of containers).
      const merged = new Map<K, Slot<V>>();
      layers.pop()!.forEach(copyInto, merged);
      newer.forEach(copyInto, merged);
      // At the bottom nothing is left to hide: drop the deletion marks.
      if (layers.length === 0) merged.forEach(dropGone, merged);
      layers.push(merged);
    }
    this.layers = layers;
    this.top = EMPTY_TOP as unknown as Map<K, Slot<V>>;
  }

  /** The top, made this map's own before its first write since a fork. */
  private ownTop(): Map<K, Slot<V>> {
    if (this.top === EMPTY_TOP) this.top = new Map();
    return this.top;
  }

  /**
   * The keys whose values differ (by identity) between `older` and this map: added, removed or
   * set anew. When one is a fork of the other, only the layers they do not share are read, so
   * diffing each version with the one before costs about what the changes between them cost
   * (amortised over merges); maps that share nothing are compared whole.
   */
  changedKeys(older: CowMap<K, V>): K[] {
    if (older === this) return [];
    let shared = 0;
    while (shared < this.layers.length && shared < older.layers.length && this.layers[shared] === older.layers[shared]) shared++;
    const candidates = new Set<K>();
    for (const m of [this, older]) {
      for (let i = shared; i < m.layers.length; i++) for (const k of m.layers[i]!.keys()) candidates.add(k);
      for (const k of m.top.keys()) candidates.add(k);
    }
    const out: K[] = [];
    for (const k of candidates) if (this.get(k) !== older.get(k)) out.push(k);
    return out;
  }

  get(key: K): V | undefined {
    const t = this.top.get(key);
    if (t !== undefined) return t === GONE ? undefined : t;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const v = this.layers[i]!.get(key);
      if (v !== undefined) return v === GONE ? undefined : v;
    }
    // A private field: written even on a map deep-frozen with a value (kernel freezeDeep).
    this.#absent = key;
    return undefined;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V): this {
    if (key === this.#absent || !this.has(key)) this.count++;
    this.#absent = NO_KEY;
    this.ownTop().set(key, value);
    return this;
  }

  delete(key: K): boolean {
    if (!this.has(key)) return false;
    this.count--;
    if (this.layers.length === 0) this.top.delete(key);
    else this.ownTop().set(key, GONE);
    return true;
  }

  get size(): number {
    return this.count;
  }

  *entries(): MapIterator<[K, V]> {
    if (this.layers.length > 1 || (this.layers.length === 1 && this.top.size > 0)) this.compact();
    const only = this.layers.length === 1 ? this.layers[0]! : this.top;
    for (const [k, v] of only) if (v !== GONE) yield [k, v];
  }

  /**
   * Merges every layer and the top into one frozen layer (the contents and their order are the
   * same): iterating then reads one Map instead of looking each key up through every layer
   * (`docker ps` over 10,000 containers). Forks made before keep their own layers.
   */
  private compact(): void {
    const merged = new Map<K, Slot<V>>();
    (this.layers[0] ?? this.top).forEach(copyInto, merged);
    for (let i = 1; i < this.layers.length; i++) this.layers[i]!.forEach(copyInto, merged);
    if (this.layers.length > 0) this.top.forEach(copyInto, merged);
    merged.forEach(dropGone, merged);
    this.layers = [merged];
    this.top = EMPTY_TOP as unknown as Map<K, Slot<V>>;
  }

  *keys(): MapIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  /**
   * JSON of the contents, never of the layers: two maps with the same entries in the same order
   * serialise alike however they were forked (canonicalJson, and so stateHash, writes a Map the
   * same way).
   */
  toJSON(): { $map: [K, V][] } {
    return { $map: [...this.entries()] };
  }

  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

/** forEach callbacks with the target map as `this` (no closure per merge). */
function copyInto(this: Map<unknown, unknown>, v: unknown, k: unknown): void {
  this.set(k, v);
}
function dropGone(this: Map<unknown, unknown>, v: unknown, k: unknown): void {
  if (v === GONE) this.delete(k);
}
