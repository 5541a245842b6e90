import { Playground, type WorldAction } from "@drydock/playground";
import type { AnySim, Driver } from "../scenario.js";

// The terminal panel is bound to a scene's playground: the same Playground object the CLI's shell
// drives (packages/cli/src/shell.ts), over the simulation the view draws. A scene that runs a
// playground world can hand it over (Driver.playground); any other whose simulation runs the
// playground's world model gets one over its simulation.

/** Does the simulation run the playground's world (hosts with shells, the swarm)? */
export function isWorldSim(sim: AnySim): boolean {
  const s = sim.state as { hosts?: unknown; swarm?: unknown } | null;
  return s !== null && typeof s === "object" && s.hosts instanceof Map && s.swarm !== undefined;
}

/**
 * The playground behind a scene, or null when it runs none. A Playground keeps nothing but its
 * simulation, its host names and its Kubernetes options (playground.ts), so one made over the
 * scene's simulation is the scene's playground.
 */
export function playgroundOf(driver: Driver): Playground | null {
  if (driver.playground) return driver.playground;
  if (!isWorldSim(driver.sim)) return null;
  const pg = Object.create(Playground.prototype) as Playground;
  return Object.assign(pg, { sim: driver.sim, nodes: [...driver.sim.net.nodes], kubernetes: undefined });
}

/** A line typed at a host's prompt: the playground's `exec` action in the run's log. */
export interface ExecAction extends Logged {
  readonly action: Extract<WorldAction, { type: "exec" }>;
}

/** An entry of any run's action log (the kernel's LoggedAction, whatever the model). */
export interface Logged {
  readonly index: number;
  readonly at: number;
  readonly action: unknown;
}

export function isExec(a: Logged): a is ExecAction {
  const x = a.action as { type?: unknown; host?: unknown; line?: unknown };
  return x.type === "exec" && typeof x.host === "string" && typeof x.line === "string";
}
