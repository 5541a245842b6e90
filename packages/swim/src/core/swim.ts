import type { ProtocolContext, RandomSource } from "./context.js";
import { enqueue, queueLength, takeBroadcasts } from "./broadcast.js";
import { messageSize, NO_UPDATES, updateSize, type SwimMessage, type Update } from "./messages.js";
import { permute } from "./order.js";
import { pushPullScaleUs, suspicionTimeoutAfter, suspicionTimeoutUs } from "./params.js";
import type { SwimState, Suspicion } from "./state.js";
import {
  ALIVE, DEAD, LEFT, SUSPECT, STATUS_NAMES, UNKNOWN, keyIncarnation, keyStatus, makeKey, type Status,
} from "./views.js";

/**
 * SWIM (Das, Gupta, Motivala, DSN 2002) as memberlist runs it (state.go), with Lifeguard's
 * refinements behind switches. Handlers mutate the SwimState they are given and return nothing;
 * every effect goes through the context (send, setTimer, record).
 */
type Ctx = ProtocolContext<SwimMessage>;

const RNG = "swim";
// A module-local copy for the hot loop (an imported binding may cost a getter call under some loaders).
const NOT_KNOWN = UNKNOWN;
const PACKET_OVERHEAD = 64;

// ---- starting and stopping ---------------------------------------------------------------

/** A member starts its memberlist: it knows itself, alive at `incarnation`, and its timers begin. */
export function start(s: SwimState, node: number, incarnation: number, ctx: Ctx): void {
  const p = s.params;
  const rng = ctx.rng(RNG);
  s.running[node] = 1;
  s.leaving[node] = 0;
  s.life[node]!++;
  s.incarnation[node] = incarnation;
  s.awareness[node] = 0;
  s.probeTarget[node] = -1;
  s.busyUntil[node] = 0;
  s.orderPos[node] = 0;
  s.orderSize[node] = 0;
  s.gossipPending[node] = 0;
  s.gossipPhase[node] = ctx.now + Math.floor(rng.next() * p.gossipIntervalUs);
  setView(s, node, node, makeKey(incarnation, ALIVE));
  const life = s.life[node]!;
  // memberlist's tickers start with the member; a random phase staggers them across members.
  ctx.setTimer(s.names[node]!, ctx.now + Math.floor(rng.next() * p.probeIntervalUs), "probe", life);
  if (p.reconnectIntervalUs > 0) {
    ctx.setTimer(s.names[node]!, ctx.now + Math.floor(rng.next() * p.reconnectIntervalUs), "reconnect", life);
  }
  if (p.pushPullIntervalUs > 0) {
    const every = pushPullScaleUs(p.pushPullIntervalUs, Math.max(s.known[node]!, s.size));
    ctx.setTimer(s.names[node]!, ctx.now + Math.floor(rng.next() * every), "push-pull", life);
  }
}

/** The process is gone: volatile protocol state is dropped; the view stays readable until restart. */
export function stop(s: SwimState, node: number): void {
  s.running[node] = 0;
  s.life[node]!++;
  s.queues[node] = null;
  s.suspicions[node] = null;
  s.relays[node] = null;
  s.probeTarget[node] = -1;
}

/** A restarted or new member forgets everything and joins through `seeds` (memberlist Join). */
export function join(s: SwimState, node: number, seeds: readonly string[], ctx: Ctx): void {
  s.view.forget(node);
  s.known[node] = 0;
  s.knownBytes[node] = 0;
  s.deadAt[node] = null;
  for (const u of s.users.values()) u.held[node] = -1;
  // memberlist starts counting incarnations afresh in a new process (setAlive: nextIncarnation).
  start(s, node, 1, ctx);
  rec(s, ctx, node, { event: "join", seeds: [...seeds] });
  s.joined[node] = 0;
  s.joinRetries[node] = JOIN_QUICK_ATTEMPTS;
  joinAttempt(s, node, seeds, ctx);
}

/**
 * Until a seed answers, Docker's networkdb retries a join every second (retryJoin,
 * retryInterval) and later keeps trying its bootstrap nodes every minute (rejoinClusterBootStrap).
 */
const JOIN_QUICK_ATTEMPTS = 10;
const JOIN_RETRY_US = 1_000_000;
const REJOIN_US = 60_000_000;

