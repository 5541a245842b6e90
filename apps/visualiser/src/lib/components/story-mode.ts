import type { Micros } from "@drydock/kernel";
import type { AppAction, ScenarioKey, ViewHost } from "../scenario.js";

// Story mode (issue 17; shared by the raft, gossip and swarm scenes, in the manner of "The Secret Lives of Data"): a protocol scene told in
// short captions, the run paused at each point, next and back keys, then free play. A story is
// plain data in the scenario's folder (story.ts): each step's caption, where the run pauses for
// it (a named point the scenario decides from its view model, or a virtual time), the actions
// taken as the room moves on to it and what to highlight. The step shown is the view's `story`
// setting (`?scenario=raft&story=1`), so a link opens at its step; the actions go through
// app.act, so they are in the action log and a link replays them.

export interface StoryStep {
  /** Stable name (tests, the caption's data-step). */
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  /** Where the run pauses once this caption is up: a named point, a virtual time, or null (shown as it is). */
  readonly at: { readonly point: string } | { readonly t: Micros } | null;
  /** Named actions taken when the room moves on to this step (the scenario makes them from the view). */
  readonly act?: string;
  /** A named set of members to highlight (the scenario finds them in the view). */
  readonly highlight?: string;
}

/** What a scenario gives a story: its named points, actions and highlights, read from its view model. */
export interface StoryRules<V> {
  /** Whether the named point is reached in `view`; `entry` is the view when the step began. */
  reached(point: string, view: V, entry: V): boolean;
  actions(name: string, view: V): readonly AppAction[];
  highlight(name: string, view: V): readonly string[];
}

/** The app's commands a story uses: pausing (ViewHost has it), and playing on and seeking back. */
export type StoryHost = ViewHost & { readonly play?: () => void; readonly seekTime?: (t: Micros) => void };

/** The link's `story` setting as a step number (1 = the first), or 0 when story mode is off. */
export function storyStep(value: string | undefined, steps: number): number {
  const n = Number(value ?? "");
  if (!Number.isInteger(n) || n < 1) return 0;
  return Math.min(n, steps);
}

/** Whether the step's pause point is reached (a time point: the clock passed it). */
export function pointReached<V>(step: StoryStep, rules: StoryRules<V>, view: V, entry: V, now: Micros): boolean {
  if (step.at === null) return true;
  if ("t" in step.at) return now >= step.at.t;
  return rules.reached(step.at.point, view, entry);
}

/** Next and back as keys (listed in the `?` overlay): they move the `story` setting. */
export function storyKeys<V>(steps: readonly StoryStep[]): ScenarioKey<V>[] {
  const move = (ui: Readonly<Record<string, string>>, by: number) => {
    const i = storyStep(ui.story, steps.length);
    if (i === 0) return { refused: "Not in story mode (add story=1 to the link)." };
    const next = i + by;
    if (next < 1) return { refused: "This is the story's first step." };
    // Past the last step the caption goes: free play.
    if (next > steps.length) return { setting: ["story", ""] as const, notice: "The story is over: free play" };
    return { setting: ["story", String(next)] as const, notice: `Story ${next}/${steps.length}: ${steps[next - 1]!.title}` };
  };
  return [
    { key: "ArrowDown", label: "story mode: next step", run: (_v, { ui }) => move(ui, 1) },
    { key: "ArrowUp", label: "story mode: back a step", run: (_v, { ui }) => move(ui, -1) },
  ];
}
