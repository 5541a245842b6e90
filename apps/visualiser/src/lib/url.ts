import type { Action, LoggedAction } from "@drydock/kernel";
import type { OptionSpec, OptionValues, ScenarioDef } from "./scenario.js";
import { CHART_DEFAULTS, CHART_TIMEOUTS, CHART_TRIALS, type ChartSettings } from "./chart-settings.js";
import { SPEEDS } from "./speeds.js";
import { labBySlug } from "./labs/catalog.js";
import { ACTIONS_MAX, decodeActions, encodeActions } from "./actions-link.js";

export { ACTIONS_MAX, decodeActions, encodeActions };

/** Bumped when a link's meaning changes; older links are reported, not misread. */
export const LINK_VERSION = 1;

/** Everything a link carries: enough to rebuild exactly what the room saw. */
export interface LinkState {
  readonly scenario: string;
  readonly seed: string;
  readonly options: OptionValues;
  readonly actions: readonly LoggedAction[];
  /** Events processed (exact position); wins over time when both are given. */
  readonly events: number | null;
  /** Virtual time in microseconds. */
  readonly timeUs: number | null;
  readonly charts: boolean;
  readonly embed: boolean;
  readonly projector: boolean;
  readonly autoPause: boolean;
  /** The side panel is shown (default: not in projector mode). */
  readonly panel: boolean;
  /** The sequence diagram is shown (default: not in projector mode). */
  readonly sequence: boolean;
  /** The terminal panel is shown; null: as the scene has it (ScenarioDef.terminal). */
  readonly terminal: boolean | null;
  /** The view's own settings (ScenarioDef.settings), by parameter name. */
  readonly ui: Readonly<Record<string, string>>;
  /** Playback speed (a SPEEDS value); null: the scenario's own. */
  readonly speed: number | null;
  /** The selected server or member (its menu closed: the panel shows it, gossip watches it). */
  readonly selected: string | null;
  /** What the charts view runs. */
  readonly chart: ChartSettings;
  /** The terminal's host when it is not the first (`on=`): the host picker's choice, kept without a typed line. */
  readonly host?: string | null;
}

/**
 * A link read (ok), or refused with the reason; a refused link whose scene is known still has
 * `link`, its valid parts, for the page to open (parseLink).
 */
export type LinkResult = { readonly ok: true; readonly link: LinkState } | { readonly ok: false; readonly error: string; readonly link?: LinkState };

const SEED_RE = /^[A-Za-z0-9_.-]{1,40}$/;
const NAME_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
const SETTING_RE = /^[A-Za-z0-9,._:~-]{0,200}$/;

/** Splits "?query#fragment" (either part may be missing) into its two parts, without their marks. */
export function splitLink(link: string): { search: string; hash: string } {
  const i = link.indexOf("#");
  const search = i < 0 ? link : link.slice(0, i);
  const hash = i < 0 ? "" : link.slice(i + 1);
  return { search: search.replace(/^\?/, ""), hash };
}


/** A value from a link as the notice quotes it: at most 40 characters, control characters escaped (the page shows it as text). */
const quoted = (text: string): string => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** An option's value from a link; one not understood is kept in range or set to its default, and `note` says so. */
function parseOption(spec: OptionSpec, text: string | null, note: (what: string) => void): number | boolean | string {
  if (text === null) return spec.def;
  switch (spec.kind) {
    case "int": {
      const n = Number(text);
      const v = !Number.isSafeInteger(n) ? spec.def : Math.min(spec.max, Math.max(spec.min, n));
      if (v !== n) note(`${spec.label} must be a whole number from ${spec.min} to ${spec.max}, not ${quoted(text)}; using ${v}`);
      return v;
    }
    case "bool":
      try {
        return parseBool(spec.label, text);
      } catch (e) {
        note(`${(e as Error).message}; using ${spec.def ? 1 : 0}`);
        return spec.def;
      }
    case "choice":
      if (spec.choices.includes(text)) return text;
      note(`${spec.label} must be one of ${spec.choices.join(", ")}, not ${quoted(text)}; using ${spec.def}`);
      return spec.def;
  }
}

function parseBool(label: string, text: string): boolean {
  if (text === "1" || text === "true" || text === "") return true;
  if (text === "0" || text === "false") return false;
  throw new Error(`${label} must be 1 or 0, not ${quoted(text)}`);
}

export function defaultOptions(scenario: ScenarioDef): OptionValues {
  return Object.fromEntries(scenario.options.map((o) => [o.key, o.def]));
}