function joinAttempt(s: SwimState, node: number, seeds: readonly string[], ctx: Ctx): void {
  if (s.joined[node]) return;
  for (const seed of seeds) {
    if (seed === s.names[node]) continue;
    send(s, ctx, node, seed, pushPull(s, node, true, false));
  }
  const quick = s.joinRetries[node]! > 0;
  if (quick) s.joinRetries[node]!--;
  ctx.setTimer(s.names[node]!, ctx.now + (quick ? JOIN_RETRY_US : REJOIN_US), "join-retry", { life: s.life[node], seeds });
}

/** Graceful leave (memberlist Leave): broadcast our own death as "left", keep gossiping, then stop. */
export function leave(s: SwimState, node: number, ctx: Ctx): void {
  const inc = s.incarnation[node]!;
  s.leaving[node] = 1;
  setView(s, node, node, makeKey(inc, LEFT));
  const name = s.names[node]!;
  broadcast(s, ctx, node, { type: "dead", member: name, incarnation: inc, from: name }, name);
  rec(s, ctx, node, { event: "leave", member: name, incarnation: inc });
  ctx.setTimer(name, ctx.now + s.params.probeIntervalUs, "shutdown", s.life[node]);
}

// ---- timers ------------------------------------------------------------------------------

export function onTimer(s: SwimState, node: number, name: string, data: unknown, ctx: Ctx): void {
  if (!s.running[node]) return;
  switch (name) {
    case "probe": if (data === s.life[node]) probeTick(s, node, ctx); return;
    case "probe-timeout": if (data === s.probeSeq[node]) probeTimeout(s, node, ctx); return;
    case "probe-end": if (data === s.probeSeq[node]) probeEnd(s, node, ctx); return;
    case "relay-timeout": relayTimeout(s, node, data as number, ctx); return;
    case "suspicion": {
      const d = data as { member: number; token: number };
      suspicionExpired(s, node, d.member, d.token, ctx);
      return;
    }
    case "gossip": if (data === s.life[node]) gossipTick(s, node, ctx); return;
    case "push-pull": if (data === s.life[node]) pushPullTick(s, node, ctx); return;
    case "reconnect": if (data === s.life[node]) reconnectTick(s, node, ctx); return;
    case "join-retry": {
      const d = data as { life: number; seeds: readonly string[] };
      if (d.life === s.life[node]) joinAttempt(s, node, d.seeds, ctx);
      return;
    }
    case "shutdown":
      if (data === s.life[node]) {
        rec(s, ctx, node, { event: "shutdown" });
        stop(s, node);
      }
      return;
  }
}

/** SWIM §4.3 randomized round-robin: the next member of this round's permutation, skipping self and the dead. */
function nextTarget(s: SwimState, node: number, rng: RandomSource): number {
  let checked = 0;
  const limit = s.size + 1;
  while (checked <= limit) {
    if (s.orderPos[node]! >= s.orderSize[node]!) {
      // A new round: a fresh permutation over every member id known so far (memberlist resetNodes + shuffle).
      s.orderKey[node] = Math.floor(rng.next() * 0x100000000) >>> 0;
      s.orderPos[node] = 0;
      s.orderSize[node] = s.size;
      checked++;
    }
    const candidate = permute(s.orderPos[node]!++, s.orderSize[node]!, s.orderKey[node]!);
    checked++;
    if (candidate === node) continue;
    const key = s.view.get(node, candidate);
    if (key === UNKNOWN) continue;
    const st = keyStatus(key);
    if (st === DEAD || st === LEFT) continue;
    return candidate;
  }
  return -1;
}

