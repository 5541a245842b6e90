import type { Action, LoggedAction } from "@drydock/kernel";
import type { OptionSpec, OptionValues, ScenarioDef } from "./scenario.js";
import { CHART_DEFAULTS, CHART_TIMEOUTS, CHART_TRIALS, type ChartSettings } from "./chart-settings.js";
import { SPEEDS } from "./speeds.js";

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

export type LinkResult = { readonly ok: true; readonly link: LinkState } | { readonly ok: false; readonly error: string };

/** Most actions a link may carry: each is an event to replay. */
export const ACTIONS_MAX = 10_000;
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

export function encodeActions(actions: readonly { readonly index: number; readonly at: number; readonly action: unknown }[]): string {
  if (actions.length === 0) return "";
  const json = JSON.stringify(actions.map((a) => [a.index, a.at, a.action]));
  const bytes = new TextEncoder().encode(json);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeActions(text: string): LoggedAction[] {
  if (text === "") return [];
  let json: string;
  try {
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    json = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    throw new Error("the action log is not valid base64url text");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error("the action log is not valid JSON");
  }
  if (!Array.isArray(raw)) throw new Error("the action log is not a list");
  if (raw.length > ACTIONS_MAX) throw new Error(`the action log has ${raw.length.toLocaleString("en")} actions, more than the ${ACTIONS_MAX.toLocaleString("en")} a link may carry`);
  let last = -1;
  return raw.map((entry: unknown, i) => {
    if (!Array.isArray(entry) || entry.length !== 3) throw new Error(`action ${i + 1} is malformed`);
    const [index, at, action] = entry as [unknown, unknown, unknown];
    if (!Number.isSafeInteger(index) || (index as number) < last || !Number.isSafeInteger(at) || (at as number) < 0) {
      throw new Error(`action ${i + 1} has a bad position`);
    }
    if (action === null || typeof action !== "object" || typeof (action as { type?: unknown }).type !== "string") {
      throw new Error(`action ${i + 1} has no type`);
    }
    last = index as number;
    return { index: index as number, at: at as number, action: action as Action };
  });
}

function parseOption(spec: OptionSpec, text: string | null): number | boolean | string {
  if (text === null) return spec.def;
  switch (spec.kind) {
    case "int": {
      const n = Number(text);
      if (!Number.isInteger(n) || n < spec.min || n > spec.max) throw new Error(`${spec.label} must be a whole number from ${spec.min} to ${spec.max}, not "${text}"`);
      return n;
    }
    case "bool":
      return parseBool(spec.label, text);
    case "choice":
      if (!spec.choices.includes(text)) throw new Error(`${spec.label} must be one of ${spec.choices.join(", ")}, not "${text}"`);
      return text;
  }
}

function parseBool(label: string, text: string): boolean {
  if (text === "1" || text === "true" || text === "") return true;
  if (text === "0" || text === "false") return false;
  throw new Error(`${label} must be 1 or 0, not "${text}"`);
}

export function defaultOptions(scenario: ScenarioDef): OptionValues {
  return Object.fromEntries(scenario.options.map((o) => [o.key, o.def]));
}

function parseChart(p: URLSearchParams): ChartSettings {
  const trialsText = p.get("trials");
  const trials = trialsText === null ? CHART_DEFAULTS.trials : Number(trialsText);
  if (!CHART_TRIALS.includes(trials)) throw new Error(`the charts' trials must be one of ${CHART_TRIALS.join(", ")}, not "${trialsText}"`);
  const timeouts = p.get("ctimeout") ?? CHART_DEFAULTS.timeouts;
  if (!Object.hasOwn(CHART_TIMEOUTS, timeouts)) throw new Error(`the charts' election timeout must be one of ${Object.keys(CHART_TIMEOUTS).join(", ")}, not "${timeouts}"`);
  const pv = p.get("cprevote");
  return { trials, timeouts, prevote: pv === null ? CHART_DEFAULTS.prevote : parseBool("The charts' PreVote", pv) };
}

const flag = (p: URLSearchParams, key: string): boolean => p.has(key) && p.get(key) !== "0";

/**
 * Reads a link: its query (`search`) and its fragment (`hash`), where the action log lives so a
 * long session never meets a web server's limit on request lines (the fragment is never sent).
 * An action log in the query (links made before it moved) is still read. A bad or outdated link
 * gives an error in words a user can act on.
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
  try {
    const version = p.get("v");
    if (version !== null && version !== String(LINK_VERSION)) {
      throw new Error(`it was made by another version of drydock (link version ${version}, this is version ${LINK_VERSION})`);
    }
    // `?lab=<slug>` alone opens the lab scene (its option `lab` names the lab).
    const id = p.get("scenario") ?? (p.has("lab") && scenarios.some((s) => s.id === "lab") ? "lab" : fallback.id);
    const scenario = scenarios.find((s) => s.id === id);
    if (!scenario) throw new Error(`there is no scenario called "${id}" (scenarios: ${scenarios.map((s) => s.id).join(", ")})`);
    const view = p.get("view");
    if (view !== null && view !== "charts" && view !== scenario.view) throw new Error(`the ${scenario.id} scenario has no "${view}" view`);
    const seed = p.get("seed") ?? "1";
    if (!SEED_RE.test(seed)) throw new Error(`the seed must be 1 to 40 letters, digits, ".", "_" or "-", not "${seed}"`);
    const options = Object.fromEntries(scenario.options.map((o) => [o.key, parseOption(o, p.get(o.key))]));
    const ui: Record<string, string> = {};
    for (const key of scenario.settings ?? []) {
      const v = p.get(key);
      if (v === null) continue;
      if (!SETTING_RE.test(v)) throw new Error(`the setting ${key} must be up to 200 letters, digits and , . _ : ~ -, not "${v.slice(0, 40)}"`);
      ui[key] = v;
    }
    const actions = decodeActions(h.get("actions") ?? p.get("actions") ?? "");
    const num = (key: string, what: string): number | null => {
      const v = p.get(key);
      if (v === null) return null;
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${what} must be a whole, non-negative number, not "${v}"`);
      return n;
    };
    // How far a position may be is not checked here: opening a link replays at most a bounded
    // amount of work (see replay.ts), and a link past it opens at the nearest point it reaches.
    const events = num("e", "the event number");
    const timeUs = num("t", "the time");
    const speedText = p.get("speed");
    let speed: number | null = null;
    if (speedText !== null) {
      speed = Number(speedText);
      if (!SPEEDS.some((s) => s.value === speed)) throw new Error(`the speed must be one of ${SPEEDS.map((s) => s.value).join(", ")}, not "${speedText}"`);
    }
    const selected = p.get("sel");
    if (selected !== null && !NAME_RE.test(selected)) throw new Error(`the selected node must be a name of up to 64 letters and digits, not "${selected.slice(0, 40)}"`);
    const chart = parseChart(p);
    const term = p.get("term");
    if (term !== null && term !== "0" && term !== "1") throw new Error(`term must be 1 (show the terminal) or 0, not "${term.slice(0, 40)}"`);
    const terminal = term === null ? null : term === "1";
    const host = p.get("on");
    if (host !== null && !NAME_RE.test(host)) throw new Error(`the terminal's host must be a name of up to 64 letters and digits, not "${host.slice(0, 40)}"`);
    return { ok: true, link: { scenario: scenario.id, seed, options, actions, events, timeUs, ...flags, terminal, ui, speed, selected, chart, ...(host !== null ? { host } : {}) } };
  } catch (e) {
    return { ok: false, error: `This link could not be opened: ${(e as Error).message}. Showing the default scenario instead.` };
  }
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
