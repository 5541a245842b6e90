import seedrandom from "seedrandom";
import { DrydockError } from "./errors.js";

/**
 * The saved state of one stream: seedrandom's Alea state (small and cheap to copy), spelled out
 * here so the kernel's declarations need no @types/seedrandom.
 */
export interface RngState {
  readonly c: number;
  readonly s0: number;
  readonly s1: number;
  readonly s2: number;
}
type AleaState = seedrandom.State.Alea;
const _sameShape: AleaState extends RngState ? (RngState extends AleaState ? true : never) : never = true;
void _sameShape;

/**
 * One named stream of seeded randomness. Streams are forked by name from a root seed (never by
 * drawing from the parent), so a new draw in one subsystem leaves every other stream unchanged.
 * The state can be saved and restored in place, so a run resumed from a snapshot draws the
 * same numbers and holders of this object keep working.
 */
/** Whether draws are allowed now: a simulation opens its streams only while it runs a handler. */
export interface RngGate {
  readonly open: boolean;
}

export class Rng {
  readonly seed: string;
  private prng: seedrandom.StatefulPRNG<AleaState>;
  private readonly gate: RngGate | undefined;

  /** `gate`, when given, makes every draw outside the simulation's own work throw (ERNG). */
  /** The state it was made with: a forked stream's before its first draw (where a stream first used after a snapshot returns to). */
  readonly initial: RngState;

  constructor(seed: string, state?: RngState, gate?: RngGate) {
    this.seed = seed;
    this.gate = gate;
    this.prng = seedrandom.alea(seed, { state: state ? { ...state } : true });
    this.initial = this.prng.state();
  }

  /** A child stream: its seed is derived from this stream's seed and the name only. */
  fork(name: string): Rng {
    return new Rng(`${this.seed}/${name}`, undefined, this.gate);
  }

  private draw(): number {
    if (this.gate !== undefined && !this.gate.open) {
      throw new DrydockError("ERNG", `a draw from the random stream "${this.seed}" outside the simulation's handlers: draw through ctx.rng(name) inside init, deliver, timer or action, so a replay of the session draws the same`);
    }
    return this.prng();
  }

  /** A float in [0, 1). */
  next(): number {
    return this.draw();
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.draw() * (max - min + 1));
  }

  /** True with probability p. Draws nothing when p is 0 or 1, so unused faults cost no draws. */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.draw() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick from an empty list");
    return items[Math.floor(this.draw() * items.length)]!;
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.draw() * (i + 1));
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }

  getState(): RngState {
    return this.prng.state();
  }

  setState(state: RngState): void {
    // Most streams have not drawn since the snapshot: a new generator (a hash of the seed) only when the state differs.
    const now = this.prng.state();
    if (now.c === state.c && now.s0 === state.s0 && now.s1 === state.s1 && now.s2 === state.s2) return;
    this.prng = seedrandom.alea(this.seed, { state: { ...state } });
  }
}

/**
 * The run's named streams, forked from the seed on first use. Its part of a snapshot is each
 * stream's state; a stream first used after the snapshot restarts from its seed.
 */
export class RngStreams {
  private readonly root: Rng;
  private readonly streams = new Map<string, Rng>();

  constructor(seed: string, gate?: RngGate) {
    this.root = new Rng(seed, undefined, gate);
  }

  get(name: string): Rng {
    let r = this.streams.get(name);
    if (!r) {
      r = this.root.fork(name);
      this.streams.set(name, r);
    }
    return r;
  }

  save(): ReadonlyMap<string, RngState> {
    const saved = new Map<string, RngState>();
    for (const [name, r] of this.streams) saved.set(name, r.getState());
    return saved;
  }

  /** Restores in place, so holders of a stream keep working. */
  load(saved: ReadonlyMap<string, RngState>): void {
    for (const [name, r] of this.streams) r.setState(saved.get(name) ?? r.initial);
  }
}
