import { createSimulation, type Model, type NetState, type SimContext, type TraceRecord } from "@drydock/kernel";
import { nodeActors, simTimeline, type Driver, type Mark, type OptionValues } from "../../scenario.js";

// The kernel's network on its own: each node pings a random peer and notes when no pong comes.
// It shows latency, loss, partitions and crashes with no protocol in the way.

interface NodeState { readonly pings: number; readonly pongs: number; readonly lastAnswered: number; readonly misses: number }
interface PingState {
  readonly nodes: Readonly<Record<string, NodeState>>;
  /**
   * The network's faults when a missed ping was last announced as a failure: one failure (a crash,
   * a partition) makes many pings go unanswered, and only the first of them is news.
   */
  readonly noticed: string;
}
type PingMsg = { readonly type: "Ping"; readonly seq: number } | { readonly type: "Pong"; readonly seq: number };

/** The ping model's state records, typed (the model below writes exactly these). */
export type PingEventData = { readonly event: "noReply"; readonly peer: string; readonly seq: number } | { readonly event: "failure"; readonly peer: string };
export type PingEvent = PingEventData & { readonly t: number; readonly node: string };

export function pingEvents(trace: readonly TraceRecord[], from = 0): PingEvent[] {
  const out: PingEvent[] = [];
  for (let i = from; i < trace.length; i++) {
    const r = trace[i]!;
    if (r.type === "state" && r.node !== null) out.push({ ...(r.data as PingEventData), t: r.t, node: r.node });
  }
  return out;
}

/** A message's word on the screen: Ping or Pong. */
export const pingLabel = (m: unknown): string => (m as PingMsg).type;

const record = (ctx: SimContext<PingMsg>, node: string, data: PingEventData): void => ctx.record(node, data);

/** The network's faults as a key: down nodes (with their crash epoch), partition groups and cut links. */
function faultKey(net: NetState): string {
  const down = net.nodes.filter((n) => !net.up[n]).map((n) => `${n}@${net.epoch[n]}`);
  if (down.length === 0 && net.groups === null && net.cuts.length === 0) return "";
  return JSON.stringify([down, net.groups, net.cuts]);
}

const PERIOD_US = 200_000;
const DEADLINE_US = 60_000;

function pingModel(nodes: readonly string[]): Model<PingState, PingMsg> {
  const sendPing = (s: PingState, node: string, ctx: SimContext<PingMsg>): PingState => {
    const peers = nodes.filter((n) => n !== node);
    const peer = peers[ctx.rng(`ping/${node}`).int(0, peers.length - 1)]!;
    const me = s.nodes[node]!;
    const seq = me.pings + 1;
    ctx.send(node, peer, { type: "Ping", seq });
    ctx.setTimer(node, ctx.now + DEADLINE_US, "deadline", { seq, peer });
    ctx.setTimer(node, ctx.now + PERIOD_US, "ping");
    return { ...s, nodes: { ...s.nodes, [node]: { ...me, pings: seq } } };
  };
  return {
    init(ctx) {
      for (const [i, n] of nodes.entries()) ctx.setTimer(n, 10_000 + i * 37_000, "ping");
      return { nodes: Object.fromEntries(nodes.map((n) => [n, { pings: 0, pongs: 0, lastAnswered: 0, misses: 0 }])), noticed: "" };
    },
    deliver(s, msg, from, to, ctx) {
      if (msg.type === "Ping") {
        ctx.send(to, from, { type: "Pong", seq: msg.seq });
        return s;
      }
      const me = s.nodes[to]!;
      // A reply under other faults than the announced ones: the next failure is news again.
      const noticed = s.noticed !== "" && faultKey(ctx.net) !== s.noticed ? "" : s.noticed;
      return { noticed, nodes: { ...s.nodes, [to]: { ...me, pongs: me.pongs + 1, lastAnswered: Math.max(me.lastAnswered, msg.seq) } } };
    },
    timer(s, node, name, data, ctx) {
      if (name === "ping") return sendPing(s, node, ctx);
      const { seq, peer } = data as { seq: number; peer: string };
      const me = s.nodes[node]!;
      if (me.lastAnswered >= seq) return s;
      record(ctx, node, { event: "noReply", peer, seq });
      // The first miss under a new set of faults is the failure; the rest are its echoes.
      const key = faultKey(ctx.net);
      let noticed = s.noticed;
      if (key !== "" && key !== noticed) {
        record(ctx, node, { event: "failure", peer });
        noticed = key;
      }
      return { noticed, nodes: { ...s.nodes, [node]: { ...me, misses: me.misses + 1 } } };
    },
    restart(s, node, ctx) {
      ctx.setTimer(node, ctx.now + PERIOD_US, "ping");
      return s;
    },
  };
}

export interface NetworkView {
  readonly nodes: readonly { id: string; up: boolean; pings: number; pongs: number; misses: number }[];
}

export function createNetworkDriver(seed: string, options: OptionValues): Driver<NetworkView> {
  const size = Number(options.size ?? 4);
  const nodes = Array.from({ length: size }, (_, i) => `n${i + 1}`);
  const sim = createSimulation({ seed, nodes, model: pingModel(nodes), network: { latency: ["8ms", "20ms"] }, snapshotEvery: "500ms" });
  return {
    sim,
    timeline: simTimeline(sim),
    actors: nodeActors(nodes),
    view() {
      const s = sim.state.nodes;
      return { nodes: nodes.map((id) => ({ id, up: sim.net.up[id] === true, ...s[id]! })) };
    },
    // Once per failure (its first missed ping), not once per missed ping.
    notable(trace, from): Mark[] {
      const out: Mark[] = [];
      for (const e of pingEvents(trace, from)) if (e.event === "failure") out.push({ t: e.t, label: `${e.node}: no reply from ${e.peer}` });
      return out;
    },
    messageLabel: pingLabel,
  };
}
