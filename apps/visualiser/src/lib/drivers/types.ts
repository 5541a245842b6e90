import type { Action, InFlight, LoggedAction, Micros, NodeId, Simulation, TraceRecord } from "@drydock/kernel";

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

/** One option a scenario accepts from the URL or the options panel. */
export type OptionSpec =
  | { readonly key: string; readonly label: string; readonly kind: "int"; readonly min: number; readonly max: number; readonly def: number }
  | {
    readonly key: string; readonly label: string; readonly kind: "bool"; readonly def: boolean;
    /** Why the option does nothing with these options (its control is then disabled and says so), else null. */
    readonly inert?: (options: OptionValues) => string | null;
  }
  | { readonly key: string; readonly label: string; readonly kind: "choice"; readonly choices: readonly string[]; readonly def: string };

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
  /** Lanes of the sequence diagram, in order. */
  readonly lanes: readonly NodeId[];
  /** An immutable view model of the state now (`inFlight`: the simulation's, already read). */
  view(inFlight: readonly InFlight[], input: ViewInput): V;
  /** A label when a trace record is worth stopping at, else null. */
  notable(record: TraceRecord): string | null;
  /** A short label for a message on a link or an arrow. */
  messageLabel(msg: unknown): string;
  /** The message's kind for the message-type filter (the view's `hide` setting), when it has one. */
  messageKind?(msg: unknown): string;
  /** Every field of a message, for its details on click. */
  messageFields?(msg: unknown): [string, string][];
  /** The future after `t` was dropped (an action forked it): forget what was seen there. */
  forkAt?(t: Micros): void;
}

export interface ScenarioDef {
  readonly id: string;
  readonly title: string;
  readonly view: "raft" | "gossip" | "network";
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
  /** Keys of its own (listed in the `?` overlay with the app's). */
  readonly keys?: readonly ScenarioKey<any>[];
  create(seed: string, options: OptionValues): Driver;
}

export type { InFlight };
