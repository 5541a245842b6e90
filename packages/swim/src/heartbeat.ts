import { DrydockError, parseDuration, type Duration, type Model, type NetState, type NodeId } from "@drydock/kernel";
import type { MemberView, SwimAction } from "./model.js";

/**
 * The design SWIM replaces (SWIM §1, §2): every member sends a heartbeat to every other member
 * each interval, and declares a member dead when none has arrived for a timeout. Detection is
 * simple and fast, but each member sends n − 1 messages per interval: n² in all.
 */
export interface HeartbeatParams {
  readonly heartbeatIntervalUs: number;
  readonly heartbeatTimeoutUs: number;
}

export interface HeartbeatParamOptions {
  /** Default 1 s, SWIM's protocol period, so the two are compared at the same rate. */
  readonly heartbeatInterval?: Duration;
  /** Default 5 intervals. */
  readonly heartbeatTimeout?: Duration;
}

export type HeartbeatMessage =
  | { readonly type: "heartbeat"; readonly incarnation: number }
  | { readonly type: "hb-join" }
  | { readonly type: "hb-members"; readonly members: readonly NodeId[] }
  | { readonly type: "hb-leave" }
  | { readonly type: "hb-user"; readonly key: string; readonly version: number; readonly origin: NodeId; readonly value: string };

export function resolveHeartbeatParams(o: HeartbeatParamOptions): HeartbeatParams {
  const interval = o.heartbeatInterval === undefined ? 1_000_000 : positive("heartbeat interval", o.heartbeatInterval);
  const timeout = o.heartbeatTimeout === undefined ? 5 * interval : positive("heartbeat timeout", o.heartbeatTimeout);
  if (timeout < interval) throw new DrydockError("EPARAM", "heartbeat timeout is shorter than the heartbeat interval");
  if (timeout > 1500 * (interval / 10)) throw new DrydockError("EPARAM", "heartbeat timeout is longer than 150 intervals");
  return { heartbeatIntervalUs: interval, heartbeatTimeoutUs: timeout };
}

function positive(name: string, d: Duration): number {
  if ((typeof d === "number" && d < 0) || (typeof d === "string" && d.trim().startsWith("-"))) {
    throw new DrydockError("EPARAM", `invalid ${name} ${JSON.stringify(d)}: a duration cannot be negative`);
  }
  const us = parseDuration(d);
  if (us <= 0) throw new DrydockError("EPARAM", `invalid ${name} ${JSON.stringify(d)}: must be greater than zero`);
  return us;
}

// A pair is 16 bits: status in the top two (0 unknown, 1 alive, 2 dead, 3 left), and the tick
// (a tenth of an interval, modulo 2^14) of the last heartbeat heard. n² of these is the design's cost.
const UNKNOWN = 0;
const ALIVE = 1;
const DEAD = 2;
const LEFT = 3;
const TICK_MASK = 0x3fff;

interface Held { readonly version: number; readonly origin: NodeId; readonly value: string }

export class HeartbeatState {
  params: HeartbeatParams;
  records: boolean;
  names: NodeId[];
  ids: Map<NodeId, number>;
  cap: number;
  pairs: Uint16Array;
  running: Uint8Array;
  life: Uint32Array;
  incarnation: Uint32Array;
  users: Map<NodeId, Held>[];

  constructor(params: HeartbeatParams, names: readonly NodeId[], records: boolean) {
    this.params = params;
    this.records = records;
    this.names = [];
    this.ids = new Map();
    this.cap = Math.max(4, names.length);
    this.pairs = new Uint16Array(this.cap * this.cap);
    this.running = new Uint8Array(this.cap);
    this.life = new Uint32Array(this.cap);
    this.incarnation = new Uint32Array(this.cap);
    this.users = [];
    for (const n of names) this.add(n);
  }

  get size(): number { return this.names.length; }

  add(name: NodeId): number {
    const id = this.names.length;
    if (id >= this.cap) {
      const cap = this.cap * 2;
      const pairs = new Uint16Array(cap * cap);
      for (let i = 0; i < this.cap; i++) pairs.set(this.pairs.subarray(i * this.cap, (i + 1) * this.cap), i * cap);
      this.pairs = pairs;
      const g = <T extends Uint8Array | Uint32Array>(a: T): T => { const b = new (a.constructor as new (n: number) => T)(cap); b.set(a); return b; };
      this.running = g(this.running);
      this.life = g(this.life);
      this.incarnation = g(this.incarnation);
      this.cap = cap;
    }
    this.names.push(name);
    this.ids.set(name, id);
    this.users.push(new Map());
    return id;
  }

