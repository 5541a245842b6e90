import type { SimContext } from "@drydock/kernel";
import {
  heldPayload, swimApplyUpdate, swimDeliver, swimJoin, swimLeave, swimPublish, swimStart, swimStop, swimTimer,
  type ProtocolContext, type SwimMessage, type SwimParams, SwimState, UNKNOWN, keyStatus,
} from "@drydock/swim";

/**
 * The network control plane: every swarm node is a SWIM member (libnetwork's networkdb runs
 * memberlist), and a node publishes the endpoints of the tasks it runs on the gossip, piggybacked
 * on SWIM's own traffic, so every node learns every service's tasks without asking a manager
 * (course slide "Gossip control plane": "piggyback DNS info on SWIM traffic"). An entry is keyed
 * by its task; a task that stops is overwritten by an empty value (networkdb's deleted entry).
 * SWIM's pure core runs here as it is, through the handlers @drydock/swim exports for drivers.
 */

export const GOSSIP_TIMER = "gossip.";

/** One entry of the endpoint table (networkdb's endpoint_table, as drydock keeps it): a task on one network. */
export interface EndpointEntry {
  readonly taskId: string;
  readonly serviceId: string;
  readonly service: string;
  /** "web.1" (a global task: "mon.<node id>"). */
  readonly task: string;
  /** The node that runs the task, which published the entry. */
  readonly node: string;
  readonly containerId: string;
  /** The task's address on the network ("10.0.1.3"), and the service's VIP there ("" without one). */
  readonly network: string;
  readonly ip: string;
  readonly vip: string;
  /** A standalone container's `--network-alias` names (a task's entry has none). */
  readonly aliases?: readonly string[];
}

/** What a node publishes for one of its running tasks: one payload carrying the task's every network. */
export interface TaskEndpoints {
  readonly taskId: string;
  readonly serviceId: string;
  readonly service: string;
  readonly task: string;
  readonly node: string;
  readonly containerId: string;
  readonly networks: readonly { readonly network: string; readonly ip: string; readonly vip: string }[];
  /** A standalone container's aliases on its networks (libnetwork publishes them with its endpoint). */
  readonly aliases?: readonly string[];
}

const KEY = "ep/";

export function newGossip(params: SwimParams, hosts: readonly string[]): SwimState {
  return new SwimState(params, hosts, [], true);
}

/** SWIM's context from the daemon's: timers are named "gossip.<name>", the rest passes through. */
export function gossipContext(ctx: SimContext<any>): ProtocolContext<SwimMessage> {
  return {
    get now() { return ctx.now; },
    send: (from, to, msg) => ctx.send(from, to, msg),
    setTimer: (node, at, name, data) => ctx.setTimer(node, at, GOSSIP_TIMER + name, data),
    record: (node, data) => ctx.record(node, { gossip: data }),
    rng: (stream) => ctx.rng(stream),
  };
}

function index(s: SwimState, host: string): number | undefined {
  return s.ids.get(host);
}

/** The first node of a swarm starts the gossip alone. */
export function gossipStart(s: SwimState, host: string, ctx: SimContext<any>): void {
  const i = index(s, host);
  if (i === undefined) return;
  swimStart(s, i, 1, gossipContext(ctx));
  s.joined[i] = 1;
}

/** A node joins the gossip through members it knows (the managers it joined through). */
export function gossipJoin(s: SwimState, host: string, seeds: readonly string[], ctx: SimContext<any>): void {
  const i = index(s, host);
  if (i === undefined) return;
  const others = seeds.filter((x) => x !== host);
  if (others.length === 0) gossipStart(s, host, ctx);
  else swimJoin(s, i, others, gossipContext(ctx));
}

export function gossipLeave(s: SwimState, host: string, ctx: SimContext<any>): void {
  const i = index(s, host);
  if (i !== undefined && s.running[i]) swimLeave(s, i, gossipContext(ctx));
}

export function gossipStop(s: SwimState, host: string): void {
  const i = index(s, host);
  if (i !== undefined) swimStop(s, i);
}

export function gossipDeliver(s: SwimState, msg: SwimMessage, from: string, to: string, ctx: SimContext<any>): void {
  const i = index(s, to);
  if (i !== undefined && s.running[i]) swimDeliver(s, msg, from, i, gossipContext(ctx));
}

export function gossipTimer(s: SwimState, host: string, name: string, data: unknown, ctx: SimContext<any>): void {
  const i = index(s, host);
  if (i !== undefined) swimTimer(s, i, name, data, gossipContext(ctx));
}

export function gossipRunning(s: SwimState, host: string): boolean {
  const i = index(s, host);
  return i !== undefined && s.running[i] === 1;
}

function encode(e: TaskEndpoints): string {
  const fields = [e.serviceId, e.service, e.task, e.node, e.containerId, e.networks.map((n) => `${n.network}=${n.ip}=${n.vip}`).join(",")];
  // A task's entry keeps its six fields (its size on the wire is unchanged); a container's aliases follow.
  if (e.aliases !== undefined && e.aliases.length > 0) fields.push(e.aliases.join(","));
  return fields.join("|");
}

