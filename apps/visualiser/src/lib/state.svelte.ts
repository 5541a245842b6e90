import { formatDuration, isDrydockError, type Counters, type Micros } from "@drydock/kernel";
import type { AnySim, AppAction, Driver, Frame, Mark, OptionValues, Reach, ScenarioDef, Timeline } from "./scenario.js";
import { buildSequence, laneList, type Sequence } from "./sequence.js";
import { defaultOptions, formatLink, parseLink, splitLink, type LinkState } from "./url.js";
import { speedIndexOf } from "./speeds.js";
import { CHART_DEFAULTS, type ChartSettings } from "./chart-settings.js";
import { OPEN_EVENTS_MAX, advance, describeTarget, type Target } from "./replay.js";
import { Playback } from "./playback.svelte.js";
import { Marks } from "./marks.svelte.js";
import { Fingerprint, type Hashes } from "./fingerprint.svelte.js";
import { LinkSync } from "./link-sync.js";
import { TimeTravel } from "./travel.js";
import { TerminalBinding } from "./terminal/binding.js";
import { Transcript } from "./terminal/transcript.js";
import { playgroundOf } from "./terminal/world.js";

export { SPEEDS } from "./speeds.js";
export type { Frame } from "./scenario.js";
export type { Hashes } from "./fingerprint.svelte.js";

/**
 * Trace records the app keeps (the latest 50,000 to 100,000): the sequence diagram's window and
 * a margin. Older records are hashed as the run goes and regenerated from a snapshot when needed
 * (the kernel's keepTraceWindow); marks are read from each record as it is traced.
 */
export const TRACE_WINDOW = 100_000;
/** Virtual time the run goes on after a typed line before the view shows it: a few LAN round trips. */
const LINE_SETTLE_US = 50_000;
/** While playing, the panel frame (text, the sequence diagram) follows at most this often. */
const PANEL_EVERY_MS = 100;

/**
 * The app's state: what the screen shows and the commands that change it. The jobs live in their
 * own classes: Playback (playing, speed, how far a frame moves), TimeTravel (exact steps, the
 * notable-event search, the sequence window after a seek), Marks (notable moments), Fingerprint
 * (hashes, a step at a time) and LinkSync (the address bar). This class loads a link, turns the
 * simulation into immutable frames, and takes actions.
 *
 * Simulation snapshots and frames are immutable values kept in `$state.raw` fields (replaced,
 * never mutated); every user action becomes a command in the simulation's action log, so
 * (scenario, seed, options, action log, position) describes the screen.
 */
export class AppState {
  readonly scenarios: readonly ScenarioDef[];
  scenario = $state.raw<ScenarioDef>(null!);
  seed = $state.raw("1");
  options = $state.raw<OptionValues>({});
  frame = $state.raw<Frame>(null!);
  /** The frame for text (counters, clock, panels): while playing it follows at ~10 per second, to save layout and paint. */
  panel = $state.raw<Frame>(null!);
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
  /** The terminal panel (a scene with a playground; ScenarioDef.terminal opens it by default), kept in the link. */
  showTerminal = $state.raw(false);
  /** The view's own settings (ScenarioDef.settings), kept in the link. */
  ui = $state.raw<Readonly<Record<string, string>>>({});
  /** A link that could not be opened. */
  linkError = $state.raw<string | null>(null);
  /** A link that opened short of the point it names (its replay would cost too much), and why. */
  linkNote = $state.raw<string | null>(null);
  /** What the charts view runs (kept in the link). */
  chart = $state.raw<ChartSettings>(CHART_DEFAULTS);
  selected = $state.raw<string | null>(null);
  /** The `?` overlay listing every key. */
  help = $state.raw(false);
  /** Bumped whenever a new driver is created, so views can reset their layout. */
  generation = $state.raw(0);

  readonly playback = new Playback();
  readonly travel = new TimeTravel();
  readonly notables = new Marks();
  readonly fingerprint: Fingerprint;
  private readonly link: LinkSync;

  driver!: Driver;
  /** The terminal panel bound to the scene's playground (terminal/binding.ts), or null when it runs none. */
  terminal: TerminalBinding | null = null;
  private shownUs = 0;
  private panelAt = -Infinity;

