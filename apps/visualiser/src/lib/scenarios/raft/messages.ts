// How a Raft message looks in flight: a shape by kind (circle: votes, square: log), hollow for
// replies, and a word and a mark, so nothing depends on telling colours apart.

export interface MessageGlyph {
  readonly kind: "vote" | "append" | "snapshot" | "other";
  readonly reply: boolean;
  readonly short: string;
  readonly long: string;
  readonly mark: string;
}

type AnyMsg = { type?: string; preVote?: boolean; voteGranted?: boolean; success?: boolean; entries?: readonly unknown[]; term?: number };

/**
 * The kinds a room can hide (the message-type filter, kept in the link as `hide=`): heartbeats
 * are most of the traffic, so they and their replies are kinds of their own.
 */
export const RAFT_KINDS = {
  vote: "RequestVote",
  "vote-reply": "RequestVote replies",
  heartbeat: "heartbeats (AE ♥)",
  append: "AppendEntries with entries",
  "append-reply": "AppendEntries replies",
  snapshot: "InstallSnapshot",
} as const;
export type RaftKind = keyof typeof RAFT_KINDS;

/** The filter kind of a message. */
export function raftMessageKind(raw: unknown): RaftKind {
  const m = raw as AnyMsg;
  switch (m.type) {
    case "RequestVote": return "vote";
    case "RequestVoteResponse": return "vote-reply";
    case "AppendEntries": return (m.entries?.length ?? 0) === 0 ? "heartbeat" : "append";
    case "AppendEntriesResponse": return "append-reply";
    default: return "snapshot";
  }
}

/** A log entry as a message carries it. */
type EntryLike = { readonly term: number; readonly value: unknown; readonly config?: readonly string[] };

/** An entry's value as a room reads it: the client's text, "no-op" for a leader's first entry, or its configuration. */
export function entryText(e: { readonly value: unknown; readonly config?: readonly string[] | null }): string {
  if (e.config) return `config: ${e.config.join(", ")}`;
  if (e.value === null) return "no-op";
  return typeof e.value === "string" ? e.value : JSON.stringify(e.value) ?? String(e.value);
}

const yesNo = (b: unknown): string => (b === true ? "true" : "false");

/**
 * Every field of a Raft message (Figure 2's arguments and results, Figure 13's for a snapshot),
 * as RaftScope's message dialog lists them; the entries with their index, term and value.
 */
export function raftMessageFields(raw: unknown): [string, string][] {
  const m = raw as Record<string, unknown> & AnyMsg;
  const out: [string, string][] = [["term", String(m.term)]];
  switch (m.type) {
    case "RequestVote":
      out.push(["candidateId", String(m.candidateId)], ["lastLogIndex", String(m.lastLogIndex)], ["lastLogTerm", String(m.lastLogTerm)]);
      break;
    case "RequestVoteResponse":
      out.push(["voteGranted", yesNo(m.voteGranted)]);
      break;
    case "AppendEntries": {
      const prev = Number(m.prevLogIndex);
      const entries = (m.entries ?? []) as readonly EntryLike[];
      out.push(
        ["leaderId", String(m.leaderId)], ["prevLogIndex", String(prev)], ["prevLogTerm", String(m.prevLogTerm)],
        ["entries", entries.length === 0 ? "[] (a heartbeat)" : entries.map((e, i) => `${prev + i + 1}: term ${e.term}, ${entryText(e)}`).join("; ")],
        ["leaderCommit", String(m.leaderCommit)],
      );
      break;
    }
    case "AppendEntriesResponse":
      out.push(["success", yesNo(m.success)], ["matchIndex", String(m.matchIndex)]);
      if (m.rejectedIndex !== undefined) out.push(["rejectedIndex", String(m.rejectedIndex)]);
      if (m.conflictTerm !== undefined) out.push(["conflictTerm", String(m.conflictTerm)]);
      if (m.conflictIndex !== undefined) out.push(["conflictIndex", String(m.conflictIndex)]);
      break;
    case "InstallSnapshot":
      out.push(["leaderId", String(m.leaderId)], ["lastIncludedIndex", String(m.lastIncludedIndex)], ["lastIncludedTerm", String(m.lastIncludedTerm)],
        ["config", ((m.config ?? []) as string[]).join(", ")]);
      break;
    case "InstallSnapshotResponse":
      out.push(["lastIncludedIndex", String(m.lastIncludedIndex)]);
      break;
  }
  if (m.preVote) out.push(["preVote", "true"]);
  return out;
}

