import type { TraceRecord } from "@drydock/kernel";
import type { WorldState } from "@drydock/playground";
import { TaskState, type Service, type UpdaterState } from "@drydock/swarm";
import { nodeActors, type Driver, type Mark, type OptionValues } from "../../scenario.js";
import { MANAGERS, openSwarmRun, swarmMarks, swarmMessageLabel, type SwarmScript } from "../swarm/driver.js";
import type { SwarmCaption, SwarmNodeView } from "../swarm/model.js";
import { swarmEvents } from "../swarm/events.js";
import type { RollingViewModel, UpdateView } from "./model.js";

// Rolling update (issue 14): the node-failure swarm's web service, made with an update config
// (docker service create --update-parallelism/--update-delay/--update-monitor/
// --update-failure-action/--update-order), updated from nginx:1.25 to nginx:1.27 in batches,
// then to a bad image whose tasks exit right after they start: SwarmKit's updater counts each as
// a failure and, the failures over --update-max-failure-ratio (0), pauses or rolls back.

export const REPLICAS = 6;
export const OLD_IMAGE = "nginx:1.25";
export const NEW_IMAGE = "nginx:1.27";
/** The bad version: busybox running `false`, which exits 1 as soon as it started. */
export const BAD_IMAGE = "busybox:1.36";
export const DELAY_S = 10;
export const MONITOR_S = 5;

/** The swarm's hosts: three managers and `workers` workers (four, as in node failure; 47 in the frame bench). */
export function rollingHosts(workers: number): string[] {
  return [...MANAGERS, ...Array.from({ length: workers }, (_, i) => `worker${i + 1}`)];
}

export function rollingScript(options: OptionValues): SwarmScript {
  const p = Number(options.parallelism ?? 2);
  const hosts = rollingHosts(Number(options.workers ?? 4));
  return {
    hosts,
    members: hosts,
    lines: [`docker service create --replicas ${Number(options.replicas ?? REPLICAS)} --name web --update-parallelism ${p} --update-delay ${DELAY_S}s --update-monitor ${MONITOR_S}s`
      + ` --update-failure-action ${String(options.failure ?? "rollback")} --update-order ${String(options.order ?? "stop-first")} ${OLD_IMAGE} >/dev/null`],
  };
}

/** The lines the view's buttons type on the leader (detached: the room watches the update, not a progress bar). */
export const UPDATE_LINE = `docker service update -d --image ${NEW_IMAGE} web`;
export const BAD_LINE = `docker service update -d --image ${BAD_IMAGE} --args false web`;
export const ROLLBACK_LINE = "docker service rollback -d web";

const S = 1_000_000;

/** The update as the leader's store and updater have it (exported for the tests). */
export function updateView(world: WorldState, source: string | null, now: number): UpdateView | null {
  const h = source ? world.swarm.hosts.get(source) : undefined;
  const store = h?.store;
  const service: Service | undefined = store ? [...store.services.values()].find((s) => s.spec.name === "web") : undefined;
  if (!store || !service) return null;
  const rollback = service.updateStatus?.state === "rollback_started";
  const cfg = rollback ? service.spec.rollback : service.spec.update;
  const u: UpdaterState | undefined = h?.leader?.control.updaters.get(service.id);
  let delayLeft: number | null = null;
  let inProgress = 0;
  for (const w of u?.workers ?? []) {
    if (w.phase === "delay") delayLeft = Math.max(delayLeft ?? 0, w.until - now);
    else if (w.phase !== "idle") inProgress++;
  }
  const image = service.spec.task.container.image;
  let onNew = 0;
  // The updater's own count lasts only until its failure action fires (a rollback is a new
  // update): the room sees the tasks made since the update started that ended in failure.
  let failed = 0;
  const since = service.updateStatus?.startedAt ?? Infinity;
  for (const t of store.tasks.values()) {
    if (t.serviceId !== service.id) continue;
    if (t.desiredState === TaskState.RUNNING && t.status.state === TaskState.RUNNING && t.spec.container.image === image) onNew++;
    if ((t.status.state === TaskState.FAILED || t.status.state === TaskState.REJECTED) && t.createdAt >= since) failed++;
  }
  const replicas = service.spec.mode.kind === "replicated" ? service.spec.mode.replicas : 0;
  return {
    service: service.spec.name, image, previousImage: service.previousSpec?.task.container.image ?? null,
    state: service.updateStatus?.state ?? null, message: service.updateStatus?.message ?? "",
    parallelism: cfg.parallelism, delayS: cfg.delayUs / S, monitorS: cfg.monitorUs / S, failureAction: cfg.failureAction, order: cfg.order, maxFailureRatio: cfg.maxFailureRatio,
    failures: Math.max(u?.failures ?? 0, failed), dirtySlots: u?.dirtySlots ?? 0, queued: u?.queue.length ?? 0, inProgress,
    delayLeftS: delayLeft !== null && delayLeft > 0 ? Math.ceil(delayLeft / S) : null,
    monitorLeftS: u?.monitorUntil != null && u.monitorUntil > now ? Math.ceil((u.monitorUntil - now) / S) : null,
    onNew, replicas,
  };
}

