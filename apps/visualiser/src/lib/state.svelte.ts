import { isDrydockError, type Counters, type InFlight, type Micros } from "@drydock/kernel";
import type { AppAction, Driver, Mark, OptionValues, ScenarioDef } from "./drivers/types.js";
import { buildArrows, laneList, type Arrow } from "./sequence.js";
import { defaultOptions, formatLink, parseLink, type LinkState } from "./url.js";

/** Playback speeds in virtual seconds per real second; 0 is one event at a time. */
export const SPEEDS: readonly { readonly label: string; readonly short: string; readonly value: number }[] = [
  { label: "1 event at a time", short: "1 event", value: 0 },
  { label: "0.01×", short: "0.01×", value: 0.01 },
  { label: "0.03×", short: "0.03×", value: 0.03 },
  { label: "0.1×", short: "0.1×", value: 0.1 },
  { label: "0.25×", short: "0.25×", value: 0.25 },
  { label: "1× (real time)", short: "1×", value: 1 },
  { label: "3×", short: "3×", value: 3 },
  { label: "10×", short: "10×", value: 10 },
];

const EVENT_STEP_MS = 350;
/** How far "next notable event" searches past the end of the known timeline. */
const NOTABLE_SEARCH_US = 60_000_000;
const URL_EVERY_MS = 1_000;
/** Step-forward origins remembered for stepping back exactly. */
const STEPS_MAX = 1_000;

/** An immutable picture of the run at one instant: what every view and control reads. */
export interface Frame {
  readonly now: Micros;
  readonly events: number;
  /**
   * The furthest instant the room has been shown (the scrubber's end). Not the kernel's horizon:
   * a "next notable event" search that finds nothing runs a minute ahead, and a scrubber
   * stretched over that minute left the election it had shown a few pixels wide.
   */
  readonly horizonUs: Micros;
  readonly view: unknown;
  readonly inFlight: readonly InFlight[];
  readonly arrows: readonly Arrow[];
  readonly counters: Counters;
  readonly actions: number;
}

export interface Hashes {
  readonly trace: string;
  readonly state: string;
}

/**
 * The app's state. Simulation snapshots and frames are immutable values kept in `$state.raw`
 * fields (replaced, never mutated); every user action becomes a command in the simulation's
 * action log, so (scenario, seed, options, action log, position) describes the screen.
 */
export class AppState {
  readonly scenarios: readonly ScenarioDef[];
  scenario = $state.raw<ScenarioDef>(null!);
  seed = $state.raw("1");
  options = $state.raw<OptionValues>({});
  frame = $state.raw<Frame>(null!);
  /** The frame for text (counters, clock, panels): while playing it follows at ~10 per second, to save layout and paint. */
  panel = $state.raw<Frame>(null!);
  marks = $state.raw<readonly Mark[]>([]);
  playing = $state.raw(false);
  speedIndex = $state.raw(3);
  autoPause = $state.raw(true);
  projector = $state.raw(false);
  embed = $state.raw(false);
  charts = $state.raw(false);
  /**
   * A passing message (an auto-pause, a refused action) and the position it speaks of: it is
   * shown only while the run stands there, so stepping or scrubbing away can never leave it stale.
   */
  private said = $state.raw<{ readonly text: string; readonly events: number; readonly now: Micros } | null>(null);
  /** The side panel (Figure 2 state, options, counters); collapsed by default in projector mode. */
  showPanel = $state.raw(true);
  /** The sequence diagram under the view; collapsed by default in projector mode. */
  showSequence = $state.raw(true);
  /** The view's own settings (ScenarioDef.settings), kept in the link. */
  ui = $state.raw<Readonly<Record<string, string>>>({});
  /** A link that could not be opened. */
  linkError = $state.raw<string | null>(null);
  hashes = $state.raw<Hashes | null>(null);
  selected = $state.raw<string | null>(null);
  /** Bumped whenever a new driver is created, so views can reset their layout. */
  generation = $state.raw(0);

  driver!: Driver;
  private scanned = 0;
  private shownUs = 0;
  private arrowsAt = -Infinity;
  private panelAt = -Infinity;
  private steps: { events: number; now: number }[] = [];
  private markKeys = new Set<string>();
  private eventClock = 0;
  private urlWrittenAt = -Infinity;
  private readonly writeUrl: (search: string) => void;
  private readonly later: (work: () => void) => void;

