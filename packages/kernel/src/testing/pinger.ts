import { DrydockError } from "../errors.js";
import type { Model } from "../simulation.js";
import type { NodeId } from "../network.js";

/**
 * A small model for the kernel's own tests: every node pings a random peer at random intervals
 * and answers pings with pongs. It draws randomness, sends, sets timers and records state, so it
 * exercises every path of the kernel. Its state is immutable.
 */
export type PingMsg = { readonly type: "ping" | "pong"; readonly n: number };
export interface PingState {
  readonly sent: Readonly<Record<NodeId, number>>;
  readonly got: Readonly<Record<NodeId, number>>;
  readonly restarts: number;
}
export type PingAction = { readonly type: "burst"; readonly node: NodeId; readonly count: number };

const bump = (r: Readonly<Record<NodeId, number>>, k: NodeId): Record<NodeId, number> => ({ ...r, [k]: (r[k] ?? 0) + 1 });

export const pinger: Model<PingState, PingMsg, PingAction> = {
  init(ctx) {
    for (const n of ctx.net.nodes) ctx.setTimer(n, ctx.rng("app").int(0, 20_000), "tick");
    return { sent: {}, got: {}, restarts: 0 };
  },
  timer(s, node, _name, _data, ctx) {
    const peers = ctx.net.nodes.filter((p) => p !== node);
    const to = ctx.rng("app").pick(peers);
    ctx.send(node, to, { type: "ping", n: s.sent[node] ?? 0 });
    ctx.setTimer(node, ctx.now + ctx.rng("app").int(10_000, 30_000), "tick");
    return { ...s, sent: bump(s.sent, node) };
  },
  deliver(s, msg, from, to, ctx) {
    if (msg.type === "ping") ctx.send(to, from, { type: "pong", n: msg.n });
    if ((s.got[to] ?? 0) % 10 === 9) ctx.record(to, { got: (s.got[to] ?? 0) + 1 });
    return { ...s, got: bump(s.got, to) };
  },
  action(s, a, ctx) {
    const peers = ctx.net.nodes.filter((p) => p !== a.node);
    for (let i = 0; i < a.count; i++) ctx.send(a.node, ctx.rng("app").pick(peers), { type: "ping", n: -1 });
    return s;
  },
  validate(_s, a, net) {
    if (!net.nodes.includes(a.node)) throw new DrydockError("ENODE", `unknown node "${a.node}"`);
  },
  restart(s, node, ctx) {
    ctx.setTimer(node, ctx.now + 1_000, "tick");
    return { ...s, restarts: s.restarts + 1 };
  },
  size: () => 64,
};

export const NODES = ["n1", "n2", "n3", "n4", "n5"] as const;