export function raftMessageGlyph(raw: unknown): MessageGlyph {
  const m = raw as AnyMsg;
  const pre = m.preVote ? "Pre" : "";
  switch (m.type) {
    case "RequestVote":
      return { kind: "vote", reply: false, short: `${pre}RV t${m.term}`, long: `${pre}RequestVote (term ${m.term})`, mark: "" };
    case "RequestVoteResponse":
      return { kind: "vote", reply: true, short: m.voteGranted ? "yes" : "no", long: `${pre}RequestVote reply: ${m.voteGranted ? "granted" : "refused"}`, mark: m.voteGranted ? "✓" : "✗" };
    case "AppendEntries": {
      const n = m.entries?.length ?? 0;
      return { kind: "append", reply: false, short: n === 0 ? "AE ♥" : `AE +${n}`, long: n === 0 ? "AppendEntries (heartbeat)" : `AppendEntries (${n} entr${n === 1 ? "y" : "ies"})`, mark: "" };
    }
    case "AppendEntriesResponse":
      return { kind: "append", reply: true, short: m.success ? "ok" : "fail", long: `AppendEntries reply: ${m.success ? "success" : "failure"}`, mark: m.success ? "✓" : "✗" };
    case "InstallSnapshot":
      return { kind: "snapshot", reply: false, short: "Snap", long: "InstallSnapshot", mark: "" };
    case "InstallSnapshotResponse":
      return { kind: "snapshot", reply: true, short: "snap ok", long: "InstallSnapshot reply", mark: "✓" };
    default:
      return { kind: "other", reply: false, short: String(m.type), long: String(m.type), mark: "" };
  }
}

export function raftMessageLabel(raw: unknown): string {
  return raftMessageGlyph(raw).short;
}

/** An axis-aligned box in the view's coordinates. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface LabelRequest {
  readonly key: number;
  /** The message glyph's centre. */
  readonly x: number;
  readonly y: number;
  readonly text: string;
}

/** Where a label's text goes: its centre x and baseline y. */
export interface PlacedLabel {
  readonly x: number;
  readonly y: number;
}

const overlaps = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * Places message labels so none covers another, a server or a server's words. Messages leave
 * a leader together, so their labels would pile up on it: each label tries a few spots around
 * its glyph and is left out (the glyph keeps its shape, mark and tooltip) when none is free.
 * Earlier requests win, so callers pass the messages the room should read first.
 */
export function placeLabels(requests: readonly LabelRequest[], obstacles: readonly Box[], fontPx: number, glyphR = 10): Map<number, PlacedLabel> {
  const taken: Box[] = [...obstacles];
  // Every glyph is an obstacle for every label, not only its own.
  for (const r of requests) taken.push({ x0: r.x - glyphR, y0: r.y - glyphR, x1: r.x + glyphR, y1: r.y + glyphR });
  const out = new Map<number, PlacedLabel>();
  const h = fontPx * 1.05;
  const gap = 3;
  for (const r of requests) {
    const w = r.text.length * fontPx * 0.62 + 4;
    // Centre x, baseline y: above, below, right, left of the glyph.
    const spots: PlacedLabel[] = [
      { x: r.x, y: r.y - glyphR - gap - fontPx * 0.2 },
      { x: r.x, y: r.y + glyphR + gap + fontPx * 0.85 },
      { x: r.x + glyphR + gap + w / 2, y: r.y + fontPx * 0.35 },
      { x: r.x - glyphR - gap - w / 2, y: r.y + fontPx * 0.35 },
    ];
    for (const s of spots) {
      const box = { x0: s.x - w / 2, y0: s.y - fontPx * 0.85, x1: s.x + w / 2, y1: s.y - fontPx * 0.85 + h };
      if (taken.some((b) => overlaps(b, box))) continue;
      taken.push(box);
      out.set(r.key, s);
      break;
    }
  }
  return out;
}
