import { DrydockError, connected, type TraceRecord } from "@drydock/kernel";
import { labView, worldSummary } from "@drydock/labs";
import { nodeActors, type Driver, type Mark, type OptionValues, type Timeline } from "../../scenario.js";
import { swarmMarks, swarmMessageLabel, swarmView } from "../swarm/driver.js";
import { buildWorldView } from "../build/driver.js";
import { containersWorldView } from "../containers/driver.js";
import { bridgeWorldView } from "../bridge/driver.js";
import { loopView, treeView, typedLines } from "../kube-rollout/driver.js";
import { netView, servicesRequests } from "../kube-services/driver.js";
import { kubeMessageLabel } from "../kube-rollout/run.js";
import { LabController } from "../../labs/controller.svelte.js";
import { LABS, labBySlug } from "../../labs/catalog.js";
import type { LabViewModel } from "./model.js";
import { LabPlayback } from "./playback.js";
import type { ServicesViewModel } from "../kube-services/model.js";
import type { Caption } from "../build/model.js";

// A guided lab (issue 17) as a scene: the lab's own playground (its topology, seed and setup:
// LabSession), drawn by the view that fits the lab, with the terminal bound to the same world.
// `step=N` in the link opens the lab at step N, the steps before it done as written; the link is
// the lab and its step (Driver.linkOptions), never an action log: the world at a step's start is
// the lab's own, whatever a learner typed on the way.

/** The most steps of any lab, plus one: `step` may name the end of the longest lab (done). */
/** Where a lab's builds are looked for: the Dockerfiles under root's home (~/myimage, ~/app/api). */
const HOME = "/root";

export const STEP_MAX = Math.max(...LABS.map((l) => l.steps.length)) + 1;

/** A mark at the start of every step reached so far, labelled with its number and caption. */
export function stepMarks(ctl: LabController): Mark[] {
  const out: Mark[] = [];
  for (let i = 0; i <= ctl.current && i < ctl.lab.steps.length; i++) {
    const start = ctl.session.start(i);
    if (start) out.push({ t: start.at, label: `Step ${i + 1}: ${ctl.lab.steps[i]!.caption}` });
  }
  return out;
}

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
  // The host a one-host view draws: where the latest line ran (typed or done for the learner),
  // read from the run's log, so going back to a step moves it back too; the first host before any.
  const currentHost = (): string => {
    const log = sim.actionLog;
    for (let i = log.length - 1; i >= 0 && log[i]!.index >= opening.events; i--) {
      const a = log[i]!.action as { type: string; host?: string; line?: string };
      if (a.type === "exec" && typeof a.host === "string" && a.line !== "" && log[i]!.at <= sim.now) return a.host;
    }
    return lab.hosts[0]!;
  };
  const services = (caption: Caption, log: readonly { at: number; action: unknown }[]): ServicesViewModel => {
    const netv = netView(sim.state, { nodes: lab.kubernetes?.nodes ?? lab.hosts });
    const requests = servicesRequests(sim.trace, log, opening.at, new Map());
    const none = { host: lab.hosts[0]!, line: "", label: "" };
    return { ...netv, requests, caption, buttons: false, lines: { clusterIP: none, nodePort: none, denied: none, scale: none, policy: none } };
  };
  // Instructor mode pauses at each step: the world stands still until the presenter goes on.
  const instructor = options.instructor === true;
  // Instructor mode plays a step with pause points, stopping at each (playback.ts).
  const playback = instructor ? new LabPlayback(ctl, sim) : null;
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
      const world = sim.state;
      // Every view's caption is the lab's: the step the room is at (the views' own stories are their scenes').
      const step = lab.steps[ctl.current];
      const caption = { step: "lab", title: step ? `Step ${ctl.current + 1}` : "Done", text: step?.caption ?? lab.title };
      const own = { steps: [], next: null, caption };
      const host = currentHost();
      const engine = world.hosts.get(host)?.engine;
      const lines = kind === "kube-rollout" || kind === "kube-services" ? sim.actionLog.filter((a) => a.index >= opening.events) : [];
      const swarm = kind === "swarm" ? swarmView(sim.state, net.up, (a, b) => net.up[a] === true && net.up[b] === true && connected(net, a, b), lab.hosts) : null;
      return {
        lab, kind, controller: ctl, instructor, playback, playing: playback?.at(sim.now) ?? null, hosts: kind === "summary" ? worldSummary(pg) : [],
        swarm: swarm && { ...swarm, caption },
        build: kind === "build" && engine ? { ...buildWorldView(world, sim.trace, { host, after: opening.at, dir: HOME, depth: 3 }), ...own, busy: pg.busy(host) } : null,
        containers: kind === "containers" && engine ? { ...containersWorldView(engine, host, sim.now), ...own, busy: pg.busy(host) } : null,
        bridge: kind === "bridge" && engine ? { ...bridgeWorldView(engine, host, sim.trace, opening.at), ...own, busy: pg.busy(host) } : null,
        rollout: kind === "kube-rollout" ? { ...treeView(world), loop: loopView(world, typedLines(lines), sim.now), caption, buttons: false } : null,
        services: kind === "kube-services" ? services(caption, lines) : null,
      };
    },
    // The timeline's ticks: each step's start (where going back to it seeks), then the swarm's own moments.
    // In a step played with pause points, its pauses are its marks: the swarm's own moments there do not stop it.
    notable: (trace: readonly TraceRecord[], from: number): Mark[] => {
      const span = playback?.span() ?? null;
      const own = kind === "swarm" ? swarmMarks(trace, from, opening.at).filter((m) => span === null || m.t <= span.from || m.t >= span.to) : [];
      return [...stepMarks(ctl), ...(playback?.marks() ?? []), ...own];
    },
    messageLabel: lab.kubernetes ? kubeMessageLabel : swarmMessageLabel,
    messageKind: lab.kubernetes ? kubeMessageLabel : swarmMessageLabel,
    typed: (line, on, early) => {
      ctl.typed(line, on, early);
      return instructor;
    },
    linkOptions: () => ({ lab: slug, step: Math.min(ctl.current + 1, lab.steps.length + 1) }),
  };
}
