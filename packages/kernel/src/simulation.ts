import { DrydockError } from "./errors.js";
import { EventQueue } from "./queue.js";
import { Rng, type RngState } from "./rng.js";
import { formatDuration, parseDuration, type Duration, type Micros } from "./time.js";
import { TraceHasher, canonicalHash, type DropReason, type TraceRecord } from "./trace.js";
import {
  applyNetAction, createNetState, isNetAction, linkKey, validateNetAction,
  type LinkParams, type NetState, type NodeId,
} from "./network.js";
import type {
  Action, Counters, HistoryInfo, InFlight, LoggedAction, Message, Model, ModelAction, Session, SimContext, SimulationConfig,
} from "./model.js";

export type {
  Action, Counters, HistoryInfo, InFlight, LoggedAction, Message, Model, ModelAction, ScheduledAction, Session, SimContext,
  SimulationConfig,
} from "./model.js";

type QueueItem =
  | { readonly k: 0; readonly m: InFlight } // delivery
  | { readonly k: 1; readonly node: NodeId; readonly epoch: number; readonly name: string; readonly data: unknown } // timer
  | { readonly k: 2; readonly action: Action }; // scheduled action

interface Snapshot {
  readonly eventCount: number;
  readonly now: Micros;
  /** Time of the last event or action (now may be later: runUntil moves the clock on). */
  readonly eventAt: Micros;
  readonly queue: EventQueue<QueueItem>;
  readonly rng: ReadonlyMap<string, RngState>;
  readonly net: NetState;
  readonly model: unknown;
  readonly traceLength: number;
  readonly msgSeq: number;
  readonly held: readonly InFlight[];
  readonly lastArrival: ReadonlyMap<number, Micros>;
  readonly userDropped: ReadonlySet<number>;
  readonly counters: Counters;
  readonly sameInstant: number;
}

const EMPTY_DROPS = (): Record<DropReason, number> => ({ partition: 0, loss: 0, crashed: 0, held: 0, user: 0 });

/**
 * A deterministic discrete-event simulation: virtual time, an event queue ordered by (time,
 * sequence), seeded streams, a simulated network with faults, a trace, and time travel.
 * The state after n events is a function of (seed, configuration, action log) alone.
 */
export class Simulation<S, M extends Message = Message, A extends ModelAction = ModelAction> {
  readonly seed: string;
  readonly model: Model<S, M, A>;
  private readonly config: SimulationConfig<S, M, A>;
  private readonly traceOn: boolean;
  private readonly historyMax: number;
  private readonly perInstantMax: number;

  private _now: Micros = 0;
  private _events = 0;
  private lastEventAt: Micros = 0;
  private _state!: S;
  private _net!: NetState;
  private queue = new EventQueue<QueueItem>();
  private readonly root: Rng;
  private readonly streams = new Map<string, Rng>();
  private _trace: TraceRecord[] = [];
  /**
   * The longest trace this session has recorded (the timeline's horizon). After a seek back it
   * still holds the future, which is valid until a fork, so a seek forward can restore a later
   * snapshot and take its trace prefix from here instead of replaying.
   */
  private recorded: TraceRecord[] = this._trace;
  private hasher: TraceHasher | null = null;
  private msgSeq = 0;
  private held: InFlight[] = [];
  private lastArrival = new Map<number, Micros>();
  private readonly netRng: Rng;
  private userDropped = new Set<number>();
  private _counters: Counters;
  private sameInstant = 0;
  /** Lookups derived from _net, rebuilt when it changes (never on the per-message path). */
  private nodeIndex = new Map<NodeId, number>();
  private groupOf: Map<NodeId, number> | null = null;
  private cutSet: Set<string> | null = null;

  private actions: LoggedAction<A>[] = [];
  private cursor = 0;
  private snapshots: Snapshot[] = [];
  private snapshotEveryUs: Micros;
  private nextSnapshotAt: Micros;
  private horizonUs: Micros = 0;
  private horizonEvents = 0;
  private readonly ctx: SimContext<M>;

