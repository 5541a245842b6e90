// etcd as kubeadm's stacked topology runs it: one member on each control-plane host, the members a
// Raft group (packages/raft's core, stepped on the kernel's messages and timers as the swarm's
// managers step theirs). Each batch of the API server's writes is one entry: the puts and deletes
// of the objects at their keys (/registry/<resource>/<namespace>/<name>), each at its revision
// (the object's resourceVersion, mvcc's mod revision). Every member applies committed entries to
// its own copy of the key space; a member that was down replays its log from its last snapshot
// (its key space as of that index) and is sent the rest, or the leader's snapshot, when it is
// back. The serving API server (the first control-plane host up, model.ts) writes only while the group can commit:
// some member is leader of the newest term among a majority it reaches (etcd's ReadIndex would
// find no other). It waits for the commit as etcd's client does, and the members' round trips
// take no virtual time here, so an acknowledged write is in a majority's logs (Raft keeps it).
// With quorum lost the API server answers as etcd's client does then ("etcdserver: request timed
// out"), for kubectl's reads too: a get or list without a resourceVersion is a quorum read (KEP-2340;
// the playground's kubectl checks etcdLeader before any request). The controllers and the kubelets'
// status posts wait, and catch up once a leader with a majority is back. A single control plane
// (the default) has no group: its local member always commits.
//
// The API server's watch cache (the trace's `watch` lines, model.ts) follows the member on its own
// host, as kubeadm points it at 127.0.0.1:2379: a change shows once that member has applied it.
//
// Not modelled: reads served from a lagging member: the API server's store is the leader's key
// space (the tests check it after every event), and since kubectl's reads are quorum reads they
// see it whole or time out, so only the trace's watch lines follow the local member; member
// changes; etcd's own compaction of old revisions (a member keeps only the latest value at each key).
import { connected, type NetState, type NodeId, type SimContext } from "@drydock/kernel";
import { createRaftState, crash as raftCrash, nextDeadline, restart as raftRestart, step, termAt, DEFAULT_OPTIONS, type CommittedEntry, type Env, type RaftInput, type RaftMessage, type RaftOptions, type RaftState, type Snapshot } from "@drydock/raft";
import { KINDS, type KubeObject } from "../api/types.js";
import type { WatchEvent } from "../store/store.js";

/** etcd's defaults: --heartbeat-interval 100 ms, --election-timeout 1000 ms (etcd randomizes it up to twice); PreVote and CheckQuorum on (etcd ≥ 3.4 with kubeadm). */
export const ETCD_RAFT: RaftOptions = { ...DEFAULT_OPTIONS, heartbeatInterval: 100_000, electionTimeoutMin: 1_000_000, electionTimeoutMax: 2_000_000, preVote: true, checkQuorum: true };

/** Entries applied between snapshots, by default (etcd's --snapshot-count is 100,000; fewer keeps logs short). */
export const COMPACT_EVERY = 1_000;

/** One put (an object) or delete (null) at a key, at the revision the API server gave it. */
export interface EtcdWrite {
  readonly key: string;
  readonly revision: number;
  readonly object: KubeObject | null;
}

/** A Raft entry's value: a batch of the API server's writes, up to the store's `revision`. */
export interface EtcdTxn {
  readonly revision: number;
  readonly writes: readonly EtcdWrite[];
}

/** A member's applied state: the latest object at each key, and the revision applied. Immutable (snapshots share it). */
export interface KeySpace {
  readonly revision: number;
  readonly objects: ReadonlyMap<string, KubeObject>;
}

export const EMPTY_KEYSPACE: KeySpace = { revision: 0, objects: new Map() };

/** etcd's key for an object, as kube-apiserver lays them out (/registry/pods/default/web-1). */
export function etcdKey(o: KubeObject): string {
  const k = KINDS[o.kind];
  return k.namespaced ? `/registry/${k.resource}/${o.metadata.namespace ?? "default"}/${o.metadata.name}` : `/registry/${k.resource}/${o.metadata.name}`;
}

