// A container's state in Docker's two wordings: the State (moby State.StateString, what
// `--filter status=` and inspect's .State.Status use) and the Status column of `docker ps`
// (moby State.String: "Up 3 seconds", "Exited (0) 5 seconds ago").
import { humanDuration } from "@drydock/image";
import type { Micros } from "@drydock/kernel";
import type { Container, ContainerStatus } from "./types.js";
import { healthSuffix } from "./health.js";

export function stateString(c: Container): ContainerStatus {
  const s = c.state;
  if (s.running) {
    if (s.paused) return "paused";
    if (s.restarting) return "restarting";
    return "running";
  }
  if (s.removalInProgress) return "removing";
  if (s.dead) return "dead";
  if (s.startedAt === null) return "created";
  return "exited";
}

/** moby State.String, with go-units HumanDuration. */
export function statusText(c: Container, now: Micros): string {
  const s = c.state;
  if (s.running) {
    const up = humanDuration(Math.max(0, now - (s.startedAt ?? now)));
    if (s.paused) return `Up ${up} (Paused)`;
    if (s.restarting) return `Restarting (${s.exitCode}) ${humanDuration(Math.max(0, now - (s.finishedAt ?? now)))} ago`;
    return `Up ${up}${healthSuffix(c)}`;
  }
  if (s.removalInProgress) return "Removal In Progress";
  if (s.dead) return "Dead";
  if (s.startedAt === null) return "Created";
  if (s.finishedAt === null) return "";
  return `Exited (${s.exitCode}) ${humanDuration(Math.max(0, now - s.finishedAt))} ago`;
}

/** Is the container's process alive (running, paused, or restarting: moby IsRunning)? */
export const isRunning = (c: Container): boolean => c.state.running;
