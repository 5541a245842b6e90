import type { SwimParams } from "./params.js";
import { pushStateSize, type Update } from "./messages.js";
import { ViewTable } from "./views.js";

/** One pending broadcast in a member's transmit-limited queue (memberlist queue.go). */
export interface QueueEntry {
  readonly update: Update;
  /** Invalidation name: a newer update about the same member (or user key) replaces it. */
  readonly name: string;
  readonly bytes: number;
  /** Enqueue order: among equal transmit counts, newer first. */
  readonly id: number;
  transmits: number;
}

/** A suspicion timer (memberlist suspicion.go), one per (observer, suspect). */
export interface Suspicion {
  readonly incarnation: number;
  readonly startUs: number;
  readonly k: number;
  readonly minUs: number;
  readonly maxUs: number;
  confirmations: string[];
  n: number;
  token: number;
}

/** A relay's record of a ping it sends for someone else's ping-req. */
export interface Relay {
  readonly source: number;
  readonly sourceSeq: number;
  readonly nack: boolean;
}

/** A user payload key: every version published so far, and which one each member holds. */
export interface UserKey {
  readonly entries: Extract<Update, { type: "user" }>[];
  held: Int32Array;
}

/**
 * The whole group's protocol state, mutable for speed: per-member scalars in typed arrays, the
 * shared view table, and sparse maps for what only some members have at a time (suspicions,
 * queued broadcasts, relays). `clone()` copies it for the kernel's snapshots.
 */
export class SwimState {
  params: SwimParams;
  records: boolean;
  /** Member ids, in the kernel's node order. */
  names: string[];
  /** An immutable copy of `names`, shared by push-pull messages (replaced when a member is added). */
  roster: readonly string[];
  /** Bytes each member's entry takes in a push-pull. */
  stateBytes: number[];
  ids: Map<string, number>;
  /** Members restarted or joined later rejoin through these. */
  seeds: string[];
  view: ViewTable;
  cap: number;

  /** 1 while the member's memberlist runs (not crashed, not yet joined, not shut down after leave). */
  running: Uint8Array;
  leaving: Uint8Array;
  /** Quick join attempts left while no seed has answered. */
  joinRetries: Uint8Array;
  /** 1 once a seed answered a join (founding members start joined). */
  joined: Uint8Array;
  /** Bumped when a member stops or starts, so its stale timers are ignored. */
  life: Uint32Array;
  incarnation: Uint32Array;
  awareness: Uint8Array;
  seqNo: Uint32Array;
  known: Uint32Array;
  /** Push-pull bytes of the members each member knows (kept with `known`). */
  knownBytes: Float64Array;
  // The probe in progress.
  probeTarget: Int32Array;
  probeSeq: Uint32Array;
  /** The target's incarnation when the probe began (memberlist probeNode suspects that one). */
  probeInc: Uint32Array;
  probeAcked: Uint8Array;
  nacks: Uint8Array;
  expectedNacks: Uint8Array;
  probeDeadline: Float64Array;
  busyUntil: Float64Array;
  // Randomized round-robin position.
  orderKey: Uint32Array;
  orderPos: Uint32Array;
  orderSize: Uint32Array;
  // Gossip ticker phase, and whether a tick is scheduled.
  gossipPhase: Float64Array;
  gossipPending: Uint8Array;

  queues: (QueueEntry[] | null)[];
  suspicions: (Map<number, Suspicion> | null)[];
  relays: (Map<number, Relay> | null)[];
  deadAt: (Map<number, number> | null)[];
  users: Map<string, UserKey>;
  nextId: number;

  constructor(params: SwimParams, names: readonly string[], seeds: readonly string[], records: boolean) {
    this.params = params;
    this.records = records;
    this.names = [];
    this.roster = [];
    this.stateBytes = [];
    this.ids = new Map();
    this.seeds = [...seeds];
    this.cap = Math.max(4, names.length);
    this.view = new ViewTable(this.cap);
    const c = this.cap;
    this.running = new Uint8Array(c);
    this.leaving = new Uint8Array(c);
    this.joinRetries = new Uint8Array(c);
    this.joined = new Uint8Array(c);
    this.life = new Uint32Array(c);
    this.incarnation = new Uint32Array(c);
    this.awareness = new Uint8Array(c);
    this.seqNo = new Uint32Array(c);
    this.known = new Uint32Array(c);
    this.knownBytes = new Float64Array(c);
    this.probeTarget = new Int32Array(c).fill(-1);
    this.probeSeq = new Uint32Array(c);
    this.probeInc = new Uint32Array(c);
    this.probeAcked = new Uint8Array(c);
    this.nacks = new Uint8Array(c);
    this.expectedNacks = new Uint8Array(c);
    this.probeDeadline = new Float64Array(c);
    this.busyUntil = new Float64Array(c);
    this.orderKey = new Uint32Array(c);
    this.orderPos = new Uint32Array(c);
    this.orderSize = new Uint32Array(c);
    this.gossipPhase = new Float64Array(c);
    this.gossipPending = new Uint8Array(c);
    this.queues = [];
    this.suspicions = [];
    this.relays = [];
    this.deadAt = [];
    this.users = new Map();
    this.nextId = 0;
    for (const n of names) this.addMember(n, true);
    this.roster = Object.freeze([...this.names]);
  }

