import type { Micros } from "@drydock/kernel";
import type { PausePoint, StepResult } from "@drydock/labs";
import type { AnySim, Mark } from "../../scenario.js";
import type { LabController } from "../../labs/controller.svelte.js";
import type { NotesMessage } from "../../labs/actions.js";

/** What the room's window tells the notes window: its step, and the pause a played step stopped at. */
export type LabNotesMessage = NotesMessage & { readonly pause?: string | null };

// Instructor mode's pause points inside a step (issue #17). "Do it for me" runs a step to its end
// at once (LabSession.auto); on a step with `pauses:` the presenter then sees it play: the run
// seeks back to where the step's line was typed and plays on, and each pause point is a mark on
// the timeline, so the app's auto-pause stops there (its caption the notice), as it stops at the
// next step's mark at the step's end. The future it plays is the logged one: the same world.

interface Played {
  readonly step: number;
  readonly result: StepResult;
  readonly points: readonly PausePoint[];
  readonly typedAt: Micros;
  readonly endAt: Micros;
}

/** Where the run is in a step being played: the step and the caption of the pause reached last (null before the first). */
export interface StepPlayState {
  readonly step: number;
  readonly caption: string | null;
}

export class LabPlayback {
  private played: Played | null = null;

  constructor(private readonly ctl: LabController, private readonly sim: AnySim) {}

  /**
   * After "Do it for me" on a step with pauses (the latest result, not played yet): finds its pause
   * points and seeks back to where its line was typed, for the app to play. False when there is
   * nothing to play (no pauses, a learner's own line, a step gone back from).
   */
  rewind(): boolean {
    if (!this.due()) return false;
    const ctl = this.ctl;
    const r = ctl.last!;
    const span = ctl.session.playedSpan(r.index)!;
    const endAt = this.sim.now;
    const points = ctl.session.pausePoints(r.index);
    this.played = { step: r.index, result: r, points, typedAt: span.typedAt, endAt };
    this.sim.seek(span.typedAt);
    return true;
  }

  /** Is there a step to play: the one just done for the presenter, with pauses, not played yet? (reads only) */
  due(): boolean {
    const ctl = this.ctl;
    const r = ctl.last;
    if (r === null || r.index !== ctl.current - 1 || this.played?.result === r || r.line === null) return false;
    const step = ctl.lab.steps[r.index]!;
    return step.pauses.length > 0 && step.action.kind === "run" && r.line === step.action.line && ctl.session.playedSpan(r.index) !== undefined;
  }

  /** The step played, while it is still the one done last (not gone back from). */
  private current(): Played | null {
    const p = this.played;
    return p !== null && this.ctl.current === p.step + 1 && this.ctl.results[p.step] === p.result ? p : null;
  }

  /** Inside a step being played (after its line was typed, before its end): its pause reached last. */
  at(t: Micros): StepPlayState | null {
    const p = this.current();
    if (p === null || t < p.typedAt || t >= p.endAt) return null;
    const reached = p.points.filter((x) => x.at <= t);
    return { step: p.step, caption: reached.length === 0 ? null : reached[reached.length - 1]!.pause.caption };
  }

  /** The pause points of the step played, as timeline marks (auto-pause stops at them). */
  marks(): Mark[] {
    return (this.current()?.points ?? []).map((x) => ({ t: x.at, label: x.pause.caption }));
  }

  /** The span played (its own marks are the pauses: the view's other moments in it do not stop it). */
  span(): { readonly from: Micros; readonly to: Micros } | null {
    const p = this.current();
    return p && { from: p.typedAt, to: p.endAt };
  }
}
