import { applyNetAction, linkKey, type Endpoint, type LinkParams, type NetAction, type NetState, type NodeId } from "./network.js";
import { DROP_REASONS, type DropReason, type TraceLog } from "./trace.js";
import type { Counters, InFlight, Message, Route } from "./model.js";
import type { EventLoop } from "./loop.js";
import type { Rng } from "./rng.js";
import type { Micros } from "./time.js";

/**
 * Between two endpoints on one host a message crosses a bridge, not the wire: no link rules, no
 * loss, and a small fixed latency (a veth and a bridge cost microseconds, not milliseconds).
 */
export const LOCAL_LATENCY_US = 50;

/** The transport's part of a snapshot. */
export interface TransportSlice {
  net: NetState;
  /** Id of the last message sent. */
  msgSeq: number;
  /** Messages waiting on held links, in send order. */
  held: InFlight[];
  /** Latest arrival per FIFO link, keyed by node indices (from * 2^20 + to). */
  lastArrival: Map<number, Micros>;
  /** Ids of messages the user dropped in flight. */
  userDropped: Set<number>;
  counters: Counters;
}

/**
 * Saving and restoring both copy through here, so the slice's fields are listed once. Arrivals
 * at or before `after` can never hold a later message back, so a save leaves them out.
 */
function copySlice(s: TransportSlice, after: Micros): TransportSlice {
  const lastArrival = new Map<number, Micros>();
  for (const [k, v] of s.lastArrival) if (v > after) lastArrival.set(k, v);
  const c = s.counters;
  return {
    net: s.net,
    msgSeq: s.msgSeq,
    held: [...s.held],
    lastArrival,
    userDropped: new Set(s.userDropped),
    counters: { ...c, dropped: { ...c.dropped }, sentBy: [...c.sentBy], bytesBy: [...c.bytesBy], receivedBy: [...c.receivedBy] },
  };
}

export function newCounters(nodes: number): Counters {
  const dropped = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;
  const zeros = () => new Array<number>(nodes).fill(0);
  return { sent: 0, delivered: 0, duplicated: 0, dropped, sentBy: zeros(), bytesBy: zeros(), receivedBy: zeros() };
}

/** One end of a message: the host it sits on and the hops between it and the host. */
interface End {
  readonly host: NodeId;
  readonly hops: readonly string[];
  readonly endpoint: Endpoint | null;
}

const NO_HOPS: readonly string[] = [];

/**
 * The simulated network's delivery: latency, loss, duplication, FIFO links, partitions, cuts,
 * held links, crashes (by epoch), and endpoints below hosts. It decides what arrives and traces
 * every send, delivery and drop; the model is the Simulation's business.
 */
export class Transport implements TransportSlice {
  net: NetState;
  msgSeq = 0;
  held: InFlight[] = [];
  lastArrival = new Map<number, Micros>();
  userDropped = new Set<number>();
  counters: Counters;
  /** Lookups derived from net, rebuilt when it changes (never on the per-message path). */
  private nodeIndex = new Map<NodeId, number>();
  private groupOf: Map<NodeId, number> | null = null;
  private cutSet: Set<string> | null = null;
  private hasEndpoints = false;

  constructor(net: NetState, private readonly loop: EventLoop, private readonly trace: TraceLog, private readonly rng: Rng) {
    this.net = net;
    this.counters = newCounters(net.nodes.length);
    this.indexNet();
  }

  save(): TransportSlice {
    return copySlice(this, this.loop.now);
  }

  load(saved: TransportSlice): void {
    Object.assign(this, copySlice(saved, -Infinity));
    this.indexNet();
  }

