import { connected, type NetState, type SimContext } from "@drydock/kernel";
import { KubeError, KUBE_ERRORS, etcdLeader, kubeModel, runCommand, KUBE_COMMAND_TYPES, type KubeCommand, type KubeContext, type KubeMessage, type KubeWorldState, type LifecycleOptions } from "@drydock/kube";
import type { WorldMessage, WorldState } from "./state.js";
import { exitsOn, mirrorPods } from "./kube-containers.js";
import { worldProber } from "./kube-probe.js";
import { execOnNode, type NodeExec } from "./kube-exec.js";

/**
 * Kubernetes on the world's hosts (issue 15, step 4 of packages/kube's plan). As with swarm
 * (world/swarm.ts), the world's model embeds the kube daemon's handlers (`kubeModel` of
 * @drydock/kube: the API server's store, the controller manager and the scheduler on the first
 * node, a kubelet on every node) rather than composing a second kernel model: a kube message, a
 * `kube/` timer, a host's crash or restart runs the kube handler on `world.kube` in the same
 * event, and the kubelet's pods are then mirrored onto that host's engine
 * (world/kube-containers.ts), one transaction per event.
 */

/** The world's timers that belong to the kube daemon carry this prefix. */
export const KUBE_TIMER = "kube/";

/** What a playground with Kubernetes is given: its nodes, the first running the control plane. */
export interface KubernetesOptions {
  readonly nodes: readonly string[];
  /**
   * How many of the first nodes are control-plane hosts (default 1). With 3, kubeadm's stacked
   * topology: an etcd member on each, a Raft group; the API servers sit behind one endpoint, so
   * kubectl on any host reaches the first one up, and with two of the three down every request
   * times out (packages/kube cluster/etcd.ts).
   */
  readonly controlPlanes?: number;
  /** Node lifecycle (default TEACHING_LIFECYCLE). */
  readonly lifecycle?: Partial<LifecycleOptions>;
}

/**
 * Short defaults for teaching: a crashed node goes NotReady (Unknown) after 20 s without a status
 * (kube-controller-manager's --node-monitor-grace-period is 40 s) and its pods are evicted 30 s
 * later (the DefaultTolerationSeconds admission plugin gives 300 s), so a class sees it happen.
 */
export const TEACHING_LIFECYCLE: LifecycleOptions = { nodeMonitorGraceUs: 20_000_000, defaultTolerationSeconds: 30 };

export const KUBE_MESSAGE_TYPES: ReadonlySet<string> = new Set(["nodeStatus", "podStatus", "assign", "etcd"]);

export type KubeDaemon = ReturnType<typeof kubeModel>;

/** The world's Kubernetes: its configuration and the kube daemon's state. */
export interface WorldKube {
  readonly options: KubernetesOptions;
  readonly state: KubeWorldState;
}

const daemons = new WeakMap<KubernetesOptions, KubeDaemon>();

/** The kube daemon's handlers for a configuration (pure functions; one per configuration object). */
export function kubeDaemon(o: KubernetesOptions): KubeDaemon {
  let d = daemons.get(o);
  if (!d) {
    // The engine runs the containers' programs and reports their exits: no scripted ones.
    d = kubeModel({ controlPlane: o.nodes[0]!, nodes: o.nodes, ...(o.controlPlanes !== undefined ? { controlPlanes: o.nodes.slice(0, o.controlPlanes) } : {}), lifecycle: { ...TEACHING_LIFECYCLE, ...o.lifecycle }, scriptedExits: false });
    daemons.set(o, d);
  }
  return d;
}