  /**
   * `later` defers the run's fingerprints (hashing a 1,000-member state takes a good part of a
   * second): the browser debounces them while the user scrubs; by default they are computed now.
   */
  constructor(
    scenarios: readonly ScenarioDef[], search: string, writeUrl: (search: string) => void = () => {},
    later: (work: () => void) => void = (work) => work(),
  ) {
    this.scenarios = scenarios;
    this.writeUrl = writeUrl;
    this.later = later;
    const fallback = scenarios[0]!;
    const parsed = parseLink(search, scenarios, fallback);
    if (parsed.ok) {
      try {
        this.load(parsed.link);
        return;
      } catch (e) {
        this.linkError = `This link could not be opened: ${describe(e)}. Showing the default scenario instead.`;
      }
    } else {
      this.linkError = parsed.error;
    }
    const p = new URLSearchParams(search);
    this.load({
      scenario: fallback.id, seed: "1", options: defaultOptions(fallback), actions: [], events: null, timeUs: null,
      charts: false, embed: p.has("embed"), projector: p.has("projector"), autoPause: true,
      panel: !p.has("projector"), sequence: !p.has("projector"), ui: {},
    });
  }

  get sim() {
    return this.driver.sim;
  }

  /** The notice, while the run stands where it was said (null once the run moved on). */
  get notice(): string | null {
    const n = this.said;
    const f = this.frame as Frame | null;
    if (!n) return null;
    if (f && (f.events !== n.events || f.now !== n.now)) return null;
    return n.text;
  }

  set notice(text: string | null) {
    const sim = this.driver?.sim;
    this.said = text === null ? null : { text, events: sim?.eventCount ?? 0, now: sim?.now ?? 0 };
  }

  get speed(): number {
    return SPEEDS[this.speedIndex]!.value;
  }

  /** Builds the run a link describes: fresh simulation, the logged actions, then the position. */
  load(link: LinkState): void {
    const scenario = this.scenarios.find((s) => s.id === link.scenario)!;
    const driver = scenario.create(link.seed, link.options);
    driver.sim.loadActions(link.actions);
    driver.loadCompanions?.(link.actions);
    // Replay past the last logged action first: a link whose actions no longer apply (an
    // outdated or edited link) fails here, as a whole, rather than later in the middle of play.
    const last = link.actions[link.actions.length - 1];
    if (last) driver.sim.seekEvent(last.index + 1);
    if (driver.sim.actionLog.length !== link.actions.length) throw new Error("its actions do not fit this scenario");
    if (link.events !== null) {
      driver.sim.seekEvent(link.events);
      // Playback stops between events: the clock may stand past the last event processed.
      const t = link.timeUs;
      if (t !== null && t > driver.sim.now && driver.sim.nextEventTime > t) driver.sim.runUntil(t);
    } else if (link.timeUs !== null) driver.sim.seek(link.timeUs);
    else driver.sim.seekEvent(0);
    driver.sync?.();
    this.driver = driver;
    this.scenario = scenario;
    this.seed = link.seed;
    this.options = link.options;
    this.charts = link.charts;
    this.embed = link.embed;
    this.projector = link.projector;
    this.autoPause = link.autoPause;
    this.showPanel = link.panel;
    this.showSequence = link.sequence;
    this.ui = link.ui;
    this.playing = false;
    this.selected = null;
    this.scanned = 0;
    this.shownUs = 0;
    this.steps = [];
    this.markKeys = new Set();
    this.marks = [];
    this.generation++;
    const speed = SPEEDS.findIndex((s) => s.value === scenario.speed);
    if (speed >= 0) this.speedIndex = speed;
    this.refresh(true);
  }

  /** Starts the scenario again with the given seed and options (and no actions). */
  restart(scenarioId: string, seed: string, options?: OptionValues): void {
    const scenario = this.scenarios.find((s) => s.id === scenarioId) ?? this.scenarios[0]!;
    this.linkError = null;
    this.notice = null;
    this.load({
      scenario: scenario.id, seed, options: options ?? defaultOptions(scenario), actions: [], events: null, timeUs: null,
      charts: this.charts, embed: this.embed, projector: this.projector, autoPause: this.autoPause,
      panel: this.showPanel, sequence: this.showSequence, ui: scenario === this.scenario ? this.ui : {},
    });
  }

  reset(): void {
    this.restart(this.scenario.id, this.seed, this.options);
  }

  // ---- reading the simulation into immutable frames ------------------------------------