  /**
   * Applies a kernel action to the network and to the messages it touches. Returns the network
   * as it was before, for the model's crash/restart hooks.
   */
  apply(action: NetAction): NetState {
    const before = this.net;
    if (action.type === "dropMessage") {
      this.userDropped.add(action.id);
      return before;
    }
    this.net = applyNetAction(before, action);
    this.indexNet();
    switch (action.type) {
      case "crash":
        if (before.up[action.node]) {
          // Held messages to or from the crashed node die with it.
          this.held = this.held.filter((m) => {
            if (fromHost(m) !== action.node && toHost(m) !== action.node) return true;
            this.drop(m, "crashed", action.node);
            return false;
          });
        }
        break;
      case "addNode":
        this.counters.sentBy.push(0);
        this.counters.bytesBy.push(0);
        this.counters.receivedBy.push(0);
        break;
      case "release":
        this.releaseHeld((k) => k === linkKey(action.from, action.to), action.drop === true);
        break;
      case "heal":
        this.releaseHeld(() => true, false);
        break;
    }
    return before;
  }

  send(from: NodeId, to: NodeId, msg: Message, size: number): void {
    freezeDeep(msg);
    const net = this.net;
    if (this.hasEndpoints && (net.up[from] === undefined || net.up[to] === undefined)) {
      const src = this.end(from);
      const dst = this.end(to);
      if (src && (src.endpoint || dst?.endpoint)) return this.sendRouted(from, to, src, dst, msg, size);
    }
    const id = ++this.msgSeq;
    const now = this.loop.now;
    const fi = this.nodeIndex.get(from) ?? -1;
    const c = this.counters;
    c.sent++;
    if (fi >= 0) { c.sentBy[fi]!++; c.bytesBy[fi]! += size; }
    if (this.trace.on) this.trace.push({ t: now, type: "send", id, from, to, at: now, msg });
    if (!net.up[from] || net.up[to] === undefined) return this.dropped(id, from, to, "crashed");
    if (!this.linkOpen(from, to)) return this.dropped(id, from, to, "partition");
    const link = this.linkParams(from, to);
    const rng = this.rng;
    if (rng.chance(link.loss)) return this.dropped(id, from, to, "loss");
    const fromEpoch = net.epoch[from] ?? 0;
    const toEpoch = net.epoch[to] ?? 0;
    if (net.held.length > 0 && net.held.includes(linkKey(from, to))) {
      this.held.push({ id, from, to, msg, sentAt: now, deliverAt: now, size, fromEpoch, toEpoch });
      if (this.trace.on) this.trace.push({ t: now, type: "hold", id, from, to });
      return;
    }
    // One object per message on the common path (the per-message cost at 10,000 members).
    this.enqueue({ id, from, to, msg, sentAt: now, deliverAt: this.arrival(from, to, now, link), size, fromEpoch, toEpoch });
    if (rng.chance(link.duplicate)) {
      c.duplicated++;
      this.enqueue({ id, from, to, msg, sentAt: now, deliverAt: this.arrival(from, to, now, link), size, fromEpoch, toEpoch });
    }
  }

  /**
   * True when the message arrives now (counted and traced); false when it is dropped. The
   * caller hands an arriving message to the model.
   */
  arrive(m: InFlight): boolean {
    if (m.route !== undefined) return this.arriveRouted(m, m.route);
    const net = this.net;
    if (this.userDropped.size > 0 && this.userDropped.has(m.id)) return this.dropped(m.id, m.from, m.to, "user"), false;
    if (!net.up[m.to] || net.epoch[m.to] !== m.toEpoch || net.epoch[m.from] !== m.fromEpoch) return this.dropped(m.id, m.from, m.to, "crashed"), false;
    if (!this.linkOpen(m.from, m.to)) return this.dropped(m.id, m.from, m.to, "partition"), false;
    const c = this.counters;
    c.delivered++;
    const ti = this.nodeIndex.get(m.to) ?? -1;
    if (ti >= 0) c.receivedBy[ti]!++;
    if (this.trace.on) this.trace.push({ t: this.loop.now, type: "deliver", id: m.id, from: m.from, to: m.to });
    return true;
  }

  // ---- endpoints ---------------------------------------------------------------------------

  /** A node is its own host with no hops; an endpoint sits below its host; anything else is unknown. */
  private end(id: string): End | null {
    const net = this.net;
    const endpoint = net.endpoints.get(id);
    if (endpoint !== undefined) {
      return { host: endpoint.host, hops: endpoint.path, endpoint };
    }
    return Object.hasOwn(net.up, id) ? { host: id, hops: NO_HOPS, endpoint: null } : null;
  }