  clone(): HeartbeatState {
    const s = Object.create(HeartbeatState.prototype) as HeartbeatState;
    Object.assign(s, this);
    s.names = [...this.names];
    s.ids = new Map(this.ids);
    s.pairs = this.pairs.slice();
    s.running = this.running.slice();
    s.life = this.life.slice();
    s.incarnation = this.incarnation.slice();
    s.users = this.users.map((m) => new Map(m));
    return s;
  }
}

type Ctx = Parameters<Model<HeartbeatState, HeartbeatMessage, SwimAction>["timer"]>[4];

const tickOf = (s: HeartbeatState, now: number): number => Math.floor(now / (s.params.heartbeatIntervalUs / 10)) & TICK_MASK;

function startNode(s: HeartbeatState, i: number, ctx: Ctx): void {
  s.running[i] = 1;
  s.life[i]!++;
  s.incarnation[i]!++;
  s.pairs[i * s.cap + i] = (ALIVE << 14) | tickOf(s, ctx.now);
  const at = ctx.now + Math.floor(ctx.rng("heartbeat").next() * s.params.heartbeatIntervalUs);
  ctx.setTimer(s.names[i]!, at, "heartbeat", s.life[i]);
}

function rec(s: HeartbeatState, ctx: Ctx, i: number, data: Record<string, unknown>): void {
  if (s.records) ctx.record(s.names[i]!, data);
}

function tick(s: HeartbeatState, i: number, ctx: Ctx): void {
  const p = s.params;
  const me = s.names[i]!;
  ctx.setTimer(me, ctx.now + p.heartbeatIntervalUs, "heartbeat", s.life[i]);
  const msg: HeartbeatMessage = { type: "heartbeat", incarnation: s.incarnation[i]! };
  const row = i * s.cap;
  const now = tickOf(s, ctx.now);
  const timeoutTicks = Math.ceil(p.heartbeatTimeoutUs / (p.heartbeatIntervalUs / 10));
  for (let j = 0; j < s.size; j++) {
    if (j === i) continue;
    const v = s.pairs[row + j]!;
    const st = v >> 14;
    if (st === UNKNOWN || st === LEFT) continue;
    ctx.send(me, s.names[j]!, msg);
    if (st === ALIVE && ((now - (v & TICK_MASK)) & TICK_MASK) > timeoutTicks) {
      s.pairs[row + j] = (DEAD << 14) | (v & TICK_MASK);
      rec(s, ctx, i, { event: "dead", member: s.names[j], incarnation: 0, from: me });
    }
  }
}

function deliver(s: HeartbeatState, msg: HeartbeatMessage, from: NodeId, to: NodeId, ctx: Ctx): void {
  const i = s.ids.get(to);
  const j = s.ids.get(from);
  if (i === undefined || j === undefined || !s.running[i]) return;
  const at = i * s.cap + j;
  switch (msg.type) {
    case "heartbeat": {
      const st = s.pairs[at]! >> 14;
      s.pairs[at] = (ALIVE << 14) | tickOf(s, ctx.now);
      if (st !== ALIVE) rec(s, ctx, i, { event: "alive", member: from, incarnation: msg.incarnation, was: ["unknown", "alive", "dead", "left"][st] });
      return;
    }
    case "hb-join": {
      s.pairs[at] = (ALIVE << 14) | tickOf(s, ctx.now);
      const members = s.names.filter((_, k) => (s.pairs[i * s.cap + k]! >> 14) === ALIVE);
      ctx.send(to, from, { type: "hb-members", members });
      for (const [key, h] of s.users[i]!) ctx.send(to, from, { type: "hb-user", key, ...h });
      return;
    }
    case "hb-members":
      for (const m of msg.members) {
        const k = s.ids.get(m);
        if (k !== undefined && (s.pairs[i * s.cap + k]! >> 14) === UNKNOWN) s.pairs[i * s.cap + k] = (ALIVE << 14) | tickOf(s, ctx.now);
      }
      return;
    case "hb-leave":
      s.pairs[at] = (LEFT << 14) | tickOf(s, ctx.now);
      rec(s, ctx, i, { event: "left", member: from, incarnation: 0, from });
      return;
    case "hb-user": {
      const cur = s.users[i]!.get(msg.key);
      if (cur && (cur.version > msg.version || (cur.version === msg.version && cur.origin >= msg.origin))) return;
      s.users[i]!.set(msg.key, { version: msg.version, origin: msg.origin, value: msg.value });
      rec(s, ctx, i, { event: "payload", key: msg.key, version: msg.version, origin: msg.origin });
      return;
    }
  }
}

