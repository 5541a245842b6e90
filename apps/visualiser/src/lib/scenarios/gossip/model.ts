import type { InFlight, Micros } from "@drydock/kernel";

/** What a member believes about the watched member: the infection the view shows spreading. */
export const SEEN_UNKNOWN = 0;
export const SEEN_ALIVE = 1;
export const SEEN_SUSPECT = 2;
export const SEEN_DEAD = 3;

/** One protocol's cluster as the gossip view draws it (fresh typed arrays each frame). */
export interface GossipSide {
  readonly protocol: "swim" | "heartbeat";
  readonly names: readonly string[];
  /** 1 when the member's process runs (the network's view, not anyone's belief). */
  readonly up: Uint8Array;
  /** Each member's belief about the watched member (SEEN_*), all SEEN_ALIVE with nothing watched. */
  readonly seen: Uint8Array;
  /** 1 when the member holds the newest version of the published payload. */
  readonly payload: Uint8Array;
  readonly inFlight: readonly InFlight[];
  readonly sent: number;
  readonly bytes: number;
  /** Messages sent per member per protocol period so far. */
  readonly perMemberPerPeriod: number;
}

export interface GossipViewModel {
  readonly swim: GossipSide;
  /** The all-to-all heartbeat baseline on the same cluster, or null when it is off. */
  readonly baseline: GossipSide | null;
  readonly baselineNote: string | null;
  readonly watched: string | null;
  readonly payloadKey: string | null;
  readonly payloadValue: string | null;
  readonly periodUs: Micros;
}