  /** A message with an endpoint at one end or both: the wire between hosts keeps today's rules. */
  private sendRouted(from: string, to: string, src: End, dst: End | null, msg: Message, size: number): void {
    const net = this.net;
    const id = ++this.msgSeq;
    const now = this.loop.now;
    const c = this.counters;
    const fi = this.nodeIndex.get(src.host)!;
    c.sent++;
    c.sentBy[fi]!++;
    c.bytesBy[fi]! += size;
    const cross = dst !== null && dst.host !== src.host;
    const path = [...src.hops, src.host];
    if (dst) {
      if (cross) path.push("wire", dst.host);
      for (let i = dst.hops.length - 1; i >= 0; i--) path.push(dst.hops[i]!);
    }
    if (this.trace.on) this.trace.push({ t: now, type: "send", id, from, to, at: now, msg, path });
    // A crashed host takes its endpoints with it; a down interface sends nothing.
    if (!net.up[src.host]) return this.dropped(id, from, to, "crashed", src.host);
    if (src.endpoint && !src.endpoint.up) return this.dropped(id, from, to, "unreachable", src.hops[0]);
    // No such address: the sending host has no route for it.
    if (!dst) return this.dropped(id, from, to, "unreachable", src.host);
    const route: Route = { fromHost: src.host, toHost: dst.host, path };
    const fromEpoch = net.epoch[src.host]!;
    const toEpoch = net.epoch[dst.host]!;
    if (!cross) {
      this.enqueue({ id, from, to, msg, sentAt: now, deliverAt: now + LOCAL_LATENCY_US, size, fromEpoch, toEpoch, route });
      return;
    }
    if (!this.linkOpen(src.host, dst.host)) return this.dropped(id, from, to, "partition", "wire");
    const link = this.linkParams(src.host, dst.host);
    if (this.rng.chance(link.loss)) return this.dropped(id, from, to, "loss", "wire");
    if (net.held.length > 0 && net.held.includes(linkKey(src.host, dst.host))) {
      this.held.push({ id, from, to, msg, sentAt: now, deliverAt: now, size, fromEpoch, toEpoch, route });
      if (this.trace.on) this.trace.push({ t: now, type: "hold", id, from, to });
      return;
    }
    this.enqueue({ id, from, to, msg, sentAt: now, deliverAt: this.arrival(src.host, dst.host, now, link), size, fromEpoch, toEpoch, route });
    if (this.rng.chance(link.duplicate)) {
      c.duplicated++;
      this.enqueue({ id, from, to, msg, sentAt: now, deliverAt: this.arrival(src.host, dst.host, now, link), size, fromEpoch, toEpoch, route });
    }
  }

  private arriveRouted(m: InFlight, r: Route): boolean {
    const net = this.net;
    const cross = r.fromHost !== r.toHost;
    if (this.userDropped.size > 0 && this.userDropped.has(m.id)) return this.drop(m, "user", cross ? "wire" : r.toHost), false;
    if (!net.up[r.toHost] || net.epoch[r.toHost] !== m.toEpoch) return this.drop(m, "crashed", r.toHost), false;
    if (net.epoch[r.fromHost] !== m.fromEpoch) return this.drop(m, "crashed", r.fromHost), false;
    if (cross && !this.linkOpen(r.fromHost, r.toHost)) return this.drop(m, "partition", "wire"), false;
    if (m.to !== r.toHost) {
      // The receiving endpoint must still be attached to the same host, and up. Its own
      // interface is the last hop of the path.
      const ep = net.endpoints.get(m.to) ?? null;
      if (!ep || !ep.up || ep.host !== r.toHost) return this.drop(m, "unreachable", r.path[r.path.length - 1]!), false;
    }
    const c = this.counters;
    c.delivered++;
    c.receivedBy[this.nodeIndex.get(r.toHost)!]!++;
    if (this.trace.on) this.trace.push({ t: this.loop.now, type: "deliver", id: m.id, from: m.from, to: m.to });
    return true;
  }

  // ---- links -------------------------------------------------------------------------------