/** The API server's changes (its watch log) as an entry's writes. */
export function etcdTxn(changes: readonly WatchEvent[], revision: number): EtcdTxn {
  return { revision, writes: changes.map((c) => ({ key: etcdKey(c.object), revision: c.revision, object: c.type === "DELETED" ? null : c.object })) };
}

/** Committed entries applied to a key space, in order (a leader's no-op entries carry nothing). */
export function applyEntries(kv: KeySpace, entries: readonly CommittedEntry[]): KeySpace {
  let objects: Map<string, KubeObject> | null = null;
  let revision = kv.revision;
  for (const e of entries) {
    const t = e.value as EtcdTxn | null;
    if (!t || !Array.isArray(t.writes)) continue;
    objects ??= new Map(kv.objects);
    for (const w of t.writes) {
      if (w.object === null) objects.delete(w.key);
      else objects.set(w.key, w.object);
    }
    revision = t.revision;
  }
  return objects === null ? kv : { revision, objects };
}

export interface EtcdMember {
  readonly raft: RaftState;
  /** The key space as this member applied it. */
  readonly kv: KeySpace;
  /** Applied entries between snapshots (etcd's --snapshot-count). */
  readonly snapshotCount: number;
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

type Out = { readonly from: NodeId; readonly to: NodeId; readonly message: RaftMessage };

/**
 * One Raft step of a member: a snapshot from the leader replaces its key space, committed entries
 * are applied to it, and a long log is compacted into a snapshot of it. The messages to send come back.
 */
function stepMember(m: EtcdMember, node: NodeId, input: RaftInput, ctx: Ctx): { member: EtcdMember; out: Out[] } {
  const r = step(m.raft, input, env(node, ctx));
  let kv = r.restore ? (r.restore.data as KeySpace) : m.kv;
  kv = applyEntries(kv, r.committed);
  let raft = r.state;
  const snap = raft.snapshot?.index ?? 0;
  if (raft.lastApplied - snap >= m.snapshotCount) raft = step(raft, { type: "compact", index: raft.lastApplied, data: kv }, env(node, ctx)).state;
  return { member: { ...m, raft, kv }, out: r.messages.map((o) => ({ from: node, to: o.to, message: o.message })) };
}

/**
 * Steps members with messages handed over directly (no virtual time) while their hosts are up and
 * connected both ways; a message to any other member goes through the kernel (and is lost or late
 * as the network has it).
 */
function flush(e: Record<NodeId, EtcdMember>, queue0: Out[], ctx: Ctx & { readonly net: NetState }): void {
  let queue = queue0;
  for (let round = 0; round < 32 && queue.length > 0; round++) {
    const q = queue;
    queue = [];
    for (const o of q) {
      const m = e[o.to];
      if (!m || !ctx.isUp(o.to) || !both(ctx.net, o.from, o.to)) {
        ctx.send(o.from, o.to, { type: "etcd", message: o.message });
        continue;
      }
      const r = stepMember(m, o.to, { type: "message", from: o.from, message: o.message }, ctx);
      e[o.to] = r.member;
      queue.push(...r.out);
    }
  }
  for (const o of queue) ctx.send(o.from, o.to, { type: "etcd", message: o.message });
}

/**
 * The members as `kubeadm init` and `kubeadm join --control-plane` leave them: the first one
 * elected leader of term 1 (the election is run here, its messages handed over directly, so the
 * API server can write from the first instant), the others its followers, all with the API
 * server's first objects (`initial`) committed.
 */
export function etcdInit(members: readonly NodeId[], initial: EtcdTxn, snapshotCount: number, ctx: Ctx & { readonly net: NetState }): Etcd | undefined {
  if (members.length <= 1) return undefined;
  const e: Record<NodeId, EtcdMember> = {};
  for (const m of members) e[m] = { raft: createRaftState({ id: m, peers: members, options: ETCD_RAFT }, env(m, ctx)), kv: EMPTY_KEYSPACE, snapshotCount, timerAt: null };
  const first = members[0]!;
  const r = stepMember(e[first]!, first, { type: "timeout" }, ctx);
  e[first] = r.member;
  flush(e, r.out, ctx);
  const p = stepMember(e[first]!, first, { type: "propose", value: initial }, ctx);
  e[first] = p.member;
  flush(e, p.out, ctx);
  for (const m of members) e[m] = wait(e[m]!, m, ctx);
  return e;
}

/** Steps one member's Raft on a kernel message or timer and sends what it asks. */
export function etcdStep(e: Etcd, node: NodeId, input: RaftInput, ctx: Ctx): Etcd {
  const m = e[node];
  if (!m || !ctx.isUp(node)) return e;
  const r = stepMember(m, node, input, ctx);
  for (const o of r.out) ctx.send(node, o.to, { type: "etcd", message: o.message });
  return { ...e, [node]: wait(r.member, node, ctx) };
}

export function etcdTimer(e: Etcd, node: NodeId, at: unknown, ctx: Ctx): Etcd {
  const m = e[node];
  if (!m || m.timerAt !== at) return e;
  return etcdStep({ ...e, [node]: { ...m, timerAt: null } }, node, { type: "tick" }, ctx);
}

/** The host went down: the member keeps its disk (term, vote, log, last snapshot) and loses the rest; its key space is the snapshot's until it replays. */
export function etcdCrash(e: Etcd, node: NodeId): Etcd {
  const m = e[node];
  if (!m) return e;
  const snap: Snapshot | null = m.raft.snapshot;
  return { ...e, [node]: { ...m, raft: raftCrash(m.raft), kv: snap ? (snap.data as KeySpace) : EMPTY_KEYSPACE, timerAt: null } };
}

export function etcdRestart(e: Etcd, node: NodeId, ctx: Ctx): Etcd {
  const m = e[node];
  return m ? { ...e, [node]: wait({ ...m, raft: raftRestart(m.raft, env(node, ctx)), timerAt: null }, node, ctx) } : e;
}

const both = (net: NetState, a: NodeId, b: NodeId) => a === b || (connected(net, a, b) && connected(net, b, a));

/**
 * The member that can commit now, as the API server on `server` reaches it: a leader with a
 * connected majority of members none of which has seen a newer term (a deposed leader that has
 * not heard so yet would have its proposals refused), that has committed an entry of its term.
 */
export function etcdLeader(e: Etcd | undefined, server: NodeId, net: NetState): NodeId | null {
  if (!e) return net.up[server] ? server : null;
  const members = Object.keys(e);
  for (const l of members) {
    const lr = e[l]!.raft;
    // A new leader serves once it has committed an entry of its term (its no-op): before, it may
    // not know what is committed (etcd's ReadIndex refuses then too).
    if (!net.up[l] || lr.role !== "leader" || termAt(lr, lr.commitIndex) !== lr.term || !both(net, server, l)) continue;
    const reach = members.filter((m) => net.up[m] && both(net, l, m) && e[m]!.raft.term <= lr.term).length;
    if (reach * 2 > members.length) return l;
  }
  return null;
}

/**
 * A batch of the API server's writes goes into the leader's log, and the API server waits for it
 * to commit (the replication round trips handed over directly). Returns the members after, and
 * whether the entry committed.
 */
export function etcdPropose(e: Etcd | undefined, server: NodeId, txn: EtcdTxn, ctx: Ctx & { readonly net: NetState }): { etcd: Etcd | undefined; committed: boolean } {
  if (!e) return { etcd: e, committed: true };
  const l = etcdLeader(e, server, ctx.net);
  if (l === null) return { etcd: e, committed: false };
  const next: Record<NodeId, EtcdMember> = { ...e };
  const r = stepMember(next[l]!, l, { type: "propose", value: txn }, ctx);
  next[l] = r.member;
  flush(next, r.out, ctx);
  for (const m of Object.keys(next)) if (next[m] !== e[m] && ctx.isUp(m)) next[m] = wait(next[m]!, m, ctx);
  return { etcd: next, committed: next[l]!.kv.revision >= txn.revision };
}
