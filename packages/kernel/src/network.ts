import { freeze, produce } from "immer";
import { CowMap } from "./cow-map.js";
import { DrydockError } from "./errors.js";
import { parseRange, type DurationRange, type Micros } from "./time.js";

export type NodeId = string;
/** An address below a host (a container's interface on a bridge); never the same as a node id. */
export type EndpointId = string;

/** A network endpoint below a host. Messages to and from it cross its hops and its host. */
export interface Endpoint {
  readonly host: NodeId;
  /** Hops from the endpoint up to its host, its own interface first: ["c1:eth0", "veth1a2b", "docker0"]. */
  readonly path: readonly string[];
  /** False after `ifdown`: the interface neither sends nor receives. */
  readonly up: boolean;
}

/** How one directed link behaves. Latency is uniform over [min, max]. */
export interface LinkParams {
  readonly latency: readonly [Micros, Micros];
  /** Probability that a message is lost. */
  readonly loss: number;
  /** Probability that a message is delivered twice (the copy gets its own latency). */
  readonly duplicate: number;
  /** When false the link is FIFO: a message never overtakes an earlier one on the same link. */
  readonly reorder: boolean;
}

export interface LinkOptions {
  latency?: DurationRange;
  loss?: number;
  duplicate?: number;
  reorder?: boolean;
}

/**
 * The network as data: which nodes exist and are up, link parameters, partitions, cut and held
 * links. It is an immutable value (updated with immer), so a snapshot or the UI can hold it.
 */
export interface NetState {
  readonly nodes: readonly NodeId[];
  readonly up: Readonly<Record<NodeId, boolean>>;
  /** Incremented on every crash: messages and timers from an older epoch are dead. */
  readonly epoch: Readonly<Record<NodeId, number>>;
  readonly link: LinkParams;
  /** Per directed link overrides, keyed "from>to". */
  readonly links: Readonly<Record<string, LinkParams>>;
  /** Partition groups; null when the network is whole. */
  readonly groups: readonly (readonly NodeId[])[] | null;
  /** Directed links cut ("from>to"). */
  readonly cuts: readonly string[];
  /** Directed links whose messages are held until released ("from>to"). */
  readonly held: readonly string[];
  /**
   * Endpoints attached below hosts, by id, in the order they were attached. A copy-on-write map:
   * a host may hold 10,000 containers' interfaces, and each attach makes a new NetState (a
   * plain record would be copied whole each time).
   */
  readonly endpoints: ReadonlyMap<EndpointId, Endpoint>;
}

/**
 * Faults and other actions the kernel itself understands. They are plain data: a fault schedule
 * is a list of them with times, which a test, a generator or a UI can make, store and replay.
 */
export type NetAction =
  | { readonly type: "crash"; readonly node: NodeId }
  | { readonly type: "restart"; readonly node: NodeId }
  | { readonly type: "partition"; readonly groups: readonly (readonly NodeId[])[] }
  | { readonly type: "heal" }
  | { readonly type: "cut"; readonly a: NodeId; readonly b: NodeId }
  | { readonly type: "isolate"; readonly node: NodeId }
  | { readonly type: "hold"; readonly from: NodeId; readonly to: NodeId }
  | { readonly type: "release"; readonly from: NodeId; readonly to: NodeId; readonly drop?: boolean }
  | { readonly type: "link"; readonly from?: NodeId; readonly to?: NodeId; readonly latency?: DurationRange; readonly loss?: number; readonly duplicate?: number; readonly reorder?: boolean }
  | { readonly type: "addNode"; readonly node: NodeId }
  | { readonly type: "dropMessage"; readonly id: number }
  | { readonly type: "attach"; readonly endpoint: EndpointId; readonly host: NodeId; readonly path: readonly string[] }
  | { readonly type: "detach"; readonly endpoint: EndpointId }
  // Named after ifupdown's commands: the interface goes down (or up) and stays attached.
  | { readonly type: "ifdown"; readonly endpoint: EndpointId }
  | { readonly type: "ifup"; readonly endpoint: EndpointId };

export const NET_ACTION_TYPES: ReadonlySet<string> = new Set([
  "crash", "restart", "partition", "heal", "cut", "isolate", "hold", "release", "link", "addNode", "dropMessage",
  "attach", "detach", "ifdown", "ifup",
]);

