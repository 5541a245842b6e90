import { DrydockError, type LoggedAction, type TraceRecord } from "@drydock/kernel";
import { createPlayground, type Playground, type WorldAction } from "@drydock/playground";
import type { Timeline } from "../../scenario.js";
import { setupTimeline, type SceneSetup } from "../../setup-run.js";

// A Kubernetes scene's run (issue 15): a playground with the course's three nodes, opened after
// its setup was typed at the control plane's prompt (manifests written into the world's files,
// then kubectl lines), the way the swarm scenes open after `docker service create`
// (scenarios/swarm/driver.ts, openSwarmRun). The setup's action log is a pure function of the
// seed and the script, built once and loaded into every run; the timeline never goes before it.

export const NODES = ["control-plane", "node-1", "node-2"] as const;
export const CONTROL_PLANE = NODES[0];

export interface KubeScript {
  /** Files written on the control plane before the lines (path → text). */
  readonly files: Readonly<Record<string, string>>;
  /** Lines typed on the control plane; each must exit 0. */
  readonly lines: readonly string[];
}

export type KubeSetup = SceneSetup;

const setups = new Map<string, KubeSetup>();

export function kubeSetup(seed: string, script: KubeScript): KubeSetup {
  const id = `${seed}\n${JSON.stringify(script)}`;
  const known = setups.get(id);
  if (known) return known;
  const pg = createPlayground({ seed, kubernetes: { nodes: NODES } });
  for (const [path, text] of Object.entries(script.files)) pg.sim.act({ type: "writeFile", host: CONTROL_PLANE, path, text });
  for (const line of script.lines) {
    const r = pg.exec(line, { on: CONTROL_PLANE });
    if (r.exitCode !== 0) throw new DrydockError("ESETUP", `${CONTROL_PLANE}$ ${line}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
  }
  const setup: KubeSetup = { actions: [...pg.actions], events: pg.sim.eventCount, at: pg.now };
  setups.set(id, setup);
  return setup;
}

export interface KubeRun {
  readonly playground: Playground;
  readonly sim: Playground["sim"];
  readonly timeline: Timeline;
  readonly setup: KubeSetup;
}

export function openKubeRun(seed: string, script: KubeScript): KubeRun {
  const setup = kubeSetup(seed, script);
  const pg = createPlayground({ seed, kubernetes: { nodes: NODES } });
  const sim = pg.sim;
  const timeline = setupTimeline(sim, setup, "Kubernetes setup");
  return { playground: pg, sim, timeline, setup };
}

/** A world message's type word for the sequence diagram (assign, nodeStatus, podStatus, ...). */
export function kubeMessageLabel(msg: unknown): string {
  if (msg !== null && typeof msg === "object" && "type" in msg && typeof (msg as { type: unknown }).type === "string") return (msg as { type: string }).type;
  return "message";
}

/** Trace records after the setup (the marks of a scene). */
export const afterSetup = (trace: readonly TraceRecord[], from: number, at: number): TraceRecord[] => trace.slice(Math.max(0, from)).filter((r) => r.t > at);
