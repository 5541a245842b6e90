import type { ProtocolContext } from "../core/context.js";
import type { HeartbeatMessage } from "./messages.js";
import { ALIVE, DEAD, LEFT, TICK_MASK, UNKNOWN, type HeartbeatState, type Held } from "./state.js";

/**
 * The design SWIM replaces (SWIM §1, §2): every member sends a heartbeat to every other member
 * each interval, and declares a member dead when none has arrived for a timeout. Detection is
 * simple and fast, but each member sends n − 1 messages per interval: n² in all. Pure handlers
 * over the state, like ../core/swim.ts: they act through the context and import nothing of ours.
 */

type Ctx = ProtocolContext<HeartbeatMessage>;

export const tickOf = (s: HeartbeatState, now: number): number => Math.floor(now / (s.params.heartbeatIntervalUs / 10)) & TICK_MASK;

/** Every founding member alive to every other, as of time 0. */
export function agreeAll(s: HeartbeatState): void {
  const t = (ALIVE << 14) | tickOf(s, 0);
  for (let i = 0; i < s.size; i++) for (let j = 0; j < s.size; j++) s.pairs[i * s.cap + j] = t;
}

/** Member `i` starts: a new life and incarnation, its first heartbeat at a random phase of the interval. */
export function start(s: HeartbeatState, i: number, ctx: Ctx): void {
  s.running[i] = 1;
  s.life[i]!++;
  s.incarnation[i]!++;
  s.pairs[i * s.cap + i] = (ALIVE << 14) | tickOf(s, ctx.now);
  const at = ctx.now + Math.floor(ctx.rng("heartbeat").next() * s.params.heartbeatIntervalUs);
  ctx.setTimer(s.names[i]!, at, "heartbeat", s.life[i]);
}

/** Member `i` stops (a crash): its timers of this life are dead. */
export function stop(s: HeartbeatState, i: number, ctx: Ctx): void {
  s.running[i] = 0;
  s.life[i]!++;
  if (s.records) ctx.record(s.names[i]!, { event: "crash" });
}

function rec(s: HeartbeatState, ctx: Ctx, i: number, data: Record<string, unknown>): void {
  if (s.records) ctx.record(s.names[i]!, data);
}

/** A timer fired: the heartbeat tick of the member's current life sends and times out. */
export function onTimer(s: HeartbeatState, i: number, name: string, data: unknown, ctx: Ctx): void {
  if (s.running[i] && name === "heartbeat" && data === s.life[i]) tick(s, i, ctx);
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

export function onMessage(s: HeartbeatState, msg: HeartbeatMessage, from: string, to: string, ctx: Ctx): void {
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

/** Member `i` (a new node, or one that left) joins through `seed`: it forgets its views and asks the seed for its members. */
export function join(s: HeartbeatState, i: number, seed: string, ctx: Ctx): void {
  s.pairs.fill(0, i * s.cap, (i + 1) * s.cap);
  s.users[i] = new Map();
  start(s, i, ctx);
  s.pairs[i * s.cap + s.ids.get(seed)!] = (ALIVE << 14) | tickOf(s, ctx.now);
  ctx.send(s.names[i]!, seed, { type: "hb-join" });
  rec(s, ctx, i, { event: "join", seeds: [seed] });
}

/** A restarted process still has its member list (its configuration), and starts heartbeating. */
export function restart(s: HeartbeatState, i: number, ctx: Ctx): void {
  start(s, i, ctx);
  rec(s, ctx, i, { event: "join", seeds: [] });
}

/** Member `i` leaves: it tells every member it knows, and stops. */
export function leave(s: HeartbeatState, i: number, ctx: Ctx): void {
  const me = s.names[i]!;
  for (let j = 0; j < s.size; j++) if (j !== i && (s.pairs[i * s.cap + j]! >> 14) !== UNKNOWN) ctx.send(me, s.names[j]!, { type: "hb-leave" });
  s.running[i] = 0;
  s.life[i]!++;
  rec(s, ctx, i, { event: "leave", member: me, incarnation: 0 });
}

/** Member `i` publishes a payload: all-to-all, it goes straight to every member it knows alive. */
export function publish(s: HeartbeatState, i: number, key: string, value: string, ctx: Ctx): void {
  const me = s.names[i]!;
  const cur = s.users[i]!.get(key);
  const h: Held = { version: (cur?.version ?? 0) + 1, origin: me, value };
  s.users[i]!.set(key, h);
  rec(s, ctx, i, { event: "publish", key, version: h.version, value });
  rec(s, ctx, i, { event: "payload", key, version: h.version, origin: me });
  for (let j = 0; j < s.size; j++) {
    if (j !== i && (s.pairs[i * s.cap + j]! >> 14) === ALIVE) ctx.send(me, s.names[j]!, { type: "hb-user", key, ...h });
  }
}
