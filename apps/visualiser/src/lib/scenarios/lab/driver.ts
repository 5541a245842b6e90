import { DrydockError, connected, type TraceRecord } from "@drydock/kernel";
import { labView, worldSummary } from "@drydock/labs";
import { nodeActors, type Driver, type Mark, type OptionValues, type Timeline } from "../../scenario.js";
import { swarmMarks, swarmMessageLabel, swarmView } from "../swarm/driver.js";
import { LabController } from "../../labs/controller.svelte.js";
import { LABS, labBySlug } from "../../labs/catalog.js";
import type { LabViewModel } from "./model.js";

// A guided lab (issue 17) as a scene: the lab's own playground (its topology, seed and setup:
// LabSession), drawn by the view that fits the lab, with the terminal bound to the same world.
// `step=N` in the link opens the lab at step N, the steps before it done as written; the link is
// the lab and its step (Driver.linkOptions), never an action log: the world at a step's start is
// the lab's own, whatever a learner typed on the way.

/** The most steps of any lab, plus one: `step` may name the end of the longest lab (done). */
export const STEP_MAX = Math.max(...LABS.map((l) => l.steps.length)) + 1;

export function createLabDriver(_seed: string, options: OptionValues): Driver<LabViewModel> {
  const slug = String(options.lab);
  const lab = labBySlug(slug);
  if (!lab) throw new DrydockError("ELAB", `there is no lab called "${slug}"`);
  const ctl = new LabController(lab);
  const pg = ctl.pg;
  const sim = pg.sim;
  const opening = { events: sim.eventCount, at: sim.now };
  const step = Math.min(Number(options.step ?? 1), lab.steps.length + 1);
  for (let i = 1; i < step; i++) ctl.doStep(null);
  const kind = labView(lab);
  // The run never goes before the lab's opening (a swarm formed by `setup`).
  const timeline: Timeline = {
    step: () => sim.step(),
    runUntil: (t) => sim.runUntil(t),
    seek: (t) => (t <= opening.at ? sim.seekEvent(opening.events) : sim.seek(t)),
    seekEvent: (n) => sim.seekEvent(Math.max(n, opening.events)),
    act: (a) => sim.act(a as never),
    loadActions: (list) => {
      if (list.length > 0) throw new DrydockError("ESESSION", "a lab's link names its step (step=N), not an action log");
    },
    work: () => sim.eventCount,
  };
  // Instructor mode pauses at each step: the world stands still until the presenter goes on.
  const instructor = options.instructor === true;
  return {
    sim,
    playground: pg,
    transcript: ctl.transcript,
    timeline,
    actors: nodeActors(lab.hosts),
    view: (): LabViewModel => {
      // A learner's line that was still running (logs -f until Ctrl-C) is judged once it is done.
      ctl.poll();
      const net = sim.net;
      const swarm = kind === "swarm" ? swarmView(sim.state, net.up, (a, b) => net.up[a] === true && net.up[b] === true && connected(net, a, b), lab.hosts) : null;
      // The swarm view's caption is the lab's: the step the room is at (node failure's story is another scene's).
      const step = lab.steps[ctl.current];
      return {
        lab, kind, controller: ctl, instructor, hosts: kind === "summary" ? worldSummary(pg) : [],
        swarm: swarm && { ...swarm, caption: { step: "lab", title: step ? `Step ${ctl.current + 1}` : "Done", text: step?.caption ?? lab.title } },
      };
    },
    notable: (trace: readonly TraceRecord[], from: number): Mark[] => (kind === "swarm" ? swarmMarks(trace, from, opening.at) : []),
    messageLabel: swarmMessageLabel,
    messageKind: swarmMessageLabel,
    typed: (line, on, early) => {
      ctl.typed(line, on, early);
      return instructor;
    },
    linkOptions: () => ({ lab: slug, step: Math.min(ctl.current + 1, lab.steps.length + 1) }),
  };
}
