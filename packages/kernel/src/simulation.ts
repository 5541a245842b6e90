import { DrydockError } from "./errors.js";
import { History, loadParts, saveParts, type Part, type Saved } from "./history.js";
import { ActionLog } from "./log.js";
import { EventLoop } from "./loop.js";
import { createNetState, isNetAction, validateNetAction, type NetState } from "./network.js";
import { RngStreams, type Rng } from "./rng.js";
import { parseDuration, type Duration, type Micros } from "./time.js";
import { TraceLog, canonicalHash, type TraceRecord } from "./trace.js";
import { Transport, freezeDeep } from "./transport.js";
import type {
  Action, Counters, HistoryInfo, InFlight, LoggedAction, Message, Model, ModelAction, Session, SimContext, SimulationConfig,
} from "./model.js";

export type {
  Action, Counters, HistoryInfo, InFlight, LoggedAction, Message, Model, ModelAction, Route, ScheduledAction, Session,
  SimContext, SimulationConfig, EndpointAction,
} from "./model.js";

/**
 * Everything a snapshot saves, by name. A snapshot is one saved value per part (Saved<Parts>),
 * so adding state to a part's slice is the only change a new field needs. The action log is not
 * a part: a seek keeps it and only moves its cursor.
 */
type Parts = {
  readonly loop: EventLoop;
  readonly rng: RngStreams;
  readonly transport: Transport;
  readonly model: Part<unknown>;
  readonly trace: TraceLog;
};
type Snapshot = Saved<Parts>;

/**
 * A deterministic discrete-event simulation: virtual time, an event queue ordered by (time,
 * sequence), seeded streams, a simulated network with faults, a trace, and time travel.
 * The state after n events is a function of (seed, configuration, action log) alone.
 *
 * This class is the event loop and the model's driver; the transport (transport.ts), the
 * action log (log.ts) and the snapshots (history.ts) are its parts.
 */
export class Simulation<S, M extends Message = Message, A extends ModelAction = ModelAction> {
  readonly seed: string;
  readonly model: Model<S, M, A>;
  private _state!: S;
  private readonly loop: EventLoop;
  private readonly streams: RngStreams;
  private readonly transport: Transport;
  private readonly tracer: TraceLog;
  private readonly log = new ActionLog<A>();
  private readonly snapshots: History<Snapshot>;
  private readonly parts: Parts;
  private readonly ctx: SimContext<M>;
  /** Open while the kernel runs (a handler may draw); closed when control returns to the caller. */
  private readonly gate = { open: false };

  constructor(config: SimulationConfig<S, M, A>) {
    this.seed = String(config.seed);
    this.model = config.model;
    const everyUs = parseDuration(config.snapshotEvery ?? "1s");
    if (everyUs <= 0) throw new DrydockError("EDURATION", "snapshotEvery must be positive");
    this.snapshots = new History(everyUs, Math.max(2, config.historyMax ?? 256));
    this.loop = new EventLoop(config.eventsPerInstantMax ?? 1_000_000);
    this.streams = new RngStreams(this.seed, this.gate);
    this.tracer = new TraceLog(config.trace ?? true);
    this.transport = new Transport(createNetState(config.nodes, config.network), this.loop, this.tracer, this.streams.get("net"));
    const model = this.model;
    this.parts = {
      loop: this.loop,
      rng: this.streams,
      transport: this.transport,
      // A reference to the immutable state, or a copy through the model's save/load.
      model: {
        save: () => (model.save ? model.save(this._state) : this._state),
        load: (saved) => { this._state = model.load ? model.load(saved) : (saved as S); },
      },
      trace: this.tracer,
    };
    const sim = this;
    this.ctx = {
      get now() { return sim.loop.now; },
      get net() { return sim.transport.net; },
      rng: (name) => this.streams.get(name),
      send: (from, to, msg) => this.transport.send(from, to, msg, model.size ? model.size(msg) : 0),
      setTimer: (node, at, name, data) => this.setTimer(node, at, name, data),
      record: (node, data) => {
        if (!this.tracer.on) return;
        freezeDeep(data);
        this.tracer.push({ t: this.loop.now, type: "state", node, data });
      },
      isUp: (node) => this.transport.net.up[node] === true,
      endpoint: (action) => {
        validateNetAction(this.transport.net, action);
        const host = action.type === "attach" ? action.host : this.transport.net.endpoints.get(action.endpoint)!.host;
        this.transport.apply(action);
        if (!this.tracer.on) return;
        const data = { event: "endpoint", action: jsonCopy(action) };
        freezeDeep(data);
        this.tracer.push({ t: this.loop.now, type: "state", node: host, data });
      },
    };
    // Validate the schedule's faults before anything runs: a bad record leaves nothing created.
    // A model action depends on the state when it comes due (a proposal needs a leader then), so
    // it is checked at that time, and one that cannot be taken is traced as rejected.
    const schedule = (config.schedule ?? []).map((s) => ({ at: parseDuration(s.at), action: s.action }));
    for (const s of schedule) {
      if (isNetAction(s.action as Action)) this.validate(s.action);
      else if (!model.action) throw new DrydockError("EACTION", `unknown action "${s.action.type}"`);
    }
    this._state = this.inside(() => model.init(this.ctx));
    for (const s of schedule) this.loop.queue.push(s.at, { k: 2, action: s.action });
    this.takeSnapshot();
  }

