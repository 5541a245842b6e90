import fc from "fast-check";
import { DEFAULT_APP_URL } from "./app.js";
import { formatFailure } from "./property.js";
import { checkRaftRun, raftRun } from "./raft.js";
import { RunFailure, type CheckedRun } from "./run.js";
import {
  checkSwimAccuracyRun, checkSwimCompletenessRun, checkSwimDisseminationRun, checkSwimIncarnationsRun,
  swimAccuracyRun, swimCompletenessRun, swimDisseminationRun, swimIncarnationsRun,
} from "./swim-runs.js";

// Properties to sweep: named, each a fast-check arbitrary of whole runs and a check of one run.
// `drydock sweep <name> --runs N` checks runs 0..N-1, run i drawn from seed (base + i), in any
// number of threads or machines: a run depends on its seed only, so the results of shards
// merge into exactly the result of one sweep, and a failing run replays from its seed alone.

/** What a checked run measured (each optional). */
export interface SweepStats {
  /** Simulation events the run processed. */
  readonly events?: number;
  /** Scheduled actions the model refused (changed nothing). */
  readonly refused?: number;
}

/** A property that `drydock sweep` can run: a name, one line saying what it checks, and the run. */
export interface SweepProperty<T = unknown> {
  /** Lower-case words joined by "-" (raft-safety). */
  readonly name: string;
  readonly summary: string;
  /** Draws one whole run (seed, options, schedule) from a fast-check seed. */
  readonly arbitrary: fc.Arbitrary<T>;
  /** Checks one run; throws when the property is broken (a RunFailure carries the event and the app link). */
  check(run: T): SweepStats | CheckedRun | void;
}

/** Gives a sweep property its type (an identity: the definition is a plain object). */
export const defineSweepProperty = <T>(p: SweepProperty<T>): SweepProperty<T> => p;

/** The largest seed (fast-check seeds are 32-bit; sweeps keep them non-negative). */
export const SWEEP_SEED_MAX = 2 ** 31 - 1;

/** The seed of run `index` of a sweep from `base`: base + index, wrapping below 2^31. */
export const sweepSeed = (base: number, index: number): number => (base + index) % (SWEEP_SEED_MAX + 1);

/** The outcome of one run of a sweep: plain JSON, so a worker can post it and a shard can save it. */
export type SweepOutcome = SweepPass | SweepFail;

export interface SweepPass {
  readonly ok: true;
  readonly events: number;
  readonly refused: number;
}

export interface SweepFail {
  readonly ok: false;
  /** One line: what broke. */
  readonly message: string;
  /** The broken invariant or missed goal, when the check threw a RunFailure. */
  readonly property?: string;
  readonly phase?: "safety" | "liveness";
  /** Events processed when it broke (the app's e=) and the virtual time. */
  readonly event?: number;
  readonly atUs?: number;
  /** The app link (a full URL) paused at that event, or null with the reason. */
  readonly link: string | null;
  readonly linkNote?: string;
  /** The shrunk counterexample (the run as JSON) and fast-check's path to it. */
  readonly counterexample: unknown;
  readonly path: string;
  readonly shrinks: number;
  /** assertProperty's report: the seed, the shrunk run, what broke and the link. */
  readonly report: string;
}

export interface SweepOneOptions {
  /** Shrink a failing run to a small one before reporting it (default true). */
  readonly shrink?: boolean;
  /** Where the app is served, for links (default http://localhost:5173/). */
  readonly appUrl?: string;
}

/**
 * Checks one run of a sweep property: the run fast-check draws first from `seed` (the same one
 * `assertProperty(property, { seed, numRuns: 1 })` checks). A failure is shrunk and reported
 * with the app link of the shrunk run.
 */
export function sweepOne<T>(p: SweepProperty<T>, seed: number, o: SweepOneOptions = {}): SweepOutcome {
  let first: SweepStats | undefined;
  const details = fc.check(
    fc.property(p.arbitrary, (run) => {
      const r = p.check(run);
      first ??= (r ?? {}) as SweepStats;
    }),
    { seed, numRuns: 1, endOnFailure: o.shrink === false },
  );
  if (!details.failed) return { ok: true, events: first?.events ?? 0, refused: first?.refused ?? 0 };
  const appUrl = o.appUrl ?? DEFAULT_APP_URL;
  const e = details.errorInstance;
  const counterexample = JSON.parse(JSON.stringify(details.counterexample?.[0] ?? null)) as unknown;
  const common = { ok: false as const, counterexample, path: details.counterexamplePath ?? "", shrinks: details.numShrinks, report: formatFailure(details, appUrl) };
  if (e instanceof RunFailure) {
    return {
      ...common, message: e.message, property: e.property, phase: e.phase, event: e.event, atUs: e.atUs,
      link: e.link === null ? null : new URL(e.link, appUrl).href, ...(e.link === null ? { linkNote: e.linkNote } : {}),
    };
  }
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { ...common, message: message.split("\n")[0]!, link: null, linkNote: "the check threw before a run failed (no event to open)" };
}