  get size(): number {
    return this.names.length;
  }

  /** The founding members all know each other with this view key (an agreed membership). */
  agreeAll(key: number): void {
    let bytes = 0;
    for (const b of this.stateBytes) bytes += b;
    for (let j = 0; j < this.size; j++) {
      this.joined[j] = 1;
      this.view.setAll(j, key);
      this.known[j] = this.size;
      this.knownBytes[j] = bytes;
    }
  }

  /** A new member id (not running yet); every typed array grows with it. */
  addMember(name: string, initial = false): number {
    const id = this.names.length;
    if (id >= this.cap) this.grow(this.cap * 2);
    this.names.push(name);
    // Copied once per later join (the founding roster is frozen once, in the constructor).
    if (!initial) this.roster = Object.freeze([...this.names]);
    this.stateBytes.push(pushStateSize(name));
    this.ids.set(name, id);
    this.view.add(initial);
    this.queues.push(null);
    this.suspicions.push(null);
    this.relays.push(null);
    this.deadAt.push(null);
    this.probeTarget[id] = -1;
    for (const u of this.users.values()) u.held[id] = -1;
    return id;
  }

  private grow(cap: number): void {
    const g = <T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(a: T, fill = 0): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      if (fill !== 0) b.fill(fill);
      b.set(a);
      return b;
    };
    this.running = g(this.running);
    this.leaving = g(this.leaving);
    this.joinRetries = g(this.joinRetries);
    this.joined = g(this.joined);
    this.life = g(this.life);
    this.incarnation = g(this.incarnation);
    this.awareness = g(this.awareness);
    this.seqNo = g(this.seqNo);
    this.known = g(this.known);
    this.knownBytes = g(this.knownBytes);
    this.probeTarget = g(this.probeTarget, -1);
    this.probeSeq = g(this.probeSeq);
    this.probeInc = g(this.probeInc);
    this.probeAcked = g(this.probeAcked);
    this.nacks = g(this.nacks);
    this.expectedNacks = g(this.expectedNacks);
    this.probeDeadline = g(this.probeDeadline);
    this.busyUntil = g(this.busyUntil);
    this.orderKey = g(this.orderKey);
    this.orderPos = g(this.orderPos);
    this.orderSize = g(this.orderSize);
    this.gossipPhase = g(this.gossipPhase);
    this.gossipPending = g(this.gossipPending);
    for (const u of this.users.values()) u.held = g(u.held, -1);
    this.cap = cap;
  }

  clone(): SwimState {
    const s = Object.create(SwimState.prototype) as SwimState;
    Object.assign(s, this);
    s.names = [...this.names];
    s.stateBytes = [...this.stateBytes];
    s.ids = new Map(this.ids);
    s.seeds = [...this.seeds];
    s.view = this.view.clone();
    for (const k of STATE_ARRAYS) (s as unknown as Record<string, Uint8Array>)[k] = (this as unknown as Record<string, Uint8Array>)[k]!.slice();
    s.queues = this.queues.map((q) => (q ? q.map((e) => ({ ...e })) : null));
    s.suspicions = this.suspicions.map((m) =>
      m ? new Map([...m].map(([k, v]) => [k, { ...v, confirmations: [...v.confirmations] }])) : null);
    s.relays = this.relays.map((m) => (m ? new Map(m) : null));
    s.deadAt = this.deadAt.map((m) => (m ? new Map(m) : null));
    s.users = new Map([...this.users].map(([k, u]) => [k, { entries: [...u.entries], held: u.held.slice() }]));
    return s;
  }
}

/** The per-member typed arrays of SwimState (copied by clone, digested by describe). */
export const STATE_ARRAYS = [
  "running", "leaving", "joinRetries", "joined", "life", "incarnation", "awareness", "seqNo", "known", "knownBytes", "probeTarget", "probeSeq",
  "probeInc", "probeAcked", "nacks", "expectedNacks", "probeDeadline", "busyUntil", "orderKey", "orderPos", "orderSize",
  "gossipPhase", "gossipPending",
] as const;
