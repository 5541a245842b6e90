import { DrydockError, type LoggedAction } from "@drydock/kernel";
import { createPlayground, type Playground, type WorldAction } from "@drydock/playground";
import type { Timeline } from "../../scenario.js";
import { setupTimeline, type SceneSetup } from "../../setup-run.js";

// A one-host playground opened after a few typed lines (the files a lesson starts from, a
// container already running), for the views of one engine (images and builds, containers). The
// setup's action log is a pure function of the seed and the lines, built once per pair in a
// scratch playground and loaded into each run, as the swarm scenes do (swarm/driver.ts).

export type HostSetup = SceneSetup;

export interface HostScript {
  readonly host: string;
  /** Lines typed at the host's prompt before the scene opens (each must succeed). */
  readonly lines: readonly string[];
}

const setups = new Map<string, HostSetup>();

export function hostSetup(seed: string, script: HostScript): HostSetup {
  const id = `${seed}\n${script.host}\n${script.lines.join("\n")}`;
  const known = setups.get(id);
  if (known) return known;
  const pg = createPlayground({ seed, nodes: [script.host] });
  for (const line of script.lines) {
    const r = pg.exec(line, { on: script.host });
    if (r.exitCode !== 0) throw new DrydockError("ESETUP", `${script.host}$ ${line}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
  }
  const setup: HostSetup = { actions: [...pg.actions], events: pg.sim.eventCount, at: pg.now };
  setups.set(id, setup);
  return setup;
}

export interface Typed {
  readonly line: string;
  readonly at: number;
}

export interface HostRun {
  readonly playground: Playground;
  readonly sim: Playground["sim"];
  readonly timeline: Timeline;
  readonly setup: HostSetup;
  /** The lines typed at `host` since the scene opened, up to now (the terminal's and the buttons'), with when. */
  typed(): Typed[];
  /** A line is running at the host's prompt (a new one would be its input, not a command). */
  busy(): boolean;
}

/** A playground at its setup's last instant, and a timeline that never goes before it. */
export function openHostRun(seed: string, script: HostScript): HostRun {
  const setup = hostSetup(seed, script);
  const pg = createPlayground({ seed, nodes: [script.host] });
  const sim = pg.sim;
  const timeline = setupTimeline(sim, setup, "setup");
  return {
    playground: pg,
    sim,
    timeline,
    setup,
    busy: () => sim.state.hosts.get(script.host)?.running != null,
    typed() {
      const out: Typed[] = [];
      for (const a of sim.actionLog) {
        if (a.index < setup.events || a.at > sim.now) continue;
        const act = a.action as { type: string; host?: string; line?: string };
        if (act.type === "exec" && act.host === script.host && typeof act.line === "string") out.push({ line: act.line, at: a.at });
      }
      return out;
    },
  };
}

/** A lesson's step: a line typed at the host, and what the room should read while it is the latest. */
export interface ScriptStep {
  readonly id: string;
  /** The button's words. */
  readonly label: string;
  readonly line: string;
}

/** When each step was typed, in order (a step counts once the ones before it were typed); the rest are not. */
export function stepTimes(steps: readonly ScriptStep[], typed: readonly Typed[]): number[] {
  const out: number[] = [];
  for (const t of typed) if (out.length < steps.length && t.line === steps[out.length]!.line) out.push(t.at);
  return out;
}