/** The world's context as the kube daemon sees it: its timers prefixed, everything else the same; probes answered by the world's engines as they are in `s`. */
function kubeCtx(ctx: SimContext<WorldMessage>, s?: WorldState): KubeContext {
  return {
    ...(s ? { prober: (node: string) => worldProber(s, node, ctx.now) } : {}),
    get now() { return ctx.now; },
    get net() { return ctx.net; },
    rng: (stream) => ctx.rng(stream),
    send: (from, to, msg) => ctx.send(from, to, msg),
    setTimer: (node, at, name, data) => ctx.setTimer(node, at, KUBE_TIMER + name, data),
    record: (node, data) => ctx.record(node, data),
    isUp: (node) => ctx.isUp(node),
    endpoint: (a) => ctx.endpoint(a),
  };
}

export function kubeInit(o: KubernetesOptions, ctx: SimContext<WorldMessage>): WorldKube {
  return { options: o, state: kubeDaemon(o).init(kubeCtx(ctx)) };
}

type Handler = (d: KubeDaemon, k: KubeWorldState, kctx: SimContext<KubeMessage>) => KubeWorldState;

/** Runs a kube handler for an event on `node`; then its engine runs what its kubelet runs. */
function run(s: WorldState, node: string, ctx: SimContext<WorldMessage>, f: Handler, mirror = true): WorldState {
  const k = s.kube;
  if (!k) return s;
  const d = kubeDaemon(k.options);
  const kctx = kubeCtx(ctx, s);
  let next: WorldState = { ...s, kube: { ...k, state: f(d, k.state, kctx) } };
  if (!mirror) return next;
  // The runtime reports containers that exited, the engine follows the kubelet; a container that
  // exits as it starts is reported at once (a few rounds at most).
  for (let round = 0; round < 3; round++) {
    const exits = exitsOn(next, node);
    if (exits.length > 0) next = { ...next, kube: { ...next.kube!, state: d.exited(next.kube!.state, node, exits, kctx) } };
    const m = mirrorPods(next, node, ctx);
    next = m.world;
    // An image no registry has: the kubelet's container waits in ErrImagePull, then ImagePullBackOff.
    if (m.pullFailed.length > 0) next = { ...next, kube: { ...next.kube!, state: d.pullFailed(next.kube!.state, node, m.pullFailed, kctx) } };
    if (exitsOn(next, node).length === 0) break;
  }
  return next;
}

/** The host's engine changed outside the kubelet (a container's process ended, `docker rm -f`): the kubelet looks. */
export function kubePoke(s: WorldState, node: string, ctx: SimContext<WorldMessage>): WorldState {
  if (!s.kube || !ctx.isUp(node) || exitsOn(s, node).length === 0) return s;
  return run(s, node, ctx, (_d, k) => k);
}

export function kubeDeliver(s: WorldState, msg: WorldMessage, from: string, to: string, ctx: SimContext<WorldMessage>): WorldState {
  return run(s, to, ctx, (d, k, c) => d.deliver(k, msg as KubeMessage, from, to, c));
}

export function kubeTimer(s: WorldState, node: string, name: string, data: unknown, ctx: SimContext<WorldMessage>): WorldState {
  return run(s, node, ctx, (d, k, c) => d.timer(k, node, name.slice(KUBE_TIMER.length), data, c));
}

/** The host crashed: its engine killed the pods' containers already; its kubelet starts empty when it boots. */
export function kubeCrash(s: WorldState, node: string, ctx: SimContext<WorldMessage>): WorldState {
  return run(s, node, ctx, (d, k, c) => d.crash!(k, node, c), false);
}

export function kubeRestart(s: WorldState, node: string, ctx: SimContext<WorldMessage>): WorldState {
  return run(s, node, ctx, (d, k, c) => d.restart!(k, node, c));
}

/** The store is mutable (for speed): snapshots copy it. */
export const saveKube = (k: WorldKube | undefined): WorldKube | undefined => (k ? { ...k, state: kubeDaemon(k.options).save!(k.state) as KubeWorldState } : k);
export const loadKube = (k: WorldKube | undefined): WorldKube | undefined => (k ? { ...k, state: kubeDaemon(k.options).load!(k.state) as KubeWorldState } : k);