  constructor(config: SimulationConfig<S, M, A>) {
    this.config = config;
    this.seed = String(config.seed);
    this.model = config.model;
    this.traceOn = config.trace ?? true;
    this.historyMax = Math.max(2, config.historyMax ?? 256);
    this.perInstantMax = config.eventsPerInstantMax ?? 1_000_000;
    this.snapshotEveryUs = parseDuration(config.snapshotEvery ?? "1s");
    if (this.snapshotEveryUs <= 0) throw new DrydockError("EDURATION", "snapshotEvery must be positive");
    this.nextSnapshotAt = this.snapshotEveryUs;
    this.root = new Rng(this.seed);
    this.netRng = this.rng("net");
    this._net = createNetState(config.nodes, config.network);
    this.indexNet();
    this._counters = {
      sent: 0, delivered: 0, duplicated: 0, dropped: EMPTY_DROPS(),
      sentBy: config.nodes.map(() => 0), bytesBy: config.nodes.map(() => 0), receivedBy: config.nodes.map(() => 0),
    };
    if (this.traceOn) this.hasher = new TraceHasher();
    const sim = this;
    this.ctx = {
      get now() { return sim._now; },
      get net() { return sim._net; },
      rng: (name) => this.rng(name),
      send: (from, to, msg) => this.send(from, to, msg),
      setTimer: (node, at, name, data) => this.setTimer(node, at, name, data),
      record: (node, data) => { if (this.traceOn) this.push({ t: this._now, type: "state", node, data }); },
      isUp: (node) => this._net.up[node] === true,
    };
    // Validate the schedule's faults before anything runs: a bad record leaves nothing created.
    // A model action depends on the state when it comes due (a proposal needs a leader then), so
    // it is checked at that time, and one that cannot be taken is traced as rejected.
    const schedule = (config.schedule ?? []).map((s) => ({ at: parseDuration(s.at), action: s.action }));
    for (const s of schedule) {
      if (isNetAction(s.action as Action)) this.validate(s.action);
      else if (!this.model.action) throw new DrydockError("EACTION", `unknown action "${s.action.type}"`);
    }
    this._state = this.model.init(this.ctx);
    for (const s of schedule) this.queue.push(s.at, { k: 2, action: s.action });
    this.takeSnapshot();
  }

  // ---- reading ---------------------------------------------------------------------------

  get now(): Micros { return this._now; }
  /** Events processed so far (deliveries, drops, timers, actions). */
  get eventCount(): number { return this._events; }
  get state(): S { return this._state; }
  get net(): NetState { return this._net; }
  get trace(): readonly TraceRecord[] { return this._trace; }
  get counters(): Readonly<Counters> { return this._counters; }
  get actionLog(): readonly LoggedAction<A>[] { return this.actions; }
  get pendingEvents(): number { return this.queue.size; }
  /** Time of the next event, or Infinity. */
  get nextEventTime(): Micros { return this.queue.peekTime(); }

  history(): HistoryInfo {
    return {
      snapshots: this.snapshots.length,
      snapshotEveryUs: this.snapshotEveryUs,
      historyMax: this.historyMax,
      horizonUs: Math.max(this.horizonUs, this._now),
      horizonEvents: Math.max(this.horizonEvents, this._events),
    };
  }

  /** Messages on the wire now, earliest delivery first (held messages are listed separately). */
  inFlight(): InFlight<M>[] {
    const out: InFlight<M>[] = [];
    for (const { item } of this.queue.toArray()) if (item.k === 0) out.push(item.m as InFlight<M>);
    return out;
  }

  heldMessages(): readonly InFlight<M>[] {
    return this.held as InFlight<M>[];
  }

  rng(name: string): Rng {
    let r = this.streams.get(name);
    if (!r) {
      r = this.root.fork(name);
      this.streams.set(name, r);
    }
    return r;
  }

  /** sha256 of the trace so far: identifies the run. */
  traceHash(): string {
    if (!this.hasher) throw new DrydockError("ETRACE", "this simulation was created with trace: false");
    this.catchUpHash();
    return this.hasher.hex();
  }

  /** sha256 of everything a fresh run would also have at this point. */
  stateHash(): string {
    return canonicalHash({
      now: this._now,
      events: this._events,
      net: this._net,
      model: this.model.describe ? this.model.describe(this._state) : this._state,
      trace: this.hasher ? this.traceHash() : this._trace.length,
      pending: this.queue.size,
      counters: this._counters,
    });
  }

  session(): Session<A> {
    return { version: 1, seed: this.seed, actions: this.actions.map((a) => ({ ...a })) };
  }

  // ---- running ---------------------------------------------------------------------------