function probeTick(s: SwimState, node: number, ctx: Ctx): void {
  const p = s.params;
  const life = s.life[node]!;
  const nodeName = s.names[node]!;
  // A probe that is still waiting (health-scaled interval) delays the ticker, as memberlist's blocking probe does.
  if (s.busyUntil[node]! > ctx.now) {
    ctx.setTimer(nodeName, s.busyUntil[node]!, "probe", life);
    return;
  }
  // The previous probe ends at this very instant: finish it before the next begins.
  if (s.busyUntil[node]! > 0) probeEnd(s, node, ctx);
  ctx.setTimer(nodeName, ctx.now + p.probeIntervalUs, "probe", life);
  const target = nextTarget(s, node, ctx.rng(RNG));
  if (target < 0) return;
  const seq = ++s.seqNo[node]!;
  s.probeTarget[node] = target;
  s.probeSeq[node] = seq;
  s.probeAcked[node] = 0;
  s.nacks[node] = 0;
  s.expectedNacks[node] = 0;
  // Lifeguard LHA-Probe: the probe interval grows with the local health score.
  const scale = p.lifeguard.localHealth ? s.awareness[node]! + 1 : 1;
  s.probeDeadline[node] = ctx.now + p.probeIntervalUs * scale;
  const key = s.view.get(node, target);
  s.probeInc[node] = keyIncarnation(key);
  const targetName = s.names[target]!;
  let extra: Update | null = null;
  if (keyStatus(key) !== ALIVE && p.lifeguard.buddySystem) {
    // Lifeguard buddy system: tell a suspect it is suspected, so it can refute at once.
    extra = { type: "suspect", member: targetName, incarnation: keyIncarnation(key), from: nodeName };
  }
  send(s, ctx, node, targetName, { type: "ping", seq, target: targetName, updates: NO_UPDATES }, extra);
  ctx.setTimer(nodeName, ctx.now + p.probeTimeoutUs, "probe-timeout", seq);
}

/** No direct ack in time: ask k others to ping the target for us (SWIM §3.1 ping-req). */
function probeTimeout(s: SwimState, node: number, ctx: Ctx): void {
  if (s.probeAcked[node]) return;
  const p = s.params;
  const target = s.probeTarget[node]!;
  const seq = s.probeSeq[node]!;
  const nack = p.lifeguard.localHealth;
  const peers = randomMembers(s, node, p.indirectChecks, ctx.rng(RNG), (j) => j !== target && statusOf(s, node, j) === ALIVE);
  const targetName = s.names[target]!;
  for (const peer of peers) {
    send(s, ctx, node, s.names[peer]!, { type: "ping-req", seq, target: targetName, nack, updates: NO_UPDATES });
  }
  s.expectedNacks[node] = nack ? peers.length : 0;
  s.busyUntil[node] = s.probeDeadline[node]!;
  ctx.setTimer(s.names[node]!, s.probeDeadline[node]!, "probe-end", seq);
}

/** The probe interval ran out with no ack, direct or indirect: suspect the target (SWIM §4.2). */
function probeEnd(s: SwimState, node: number, ctx: Ctx): void {
  if (s.probeAcked[node] || s.busyUntil[node] === 0) return;
  s.busyUntil[node] = 0;
  const target = s.probeTarget[node]!;
  if (s.params.lifeguard.localHealth) {
    // memberlist probeNode: missed nacks mean our own health is the likelier problem.
    const expected = s.expectedNacks[node]!;
    const delta = expected > 0 ? Math.max(0, expected - s.nacks[node]!) : 1;
    applyAwareness(s, node, delta);
  }
  if (s.view.get(node, target) === UNKNOWN) return;
  // memberlist probeNode suspects the incarnation it probed, not whatever is known now: a
  // refutation heard while the probe ran (a stretched one under Lifeguard) outbids it.
  suspectNode(s, node, target, s.probeInc[node]!, s.names[node]!, ctx);
}

function relayTimeout(s: SwimState, node: number, seq: number, ctx: Ctx): void {
  const relays = s.relays[node];
  const r = relays?.get(seq);
  if (!r) return;
  relays!.delete(seq);
  // Lifeguard: tell the asker we heard nothing, so it can tell a dead target from its own trouble.
  if (r.nack) send(s, ctx, node, s.names[r.source]!, { type: "nack", seq: r.sourceSeq, updates: NO_UPDATES });
}

function suspicionExpired(s: SwimState, node: number, member: number, token: number, ctx: Ctx): void {
  const susp = s.suspicions[node]?.get(member);
  if (!susp || susp.token !== token) return;
  const key = s.view.get(node, member);
  if (keyStatus(key) !== SUSPECT || keyIncarnation(key) !== susp.incarnation) return;
  rec(s, ctx, node, { event: "suspicion-timeout", member: s.names[member], confirmations: susp.n });
  deadNode(s, node, member, susp.incarnation, s.names[node]!, ctx);
}