function parseChart(p: URLSearchParams, note: (what: string) => void): ChartSettings {
  const trialsText = p.get("trials");
  let trials = trialsText === null ? CHART_DEFAULTS.trials : Number(trialsText);
  if (!CHART_TRIALS.includes(trials)) {
    note(`the charts' trials must be one of ${CHART_TRIALS.join(", ")}, not ${quoted(trialsText ?? "")}; using ${CHART_DEFAULTS.trials}`);
    trials = CHART_DEFAULTS.trials;
  }
  let timeouts = p.get("ctimeout") ?? CHART_DEFAULTS.timeouts;
  if (!Object.hasOwn(CHART_TIMEOUTS, timeouts)) {
    note(`the charts' election timeout must be one of ${Object.keys(CHART_TIMEOUTS).join(", ")}, not ${quoted(timeouts)}; using ${CHART_DEFAULTS.timeouts}`);
    timeouts = CHART_DEFAULTS.timeouts;
  }
  const pv = p.get("cprevote");
  let prevote = CHART_DEFAULTS.prevote;
  if (pv !== null) {
    try {
      prevote = parseBool("The charts' PreVote", pv);
    } catch (e) {
      note(`${(e as Error).message}; using ${CHART_DEFAULTS.prevote ? 1 : 0}`);
    }
  }
  return { trials, timeouts, prevote };
}

const flag = (p: URLSearchParams, key: string): boolean => p.has(key) && p.get(key) !== "0";

/** A scene's short name for a notice: its title up to the colon ("Raft"). */
const shortTitle = (s: ScenarioDef): string => s.title.split(":")[0]!;

/**
 * A lab's step from a link (`step=N`): 1 to one past its last step (the lab done); a step past
 * that shows the last step, one before the first shows the first.
 */
function labStep(slug: string, text: string | null, note: (what: string) => void): number {
  const steps = labBySlug(slug)?.steps.length ?? 1;
  if (text === null) return 1;
  const n = Number(text);
  if (Number.isSafeInteger(n) && n >= 1 && n <= steps + 1) return n;
  const v = Number.isSafeInteger(n) && n > steps ? steps : 1;
  note(`step=${quoted(text).slice(1, -1)}: the lab ${slug} has steps 1 to ${steps}; showing step ${v}`);
  return v;
}

/**
 * Reads a link: its query (`search`) and its fragment (`hash`), where the action log lives so a
 * long session never meets a web server's limit on request lines (the fragment is never sent).
 * An action log in the query (links made before it moved) is still read.
 *
 * A link made by another version, or whose action log is broken, is refused: `error` says why in
 * words a user can act on. A link with one option not understood (a typo'd speed, a stale step)
 * is refused too, but `link` then keeps its valid parts: the scene or lab it names, with that
 * option at its default or in range, and `error` names what was not understood, so the page
 * opens what the link meant and says what it dropped. A scene or lab that does not exist keeps
 * the link's flags (projector, embed) on the default scene.
 */
