/**
 * Randomized round-robin (SWIM §4.3): each member walks a fresh random permutation of the
 * membership, so a failed member is probed by each member within 2n − 1 periods at worst.
 * memberlist shuffles a node list per member; 10,000 such lists would hold 10⁸ entries, so the
 * permutation here is computed, not stored: a keyed Feistel network over the next power of two,
 * cycle-walking past indices ≥ n. Each member keeps only (key, position, size).
 */
function mix(x: number, key: number): number {
  let h = Math.imul(x ^ key, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca77);
  h ^= h >>> 13;
  return h >>> 0;
}

/** The element at `position` of the permutation of [0, size) chosen by `key`. */
export function permute(position: number, size: number, key: number): number {
  if (size <= 1) return 0;
  let bits = 1;
  while (1 << bits < size) bits++;
  if (bits & 1) bits++;
  const half = bits >> 1;
  const mask = (1 << half) - 1;
  let x = position;
  do {
    let l = x >>> half;
    let r = x & mask;
    for (let round = 0; round < 4; round++) {
      const t = r;
      r = (l ^ mix(r, key + round * 0x632be5ab)) & mask;
      l = t;
    }
    x = (l << half) | r;
  } while (x >= size);
  return x;
}