/** memberlist gossip(): every GossipInterval, pending updates go to a few random members. */
function gossipTick(s: SwimState, node: number, ctx: Ctx): void {
  s.gossipPending[node] = 0;
  if (queueLength(s, node) === 0) return;
  const p = s.params;
  const now = ctx.now;
  const deadAt = s.deadAt[node];
  const peers = randomMembers(s, node, p.gossipNodes, ctx.rng(RNG), (j) => {
    const st = statusOf(s, node, j);
    if (st === ALIVE || st === SUSPECT) return true;
    // Gossip to the dead for a while, so a wrongly declared member hears it and refutes.
    if (st === DEAD) { const t = deadAt?.get(j); return t !== undefined && now - t <= p.gossipToTheDeadUs; }
    return false;
  });
  for (const peer of peers) {
    const updates = takeBroadcasts(s, node, p.udpBufferSize - PACKET_OVERHEAD);
    if (updates.length === 0) break;
    ctx.send(s.names[node]!, s.names[peer]!, { type: "gossip", updates });
  }
  scheduleGossip(s, node, ctx);
}

function scheduleGossip(s: SwimState, node: number, ctx: Ctx): void {
  const p = s.params;
  if (p.gossipNodes <= 0 || s.gossipPending[node] || queueLength(s, node) === 0) return;
  const phase = s.gossipPhase[node]!;
  const every = p.gossipIntervalUs;
  const at = phase + (Math.floor((ctx.now - phase) / every) + 1) * every;
  s.gossipPending[node] = 1;
  ctx.setTimer(s.names[node]!, at, "gossip", s.life[node]);
}

/** memberlist pushPull(): a full state exchange with one random live member. */
function pushPullTick(s: SwimState, node: number, ctx: Ctx): void {
  const p = s.params;
  const rng = ctx.rng(RNG);
  ctx.setTimer(s.names[node]!, ctx.now + pushPullScaleUs(p.pushPullIntervalUs, s.known[node]!), "push-pull", s.life[node]);
  if (s.leaving[node]) return;
  const [peer] = randomMembers(s, node, 1, rng, (j) => statusOf(s, node, j) === ALIVE);
  if (peer === undefined) return;
  send(s, ctx, node, s.names[peer]!, pushPull(s, node, false, false));
}

/** Docker networkdb reconnectNode: try one random member we declared dead; a join follows if it answers. */
function reconnectTick(s: SwimState, node: number, ctx: Ctx): void {
  ctx.setTimer(s.names[node]!, ctx.now + s.params.reconnectIntervalUs, "reconnect", s.life[node]);
  const deadAt = s.deadAt[node];
  if (!deadAt || deadAt.size === 0 || s.leaving[node]) return;
  const failed: number[] = [];
  for (const j of deadAt.keys()) if (keyStatus(s.view.get(node, j)) === DEAD) failed.push(j);
  if (failed.length === 0) return;
  failed.sort((a, b) => a - b);
  const target = failed[Math.floor(ctx.rng(RNG).next() * failed.length)]!;
  ctx.send(s.names[node]!, s.names[target]!, { type: "reconnect" });
}

// ---- messages ----------------------------------------------------------------------------

export function onMessage(s: SwimState, msg: SwimMessage, from: string, node: number, ctx: Ctx): void {
  if (!s.running[node]) return;
  const sender = s.ids.get(from);
  if (sender === undefined) return;
  switch (msg.type) {
    case "ping":
      // memberlist handlePing: a ping meant for another name (a reused address) gets no ack.
      if (msg.target === s.names[node]) send(s, ctx, node, from, { type: "ack", seq: msg.seq, updates: NO_UPDATES });
      break;
    case "ack": onAck(s, node, msg.seq, ctx); break;
    case "nack":
      if (msg.seq === s.probeSeq[node] && !s.probeAcked[node]) s.nacks[node]!++;
      break;
    case "ping-req": {
      const seq = ++s.seqNo[node]!;
      let relays = s.relays[node];
      if (!relays) s.relays[node] = relays = new Map();
      relays.set(seq, { source: sender, sourceSeq: msg.seq, nack: msg.nack });
      send(s, ctx, node, msg.target, { type: "ping", seq, target: msg.target, updates: NO_UPDATES });
      ctx.setTimer(s.names[node]!, ctx.now + s.params.probeTimeoutUs, "relay-timeout", seq);
      break;
    }
    case "gossip": break;
    case "reconnect":
      // The connection is up: the caller's memberlist.Join runs a full state exchange.
      if (!s.leaving[node]) send(s, ctx, node, from, pushPull(s, node, true, false));
      return;
    case "push-pull":
      // A reply to our join: we are in.
      if (msg.reply && msg.join) s.joined[node] = 1;
      if (!msg.reply) {
        send(s, ctx, node, from, pushPull(s, node, msg.join, true));
      }
      mergeState(s, node, msg.members, msg.keys, ctx);
      for (const u of msg.user) applyUpdate(s, node, u, ctx);
      return;
  }
  const updates = msg.updates;
  for (let i = 0; i < updates.length; i++) applyUpdate(s, node, updates[i]!, ctx);
}

