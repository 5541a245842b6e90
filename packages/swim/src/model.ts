import { DrydockError, type Model, type NetState, type NodeId } from "@drydock/kernel";
import { messageSize, type SwimMessage } from "./core/messages.js";
import type { SwimParams } from "./core/params.js";
import { STATE_ARRAYS, SwimState } from "./core/state.js";
import { join, leave, onMessage, onTimer, publish, start, stop } from "./core/swim.js";
import { ALIVE, UNKNOWN, keyIncarnation, keyStatus, makeKey } from "./core/views.js";

/** The model's own actions, logged by the kernel like faults. */
export type SwimAction =
  | { readonly type: "join"; readonly node: NodeId; readonly seed: NodeId }
  | { readonly type: "leave"; readonly node: NodeId }
  | { readonly type: "publish"; readonly node: NodeId; readonly key: string; readonly value: string };

export interface SwimModelOptions {
  readonly params: SwimParams;
  /** Restarted members rejoin through the first of these that is not themselves (default: the first three members). */
  readonly seeds?: readonly NodeId[];
  /** Put state changes in the trace (default true; benches at scale turn it off). */
  readonly records?: boolean;
}

/** Rejoin seeds for `node`: up to three of the configured seeds, other than itself. */
function seedsFor(s: SwimState, node: number): string[] {
  return s.seeds.filter((n) => n !== s.names[node]).slice(0, 3);
}

function id(s: SwimState, node: NodeId): number {
  const i = s.ids.get(node);
  if (i === undefined) throw new DrydockError("ENODE", `unknown member "${node}"`);
  return i;
}

/** Throws when a SWIM action cannot be taken; shared by the model and the cluster's pre-checks. */
export function validateSwimAction(s: SwimState, a: SwimAction, net: NetState): void {
  switch (a.type) {
    case "join": {
      if (typeof a.node !== "string" || !Object.hasOwn(net.up, a.node)) {
        throw new DrydockError("ENODE", `cannot join "${a.node}": no such node (add it to the network first)`);
      }
      if (typeof a.seed !== "string" || !Object.hasOwn(net.up, a.seed)) {
        throw new DrydockError("EJOIN", `failed to join: unknown seed "${a.seed}" (known: ${net.nodes.slice(0, 8).join(", ")}${net.nodes.length > 8 ? ", ..." : ""})`);
      }
      if (a.seed === a.node) throw new DrydockError("EJOIN", `failed to join: "${a.node}" cannot join through itself`);
      if (!net.up[a.node]) throw new DrydockError("EJOIN", `cannot join "${a.node}": the node is down (restart it instead)`);
      if (!net.up[a.seed]) throw new DrydockError("EJOIN", `failed to join: seed "${a.seed}" is down (connection refused)`);
      const seed = s.ids.get(a.seed);
      if (seed === undefined || !s.running[seed]) throw new DrydockError("EJOIN", `failed to join: seed "${a.seed}" is not a running member`);
      const n = s.ids.get(a.node);
      if (n !== undefined && s.running[n]) throw new DrydockError("EJOIN", `"${a.node}" is already a member`);
      return;
    }
    case "leave": {
      const n = s.ids.get(a.node);
      if (n === undefined) throw new DrydockError("ENODE", `unknown member "${a.node}"`);
      if (!s.running[n]) throw new DrydockError("ELEAVE", `"${a.node}" is not running`);
      if (s.leaving[n]) throw new DrydockError("ELEAVE", `"${a.node}" is already leaving`);
      return;
    }
    case "publish": {
      const n = s.ids.get(a.node);
      if (n === undefined) throw new DrydockError("ENODE", `unknown member "${a.node}"`);
      if (!s.running[n] || s.leaving[n]) throw new DrydockError("EPUBLISH", `"${a.node}" is not a running member`);
      if (typeof a.key !== "string" || a.key === "") throw new DrydockError("EPUBLISH", "a payload needs a non-empty key");
      if (typeof a.value !== "string") throw new DrydockError("EPUBLISH", `payload value for "${a.key}" must be a string`);
      return;
    }
    default:
      throw new DrydockError("EACTION", `unknown action "${(a as { type: string }).type}"`);
  }
}

