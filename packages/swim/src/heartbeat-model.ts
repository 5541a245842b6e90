import { DrydockError, type Model, type NetState, type NodeId } from "@drydock/kernel";
import { heartbeatMessageSize, type HeartbeatMessage } from "./heartbeat/messages.js";
import type { HeartbeatParams } from "./heartbeat/params.js";
import { agreeAll, join, leave, onMessage, onTimer, publish, restart, start, stop } from "./heartbeat/protocol.js";
import { HeartbeatState } from "./heartbeat/state.js";
import type { MemberView, SwimAction } from "./model.js";

// The all-to-all heartbeat baseline (./heartbeat/, pure like ./core/) as a kernel model, beside
// SWIM's (./model.ts): actions checked and taken, snapshots, the state digest, member views.

export interface HeartbeatModelOptions {
  readonly params: HeartbeatParams;
  readonly records?: boolean;
}

function validate(s: HeartbeatState, a: SwimAction, net: NetState): void {
  const i = s.ids.get(a.node);
  if (a.type === "join") {
    if (!Object.hasOwn(net.up, a.seed)) throw new DrydockError("EJOIN", `failed to join: unknown seed "${a.seed}"`);
    if (a.seed === a.node) throw new DrydockError("EJOIN", `failed to join: "${a.node}" cannot join through itself`);
    if (Object.hasOwn(net.up, a.node) && !net.up[a.node]) throw new DrydockError("EJOIN", `cannot join "${a.node}": the node is down (restart it instead)`);
    if (!net.up[a.seed]) throw new DrydockError("EJOIN", `failed to join: seed "${a.seed}" is down (connection refused)`);
    if (i !== undefined && s.running[i]) throw new DrydockError("EJOIN", `"${a.node}" is already a member`);
    return;
  }
  if (i === undefined) throw new DrydockError("ENODE", `unknown member "${a.node}"`);
  if (!s.running[i]) throw new DrydockError(a.type === "leave" ? "ELEAVE" : "EPUBLISH", `"${a.node}" is not running`);
  if (a.type === "publish" && (typeof a.key !== "string" || a.key === "")) throw new DrydockError("EPUBLISH", "a payload needs a non-empty key");
}

export function heartbeatModel(options: HeartbeatModelOptions): Model<HeartbeatState, HeartbeatMessage, SwimAction> {
  return {
    init(ctx) {
      const s = new HeartbeatState(options.params, ctx.net.nodes, options.records ?? true);
      agreeAll(s);
      for (let i = 0; i < s.size; i++) start(s, i, ctx);
      return s;
    },
    deliver(s, msg, from, to, ctx) { onMessage(s, msg, from, to, ctx); return s; },
    timer(s, node, name, data, ctx) {
      const i = s.ids.get(node);
      if (i !== undefined) onTimer(s, i, name, data, ctx);
      return s;
    },
    validate,
    action(s, a, ctx) {
      const i = s.ids.get(a.node)!;
      switch (a.type) {
        case "join": join(s, i, a.seed, ctx); break;
        case "leave": leave(s, i, ctx); break;
        case "publish": publish(s, i, a.key, a.value, ctx); break;
      }
      return s;
    },
    crash(s, node, ctx) { stop(s, s.ids.get(node)!, ctx); return s; },
    restart(s, node, ctx) { restart(s, s.ids.get(node)!, ctx); return s; },
    addNode(s, node) { s.add(node); return s; },
    size: heartbeatMessageSize,
    save: (s) => s.clone(),
    load: (saved) => (saved as HeartbeatState).clone(),
    describe: (s) => ({
      names: s.names, cap: s.cap, pairs: Array.from(s.pairs), running: Array.from(s.running),
      life: Array.from(s.life), incarnation: Array.from(s.incarnation), users: s.users.map((m) => [...m]),
    }),
  };
}

const STATUS = [null, "alive", "dead", "left"] as const;

export function heartbeatMembers(s: HeartbeatState, node: NodeId): MemberView[] {
  const i = s.ids.get(node);
  if (i === undefined) throw new DrydockError("ENODE", `unknown member "${node}"`);
  const out: MemberView[] = [];
  for (let j = 0; j < s.size; j++) {
    const st = STATUS[s.pairs[i * s.cap + j]! >> 14];
    if (st) out.push({ member: s.names[j]!, status: st, incarnation: j === i ? s.incarnation[i]! : 0 });
  }
  return out;
}

export function heartbeatPayload(s: HeartbeatState, node: NodeId, key: string): { value: string; version: number; origin: NodeId } | undefined {
  const i = s.ids.get(node);
  const h = i === undefined ? undefined : s.users[i]!.get(key);
  return h && { value: h.value, version: h.version, origin: h.origin };
}