  /**
   * `later` runs the run's fingerprints as a job of small steps (each returns true when the job
   * is done). The browser starts it once the user stops scrubbing and runs a step between
   * frames; by default it runs to the end at once.
   */
  constructor(
    scenarios: readonly ScenarioDef[], link: string, writeUrl: (link: string) => void = () => {},
    later: (step: () => boolean) => void = (step) => { while (!step()) { /* to the end */ } },
  ) {
    this.scenarios = scenarios;
    this.link = new LinkSync(writeUrl);
    this.fingerprint = new Fingerprint(later);
    const fallback = scenarios[0]!;
    const { search, hash } = splitLink(link);
    const parsed = parseLink(search, scenarios, fallback, hash);
    // A link with a part not understood still opens its valid parts (url.ts), and says what it dropped.
    if (parsed.link) {
      try {
        this.load(parsed.link);
        this.linkError = parsed.ok ? null : parsed.error;
        return;
      } catch (e) {
        this.linkError = `This link could not be opened: ${describe(e)}. Showing the default scenario instead.`;
        this.linkNote = null;
      }
    } else if (!parsed.ok) {
      this.linkError = parsed.error;
    }
    const p = new URLSearchParams(search);
    this.load({
      scenario: fallback.id, seed: "1", options: defaultOptions(fallback), actions: [], events: null, timeUs: null,
      charts: false, embed: p.has("embed"), projector: p.has("projector"), autoPause: true,
      panel: !p.has("projector"), sequence: !p.has("projector"), terminal: null, ui: {}, speed: null, selected: null, chart: CHART_DEFAULTS,
    });
  }

  get sim() {
    return this.driver.sim;
  }

  /** Every move through time and every action goes through the driver's timeline. */
  get timeline(): Timeline {
    return this.driver.timeline;
  }

  get playing(): boolean {
    return this.playback.playing;
  }

  get speedIndex(): number {
    return this.playback.speedIndex;
  }

  get speed(): number {
    return this.playback.speed;
  }

  get marks(): readonly Mark[] {
    return this.notables.list;
  }

  get hashes(): Hashes | null {
    return this.fingerprint.hashes;
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
    const pg = playgroundOf(driver);
    // Lines logged before the scene's first instant built it (the swarm's init and joins): the terminal shows those typed after.
    const terminal = pg ? new TerminalBinding(pg, driver.transcript ?? new Transcript(sim.eventCount)) : null;
    tl.loadActions(link.actions);
    // Marks are read from the trace after each step of the replay, before the window drops it.
    this.driver = driver;
    this.notables.reset();
    const scan = (): void => this.notables.scan(sim, driver);
    const budget = { left: OPEN_EVENTS_MAX };
    // A link that names no position and no action opens where the driver opened its run (a lab at its step).
    const target: Target = link.events !== null ? { events: link.events, timeUs: null }
      : link.timeUs === null && link.actions.length === 0 ? { events: sim.eventCount, timeUs: null } : { events: null, timeUs: link.timeUs ?? 0 };
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
    if (terminal) {
      // A fresh page has a link's lines but not what they printed: a scratch replay reads it.
      terminal.transcript.fill(sim.session(), terminal.pg.nodes);
      terminal.resume(sim.eventCount);
      // The host picker's choice, carried in the link (`on=`), wins over the last typed line's host.
      if (link.host && terminal.pg.nodes.includes(link.host)) terminal.moveTo(link.host);
    }
    this.terminal = terminal;
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
    this.showTerminal = terminal !== null && (link.terminal ?? scenario.terminal === true);
    this.ui = link.ui;
    this.chart = link.chart;
    this.linkNote = note;
    this.playback.playing = false;
    this.selected = link.selected !== null && sim.net.nodes.includes(link.selected) ? link.selected : null;
    this.shownUs = 0;
    this.travel.forget();
    this.generation++;
    const speed = speedIndexOf(link.speed ?? scenario.speed);
    if (speed >= 0) this.playback.speedIndex = speed;
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
      panel: this.showPanel, sequence: this.showSequence, terminal: scenario === this.scenario ? this.showTerminal : null,
      ui: scenario === this.scenario ? this.ui : {},
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
    const driver = this.driver;
    const playing = this.playing;
    this.notables.scan(sim, driver);
    this.travel.fillWindow(this.timeline, sim, this.scenario.windowUs);
    this.shownUs = Math.max(this.shownUs, sim.now);
    const inFlight = sim.inFlight();
    // While playing, text and the sequence diagram follow at ~10 frames a second (the panel
    // frame): they span the page, and rebuilding and repainting them at 60 costs more than the
    // view itself.
    const wall = typeof performance === "undefined" ? 0 : performance.now();
    const old = this.frame as Frame | null;
    const panelDue = !playing || !old || wall - this.panelAt >= PANEL_EVERY_MS || old.now > sim.now;
    const sequence = panelDue || !old ? this.buildSequence() : old.sequence;
    this.frame = {
      now: sim.now,
      events: sim.eventCount,
      horizonUs: this.shownUs,
      reach: reachOf(sim),
      view: driver.view(inFlight, { selected: this.selected }),
      inFlight,
      net: sim.net,
      sequence,
      counters: copyCounters(sim.counters),
      actions: sim.actionLog.length,
    };
    if (panelDue) {
      this.panel = this.frame;
      this.panelAt = wall;
    }
    if (playing) this.fingerprint.follow(sim);
    else {
      const events = sim.eventCount;
      // A newer move or play makes the job moot (a newer one follows the move).
      this.fingerprint.schedule(sim, () => this.driver !== driver || this.playing || sim.eventCount !== events);
    }
    this.link.update(() => this.linkSearch(), forceUrl || !playing);
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
    return buildSequence(sim.trace, sim.now, this.scenario.windowUs, laneList(d.actors, first), d.messageLabel, undefined, hidden, sim.traceStart === 0, d.actorOf);
  }

