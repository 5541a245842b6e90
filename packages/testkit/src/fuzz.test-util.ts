// How many inputs each fuzz test draws: its default, times DRYDOCK_FUZZ_SCALE (default 1) for a
// longer look (DRYDOCK_FUZZ_SCALE=10 npx vitest run --project testkit fuzz).
import { vi } from "vitest";

const scale = Math.max(0.01, Number(process.env["DRYDOCK_FUZZ_SCALE"] ?? 1) || 1);

export function scaled<T extends Record<string, number>>(runs: T): T {
  return Object.fromEntries(Object.entries(runs).map(([k, n]) => [k, Math.max(1, Math.round(n * scale))])) as T;
}

/** Every fuzz test may take two minutes per unit of scale (the machine may be shared). */
export const FUZZ_TIMEOUT_MS = Math.round(120_000 * Math.max(1, scale));
vi.setConfig({ testTimeout: FUZZ_TIMEOUT_MS });
