import type { AnySim } from "./scenario.js";

/** Trace records hashed per step of the fingerprint job (about 20 ms) and per frame while playing. */
const HASH_SLICE = 15_000;
const HASH_PER_FRAME = 4_000;

export interface Hashes {
  readonly trace: string;
  readonly state: string;
}

/**
 * The run's fingerprint (trace hash and state hash). Hashing a long trace takes a while, so it is
 * a job of small steps that `later` runs between frames (each step returns true when the job is
 * done); while playing, the trace hash follows the run a little each frame instead, which also
 * lets the trace window drop what was hashed.
 */
export class Fingerprint {
  hashes = $state.raw<Hashes | null>(null);

  constructor(private readonly later: (step: () => boolean) => void) {}

  /** The run moved while standing still: compute the fingerprint here, unless `stale()` says the run moved on. */
  schedule(sim: AnySim, stale: () => boolean): void {
    this.hashes = null;
    this.later(() => {
      if (stale()) return true;
      if (!sim.hashTraceSome(HASH_SLICE)) return false;
      this.hashes = { trace: sim.traceHash(), state: sim.stateHash() };
      return true;
    });
  }

  /** The run moved while playing: no fingerprint on the screen, and the hash catches up a little. */
  follow(sim: AnySim): void {
    this.hashes = null;
    sim.hashTraceSome(HASH_PER_FRAME);
  }
}