  // ---- reading ---------------------------------------------------------------------------

  get now(): Micros { return this.loop.now; }
  /** Events processed so far (deliveries, drops, timers, actions). */
  get eventCount(): number { return this.loop.events; }
  get state(): S { return this._state; }
  get net(): NetState { return this.transport.net; }
  /** The trace (with `keepTraceWindow`, its latest records: `trace[0]` is record number `traceStart`). */
  get trace(): readonly TraceRecord[] { return this.tracer.records; }
  /** Number of the record `trace[0]` holds: 0 unless a trace window dropped the ones before it. */
  get traceStart(): number { return this.tracer.start; }
  get counters(): Readonly<Counters> { return this.transport.counters; }
  get actionLog(): readonly LoggedAction<A>[] { return this.log.list; }
  get pendingEvents(): number { return this.loop.queue.size; }
  /** Time of the next event, or Infinity. */
  get nextEventTime(): Micros { return this.loop.queue.peekTime(); }

  history(): HistoryInfo {
    return this.snapshots.info(this.loop.events, this.loop.now);
  }

  /** Messages on the wire now, earliest delivery first (held messages are listed separately). */
  inFlight(): InFlight<M>[] {
    const out: InFlight<M>[] = [];
    for (const { item } of this.loop.queue.toArray()) if (item.k === 0) out.push(item.m as InFlight<M>);
    return out;
  }

  heldMessages(): readonly InFlight<M>[] {
    return this.transport.held as InFlight<M>[];
  }

  /**
   * From now on keep only a window of about the latest `records` trace records, dropping older
   * ones once hashed: snapshots keep the hash, and a seek regenerates records by replay. Same
   * trace hash; memory bounded for long runs. Call `hashTraceSome` now and then.
   */
  keepTraceWindow(records: number): void {
    this.tracer.keepWindow(records);
  }

  /** Moves the trace hash on by up to `records` records (a little at a time, between frames); true once caught up. */
  hashTraceSome(records: number): boolean {
    return this.tracer.hashSome(records);
  }

  /** sha256 of the trace so far: identifies the run. */
  traceHash(): string {
    return this.tracer.hash();
  }

  /** sha256 of everything a fresh run would also have at this point. */
  stateHash(): string {
    return canonicalHash({
      now: this.loop.now,
      events: this.loop.events,
      net: this.transport.net,
      model: this.model.describe ? this.model.describe(this._state) : this._state,
      trace: this.tracer.on ? this.tracer.hash() : this.tracer.records.length,
      pending: this.loop.queue.size,
      counters: this.transport.counters,
    });
  }

  session(): Session<A> {
    return this.log.session(this.seed);
  }

  // ---- running ---------------------------------------------------------------------------

