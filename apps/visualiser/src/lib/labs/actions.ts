import type { ViewHost } from "../scenario.js";
import type { LabController } from "./controller.svelte.js";

// What the lab panel's buttons and the presenter's remote do. "Do it for me" types the step's
// line into the page's terminal where the learner sees it (a few characters a frame: the UI's
// pace, not the world's; the world does not move meanwhile), then runs the step as the lab writes
// it; a fault step (crash, restart, time passing) is done at once.

/** Wall time between the characters shown; a line is shown in at most ~30 of them. */
const TYPE_EVERY_MS = 20;
const TYPE_TICKS_MAX = 30;

export function doIt(app: ViewHost, ctl: LabController): void {
  const step = ctl.step;
  if (!step || ctl.typing) return;
  app.pause();
  const t = app.terminal;
  const a = step.action;
  if (a.kind !== "run" || !t) {
    app.external(() => ctl.doStep(t));
    return;
  }
  t.moveTo(ctl.hostOf(step));
  // A heredoc shows its first line while it is typed; the transcript shows it whole afterwards.
  const nl = a.line.indexOf("\n");
  const text = nl < 0 ? a.line : `${a.line.slice(0, nl)} …`;
  const per = Math.max(1, Math.ceil(text.length / TYPE_TICKS_MAX));
  ctl.typing = true;
  let k = 0;
  const tick = (): void => {
    k = Math.min(text.length, k + per);
    t.showTyping(text.slice(0, k));
    if (k < text.length) {
      setTimeout(tick, TYPE_EVERY_MS);
      return;
    }
    setTimeout(() => {
      t.showTyping("");
      ctl.typing = false;
      app.external(() => ctl.doStep(t));
    }, TYPE_EVERY_MS * 4);
  };
  tick();
}

/** Back to the start of step `i` (0-based): the world as it was then. */
export function goBack(app: ViewHost, ctl: LabController, i: number): void {
  if (ctl.typing || i < 0 || i > ctl.current) return;
  app.external(() => ctl.back(i));
}

/** The link to step `i` (0-based) of the lab, as the page's address would have it. */
export function stepLink(slug: string, i: number, extra = ""): string {
  return `?lab=${encodeURIComponent(slug)}&step=${i + 1}${extra}`;
}

/** The channel the room's window tells the speaker-notes window its step on. */
export const NOTES_CHANNEL = "drydock-lab-notes";

export interface NotesMessage {
  readonly slug: string;
  /** The step the room is at (0-based; the number of steps when the lab is done). */
  readonly current: number;
}
