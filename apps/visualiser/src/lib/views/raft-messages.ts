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