  /** Processes one event (or the logged action due now). False when nothing is left. */
  step(): boolean {
    return this.stepUntil(Infinity);
  }

  /** Processes every event at or before `until`; then the clock reads `until`. */
  runUntil(until: Duration): void {
    const target = parseDuration(until);
    while (this.stepUntil(target)) { /* one event per turn */ }
    if (target > this._now) this._now = target;
    this.noteHorizon();
  }

  runFor(duration: Duration): void {
    this.runUntil(this._now + parseDuration(duration));
  }

  /**
   * Takes a user action now: validated first (a bad action throws and changes nothing), then
   * logged and applied. Acting after seeking back forks a new future from this instant.
   */
  act(input: Action<A>): void {
    this.validate(input);
    // The log keeps its own JSON copy: a caller that reuses or mutates its action object later
    // cannot rewrite history, and the live run sees exactly what a replayed session will.
    const action = JSON.parse(JSON.stringify(input)) as Action<A>;
    this.fork();
    const logged: LoggedAction<A> = { index: this._events, at: this._now, action };
    this.actions.push(logged);
    this.cursor = this.actions.length;
    this._events++;
    this.lastEventAt = this._now;
    this.apply(action, false);
    this.noteHorizon();
  }

  /** Exactly the state a fresh run would have after every event at or before t. */
  seek(t: Duration): void {
    const target = parseDuration(t);
    this.noteHorizon();
    const snap = this.findSnapshot((s) => s.now <= target);
    if (target < this._now || this.canJumpTo(snap)) this.restore(snap);
    this.runUntil(target);
  }

  /** Exactly the state a fresh run would have after n events (step back = seekEvent(n - 1)). */
  seekEvent(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new DrydockError("ESEEK", `invalid event number ${n}`);
    this.noteHorizon();
    const snap = this.findSnapshot((s) => s.eventCount <= n);
    if (n < this._events || this.canJumpTo(snap)) this.restore(snap);
    while (this._events < n && this.stepUntil(Infinity)) { /* replay */ }
    // A fresh run of n events reads the clock at the n-th event, even if this position was
    // reached by a runUntil (or a snapshot taken after one) that moved the clock further.
    this._now = this.lastEventAt;
  }

  /** Loads a session's logged actions into a fresh simulation; they apply as the run reaches them. */
  loadActions(actions: readonly LoggedAction<A>[]): void {
    if (this._events !== 0) throw new DrydockError("ESESSION", "a session's actions load into a fresh simulation only");
    // Every action is itself an event, so indices strictly increase (two actions at one index
    // could never both apply: the first moves the count on) and times never go back.
    let last = -1;
    let lastAt = 0;
    for (const a of actions) {
      if (!Number.isInteger(a.index) || a.index <= last || typeof a.at !== "number" || !(a.at >= lastAt)
        || a.action === null || typeof a.action !== "object" || typeof a.action.type !== "string") {
        throw new DrydockError("ESESSION", `session action out of order or malformed at event ${a.index}`);
      }
      last = a.index;
      lastAt = a.at;
    }
    this.actions = actions.map((a) => ({ ...a }));
    this.cursor = 0;
  }

  // ---- internals -------------------------------------------------------------------------

  private validate(action: Action<A>): void {
    if (action === null || typeof action !== "object" || typeof action.type !== "string") {
      throw new DrydockError("EACTION", `invalid action ${JSON.stringify(action)}`);
    }
    if (isNetAction(action)) validateNetAction(this._net, action);
    else if (!this.model.action) throw new DrydockError("EACTION", `unknown action "${action.type}"`);
    else this.model.validate?.(this._state, action as A, this._net);
  }

  /** A snapshot ahead of the current position whose trace prefix is known (no fork since). */
  private canJumpTo(s: Snapshot): boolean {
    return s.eventCount > this._events && (!this.traceOn || this.recorded.length >= s.traceLength);
  }

  /** Drops the logged future and the history beyond now, before a new action is logged. */
  private fork(): void {
    this.recorded = this._trace;
    if (this.cursor < this.actions.length) this.actions.length = this.cursor;
    while (this.snapshots.length > 1 && this.snapshots[this.snapshots.length - 1]!.eventCount > this._events) this.snapshots.pop();
    this.horizonUs = this._now;
    this.horizonEvents = this._events;
  }

