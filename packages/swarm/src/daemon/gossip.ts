import type { SimContext } from "@drydock/kernel";
import {
  heldPayload, swimDeliver, swimJoin, swimLeave, swimPublish, swimStart, swimStop, swimTimer,
  type ProtocolContext, type SwimMessage, type SwimParams, SwimState,
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

/** One entry of the endpoint table (networkdb's endpoint_table, as drydock keeps it). */
export interface EndpointEntry {
  readonly taskId: string;
  readonly service: string;
  /** "web.1". */
  readonly task: string;
  readonly node: string;
  /** The task's address on the network ("10.0.1.3"), and the service's VIP there. */
  readonly network: string;
  readonly ip: string;
  readonly vip: string;
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

function encode(e: EndpointEntry): string {
  return [e.service, e.task, e.node, e.network, e.ip, e.vip].join("|");
}

/** Publishes a task's endpoint from the node that runs it (null: the task stopped). */
export function publishEndpoint(s: SwimState, host: string, taskId: string, entry: EndpointEntry | null, ctx: SimContext<any>): void {
  const i = index(s, host);
  if (i === undefined || !s.running[i]) return;
  const value = entry ? encode(entry) : "";
  if ((heldPayload(s, i, KEY + taskId)?.value ?? null) === value) return;
  swimPublish(s, i, KEY + taskId, value, gossipContext(ctx));
}

/** The endpoint table as `host` knows it: what the gossip has brought it so far. */
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
    const [service, task, node, network, ip, vip] = value.split("|");
    out.push({ taskId: key.slice(KEY.length), service: service!, task: task!, node: node!, network: network!, ip: ip!, vip: vip! });
  }
  return out.sort((a, b) => (a.task < b.task ? -1 : a.task > b.task ? 1 : 0));
}
