/**
 * Identifiers as SwarmKit makes them (identity/randomid.go): 128 random bits written in base 36
 * and padded to 25 characters, e.g. "x7ut5sqr6kbh5kmycdk9lxyhy". `docker service ls` and friends
 * show the first 12. The random source is injected: in the simulation it is a seeded stream.
 */

export type RandomSource = { next(): number };

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
export const ID_LENGTH = 25;

/** A 25-character base-36 id drawn from `rng`. */
export function newId(rng: RandomSource): string {
  let out = "";
  for (let i = 0; i < ID_LENGTH; i++) out += ALPHABET[Math.floor(rng.next() * 36)];
  return out;
}

/** A generator of ids; pure functions that create objects take one. */
export type IdSource = () => string;

export function idSource(rng: RandomSource): IdSource {
  return () => newId(rng);
}

/** The 12 characters the docker CLI shows (stringid.TruncateID). */
export function shortId(id: string): string {
  return id.slice(0, 12);
}

/** A deterministic counter-based source for tests and benchmarks ("id0000000000000000000001", ...). */
export function counterIds(prefix = "t"): IdSource {
  let n = 0;
  return () => {
    n++;
    const s = n.toString(36);
    return (prefix + "0".repeat(ID_LENGTH)).slice(0, ID_LENGTH - s.length) + s;
  };
}

/** Hex digits from a string, deterministically (FNV-1a rounds): container ids and digests in the simulation. */
export function hexDigest(text: string, length = 64): string {
  let out = "";
  let round = 0;
  while (out.length < length) {
    let h = 0x811c9dc5 ^ round;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
    out += h.toString(16).padStart(8, "0");
    round++;
  }
  return out.slice(0, length);
}
