// Helpers of the routing mesh's tests (ingress.test.ts, ingress.prop.test.ts).
import { expect } from "vitest";
import type { TraceRecord } from "@drydock/kernel";
import { TaskState } from "@drydock/swarm";
import { createPlayground, type Playground } from "../playground.js";
import { leaderStore } from "./ingress.js";

/** A swarm formed at the prompt: the first node a manager, the others workers. */
export function swarm(nodes: readonly string[], seed = 1): Playground {
  const pg = createPlayground({ seed, nodes });
  expect(pg.exec("docker swarm init", { on: nodes[0] }).exitCode).toBe(0);
  const worker = pg.exec("docker swarm join-token -q worker", { on: nodes[0] }).stdout.trim();
  for (const n of nodes.slice(1)) expect(pg.exec(`docker swarm join --token ${worker} 10.0.0.11:2377`, { on: n }).stderr).toBe("");
  return pg;
}

export const decisions = (pg: Playground, since: number) =>
  pg.trace.filter((t): t is Extract<TraceRecord, { type: "state" }> => t.type === "state" && t.t >= since && (t.data as { event?: string }).event === "net.decide")
    .map((t) => t.data as { outcome: string; at: string; hops: readonly string[]; detail: string });

/** A request's outcome and the task container (name, node) that answered it, from the trace. */
export function request(pg: Playground, on: string, line: string): { exitCode: number; outcome: string; task: string | null; node: string; hops: readonly string[] } {
  const t0 = pg.now;
  const r = pg.exec(line, { on });
  const d = decisions(pg, t0).filter((x) => x.outcome !== "resolved").pop()!;
  const m = /^([^:]+):eth\d+@(.+)$/.exec(d.at);
  return { exitCode: r.exitCode, outcome: d.outcome, task: m ? m[1]!.split(".").slice(0, 2).join(".") : null, node: m ? m[2]! : d.at, hops: d.hops };
}

export const has = (hops: readonly string[], text: string) => hops.some((h) => h.includes(text));

/** The running tasks of a service in the leader's committed store: task name → node. */
export function runningTasks(pg: Playground, service: string): Map<string, string> {
  const store = leaderStore(pg.world)!;
  const out = new Map<string, string>();
  for (const t of store.tasks.values()) {
    if (t.serviceName !== service || t.status.state !== TaskState.RUNNING || t.desiredState !== TaskState.RUNNING) continue;
    out.set(`${t.serviceName}.${t.slot}`, store.nodes.get(t.nodeId)!.description.hostname);
  }
  return out;
}

