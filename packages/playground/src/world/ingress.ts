// The swarm's data path as the world hands it to traffic (engine network/overlay.ts): the overlay
// networks, services and running tasks of the leader's committed store, and the routing mesh's
// IPVS round-robin positions, which are the world's state (`WorldState.ipvs`) so a replay picks
// the same tasks. A line's requests advance a draft of the positions that the world keeps with
// the line (model.ts), as it keeps the line's engine; a read-only view (a script in a container)
// advances a copy for its own run only.
import type { OverlayNetwork, OverlayService, OverlayTask, SwarmNetView } from "@drydock/engine";
import { TaskState, endpointTable, gossipRunning, type Store } from "@drydock/swarm";
import type { WorldState } from "./state.js";

/** The positions a line's requests move, kept with the line. */
export class IpvsDraft {
  private rr: Map<string, number> | null = null;
  constructor(private readonly base: ReadonlyMap<string, number> | undefined) {}
  /** Round robin: the next real server of `key` among `n`. */
  pick(key: string, n: number): number {
    const at = (this.rr ?? this.base)?.get(key) ?? 0;
    (this.rr ??= new Map(this.base ?? [])).set(key, at + 1);
    return at % n;
  }
  /** The world's positions after the line's picks (the same value when it made none). */
  state(): ReadonlyMap<string, number> | undefined {
    return this.rr ?? this.base;
  }
}

/**
 * The store the data path follows: the leader's committed store, or while there is no leader (it
 * crashed and the managers have not elected another yet) the most advanced committed store of a
 * manager: running tasks keep answering then, as libnetwork's data path does without a leader.
 * The highest committed index wins (the leader's, in steady state); ties go to a leader, then by
 * host name. Null outside a swarm.
 */
export function leaderStore(s: WorldState): Store | null {
  let best: { index: number; leads: boolean; name: string; store: Store } | null = null;
  for (const h of s.swarm.hosts.values()) {
    if (h.raft === null || h.store.index === 0) continue;
    const c = { index: h.store.index, leads: h.leader !== null && h.raft.role === "leader", name: h.name, store: h.store };
    if (!best || c.index > best.index || (c.index === best.index && (c.leads > best.leads || (c.leads === best.leads && c.name < best.name)))) best = c;
  }
  return best?.store ?? null;
}

const bare = (cidr: string) => cidr.split("/")[0]!;

type BaseView = Omit<SwarmNetView, "pick">;
const views = new WeakMap<Store, BaseView>();

/** The networks, services and running tasks of a store, as traffic sees them (made once per store value). */
export function overlayView(store: Store): BaseView {
  const hit = views.get(store);
  if (hit) return hit;
  const byAge = <T extends { createdAt: number; id: string }>(a: T, b: T) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const nets = [...store.networks.values()].sort(byAge);
  let vni = 4097;
  // VNIs: ingress 4096 (`docker network inspect ingress`: vxlanid_list 4096), then one per network in creation order.
  const networks: OverlayNetwork[] = nets.map((n) => ({
    id: n.id, name: n.spec.name, subnet: n.spec.subnet, ingress: n.spec.ingress, vni: n.spec.ingress ? 4096 : vni++,
    ...(n.spec.options !== undefined && Object.hasOwn(n.spec.options, "encrypted") ? { encrypted: true } : {}),
  }));
  // libnetwork's firewall marks count from 256, one per service as the node learns of it (creation order here).
  const services: OverlayService[] = [...store.services.values()].sort(byAge).map((s, i) => ({
    id: s.id, name: s.spec.name, endpointMode: s.spec.endpoint.mode, fwmark: 256 + i,
    vips: (s.endpoint?.virtualIPs ?? []).map((v) => ({ networkId: v.networkId, ip: bare(v.addr) })),
    ports: (s.endpoint?.ports ?? []).map((p) => ({ protocol: p.protocol, targetPort: p.targetPort, publishedPort: p.publishedPort, publishMode: p.publishMode })),
  }));
  const tasks: OverlayTask[] = [];
  for (const t of store.tasks.values()) {
    // A job's running task (desired state COMPLETE) is in its networks' service records too:
    // libnetwork adds a task's endpoint when its container starts, whatever the orchestrator wants next.
    if (t.status.state !== TaskState.RUNNING || (t.desiredState !== TaskState.RUNNING && t.desiredState !== TaskState.COMPLETE)) continue;
    const node = store.nodes.get(t.nodeId);
    if (!node) continue;
    tasks.push({
      id: t.id, serviceId: t.serviceId, name: `${t.serviceName}.${t.slot > 0 ? t.slot : t.nodeId}`, host: node.description.hostname,
      containerId: t.status.containerId,
      addresses: t.networks.filter((a) => a.addresses.length > 0).map((a) => ({ networkId: a.networkId, ip: bare(a.addresses[0]!) })),
    });
  }
  const slotOf = (t: OverlayTask) => store.tasks.get(t.id)!.slot;
  tasks.sort((a, b) => (a.serviceId < b.serviceId ? -1 : a.serviceId > b.serviceId ? 1 : slotOf(a) - slotOf(b) || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0)));
  const view: BaseView = { networks, services, tasks };
  views.set(store, view);
  return view;
}