  /** Processes one event (or the logged action due now). False when nothing is left. */
  step(): boolean {
    return this.inside(() => this.stepUntil(Infinity));
  }

  /** Processes every event at or before `until`; then the clock reads `until`. */
  runUntil(until: Duration): void {
    const target = parseDuration(until);
    this.inside(() => { while (this.stepUntil(target)) { /* one event per turn */ } });
    if (target > this.loop.now) this.loop.now = target;
    this.noteHorizon();
  }

  runFor(duration: Duration): void {
    this.runUntil(this.loop.now + parseDuration(duration));
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
    const loop = this.loop;
    this.tracer.fork();
    this.snapshots.fork(loop.events, loop.now);
    this.log.append(loop.events, loop.now, action);
    loop.countAction(loop.now);
    this.inside(() => this.apply(action, false));
    this.noteHorizon();
  }

  /** Exactly the state a fresh run would have after every event at or before t. */
  seek(t: Duration): void {
    const target = parseDuration(t);
    this.noteHorizon();
    const snap = this.snapshots.find((s) => s.loop.now <= target);
    if (target < this.loop.now || this.canJumpTo(snap)) this.restore(snap);
    this.runUntil(target);
  }

  /** Exactly the state a fresh run would have after n events (step back = seekEvent(n - 1)). */
  seekEvent(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new DrydockError("ESEEK", `invalid event number ${n}`);
    this.noteHorizon();
    const snap = this.snapshots.find((s) => s.loop.events <= n);
    if (n < this.loop.events || this.canJumpTo(snap)) this.restore(snap);
    this.inside(() => { while (this.loop.events < n && this.stepUntil(Infinity)) { /* replay */ } });
    // A fresh run of n events reads the clock at the n-th event, even if this position was
    // reached by a runUntil (or a snapshot taken after one) that moved the clock further.
    this.loop.now = this.loop.lastEventAt;
  }

  /** Loads a session's logged actions into a fresh simulation; they apply as the run reaches them. */
  loadActions(actions: readonly LoggedAction<A>[]): void {
    if (this.loop.events !== 0) throw new DrydockError("ESESSION", "a session's actions load into a fresh simulation only");
    this.log.load(actions);
  }

  // ---- the event loop ----------------------------------------------------------------------

  private stepUntil(target: Micros): boolean {
    const loop = this.loop;
    const logged = this.log.due(loop.events, target);
    if (logged) {
      this.validate(logged.action);
      this.log.advance();
      this.maybeSnapshot(logged.at);
      loop.countAction(logged.at);
      this.apply(logged.action, false);
      return true;
    }
    const t = loop.queue.peekTime();
    if (t > target) return false;
    this.maybeSnapshot(t);
    const item = loop.take(t);
    switch (item.k) {
      case 0:
        if (this.transport.arrive(item.m)) this._state = this.model.deliver(this._state, item.m.msg as M, item.m.from, item.m.to, this.ctx);
        break;
      case 1: {
        const net = this.transport.net;
        if (net.epoch[item.node] === item.epoch && net.up[item.node]) {
          if (this.tracer.on) this.tracer.push({ t, type: "timer", node: item.node, name: item.name });
          this._state = this.model.timer(this._state, item.node, item.name, item.data, this.ctx);
        }
        break;
      }
      case 2: this.applyScheduled(item.action as Action<A>); break;
    }
    return true;
  }

  /**
   * Runs kernel work with the random streams open. A model draws only inside its handlers, so a
   * draw from outside (a test or a UI holding a stream from `ctx.rng`) would not be replayed by
   * a session: the streams refuse it (DrydockError ERNG).
   */
  private inside<T>(work: () => T): T {
    const was = this.gate.open;
    this.gate.open = true;
    try {
      return work();
    } finally {
      this.gate.open = was;
    }
  }

  private setTimer(node: string, at: Micros, name: string, data?: unknown): void {
    freezeDeep(data);
    if (!Number.isFinite(at)) throw new DrydockError("ETIMER", `timer "${name}" for ${node} at ${at}: not a time`);
    const epoch = this.transport.net.epoch[node];
    if (epoch === undefined) throw new DrydockError("ENODE", `timer for unknown node "${node}"`);
    this.loop.queue.push(Math.max(at, this.loop.now), { k: 1, node, epoch, name, data });
  }

