import { DrydockError } from "./errors.js";
import type { Action, LoggedAction, ModelAction, Session } from "./model.js";
import type { Micros } from "./time.js";

/**
 * The session's user actions, each with the number of events processed before it, and a cursor
 * at the next one to apply. A seek moves the cursor, never the log: the logged future replays
 * until an action taken after a seek back forks it.
 */
export class ActionLog<A extends ModelAction = ModelAction> {
  private actions: LoggedAction<A>[] = [];
  private cursor = 0;

  get list(): readonly LoggedAction<A>[] {
    return this.actions;
  }

  /** The logged action to apply when event number `events` comes, if it is due by `target`. */
  due(events: number, target: Micros): LoggedAction<A> | undefined {
    const next = this.actions[this.cursor];
    return next && next.index === events && next.at <= target ? next : undefined;
  }

  /** The action `due` returned has been applied. */
  advance(): void {
    this.cursor++;
  }

  /** Logs an action taken now, dropping the logged future (a fork). */
  append(index: number, at: Micros, action: Action<A>): void {
    if (this.cursor < this.actions.length) this.actions.length = this.cursor;
    this.actions.push({ index, at, action });
    this.cursor = this.actions.length;
  }

  /** After restoring a snapshot taken after `events` events: the next action is the first not yet applied. */
  rewind(events: number): void {
    // Indices strictly increase (load checks it; append takes the event count, which only grows): a binary search.
    let lo = 0;
    let hi = this.actions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.actions[mid]!.index < events) lo = mid + 1;
      else hi = mid;
    }
    this.cursor = lo;
  }

  /** A session's actions, for a fresh simulation; they apply as the run reaches them. */
  load(actions: readonly LoggedAction<A>[]): void {
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

  session(seed: string): Session<A> {
    return { version: 1, seed, actions: this.actions.map((a) => ({ ...a })) };
  }
}