const HORIZON_US = 2_000_000;
const LIVENESS_BOUND_US = 5_000_000;

/** The properties drydock ships: Raft's Figure 3 under faults, and SWIM's four. */
export const SWEEP_PROPERTIES: readonly SweepProperty<never>[] = [
  defineSweepProperty({
    name: "raft-safety",
    summary: "Raft Figure 3 after every event under generated fault schedules (3 or 5 servers, 2 s), then a leader commits everywhere within 5 s",
    arbitrary: raftRun({ horizonUs: HORIZON_US }),
    check: (run) => checkRaftRun(run, { horizonUs: HORIZON_US, livenessBoundUs: LIVENESS_BOUND_US }),
  }),
  defineSweepProperty({
    name: "raft-membership",
    summary: "the same with single-server membership changes mixed in (dissertation §4.1; 2 to 4 servers, two joiners)",
    arbitrary: raftRun({ horizonUs: HORIZON_US, sizes: [2, 3, 4], membership: true }),
    check: (run) => checkRaftRun(run, { horizonUs: HORIZON_US, livenessBoundUs: LIVENESS_BOUND_US }),
  }),
  defineSweepProperty({
    name: "swim-completeness",
    summary: "SWIM §5 completeness: every crashed member declared dead, within a bound from the parameters, by every live member that knew it",
    arbitrary: swimCompletenessRun(),
    check: checkSwimCompletenessRun,
  }),
  defineSweepProperty({
    name: "swim-accuracy",
    summary: "SWIM §5 accuracy with no loss and no partition, then every member sees every other alive and holds every payload",
    arbitrary: swimAccuracyRun(),
    check: checkSwimAccuracyRun,
  }),
  defineSweepProperty({
    name: "swim-incarnations",
    summary: "SWIM §4.2: no observer holds an incarnation never announced; a refuted suspicion never leads to death",
    arbitrary: swimIncarnationsRun(),
    check: checkSwimIncarnationsRun,
  }),
  defineSweepProperty({
    name: "swim-dissemination",
    summary: "every payload published reaches every live member once faults stop (and, with Docker's reconnect, every split heals)",
    arbitrary: swimDisseminationRun(),
    check: checkSwimDisseminationRun,
  }),
] as SweepProperty<never>[];

const NAME_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Sweep properties by name: drydock's own plus yours. */
export class SweepRegistry {
  readonly #byName = new Map<string, SweepProperty<never>>();

  constructor(properties: Iterable<SweepProperty<never>> = SWEEP_PROPERTIES) {
    for (const p of properties) this.add(p);
  }

  /** Adds a property; a name already taken, or not lower-case words joined by "-", is a RangeError. */
  add<T>(p: SweepProperty<T>): this {
    if (typeof p?.name !== "string" || !NAME_RE.test(p.name)) throw new RangeError(`a sweep property's name is lower-case words joined by "-", not ${JSON.stringify(p?.name)}`);
    if (this.#byName.has(p.name)) throw new RangeError(`there is already a sweep property named "${p.name}"`);
    if (typeof p.check !== "function" || !p.arbitrary) throw new TypeError(`sweep property "${p.name}" needs an arbitrary and a check`);
    this.#byName.set(p.name, p as unknown as SweepProperty<never>);
    return this;
  }

  get(name: string): SweepProperty<never> | undefined {
    return this.#byName.get(name);
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** Every property, in the order added. */
  list(): readonly SweepProperty<never>[] {
    return [...this.#byName.values()];
  }
}

/**
 * The sweep properties a module offers: its `sweepProperties` export (an array), else its
 * default export (an array or one property). This is how `drydock sweep --load FILE` extends
 * the registry in every worker.
 */
export function sweepPropertiesOf(module: Record<string, unknown>): SweepProperty<never>[] {
  const found = module["sweepProperties"] ?? module["default"];
  if (found === undefined) throw new TypeError("the module exports neither sweepProperties nor a default (an array of sweep properties)");
  return (Array.isArray(found) ? found : [found]) as SweepProperty<never>[];
}
