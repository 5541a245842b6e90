import type { Micros } from "@drydock/kernel";

/** What the Raft view shows of one server: Figure 2's state, read from the snapshot. */
export interface RaftEntryView {
  readonly index: number;
  readonly term: number;
  /** The entry's value as text (user input: rendered as text, never markup); "no-op" for a leader's first entry. */
  readonly value: string;
  /** A leader's no-op or a configuration entry: no client value to show in the box. */
  readonly noop: boolean;
  readonly committed: boolean;
}

export interface RaftNodeView {
  readonly id: string;
  readonly up: boolean;
  readonly role: "follower" | "precandidate" | "candidate" | "leader";
  readonly term: number;
  readonly votedFor: string | null;
  readonly leader: string | null;
  readonly commitIndex: number;
  readonly lastApplied: number;
  readonly lastIndex: number;
  /** The last entries of the log (the view shows a window). */
  readonly log: readonly RaftEntryView[];
  readonly electionDeadline: Micros;
  readonly heartbeatDeadline: Micros | null;
  /** Granted votes in the current election (candidates and pre-candidates). */
  readonly votes: readonly string[];
  /** Votes refused in the current election. */
  readonly refused: readonly string[];
  /** Leader only: nextIndex and matchIndex per follower (Figure 2). */
  readonly progress: readonly { readonly peer: string; readonly next: number; readonly match: number }[];
}

export interface RaftViewModel {
  readonly nodes: readonly RaftNodeView[];
  /**
   * The leader whose view of the followers (nextIndex, matchIndex) the logs show: the selected
   * server when it leads, else the leader a client reaches (the highest term's), else null.
   */
  readonly shownLeader: string | null;
  /** The leader a client reaches now (RaftScope's "leader of the highest term"), or null. */
  readonly clientLeader: string | null;
  /** The value the next client request carries: v1, v2, ... numbered without gaps along this run. */
  readonly nextRequest: string;
  /** Messages in flight that the user dropped (they fly on, crossed out, until they would arrive). */
  readonly dropping: readonly number[];
  readonly electionTimeoutMaxUs: Micros;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
}

export const ROLE_WORDS: Readonly<Record<RaftNodeView["role"], string>> = {
  leader: "LEADER",
  candidate: "candidate",
  precandidate: "pre-candidate",
  follower: "follower",
};
