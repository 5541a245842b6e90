import type { Component } from "svelte";
import type { Action, Counters, InFlight, LoggedAction, Micros, NetState, NodeId, Simulation, TraceRecord } from "@drydock/kernel";
import type { ExecResult, Playground } from "@drydock/playground";
import type { Transcript } from "./terminal/transcript.js";
import type { Sequence } from "./sequence.js";
import type { AppState } from "./state.svelte.js";

// The contract between the app and a scenario. A scenario is one folder under scenarios/ whose
// index.ts exports `scenario` (a ScenarioDef made with defineScenario): its driver, its view and
// panel components and the typed view model they share. The app finds the folders by itself
// (scenarios.ts, import.meta.glob) and knows nothing of any one of them.

// Any model's simulation: the app reads it only through the kernel's public API.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySim = Simulation<any, any, any>;

/** A user action as the UI makes it: a kernel NetAction or a model's own action (plain JSON). */
export type AppAction = { readonly type: string; readonly [key: string]: unknown };

/** A notable moment on the timeline (a leader change, a member declared dead). */
export interface Mark {
  readonly t: Micros;
  readonly label: string;
}

/**
 * Who a lane of the sequence diagram stands for: a node today; a container or a service as the
 * views that need them arrive (a message between endpoints is drawn between their actors).
 */
export interface Actor {
  readonly id: string;
  /** The lane's name on the screen. */
  readonly label: string;
  readonly kind: "node" | "container" | "service" | "others";
}

/** Every node as an actor of its own (the usual lanes). */
export function nodeActors(nodes: readonly NodeId[]): Actor[] {
  return nodes.map((id) => ({ id, label: id, kind: "node" }));
}

/**
 * How far back a long run can be seen. The kernel keeps at most `historyMax` snapshots: past it
 * every other one goes and the interval doubles, but the first stays, so every instant from the
 * start is reachable and a jump back replays at most one interval. The trace keeps a window of
 * records (keepTraceWindow); older ones are regenerated from a snapshot when the view needs them.
 */
export interface Reach {
  /** The earliest instant the view can go back to. */
  readonly fromUs: Micros;
  readonly snapshots: number;
  /** Virtual time between snapshots now: the most a jump back replays. */
  readonly snapshotEveryUs: Micros;
  /** The instant the kept trace starts at, when older records were thinned (else null). */
  readonly traceFromUs: Micros | null;
}

/** An immutable picture of the run at one instant: what every view and control reads. */
export interface Frame<V = unknown> {
  readonly now: Micros;
  readonly events: number;
  /**
   * The furthest instant the room has been shown (the scrubber's end). Not the kernel's horizon:
   * a "next notable event" search that finds nothing runs a minute ahead, and a scrubber
   * stretched over that minute left the election it had shown a few pixels wide.
   */
  readonly horizonUs: Micros;
  /** How far back the view can go, and what a jump back costs (history is thinned as the run grows). */
  readonly reach: Reach;
  /** The scenario's view model: typed by the scenario, built by its driver. */
  readonly view: V;
  readonly inFlight: readonly InFlight[];
  /** The network (an immutable value): who is up, partitions, cut links. */
  readonly net: NetState;
  /** The sequence diagram: its lanes, the arrows of its window and what it left out. */
  readonly sequence: Sequence;
  readonly counters: Counters;
  readonly actions: number;
}

/** One option a scenario accepts from the URL or the options panel. */
export type OptionSpec =
  | { readonly key: string; readonly label: string; readonly kind: "int"; readonly min: number; readonly max: number; readonly def: number }
  | {
    readonly key: string; readonly label: string; readonly kind: "bool"; readonly def: boolean;
    /** Why the option does nothing with these options (its control is then disabled and says so), else null. */
    readonly inert?: (options: OptionValues) => string | null;
  }
  | {
    readonly key: string; readonly label: string; readonly kind: "choice"; readonly choices: readonly string[]; readonly def: string;
    /** Options that go back to their defaults when this one changes (a lab's step when another lab is picked). */
    readonly resets?: readonly string[];
  };

