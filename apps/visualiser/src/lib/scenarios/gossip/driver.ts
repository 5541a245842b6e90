import { createSwimCluster, payloadSpread, seenBy, type SwimCluster } from "@drydock/swim";
import type { Action, InFlight, LoggedAction } from "@drydock/kernel";
import { nodeActors, type Driver, type Mark, type OptionValues, type Timeline } from "../../scenario.js";
import { swimEvents } from "./events.js";
import { SEEN_ALIVE, SEEN_DEAD, SEEN_SUSPECT, SEEN_UNKNOWN, type GossipSide, type GossipViewModel } from "./model.js";
import { MESSAGE_STYLES } from "./draw.js";

/** Above this the n² heartbeat baseline costs more than a browser can animate. */
export const BASELINE_MAX = 200;
export const PAYLOAD_KEY = "web";
const PERIOD_US = 1_000_000;

export const LATENCIES: Readonly<Record<string, readonly [string, string]>> = {
  lan: ["1ms", "5ms"],
  wan: ["20ms", "30ms"],
};

export function gossipClusterOptions(seed: string, options: OptionValues, protocol: "swim" | "heartbeat") {
  return {
    seed,
    size: Number(options.members ?? 50),
    protocol,
    latency: LATENCIES[String(options.latency ?? "wan")] ?? LATENCIES.wan!,
    loss: Number(options.loss ?? 0),
    lifeguard: options.lifeguard !== false,
    // Docker's networkdb retries members it declared dead (memberlist alone does not), so a
    // partition healed on screen mends instead of leaving two clusters that never speak again.
    reconnectInterval: "1s",
    snapshotEvery: "1s",
    // The baseline is a companion: counters and pictures, no trace (n² records would not fit).
    trace: protocol === "swim",
    records: protocol === "swim",
  };
}

// swim's SEEN_NAMES order: unknown, alive, suspect, dead, left (a member that left is drawn as gone).
const SEEN_FROM_SWIM = [SEEN_UNKNOWN, SEEN_ALIVE, SEEN_SUSPECT, SEEN_DEAD, SEEN_DEAD];

function side(cluster: SwimCluster, watched: string | null, inFlight: readonly InFlight[]): GossipSide & { newest: string | null } {
  const sim = cluster.sim;
  const names = sim.net.nodes;
  const n = names.length;
  const up = new Uint8Array(n);
  let seen = new Uint8Array(n).fill(SEEN_ALIVE);
  for (let i = 0; i < n; i++) up[i] = sim.net.up[names[i]!] ? 1 : 0;
  // Read beliefs through swim's queries, not its internal tables.
  if (watched !== null && names.includes(watched)) {
    seen = seenBy(sim.state, watched).map((k) => SEEN_FROM_SWIM[k]!);
  }
  const spread = payloadSpread(sim.state, PAYLOAD_KEY);
  const payload = spread.holders;
  const newest = spread.newest ? spread.newest.value : null;
  const c = sim.counters;
  const periods = Math.max(sim.now / PERIOD_US, 1e-9);
  return {
    protocol: cluster.protocol, names, up, seen, payload, inFlight,
    sent: c.sent, bytes: c.bytesBy.reduce((a, b) => a + b, 0),
    perMemberPerPeriod: sim.now > 0 ? c.sent / n / periods : 0, newest,
  };
}

export interface GossipDriver extends Driver<GossipViewModel> {
  readonly baseline: SwimCluster | null;
}

