import type { Micros } from "@drydock/kernel";
import type { Timeline } from "./scenario.js";
import { SPEEDS } from "./speeds.js";

/** At "1 event at a time", one event every this much wall time. */
const EVENT_STEP_MS = 350;
/** The speed shown before a scenario names its own. */
export const DEFAULT_SPEED_INDEX = 3;
/** Most wall time one frame may advance by, so a stalled tab does not leap ahead. */
const FRAME_MS_MAX = 100;

/** Playback: whether the run plays, how fast, and how far one animation frame moves it. */
export class Playback {
  playing = $state.raw(false);
  speedIndex = $state.raw(DEFAULT_SPEED_INDEX);
  private eventClock = 0;

  get speed(): number {
    return SPEEDS[this.speedIndex]!.value;
  }

  play(): void {
    this.playing = true;
    this.eventClock = 0;
  }

  /** Sets the speed (clamped to the list); false when it did not change. */
  setSpeed(index: number): boolean {
    const next = Math.max(0, Math.min(SPEEDS.length - 1, index));
    if (next === this.speedIndex) return false;
    this.speedIndex = next;
    return true;
  }

  /**
   * Moves the timeline on by `realMs` of wall time at the current speed (one event per
   * EVENT_STEP_MS at "1 event at a time"); false when this frame moves nothing.
   */
  advance(tl: Timeline, now: Micros, realMs: number): boolean {
    if (this.speed === 0) {
      this.eventClock += realMs;
      if (this.eventClock < EVENT_STEP_MS) return false;
      this.eventClock = 0;
      tl.step();
      return true;
    }
    tl.runUntil(now + Math.max(1, Math.round(Math.min(realMs, FRAME_MS_MAX) * 1000 * this.speed)));
    return true;
  }
}
