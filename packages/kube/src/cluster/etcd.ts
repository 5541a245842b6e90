// etcd as kubeadm's stacked topology runs it: one member on each control-plane host, the members a
// Raft group (packages/raft's core, stepped on the kernel's messages and timers as the swarm's
// managers step theirs). The API server on the first control-plane host writes only while the
// group can commit: some member is leader, the API server reaches it, and a majority of the
// members are up and connected to it. Each batch of the API server's writes is proposed to the
// leader as one entry (the store's revision); with quorum lost, proposals would never commit, so
// the API server answers writes as etcd's client does then ("etcdserver: request timed out") and
// serves reads from its watch cache; the controllers and the kubelets' status posts wait, and catch
// up once a leader with a majority is back. A single control plane (the default) has no group: its
// local member always commits.
//
// Not modelled: the store's contents replicated entry by entry (the members' logs carry the
// revisions, the content lives on the API server's host, which writes it only with a quorum — so no
// acknowledged write is lost and none happens without one); linearizable reads; member changes.
import { connected, type NetState, type NodeId, type SimContext } from "@drydock/kernel";
import { createRaftState, crash as raftCrash, nextDeadline, restart as raftRestart, step, DEFAULT_OPTIONS, type Env, type RaftInput, type RaftMessage, type RaftOptions, type RaftState } from "@drydock/raft";

/** etcd's defaults: --heartbeat-interval 100 ms, --election-timeout 1000 ms (etcd randomizes it up to twice); PreVote and CheckQuorum on (etcd ≥ 3.4 with kubeadm). */
export const ETCD_RAFT: RaftOptions = { ...DEFAULT_OPTIONS, heartbeatInterval: 100_000, electionTimeoutMin: 1_000_000, electionTimeoutMax: 2_000_000, preVote: true, checkQuorum: true };

/** Entries kept before the log is compacted (etcd's --snapshot-count is 10,000; fewer keeps snapshots small). */
const COMPACT_EVERY = 1_000;

export interface EtcdMember {
  readonly raft: RaftState;
  /** The deadline a timer is set for (null: none). */
  readonly timerAt: number | null;
}

/** The members by host; absent for a single control plane. */
export type Etcd = Readonly<Record<NodeId, EtcdMember>>;

export type EtcdMessage = { readonly type: "etcd"; readonly message: RaftMessage };

/** The kernel as etcd sees it: messages and timers of its own. */
type Ctx = Pick<SimContext<EtcdMessage>, "now" | "rng" | "send" | "setTimer" | "isUp">;

const env = (node: NodeId, ctx: Ctx): Env => {
  const rng = ctx.rng(`kube.etcd/${node}`);
  return { now: ctx.now, random: () => rng.next() };
};

function wait(m: EtcdMember, node: NodeId, ctx: Ctx): EtcdMember {
  const due = nextDeadline(m.raft);
  if (due === Infinity || (m.timerAt !== null && m.timerAt <= due && m.timerAt >= ctx.now)) return m;
  ctx.setTimer(node, Math.max(due, ctx.now), "etcd", due);
  return { ...m, timerAt: due };
}

/**
 * The members as `kubeadm init` and `kubeadm join --control-plane` leave them: the first one
 * elected leader of term 1 (the election is run here, its messages handed over directly, so the
 * API server can write from the first instant), the others its followers.
 */
export function etcdInit(members: readonly NodeId[], ctx: Ctx): Etcd | undefined {
  if (members.length <= 1) return undefined;
  const rafts: Record<NodeId, RaftState> = {};
  for (const m of members) rafts[m] = createRaftState({ id: m, peers: members, options: ETCD_RAFT }, env(m, ctx));
  let queue: { from: NodeId; to: NodeId; message: RaftMessage }[] = [];
  const run = (node: NodeId, input: RaftInput) => {
    const r = step(rafts[node]!, input, env(node, ctx));
    rafts[node] = r.state;
    for (const o of r.messages) queue.push({ from: node, to: o.to, message: o.message });
  };
  run(members[0]!, { type: "timeout" });
  for (let round = 0; round < 8 && queue.length > 0; round++) {
    const q = queue;
    queue = [];
    for (const m of q) run(m.to, { type: "message", from: m.from, message: m.message });
  }
  const out: Record<NodeId, EtcdMember> = {};
  for (const m of members) out[m] = wait({ raft: rafts[m]!, timerAt: null }, m, ctx);
  return out;
}

/** Steps one member's Raft and sends what it asks; compacts a long log. */
export function etcdStep(e: Etcd, node: NodeId, input: RaftInput, ctx: Ctx): Etcd {
  const m = e[node];
  if (!m || !ctx.isUp(node)) return e;
  const r = step(m.raft, input, env(node, ctx));
  for (const o of r.messages) ctx.send(node, o.to, { type: "etcd", message: o.message });
  let raft = r.state;
  const snap = raft.snapshot?.index ?? 0;
  if (raft.lastApplied - snap >= COMPACT_EVERY) raft = step(raft, { type: "compact", index: raft.lastApplied, data: raft.lastApplied }, env(node, ctx)).state;
  return { ...e, [node]: wait({ ...m, raft }, node, ctx) };
}

export function etcdTimer(e: Etcd, node: NodeId, at: unknown, ctx: Ctx): Etcd {
  const m = e[node];
  if (!m || m.timerAt !== at) return e;
  return etcdStep({ ...e, [node]: { ...m, timerAt: null } }, node, { type: "tick" }, ctx);
}

/** The host went down: the member keeps its disk (term, vote, log) and loses the rest. */
export function etcdCrash(e: Etcd, node: NodeId): Etcd {
  const m = e[node];
  return m ? { ...e, [node]: { raft: raftCrash(m.raft), timerAt: null } } : e;
}

export function etcdRestart(e: Etcd, node: NodeId, ctx: Ctx): Etcd {
  const m = e[node];
  return m ? { ...e, [node]: wait({ raft: raftRestart(m.raft, env(node, ctx)), timerAt: null }, node, ctx) } : e;
}

const both = (net: NetState, a: NodeId, b: NodeId) => a === b || (connected(net, a, b) && connected(net, b, a));

/** The member that can commit now, as the API server on `server` reaches it: a leader with a connected majority. */
export function etcdLeader(e: Etcd | undefined, server: NodeId, net: NetState): NodeId | null {
  if (!e) return net.up[server] ? server : null;
  const members = Object.keys(e);
  for (const l of members) {
    if (!net.up[l] || e[l]!.raft.role !== "leader" || !both(net, server, l)) continue;
    const reach = members.filter((m) => net.up[m] && both(net, l, m)).length;
    if (reach * 2 > members.length) return l;
  }
  return null;
}

/** A batch of the API server's writes (the store at `revision`) goes into the leader's log. */
export function etcdPropose(e: Etcd | undefined, server: NodeId, revision: number, ctx: Ctx & { readonly net: NetState }): Etcd | undefined {
  if (!e) return e;
  const l = etcdLeader(e, server, ctx.net);
  return l === null ? e : etcdStep(e, l, { type: "propose", value: { revision } }, ctx);
}
