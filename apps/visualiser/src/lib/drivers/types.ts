import type { Action, InFlight, Micros, NodeId, Simulation, TraceRecord } from "@drydock/kernel";

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
 * What a view needs from a running scenario. A driver owns the simulation (and any companion,
 * such as the heartbeat baseline beside SWIM); the app state calls it, views read its `view()`.
 */
export interface Driver<V = unknown> {
  readonly sim: AnySim;
  /** Lanes of the sequence diagram, in order. */
  readonly lanes: readonly NodeId[];
  /** An immutable view model of the state now (`inFlight`: the simulation's, already read). */
  view(inFlight: readonly InFlight[]): V;
  /** A label when a trace record is worth stopping at, else null. */
  notable(record: TraceRecord): string | null;
  /** A short label for a message on a link or an arrow. */
  messageLabel(msg: unknown): string;
  /** Takes a user action (validated by the kernel; a bad one throws and changes nothing). */
  act(action: AppAction): void;
  /** The future after `t` was dropped (an action forked it): forget what was seen there. */
  forkAt?(t: Micros): void;
  /** Brings companions to the primary simulation's instant after it moved. */
  sync?(): void;
  /** Replays a shared link's actions into companions (the primary loads them itself). */
  loadCompanions?(actions: readonly { at: Micros; action: Action }[]): void;
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
