import { DrydockError } from "./errors.js";
import type { Message, Model, ModelAction, SimContext } from "./model.js";

/**
 * A daemon's message on the wire. The daemon's own message travels untouched as `body` (the
 * same object comes back to its deliver, so class instances and identity survive, and wrapping
 * costs one small object whatever the message holds); `type` repeats the body's type so the
 * trace and the visualiser still label it "AppendEntries" or "ping"; `daemon` routes it.
 */
export interface DaemonMessage {
  readonly type: string;
  readonly daemon: string;
  readonly body: Message;
}

/** A daemon's state-change record: `ctx.record(node, data)` traces `{ daemon, data }`. */
export interface DaemonRecord {
  readonly daemon: string;
  readonly data: unknown;
}

/** Daemons by name; `any` lets models of unrelated state, message and action types sit together. */
export type Daemons = Record<string, Model<any, any, any>>;

/** One state slice per daemon, under the daemon's name. */
export type ComposedState<D extends Daemons> = { readonly [K in keyof D]: D[K] extends Model<infer S, any, any> ? S : never };

type Prefixed<K extends string, A> = A extends { readonly type: infer T extends string } ? Omit<A, "type"> & { readonly type: `${K}/${T}` } : never;

/** A user action of one of the daemons: its own action with the type prefixed, `{ type: "raft/propose", value }`. */
export type ComposedAction<D extends Daemons> = {
  [K in keyof D & string]: D[K] extends Model<any, any, infer A> ? Prefixed<K, A> : never;
}[keyof D & string];

/** A daemon's timers and user actions are named "daemon/name": the trace shows whose they are. */
const SEP = "/";

function split(name: string, what: string, daemons: ReadonlyMap<string, unknown>): [string, string] {
  const i = name.indexOf(SEP);
  if (i < 0 || !daemons.has(name.slice(0, i))) {
    throw new DrydockError("EDAEMON", `${what} "${name}" names no daemon: write "daemon${SEP}${i < 0 ? name : name.slice(i + 1)}" (daemons: ${[...daemons.keys()].join(", ")})`);
  }
  return [name.slice(0, i), name.slice(i + 1)];
}

/**
 * Several models (daemons) in one Simulation on the same nodes: the world's hosts each run an
 * engine, a swarm agent, a kubelet... Each daemon keeps its own state slice and sees a context
 * whose send, setTimer and record are its own:
 *
 * - messages travel as DaemonMessage and reach the sending daemon's deliver on the other end;
 * - timers are named "daemon/name" and fire in that daemon's timer handler (with `name`);
 * - records are traced as `{ daemon, data }`;
 * - user actions are named "daemon/type" (`{ type: "raft/propose", value: 1 }`) and reach that
 *   daemon's validate and action as `{ type: "propose", value: 1 }`. A prefix rather than a
 *   `daemon` field, so a daemon's action can never be taken for a kernel fault of the same
 *   type ("crash", "attach");
 * - crash, restart and addNode reach every daemon, in the order they are listed: crashing a
 *   host crashes every daemon on it.
 *
 * Randomness is not renamed: `ctx.rng(name)` is the run's stream of that name, so a model
 * composed alone draws exactly what it draws alone. Daemons that must not share draws use
 * different stream names (Raft's "raft/s1", SWIM's own); two copies of one model share theirs.
 */