  /** Re-reads the simulation after it moved. */
  refresh(forceUrl = false): void {
    const sim = this.sim;
    this.scanMarks();
    this.shownUs = Math.max(this.shownUs, sim.now);
    const inFlight = sim.inFlight();
    // The sequence diagram follows playback at ~15 frames a second: its arrows need not be
    // rebuilt more often than that.
    const wall = typeof performance === "undefined" ? 0 : performance.now();
    const old = this.frame as Frame | null;
    const arrows = this.playing && old && wall - this.arrowsAt < 60 && old.now <= sim.now
      ? old.arrows
      : buildArrows(sim.trace, sim.now, this.scenario.windowUs, laneList(this.driver.lanes), this.driver.messageLabel);
    if (arrows !== old?.arrows) this.arrowsAt = wall;
    this.frame = {
      now: sim.now,
      events: sim.eventCount,
      horizonUs: this.shownUs,
      view: this.driver.view(inFlight),
      inFlight,
      arrows,
      counters: structuredCloneCounters(sim.counters),
      actions: sim.actionLog.length,
    };
    if (!this.playing || wall - this.panelAt >= 100) {
      this.panel = this.frame;
      this.panelAt = wall;
    }
    this.hashes = null;
    if (!this.playing) {
      const driver = this.driver;
      this.later(() => {
        if (this.driver !== driver || this.playing) return;
        this.hashes = { trace: driver.sim.traceHash(), state: driver.sim.stateHash() };
      });
    }
    this.updateUrl(forceUrl || !this.playing);
  }

  private scanMarks(): void {
    const trace = this.sim.trace;
    if (trace.length < this.scanned) this.scanned = trace.length;
    if (trace.length === this.scanned) return;
    let added: Mark[] | null = null;
    for (let i = this.scanned; i < trace.length; i++) {
      const r = trace[i]!;
      const label = this.driver.notable(r);
      if (label === null) continue;
      const key = `${r.t}|${label}`;
      if (this.markKeys.has(key)) continue;
      this.markKeys.add(key);
      (added ??= []).push({ t: r.t, label });
    }
    this.scanned = trace.length;
    if (added) this.marks = [...this.marks, ...added].sort((a, b) => a.t - b.t);
  }

  linkState(): LinkState {
    const sim = this.sim;
    return {
      scenario: this.scenario.id, seed: this.seed, options: this.options, actions: sim.session().actions,
      events: sim.eventCount, timeUs: sim.now, charts: this.charts, embed: this.embed, projector: this.projector,
      autoPause: this.autoPause, panel: this.showPanel, sequence: this.showSequence, ui: this.ui,
    };
  }

  linkSearch(): string {
    return formatLink(this.linkState(), this.scenario);
  }

  private updateUrl(now: boolean): void {
    const wall = typeof performance === "undefined" ? 0 : performance.now();
    if (!now && wall - this.urlWrittenAt < URL_EVERY_MS) return;
    this.urlWrittenAt = wall;
    this.writeUrl(this.linkSearch());
  }

  // ---- time travel -----------------------------------------------------------------------

  play(): void {
    this.playing = true;
    this.notice = null;
    this.eventClock = 0;
  }

  pause(): void {
    if (!this.playing) return;
    this.playing = false;
    this.refresh(true);
  }

