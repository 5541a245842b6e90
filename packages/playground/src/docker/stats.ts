// `docker stats` (docker/cli cli/command/container/stats.go, formatter/stats.go): one table of the
// containers' resource use, as --no-stream prints it once and the live stream prints it every
// 500 ms (follow.ts), each frame drawn over the last with the cursor and erase escapes the CLI
// writes (it writes them whether or not its output is a terminal).
import type { Micros } from "@drydock/kernel";
import { bytesSize, shortId } from "@drydock/image";
import { cpuRates, memoryLimit, memoryUsage, type Container, type EngineState } from "@drydock/engine";
import { formatRows } from "../format/index.js";

/** What `docker stats` was asked for (plain data: it sits in a follow job). */
export interface StatsQuery {
  /** The containers named (full ID and the name as typed), or null for every running one (all with -a). */
  readonly named: readonly { readonly id: string; readonly shown: string }[] | null;
  readonly all: boolean;
  readonly format: string | null;
  readonly noTrunc: boolean;
  /** When the CLI listed the containers (the stream's start): those it found come first, newest first. */
  readonly listedAt?: Micros;
}

const STATS_HEADERS = { Container: "CONTAINER", ID: "CONTAINER ID", Name: "NAME", CPUPerc: "CPU %", MemUsage: "MEM USAGE / LIMIT", MemPerc: "MEM %", NetIO: "NET I/O", BlockIO: "BLOCK I/O", PIDs: "PIDS" };

/**
 * The containers a frame shows: those named (while they exist), or the running ones (every one
 * with -a). stats.go getContainerList adds the ones ContainerList gave at the start, newest
 * first (moby's order, as docker ps), then the event handler appends those created or started
 * since, in their order.
 */
export function statsContainers(engine: EngineState, q: StatsQuery): { c: Container; shown: string | null }[] {
  if (q.named !== null) {
    const out: { c: Container; shown: string | null }[] = [];
    for (const n of q.named) {
      const c = engine.containers.get(n.id);
      if (c) out.push({ c, shown: n.shown });
    }
    return out;
  }
  const list: Container[] = [];
  for (const c of engine.containers.values()) if (q.all || c.state.running) list.push(c);
  const at = q.listedAt ?? Infinity;
  // Insertion order reversed then a stable sort, as listContainers: of two created at the same instant, the later first.
  const listed = list.filter((c) => c.created <= at).reverse().sort((a, b) => b.created - a.created);
  const since = list.filter((c) => c.created > at).sort((a, b) => a.created - b.created);
  return [...listed, ...since].map((c) => ({ c, shown: null }));
}

/** One table of stats (formatter.ContainerStatsWrite). */
export function statsTable(engine: EngineState, now: Micros, q: StatsQuery): string {
  const rates = cpuRates(engine);
  const trunc = !q.noTrunc;
  const rows = statsContainers(engine, q).map(({ c, shown }) => {
    const used = memoryUsage(c, now);
    const limit = c.run ? memoryLimit(c) : 0;
    const pids = c.run ? c.run.pids.length + c.execs.filter((e) => e.running).length : 0;
    const id = trunc ? shortId(c.id) : c.id;
    return {
      Container: shown ?? id, ID: id, Name: c.name,
      CPUPerc: `${((rates.get(c.id) ?? 0) * 100).toFixed(2)}%`, MemUsage: `${bytesSize(used)} / ${bytesSize(limit)}`,
      MemPerc: `${limit > 0 ? ((used / limit) * 100).toFixed(2) : "0.00"}%`, NetIO: "0B / 0B", BlockIO: "0B / 0B", PIDs: String(pids),
    };
  });
  return formatRows({
    format: q.format ?? undefined, rows, headers: STATS_HEADERS,
    // docker/cli container/formatter_stats.go: the rows are *statsContext of package container.
    typeName: "*container.statsContext",
    defaultFormat: "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}",
  });
}

/** A frame of the live stream: home the cursor, the table, then each of its lines again with erase-to-end-of-line, and erase below. */
export function statsFrame(table: string): string {
  const buffer = `\x1b[H${table}`;
  let frame = buffer;
  for (const line of buffer.split("\n")) frame += `${line} \x1b[K\n`;
  return `${frame}\x1b[J`;
}

/** The stream's ticker (stats.go: time.NewTicker(500 * time.Millisecond)). */
export const STATS_TICK_US: Micros = 500_000;
