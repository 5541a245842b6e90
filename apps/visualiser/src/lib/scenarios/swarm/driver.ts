import { DrydockError, connected, type LoggedAction, type TraceRecord } from "@drydock/kernel";
import { createPlayground, type Playground, type WorldAction, type WorldState } from "@drydock/playground";
import { TaskState, nodeRows, serviceRows, taskStateName, type Store } from "@drydock/swarm";
import { nodeActors, type Driver, type Mark, type OptionValues, type Timeline } from "../../scenario.js";
import { setupTimeline, type SceneSetup } from "../../setup-run.js";
import type { SwarmCaption, SwarmNodeView, SwarmPartition, SwarmServiceView, SwarmTaskView, SwarmTry, SwarmViewModel } from "./model.js";
import { swarmEvents } from "./events.js";

// Node failure (issue 14): a swarm of 3 managers and 4 workers running `web`, six nginx tasks,
// built by the same docker commands a learner types (packages/cli/testdata/swarm-*.txt). The
// playground runs in the page; the view reads the leader's store as `docker node ls` and
// `docker service ps` do. A click crashes or restarts a host: a kernel action in the log.

export const MANAGERS = ["manager1", "manager2", "manager3"] as const;
export const WORKERS = ["worker1", "worker2", "worker3", "worker4"] as const;
export const HOSTS: readonly string[] = [...MANAGERS, ...WORKERS];
const IS_MANAGER: ReadonlySet<string> = new Set(MANAGERS);
export const REPLICAS = 6;
export const SERVICE_LINE = `docker service create --replicas ${REPLICAS} --name web nginx`;

type World = WorldState;

/** The change the view tries on a manager: it needs the Raft leader to commit it. */
export const SCALE_LINE = "docker service scale web=8";
/** docker node update typed on the leader: "drain", "active" or "pause" (docker/cli node update --availability). */
export const drainLine = (node: string, availability: "drain" | "active" | "pause"): string => `docker node update --availability ${availability} ${node}`;
/** What a manager without a Raft majority answers (packages/swarm/src/errors.ts NO_LEADER, SwarmKit's ErrNoLeader text). */
export const QUORUM_ERROR = "The swarm does not have a leader";

/** The setup the scenario opens after: its logged actions and the event it ends at. */
export type Setup = SceneSetup;

const setups = new Map<string, Setup>();

/** A scenario's opening: the hosts of its playground and the lines typed after the swarm formed. */
export interface SwarmScript {
  /** Every host of the playground (the swarm's seven, and any outside it, e.g. a client). */
  readonly hosts: readonly string[];
  /** The swarm's members, managers first (default: the three managers and four workers). */
  readonly members?: readonly string[];
  /** Lines typed on a manager once the seven hosts joined (the last waits until its service converged). */
  readonly lines: readonly string[];
}

export const NODE_FAILURE: SwarmScript = { hosts: HOSTS, lines: [`${SERVICE_LINE} >/dev/null`] };

/**
 * The swarm built by typing its commands in a scratch playground: init on manager1, the join
 * tokens, a join on every other host, then the script's lines (a service create waits until it
 * converged). Its action log is a pure function of the seed and the script, so it is built once
 * per pair and loaded into each run.
 */