export function isNetAction(action: { type: string }): action is NetAction {
  return NET_ACTION_TYPES.has(action.type);
}

export const linkKey = (from: NodeId, to: NodeId): string => `${from}>${to}`;

export function makeLink(options: LinkOptions = {}, base?: LinkParams): LinkParams {
  const latency = options.latency !== undefined ? parseRange(options.latency, "latency") : base?.latency ?? [1_000, 5_000];
  const loss = options.loss ?? base?.loss ?? 0;
  const duplicate = options.duplicate ?? base?.duplicate ?? 0;
  for (const [name, p] of [["loss", loss], ["duplicate", duplicate]] as const) {
    if (!(p >= 0 && p <= 1)) throw new DrydockError("EPROBABILITY", `invalid ${name} probability ${p}: want a number from 0 to 1`);
  }
  return { latency: [latency[0], latency[1]], loss, duplicate, reorder: options.reorder ?? base?.reorder ?? false };
}

export function createNetState(nodes: readonly NodeId[], link: LinkOptions = {}): NetState {
  const seen = new Set<NodeId>();
  for (const n of nodes) {
    if (typeof n !== "string" || n === "") throw new DrydockError("ENODE", `invalid node id ${JSON.stringify(n)}`);
    if (seen.has(n)) throw new DrydockError("ENODE", `duplicate node id "${n}"`);
    seen.add(n);
  }
  // Frozen like every later NetState (immer freezes what produce returns), so no holder of the
  // first snapshot's network can change it under the others.
  return freeze({
    nodes: [...nodes],
    up: Object.fromEntries(nodes.map((n) => [n, true])),
    epoch: Object.fromEntries(nodes.map((n) => [n, 0])),
    link: makeLink(link),
    links: {},
    groups: null,
    cuts: [],
    held: [],
    endpoints: new CowMap<EndpointId, Endpoint>(),
  }, true);
}

function known(net: NetState, node: NodeId): void {
  if (!Object.hasOwn(net.up, node)) {
    throw new DrydockError("ENODE", `unknown node "${node}" (nodes: ${net.nodes.join(", ")})`);
  }
}

function knownEndpoint(net: NetState, endpoint: EndpointId): void {
  if (typeof endpoint !== "string" || !net.endpoints.has(endpoint)) {
    throw new DrydockError("EENDPOINT", `unknown endpoint ${JSON.stringify(endpoint)}`);
  }
}

/** Throws a DrydockError when the action cannot apply to this network; changes nothing. */
export function validateNetAction(net: NetState, a: NetAction): void {
  switch (a.type) {
    case "crash":
    case "restart":
    case "isolate":
      known(net, a.node);
      return;
    case "partition": {
      const seen = new Set<NodeId>();
      if (!Array.isArray(a.groups) || a.groups.length === 0) throw new DrydockError("EPARTITION", "a partition needs at least one group");
      for (const g of a.groups) {
        for (const n of g) {
          known(net, n);
          if (seen.has(n)) throw new DrydockError("EPARTITION", `node "${n}" is in more than one partition group`);
          seen.add(n);
        }
      }
      return;
    }
    case "cut":
      known(net, a.a);
      known(net, a.b);
      if (a.a === a.b) throw new DrydockError("ELINK", `cannot cut a node from itself ("${a.a}")`);
      return;
    case "hold":
    case "release":
      known(net, a.from);
      known(net, a.to);
      return;
    case "link":
      if (a.from !== undefined) known(net, a.from);
      if (a.to !== undefined) known(net, a.to);
      if ((a.from === undefined) !== (a.to === undefined)) throw new DrydockError("ELINK", "a link change names both ends or neither");
      makeLink(a);
      return;
    case "addNode":
      if (typeof a.node !== "string" || a.node === "") throw new DrydockError("ENODE", `invalid node id ${JSON.stringify(a.node)}`);
      if (Object.hasOwn(net.up, a.node)) throw new DrydockError("ENODE", `node "${a.node}" already exists`);
      if (net.endpoints.has(a.node)) throw new DrydockError("ENODE", `"${a.node}" is already an endpoint`);
      return;
    case "attach":
      if (typeof a.endpoint !== "string" || a.endpoint === "") throw new DrydockError("EENDPOINT", `invalid endpoint id ${JSON.stringify(a.endpoint)}`);
      // One namespace for addresses: send() must know whether it was given a node or an endpoint.
      if (Object.hasOwn(net.up, a.endpoint)) throw new DrydockError("EENDPOINT", `"${a.endpoint}" is a node, not an endpoint`);
      if (net.endpoints.has(a.endpoint)) throw new DrydockError("EENDPOINT", `endpoint "${a.endpoint}" is already attached (to ${net.endpoints.get(a.endpoint)!.host})`);
      known(net, a.host);
      if (!Array.isArray(a.path) || a.path.length === 0 || !a.path.every((h) => typeof h === "string" && h !== "")) {
        throw new DrydockError("EENDPOINT", `endpoint "${a.endpoint}" needs a path of hop names up to its host, its own interface first`);
      }
      return;
    case "detach":
    case "ifdown":
    case "ifup":
      knownEndpoint(net, a.endpoint);
      return;
    case "heal":
    case "dropMessage":
      return;
  }
}