  private noteHorizon(): void {
    if (this._events >= this.horizonEvents) {
      this.horizonEvents = this._events;
      this.horizonUs = Math.max(this.horizonUs, this._now);
    }
  }

  private stepUntil(target: Micros): boolean {
    const next = this.actions[this.cursor];
    if (next && next.index === this._events && next.at <= target) {
      this.validate(next.action);
      this.cursor++;
      this.maybeSnapshot(next.at);
      if (next.at > this._now) this._now = next.at;
      this._events++;
      this.lastEventAt = this._now;
      this.apply(next.action, false);
      return true;
    }
    const t = this.queue.peekTime();
    if (t > target) return false;
    this.maybeSnapshot(t);
    const item = this.queue.pop()!;
    if (t === this._now) {
      if (++this.sameInstant > this.perInstantMax) {
        throw new DrydockError("ELIVELOCK", `more than ${this.perInstantMax} events at ${formatDuration(t)}: the model never lets time pass`);
      }
    } else {
      this.sameInstant = 0;
      this._now = t;
    }
    this._events++;
    this.lastEventAt = t;
    switch (item.k) {
      case 0: this.deliver(item.m); break;
      case 1:
        if (this._net.epoch[item.node] === item.epoch && this._net.up[item.node]) {
          if (this.traceOn) this.push({ t, type: "timer", node: item.node, name: item.name });
          this._state = this.model.timer(this._state, item.node, item.name, item.data, this.ctx);
        }
        break;
      case 2: this.applyScheduled(item.action as Action<A>); break;
    }
    return true;
  }

  private applyScheduled(action: Action<A>): void {
    if (!isNetAction(action)) {
      try {
        this.model.validate?.(this._state, action as A, this._net);
      } catch (e) {
        if (!(e instanceof DrydockError)) throw e;
        if (this.traceOn) this.push({ t: this._now, type: "state", node: null, data: { event: "rejected", action, code: e.code, reason: e.message } });
        return;
      }
    }
    this.apply(action, true);
  }

  private apply(action: Action<A>, scheduled: boolean): void {
    if (this.traceOn) this.push({ t: this._now, type: "action", action, scheduled });
    if (!isNetAction(action)) {
      this._state = this.model.action!(this._state, action as A, this.ctx);
      return;
    }
    const before = this._net;
    if (action.type === "dropMessage") {
      this.userDropped.add(action.id);
      return;
    }
    this._net = applyNetAction(before, action);
    this.indexNet();
    switch (action.type) {
      case "crash":
        if (before.up[action.node]) {
          // Held messages to or from the crashed node die with it.
          this.held = this.held.filter((m) => {
            if (m.from !== action.node && m.to !== action.node) return true;
            this.dropped(m.id, m.from, m.to, "crashed");
            return false;
          });
          if (this.model.crash) this._state = this.model.crash(this._state, action.node, this.ctx);
        }
        break;
      case "restart":
        if (!before.up[action.node] && this.model.restart) this._state = this.model.restart(this._state, action.node, this.ctx);
        break;
      case "addNode":
        this._counters.sentBy.push(0);
        this._counters.bytesBy.push(0);
        this._counters.receivedBy.push(0);
        if (this.model.addNode) this._state = this.model.addNode(this._state, action.node, this.ctx);
        break;
      case "release":
        this.releaseHeld((k) => k === linkKey(action.from, action.to), action.drop === true);
        break;
      case "heal":
        this.releaseHeld(() => true, false);
        break;
    }
  }

  private releaseHeld(match: (key: string) => boolean, drop: boolean): void {
    const keep: InFlight[] = [];
    for (const m of this.held) {
      if (!match(linkKey(m.from, m.to))) keep.push(m);
      else if (drop) this.dropped(m.id, m.from, m.to, "held");
      else this.enqueue({ ...m, deliverAt: this.arrival(m.from, m.to, this._now) });
    }
    this.held = keep;
  }

