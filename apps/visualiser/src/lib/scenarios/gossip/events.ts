import type { NodeId, TraceRecord } from "@drydock/kernel";

// SWIM's state changes as typed events. @drydock/swim writes them as state records (core/swim.ts
// `rec`) but exports no type for them, as raft does (RaftEventData, raftEvents); until it does,
// the union is derived here from the records it writes, and read only through swimEvents.

export type SwimEventData =
  | { readonly event: "join"; readonly seeds: readonly string[] }
  | { readonly event: "alive"; readonly member: string; readonly incarnation: number; readonly was?: string }
  | { readonly event: "suspect"; readonly member: string; readonly incarnation: number; readonly from: string }
  | { readonly event: "dead"; readonly member: string; readonly incarnation: number; readonly from: string }
  | { readonly event: "left"; readonly member: string; readonly incarnation: number; readonly from: string }
  | { readonly event: "refute"; readonly member: string; readonly incarnation: number; readonly accused: number }
  | { readonly event: "suspicion-timeout"; readonly member: string; readonly confirmations: number }
  | { readonly event: "leave"; readonly member: string; readonly incarnation: number }
  | { readonly event: "publish"; readonly key: string; readonly version: number; readonly value: string }
  | { readonly event: "payload"; readonly key: string; readonly version: number; readonly origin: string }
  | { readonly event: "crash" }
  | { readonly event: "shutdown" };

export type SwimEvent = SwimEventData & { readonly t: number; readonly node: NodeId; readonly seq: number };

const EVENTS: ReadonlySet<string> = new Set(["join", "alive", "suspect", "dead", "left", "refute", "suspicion-timeout", "leave", "publish", "payload", "crash", "shutdown"]);

/** SWIM's state changes among trace[from..], in order; `seq` is the record's index in `trace`. */
export function swimEvents(trace: readonly TraceRecord[], from = 0): SwimEvent[] {
  const out: SwimEvent[] = [];
  for (let i = from; i < trace.length; i++) {
    const r = trace[i]!;
    if (r.type !== "state" || r.node === null) continue;
    const e = (r.data as { event?: unknown }).event;
    if (typeof e === "string" && EVENTS.has(e)) out.push({ ...(r.data as SwimEventData), t: r.t, node: r.node, seq: i });
  }
  return out;
}