/** The network after an action (a new immutable value). Message effects are the simulation's. */
export function applyNetAction(net: NetState, a: NetAction): NetState {
  switch (a.type) {
    // Endpoints change outside immer: a fork of the map and one entry, not a copy of every entry.
    case "attach":
      return withEndpoints(net, (m) => m.set(a.endpoint, freeze({ host: a.host, path: freeze([...a.path]), up: true })));
    case "detach":
      return withEndpoints(net, (m) => m.delete(a.endpoint));
    case "ifdown":
    case "ifup":
      return withEndpoints(net, (m) => m.set(a.endpoint, freeze({ ...m.get(a.endpoint)!, up: a.type === "ifup" })));
  }
  return produce(net, (d) => {
    switch (a.type) {
      case "crash":
        d.up[a.node] = false;
        d.epoch[a.node] = (d.epoch[a.node] ?? 0) + 1;
        return;
      case "restart":
        d.up[a.node] = true;
        return;
      case "partition": {
        const listed = new Set(a.groups.flat());
        const rest = d.nodes.filter((n) => !listed.has(n));
        // Nodes no group names stay together, on their own side.
        d.groups = [...a.groups.map((g) => [...g]), ...(rest.length > 0 ? [rest] : [])];
        return;
      }
      case "heal":
        d.groups = null;
        d.cuts = [];
        d.held = [];
        return;
      case "cut":
        addOnce(d.cuts, linkKey(a.a, a.b));
        addOnce(d.cuts, linkKey(a.b, a.a));
        return;
      case "isolate":
        for (const n of d.nodes) {
          if (n === a.node) continue;
          addOnce(d.cuts, linkKey(a.node, n));
          addOnce(d.cuts, linkKey(n, a.node));
        }
        return;
      case "hold":
        addOnce(d.held, linkKey(a.from, a.to));
        return;
      case "release":
        d.held = d.held.filter((k) => k !== linkKey(a.from, a.to));
        return;
      case "link":
        if (a.from === undefined || a.to === undefined) d.link = makeLink(a, net.link) as typeof d.link;
        else d.links[linkKey(a.from, a.to)] = makeLink(a, net.links[linkKey(a.from, a.to)] ?? net.link) as (typeof d.links)[string];
        return;
      case "addNode":
        d.nodes.push(a.node);
        d.up[a.node] = true;
        d.epoch[a.node] = 0;
        if (d.groups) d.groups.push([a.node]);
        return;
      case "dropMessage":
        return;
    }
  });
}

function withEndpoints(net: NetState, change: (m: CowMap<EndpointId, Endpoint>) => void): NetState {
  const m = net.endpoints instanceof CowMap ? (net.endpoints as CowMap<EndpointId, Endpoint>).fork() : new CowMap(net.endpoints);
  change(m);
  return freeze({ ...net, endpoints: m });
}

function addOnce(list: string[], key: string): void {
  if (!list.includes(key)) list.push(key);
}

/** Can a message travel from → to right now (partitions and cuts only; crashes are separate)? */
export function connected(net: NetState, from: NodeId, to: NodeId): boolean {
  if (net.cuts.length > 0 && net.cuts.includes(linkKey(from, to))) return false;
  if (net.groups) {
    const g = net.groups.find((grp) => grp.includes(from));
    if (!g || !g.includes(to)) return false;
  }
  return true;
}