  togglePlay(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Advances playback by `realMs` of wall time (called once per animation frame). */
  tick(realMs: number): void {
    if (!this.playing) return;
    const sim = this.sim;
    const before = sim.now;
    this.steps = [];
    try {
      if (this.speed === 0) {
        this.eventClock += realMs;
        if (this.eventClock < EVENT_STEP_MS) return;
        this.eventClock = 0;
        sim.step();
      } else {
        // At most 100 ms of wall time per frame, so a stalled tab does not leap ahead.
        sim.runUntil(before + Math.max(1, Math.round(Math.min(realMs, 100) * 1000 * this.speed)));
      }
      this.driver.sync?.();
    } catch (e) {
      this.playing = false;
      this.notice = `The simulation stopped: ${describe(e)}`;
      this.refresh(true);
      return;
    }
    this.scanMarks();
    // Marks already known from an earlier pass over this future count too.
    const first = this.autoPause ? this.marks.find((m) => m.t > before && m.t <= sim.now) : undefined;
    if (first) {
      if (first.t < sim.now) sim.seek(first.t);
      this.driver.sync?.();
      this.playing = false;
      this.notice = `Paused: ${first.label}`;
      this.refresh(true);
      return;
    }
    this.refresh();
  }

  stepForward(): void {
    this.playing = false;
    this.notice = null;
    const sim = this.sim;
    const from = { events: sim.eventCount, now: sim.now };
    if (sim.step()) {
      // Remember where each step started: playback may have paused the clock between events.
      if (this.steps.length >= STEPS_MAX) this.steps.shift();
      this.steps.push(from);
    }
    this.driver.sync?.();
    this.refresh(true);
  }

  /** Back one event, to exactly the state before it (the clock too, if a step left from there). */
  stepBack(): void {
    this.playing = false;
    this.notice = null;
    const sim = this.sim;
    if (sim.eventCount > 0) {
      const n = sim.eventCount - 1;
      const from = this.steps[this.steps.length - 1];
      this.steps.pop();
      sim.seekEvent(n);
      if (from && from.events === n && from.now > sim.now && sim.nextEventTime > from.now) sim.runUntil(from.now);
    }
    this.driver.sync?.();
    this.refresh(true);
  }

  seekTime(t: Micros): void {
    this.steps = [];
    this.notice = null;
    this.sim.seek(Math.max(0, Math.round(t)));
    this.driver.sync?.();
    this.refresh(true);
  }

  seekEvent(n: number): void {
    this.steps = [];
    this.notice = null;
    this.sim.seekEvent(n);
    this.driver.sync?.();
    this.refresh(true);
  }

  /** Jumps to the next notable event, running the simulation on to find one if needed. */
  nextNotable(): void {
    this.playing = false;
    this.steps = [];
    const sim = this.sim;
    const now = sim.now;
    const events = sim.eventCount;
    let next = this.marks.find((m) => m.t > now);
    if (!next) {
      const limit = Math.max(sim.history().horizonUs, now) + NOTABLE_SEARCH_US;
      const seen = this.marks.length;
      const chunk = Math.max(10_000, Math.round(this.scenario.windowUs / 4));
      while (sim.now < limit) {
        sim.runUntil(Math.min(limit, sim.now + chunk));
        this.scanMarks();
        if (this.marks.length > seen) break;
      }
      next = this.marks.find((m) => m.t > now);
    }
    if (next) {
      sim.seek(next.t);
      this.notice = next.label;
    } else {
      // Stay where the room was looking (the scrubber keeps its range: see Frame.horizonUs).
      sim.seekEvent(events);
      if (now > sim.now && sim.nextEventTime > now) sim.runUntil(now);
      this.notice = "No notable event in the next minute.";
    }
    this.driver.sync?.();
    this.refresh(true);
  }

  prevNotable(): void {
    this.playing = false;
    this.steps = [];
    const now = this.sim.now;
    const earlier = this.marks.filter((m) => m.t < now);
    const prev = earlier[earlier.length - 1];
    if (prev) {
      this.sim.seek(prev.t);
      this.notice = prev.label;
    } else {
      this.sim.seek(0);
      this.notice = "Back to the start: no earlier notable event.";
    }
    this.driver.sync?.();
    this.refresh(true);
  }

  faster(): void {
    this.speedIndex = Math.min(SPEEDS.length - 1, this.speedIndex + 1);
  }

  slower(): void {
    this.speedIndex = Math.max(0, this.speedIndex - 1);
  }

  setSpeed(index: number): void {
    this.speedIndex = Math.max(0, Math.min(SPEEDS.length - 1, index));
  }

  // ---- acting ------------------------------------------------------------------------------

  /**
   * Takes a user action at the current instant. After going back this forks a new future
   * (the old one is dropped), as RaftScope does. A refused action changes nothing.
   */
  act(action: AppAction, description?: string): boolean {
    const now = this.sim.now;
    try {
      this.driver.act(action);
    } catch (e) {
      this.notice = `Not done: ${describe(e)}`;
      return false;
    }
    this.steps = [];
    this.shownUs = now;
    // The old future's marks are gone with it.
    this.driver.forkAt?.(now);
    const kept = this.marks.filter((m) => m.t <= now);
    if (kept.length !== this.marks.length) {
      this.marks = kept;
      this.markKeys = new Set(kept.map((m) => `${m.t}|${m.label}`));
    }
    this.notice = description ?? null;
    this.refresh(true);
    return true;
  }

  /** Sets one of the view's settings (an empty value removes it from the link). */
  setting(key: string, value: string): void {
    if ((this.ui[key] ?? "") === value) return;
    const next = { ...this.ui };
    if (value) next[key] = value;
    else delete next[key];
    this.ui = next;
    this.updateUrl(true);
  }

  select(node: string | null): void {
    this.selected = node;
  }

  setFlag(flag: "projector" | "embed" | "autoPause" | "charts" | "showPanel" | "showSequence", value: boolean): void {
    this[flag] = value;
    // Projector mode gives the picture the screen: the panel and the diagram fold away (and come
    // back with normal mode); either can still be opened, and the link keeps what is shown.
    if (flag === "projector") this.showPanel = this.showSequence = !value;
    this.updateUrl(true);
  }
}

function describe(e: unknown): string {
  if (isDrydockError(e)) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

function structuredCloneCounters(c: Counters): Counters {
  return { ...c, dropped: { ...c.dropped }, sentBy: [...c.sentBy], bytesBy: [...c.bytesBy], receivedBy: [...c.receivedBy] };
}