function onAck(s: SwimState, node: number, seq: number, ctx: Ctx): void {
  if (seq === s.probeSeq[node] && s.probeTarget[node]! >= 0) {
    if (s.probeAcked[node]) return;
    s.probeAcked[node] = 1;
    s.busyUntil[node] = 0;
    if (s.params.lifeguard.localHealth) applyAwareness(s, node, -1);
    return;
  }
  const relays = s.relays[node];
  const r = relays?.get(seq);
  if (r) {
    relays!.delete(seq);
    send(s, ctx, node, s.names[r.source]!, { type: "ack", seq: r.sourceSeq, updates: NO_UPDATES });
  }
}

// ---- membership updates (memberlist aliveNode, suspectNode, deadNode) --------------------

export function applyUpdate(s: SwimState, node: number, u: Update, ctx: Ctx): void {
  if (u.type === "user") { userUpdate(s, node, u, ctx); return; }
  const member = s.ids.get(u.member);
  if (member === undefined) return;
  switch (u.type) {
    case "alive": aliveNode(s, node, member, u.incarnation, ctx); return;
    case "suspect": suspectNode(s, node, member, u.incarnation, u.from, ctx); return;
    case "dead": deadNode(s, node, member, u.incarnation, u.from, ctx); return;
  }
}

function aliveNode(s: SwimState, node: number, member: number, inc: number, ctx: Ctx): void {
  if (member === node) {
    // Someone holds a newer incarnation of us (an earlier life): outbid it.
    if (!s.leaving[node] && inc > s.incarnation[node]!) refute(s, node, inc, ctx);
    return;
  }
  const key = s.view.get(node, member);
  if (key !== UNKNOWN && inc <= keyIncarnation(key)) return;
  s.suspicions[node]?.delete(member);
  const name = s.names[member]!;
  broadcast(s, ctx, node, { type: "alive", member: name, incarnation: inc }, name);
  setView(s, node, member, makeKey(inc, ALIVE));
  const was = key === UNKNOWN ? "unknown" : STATUS_NAMES[keyStatus(key)];
  if (was !== "alive") {
    s.deadAt[node]?.delete(member);
    rec(s, ctx, node, { event: "alive", member: name, incarnation: inc, was });
  }
}

export function suspectNode(s: SwimState, node: number, member: number, inc: number, from: string, ctx: Ctx): void {
  const key = s.view.get(node, member);
  if (key === UNKNOWN || inc < keyIncarnation(key)) return;
  const susp = s.suspicions[node]?.get(member);
  if (susp) {
    // memberlist: an independent confirmation shortens the timer, and is gossiped on.
    if (confirm(s, node, member, susp, from, ctx)) {
      broadcast(s, ctx, node, { type: "suspect", member: s.names[member]!, incarnation: inc, from }, s.names[member]!);
    }
    return;
  }
  if (keyStatus(key) !== ALIVE) return;
  if (member === node) {
    if (!s.leaving[node]) refute(s, node, inc, ctx);
    return;
  }
  const name = s.names[member]!;
  broadcast(s, ctx, node, { type: "suspect", member: name, incarnation: inc, from }, name);
  setView(s, node, member, makeKey(inc, SUSPECT));
  rec(s, ctx, node, { event: "suspect", member: name, incarnation: inc, from });
  startSuspicion(s, node, member, inc, from, ctx);
}