export function composeModels<D extends Daemons>(daemons: D): Model<ComposedState<D>, DaemonMessage, ComposedAction<D>> {
  // A Map, so a message or action naming "constructor" finds no daemon.
  const byName = new Map<string, Model<unknown, Message, ModelAction>>();
  for (const name of Object.keys(daemons)) {
    if (name === "" || name.includes(SEP)) throw new DrydockError("EDAEMON", `invalid daemon name ${JSON.stringify(name)}: non-empty, without "${SEP}"`);
    byName.set(name, daemons[name]!);
  }
  if (byName.size === 0) throw new DrydockError("EDAEMON", "composeModels needs at least one daemon");
  const list = [...byName];
  type State = ComposedState<D>;
  type Slices = Record<string, unknown>;
  const slice = (state: State, name: string): unknown => (state as Slices)[name];
  // A new composed state only when the slice changed: a daemon that returns its state as it was
  // (or mutates it in place, like SWIM) costs no copy.
  const put = (state: State, name: string, next: unknown): State =>
    next === (state as Slices)[name] ? state : ({ ...state, [name]: next } as State);

  // Each daemon's view of a simulation's context, made once per simulation (Raft keys its
  // per-simulation caches by context, so the view must be the same object every time).
  const views = new WeakMap<SimContext<DaemonMessage>, Map<string, SimContext<Message>>>();
  const view = (ctx: SimContext<DaemonMessage>, daemon: string): SimContext<Message> => {
    let byDaemon = views.get(ctx);
    if (!byDaemon) views.set(ctx, (byDaemon = new Map()));
    let v = byDaemon.get(daemon);
    if (!v) {
      v = {
        get now() { return ctx.now; },
        get net() { return ctx.net; },
        rng: (stream) => ctx.rng(stream),
        send: (from, to, body) => ctx.send(from, to, { type: body.type, daemon, body }),
        setTimer: (node, at, name, data) => ctx.setTimer(node, at, daemon + SEP + name, data),
        record: (node, data) => ctx.record(node, { daemon, data } satisfies DaemonRecord),
        isUp: (node) => ctx.isUp(node),
        endpoint: (action) => ctx.endpoint(action),
      };
      byDaemon.set(daemon, v);
    }
    return v;
  };
  const daemonOf = (name: string): Model<unknown, Message, ModelAction> => {
    const d = byName.get(name);
    if (!d) throw new DrydockError("EDAEMON", `unknown daemon "${name}"`);
    return d;
  };
  const unwrap = (action: ModelAction): [string, Model<unknown, Message, ModelAction>, ModelAction] => {
    const [name, type] = split(action.type, "action", byName);
    const d = byName.get(name)!;
    if (!d.action) throw new DrydockError("EACTION", `unknown action "${action.type}": daemon "${name}" takes no actions`);
    return [name, d, { ...action, type }];
  };
  const every = (hook: "crash" | "restart" | "addNode") => (state: State, node: string, ctx: SimContext<DaemonMessage>): State => {
    for (const [name, d] of list) {
      const h = d[hook];
      if (h) state = put(state, name, h.call(d, slice(state, name), node, view(ctx, name)));
    }
    return state;
  };
  const anySaves = list.some(([, d]) => d.save || d.load);

  return {
    init(ctx) {
      const state: Slices = {};
      for (const [name, d] of list) state[name] = d.init(view(ctx, name));
      return state as State;
    },
    deliver(state, msg, from, to, ctx) {
      const d = daemonOf(msg.daemon);
      return put(state, msg.daemon, d.deliver(slice(state, msg.daemon), msg.body, from, to, view(ctx, msg.daemon)));
    },
    timer(state, node, timer, data, ctx) {
      const [name, inner] = split(timer, "timer", byName);
      return put(state, name, byName.get(name)!.timer(slice(state, name), node, inner, data, view(ctx, name)));
    },
    validate(state, action, net) {
      const [name, d, inner] = unwrap(action);
      d.validate?.(slice(state, name), inner, net);
    },
    action(state, action, ctx) {
      const [name, d, inner] = unwrap(action);
      return put(state, name, d.action!(slice(state, name), inner, view(ctx, name)));
    },
    crash: every("crash"),
    restart: every("restart"),
    addNode: every("addNode"),
    size(msg) {
      const d = daemonOf(msg.daemon);
      return d.size ? d.size(msg.body) : 0;
    },
    // Only when some daemon's state is mutable; otherwise a snapshot keeps the state by reference.
    ...(anySaves && {
      save(state: State): unknown {
        const saved: Slices = {};
        for (const [name, d] of list) saved[name] = d.save ? d.save(slice(state, name)) : slice(state, name);
        return saved;
      },
      load(saved: unknown): State {
        const state: Slices = {};
        for (const [name, d] of list) state[name] = d.load ? d.load((saved as Slices)[name]) : (saved as Slices)[name];
        return state as State;
      },
    }),
    describe(state) {
      const out: Slices = {};
      for (const [name, d] of list) out[name] = d.describe ? d.describe(slice(state, name)) : slice(state, name);
      return out;
    },
  };
}
