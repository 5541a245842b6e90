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
  | { readonly key: string; readonly label: string; readonly kind: "bool"; readonly def: boolean }
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
  create(seed: string, options: OptionValues): Driver;
}

export type { InFlight };
