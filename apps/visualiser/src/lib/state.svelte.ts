import { formatDuration, isDrydockError, type Counters, type InFlight, type Micros, type NetState } from "@drydock/kernel";
import type { AppAction, Driver, Mark, OptionValues, ScenarioDef, Timeline } from "./drivers/types.js";
import { buildSequence, laneList, type Sequence } from "./sequence.js";
import { defaultOptions, formatLink, parseLink, splitLink, type LinkState } from "./url.js";
import { SPEEDS, speedIndexOf } from "./speeds.js";
import { CHART_DEFAULTS, type ChartSettings } from "./chart-settings.js";
import { OPEN_EVENTS_MAX, SEARCH_EVENTS_MAX, advance, describeTarget, type Target } from "./replay.js";

export { SPEEDS } from "./speeds.js";

const EVENT_STEP_MS = 350;
/** How far "next notable event" searches past the end of the known timeline. */
const NOTABLE_SEARCH_US = 60_000_000;
/** The speed shown before a scenario names its own. */
const DEFAULT_SPEED_INDEX = 3;
const URL_EVERY_MS = 1_000;
/** Step-forward origins remembered for stepping back exactly. */
const STEPS_MAX = 1_000;
/**
 * Trace records the app keeps (the latest 50,000 to 100,000): the sequence diagram's window and
 * a margin. Older records are hashed as the run goes and regenerated from a snapshot when needed
 * (the kernel's keepTraceWindow); marks are read from each record as it is traced.
 */
