/**
 * One entry of bench/results.json. Benchmarks live in each package's bench/ folder (outside
 * src/, so they may read the wall clock); `npm run bench` collects them.
 */
export interface BenchResult {
  /** Stable name, e.g. "kernel.events_per_second". */
  readonly name: string;
  readonly figure: number;
  readonly unit: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The goal the issue names, in words, and whether this run met it. */
  readonly goal?: string;
  readonly met?: boolean;
  readonly note?: string;
}

/** A package's benchmarks: each package's bench/index.ts exports `benchmarks` of this type. */
export type BenchSuite = () => Promise<BenchResult[]> | BenchResult[];