  private releaseHeld(match: (key: string) => boolean, drop: boolean): void {
    const keep: InFlight[] = [];
    for (const m of this.held) {
      const from = fromHost(m);
      const to = toHost(m);
      if (!match(linkKey(from, to))) keep.push(m);
      else if (drop) this.drop(m, "held", "wire");
      else this.enqueue({ ...m, deliverAt: this.arrival(from, to, this.loop.now) });
    }
    this.held = keep;
  }

  /** Arrival time over a link: uniform latency; FIFO links never let a message overtake. */
  private arrival(from: NodeId, to: NodeId, sentAt: Micros, link = this.linkParams(from, to)): Micros {
    const [lo, hi] = link.latency;
    let at = sentAt + (hi > lo ? this.rng.int(lo, hi) : lo);
    if (!link.reorder) {
      // A numeric key (node indices; up to 2^20 nodes) keeps string building off this path.
      const key = (this.nodeIndex.get(from) ?? 0) * 1_048_576 + (this.nodeIndex.get(to) ?? 0);
      const last = this.lastArrival.get(key);
      if (last !== undefined && last > at) at = last;
      this.lastArrival.set(key, at);
    }
    return at;
  }

  private enqueue(m: InFlight): void {
    this.loop.queue.push(m.deliverAt, { k: 0, m });
  }

  private linkParams(from: NodeId, to: NodeId): LinkParams {
    const links = this.net.links;
    for (const _ in links) return links[linkKey(from, to)] ?? this.net.link;
    return this.net.link;
  }

  private linkOpen(from: NodeId, to: NodeId): boolean {
    if (this.cutSet && this.cutSet.has(linkKey(from, to))) return false;
    const groupOf = this.groupOf;
    return !groupOf || groupOf.get(from) === groupOf.get(to);
  }

  private indexNet(): void {
    const net = this.net;
    if (this.nodeIndex.size !== net.nodes.length) {
      this.nodeIndex = new Map(net.nodes.map((n, i) => [n, i]));
    }
    this.cutSet = net.cuts.length > 0 ? new Set(net.cuts) : null;
    if (!net.groups) this.groupOf = null;
    else {
      const groupOf = new Map<NodeId, number>();
      net.groups.forEach((g, i) => { for (const n of g) groupOf.set(n, i); });
      this.groupOf = groupOf;
    }
    this.hasEndpoints = net.endpoints.size > 0;
  }

  /** Drops a message that was in flight or held; `hop` is named only for a routed message. */
  private drop(m: InFlight, reason: DropReason, hop: string): void {
    this.dropped(m.id, m.from, m.to, reason, m.route ? hop : undefined);
  }

  private dropped(id: number, from: NodeId, to: NodeId, reason: DropReason, hop?: string): void {
    this.counters.dropped[reason]++;
    if (!this.trace.on) return;
    // A plain message's drop record keeps its old shape (no hop), so golden hashes hold.
    if (hop === undefined) this.trace.push({ t: this.loop.now, type: "drop", id, from, to, reason });
    else this.trace.push({ t: this.loop.now, type: "drop", id, from, to, reason, hop });
  }
}

const fromHost = (m: InFlight): NodeId => m.route?.fromHost ?? m.from;
const toHost = (m: InFlight): NodeId => m.route?.toHost ?? m.to;

/**
 * Freezes a message (or timer data, or a state record) and everything reachable from it, when it
 * is sent: the trace hashes records lazily and the visualiser reads them later, so a model that
 * changed a message after sending it would change the run's hash. A typed array cannot be frozen
 * (the language forbids it); a model must not reuse one it has sent. Frozen values (shared
 * entries, NO_UPDATES) are skipped, so each object is frozen once.
 */
export function freezeDeep(value: unknown): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value) || ArrayBuffer.isView(value)) return;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) freezeDeep(value[i]);
    return;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) { freezeDeep(k); freezeDeep(v); }
    return;
  }
  if (value instanceof Set) {
    for (const v of value) freezeDeep(v);
    return;
  }
  for (const k in value) freezeDeep((value as Record<string, unknown>)[k]);
}