/** The caption for the update on the screen (the swarm's own caption while a node is down). */
export function rollingCaption(u: UpdateView | null, nodes: readonly SwarmNodeView[], swarm: SwarmCaption): SwarmCaption {
  if (!u || nodes.some((n) => !n.up) || swarm.step === "no-leader" || swarm.step === "no-quorum") return swarm;
  const batch = `${u.parallelism === 0 ? "all tasks" : `${u.parallelism} task${u.parallelism === 1 ? "" : "s"}`} at a time`;
  const counts = `${u.onNew} of ${u.replicas} tasks run ${u.image}; ${u.failures} failure${u.failures === 1 ? "" : "s"} (max ratio ${u.maxFailureRatio})`;
  const order = u.order === "start-first"
    ? "start-first: each new task starts beside the old one, which stops once the new one runs"
    : "stop-first: each old task stops before its new one starts";
  switch (u.state) {
    case null:
      return { step: "steady", title: `web runs ${u.replicas} tasks of ${u.image}`, text: `Its update config: ${batch}, ${u.order}, a ${u.delayS} s delay between batches, each new task watched for ${u.monitorS} s, on failure ${u.failureAction}. Press "Update to ${NEW_IMAGE}".` };
    case "updating": {
      const wait = u.delayLeftS !== null ? ` Waiting out the ${u.delayS} s delay before the next batch: ${u.delayLeftS} s left.` : u.monitorLeftS !== null ? ` Every slot is done; watching the new tasks for the ${u.monitorS} s monitor period: ${u.monitorLeftS} s left.` : "";
      return { step: "updating", title: `Updating web to ${u.image}`, text: `In batches of ${batch}, ${order}.${wait} ${counts}.` };
    }
    case "paused":
      return { step: "paused", title: "Update paused", text: `A new task failed within its monitor period, over the max failure ratio, and the failure action is pause: SwarmKit stops updating and leaves the slots as they are ("${u.message}"). ${counts}. Press "Roll back" (docker service rollback).` };
    case "rollback_started":
      return { step: "rollback_started", title: `Rolling back to ${u.image}`, text: `The update failed (${u.failures} failure${u.failures === 1 ? "" : "s"}) and the failure action is rollback: the previous spec comes back, with the rollback config (${batch}, ${u.order}). ${u.onNew} of ${u.replicas} tasks run ${u.image}.` };
    case "rollback_paused":
      return { step: "rollback_paused", title: "Rollback paused", text: `A task of the previous spec failed too: the rollback stops ("${u.message}"). ${counts}.` };
    case "rollback_completed":
      return { step: "rollback_completed", title: "Rolled back", text: `Every slot runs ${u.image} again${u.previousImage ? `; ${u.previousImage} is the spec that failed` : ""} ("${u.message}"). ${counts}.` };
    case "completed":
      return { step: "completed", title: `web updated to ${u.image}`, text: `Every slot was replaced in batches and watched for ${u.monitorS} s. Now press "Update to a bad image": its tasks exit as soon as they start. ${counts}.` };
    default:
      return { step: u.state, title: u.state, text: counts };
  }
}

export function createRollingDriver(seed: string, options: OptionValues): Driver<RollingViewModel> {
  const script = rollingScript(options);
  const run = openSwarmRun(seed, script);
  const sim = run.sim;
  return {
    playground: run.playground,
    sim,
    timeline: run.timeline,
    actors: nodeActors(script.hosts),
    view() {
      const swarm = run.swarm();
      const update = updateView(sim.state, swarm.source, sim.now);
      return { ...swarm, update, caption: rollingCaption(update, swarm.nodes, swarm.caption) };
    },
    notable(trace: readonly TraceRecord[], from: number): Mark[] {
      const out = swarmMarks(trace, from, run.setup.at).filter((m) => !m.label.endsWith("running again"));
      for (const e of swarmEvents(trace, from)) {
        if (e.t <= run.setup.at) continue;
        if (e.event === "task" && (e.state === "failed" || e.state === "running")) out.push({ t: e.t, label: `${e.service}.${e.slot} ${e.state}` });
        else if (e.event === "update") out.push({ t: e.t, label: `${e.service}: ${e.state.replace("_", " ")}` });
      }
      return out.sort((a, b) => a.t - b.t);
    },
    messageLabel: swarmMessageLabel,
    messageKind: swarmMessageLabel,
  };
}
