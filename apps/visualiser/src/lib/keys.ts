/** What a key does. Presentation remotes send PageUp/PageDown for back/next and "." or "b" to blank. */
export type KeyCommand =
  | "togglePlay" | "stepForward" | "stepBack" | "nextNotable" | "prevNotable"
  | "faster" | "slower" | "toggleProjector" | "help";

const KEYS: Readonly<Record<string, KeyCommand>> = {
  " ": "togglePlay",
  ".": "togglePlay",
  b: "togglePlay",
  B: "togglePlay",
  ArrowRight: "stepForward",
  ArrowLeft: "stepBack",
  PageDown: "nextNotable",
  PageUp: "prevNotable",
  n: "nextNotable",
  N: "prevNotable",
  "]": "faster",
  "[": "slower",
  p: "toggleProjector",
  P: "toggleProjector",
  "?": "help",
};

type Target = { tagName?: string; type?: string; isContentEditable?: boolean } | null;
type Mods = { ctrl: boolean; meta: boolean; alt: boolean };

/** Whether a key press is for the app at all: typing into a field and browser shortcuts are not. */
export function keyForApp(target: Target, mods: Mods): boolean {
  if (mods.ctrl || mods.meta || mods.alt) return false;
  const tag = target?.tagName?.toUpperCase();
  // The scrubber and check boxes take no typing: the shortcuts still apply there.
  const typing = tag === "INPUT" ? !["range", "checkbox", "button"].includes(target?.type ?? "text") : tag === "TEXTAREA" || tag === "SELECT";
  return !typing && !target?.isContentEditable;
}

/** The command for a key press, or null; typing into a field never triggers one. */
export function commandForKey(key: string, target: Target, mods: Mods): KeyCommand | null {
  if (!keyForApp(target, mods)) return null;
  return Object.hasOwn(KEYS, key) ? KEYS[key]! : null;
}

/** The app's own keys, for the `?` overlay (a scenario adds its own: ScenarioDef.keys). */
export const KEY_HELP: readonly (readonly [string, string])[] = [
  ["Space / . / b", "play or pause"],
  ["← →", "step one event back or forward"],
  ["PageUp / PageDown, N / n", "previous or next notable event"],
  ["[ ]", "slower or faster"],
  ["p", "projector mode"],
  ["?", "this list of keys"],
  ["Esc", "close a menu, a message's details or this list; cancel a partition"],
];