export type OptionValues = Readonly<Record<string, number | boolean | string>>;

/**
 * How the app moves a scenario's run through time and acts on it. A simulation is one as it is
 * (`simTimeline`); a driver that runs a companion beside its simulation (the heartbeat baseline
 * beside SWIM) keeps the companion in step behind this interface, so the app knows nothing of it.
 */
export interface Timeline {
  step(): boolean;
  runUntil(t: Micros): void;
  seek(t: Micros): void;
  seekEvent(n: number): void;
  /** Takes a user action now (validated by the kernel; a bad one throws and changes nothing). */
  act(action: AppAction): void;
  /** A session's actions, into a fresh run: they apply as the run reaches them. */
  loadActions(actions: readonly LoggedAction[]): void;
  /**
   * Events processed by every simulation behind the timeline: what a replay has cost. Opening a
   * link replays at most a bounded amount of this (see replay.ts).
   */
  work(): number;
}

/** The timeline of a driver with one simulation. */
export function simTimeline(sim: AnySim): Timeline {
  return {
    step: () => sim.step(),
    runUntil: (t) => sim.runUntil(t),
    seek: (t) => sim.seek(t),
    seekEvent: (n) => sim.seekEvent(n),
    act: (a) => sim.act(a as Action),
    loadActions: (list) => sim.loadActions(list),
    work: () => sim.eventCount,
  };
}

/**
 * What a scenario's key does, decided from the view model on the screen: actions to take now (each
 * lands in the action log), a change to one of the view's settings, or why nothing applies.
 */
export type KeyOutcome =
  | { readonly actions: readonly AppAction[]; readonly notice: string }
  | { readonly setting: readonly [key: string, value: string]; readonly notice: string }
  | { readonly refused: string };

/** What a key's decision may read besides the view model. */
export interface KeyInput {
  readonly now: Micros;
  readonly selected: string | null;
  /** The view's settings (ScenarioDef.settings). */
  readonly ui: Readonly<Record<string, string>>;
}

/** A key a scenario adds for an instructor without a mouse (RaftScope's C, R, T, A). */
export interface ScenarioKey<V = unknown> {
  /** KeyboardEvent.key, e.g. "c". */
  readonly key: string;
  /** What it does, for the `?` overlay. */
  readonly label: string;
  run(view: V, input: KeyInput): KeyOutcome;
}

/** What the app tells a driver when it builds a view model: the user's choices, not the run's. */
export interface ViewInput {
  /** The selected server or member (gossip: the watched one), or null. */
  readonly selected: string | null;
}

/**
 * What a view needs from a running scenario. A driver owns the simulation (and any companion
 * behind its timeline); the app state calls it, views read its `view()`.
 */
