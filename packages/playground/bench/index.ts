import type { BenchResult, BenchSuite } from "@drydock/kernel";
import { BENCH_BASES, benchContext, benchDockerfile } from "@drydock/image/bench";
import { createPlayground } from "../src/index.js";

/** Writes a build context into a host directory as files, the way a learner's editor would. */
function writeContext(pg: ReturnType<typeof createPlayground>, host: string, dir: string, dockerfile: string, i: number): void {
  pg.mount(host, dir, { ...benchContext(i), Dockerfile: dockerfile });
}

export const benchmarks: BenchSuite = () => {
  const results: BenchResult[] = [];

  // 1,000 builds of the 20-instruction Dockerfile through the engine in the world: each is a
  // `docker build` typed at the host's prompt (shell, context read from the host's disk, the
  // builder, its steps as timed events in the trace). Each build changes the app source.
  {
    const run = (n: number, tagged: boolean) => {
      const pg = createPlayground({ seed: 1 });
      for (const b of BENCH_BASES) pg.exec(`docker pull ${b}`);
      for (let i = 0; i < BENCH_BASES.length; i++) writeContext(pg, "node1", `/root/b${i}`, benchDockerfile(BENCH_BASES[i]!), 0);
      let ms = 0;
      let failed = 0;
      for (let i = 0; i < n; i++) {
        const dir = `/root/b${i % BENCH_BASES.length}`;
        pg.writeFile("node1", `${dir}/src/main.txt`, `app revision ${i}\n`);
        const t0 = performance.now();
        const r = pg.exec(`docker build -q ${tagged ? `-t bench:${i} ` : ""}${dir}`);
        ms += performance.now() - t0;
        if (r.exitCode !== 0) failed++;
      }
      return { ms, failed, pg };
    };
    run(1500, false); // warm the JIT: the figure is the steady state, as the image bench's is
    const { ms, failed, pg } = run(1000, true);
    results.push({
      name: "playground.build_1000_20_instructions_in_world", figure: Math.round(ms), unit: "ms",
      goal: "<= 1000 ms", met: ms <= 1000 && failed === 0,
      params: { builds: 1000, failed, traceRecords: pg.trace.length, virtualSeconds: Math.round(pg.now / 1e6) },
    });
  }

  // 100 hosts × 100 image pulls and builds, then seek to the middle of the session.
  {
    const hosts = Array.from({ length: 100 }, (_, i) => `node${i + 1}`);
    const pg = createPlayground({ seed: 2, nodes: hosts });
    const t0 = performance.now();
    for (const h of hosts) writeContext(pg, h, "/root/app", benchDockerfile(BENCH_BASES[0]!), 0);
    let ops = 0;
    for (let round = 0; round < 50; round++) {
      for (const h of hosts) {
        pg.exec(`docker pull ${BENCH_BASES[round % BENCH_BASES.length]}`, { on: h });
        pg.writeFile(h, "/root/app/src/main.txt", `revision ${round}\n`);
        pg.exec("docker build -q -t app /root/app", { on: h });
        ops += 2;
      }
    }
    const setupMs = performance.now() - t0;
    const end = pg.now;
    const mid = Math.floor(end / 2);
    const samples: number[] = [];
    for (let k = 0; k < 20; k++) {
      // Alternate between the end and points around the middle so each seek does real work.
      const target = k % 2 === 0 ? mid + (k - 10) * 1000 : end;
      const s0 = performance.now();
      pg.seek(target);
      samples.push(performance.now() - s0);
    }
    const toMiddle = samples.filter((_, k) => k % 2 === 0).sort((a, b) => a - b);
    const median = toMiddle[Math.floor(toMiddle.length / 2)]!;
    results.push({
      name: "playground.seek_middle_100_hosts", figure: Number(median.toFixed(2)), unit: "ms",
      goal: "<= 10 ms", met: median <= 10,
      params: {
        hosts: 100, operations: ops, setupMs: Math.round(setupMs), virtualSeconds: Math.round(end / 1e6),
        snapshots: pg.sim.history().snapshots, traceRecords: pg.trace.length, maxMs: Number(Math.max(...toMiddle).toFixed(2)),
      },
    });
  }
  return results;
};
