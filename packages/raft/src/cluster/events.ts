import type { NodeId, TraceRecord } from "@drydock/kernel";
import type { Role } from "../core/index.js";

/** The `data` of the state records the cluster writes to the trace. */
export type RaftEventData =
  | { readonly event: "became"; readonly role: Role; readonly term: number }
  | { readonly event: "term"; readonly term: number }
  | { readonly event: "vote"; readonly for: NodeId; readonly term: number }
  | { readonly event: "commit"; readonly index: number; readonly term: number }
  | { readonly event: "config"; readonly members: readonly NodeId[] }
  | { readonly event: "snapshot"; readonly index: number }
  | { readonly event: "restore"; readonly index: number; readonly term: number }
  | { readonly event: "rejected"; readonly input: string; readonly reason: string };

export type RaftEvent = RaftEventData & { readonly t: number; readonly node: NodeId; readonly seq: number };

/** The Raft state changes in a trace, in order; `seq` is the record's position in the trace. */
export function raftEvents(trace: readonly TraceRecord[], from = 0): RaftEvent[] {
  const out: RaftEvent[] = [];
  for (let i = from; i < trace.length; i++) {
    const r = trace[i]!;
    if (r.type === "state" && r.node !== null && typeof (r.data as { event?: unknown }).event === "string") {
      out.push({ ...(r.data as RaftEventData), t: r.t, node: r.node, seq: i });
    }
  }
  return out;
}

/** Leader changes: each time some server became leader (the visualiser's notable events). */
export function leaderChanges(trace: readonly TraceRecord[]): { t: number; node: NodeId; term: number; seq: number }[] {
  return raftEvents(trace).flatMap((e) => (e.event === "became" && e.role === "leader" ? [{ t: e.t, node: e.node, term: e.term, seq: e.seq }] : []));
}