export interface HeartbeatModelOptions {
  readonly params: HeartbeatParams;
  readonly records?: boolean;
}

export function heartbeatModel(options: HeartbeatModelOptions): Model<HeartbeatState, HeartbeatMessage, SwimAction> {
  const validate = (s: HeartbeatState, a: SwimAction, net: NetState): void => {
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
  };
  return {
    init(ctx) {
      const s = new HeartbeatState(options.params, ctx.net.nodes, options.records ?? true);
      const t = (ALIVE << 14) | tickOf(s, 0);
      for (let i = 0; i < s.size; i++) for (let j = 0; j < s.size; j++) s.pairs[i * s.cap + j] = t;
      for (let i = 0; i < s.size; i++) startNode(s, i, ctx);
      return s;
    },
    deliver(s, msg, from, to, ctx) { deliver(s, msg, from, to, ctx); return s; },
    timer(s, node, name, data, ctx) {
      const i = s.ids.get(node);
      if (i !== undefined && s.running[i] && name === "heartbeat" && data === s.life[i]) tick(s, i, ctx);
      return s;
    },
    validate,
    action(s, a, ctx) {
      const i = s.ids.get(a.node)!;
      switch (a.type) {
        case "join":
          s.pairs.fill(0, i * s.cap, (i + 1) * s.cap);
          s.users[i] = new Map();
          startNode(s, i, ctx);
          s.pairs[i * s.cap + s.ids.get(a.seed)!] = (ALIVE << 14) | tickOf(s, ctx.now);
          ctx.send(a.node, a.seed, { type: "hb-join" });
          rec(s, ctx, i, { event: "join", seeds: [a.seed] });
          break;
        case "leave":
          for (let j = 0; j < s.size; j++) if (j !== i && (s.pairs[i * s.cap + j]! >> 14) !== UNKNOWN) ctx.send(a.node, s.names[j]!, { type: "hb-leave" });
          s.running[i] = 0;
          s.life[i]!++;
          rec(s, ctx, i, { event: "leave", member: a.node, incarnation: 0 });
          break;
        case "publish": {
          const cur = s.users[i]!.get(a.key);
          const h: Held = { version: (cur?.version ?? 0) + 1, origin: a.node, value: a.value };
          s.users[i]!.set(a.key, h);
          rec(s, ctx, i, { event: "publish", key: a.key, version: h.version, value: a.value });
          rec(s, ctx, i, { event: "payload", key: a.key, version: h.version, origin: a.node });
          // All-to-all: the payload goes straight to every member this one knows.
          for (let j = 0; j < s.size; j++) {
            if (j !== i && (s.pairs[i * s.cap + j]! >> 14) === ALIVE) ctx.send(a.node, s.names[j]!, { type: "hb-user", key: a.key, ...h });
          }
          break;
        }
      }
      return s;
    },
    crash(s, node, ctx) {
      const i = s.ids.get(node)!;
      s.running[i] = 0;
      s.life[i]!++;
      if (s.records) ctx.record(node, { event: "crash" });
      return s;
    },
    restart(s, node, ctx) {
      // A restarted process still has its member list (its configuration), and starts heartbeating.
      const i = s.ids.get(node)!;
      startNode(s, i, ctx);
      rec(s, ctx, i, { event: "join", seeds: [] });
      return s;
    },
    addNode(s, node) { s.add(node); return s; },
    size: (m) => (m.type === "hb-members" ? 8 + m.members.reduce((a, n) => a + n.length + 8, 0) : m.type === "hb-user" ? 16 + m.key.length + m.value.length : 16),
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
