import type { TraceRecord } from "@drydock/kernel";

// The swarm daemon writes state records but exports no type for them: the union of the ones this
// scenario reads, derived from what packages/swarm/src/daemon/work.ts writes, read here only.

export type SwarmEventData =
  /** A manager's raft became the leader (work.ts, on the role change). */
  | { readonly event: "leader"; readonly term: number }
  /** A node's status changed in a manager's store ("ready", "down", "unknown"). */
  | { readonly event: "node"; readonly index: number; readonly node: string; readonly hostname: string; readonly state: string; readonly message: string }
  /** A task's state changed in a manager's store. */
  | { readonly event: "task"; readonly index: number; readonly task: string; readonly service: string; readonly slot: number; readonly node: string; readonly state: string }
  /** A service's UpdateStatus changed in a manager's store (work.ts, on service.updateStatus and service.rollback). */
  | { readonly event: "update"; readonly index: number; readonly service: string; readonly state: string; readonly message: string };

export type SwarmEvent = SwarmEventData & { readonly t: number; readonly host: string };

const KINDS = new Set(["leader", "node", "task", "update"]);

/**
 * The swarm's records among trace[from..], each once: a store change is applied by every manager
 * and recorded by each, so node and task changes are kept once per store index.
 */
export function swarmEvents(trace: readonly TraceRecord[], from = 0): SwarmEvent[] {
  const out: SwarmEvent[] = [];
  const seen = new Set<string>();
  for (let i = Math.max(0, from); i < trace.length; i++) {
    const r = trace[i]!;
    if (r.type !== "state" || r.node === null || r.data === null || typeof r.data !== "object") continue;
    const d = r.data as { event?: unknown };
    if (typeof d.event !== "string" || !KINDS.has(d.event)) continue;
    const e = { ...(r.data as SwarmEventData), t: r.t, host: r.node };
    if (e.event !== "leader") {
      const key = `${e.event}/${e.index}/${e.event === "node" ? e.node : e.event === "task" ? e.task : e.service}/${e.state}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(e);
  }
  return out;
}
