import { DrydockError, formatDuration, type Micros } from "@drydock/kernel";
import { createRaftCluster, currentLeader, raftEvents, type RaftCluster } from "@drydock/raft";
import { flag, parseFlags, usage, type FlagSpec } from "@drydock/playground";
import { at, clock, ok, rangeFlag, table, type CliResult } from "./output.js";

const SPECS: readonly FlagSpec[] = [
  { name: "servers", short: "n", kind: "int", help: "Number of servers, 1 to 9", default: 5 },
  { name: "seed", kind: "string", help: "Seed of the run", default: "1" },
  { name: "until", kind: "duration", help: "Virtual time to run to", default: 10_000_000 },
  { name: "election-timeout", kind: "string", help: "Randomized election timeout range MIN,MAX", default: "150ms,300ms" },
  { name: "heartbeat", kind: "duration", help: "Leader heartbeat interval", default: 50_000 },
  { name: "latency", kind: "string", help: "One-way network latency range MIN,MAX", default: "5ms,10ms" },
  { name: "pre-vote", kind: "bool", help: "Enable PreVote (dissertation §9.6)" },
  { name: "check-quorum", kind: "bool", help: "Enable CheckQuorum (a leader steps down without a quorum)" },
  { name: "propose-every", kind: "duration", help: "Propose a value to the leader this often (0: never)", default: 0 },
  { name: "crash", kind: "list", help: "Crash a server at a time: s3@2s, or leader@2s" },
  { name: "restart", kind: "list", help: "Restart a server at a time: s3@4s" },
  { name: "partition", kind: "list", help: "Partition at a time: s1,s2|s3,s4,s5@3s" },
  { name: "heal", kind: "list", help: "Heal every link at a time: @5s" },
  { name: "events", kind: "bool", help: "Print every Raft state change, not only leader changes and faults" },
  { name: "help", kind: "bool", help: "Print usage" },
];

type Step = { at: Micros; order: number; run: (c: RaftCluster) => string | null };

/** `drydock raft`: a headless Raft run, narrated: elections, faults, commits, final state. */
export function raftCommand(argv: readonly string[]): CliResult {
  const p = parseFlags(argv, SPECS);
  if (flag.bool(p, "help")) return ok(usage("drydock raft [OPTIONS]", "Run a Raft cluster headless and narrate what happens.", SPECS));
  if (p.args.length > 0) throw new DrydockError("EARGS", `"drydock raft" accepts no arguments (got "${p.args[0]}")`);
  const size = flag.int(p, "servers")!;
  const cluster = createRaftCluster({
    size,
    seed: flag.str(p, "seed")!,
    electionTimeout: rangeFlag(flag.str(p, "election-timeout")!),
    heartbeat: flag.micros(p, "heartbeat")!,
    latency: rangeFlag(flag.str(p, "latency")!),
    preVote: flag.bool(p, "pre-vote"),
    checkQuorum: flag.bool(p, "check-quorum"),
  });
  const until = flag.micros(p, "until")!;
  const steps: Step[] = [];
  const add = (t: Micros, run: Step["run"]) => steps.push({ at: t, order: steps.length, run });
  for (const text of flag.list(p, "crash")) {
    const s = at(text, "crash");
    add(s.at, (c) => {
      const id = s.what === "leader" ? currentLeader(c.state, c.sim.net) : s.what;
      if (!id) return "crash leader: there is no leader now";
      c.crash(id);
      return `crash ${id}${s.what === "leader" ? " (the leader)" : ""}`;
    });
  }
  for (const text of flag.list(p, "restart")) {
    const s = at(text, "restart");
    add(s.at, (c) => (c.restart(s.what), `restart ${s.what}`));
  }
  for (const text of flag.list(p, "partition")) {
    const s = at(text, "partition");
    const groups = s.what.split("|").map((g) => g.split(",").map((x) => x.trim()).filter(Boolean));
    add(s.at, (c) => (c.partition(groups), `partition ${groups.map((g) => `{${g.join(",")}}`).join(" | ")}`));
  }
  for (const text of flag.list(p, "heal")) {
    const s = at(text.startsWith("@") ? `all${text}` : text, "heal");
    add(s.at, (c) => (c.heal(), "heal: every link back"));
  }
  const every = flag.micros(p, "propose-every")!;
  if (every > 0) {
    let n = 0;
    for (let t = every; t <= until; t += every) {
      add(t, (c) => {
        if (!currentLeader(c.state, c.sim.net)) return null;
        c.propose(`v${++n}`);
        return null;
      });
    }
  }
  steps.sort((a, b) => a.at - b.at || a.order - b.order);

  const all = flag.bool(p, "events");
  const lines: string[] = [];
  const narrate = (from: number) => {
    for (const e of raftEvents(cluster.trace, from)) {
      if (e.event === "became" && (all || e.role === "leader")) lines.push(`${clock(e.t)}  ${e.node} became ${e.role} (term ${e.term})`);
      else if (all && e.event !== "became") lines.push(`${clock(e.t)}  ${e.node} ${describe(e)}`);
    }
  };
  let seen = 0;
  for (const s of steps) {
    if (s.at > until) break;
    cluster.run(s.at);
    narrate(seen);
    seen = cluster.trace.length;
    const said = s.run(cluster);
    if (said) lines.push(`${clock(cluster.now)}  ${said}`);
  }
  cluster.run(until);
  narrate(seen);

  const rows = cluster.nodes().map((n) => [
    n.id, n.up ? "up" : "down", n.up ? n.role : "-", String(n.term), String(n.lastIndex), String(n.commitIndex), String(n.lastApplied),
  ]);
  const head = `drydock raft: ${size} servers, seed ${cluster.sim.seed}, election timeout ${fmtRange(flag.str(p, "election-timeout")!)}, ` +
    `heartbeat ${formatDuration(flag.micros(p, "heartbeat")!)}${flag.bool(p, "pre-vote") ? ", PreVote" : ""}${flag.bool(p, "check-quorum") ? ", CheckQuorum" : ""}\n`;
  const tail = `\nat ${formatDuration(cluster.now)}: ${cluster.sim.eventCount} events, ${cluster.trace.length} trace records, trace sha256 ${cluster.sim.traceHash()}\n`;
  return ok(head + lines.join("\n") + (lines.length ? "\n\n" : "\n") + table(["SERVER", "STATUS", "ROLE", "TERM", "LOG", "COMMIT", "APPLIED"], rows) + tail);
}

function describe(e: ReturnType<typeof raftEvents>[number]): string {
  switch (e.event) {
    case "term": return `moved to term ${e.term}`;
    case "vote": return `voted for ${e.for} in term ${e.term}`;
    case "commit": return `committed up to index ${e.index}`;
    case "config": return `configuration is now {${e.members.join(",")}}`;
    case "snapshot": return `took a snapshot at index ${e.index}`;
    case "restore": return `restored a snapshot at index ${e.index} (term ${e.term})`;
    case "rejected": return `rejected ${e.input}: ${e.reason}`;
    case "became": return `became ${e.role} (term ${e.term})`;
  }
}

const fmtRange = (text: string) => rangeFlag(text).map(formatDuration).join("–");