export function parseLink(search: string, scenarios: readonly ScenarioDef[], fallback: ScenarioDef, hash = ""): LinkResult {
  const p = new URLSearchParams(search);
  const h = new URLSearchParams(hash.replace(/^#/, ""));
  const projector = flag(p, "projector");
  const shown = (key: string): boolean => (p.has(key) ? p.get(key) !== "0" : !projector);
  const flags = {
    charts: p.get("view") === "charts", embed: flag(p, "embed"), projector, autoPause: p.get("autopause") !== "0",
    panel: shown("panel"), sequence: shown("seq"),
  };
  const notes: string[] = [];
  const note = (what: string): void => {
    notes.push(what);
  };
  let actions: LoggedAction[];
  try {
    const version = p.get("v");
    if (version !== null && version !== String(LINK_VERSION)) {
      throw new Error(`it was made by another version of drydock (link version ${version}, this is version ${LINK_VERSION})`);
    }
    actions = decodeActions(h.get("actions") ?? p.get("actions") ?? "");
  } catch (e) {
    return { ok: false, error: `This link could not be opened: ${(e as Error).message}. Showing the default scenario instead.` };
  }
  // `?lab=<slug>` alone opens the lab scene (its option `lab` names the lab).
  const labs = scenarios.find((s) => s.id === "lab");
  const id = p.get("scenario") ?? (p.has("lab") && labs ? "lab" : fallback.id);
  let scenario = scenarios.find((s) => s.id === id);
  if (!scenario) note(`there is no scene named ${quoted(id)}; showing ${shortTitle(fallback)}`);
  const lab = p.get("lab");
  if (scenario?.id === "lab" && lab !== null && labBySlug(lab) === undefined) {
    note(`there is no lab named ${quoted(lab)}; showing ${shortTitle(fallback)}`);
    scenario = undefined;
  }
  if (!scenario) {
    // Nothing of the rest applies to another scene: its options, position and actions are dropped.
    const link: LinkState = {
      scenario: fallback.id, seed: "1", options: defaultOptions(fallback), actions: [], events: null, timeUs: null, ...flags, charts: false,
      terminal: null, ui: {}, speed: null, selected: null, chart: CHART_DEFAULTS,
    };
    return { ok: false, error: `This link could not be opened: ${notes.join("; ")}.`, link };
  }
  const view = p.get("view");
  if (view !== null && view !== "charts" && view !== scenario.view) note(`the ${scenario.id} scene has no ${quoted(view)} view; showing its ${scenario.view} view`);
  let seed = p.get("seed") ?? "1";
  if (!SEED_RE.test(seed)) {
    note(`seed=${quoted(seed)} is not a seed (1 to 40 letters, digits, ".", "_" or "-"); using seed 1`);
    seed = "1";
  }
  const options = Object.fromEntries(scenario.options.map((o) => [
    o.key, scenario.id === "lab" && o.key === "step" ? labStep(String(p.get("lab") ?? o.def), p.get("step"), note) : parseOption(o, p.get(o.key), note),
  ]));
  const ui: Record<string, string> = {};
  for (const key of scenario.settings ?? []) {
    const v = p.get(key);
    if (v === null) continue;
    if (SETTING_RE.test(v)) ui[key] = v;
    else note(`the setting ${key} must be up to 200 letters, digits and , . _ : ~ -, not ${quoted(v)}; left out`);
  }
  const num = (key: string, what: string): number | null => {
    const v = p.get(key);
    if (v === null) return null;
    const n = Number(v);
    if (Number.isSafeInteger(n) && n >= 0) return n;
    note(`${what} must be a whole, non-negative number, not ${quoted(v)}; left out`);
    return null;
  };
  // How far a position may be is not checked here: opening a link replays at most a bounded
  // amount of work (see replay.ts), and a link past it opens at the nearest point it reaches.
  const events = num("e", "the event number");
  const timeUs = num("t", "the time");
  const speedText = p.get("speed");
  let speed: number | null = null;
  if (speedText !== null) {
    const s = SPEEDS.find((x) => x.value === Number(speedText) && speedText.trim() !== "");
    if (s) speed = s.value;
    else note(`speed=${quoted(speedText).slice(1, -1)} is not a speed (${SPEEDS.map((x) => x.value).join(", ")}); playing at ${SPEEDS.find((x) => x.value === scenario.speed)?.short ?? scenario.speed}`);
  }
  let selected = p.get("sel");
  if (selected !== null && !NAME_RE.test(selected)) {
    note(`the selected node must be a name of up to 64 letters and digits, not ${quoted(selected)}; none selected`);
    selected = null;
  }
  const chart = parseChart(p, note);
  const term = p.get("term");
  if (term !== null && term !== "0" && term !== "1") note(`term must be 1 (show the terminal) or 0, not ${quoted(term)}; as the scene has it`);
  const terminal = term === "1" ? true : term === "0" ? false : null;
  let host = p.get("on");
  if (host !== null && !NAME_RE.test(host)) {
    note(`the terminal's host must be a name of up to 64 letters and digits, not ${quoted(host)}; the first host`);
    host = null;
  }
  const link: LinkState = { scenario: scenario.id, seed, options, actions, events, timeUs, ...flags, terminal, ui, speed, selected, chart, ...(host !== null ? { host } : {}) };
  if (notes.length === 0) return { ok: true, link };
  return { ok: false, error: `Part of this link could not be opened: ${notes.join("; ")}.`, link };
}

/**
 * Writes a link as "?query" plus "#actions=…" when there are actions; options at their defaults
 * and flags that are off are left out.
 */
export function formatLink(link: LinkState, scenario: ScenarioDef): string {
  const p = new URLSearchParams();
  p.set("v", String(LINK_VERSION));
  p.set("view", link.charts ? "charts" : scenario.view);
  p.set("scenario", link.scenario);
  p.set("seed", link.seed);
  for (const o of scenario.options) {
    const v = link.options[o.key];
    if (v === undefined || v === o.def) continue;
    p.set(o.key, typeof v === "boolean" ? (v ? "1" : "0") : String(v));
  }
  if (link.timeUs !== null) p.set("t", String(link.timeUs));
  if (link.events !== null) p.set("e", String(link.events));
  if (link.embed) p.set("embed", "");
  if (link.projector) p.set("projector", "");
  if (!link.autoPause) p.set("autopause", "0");
  if (link.speed !== null && link.speed !== scenario.speed) p.set("speed", String(link.speed));
  if (link.selected !== null) p.set("sel", link.selected);
  for (const key of scenario.settings ?? []) {
    const v = link.ui[key];
    if (v) p.set(key, v);
  }
  if (link.panel === link.projector) p.set("panel", link.panel ? "1" : "0");
  if (link.sequence === link.projector) p.set("seq", link.sequence ? "1" : "0");
  if (link.terminal !== null && link.terminal !== (scenario.terminal === true)) p.set("term", link.terminal ? "1" : "0");
  if (link.host) p.set("on", link.host);
  if (link.chart.trials !== CHART_DEFAULTS.trials) p.set("trials", String(link.chart.trials));
  if (link.chart.timeouts !== CHART_DEFAULTS.timeouts) p.set("ctimeout", link.chart.timeouts);
  if (link.chart.prevote !== CHART_DEFAULTS.prevote) p.set("cprevote", link.chart.prevote ? "1" : "0");
  const actions = encodeActions(link.actions);
  return "?" + p.toString().replace(/=(?=&|$)/g, "") + (actions ? `#actions=${actions}` : "");
}
