/** What a key does. Presentation remotes send PageUp/PageDown for back/next and "." or "b" to blank. */
export type KeyCommand =
  | "togglePlay" | "stepForward" | "stepBack" | "nextNotable" | "prevNotable"
  | "faster" | "slower" | "toggleProjector" | "reset";

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
};

/** The command for a key press, or null; typing into a field never triggers one. */
export function commandForKey(
  key: string, target: { tagName?: string; type?: string; isContentEditable?: boolean } | null, mods: { ctrl: boolean; meta: boolean; alt: boolean },
): KeyCommand | null {
  if (mods.ctrl || mods.meta || mods.alt) return null;
  const tag = target?.tagName?.toUpperCase();
  // The scrubber and check boxes take no typing: the shortcuts still apply there.
  const typing = tag === "INPUT" ? !["range", "checkbox", "button"].includes(target?.type ?? "text") : tag === "TEXTAREA" || tag === "SELECT";
  if (typing || target?.isContentEditable) return null;
  return KEYS[key] ?? null;
}

export const KEY_HELP: readonly (readonly [string, string])[] = [
  ["Space / . / b", "play or pause"],
  ["← →", "step one event back or forward"],
  ["PageUp / PageDown, N / n", "previous or next notable event"],
  ["[ ]", "slower or faster"],
  ["p", "projector mode"],
  ["Esc", "close a server's menu, cancel a partition"],
];