function startSuspicion(s: SwimState, node: number, member: number, inc: number, from: string, ctx: Ctx): void {
  const p = s.params;
  const n = s.known[node]!;
  // memberlist: aim to hit the minimum two probe intervals short of the multiplier's worth of confirmations.
  let k = p.suspicionMult - 2;
  if (n - 2 < k) k = 0;
  const minUs = suspicionTimeoutUs(p.suspicionMult, n, p.probeIntervalUs);
  const maxUs = p.lifeguard.dynamicSuspicion ? p.suspicionMaxTimeoutMult * minUs : minUs;
  let map = s.suspicions[node];
  if (!map) s.suspicions[node] = map = new Map();
  const susp: Suspicion = { incarnation: inc, startUs: ctx.now, k, minUs, maxUs, confirmations: [from], n: 0, token: s.nextId++ };
  map.set(member, susp);
  // memberlist newSuspicion: with no confirmations to wait for (k < 1), the minimum from the start.
  ctx.setTimer(s.names[node]!, ctx.now + (k < 1 ? minUs : maxUs), "suspicion", { member, token: susp.token });
}

function confirm(s: SwimState, node: number, member: number, susp: Suspicion, from: string, ctx: Ctx): boolean {
  if (susp.n >= susp.k) return false;
  if (susp.confirmations.includes(from)) return false;
  susp.confirmations.push(from);
  susp.n++;
  if (!s.params.lifeguard.dynamicSuspicion) return true;
  const remaining = suspicionTimeoutAfter(susp.n, susp.k, susp.minUs, susp.maxUs) - (ctx.now - susp.startUs);
  susp.token = s.nextId++;
  ctx.setTimer(s.names[node]!, ctx.now + Math.max(0, remaining), "suspicion", { member, token: susp.token });
  return true;
}

export function deadNode(s: SwimState, node: number, member: number, inc: number, from: string, ctx: Ctx): void {
  const key = s.view.get(node, member);
  if (key === UNKNOWN || inc < keyIncarnation(key)) return;
  s.suspicions[node]?.delete(member);
  const st = keyStatus(key);
  if (st === DEAD || st === LEFT) return;
  const name = s.names[member]!;
  if (member === node) {
    if (!s.leaving[node]) refute(s, node, inc, ctx);
    return;
  }
  broadcast(s, ctx, node, { type: "dead", member: name, incarnation: inc, from }, name);
  const left = from === name;
  setView(s, node, member, makeKey(inc, left ? LEFT : DEAD));
  let deadAt = s.deadAt[node];
  if (!deadAt) s.deadAt[node] = deadAt = new Map();
  deadAt.set(member, ctx.now);
  rec(s, ctx, node, { event: left ? "left" : "dead", member: name, incarnation: inc, from });
}

/** SWIM §4.2: a member that hears itself suspected or declared dead outbids it with a higher incarnation. */
function refute(s: SwimState, node: number, accused: number, ctx: Ctx): void {
  let inc = s.incarnation[node]! + 1;
  if (accused >= inc) inc = accused + 1;
  s.incarnation[node] = inc;
  setView(s, node, node, makeKey(inc, ALIVE));
  // memberlist refute: being accused is a sign of our own poor health.
  if (s.params.lifeguard.localHealth) applyAwareness(s, node, 1);
  const name = s.names[node]!;
  broadcast(s, ctx, node, { type: "alive", member: name, incarnation: inc }, name);
  rec(s, ctx, node, { event: "refute", member: name, incarnation: inc, accused });
}

function applyAwareness(s: SwimState, node: number, delta: number): void {
  const max = s.params.awarenessMaxMultiplier - 1;
  const v = s.awareness[node]! + delta;
  s.awareness[node] = v < 0 ? 0 : v > max ? max : v;
}

/** memberlist mergeState: remote alive as alive, remote suspect or dead as a suspicion, left as left. */
function mergeState(s: SwimState, node: number, members: readonly string[], keys: Int32Array, ctx: Ctx): void {
  const me = s.names[node]!;
  const base = s.view.base;
  const devCount = s.view.devCount;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    // The common case, both views at the shared base: nothing to merge.
    if (key === NOT_KNOWN || (key === base[i] && devCount[i] === 0 && i !== node)) continue;
    // Member ids are positions in the roster, which only grows; a name never moves.
    const member = s.names[i] === members[i] ? i : s.ids.get(members[i]!);
    if (member === undefined) continue;
    if (member !== node && s.view.get(node, member) === key) continue;
    const inc = keyIncarnation(key);
    const status = keyStatus(key);
    if (status === ALIVE) aliveNode(s, node, member, inc, ctx);
    else if (status === LEFT) deadNode(s, node, member, inc, members[i]!, ctx);
    else suspectNode(s, node, member, inc, me, ctx);
  }
}

