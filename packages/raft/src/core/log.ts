import type { Entry, NodeId, RaftState, Snapshot } from "./types.js";

/**
 * Reading a server's log across the snapshot boundary. Indexes are 1-based as in the paper;
 * index 0 (term 0) is the empty log, and the snapshot's last included entry stands in for
 * everything it replaced.
 */

type LogView = Pick<RaftState, "log" | "snapshot">;

export function firstIndex(s: LogView): number {
  return (s.snapshot?.index ?? 0) + 1;
}

export function lastIndex(s: LogView): number {
  return (s.snapshot?.index ?? 0) + s.log.length;
}

/** Term of the entry at `index`, or undefined when it is compacted away or beyond the end. */
export function termAt(s: LogView, index: number): number | undefined {
  const offset = s.snapshot?.index ?? 0;
  if (index === offset) return s.snapshot?.term ?? 0;
  if (index < offset || index > offset + s.log.length) return undefined;
  return s.log.at(index - offset - 1)!.term;
}

export function lastTerm(s: LogView): number {
  return termAt(s, lastIndex(s))!;
}

export function entryAt(s: LogView, index: number): Entry | undefined {
  const offset = s.snapshot?.index ?? 0;
  return index > offset ? s.log.at(index - offset - 1) : undefined;
}

/** Entries [from, to] inclusive, clipped to what the log holds. */
export function slice(s: LogView, from: number, to: number): Entry[] {
  const offset = s.snapshot?.index ?? 0;
  return s.log.slice(Math.max(from, offset + 1) - offset - 1, Math.max(0, to - offset));
}

/** §5.4.1: a log is at least as up-to-date when its last term is higher, or equal and it is no shorter. */
export function isUpToDate(s: LogView, lastLogIndex: number, lastLogTerm: number): boolean {
  const myTerm = lastTerm(s);
  return lastLogTerm > myTerm || (lastLogTerm === myTerm && lastLogIndex >= lastIndex(s));
}

/** The configuration in force at `index`: the latest configuration entry at or before it. */
export function configAt(s: LogView & Pick<RaftState, "initialConfig">, index: number): readonly NodeId[] {
  const offset = s.snapshot?.index ?? 0;
  for (let i = Math.min(index, offset + s.log.length); i > offset; i--) {
    const c = s.log.at(i - offset - 1)!.config;
    if (c) return c;
  }
  return s.snapshot?.config ?? s.initialConfig;
}

/** The last index of `term` in the log, or 0 when the log holds no entry of that term. */
export function lastIndexOfTerm(s: LogView, term: number): number {
  const offset = s.snapshot?.index ?? 0;
  for (let i = s.log.length - 1; i >= 0; i--) {
    const t = s.log.at(i)!.term;
    if (t === term) return offset + i + 1;
    if (t < term) return 0;
  }
  return s.snapshot && s.snapshot.term === term ? offset : 0;
}

/** The first index holding `term`, scanning back from `index` (not below the snapshot). */
export function firstIndexOfTerm(s: LogView, term: number, index: number): number {
  const offset = s.snapshot?.index ?? 0;
  let i = index;
  while (i - 1 > offset && s.log.at(i - 1 - offset - 1)!.term === term) i--;
  return i;
}

export function hasUncommittedConfig(s: LogView & Pick<RaftState, "commitIndex">): boolean {
  const offset = s.snapshot?.index ?? 0;
  for (let i = Math.max(s.commitIndex + 1, offset + 1); i <= offset + s.log.length; i++) {
    if (s.log.at(i - offset - 1)!.config) return true;
  }
  return false;
}

export function makeSnapshot(s: LogView & Pick<RaftState, "initialConfig">, index: number, data: unknown): Snapshot {
  return { index, term: termAt(s, index)!, config: configAt(s, index), data };
}