  private send(from: NodeId, to: NodeId, msg: M): void {
    const net = this._net;
    const id = ++this.msgSeq;
    const now = this._now;
    const size = this.model.size ? this.model.size(msg) : 0;
    const fi = this.nodeIndex.get(from) ?? -1;
    const c = this._counters;
    c.sent++;
    if (fi >= 0) { c.sentBy[fi]!++; c.bytesBy[fi]! += size; }
    if (this.traceOn) this.push({ t: now, type: "send", id, from, to, at: now, msg });
    if (!net.up[from] || net.up[to] === undefined) return this.dropped(id, from, to, "crashed");
    if (!this.linkOpen(from, to)) return this.dropped(id, from, to, "partition");
    const link = this.linkParams(from, to);
    const rng = this.netRng;
    if (rng.chance(link.loss)) return this.dropped(id, from, to, "loss");
    const fromEpoch = net.epoch[from] ?? 0;
    const toEpoch = net.epoch[to] ?? 0;
    if (net.held.length > 0 && net.held.includes(linkKey(from, to))) {
      this.held.push({ id, from, to, msg, sentAt: now, deliverAt: now, size, fromEpoch, toEpoch });
      if (this.traceOn) this.push({ t: now, type: "hold", id, from, to });
      return;
    }
    // One object per message on the common path (the per-message cost at 10,000 members).
    this.enqueue({ id, from, to, msg, sentAt: now, deliverAt: this.arrival(from, to, now, link), size, fromEpoch, toEpoch });
    if (rng.chance(link.duplicate)) {
      c.duplicated++;
      this.enqueue({ id, from, to, msg, sentAt: now, deliverAt: this.arrival(from, to, now, link), size, fromEpoch, toEpoch });
    }
  }

  /** Arrival time over a link: uniform latency; FIFO links never let a message overtake. */
  private arrival(from: NodeId, to: NodeId, sentAt: Micros, link = this.linkParams(from, to)): Micros {
    const [lo, hi] = link.latency;
    let at = sentAt + (hi > lo ? this.netRng.int(lo, hi) : lo);
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
    this.queue.push(m.deliverAt, { k: 0, m });
  }

  private linkParams(from: NodeId, to: NodeId): LinkParams {
    const links = this._net.links;
    for (const _ in links) return links[linkKey(from, to)] ?? this._net.link;
    return this._net.link;
  }

  private linkOpen(from: NodeId, to: NodeId): boolean {
    if (this.cutSet && this.cutSet.has(linkKey(from, to))) return false;
    const groupOf = this.groupOf;
    return !groupOf || groupOf.get(from) === groupOf.get(to);
  }

  private indexNet(): void {
    const net = this._net;
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
  }

  private deliver(m: InFlight): void {
    const net = this._net;
    if (this.userDropped.size > 0 && this.userDropped.has(m.id)) return this.dropped(m.id, m.from, m.to, "user");
    if (!net.up[m.to] || net.epoch[m.to] !== m.toEpoch || net.epoch[m.from] !== m.fromEpoch) return this.dropped(m.id, m.from, m.to, "crashed");
    if (!this.linkOpen(m.from, m.to)) return this.dropped(m.id, m.from, m.to, "partition");
    const c = this._counters;
    c.delivered++;
    const ti = this.nodeIndex.get(m.to) ?? -1;
    if (ti >= 0) c.receivedBy[ti]!++;
    if (this.traceOn) this.push({ t: this._now, type: "deliver", id: m.id, from: m.from, to: m.to });
    this._state = this.model.deliver(this._state, m.msg as M, m.from, m.to, this.ctx);
  }

  private dropped(id: number, from: NodeId, to: NodeId, reason: DropReason): void {
    this._counters.dropped[reason]++;
    if (this.traceOn) this.push({ t: this._now, type: "drop", id, from, to, reason });
  }

  private setTimer(node: NodeId, at: Micros, name: string, data?: unknown): void {
    if (!Number.isFinite(at)) throw new DrydockError("ETIMER", `timer "${name}" for ${node} at ${at}: not a time`);
    const epoch = this._net.epoch[node];
    if (epoch === undefined) throw new DrydockError("ENODE", `timer for unknown node "${node}"`);
    this.queue.push(Math.max(at, this._now), { k: 1, node, epoch, name, data });
  }

  private push(r: TraceRecord): void {
    this._trace.push(r);
  }

  private catchUpHash(): void {
    this.hasher!.catchUp(this._trace);
  }

  // ---- snapshots -------------------------------------------------------------------------

  private maybeSnapshot(nextTime: Micros): void {
    if (nextTime < this.nextSnapshotAt) return;
    this.takeSnapshot();
    const every = this.snapshotEveryUs;
    this.nextSnapshotAt = (Math.floor(nextTime / every) + 1) * every;
  }

