import { createRaftCluster } from "@drydock/raft";
import { createSwimCluster } from "@drydock/swim";

// Experiments behind the charts: many seeded runs, each a pure function of its seed, so a
// chart is as reproducible as a link. They yield between runs to keep the page responsive.

export interface ElectionTrials {
  readonly durationsMs: number[];
  readonly failed: number;
}

const yieldToPage = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/**
 * Time from a leader crash to a new leader, over `trials` seeds (the Raft paper's Figure 16
 * experiment): elect a leader, crash it, poll every millisecond until another one leads.
 */
export async function electionTrials(
  opts: { trials: number; size: number; timeout: readonly [string, string]; preVote: boolean },
  progress: (done: number) => void,
): Promise<ElectionTrials> {
  const durationsMs: number[] = [];
  let failed = 0;
  for (let i = 0; i < opts.trials; i++) {
    const c = createRaftCluster({
      seed: `fig16-${i}`, size: opts.size, electionTimeout: opts.timeout, heartbeat: "50ms", latency: ["5ms", "10ms"],
      preVote: opts.preVote, trace: false,
    });
    let t = 0;
    while (c.leader() === null && t < 10_000_000) c.run((t += 1_000));
    const old = c.leader();
    if (old === null) { failed++; continue; }
    // Let the leader settle (followers hear heartbeats), then crash it.
    c.run((t += 400_000));
    const leader = c.leader();
    if (leader === null) { failed++; continue; }
    c.crash(leader);
    const crashedAt = c.now;
    let found: number | null = null;
    for (let u = crashedAt; u < crashedAt + 10_000_000; ) {
      c.run((u += 1_000));
      const l = c.leader();
      if (l !== null && l !== leader) { found = u - crashedAt; break; }
    }
    if (found === null) failed++;
    else durationsMs.push(found / 1000);
    if (i % 10 === 9) { progress(i + 1); await yieldToPage(); }
  }
  progress(opts.trials);
  return { durationsMs, failed };
}

export interface LoadPoint {
  readonly protocol: "swim" | "heartbeat";
  readonly members: number;
  readonly perMemberPerPeriod: number;
}

/** Messages each member sends per protocol period (1 s), after a warm-up, per cluster size. */
export async function loadBySize(sizes: readonly number[], heartbeatMax: number, progress: (done: number) => void): Promise<LoadPoint[]> {
  const out: LoadPoint[] = [];
  let done = 0;
  for (const n of sizes) {
    for (const protocol of ["swim", "heartbeat"] as const) {
      if (protocol === "heartbeat" && n > heartbeatMax) continue;
      const c = createSwimCluster({ size: n, seed: `load-${n}`, protocol, trace: false, records: false });
      c.run("2s");
      const before = c.sim.counters.sent;
      c.run("12s");
      out.push({ protocol, members: n, perMemberPerPeriod: (c.sim.counters.sent - before) / n / 10 });
      progress(++done);
      await yieldToPage();
    }
  }
  return out;
}

/** The q-quantile (0..1) of sorted numbers, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