/** A full state exchange message: this member's view of everyone, and the payloads it holds. */
function pushPull(s: SwimState, node: number, join: boolean, reply: boolean): SwimMessage {
  const keys = s.view.row(node);
  let bytes = 13 + s.knownBytes[node]!;
  const user = userState(s, node);
  for (const u of user) bytes += updateSize(u);
  return { type: "push-pull", join, reply, members: s.roster, keys, user, bytes };
}

// ---- user payloads -----------------------------------------------------------------------

type UserUpdate = Extract<Update, { type: "user" }>;

const newer = (a: UserUpdate, b: UserUpdate): boolean =>
  a.version > b.version || (a.version === b.version && a.origin > b.origin);

export function heldPayload(s: SwimState, node: number, key: string): UserUpdate | undefined {
  const k = s.users.get(key);
  if (!k) return undefined;
  const i = k.held[node]!;
  return i >= 0 ? k.entries[i] : undefined;
}

/** A member publishes a value under a key: version one past the newest it holds (a Lamport clock). */
export function publish(s: SwimState, node: number, key: string, value: string, ctx: Ctx): UserUpdate {
  const cur = heldPayload(s, node, key);
  const u: UserUpdate = { type: "user", key, version: (cur?.version ?? 0) + 1, origin: s.names[node]!, value };
  rec(s, ctx, node, { event: "publish", key, version: u.version, value });
  userUpdate(s, node, u, ctx);
  return u;
}

function userUpdate(s: SwimState, node: number, u: UserUpdate, ctx: Ctx): void {
  let k = s.users.get(u.key);
  if (!k) {
    k = { entries: [], held: new Int32Array(s.cap).fill(-1) };
    s.users.set(u.key, k);
  }
  const i = k.held[node]!;
  if (i >= 0 && !newer(u, k.entries[i]!)) return;
  let idx = k.entries.findIndex((e) => e.version === u.version && e.origin === u.origin);
  if (idx < 0) idx = k.entries.push(u) - 1;
  k.held[node] = idx;
  rec(s, ctx, node, { event: "payload", key: u.key, version: u.version, origin: u.origin });
  broadcast(s, ctx, node, u, `user:${u.key}`);
}

function userState(s: SwimState, node: number): UserUpdate[] {
  const out: UserUpdate[] = [];
  for (const k of s.users.values()) {
    const i = k.held[node]!;
    if (i >= 0) out.push(k.entries[i]!);
  }
  return out;
}

// ---- helpers -----------------------------------------------------------------------------

function statusOf(s: SwimState, node: number, member: number): Status | -1 {
  const key = s.view.get(node, member);
  return key === UNKNOWN ? -1 : keyStatus(key);
}

function setView(s: SwimState, node: number, member: number, key: number): void {
  if (s.view.get(node, member) === UNKNOWN && key !== UNKNOWN) {
    s.known[node]!++;
    s.knownBytes[node]! += s.stateBytes[member]!;
  }
  s.view.set(node, member, key);
}

function broadcast(s: SwimState, ctx: Ctx, node: number, u: Update, name: string): void {
  enqueue(s, node, u, name);
  scheduleGossip(s, node, ctx);
}

/** Sends with as many queued updates piggybacked as fit in a UDP packet (memberlist sendMsg). */
function send(s: SwimState, ctx: Ctx, node: number, to: string, msg: SwimMessage, first: Update | null = null): void {
  if (msg.type === "push-pull" || msg.type === "reconnect") { ctx.send(s.names[node]!, to, msg); return; }
  let updates = takeBroadcasts(s, node, s.params.udpBufferSize - messageSize(msg) - PACKET_OVERHEAD);
  if (first) updates = [first, ...updates];
  ctx.send(s.names[node]!, to, updates.length === 0 ? msg : { ...msg, updates });
}

/** memberlist kRandomNodes: up to k distinct members passing `ok`, by random draws (3n tries at most). */
function randomMembers(s: SwimState, node: number, k: number, rng: RandomSource, ok: (j: number) => boolean): number[] {
  const out: number[] = [];
  const n = s.size;
  for (let tries = 0; tries < 3 * n && out.length < k; tries++) {
    const j = Math.floor(rng.next() * n);
    if (j === node || out.includes(j)) continue;
    if (ok(j)) out.push(j);
  }
  return out;
}

function rec(s: SwimState, ctx: Ctx, node: number, data: Record<string, unknown>): void {
  if (s.records) ctx.record(s.names[node]!, data);
}