export interface Driver<V = unknown> {
  /** The simulation whose clock, events, trace and action log are the run's. */
  readonly sim: AnySim;
  /** Every move through time and every action goes through here. */
  readonly timeline: Timeline;
  /** Lanes of the sequence diagram, in order: who sends and receives (nodes today). */
  readonly actors: readonly Actor[];
  /** The actor a trace record's sender or receiver belongs to (an endpoint's container); by default the node itself. */
  actorOf?(endpoint: NodeId): string | null;
  /** An immutable view model of the state now (`inFlight`: the simulation's, already read). */
  view(inFlight: readonly InFlight[], input: ViewInput): V;
  /**
   * The notable moments among trace records trace[from..] (a leader elected, a member declared
   * dead), read through the protocol's own typed events where it has them (raft's raftEvents).
   */
  notable(trace: readonly TraceRecord[], from: number): readonly Mark[];
  /** A short label for a message on a link or an arrow. */
  messageLabel(msg: unknown): string;
  /** The message's kind for the message-type filter (the view's `hide` setting), when it has one. */
  messageKind?(msg: unknown): string;
  /** Every field of a message, for its details on click. */
  messageFields?(msg: unknown): [string, string][];
  /** The future after `t` was dropped (an action forked it): forget what was seen there. */
  forkAt?(t: Micros): void;
  /**
   * The playground whose world `sim` runs, for the terminal panel (terminal/world.ts). Optional: a
   * simulation of the playground's world model gets one over it without this.
   */
  readonly playground?: Playground;
  /**
   * The terminal's transcript, when the driver typed lines the terminal should show (a lab opened
   * at a step shows the steps before it). By default a fresh one from the scene's first instant.
   */
  readonly transcript?: Transcript;
  /**
   * A line the terminal ran at `on` (`early`: it could not start). A lab judges it. True keeps the
   * run paused after it (a lab's instructor mode pauses at each step) rather than playing on.
   */
  typed?(line: string, on: string, early: ExecResult | null): boolean;
  /**
   * The options that rebuild this run, when the driver rebuilds it from its options alone (a lab:
   * its slug and step): the link then carries these and no action log or position.
   */
  linkOptions?(): OptionValues;
}

/**
 * What a view may use of the app: commands (act, select, setting, pause, a notice) and the user's
 * choices (selected, ui, projector), never the simulation or the driver: the run reaches a view
 * only as frames.
 */
export type ViewHost = Pick<AppState, "act" | "select" | "selected" | "setting" | "ui" | "pause" | "play" | "seekTime" | "notice" | "projector" | "terminal" | "external" | "embed">;

/** What a scenario's view component gets: the frame (typed by the scenario), the type size, and the app for commands. */
export interface ViewProps<V> {
  readonly app: ViewHost;
  readonly frame: Frame<V>;
  /** The frame for text (counters, keys): while playing it follows at ~10 per second, to save layout and paint. */
  readonly panel: Frame<V>;
  /** The type size in CSS pixels (src/lib/type.ts). */
  readonly base: number;
}

/** What a scenario's side panel gets: the panel's frame (it follows playback at ~10 per second). */
export interface PanelProps<V> {
  readonly app: ViewHost;
  readonly frame: Frame<V>;
}

export interface ScenarioDef<V = any> {
  readonly id: string;
  readonly title: string;
  /** The picker's order (lowest first; the first is the default scenario). */
  readonly order: number;
  /** The view's name in the link (`view=`): old links name it. */
  readonly view: string;
  /** Draws the frame. */
  readonly component: Component<ViewProps<V>>;
  /** The scenario's part of the side panel, above the options (optional). */
  readonly panel?: Component<PanelProps<V>>;
  readonly blurb: string;
  readonly options: readonly OptionSpec[];
  /** Virtual time the sequence diagram shows before now. */
  readonly windowUs: Micros;
  /** A sensible playback speed (virtual seconds per real second). */
  readonly speed: number;
  /**
   * Link parameters the scenario's view keeps (what it shows or hides, whom it watches): plain
   * text values, kept in the link so it reproduces the screen, never part of the simulation.
   */
  readonly settings?: readonly string[];
  /**
   * The terminal panel (terminal/) opens with the scene. A scene whose simulation runs the
   * playground's world has the panel either way, one click (or `term=1` in the link) away.
   */
  readonly terminal?: boolean;
  /**
   * A page of its own instead of the app, for some settings (a lab's speaker notes, `notes=1`,
   * in a second window): null for the app.
   */
  page?(ui: Readonly<Record<string, string>>): Component<{ app: AppState }> | null;
  /** Keys of its own (listed in the `?` overlay with the app's). */
  readonly keys?: readonly ScenarioKey<V>[];
  create(seed: string, options: OptionValues): Driver<V>;
}

/** Ties a scenario's parts to one view model type (a view reading the wrong model fails to compile). */
export function defineScenario<V>(def: ScenarioDef<V>): ScenarioDef<V> {
  return def;
}

export type { InFlight };