export function createGossipDriver(seed: string, options: OptionValues): GossipDriver {
  const swim = createSwimCluster(gossipClusterOptions(seed, options, "swim"));
  const n = Number(options.members ?? 50);
  const wantBaseline = options.baseline !== false;
  const baseline = wantBaseline && n <= BASELINE_MAX ? createSwimCluster(gossipClusterOptions(seed, options, "heartbeat")) : null;
  const baselineNote = !wantBaseline ? null
    : baseline ? null : `The heartbeat baseline is off above ${BASELINE_MAX} members: it would send ${(n * (n - 1)).toLocaleString("en")} messages a second.`;
  const sim = swim.sim;
  // First sightings of each (member, status, incarnation): later copies of the same news are not notable.
  const firstSeen = new Map<string, number>();

  const lastTarget = (): string | null => {
    const log = sim.actionLog;
    for (let i = log.length - 1; i >= 0; i--) {
      const a = log[i]!.action as { type: string; node?: string };
      if ((a.type === "crash" || a.type === "leave" || a.type === "isolate") && a.node) return a.node;
    }
    return null;
  };

  // The baseline follows SWIM's timeline: the same instant and the same faults (not dropped
  // messages: their ids are SWIM's). A link's actions reach it as SWIM's run reaches them, so
  // loading a link costs nothing until the replay (which replay.ts bounds) gets there.
  const waiting: LoggedAction[] = [];
  let given = 0;
  const give = (action: Action): void => {
    if (!baseline || action.type === "dropMessage") return;
    try {
      baseline.sim.act(action as Action<never>);
    } catch {
      // The baseline has no such action (or it does not apply there): the comparison goes on without it.
    }
  };
  const follow = (): void => {
    if (!baseline) return;
    const b = baseline.sim;
    while (given < waiting.length && waiting[given]!.at <= sim.now) {
      const a = waiting[given++]!;
      if (b.now !== a.at) b.seek(a.at);
      give(a.action);
    }
    if (b.now !== sim.now) b.seek(sim.now);
  };
  const timeline: Timeline = {
    step() {
      const moved = sim.step();
      follow();
      return moved;
    },
    runUntil(t) {
      sim.runUntil(t);
      follow();
    },
    seek(t) {
      sim.seek(t);
      follow();
    },
    seekEvent(e) {
      sim.seekEvent(e);
      follow();
    },
    act(input) {
      const action = input as Action;
      sim.act(action as Action<never>);
      // Acting forks SWIM's future; the link's actions it had not reached are gone with it.
      waiting.length = given;
      follow();
      give(action);
    },
    loadActions(list) {
      sim.loadActions(list as readonly LoggedAction<never>[]);
      waiting.push(...list);
    },
    work: () => sim.eventCount + (baseline ? baseline.sim.eventCount : 0),
  };

  return {
    sim,
    timeline,
    baseline,
    actors: nodeActors(sim.net.nodes),
    view(inFlight, input): GossipViewModel {
      const watched = input.selected ?? lastTarget();
      const main = side(swim, watched, inFlight);
      return {
        swim: main,
        baseline: baseline ? side(baseline, watched, baseline.sim.inFlight()) : null,
        baselineNote, watched, payloadKey: main.newest !== null ? PAYLOAD_KEY : null, payloadValue: main.newest, periodUs: PERIOD_US,
      };
    },
    // SWIM's typed events (events.ts): the first sighting of each piece of news.
    notable(trace, from): Mark[] {
      const out: Mark[] = [];
      for (const e of swimEvents(trace, from)) {
        if (e.event !== "suspect" && e.event !== "dead") continue;
        const key = `${e.event}|${e.member}|${e.incarnation}`;
        const first = firstSeen.get(key);
        if (first !== undefined && first < e.t) continue;
        firstSeen.set(key, e.t);
        out.push({ t: e.t, label: e.event === "dead" ? `${e.member} declared dead (first by ${e.node})` : `${e.member} suspected (first by ${e.node})` });
      }
      return out;
    },
    forkAt(t) {
      for (const [k, at] of firstSeen) if (at > t) firstSeen.delete(k);
    },
    messageLabel: (m) => (m as { type: string }).type,
    messageKind: gossipMessageKind,
  };
}

/** A message's kind for the view's filter: SWIM's message types, and the baseline's heartbeats as one. */
export function gossipMessageKind(msg: unknown): string {
  const t = (msg as { type: string }).type;
  return t.startsWith("hb") || t === "heartbeat" ? "heartbeat" : Object.hasOwn(MESSAGE_STYLES, t) ? t : "other";
}
