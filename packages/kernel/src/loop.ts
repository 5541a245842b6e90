import { DrydockError } from "./errors.js";
import { EventQueue } from "./queue.js";
import { formatDuration, type Micros } from "./time.js";
import type { NodeId } from "./network.js";
import type { Action, InFlight } from "./model.js";

/** What waits in the queue: a delivery, a timer, or a scheduled action. */
export type QueueItem =
  | { readonly k: 0; readonly m: InFlight } // delivery
  | { readonly k: 1; readonly node: NodeId; readonly epoch: number; readonly name: string; readonly data: unknown } // timer
  | { readonly k: 2; readonly action: Action }; // scheduled action

/** The event loop's part of a snapshot: the clock and the pending events. */
export interface LoopSlice {
  now: Micros;
  /** Events processed so far (deliveries, drops, timers, actions). */
  events: number;
  /** Time of the last event or action (now may be later: runUntil moves the clock on). */
  lastEventAt: Micros;
  /** Events run at the current instant, to stop a model that never lets time pass. */
  sameInstant: number;
  queue: EventQueue<QueueItem>;
}

// Saving and restoring both copy through here, so the slice's fields are listed once.
const copySlice = (s: LoopSlice): LoopSlice => ({
  now: s.now, events: s.events, lastEventAt: s.lastEventAt, sameInstant: s.sameInstant, queue: s.queue.clone(),
});

/**
 * Virtual time and the queue of pending events, ordered by (time, sequence). The Simulation
 * steps it; it knows nothing of what the events do.
 */
export class EventLoop implements LoopSlice {
  now: Micros = 0;
  events = 0;
  lastEventAt: Micros = 0;
  sameInstant = 0;
  queue = new EventQueue<QueueItem>();

  constructor(private readonly perInstantMax: number) {}

  /** Takes the earliest event, due at `t` (the caller read it with queue.peekTime), and moves the clock to it. */
  take(t: Micros): QueueItem {
    const item = this.queue.pop()!;
    if (t === this.now) {
      if (++this.sameInstant > this.perInstantMax) {
        throw new DrydockError("ELIVELOCK", `more than ${this.perInstantMax} events at ${formatDuration(t)}: the model never lets time pass`);
      }
    } else {
      this.sameInstant = 0;
      this.now = t;
    }
    this.events++;
    this.lastEventAt = t;
    return item;
  }

  /** A user action is an event too: it happens at `at`, or now if the clock is already past it. */
  countAction(at: Micros): void {
    if (at > this.now) this.now = at;
    this.events++;
    this.lastEventAt = this.now;
  }

  save(): LoopSlice {
    return copySlice(this);
  }

  load(saved: LoopSlice): void {
    Object.assign(this, copySlice(saved));
  }
}
