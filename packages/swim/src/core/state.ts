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

type TypedArrayKind = Uint8ArrayConstructor | Uint32ArrayConstructor | Int32ArrayConstructor | Float64ArrayConstructor;
const column = <A extends TypedArrayKind>(array: A, fill = 0) => ({ array, fill });

/**
 * The per-member scalars of SwimState, one typed array each, indexed by member id. Listed once:
 * SwimState's fields, its constructor, its growth, its snapshots (`clone`) and the state hash
 * (`describe`) all come from this table, so none can miss a column.
 */
const COLUMNS = {
  /** 1 while the member's memberlist runs (not crashed, not yet joined, not shut down after leave). */
  running: column(Uint8Array),
  leaving: column(Uint8Array),
  /** Quick join attempts left while no seed has answered. */
  joinRetries: column(Uint8Array),
  /** 1 once a seed answered a join (founding members start joined). */
  joined: column(Uint8Array),
  /** Bumped when a member stops or starts, so its stale timers are ignored. */
  life: column(Uint32Array),
  incarnation: column(Uint32Array),
  awareness: column(Uint8Array),
  seqNo: column(Uint32Array),
  known: column(Uint32Array),
  /** Push-pull bytes of the members each member knows (kept with `known`). */
  knownBytes: column(Float64Array),
  // The probe in progress.
  probeTarget: column(Int32Array, -1),
  probeSeq: column(Uint32Array),
  /** The target's incarnation when the probe began (memberlist probeNode suspects that one). */
  probeInc: column(Uint32Array),
  probeAcked: column(Uint8Array),
  nacks: column(Uint8Array),
  expectedNacks: column(Uint8Array),
  probeDeadline: column(Float64Array),
  busyUntil: column(Float64Array),
  // Randomized round-robin position.
  orderKey: column(Uint32Array),
  orderPos: column(Uint32Array),
  orderSize: column(Uint32Array),
  // Gossip ticker phase, and whether a tick is scheduled.
  gossipPhase: column(Float64Array),
  gossipPending: column(Uint8Array),
} as const;

export type ColumnName = keyof typeof COLUMNS;
type Columns = { [K in ColumnName]: InstanceType<(typeof COLUMNS)[K]["array"]> };
type AnyColumn = Uint8Array | Uint32Array | Int32Array | Float64Array;

/** The per-member typed arrays of SwimState, by name (copied by clone, digested by describe). */
export const STATE_ARRAYS = Object.freeze(Object.keys(COLUMNS) as ColumnName[]);

/** A column of `cap` members, each at the column's initial value. */
function newColumn(name: ColumnName, cap: number): AnyColumn {
  const { array, fill } = COLUMNS[name];
  const a = new array(cap);
  if (fill !== 0) a.fill(fill);
  return a;
}

// The class gets its typed-array fields from the table (declaration merging), not from a list of its own.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface SwimState extends Columns {}

/**
 * The whole group's protocol state, mutable for speed: per-member scalars in typed arrays (the
 * COLUMNS table), the shared view table, and sparse maps for what only some members have at a
 * time (suspicions, queued broadcasts, relays). `clone()` copies it for the kernel's snapshots.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
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
    this.queues = [];
    this.suspicions = [];
    this.relays = [];
    this.deadAt = [];
    this.users = new Map();
    this.nextId = 0;
    const columns = this as unknown as Record<ColumnName, AnyColumn>;
    for (const k of STATE_ARRAYS) columns[k] = newColumn(k, this.cap);
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
    const columns = this as unknown as Record<ColumnName, AnyColumn>;
    for (const k of STATE_ARRAYS) if (COLUMNS[k].fill !== 0) columns[k][id] = COLUMNS[k].fill;
    for (const u of this.users.values()) u.held[id] = -1;
    return id;
  }

  private grow(cap: number): void {
    const columns = this as unknown as Record<ColumnName, AnyColumn>;
    for (const k of STATE_ARRAYS) {
      const b = newColumn(k, cap);
      b.set(columns[k]);
      columns[k] = b;
    }
    for (const u of this.users.values()) {
      const held = new Int32Array(cap).fill(-1);
      held.set(u.held);
      u.held = held;
    }
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
    const to = s as unknown as Record<ColumnName, AnyColumn>;
    const from = this as unknown as Record<ColumnName, AnyColumn>;
    for (const k of STATE_ARRAYS) to[k] = from[k].slice();
    s.queues = this.queues.map((q) => (q ? q.map((e) => ({ ...e })) : null));
    s.suspicions = this.suspicions.map((m) =>
      m ? new Map([...m].map(([k, v]) => [k, { ...v, confirmations: [...v.confirmations] }])) : null);
    s.relays = this.relays.map((m) => (m ? new Map(m) : null));
    s.deadAt = this.deadAt.map((m) => (m ? new Map(m) : null));
    s.users = new Map([...this.users].map(([k, u]) => [k, { entries: [...u.entries], held: u.held.slice() }]));
    return s;
  }
}