  linkState(): LinkState {
    const sim = this.sim;
    // A driver that rebuilds its run from its options (a lab at a step) is linked by them alone.
    const own = this.driver.linkOptions?.();
    return {
      scenario: this.scenario.id, seed: this.seed, options: own ? { ...this.options, ...own } : this.options,
      actions: own ? [] : sim.session().actions, events: own ? null : sim.eventCount, timeUs: own ? null : sim.now, charts: this.charts, embed: this.embed, projector: this.projector,
      autoPause: this.autoPause, panel: this.showPanel, sequence: this.showSequence,
      terminal: this.terminal ? this.showTerminal : null, ui: this.ui,
      speed: this.speed, selected: this.selected, chart: this.chart,
      host: this.terminal && this.terminal.host !== this.terminal.pg.nodes[0] ? this.terminal.host : null,
    };
  }

  /** The link to this exact moment: "?query#actions=…". */
  linkSearch(): string {
    return formatLink(this.linkState(), this.scenario);
  }

  // ---- playback and time travel ----------------------------------------------------------

  play(): void {
    this.playback.play();
    this.notice = null;
  }

  pause(): void {
    if (!this.playing) return;
    this.playback.playing = false;
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
    this.travel.forget();
    try {
      if (!this.playback.advance(this.timeline, before, realMs)) return;
    } catch (e) {
      this.playback.playing = false;
      this.notice = `The simulation stopped: ${describe(e)}`;
      this.refresh(true);
      return;
    }
    this.notables.scan(sim, this.driver);
    // Marks already known from an earlier pass over this future count too.
    const first = this.autoPause ? this.notables.between(before, sim.now) : undefined;
    if (first) {
      if (first.t < sim.now) this.timeline.seek(first.t);
      this.playback.playing = false;
      this.notice = `Paused: ${first.label}`;
      this.refresh(true);
      return;
    }
    this.refresh();
  }

  /** Forward one event; after stepping back, to exactly where the step back started (the clock too). */
  stepForward(): void {
    this.playback.playing = false;
    this.notice = null;
    this.travel.stepForward(this.timeline, this.sim);
    this.refresh(true);
  }

  /** Back one event, to exactly the state before it (the clock too, if a step left from there). */
  stepBack(): void {
    this.playback.playing = false;
    this.notice = null;
    this.travel.stepBack(this.timeline, this.sim);
    this.refresh(true);
  }

  seekTime(t: Micros): void {
    this.travel.forget();
    this.notice = null;
    this.timeline.seek(Math.max(0, Math.round(t)));
    this.refresh(true);
  }

  seekEvent(n: number): void {
    this.travel.forget();
    this.notice = null;
    this.timeline.seekEvent(n);
    this.refresh(true);
  }

  /** Jumps to the next notable event, searching a bounded stretch ahead when none is known (TimeTravel.nextNotable). */
  nextNotable(): void {
    this.playback.playing = false;
    this.travel.forget();
    const sim = this.sim;
    const driver = this.driver;
    const said = this.travel.nextNotable(this.timeline, sim, () => this.notables.list, () => this.notables.scan(sim, driver), this.scenario.windowUs);
    this.notice = said;
    this.refresh(true);
  }

  prevNotable(): void {
    this.playback.playing = false;
    this.travel.forget();
    this.notice = this.travel.prevNotable(this.timeline, this.sim, this.notables.list);
    this.refresh(true);
  }