/**
 * The running tasks as node `host` knows them: its endpoint table, filled by the gossip (swarm
 * daemon/gossip.ts, libnetwork's networkdb), so a task started elsewhere is reachable from here only
 * once the gossip brings it, and a node cut off keeps what it knew. Null when `host` is not a
 * swarm node whose gossip runs (the store's view serves then).
 */
export function tableTasks(s: WorldState, host: string): OverlayTask[] | null {
  if (!s.swarm.hosts.get(host)?.member || !gossipRunning(s.swarm.gossip, host)) return null;
  const byTask = new Map<string, { slot: number; task: OverlayTask & { addresses: { networkId: string; ip: string }[] } }>();
  for (const e of endpointTable(s.swarm.gossip, host)) {
    let t = byTask.get(e.taskId);
    if (!t) {
      const suffix = e.task.slice(e.service.length + 1);
      t = {
        slot: /^\d+$/.test(suffix) ? Number(suffix) : 0,
        task: { id: e.taskId, serviceId: e.serviceId, name: e.task, host: e.node, containerId: e.containerId, addresses: [], ...(e.aliases ? { aliases: e.aliases } : {}) },
      };
      byTask.set(e.taskId, t);
    }
    t.task.addresses.push({ networkId: e.network, ip: e.ip });
  }
  const rows = [...byTask.values()];
  rows.sort((a, b) => (a.task.serviceId < b.task.serviceId ? -1 : a.task.serviceId > b.task.serviceId ? 1 : a.slot - b.slot || (a.task.host < b.task.host ? -1 : a.task.host > b.task.host ? 1 : 0)));
  return rows.map((r) => r.task);
}

/**
 * The swarm's data path for the world's traffic, or undefined outside a swarm. From a swarm node
 * (`from`), the running tasks are that node's endpoint table: its embedded DNS, the VIPs' IPVS in
 * its sandboxes and its ingress's IPVS read it, as libnetwork's service records on each node do.
 * The networks and services (VIPs, published ports) still come from the store.
 */
export function swarmNetView(s: WorldState, ipvs?: IpvsDraft, from?: string): SwarmNetView | undefined {
  const store = leaderStore(s);
  if (!store || store.networks.size === 0) return undefined;
  const draft = ipvs ?? new IpvsDraft(s.ipvs);
  const tasks = from === undefined ? null : tableTasks(s, from);
  return { ...overlayView(store), ...(tasks ? { tasks } : {}), pick: (key, n) => draft.pick(key, n) };
}

/** The `ipvs` field of the world after a line's picks (nothing when none was ever made). */
export function ipvsField(draft: IpvsDraft | undefined): { ipvs?: ReadonlyMap<string, number> } {
  const st = draft?.state();
  return st === undefined ? {} : { ipvs: st };
}