  private takeSnapshot(): void {
    const list = this.snapshots;
    // Already taken on an earlier pass over this stretch of the same history.
    const at = this.indexAfter(this._events);
    if (at > 0 && list[at - 1]!.eventCount === this._events) return;
    const rng = new Map<string, RngState>();
    for (const [name, r] of this.streams) rng.set(name, r.getState());
    const lastArrival = new Map<number, Micros>();
    for (const [k, v] of this.lastArrival) if (v > this._now) lastArrival.set(k, v);
    const c = this._counters;
    const snap: Snapshot = {
      eventCount: this._events,
      now: this._now,
      eventAt: this.lastEventAt,
      queue: this.queue.clone(),
      rng,
      net: this._net,
      model: this.model.save ? this.model.save(this._state) : this._state,
      traceLength: this._trace.length,
      msgSeq: this.msgSeq,
      held: [...this.held],
      lastArrival,
      userDropped: new Set(this.userDropped),
      counters: { ...c, dropped: { ...c.dropped }, sentBy: [...c.sentBy], bytesBy: [...c.bytesBy], receivedBy: [...c.receivedBy] },
      sameInstant: this.sameInstant,
    };
    list.splice(at, 0, snap);
    if (list.length > this.historyMax) {
      // Bounded history: keep the first, the last and every other one between; the interval doubles.
      const kept = list.filter((_, i) => i === 0 || i === list.length - 1 || i % 2 === 0);
      this.snapshots = kept;
      this.snapshotEveryUs *= 2;
    }
  }

  /** Index of the first snapshot with eventCount > n. */
  private indexAfter(n: number): number {
    let lo = 0;
    let hi = this.snapshots.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.snapshots[mid]!.eventCount <= n) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private findSnapshot(fits: (s: Snapshot) => boolean): Snapshot {
    for (let i = this.snapshots.length - 1; i >= 0; i--) if (fits(this.snapshots[i]!)) return this.snapshots[i]!;
    return this.snapshots[0]!;
  }

  private restore(s: Snapshot): void {
    this._events = s.eventCount;
    this._now = s.now;
    this.lastEventAt = s.eventAt;
    this.queue = s.queue.clone();
    for (const [name, r] of this.streams) {
      const saved = s.rng.get(name);
      if (saved) r.setState(saved);
      else r.setState(this.root.fork(name).getState());
    }
    this._net = s.net;
    this.indexNet();
    this._state = this.model.load ? this.model.load(s.model) : (s.model as S);
    if (this._trace.length > this.recorded.length) this.recorded = this._trace;
    this._trace = this.recorded.slice(0, s.traceLength);
    // The hash is kept lazily: if it covered records past the snapshot, start it again (the
    // trace before the snapshot is kept, so traceHash can always rebuild it).
    if (this.hasher && this.hasher.count > s.traceLength) this.hasher = new TraceHasher();
    this.msgSeq = s.msgSeq;
    this.held = [...s.held];
    this.lastArrival = new Map(s.lastArrival);
    this.userDropped = new Set(s.userDropped);
    const c = s.counters;
    this._counters = { ...c, dropped: { ...c.dropped }, sentBy: [...c.sentBy], bytesBy: [...c.bytesBy], receivedBy: [...c.receivedBy] };
    this.sameInstant = s.sameInstant;
    this.cursor = this.actions.findIndex((a) => a.index >= s.eventCount);
    if (this.cursor < 0) this.cursor = this.actions.length;
    const every = this.snapshotEveryUs;
    this.nextSnapshotAt = (Math.floor(s.now / every) + 1) * every;
  }
}

export function createSimulation<S, M extends Message, A extends ModelAction = ModelAction>(
  config: SimulationConfig<S, M, A>,
): Simulation<S, M, A> {
  return new Simulation(config);
}

/**
 * Replays a session: a fresh simulation from the same configuration, run to `until` with the
 * session's actions applied where they were taken.
 */
export function replaySession<S, M extends Message, A extends ModelAction>(
  config: SimulationConfig<S, M, A>,
  session: Session<A>,
  until: Duration,
): Simulation<S, M, A> {
  const sim = new Simulation({ ...config, seed: session.seed });
  sim.loadActions(session.actions);
  sim.runUntil(until);
  return sim;
}
