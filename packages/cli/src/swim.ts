import { DrydockError, formatDuration, type Micros, type TraceRecord } from "@drydock/kernel";
import { createSwimCluster, type SwimCluster } from "@drydock/swim";
import { flag, parseFlags, usage, type FlagSpec } from "@drydock/playground";
import type { CliIO } from "./io.js";
import { at, clock, ok, rangeFlag, table, type CliResult } from "./output.js";
import { progressOf } from "./progress.js";

const SPECS: readonly FlagSpec[] = [
  { name: "members", short: "n", kind: "int", help: "Number of members", default: 50 },
  { name: "seed", kind: "string", help: "Seed of the run", default: "1" },
  { name: "until", kind: "duration", help: "Virtual time to run to", default: 30_000_000 },
  { name: "protocol", kind: "string", help: "swim, or heartbeat (the all-to-all baseline)", default: "swim" },
  { name: "latency", kind: "string", help: "One-way network latency range MIN,MAX", default: "1ms,5ms" },
  { name: "loss", kind: "string", help: "Probability that a message is lost, 0 to 1", default: "0" },
  { name: "no-lifeguard", kind: "bool", help: "Turn off the Lifeguard refinements (SWIM)" },
  { name: "crash", kind: "list", help: "Crash a member at a time: m7@5s" },
  { name: "restart", kind: "list", help: "Restart a member at a time: m7@20s" },
  { name: "publish", kind: "list", help: "Publish a payload at a time: m1:svc/web=10.0.0.5@2s" },
  { name: "progress", kind: "bool", help: "Show how far the run has got on stderr (default: when stderr is a terminal)" },
  { name: "help", kind: "bool", help: "Print usage" },
];

/** `drydock swim`: a headless gossip run: detections, their spread, payload waves, message load. */
export function swimCommand(argv: readonly string[], io: CliIO = {}): CliResult {
  const p = parseFlags(argv, SPECS);
  if (flag.bool(p, "help")) return ok(usage("drydock swim [OPTIONS]", "Run a SWIM (or heartbeat) cluster headless and report detection and load.", SPECS));
  if (p.args.length > 0) throw new DrydockError("EARGS", `"drydock swim" accepts no arguments (got "${p.args[0]}")`);
  const loss = Number(flag.str(p, "loss"));
  if (!(loss >= 0 && loss <= 1)) throw new DrydockError("EFLAG", `invalid argument "${flag.str(p, "loss")}" for "--loss" flag: want a probability from 0 to 1`);
  const protocol = flag.str(p, "protocol") as "swim" | "heartbeat";
  const size = flag.int(p, "members")!;
  const cluster = createSwimCluster({
    size, protocol, seed: flag.str(p, "seed")!, latency: rangeFlag(flag.str(p, "latency")!), loss,
    ...(protocol === "swim" ? { lifeguard: !flag.bool(p, "no-lifeguard") } : {}),
  });
  const until = flag.micros(p, "until")!;
  const progress = progressOf(io, flag.bool(p, "progress"), until, `members ${size}`);
  const runTo = (t: Micros) => progress.run(cluster.sim, t, (to) => cluster.run(to));
  type Step = { at: Micros; order: number; run: (c: SwimCluster) => string };
  const steps: Step[] = [];
  for (const text of flag.list(p, "crash")) {
    const s = at(text, "crash");
    steps.push({ at: s.at, order: steps.length, run: (c) => (c.crash(s.what), `crash ${s.what}`) });
  }
  for (const text of flag.list(p, "restart")) {
    const s = at(text, "restart");
    steps.push({ at: s.at, order: steps.length, run: (c) => (c.restart(s.what), `restart ${s.what}`) });
  }
  for (const text of flag.list(p, "publish")) {
    const s = at(text, "publish");
    const m = /^([^:]+):([^=]+)=(.*)$/.exec(s.what);
    if (!m) throw new DrydockError("EFLAG", `invalid argument "${text}" for "--publish" flag: want NODE:KEY=VALUE@TIME`);
    steps.push({ at: s.at, order: steps.length, run: (c) => (c.publish(m[1]!, m[2]!, m[3]!), `${m[1]} publishes ${m[2]}=${m[3]}`) });
  }
  steps.sort((a, b) => a.at - b.at || a.order - b.order);
  const lines: string[] = [];
  for (const s of steps) {
    if (s.at > until) break;
    runTo(s.at);
    lines.push(`${clock(cluster.sim.now)}  ${s.run(cluster)}`);
  }
  runTo(until);
  progress.done();
  lines.push(...spread(cluster.sim.trace, size));

  const counters = cluster.counters();
  const sent = counters.reduce((n, c) => n + c.messages, 0);
  const bytes = counters.reduce((n, c) => n + c.bytes, 0);
  const periodUs = "probeIntervalUs" in cluster.params ? cluster.params.probeIntervalUs : (cluster.params as { heartbeatIntervalUs: number }).heartbeatIntervalUs;
  const periods = until / periodUs;
  const observer = cluster.nodes().find((n) => cluster.sim.net.up[n]) ?? cluster.nodes()[0]!;
  const view = cluster.members(observer);
  const byStatus = (st: string) => view.filter((v) => v.status === st).length;
  const summary = table(
    ["PROTOCOL", "MEMBERS", "MSGS/MEMBER/PERIOD", "BYTES/MEMBER/PERIOD", `VIEW OF ${observer.toUpperCase()}`],
    [[protocol, String(size), (sent / size / periods).toFixed(2), (bytes / size / periods).toFixed(0),
      `${byStatus("alive")} alive, ${byStatus("suspect")} suspect, ${byStatus("dead")} dead, ${byStatus("left")} left`]],
  );
  const head = `drydock swim: ${size} members, ${protocol}, seed ${cluster.sim.seed}, period ${formatDuration(periodUs)}, loss ${loss}\n`;
  const tail = `\nat ${formatDuration(cluster.sim.now)}: ${cluster.sim.eventCount} events, ${sent} messages\n`;
  return ok(head + lines.join("\n") + "\n\n" + summary + tail);
}

/** For each member declared suspect or dead: who noticed first, when, and when all live members knew. */
function spread(trace: readonly TraceRecord[], size: number): string[] {
  const first = new Map<string, { t: number; by: string; knew: Set<string>; last: number }>();
  for (const r of trace) {
    if (r.type !== "state" || !r.node) continue;
    const d = r.data as { event?: string; member?: string };
    if ((d.event !== "dead" && d.event !== "suspect") || !d.member) continue;
    const key = `${d.event} ${d.member}`;
    const f = first.get(key);
    if (!f) first.set(key, { t: r.t, by: r.node, knew: new Set([r.node]), last: r.t });
    else if (!f.knew.has(r.node)) { f.knew.add(r.node); f.last = r.t; }
  }
  return [...first].sort((a, b) => a[1].t - b[1].t).map(([key, f]) => {
    const [event, member] = key.split(" ");
    return `${clock(f.t)}  ${f.by} declares ${member} ${event}; ${f.knew.size} of ${size - 1} others knew by ${formatDuration(f.last)}`;
  });
}