/**
 * What kubectl on a host reaches: the API server's store (read), the network (is the control plane
 * up), and `act`, which validates a command on a copy of the store (kubectl's error, nothing
 * changed) and applies it within the line's event, as the kernel does a kube action.
 */
export interface KubePort {
  /**
   * The control-plane host whose API server answers kubectl: the first one up that the client
   * reaches (kubeadm's HA and kind put the API servers behind one endpoint, a load balancer); the
   * first control-plane host when none is (kubectl then cannot connect).
   */
  readonly server: string;
  state(): KubeWorldState;
  readonly net: NetState;
  readonly now: number;
  act(c: KubeCommand): string[];
  /**
   * Can the API server reach an etcd leader with a quorum? A get or list without a resourceVersion
   * is a consistent read, a quorum read of etcd (KEP-2340), so without one kubectl's reads time out too.
   */
  quorum(): boolean;
  /** The world with the line's kube state (kubectl logs and exec reach a pod's containers on its node). */
  world(): WorldState;
  /** A draw in [0, 1) from the world's seeded stream for kubectl (the ephemeral port of `port-forward :80`). */
  random(): number;
  /** `docker exec` on a node's engine as the kubelet's CRI exec runs it; undefined when the node is not a host. */
  exec(node: string, argv: readonly string[], stdin: string | null, tty: boolean): NodeExec | undefined;
}

/** The control-plane hosts (the first `controlPlanes` nodes). */
export const controlPlanesOf = (o: KubernetesOptions): readonly string[] => o.nodes.slice(0, o.controlPlanes ?? 1);

/** The API server kubectl on `client` reaches (KubePort.server); `client` undefined: any host that is up. */
export function apiServerFor(o: KubernetesOptions, net: NetState, client: string | undefined): string {
  const cps = controlPlanesOf(o);
  return cps.find((m) => net.up[m] && (client === undefined || client === m || (connected(net, client, m) && connected(net, m, client)))) ?? cps[0]!;
}

/** A line's draft of the kube state, for kubectl on `client`: the port reads and writes `draft.kube`. */
export function kubePort(s: WorldState, draft: { kube: WorldKube | undefined }, ctx: SimContext<WorldMessage>, client?: string): KubePort | undefined {
  const k0 = draft.kube;
  if (!k0) return undefined;
  const d = kubeDaemon(k0.options);
  return {
    get server() { return apiServerFor(k0.options, ctx.net, client); },
    state: () => draft.kube!.state,
    get net() { return ctx.net; },
    get now() { return ctx.now; },
    world: () => ({ ...s, kube: draft.kube! }),
    exec: (node, argv, stdin, tty) => execOnNode(s, node, argv, stdin, tty, ctx),
    random: () => ctx.rng("kubectl").next(),
    quorum: () => etcdLeader(draft.kube!.state.etcd, apiServerFor(k0.options, ctx.net, client), ctx.net) !== null,
    act(c) {
      if (!KUBE_COMMAND_TYPES.includes(c.type)) throw new Error(`unknown kube command ${c.type}`);
      const k = draft.kube!;
      const server = apiServerFor(k.options, ctx.net, client);
      if (!ctx.net.up[server]) throw new KubeError("UNREACHABLE", KUBE_ERRORS.UNREACHABLE(`${server}:6443`));
      // A refused command changes nothing: it is tried on a copy first (its lines are kubectl's output).
      const lines = runCommand(k.state.store.clone(), c, ctx.now);
      // etcd without a leader that reaches a majority: the write would time out.
      if (etcdLeader(k.state.etcd, server, ctx.net) === null) throw new KubeError("ETCD_TIMEOUT", KUBE_ERRORS.ETCD_TIMEOUT());
      draft.kube = { ...k, state: d.action!(k.state, c, kubeCtx(ctx)) };
      return lines;
    },
  };
}