/** SWIM as a kernel model. Its state is mutable for speed; save/load copy it for snapshots. */
export function swimModel(options: SwimModelOptions): Model<SwimState, SwimMessage, SwimAction> {
  const records = options.records ?? true;
  return {
    init(ctx) {
      const nodes = ctx.net.nodes;
      const s = new SwimState(options.params, nodes, options.seeds ?? nodes.slice(0, 3), records);
      // The founding members already agree on the membership, all alive at incarnation 1.
      s.agreeAll(makeKey(1, ALIVE));
      for (let j = 0; j < s.size; j++) start(s, j, 1, ctx);
      return s;
    },
    deliver(s, msg, from, to, ctx) {
      const i = s.ids.get(to);
      if (i !== undefined) onMessage(s, msg, from, i, ctx);
      return s;
    },
    timer(s, node, name, data, ctx) {
      const i = s.ids.get(node);
      if (i !== undefined) onTimer(s, i, name, data, ctx);
      return s;
    },
    validate: validateSwimAction,
    action(s, a, ctx) {
      switch (a.type) {
        case "join": join(s, id(s, a.node), [a.seed], ctx); break;
        case "leave": leave(s, id(s, a.node), ctx); break;
        case "publish": publish(s, id(s, a.node), a.key, a.value, ctx); break;
      }
      return s;
    },
    crash(s, node, ctx) {
      const i = id(s, node);
      if (s.records) ctx.record(node, { event: "crash" });
      stop(s, i);
      return s;
    },
    restart(s, node, ctx) {
      const i = id(s, node);
      join(s, i, seedsFor(s, i), ctx);
      return s;
    },
    addNode(s, node) {
      s.addMember(node);
      return s;
    },
    size: messageSize,
    save: (s) => s.clone(),
    load: (saved) => (saved as SwimState).clone(),
    describe: describeSwim,
  };
}

/** A JSON digest of the whole state for stateHash: everything that shapes what happens next. */
function describeSwim(s: SwimState): unknown {
  const n = s.size;
  const arrays: Record<string, number[]> = {};
  for (const k of STATE_ARRAYS) arrays[k] = Array.from(s[k].subarray(0, n));
  const sorted = <V>(m: Map<number, V> | null): [number, V][] => (m ? [...m].sort((a, b) => a[0] - b[0]) : []);
  return {
    names: s.names,
    seeds: s.seeds,
    nextId: s.nextId,
    base: Array.from(s.view.base.subarray(0, n)),
    dev: s.view.dev.map((m) => sorted(m)),
    arrays,
    queues: s.queues.map((q) => (q ? q.map((e) => [e.name, e.id, e.transmits, e.update]) : [])),
    suspicions: s.suspicions.map((m) => sorted(m).map(([k, v]) => [k, v.incarnation, v.startUs, v.n, v.token, v.confirmations])),
    relays: s.relays.map((m) => sorted(m)),
    deadAt: s.deadAt.map((m) => sorted(m)),
    users: [...s.users].map(([k, u]) => [k, u.entries, Array.from(u.held.subarray(0, n))]),
  };
}


/** One member as `node` sees it. */
export interface MemberView {
  readonly member: NodeId;
  readonly status: "alive" | "suspect" | "dead" | "left";
  readonly incarnation: number;
}

const STATUS = ["alive", "suspect", "dead", "left"] as const;

export function swimMembers(s: SwimState, node: NodeId): MemberView[] {
  const i = id(s, node);
  const out: MemberView[] = [];
  for (let j = 0; j < s.size; j++) {
    const key = s.view.get(i, j);
    if (key === UNKNOWN) continue;
    out.push({ member: s.names[j]!, status: STATUS[keyStatus(key)], incarnation: keyIncarnation(key) });
  }
  return out;
}
