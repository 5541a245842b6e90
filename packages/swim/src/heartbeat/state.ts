import type { HeartbeatParams } from "./params.js";

// A pair is 16 bits: status in the top two (0 unknown, 1 alive, 2 dead, 3 left), and the tick
// (a tenth of an interval, modulo 2^14) of the last heartbeat heard. n² of these is the design's cost.
export const UNKNOWN = 0;
export const ALIVE = 1;
export const DEAD = 2;
export const LEFT = 3;
export const TICK_MASK = 0x3fff;

/** A user payload as a member holds it. */
export interface Held {
  readonly version: number;
  readonly origin: string;
  readonly value: string;
}

/**
 * The per-member scalars, one typed array each, listed once: the fields, the constructor, growth
 * and `clone` all come from this table.
 */
const COLUMNS = { running: Uint8Array, life: Uint32Array, incarnation: Uint32Array } as const;
type ColumnName = keyof typeof COLUMNS;
type Columns = { [K in ColumnName]: InstanceType<(typeof COLUMNS)[K]> };
const COLUMN_NAMES = Object.freeze(Object.keys(COLUMNS) as ColumnName[]);

// The class gets its per-member typed arrays from the table (declaration merging).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface HeartbeatState extends Columns {}

/** The whole group's state, mutable for speed: an n × n table of pairs and per-member scalars. `clone()` copies it. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class HeartbeatState {
  params: HeartbeatParams;
  records: boolean;
  names: string[];
  ids: Map<string, number>;
  cap: number;
  pairs: Uint16Array;
  users: Map<string, Held>[];

  constructor(params: HeartbeatParams, names: readonly string[], records: boolean) {
    this.params = params;
    this.records = records;
    this.names = [];
    this.ids = new Map();
    this.cap = Math.max(4, names.length);
    this.pairs = new Uint16Array(this.cap * this.cap);
    this.users = [];
    const columns = this as unknown as Record<ColumnName, Uint8Array | Uint32Array>;
    for (const k of COLUMN_NAMES) columns[k] = new COLUMNS[k](this.cap);
    for (const n of names) this.add(n);
  }

  get size(): number { return this.names.length; }

  add(name: string): number {
    const id = this.names.length;
    if (id >= this.cap) {
      const cap = this.cap * 2;
      const pairs = new Uint16Array(cap * cap);
      for (let i = 0; i < this.cap; i++) pairs.set(this.pairs.subarray(i * this.cap, (i + 1) * this.cap), i * cap);
      this.pairs = pairs;
      const columns = this as unknown as Record<ColumnName, Uint8Array | Uint32Array>;
      for (const k of COLUMN_NAMES) {
        const b = new COLUMNS[k](cap);
        b.set(columns[k]);
        columns[k] = b;
      }
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
    const to = s as unknown as Record<ColumnName, Uint8Array | Uint32Array>;
    for (const k of COLUMN_NAMES) to[k] = this[k].slice();
    s.users = this.users.map((m) => new Map(m));
    return s;
  }
}