function decode(taskId: string, value: string): EndpointEntry[] {
  const [serviceId, service, task, node, containerId, nets, aliases] = value.split("|") as [string, string, string, string, string, string, string | undefined];
  return nets.split(",").map((n) => {
    const [network, ip, vip] = n.split("=") as [string, string, string];
    return { taskId, serviceId, service, task, node, containerId, network, ip, vip, ...(aliases ? { aliases: aliases.split(",") } : {}) };
  });
}

/** Publishes a task's endpoints from the node that runs it (null: the task stopped, networkdb's deleted entry). */
export function publishEndpoint(s: SwimState, host: string, taskId: string, entry: TaskEndpoints | null, ctx: SimContext<any>): void {
  const i = index(s, host);
  if (i === undefined || !s.running[i]) return;
  const value = entry ? encode(entry) : "";
  if ((heldPayload(s, i, KEY + taskId)?.value ?? null) === value) return;
  if (entry === null && heldPayload(s, i, KEY + taskId) === undefined) return;
  swimPublish(s, i, KEY + taskId, value, gossipContext(ctx));
}

/**
 * A node back from a crash joins the gossip afresh (SWIM forgets what it held) and withdraws every
 * entry it published in its previous life (its tasks' containers died with it: exit 255), each one
 * version past the one it published, so that the withdrawal wins wherever the old entry went. networkdb gets there another way: the restarted daemon is a new networkdb node, and
 * purgeReincarnation (event_delegate.go NotifyJoin) drops the old one's entries.
 */
export function gossipRejoin(s: SwimState, host: string, seeds: readonly string[], ctx: SimContext<any>): void {
  const i = index(s, host);
  if (i === undefined) return;
  const stale: { key: string; version: number }[] = [];
  for (const [key, k] of s.users) {
    if (!key.startsWith(KEY)) continue;
    const held = k.held[i]!;
    const e = held < 0 ? undefined : k.entries[held]!;
    if (e && e.value !== "" && e.origin === host) stale.push({ key, version: e.version });
  }
  gossipJoin(s, host, seeds, ctx);
  if (!s.running[i]) return;
  const gctx = gossipContext(ctx);
  for (const { key, version } of stale) swimApplyUpdate(s, i, { type: "user", key, version: version + 1, origin: host, value: "" }, gctx);
}

/**
 * The endpoint table as `host` knows it: what the gossip has brought it so far, less the entries
 * of nodes it believes dead or gone (networkdb nodemgmt.go changeNodeState: a failed node's
 * entries are hidden, and shown again if it comes back; a node that left takes them with it).
 */
export function endpointTable(s: SwimState, host: string): EndpointEntry[] {
  const i = index(s, host);
  if (i === undefined) return [];
  const out: EndpointEntry[] = [];
  for (const [key, k] of s.users) {
    if (!key.startsWith(KEY)) continue;
    const held = k.held[i]!;
    if (held < 0) continue;
    const value = k.entries[held]!.value;
    if (value === "") continue;
    const entries = decode(key.slice(KEY.length), value);
    const j = index(s, entries[0]!.node);
    if (j !== undefined && j !== i) {
      const seen = s.view.get(i, j);
      if (seen !== UNKNOWN && keyStatus(seen) >= 2) continue;
    }
    out.push(...entries);
  }
  return out.sort((a, b) => (a.task < b.task ? -1 : a.task > b.task ? 1 : a.network < b.network ? -1 : a.network > b.network ? 1 : 0));
}

/**
 * The standalone containers a node runs on attachable overlays (moby: a container attached to a
 * swarm network; libnetwork's addServiceInfoToCluster publishes its endpoint, with its name and
 * aliases and no service, in the network's endpoint_table): the node publishes `running` and
 * withdraws what it published before for a container no longer among them (stopped, removed,
 * disconnected: deleteServiceInfoFromCluster). Keyed by container ID.
 */
export function syncContainerEndpoints(s: SwimState, host: string, running: readonly TaskEndpoints[], ctx: SimContext<any>): void {
  const i = index(s, host);
  if (i === undefined || !s.running[i]) return;
  const keep = new Set(running.map((e) => e.taskId));
  for (const [key, k] of s.users) {
    if (!key.startsWith(KEY)) continue;
    const held = k.held[i]!;
    const e = held < 0 ? undefined : k.entries[held]!;
    // A container's entry has no service: its value starts with the empty service ID.
    if (!e || e.value === "" || e.origin !== host || !e.value.startsWith("|")) continue;
    const id = key.slice(KEY.length);
    if (!keep.has(id)) publishEndpoint(s, host, id, null, ctx);
  }
  for (const e of running) publishEndpoint(s, host, e.taskId, e, ctx);
}

/**
 * Every address the gossip carries on a network now (any node's entries, tasks' and containers'):
 * what an attachment must not take.
 */
export function gossipedAddresses(s: SwimState, networkId: string): Set<string> {
  const out = new Set<string>();
  for (const [key, k] of s.users) {
    if (!key.startsWith(KEY)) continue;
    const last = k.entries[k.entries.length - 1];
    if (!last || last.value === "") continue;
    for (const e of decode(key.slice(KEY.length), last.value)) if (e.network === networkId) out.add(e.ip);
  }
  return out;
}