export const TRACE_WINDOW = 100_000;
/** Trace records hashed per step of the fingerprint job (about 20 ms) and per frame while playing. */
const HASH_SLICE = 15_000;
const HASH_PER_FRAME = 4_000;

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
  /** The network (an immutable value): who is up, partitions, cut links. */
  readonly net: NetState;
  /** The sequence diagram: its lanes, the arrows of its window and what it left out. */
  readonly sequence: Sequence;
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
  speedIndex = $state.raw(DEFAULT_SPEED_INDEX);
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
  /** A link that opened short of the point it names (its replay would cost too much), and why. */
  linkNote = $state.raw<string | null>(null);
  /** What the charts view runs (kept in the link). */
  chart = $state.raw<ChartSettings>(CHART_DEFAULTS);
  hashes = $state.raw<Hashes | null>(null);
  selected = $state.raw<string | null>(null);
  /** The `?` overlay listing every key. */
  help = $state.raw(false);
  /** Bumped whenever a new driver is created, so views can reset their layout. */
  generation = $state.raw(0);

  driver!: Driver;
  private scanned = 0;
  /** The trace window holds every record since `fromUs` while its first record is number `start`. */
  private covered: { readonly start: number; readonly fromUs: Micros } | null = null;
  private shownUs = 0;
  private arrowsAt = -Infinity;
  private panelAt = -Infinity;
  /** Where each step forward started (the clock may have stood between events): stepping back returns there. */
  private steps: { events: number; now: number }[] = [];
  /** Where each step back started: stepping forward again returns there, so back five and on five is the same instant. */
  private redo: { events: number; now: number }[] = [];
  private markKeys = new Set<string>();
  private eventClock = 0;
  private urlWrittenAt = -Infinity;
  private readonly writeUrl: (search: string) => void;
  private readonly later: (step: () => boolean) => void;

  /**
   * `later` runs the run's fingerprints as a job of small steps (each returns true when the job
   * is done): the trace hash catches up HASH_SLICE records a step, then the state is hashed.
   * The browser starts it once the user stops scrubbing and runs a step between frames; by
   * default it runs to the end at once.
   */
  constructor(
    scenarios: readonly ScenarioDef[], link: string, writeUrl: (link: string) => void = () => {},
    later: (step: () => boolean) => void = (step) => { while (!step()) { /* to the end */ } },
  ) {
    this.scenarios = scenarios;
    this.writeUrl = writeUrl;
    this.later = later;
    const fallback = scenarios[0]!;
    const { search, hash } = splitLink(link);
    const parsed = parseLink(search, scenarios, fallback, hash);
    if (parsed.ok) {
      try {
        this.load(parsed.link);
        return;
      } catch (e) {
        this.linkError = `This link could not be opened: ${describe(e)}. Showing the default scenario instead.`;
        this.linkNote = null;
      }
    } else {
      this.linkError = parsed.error;
    }
    const p = new URLSearchParams(search);
    this.load({
      scenario: fallback.id, seed: "1", options: defaultOptions(fallback), actions: [], events: null, timeUs: null,
      charts: false, embed: p.has("embed"), projector: p.has("projector"), autoPause: true,
      panel: !p.has("projector"), sequence: !p.has("projector"), ui: {}, speed: null, selected: null, chart: CHART_DEFAULTS,
    });
  }

  get sim() {
    return this.driver.sim;
  }

  /** Every move through time and every action goes through the driver's timeline. */
  get timeline(): Timeline {
    return this.driver.timeline;
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

  /**
   * Builds the run a link describes: a fresh simulation, the logged actions, then the position.
   * The replay is bounded (replay.ts): a link that needs more opens at the nearest point it
   * reaches, and `linkNote` says why.
   */
  load(link: LinkState): void {
    const scenario = this.scenarios.find((s) => s.id === link.scenario)!;
    const driver = scenario.create(link.seed, link.options);
    const sim = driver.sim;
    const tl = driver.timeline;
    tl.loadActions(link.actions);
    // Marks are read from the trace after each step of the replay, before the window drops it.
    this.driver = driver;
    this.scanned = 0;
    this.markKeys = new Set();
    this.marks = [];
    const scan = (): void => this.scanMarks();
    const budget = { left: OPEN_EVENTS_MAX };
    const target: Target = link.events !== null ? { events: link.events, timeUs: null } : { events: null, timeUs: link.timeUs ?? 0 };
    const last = link.actions[link.actions.length - 1];
    // Replay past the last logged action first: a link whose actions no longer apply (an
    // outdated or edited link) fails here, as a whole, rather than later in the middle of play.
    let asked = last ? `its last action, at event ${last.index.toLocaleString("en")}` : "";
    let reached = last ? advance(tl, sim, { events: last.index + 1, timeUs: null }, budget, scan) : true;
    if (reached) {
      asked = describeTarget(target);
      const behind = target.events !== null ? target.events < sim.eventCount : target.timeUs! < sim.now;
      if (!behind) reached = advance(tl, sim, target, budget, scan);
      else if (target.events !== null) tl.seekEvent(target.events);
      else tl.seek(target.timeUs!);
      // Playback stops between events: the clock may stand past the last event processed.
      const t = link.timeUs;
      if (reached && link.events !== null && t !== null && t > sim.now && sim.nextEventTime > t) tl.runUntil(t);
    }
    // The link's replay kept the whole trace and left hashing it for later (the fingerprint job,
    // between frames); from here on the trace keeps a window, dropping records once hashed.
    sim.keepTraceWindow(TRACE_WINDOW);
    let note: string | null = null;
    if (!reached) {
      const later = link.actions.filter((a) => a.index >= sim.eventCount).length;
      note = `This link asks for ${asked}: replaying that far takes more than the ${OPEN_EVENTS_MAX.toLocaleString("en")} events`
        + ` this page replays when it opens a link, so it opened at event ${sim.eventCount.toLocaleString("en")} (${formatDuration(sim.now - (sim.now % 1000))}),`
        + ` the nearest point it reaches. Play on from here to go further.`
        + (later > 0 ? ` ${later} of its ${link.actions.length} action${link.actions.length === 1 ? "" : "s"} come${later === 1 ? "s" : ""} later and appl${later === 1 ? "ies" : "y"} when the run gets there.` : "");
    }
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
    this.chart = link.chart;
    this.linkNote = note;
    this.playing = false;
    this.selected = link.selected !== null && sim.net.nodes.includes(link.selected) ? link.selected : null;
    this.shownUs = 0;
    this.forgetSteps();
    this.generation++;
    const speed = speedIndexOf(link.speed ?? scenario.speed);
    if (speed >= 0) this.speedIndex = speed;
    this.refresh(true);
  }

  /** Starts the scenario again with the given seed and options (and no actions). */
  restart(scenarioId: string, seed: string, options?: OptionValues): void {
    const scenario = this.scenarios.find((s) => s.id === scenarioId) ?? this.scenarios[0]!;
    this.linkError = null;
    this.linkNote = null;
    this.notice = null;
    this.load({
      scenario: scenario.id, seed, options: options ?? defaultOptions(scenario), actions: [], events: null, timeUs: null,
      charts: this.charts, embed: this.embed, projector: this.projector, autoPause: this.autoPause,
      panel: this.showPanel, sequence: this.showSequence, ui: scenario === this.scenario ? this.ui : {},
      speed: scenario === this.scenario ? this.speed : null, selected: null, chart: this.chart,
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
    this.fillWindow();
    this.shownUs = Math.max(this.shownUs, sim.now);
    const inFlight = sim.inFlight();
    // The sequence diagram follows playback at ~15 frames a second: its arrows need not be
    // rebuilt more often than that.
    const wall = typeof performance === "undefined" ? 0 : performance.now();
    const old = this.frame as Frame | null;
    const sequence = this.playing && old && wall - this.arrowsAt < 60 && old.now <= sim.now ? old.sequence : this.buildSequence();
    if (sequence !== old?.sequence) this.arrowsAt = wall;
    this.frame = {
      now: sim.now,
      events: sim.eventCount,
      horizonUs: this.shownUs,
      view: this.driver.view(inFlight, { selected: this.selected }),
      inFlight,
      net: sim.net,
      sequence,
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
      const events = sim.eventCount;
      this.later(() => {
        // A newer move or play makes this job moot (a newer one follows the move).
        if (this.driver !== driver || this.playing || driver.sim.eventCount !== events) return true;
        if (!driver.sim.hashTraceSome(HASH_SLICE)) return false;
        this.hashes = { trace: driver.sim.traceHash(), state: driver.sim.stateHash() };
        return true;
      });
    }
    this.updateUrl(forceUrl || !this.playing);
  }

  /**
   * The sequence diagram's lanes and arrows. In a cluster too large for a lane each, the selected
   * (watched) member, crashed members and those the user acted on get lanes of their own.
   */
  private buildSequence(): Sequence {
    const sim = this.sim;
    const d = this.driver;
    const first: string[] = [];
    if (this.selected !== null) first.push(this.selected);
    const net = sim.net;
    for (const n of net.nodes) if (!net.up[n]) first.push(n);
    const log = sim.actionLog;
    for (let i = log.length - 1; i >= 0 && first.length < 16; i--) {
      if (log[i]!.index >= sim.eventCount) continue;
      const node = (log[i]!.action as { node?: unknown }).node;
      if (typeof node === "string") first.push(node);
    }
    const hide = new Set((this.ui.hide ?? "").split(",").filter((k) => k !== ""));
    const kind = d.messageKind;
    const hidden = hide.size > 0 && kind ? (m: unknown) => hide.has(kind(m)) : undefined;
    return buildSequence(sim.trace, sim.now, this.scenario.windowUs, laneList(d.lanes, first), d.messageLabel, undefined, hidden, sim.traceStart === 0);
  }

  /** Reads the records traced since the last scan (numbered across the whole trace) for marks. */
  private scanMarks(): void {
    const sim = this.sim;
    const trace = sim.trace;
    const start = sim.traceStart;
    const end = start + trace.length;
    if (end < this.scanned) this.scanned = end;
    if (end === this.scanned) return;
    let added: Mark[] | null = null;
    for (let i = Math.max(this.scanned, start); i < end; i++) {
      const r = trace[i - start]!;
      const label = this.driver.notable(r);
      if (label === null) continue;
      const key = `${r.t}|${label}`;
      if (this.markKeys.has(key)) continue;
      this.markKeys.add(key);
      (added ??= []).push({ t: r.t, label });
    }
    this.scanned = end;
    if (added) this.marks = [...this.marks, ...added].sort((a, b) => a.t - b.t);
  }

  /**
   * The sequence diagram shows the scenario's window before now. After a seek the kernel's trace
   * window may start later (it regenerates records from the snapshot it restored): replay that
   * stretch again from an earlier snapshot, and come back to exactly this position (events and
   * clock) without the kernel's forward jumps, which would start the window afresh.
   */
  private fillWindow(): void {
    const sim = this.sim;
    const from = Math.max(0, sim.now - this.scenario.windowUs);
    const first = sim.trace[0];
    if (sim.traceStart === 0 || (first !== undefined && first.t <= from)) return;
    // The window was refilled from a snapshot at or before `from` and has not dropped records since.
    const c = this.covered;
    if (c !== null && c.start === sim.traceStart && c.fromUs <= from) return;
    const tl = this.timeline;
    const events = sim.eventCount;
    const now = sim.now;
    tl.seek(from);
    // Every event before `now` is among the first `events` (they run in time order).
    if (now > 0) tl.runUntil(now - 1);
    while (sim.eventCount < events && tl.step()) { /* the events at `now` */ }
    if (now > sim.now && sim.nextEventTime > now) tl.runUntil(now);
    this.covered = { start: sim.traceStart, fromUs: from };
  }

  linkState(): LinkState {
    const sim = this.sim;
    return {
      scenario: this.scenario.id, seed: this.seed, options: this.options, actions: sim.session().actions,
      events: sim.eventCount, timeUs: sim.now, charts: this.charts, embed: this.embed, projector: this.projector,
      autoPause: this.autoPause, panel: this.showPanel, sequence: this.showSequence, ui: this.ui,
      speed: this.speed, selected: this.selected, chart: this.chart,
    };
  }

  /** The link to this exact moment: "?query#actions=…". */
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
    const tl = this.timeline;
    const before = sim.now;
    this.forgetSteps();
    try {
      if (this.speed === 0) {
        this.eventClock += realMs;
        if (this.eventClock < EVENT_STEP_MS) return;
        this.eventClock = 0;
        tl.step();
      } else {
        // At most 100 ms of wall time per frame, so a stalled tab does not leap ahead.
        tl.runUntil(before + Math.max(1, Math.round(Math.min(realMs, 100) * 1000 * this.speed)));
      }
    } catch (e) {
      this.playing = false;
      this.notice = `The simulation stopped: ${describe(e)}`;
      this.refresh(true);
      return;
    }
    this.scanMarks();
    // The hash follows the run a little each frame, so the trace window can drop what it hashed.
    sim.hashTraceSome(HASH_PER_FRAME);
    // Marks already known from an earlier pass over this future count too.
    const first = this.autoPause ? this.marks.find((m) => m.t > before && m.t <= sim.now) : undefined;
    if (first) {
      if (first.t < sim.now) tl.seek(first.t);
      this.playing = false;
      this.notice = `Paused: ${first.label}`;
      this.refresh(true);
      return;
    }
    this.refresh();
  }

  /** Forward one event; after stepping back, to exactly where the step back started (the clock too). */
  stepForward(): void {
    this.playing = false;
    this.notice = null;
    const sim = this.sim;
    const from = { events: sim.eventCount, now: sim.now };
    if (this.timeline.step()) {
      // Remember where each step started: playback may have paused the clock between events.
      remember(this.steps, from);
      const back = this.redo.pop();
      if (back && back.events === sim.eventCount) {
        if (back.now > sim.now && sim.nextEventTime > back.now) this.timeline.runUntil(back.now);
      } else this.redo = [];
    }
    this.refresh(true);
  }

  /** Back one event, to exactly the state before it (the clock too, if a step left from there). */
  stepBack(): void {
    this.playing = false;
    this.notice = null;
    const sim = this.sim;
    if (sim.eventCount > 0) {
      const n = sim.eventCount - 1;
      remember(this.redo, { events: sim.eventCount, now: sim.now });
      const from = this.steps.pop();
      this.timeline.seekEvent(n);
      if (from && from.events === n && from.now > sim.now && sim.nextEventTime > from.now) this.timeline.runUntil(from.now);
    }
    this.refresh(true);
  }

  private forgetSteps(): void {
    this.steps = [];
    this.redo = [];
  }

  seekTime(t: Micros): void {
    this.forgetSteps();
    this.notice = null;
    this.timeline.seek(Math.max(0, Math.round(t)));
    this.refresh(true);
  }

  seekEvent(n: number): void {
    this.forgetSteps();
    this.notice = null;
    this.timeline.seekEvent(n);
    this.refresh(true);
  }

  /**
   * Jumps to the next notable event, running the simulation on to find one if needed: up to a
   * minute ahead and at most SEARCH_EVENTS_MAX events of work, so a large cluster never freezes
   * the page while it looks.
   */
  nextNotable(): void {
    this.playing = false;
    this.forgetSteps();
    const sim = this.sim;
    const tl = this.timeline;
    const now = sim.now;
    const events = sim.eventCount;
    let next = this.marks.find((m) => m.t > now);
    let searchedUs = 0;
    if (!next) {
      const from = Math.max(sim.history().horizonUs, now);
      const limit = from + NOTABLE_SEARCH_US;
      const seen = this.marks.length;
      const budget = { left: SEARCH_EVENTS_MAX };
      if (sim.now < from) tl.seek(from);
      const chunk = Math.max(10_000, Math.round(this.scenario.windowUs / 4));
      while (sim.now < limit && budget.left > 0) {
        advance(tl, sim, { events: null, timeUs: Math.min(limit, sim.now + chunk) }, budget, () => this.scanMarks());
        if (this.marks.length > seen) break;
      }
      searchedUs = sim.now - from;
      next = this.marks.find((m) => m.t > now);
    }
    if (next) {
      tl.seek(next.t);
      this.notice = next.label;
    } else {
      // Stay where the room was looking (the scrubber keeps its range: see Frame.horizonUs).
      tl.seekEvent(events);
      if (now > sim.now && sim.nextEventTime > now) tl.runUntil(now);
      this.notice = searchedUs >= NOTABLE_SEARCH_US ? "No notable event in the next minute."
        : `No notable event in the next ${formatDuration(searchedUs - (searchedUs % 1000))} (the search stops after ${SEARCH_EVENTS_MAX.toLocaleString("en")} events).`;
    }
    this.refresh(true);
  }

  prevNotable(): void {
    this.playing = false;
    this.forgetSteps();
    const now = this.sim.now;
    const earlier = this.marks.filter((m) => m.t < now);
    const prev = earlier[earlier.length - 1];
    if (prev) {
      this.timeline.seek(prev.t);
      this.notice = prev.label;
    } else {
      this.timeline.seek(0);
      this.notice = "Back to the start: no earlier notable event.";
    }
    this.refresh(true);
  }

  faster(): void {
    this.setSpeed(this.speedIndex + 1);
  }

  slower(): void {
    this.setSpeed(this.speedIndex - 1);
  }

  setSpeed(index: number): void {
    const next = Math.max(0, Math.min(SPEEDS.length - 1, index));
    if (next === this.speedIndex) return;
    this.speedIndex = next;
    this.updateUrl(true);
  }

  /** What the charts view runs; kept in the link. */
  setChart(settings: ChartSettings): void {
    this.chart = settings;
    this.updateUrl(true);
  }

  // ---- acting ------------------------------------------------------------------------------

  /**
   * Takes a user action at the current instant. After going back this forks a new future
   * (the old one is dropped), as RaftScope does. A refused action changes nothing.
   */
  act(action: AppAction, description?: string): boolean {
    const now = this.sim.now;
    try {
      this.timeline.act(action);
    } catch (e) {
      this.notice = `Not done: ${describe(e)}`;
      return false;
    }
    this.forgetSteps();
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

  /**
   * Takes several actions at this instant, in order (a restart is a crash and a restart); stops
   * at the first refused one, which the notice names.
   */
  actAll(actions: readonly AppAction[], description: string): boolean {
    for (const a of actions) if (!this.act(a)) return false;
    this.notice = description;
    return true;
  }

  /** A scenario's own key (ScenarioDef.keys): false when the scenario has none for `key`. */
  runKey(key: string): boolean {
    const k = this.scenario.keys?.find((s) => s.key === key);
    if (!k) return false;
    this.playing = false;
    const out = k.run(this.frame.view, { now: this.sim.now, selected: this.selected, ui: this.ui });
    if ("refused" in out) this.notice = out.refused;
    else if ("setting" in out) {
      this.setting(out.setting[0], out.setting[1]);
      this.notice = out.notice;
    } else this.actAll(out.actions, out.notice);
    return true;
  }

  /** Sets one of the view's settings (an empty value removes it from the link). */
  setting(key: string, value: string): void {
    if ((this.ui[key] ?? "") === value) return;
    const next = { ...this.ui };
    if (value) next[key] = value;
    else delete next[key];
    this.ui = next;
    // The sequence diagram hides what the view hides.
    this.refresh(true);
  }

  /** Selects a server or member (gossip: the one whose news the view follows); kept in the link. */
  select(node: string | null): void {
    if (node === this.selected) return;
    this.selected = node;
    this.refresh(true);
  }

  setFlag(flag: "projector" | "embed" | "autoPause" | "charts" | "showPanel" | "showSequence", value: boolean): void {
    this[flag] = value;
    // Projector mode gives the picture the screen: the panel and the diagram fold away (and come
    // back with normal mode); either can still be opened, and the link keeps what is shown.
    if (flag === "projector") this.showPanel = this.showSequence = !value;
    this.updateUrl(true);
  }
}

function remember(list: { events: number; now: number }[], at: { events: number; now: number }): void {
  if (list.length >= STEPS_MAX) list.shift();
  list.push(at);
}

function describe(e: unknown): string {
  if (isDrydockError(e)) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

function structuredCloneCounters(c: Counters): Counters {
  return { ...c, dropped: { ...c.dropped }, sentBy: [...c.sentBy], bytesBy: [...c.bytesBy], receivedBy: [...c.receivedBy] };
}