  faster(): void {
    this.setSpeed(this.speedIndex + 1);
  }

  slower(): void {
    this.setSpeed(this.speedIndex - 1);
  }

  setSpeed(index: number): void {
    if (this.playback.setSpeed(index)) this.link.update(() => this.linkSearch(), true);
  }

  /** What the charts view runs; kept in the link. */
  setChart(settings: ChartSettings): void {
    this.chart = settings;
    this.link.update(() => this.linkSearch(), true);
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
    this.travel.forget();
    this.shownUs = now;
    // The old future's marks are gone with it.
    this.driver.forkAt?.(now);
    this.notables.forkAt(now);
    this.notice = description ?? null;
    this.refresh(true);
    return true;
  }

  /**
   * A line typed at the terminal panel, run at its prompt's host (TerminalBinding.run): an `exec`
   * action in the log, so the link carries it; typed after going back, it forks a new future as
   * any action does. Returns what the terminal prints at once besides the transcript (ssh's
   * answer, a line that could not start).
   */
  type(line: string): string {
    const t = this.terminal;
    if (!t) return "";
    this.pause();
    const local = t.answerLocally(line);
    if (local !== null) return local;
    if (line.trim() === "") return "";
    const now = this.sim.now;
    const on = t.host;
    t.transcript.forkAt(this.sim.eventCount);
    let early;
    try {
      early = t.run(line);
    } catch (e) {
      this.notice = `Not done: ${describe(e)}`;
      this.refresh(true);
      return "";
    }
    const hold = this.driver.typed?.(line, on, early) === true;
    if (early) {
      this.refresh(true);
      return early.stdout + early.stderr;
    }
    // What the line set in motion a round trip away (a removal the leader's Raft commits a few ms
    // later) shows with its prompt, not a few frames after.
    this.timeline.runUntil(this.sim.now + LINE_SETTLE_US);
    this.travel.forget();
    this.shownUs = now;
    this.driver.forkAt?.(now);
    this.notables.forkAt(now);
    this.notice = null;
    this.refresh(true);
    // The world goes on after a line, as a real one does: what the line set in motion (a removal
    // Raft has yet to commit, tasks to start) shows as the run plays on.
    if (!hold) this.play();
    return "";
  }

  /**
   * A change a driver makes on its playground itself (a lab's step done for the learner, a step
   * gone back to): paused, the terminal's and marks' futures forked as an action forks them, then
   * the screen re-read. A failure leaves a notice.
   */
  external<T>(run: () => T): T | undefined {
    this.playback.playing = false;
    const sim = this.sim;
    const now = sim.now;
    this.terminal?.transcript.forkAt(sim.eventCount);
    let out: T | undefined;
    try {
      out = run();
    } catch (e) {
      this.notice = `Not done: ${describe(e)}`;
    }
    this.travel.forget();
    this.shownUs = Math.min(now, this.sim.now);
    this.driver.forkAt?.(Math.min(now, this.sim.now));
    this.notables.forkAt(Math.min(now, this.sim.now));
    this.refresh(true);
    return out;
  }

  /** Ctrl-C at the terminal panel: interrupts the line running at its prompt's host (a logged action). */
  interruptLine(): boolean {
    const t = this.terminal;
    if (!t || !t.busy) return false;
    return this.act({ type: "interrupt", host: t.host });
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
    this.playback.playing = false;
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

  setFlag(flag: "projector" | "embed" | "autoPause" | "charts" | "showPanel" | "showSequence" | "showTerminal", value: boolean): void {
    this[flag] = value;
    // Projector mode gives the picture the screen: the panel and the diagram fold away (and come
    // back with normal mode); either can still be opened, and the link keeps what is shown.
    if (flag === "projector") this.showPanel = this.showSequence = !value;
    this.link.update(() => this.linkSearch(), true);
  }
}

/** The kernel's history as the screen states it (see Reach). */
function reachOf(sim: AnySim): Reach {
  const h = sim.history();
  const first = sim.trace[0];
  return { fromUs: 0, snapshots: h.snapshots, snapshotEveryUs: h.snapshotEveryUs, traceFromUs: sim.traceStart > 0 && first ? first.t : null };
}

function describe(e: unknown): string {
  if (isDrydockError(e)) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

function copyCounters(c: Counters): Counters {
  return { ...c, dropped: { ...c.dropped }, sentBy: [...c.sentBy], bytesBy: [...c.bytesBy], receivedBy: [...c.receivedBy] };
}