export function swarmSetup(seed: string, script: SwarmScript = NODE_FAILURE): Setup {
  const members = script.members ?? HOSTS;
  const id = `${seed}\n${script.hosts.join(" ")}\n${members.join(" ")}\n${script.lines.join("\n")}`;
  const known = setups.get(id);
  if (known) return known;
  const pg = createPlayground({ seed, nodes: script.hosts });
  const run = (line: string, on: string): string => {
    const r = pg.exec(line, { on });
    if (r.exitCode !== 0) throw new DrydockError("ESETUP", `${on}$ ${line}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
    return r.stdout.trim();
  };
  run("docker swarm init >/dev/null", MANAGERS[0]);
  const managerToken = run("docker swarm join-token manager -q", MANAGERS[0]);
  const workerToken = run("docker swarm join-token worker -q", MANAGERS[0]);
  const addr = run("docker node inspect self --format '{{ .ManagerStatus.Addr }}'", MANAGERS[0]);
  for (const h of members.slice(1)) run(`docker swarm join --token ${IS_MANAGER.has(h) ? managerToken : workerToken} ${addr}`, h);
  for (const line of script.lines) run(line, MANAGERS[0]);
  const setup: Setup = { actions: [...pg.actions], events: pg.sim.eventCount, at: pg.now };
  setups.set(id, setup);
  return setup;
}

/** The manager whose store the picture shows: the leader of the highest term, else the up manager that committed most. */
function sourceOf(world: World, up: Readonly<Record<string, boolean>>, hosts: readonly string[]): { source: string | null; leader: string | null } {
  let leader: string | null = null;
  let leaderTerm = -1;
  let best: string | null = null;
  let bestCommit = -1;
  for (const h of hosts) {
    const raft = world.swarm.hosts.get(h)?.raft;
    if (!raft || !up[h]) continue;
    if (raft.role === "leader" && raft.term > leaderTerm) {
      leader = h;
      leaderTerm = raft.term;
    }
    if (raft.commitIndex > bestCommit) {
      best = h;
      bestCommit = raft.commitIndex;
    }
  }
  return { leader, source: leader ?? best };
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The view model: pure, from the world and the network's up map (exported for the tests). */
/** The partition's sides: the one holding more than half of the managers, and the rest. */
export function partitionOf(groups: readonly (readonly string[])[] | null, hosts: readonly string[]): SwarmPartition | null {
  if (groups === null) return null;
  const managers = hosts.filter((h) => IS_MANAGER.has(h));
  const major = groups.find((g) => g.filter((h) => IS_MANAGER.has(h)).length * 2 > managers.length);
  const on = (g: readonly string[]) => g.filter((h) => hosts.includes(h));
  return { majority: major ? on(major) : [], minority: groups.filter((g) => g !== major).flatMap(on) };
}

/** The scale lines typed on the managers and their answers (each host's running or last line). */
function triesOf(world: World, partition: SwarmPartition | null, hosts: readonly string[]): SwarmTry[] {
  const out: SwarmTry[] = [];
  for (const host of hosts) {
    if (!IS_MANAGER.has(host)) continue;
    const h = world.hosts.get(host);
    if (!h) continue;
    const side = partition ? (partition.majority.includes(host) ? "majority" : "minority") : null;
    if (h.running && h.running.line.startsWith("docker service scale")) {
      out.push({ host, line: h.running.line, side, done: false, ok: false, text: "waiting…" });
    } else if (h.last && h.last.line.startsWith("docker service scale")) {
      const lines = h.last.display.split("\n").map((l) => l.trim()).filter((l) => l !== "");
      const text = h.last.status === 0 ? (lines.find((l) => l.includes("scaled to")) ?? lines[0] ?? "") : (lines.at(-1) ?? "").replace(/^Error response from daemon: rpc error: code = \w+ desc = /, "");
      out.push({ host, line: h.last.line, side, done: true, ok: h.last.status === 0, text });
    }
  }
  return out;
}

export function swarmView(world: World, up: Readonly<Record<string, boolean>>, reach: (a: string, b: string) => boolean, hosts: readonly string[] = HOSTS, groups: readonly (readonly string[])[] | null = null): SwarmViewModel {
  const { leader, source } = sourceOf(world, up, hosts);
  const store: Store | undefined = source ? world.swarm.hosts.get(source)?.store : undefined;
  const rows = store && source ? nodeRows(world.swarm, source, reach) : [];
  const byHost = new Map(rows.map((r) => [r.hostname, r]));
  const hostOfNode = new Map(rows.map((r) => [r.id, r.hostname]));
  const tasks = new Map<string, SwarmTaskView[]>();
  if (store) {
    for (const t of store.tasks.values()) {
      const host = hostOfNode.get(t.nodeId);
      if (host === undefined) continue;
      const current = t.desiredState <= TaskState.RUNNING;
      // A replaced task still shown running on a host that is down: lost with its node.
      const stranded = !current && t.status.state <= TaskState.RUNNING && !up[host];
      // A replaced task on a host that is up, not stopped yet (an update's old version, stop-first or start-first).
      const stopping = !current && t.status.state <= TaskState.RUNNING && up[host] === true;
      if (!current && !stranded && !stopping) continue;
      if (current && t.status.state > TaskState.RUNNING) continue;
      const view: SwarmTaskView = {
        id: t.id, name: `${t.serviceName}.${t.slot}`, service: t.serviceName, slot: t.slot, image: t.spec.container.image,
        state: taskStateName(t.status.state), desired: taskStateName(t.desiredState), lost: !up[host], stopping,
      };
      const list = tasks.get(host);
      if (list) list.push(view);
      else tasks.set(host, [view]);
    }
  }
  const nodes: SwarmNodeView[] = hosts.map((host) => {
    const h = world.swarm.hosts.get(host);
    const row = byHost.get(host);
    const raft = h?.raft ?? null;
    const isManager = IS_MANAGER.has(host);
    return {
      host, role: row ? (row.role === "manager" ? "manager" : "worker") : isManager ? "manager" : "worker", up: up[host] === true,
      status: row?.status ?? "Unknown", availability: row?.availability ?? "Active", managerStatus: row?.managerStatus ?? "",
      raftRole: raft && up[host] ? raft.role : null, term: raft ? raft.term : null,
      tasks: (tasks.get(host) ?? []).sort((a, b) => a.slot - b.slot || (a.id < b.id ? -1 : 1)),
    };
  });
  const services: SwarmServiceView[] = store ? serviceRows(store).map((s) => {
    const [running, desired] = s.replicas.split("/").map(Number);
    return { name: s.name, image: s.image, mode: s.mode, running: running ?? 0, desired: desired ?? 0 };
  }) : [];
  const partition = partitionOf(groups, hosts);
  const tries = triesOf(world, partition, hosts);
  return { nodes, services, leader, source, caption: captionOf(nodes, services, leader, partition, tries), partition, tries };
}

/** The caption for the state on the screen: which step of the story the room is at. */
export function captionOf(nodes: readonly SwarmNodeView[], services: readonly SwarmServiceView[], leader: string | null, partition: SwarmPartition | null = null, tries: readonly SwarmTry[] = []): SwarmCaption {
  const downManagers = nodes.filter((n) => n.role === "manager" && !n.up);
  const downWorkers = nodes.filter((n) => n.role === "worker" && !n.up);
  const managers = nodes.filter((n) => n.role === "manager").length;
  const web = services[0];
  const counts = web ? `${web.running} of ${web.desired} ${web.name} tasks running` : "no service";
  if (partition) {
    const isManager = new Set(nodes.filter((n) => n.role === "manager").map((n) => n.host));
    const cutOff = partition.minority.filter((h) => isManager.has(h));
    const refused = tries.find((t) => t.done && !t.ok && t.side !== "majority");
    const early = tries.find((t) => t.done && !t.ok && t.side === "majority");
    if (!refused && early) {
      return { step: "not-ready", title: `${early.host} answered too early`, text: `Its side holds a majority, but a new leader serves requests only once it has committed an entry of its own term. Try again in a moment. ${counts}.` };
    }
    if (refused) {
      return { step: "refused", title: `${refused.host} refused the change`, text: `It cannot reach a majority of the managers, so no leader can commit it: "${QUORUM_ERROR}". The tasks already running keep running (${counts}). Heal the network and the swarm converges.` };
    }
    const side = partition.majority.filter((h) => isManager.has(h));
    return { step: "partition", title: "The managers are partitioned", text: `${side.join(" and ") || "No side"} ${side.length === 1 ? "holds" : "hold"} a majority${leader ? ` (${leader} leads)` : ""}: changes typed there apply. ${cutOff.join(" and ") || "No manager"} cannot reach a majority: a change typed there fails, and the running tasks keep running. ${counts}.` };
  }
  if (managers - downManagers.length <= managers / 2) {
    return { step: "no-quorum", title: "Quorum lost", text: `${downManagers.length} of ${managers} managers are down: Raft needs a majority, so no leader can be elected and nothing can be changed. The containers already running go on (${counts}).` };
  }
  if (leader === null) {
    return { step: "no-leader", title: "Electing a leader", text: `The leader is down: the other managers' election timers run out and they vote for a new leader. ${counts}.` };
  }
  if (downManagers.length > 0) {
    return { step: "manager-down", title: "A manager died, Raft elected a new leader", text: `${downManagers.map((n) => n.host).join(" and ")} ${downManagers.length === 1 ? "is" : "are"} down; ${leader} now leads with a quorum of managers, and the services keep running: ${counts}.` };
  }
  const lostHere = (n: SwarmNodeView) => n.tasks.some((t) => t.desired === "running");
  if (downWorkers.length > 0) {
    const waiting = downWorkers.filter((n) => n.status !== "Down" || lostHere(n));
    if (waiting.length > 0) {
      return { step: "worker-down", title: "A worker died", text: `${waiting.map((n) => n.host).join(", ")} stopped sending heartbeats. The leader waits out SwarmKit's grace (3 missed 5 s heartbeats) before it marks the node Down and moves its tasks. ${counts}.` };
    }
    return { step: "moved", title: "Its tasks moved", text: `The leader marked ${downWorkers.map((n) => n.host).join(", ")} Down and the orchestrator started the lost tasks on the nodes that are up: ${counts}.` };
  }
  const drained = nodes.filter((n) => n.availability === "Drain");
  if (drained.length > 0) {
    return { step: "drained", title: `${drained.map((n) => n.host).join(", ")} drained`, text: `The scheduler places no task on a drained node: its tasks were shut down and started on the active nodes (${counts}). Make it Active again: running tasks do not move back.` };
  }
  if (nodes.some((n) => n.status !== "Ready")) {
    return { step: "back", title: "A node came back", text: `It rejoins empty: its old tasks were replaced, and the swarm does not move running tasks back. ${counts}.` };
  }
  return { step: "steady", title: "A swarm of 3 managers and 4 workers", text: `The service web runs ${web?.desired ?? 0} nginx tasks spread over the nodes. Click a worker to crash it and watch its tasks move; click the leader to crash it and watch Raft elect another.` };
}

/** A message's type word for the sequence diagram (raft, dispatcher and gossip messages all carry one). */
export function swarmMessageLabel(msg: unknown): string {
  if (msg !== null && typeof msg === "object" && "type" in msg && typeof (msg as { type: unknown }).type === "string") return (msg as { type: string }).type;
  return "message";
}

/** A playground opened at a setup's last instant, and the timeline that never goes before it. */
export interface SwarmRun {
  /** The playground over `sim`, for the terminal panel to type into. */
  readonly playground: Playground;
  readonly sim: ReturnType<typeof createPlayground>["sim"];
  readonly timeline: Timeline;
  readonly setup: Setup;
  /** The swarm view now (the network's up map and reachability read from the kernel). */
  swarm(): SwarmViewModel;
}

export function openSwarmRun(seed: string, script: SwarmScript): SwarmRun {
  const setup = swarmSetup(seed, script);
  const members = script.members ?? HOSTS;
  const pg = createPlayground({ seed, nodes: script.hosts });
  const sim = pg.sim;
  // The run opens once the service converged: nothing before that instant is shown.
  const timeline = setupTimeline(sim, setup, "swarm setup");
  return {
    playground: pg,
    sim,
    timeline,
    setup,
    swarm() {
      const net = sim.net;
      return swarmView(sim.state, net.up, (a, b) => net.up[a] === true && net.up[b] === true && connected(net, a, b), members, net.groups);
    },
  };
}

/** The timeline's marks every swarm scene shares: leaders, nodes Down and Ready, tasks running again. */
export function swarmMarks(trace: readonly TraceRecord[], from: number, after: number): Mark[] {
  const out: Mark[] = [];
  for (const e of swarmEvents(trace, from)) {
    if (e.t <= after) continue;
    if (e.event === "leader") out.push({ t: e.t, label: `${e.host} became the Raft leader (term ${e.term})` });
    else if (e.event === "node" && e.state === "down") out.push({ t: e.t, label: `${e.hostname} marked Down` });
    else if (e.event === "node" && e.state === "ready") out.push({ t: e.t, label: `${e.hostname} Ready again` });
    else if (e.event === "task" && e.state === "running") out.push({ t: e.t, label: `${e.service}.${e.slot} running again` });
  }
  return out;
}

export function createSwarmDriver(seed: string, _options: OptionValues): Driver<SwarmViewModel> {
  const run = openSwarmRun(seed, NODE_FAILURE);
  return {
    playground: run.playground,
    sim: run.sim,
    timeline: run.timeline,
    actors: nodeActors(HOSTS),
    view: () => run.swarm(),
    notable: (trace: readonly TraceRecord[], from: number): Mark[] => swarmMarks(trace, from, run.setup.at),
    messageLabel: swarmMessageLabel,
    messageKind: swarmMessageLabel,
  };
}