  private validate(action: Action<A>): void {
    if (action === null || typeof action !== "object" || typeof action.type !== "string") {
      throw new DrydockError("EACTION", `invalid action ${JSON.stringify(action)}`);
    }
    if (isNetAction(action)) validateNetAction(this.transport.net, action);
    else if (!this.model.action) throw new DrydockError("EACTION", `unknown action "${action.type}"`);
    else this.model.validate?.(this._state, action as A, this.transport.net);
  }

  private applyScheduled(action: Action<A>): void {
    if (!isNetAction(action)) {
      try {
        this.model.validate?.(this._state, action as A, this.transport.net);
      } catch (e) {
        if (!(e instanceof DrydockError)) throw e;
        if (this.tracer.on) this.tracer.push({ t: this.loop.now, type: "state", node: null, data: { event: "rejected", action, code: e.code, reason: e.message } });
        return;
      }
    }
    this.apply(action, true);
  }

  private apply(action: Action<A>, scheduled: boolean): void {
    if (this.tracer.on) this.tracer.push({ t: this.loop.now, type: "action", action, scheduled });
    if (!isNetAction(action)) {
      this._state = this.model.action!(this._state, action as A, this.ctx);
      return;
    }
    const before = this.transport.apply(action);
    const model = this.model;
    switch (action.type) {
      case "crash":
        if (before.up[action.node] && model.crash) this._state = model.crash(this._state, action.node, this.ctx);
        break;
      case "restart":
        if (!before.up[action.node] && model.restart) this._state = model.restart(this._state, action.node, this.ctx);
        break;
      case "addNode":
        if (model.addNode) this._state = model.addNode(this._state, action.node, this.ctx);
        break;
    }
  }

  private noteHorizon(): void {
    this.snapshots.noteHorizon(this.loop.events, this.loop.now);
  }

  // ---- snapshots -------------------------------------------------------------------------

  private maybeSnapshot(nextTime: Micros): void {
    if (nextTime < this.snapshots.nextAt) return;
    this.takeSnapshot();
    this.snapshots.scheduleAfter(nextTime);
  }

  private takeSnapshot(): void {
    this.snapshots.keep(this.loop.events, () => saveParts(this.parts));
  }

  /** A snapshot ahead of the current position whose trace prefix is known (no fork since). */
  private canJumpTo(s: Snapshot): boolean {
    return s.loop.events > this.loop.events && this.tracer.reaches(s.trace);
  }

  private restore(s: Snapshot): void {
    loadParts(this.parts, s);
    this.log.rewind(s.loop.events);
    this.snapshots.scheduleAfter(s.loop.now);
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

/**
 * What JSON.parse(JSON.stringify(v)) gives, for the plain data of a kernel action (strings,
 * finite numbers, booleans, null, arrays, plain objects), without the text in between: an
 * endpoint action is traced on every `docker run`. Anything else goes through JSON itself.
 */
export function jsonCopy(v: unknown): unknown {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  // JSON writes -0 as 0 and what is not finite as null.
  if (typeof v === "number") return Number.isFinite(v) ? (v === 0 ? 0 : v) : null;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      // JSON writes null for what it cannot write in an array.
      out[i] = x === undefined || typeof x === "function" || typeof x === "symbol" ? null : jsonCopy(x);
    }
    return out;
  }
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype && !("toJSON" in v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined || typeof x === "function" || typeof x === "symbol") continue;
      // JSON.parse makes "__proto__" an own property; an assignment would set the prototype.
      if (k === "__proto__") Object.defineProperty(out, k, { value: jsonCopy(x), enumerable: true, writable: true, configurable: true });
      else out[k] = jsonCopy(x);
    }
    return out;
  }
  return v === undefined ? undefined : (JSON.parse(JSON.stringify(v) ?? "null") as unknown);
}
