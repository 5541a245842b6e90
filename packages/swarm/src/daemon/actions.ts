import { connected, type NetState } from "@drydock/kernel";
import { DEFAULT_CLUSTER_SPEC, INGRESS } from "../defaults.js";
import { swarmFail } from "../errors.js";
import { newRootCA } from "../certs.js";
import { hexDigest } from "../ids.js";
import { resolveSpec, serviceSpec, updateSpec, type ServiceOptions, type ServiceUpdate } from "../spec.js";
import { KEY_BYTES, NONCE_BYTES, base64Encode, bytesToHex, sealSecret } from "../store/cipher.js";
import { findByIdOrName, findNode, type StoreOp } from "../store/store.js";
import type { Availability, Labels, Network, Node, NodeRole, Service, Store } from "../types.js";
import { gossipJoin, gossipLeave, gossipStart } from "./gossip.js";
import type { HostState, SwarmState } from "./state.js";
import type { Work } from "./work.js";

/**
 * The swarm's commands, as the daemon takes them: each names the host whose docker CLI runs it.
 * `validateAction` refuses a command with Docker's error and changes nothing; `applyAction`
 * carries it out. A manager command is served by the raft leader (SwarmKit forwards it there);
 * the simulation takes it at the leader in the same instant and the change is visible once its
 * raft entry commits.
 */
export type SwarmAction =
  | { readonly type: "init"; readonly host: string; readonly advertiseAddr?: string; readonly autolock?: boolean; readonly taskHistoryLimit?: number }
  | { readonly type: "join"; readonly host: string; readonly token: string; readonly remote: string; readonly advertiseAddr?: string }
  | { readonly type: "leave"; readonly host: string; readonly force?: boolean }
  | {
    /** docker swarm update (and unlock-key --rotate): only what is given changes. */
    readonly type: "swarmUpdate"; readonly host: string; readonly taskHistoryLimit?: number; readonly heartbeatPeriodUs?: number;
    readonly nodeCertExpiryUs?: number; readonly autolock?: boolean; readonly rotateUnlockKey?: boolean;
    /** docker swarm ca --rotate: a new root CA, every node's certificate reissued by it. */
    readonly rotateCA?: boolean;
    /** docker swarm join-token --rotate worker|manager (UpdateFlags RotateWorkerToken / RotateManagerToken). */
    readonly rotateWorkerToken?: boolean;
    readonly rotateManagerToken?: boolean;
  }
  | { readonly type: "unlock"; readonly host: string; readonly key: string }
  | {
    readonly type: "nodeUpdate"; readonly host: string; readonly node: string; readonly availability?: Availability;
    readonly labelAdd?: Labels; readonly labelRm?: readonly string[]; readonly role?: NodeRole;
  }
  | { readonly type: "nodeRm"; readonly host: string; readonly node: string; readonly force?: boolean }
  | { readonly type: "serviceCreate"; readonly host: string; readonly service: ServiceOptions }
  | { readonly type: "serviceUpdate"; readonly host: string; readonly service: string; readonly update: ServiceUpdate }
  | { readonly type: "serviceScale"; readonly host: string; readonly service: string; readonly replicas: number }
  | { readonly type: "serviceRollback"; readonly host: string; readonly service: string }
  | { readonly type: "serviceRm"; readonly host: string; readonly service: string }
  | { readonly type: "secretCreate"; readonly host: string; readonly name: string; readonly data: string; readonly labels?: Labels }
  | { readonly type: "secretRm"; readonly host: string; readonly secret: string }
  | { readonly type: "configCreate"; readonly host: string; readonly name: string; readonly data: string; readonly labels?: Labels }
  | { readonly type: "configRm"; readonly host: string; readonly config: string }
  | {
    readonly type: "networkCreate"; readonly host: string; readonly name: string; readonly attachable?: boolean; readonly internal?: boolean; readonly labels?: Labels;
    /** Driver options (`-o encrypted`). */
    readonly options?: Labels;
  }
  | { readonly type: "networkRm"; readonly host: string; readonly network: string };

export const SWARM_ACTION_TYPES = [
  "init", "join", "leave", "swarmUpdate", "unlock", "nodeUpdate", "nodeRm", "serviceCreate", "serviceUpdate", "serviceScale", "serviceRollback", "serviceRm",
  "secretCreate", "secretRm", "configCreate", "configRm", "networkCreate", "networkRm",
] as const;

function hostOf(state: SwarmState, host: string, net: NetState): HostState {
  const h = state.hosts.get(host);
  if (typeof host !== "string" || !h) swarmFail("NO_SUCH_HOST", String(host));
  if (!net.up[host]) swarmFail("DAEMON_DOWN");
  return h;
}

/** The leader that serves `host`'s manager commands, with its view of the store. */
export function leaderFor(state: SwarmState, host: string, net: NetState): { readonly leader: string; readonly view: Store } {
  const h = hostOf(state, host, net);
  if (!h.member) swarmFail("NO_SWARM");
  // moby errNoManager: a locked node serves nothing until it is unlocked.
  if (h.locked) swarmFail("LOCKED");
  if (h.member.role !== "manager") swarmFail("WORKER");
  if (!h.raft) swarmFail("MANAGER_NOT_READY");
  const l = h.raft.role === "leader" ? host : h.raft.leader;
  if (l === null || !net.up[l] || !connected(net, host, l) || !connected(net, l, host)) swarmFail("NO_LEADER");
  const lh = state.hosts.get(l);
  if (!lh?.raft || lh.raft.role !== "leader" || !lh.leader?.ready) swarmFail("NO_LEADER");
  return { leader: l, view: lh.leader.view };
}

function service(view: Store, name: string): Service {
  const s = findByIdOrName(view.services, name);
  if (!s) swarmFail("NO_SUCH_SERVICE", name);
  return s;
}

function node(view: Store, name: string): Node {
  const n = findNode(view, name);
  if (!n) swarmFail("NO_SUCH_NODE", name);
  return n;
}

/** Managers and how many are reachable, as moby's managerStats counts them (from the leader's raft). */
function managerStats(state: SwarmState, leader: string, net: NetState): { reachable: number; unreachable: number } {
  const raft = state.hosts.get(leader)!.raft!;
  let reachable = 0;
  for (const m of raft.config) if (net.up[m] && connected(net, leader, m)) reachable++;
  return { reachable, unreachable: raft.config.length - reachable };
}

/** A new service's spec, checked: the name is free, its secrets and networks exist. */
function newServiceSpec(view: Store, o: ServiceOptions) {
  const spec = resolveSpec(serviceSpec(o), view);
  for (const s of view.services.values()) if (s.spec.name === spec.name) swarmFail("SERVICE_EXISTS", spec.name);
  return spec;
}

function nextSubnet(view: Store): string {
  const used = new Set([...view.networks.values()].map((n) => n.spec.subnet));
  for (let i = 1; i < 256; i++) {
    const s = `10.0.${i}.0/24`;
    if (!used.has(s)) return s;
  }
  return "10.1.0.0/24";
}

export function validateAction(state: SwarmState, a: SwarmAction, net: NetState): void {
  switch (a.type) {
    case "init": {
      const h = hostOf(state, a.host, net);
      if (h.member) swarmFail("ALREADY_IN_SWARM");
      return;
    }
    case "join": {
      const h = hostOf(state, a.host, net);
      if (h.member) swarmFail("ALREADY_IN_SWARM");
      const r = state.hosts.get(a.remote);
      if (!r || !net.up[a.remote] || !connected(net, a.host, a.remote) || !r.member || r.member.role !== "manager") swarmFail("JOIN_TIMEOUT");
      const { view } = leaderFor(state, a.remote, net);
      const tokens = view.cluster?.rootCA.joinTokens;
      if (!tokens || (a.token !== tokens.worker && a.token !== tokens.manager)) swarmFail("BAD_TOKEN");
      return;
    }
    case "leave": {
      const h = hostOf(state, a.host, net);
      if (!h.member) swarmFail("NOT_IN_SWARM");
      if (h.member.role === "manager" && !a.force) {
        let detail = "Doing so may lose the consensus of your cluster. ";
        try {
          const { leader } = leaderFor(state, a.host, net);
          const { reachable, unreachable } = managerStats(state, leader, net);
          // moby removingManagerCausesLossOfQuorum / isLastManager.
          if (reachable - 2 < unreachable) {
            if (reachable === 1 && unreachable === 0) {
              swarmFail("LEAVE_MANAGER", "Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message. ");
            }
            detail = `Removing this node leaves ${reachable - 1} managers out of ${reachable + unreachable}. Without a Raft quorum your swarm will be inaccessible. `;
          } else detail = "";
        } catch (e) {
          if ((e as { code?: string }).code === "ESWARM_LEAVE_MANAGER") throw e;
        }
        swarmFail("LEAVE_MANAGER", `${detail}The only way to restore a swarm that has lost consensus is to reinitialize it with \`--force-new-cluster\`. Use \`--force\` to suppress this message.`);
      }
      return;
    }
    case "swarmUpdate": {
      leaderFor(state, a.host, net);
      // controlapi cluster.go validateClusterSpec (ca.MinNodeCertExpiration is one hour).
      if (a.nodeCertExpiryUs !== undefined && a.nodeCertExpiryUs < 3600 * 1_000_000) swarmFail("INVALID_SPEC", "minimum certificate expiry time is: 1h0m0s");
      if (a.heartbeatPeriodUs !== undefined && a.heartbeatPeriodUs < 0) swarmFail("INVALID_SPEC", "heartbeat time period cannot be a negative duration");
      return;
    }
    case "unlock": {
      const h = hostOf(state, a.host, net);
      if (!h.member) swarmFail("NOT_IN_SWARM");
      if (!h.locked) swarmFail("NOT_LOCKED");
      if (!a.key.startsWith(UNLOCK_KEY_PREFIX) || !/^[A-Za-z0-9+/]+$/.test(a.key.slice(UNLOCK_KEY_PREFIX.length))) swarmFail("BAD_KEY_FORMAT");
      if (a.key !== h.member.unlockKey) swarmFail("BAD_UNLOCK_KEY");
      return;
    }
    case "nodeUpdate": {
      const { leader, view } = leaderFor(state, a.host, net);
      const n = node(view, a.node);
      if (a.role === "worker" && n.role === "manager") {
        const managers = [...view.nodes.values()].filter((x) => x.role === "manager");
        if (managers.length <= 1) swarmFail("DEMOTE_LAST");
        // raft.CanRemoveMember: the members left must still make a quorum of the new configuration.
        const raft = state.hosts.get(leader)!.raft!;
        const rest = raft.config.filter((m) => m !== n.description.hostname);
        const up = rest.filter((m) => net.up[m] && connected(net, leader, m)).length;
        if (up < Math.floor(rest.length / 2) + 1) swarmFail("DEMOTE_QUORUM");
      }
      return;
    }
    case "nodeRm": {
      const { view } = leaderFor(state, a.host, net);
      const n = node(view, a.node);
      if (n.role === "manager") swarmFail("REMOVE_MANAGER", n.id);
      if (n.status.state !== "down" && !a.force) swarmFail("REMOVE_NOT_DOWN", n.id);
      return;
    }
    case "serviceCreate": {
      const { view } = leaderFor(state, a.host, net);
      newServiceSpec(view, a.service);
      return;
    }
    case "serviceUpdate": {
      const { view } = leaderFor(state, a.host, net);
      const s = service(view, a.service);
      resolveSpec(updateSpec(s.spec, a.update), view);
      return;
    }
    case "serviceScale": {
      const { view } = leaderFor(state, a.host, net);
      const s = service(view, a.service);
      if (s.spec.mode.kind !== "replicated" && s.spec.mode.kind !== "replicated-job") swarmFail("SCALE_GLOBAL", s.spec.name);
      updateSpec(s.spec, { replicas: a.replicas });
      return;
    }
    case "serviceRollback": {
      const { view } = leaderFor(state, a.host, net);
      const s = service(view, a.service);
      if (!s.previousSpec) swarmFail("NO_PREVIOUS_SPEC", s.id);
      return;
    }
    case "serviceRm": {
      const { view } = leaderFor(state, a.host, net);
      service(view, a.service);
      return;
    }
    case "secretCreate": {
      const { view } = leaderFor(state, a.host, net);
      if (typeof a.data !== "string") swarmFail("INVALID_SPEC", "secret data must be provided");
      validateObjectName(a.name);
      for (const s of view.secrets.values()) if (s.spec.name === a.name) swarmFail("SECRET_EXISTS", a.name);
      return;
    }
    case "configCreate": {
      const { view } = leaderFor(state, a.host, net);
      validateObjectName(a.name);
      if (typeof a.data !== "string" || a.data.length === 0 || new TextEncoder().encode(a.data).length >= 1000 * 1024) swarmFail("CONFIG_DATA");
      for (const c of view.configs.values()) if (c.spec.name === a.name) swarmFail("CONFIG_EXISTS", a.name);
      return;
    }
    case "configRm": {
      const { view } = leaderFor(state, a.host, net);
      const c = findByIdOrName(view.configs, a.config);
      if (!c) swarmFail("NO_SUCH_CONFIG", a.config);
      const users = [...view.services.values()].filter((x) => x.spec.task.configs.some((r) => r.configId === c.id)).map((x) => x.spec.name).sort();
      if (users.length > 0) swarmFail("CONFIG_IN_USE", c.spec.name, users);
      return;
    }
    case "secretRm": {
      const { view } = leaderFor(state, a.host, net);
      const s = findByIdOrName(view.secrets, a.secret);
      if (!s) swarmFail("NO_SUCH_SECRET", a.secret);
      const users = [...view.services.values()].filter((x) => x.spec.task.secrets.some((r) => r.secretId === s.id)).map((x) => x.spec.name).sort();
      if (users.length > 0) swarmFail("SECRET_IN_USE", s.spec.name, users);
      return;
    }
    case "networkCreate": {
      const { view } = leaderFor(state, a.host, net);
      for (const n of view.networks.values()) if (n.spec.name === a.name) swarmFail("NETWORK_EXISTS", a.name);
      return;
    }
    case "networkRm": {
      const { view } = leaderFor(state, a.host, net);
      const n = findByIdOrName(view.networks, a.network);
      if (!n) swarmFail("NO_SUCH_NETWORK", a.network);
      const user = [...view.services.values()].find((s) => s.spec.task.networks.some((x) => x.target === n.id));
      if (user) swarmFail("NETWORK_IN_USE", n.id, user.id);
      return;
    }
    default:
      swarmFail("BAD_ACTION", (a as { type: string }).type);
  }
}

/** swarmkit manager/encryption humanReadablePrefix. */
export const UNLOCK_KEY_PREFIX = "SWMKEY-1-";

/** encryption.HumanReadableKey: the prefix and the 32-byte key in unpadded base64. */
function newUnlockKey(w: Work): string {
  return UNLOCK_KEY_PREFIX + base64Encode(w.keyBytes(KEY_BYTES)).replace(/=+$/, "");
}

/** controlapi/common.go validateConfigOrSecretAnnotations. */
function validateObjectName(name: string): void {
  if (name === "") swarmFail("INVALID_SPEC", "name must be provided");
  if (name.length > 64 || !/^[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?$/.test(name)) {
    swarmFail("INVALID_SPEC", "invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]");
  }
}

/** A join token as SwarmKit writes it: SWMTKN-1-<CA digest, base 36, 50>-<secret, 25>. */
function joinToken(caHash: string, secret: string): string {
  const digits = "0123456789abcdefghijklmnopqrstuvwxyz";
  let ca = "";
  // 50 base-36 digits need more than the 32 bytes of one digest: the digest's own digest follows it.
  const hex = caHash + hexDigest(caHash);
  for (let i = 0; ca.length < 50; i++) ca += digits[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % 36];
  return `SWMTKN-1-${ca}-${secret}`;
}

export function applyAction(w: Work, a: SwarmAction): void {
  const now = w.now;
  switch (a.type) {
    case "init": {
      const nodeId = w.newId();
      const clusterId = w.newId();
      const caHash = hexDigest(`ca/${clusterId}/${w.newId()}`);
      const tokens = { worker: joinToken(caHash, w.newId()), manager: joinToken(caHash, w.newId()) };
      const h = w.get(a.host);
      w.set({ ...h, member: { nodeId, clusterId, role: "manager", managers: [a.host], advertiseAddr: a.advertiseAddr ?? a.host } });
      w.startRaft(a.host, [a.host]);
      w.campaign(a.host); // a one-member cluster elects itself at once
      const desc = w.cfg.describe(a.host);
      const ops: StoreOp[] = [
        {
          op: "cluster.put",
          cluster: {
            id: clusterId, version: 0, createdAt: now, updatedAt: now,
            spec: {
              ...DEFAULT_CLUSTER_SPEC, autoLockManagers: a.autolock ?? false, heartbeatPeriodUs: w.cfg.heartbeatPeriodUs,
              taskHistoryRetentionLimit: a.taskHistoryLimit ?? DEFAULT_CLUSTER_SPEC.taskHistoryRetentionLimit,
            },
            // The root's serial takes the id the data key took before it came from the key stream: later ids keep their values.
            rootCA: { caCertHash: caHash, joinTokens: tokens, cert: newRootCA(w.newId(), now), rotation: null }, dataKey: bytesToHex(w.keyBytes(KEY_BYTES)),
            unlockKey: a.autolock ? newUnlockKey(w) : "",
          },
        },
        {
          op: "node.create",
          node: {
            id: nodeId, version: 0, createdAt: now, updatedAt: now, spec: { desiredRole: "manager", availability: "active", labels: {} },
            role: "manager", description: desc, status: { state: "unknown", message: "", addr: a.advertiseAddr ?? a.host },
            manager: { raftId: a.host, addr: `${a.advertiseAddr ?? a.host}:2377` },
          },
        },
        {
          op: "network.create",
          network: {
            id: w.newId(), version: 0, createdAt: now, updatedAt: now,
            spec: { name: INGRESS.name, driver: "overlay", ingress: true, attachable: false, internal: false, labels: {}, subnet: INGRESS.subnet, gateway: INGRESS.gateway },
          },
        },
      ];
      w.propose(a.host, ops);
      w.agentStart(a.host);
      gossipStart(w.gossip, a.host, w.ctx);
      w.record(a.host, { event: "init", node: nodeId, cluster: clusterId });
      return;
    }
    case "join": {
      const leader = leaderOfLive(w, a.remote);
      const lh = w.get(leader);
      const tokens = lh.leader!.view.cluster!.rootCA.joinTokens;
      const role: NodeRole = a.token === tokens.manager ? "manager" : "worker";
      const nodeId = w.newId();
      const managers = w.managersOf(lh.leader!.view);
      w.propose(leader, [{
        op: "node.create",
        node: {
          id: nodeId, version: 0, createdAt: now, updatedAt: now, spec: { desiredRole: role, availability: "active", labels: {} },
          role, description: w.cfg.describe(a.host), status: { state: "unknown", message: "", addr: a.advertiseAddr ?? a.host },
          manager: role === "manager" ? { raftId: a.host, addr: `${a.advertiseAddr ?? a.host}:2377` } : null,
        },
      }]);
      const h = w.get(a.host);
      w.set({ ...h, member: { nodeId, clusterId: lh.leader!.view.cluster!.id, role, managers: role === "manager" ? [...managers, a.host].sort() : managers, advertiseAddr: a.advertiseAddr ?? a.host } });
      if (role === "manager") w.startRaft(a.host, []); // it asks the leader to add it (RaftJoin)
      w.agentStart(a.host);
      gossipJoin(w.gossip, a.host, [a.remote], w.ctx);
      w.record(a.host, { event: "join", node: nodeId, role, via: a.remote });
      return;
    }
    case "leave": {
      const h = w.get(a.host);
      if (h.member?.role === "manager" && h.raft) {
        const l = h.raft.role === "leader" ? null : h.raft.leader;
        if (l !== null && w.has(l) && w.get(l).leader?.ready) {
          const lh = w.get(l);
          w.set({ ...lh, leader: { ...lh.leader!, membership: [...lh.leader!.membership, { add: false, host: a.host }] } });
          w.markDirty(l);
        }
      }
      gossipLeave(w.gossip, a.host, w.ctx);
      // moby Leave: the node's task containers are removed and its swarm state cleared.
      let exec = w.get(a.host).exec;
      const agent = w.get(a.host).agent;
      for (const id of agent?.tasks.keys() ?? []) exec = w.cfg.executor.remove(exec, id, now).state;
      const cur = w.get(a.host);
      w.set({ ...cur, member: null, agent: null, exec, raft: null, raftTimerAt: null, leader: null, locked: false });
      w.stopRaft(a.host);
      w.record(a.host, { event: "leave" });
      return;
    }
    case "swarmUpdate": {
      const leader = leaderOfLive(w, a.host);
      const c = w.get(leader).leader!.view.cluster!;
      const autolock = a.autolock ?? c.spec.autoLockManagers;
      const spec = {
        ...c.spec, autoLockManagers: autolock,
        ...(a.taskHistoryLimit !== undefined ? { taskHistoryRetentionLimit: a.taskHistoryLimit } : {}),
        ...(a.heartbeatPeriodUs !== undefined ? { heartbeatPeriodUs: a.heartbeatPeriodUs } : {}),
        ...(a.nodeCertExpiryUs !== undefined ? { nodeCertExpiryUs: a.nodeCertExpiryUs } : {}),
      };
      // controlapi UpdateCluster: a key is made when autolock is turned on or rotated, and dropped when it is turned off.
      const unlockKey = !autolock ? "" : a.rotateUnlockKey || !c.unlockKey ? newUnlockKey(w) : c.unlockKey;
      // docker swarm ca --rotate: ForceRotate goes up and a new root starts rotating in (controlapi/ca_rotation.go).
      const rotated = a.rotateCA ? { ...c.rootCA, rotation: { ca: newRootCA(bytesToHex(w.keyBytes(16)), now) } } : c.rootCA;
      // controlapi UpdateCluster: a rotated join token gets a new secret under the same CA digest (ca.GenerateJoinToken).
      const joinTokens = {
        worker: a.rotateWorkerToken ? joinToken(c.rootCA.caCertHash, w.newId()) : c.rootCA.joinTokens.worker,
        manager: a.rotateManagerToken ? joinToken(c.rootCA.caCertHash, w.newId()) : c.rootCA.joinTokens.manager,
      };
      const rootCA = a.rotateWorkerToken || a.rotateManagerToken ? { ...rotated, joinTokens } : rotated;
      const forced = a.rotateCA ? { caForceRotate: (c.spec.caForceRotate ?? 0) + 1 } : {};
      w.propose(leader, [{ op: "cluster.put", cluster: { ...c, spec: { ...spec, ...forced }, unlockKey, rootCA } }]);
      w.record(a.host, { event: "swarm-update" });
      return;
    }
    case "unlock": {
      w.unlock(a.host);
      w.record(a.host, { event: "unlock" });
      return;
    }
    case "nodeUpdate": {
      const leader = leaderOfLive(w, a.host);
      const n = findNode(w.get(leader).leader!.view, a.node)!;
      const labels: Record<string, string> = { ...n.spec.labels, ...(a.labelAdd ?? {}) };
      for (const k of a.labelRm ?? []) delete labels[k];
      w.propose(leader, [{ op: "node.spec", id: n.id, spec: { desiredRole: a.role ?? n.spec.desiredRole, availability: a.availability ?? n.spec.availability, labels } }]);
      return;
    }
    case "nodeRm": {
      const leader = leaderOfLive(w, a.host);
      const n = findNode(w.get(leader).leader!.view, a.node)!;
      w.propose(leader, [{ op: "node.delete", id: n.id }]);
      return;
    }
    case "serviceCreate": {
      const leader = leaderOfLive(w, a.host);
      const view = w.get(leader).leader!.view;
      const spec = newServiceSpec(view, a.service);
      const id = w.newId();
      const svc: Service = {
        id, version: 0, createdAt: now, updatedAt: now, spec, specVersion: 0, previousSpec: null, previousSpecVersion: null,
        endpoint: null, updateStatus: null,
      };
      w.propose(leader, [{ op: "service.create", service: svc }]);
      w.record(a.host, { event: "service-create", service: spec.name, id });
      return;
    }
    case "serviceUpdate":
    case "serviceScale": {
      const leader = leaderOfLive(w, a.host);
      const view = w.get(leader).leader!.view;
      const s = service(view, a.service);
      const update: ServiceUpdate = a.type === "serviceScale" ? { replicas: a.replicas } : a.update;
      const spec = resolveSpec(updateSpec(s.spec, update), view);
      w.propose(leader, [{ op: "service.spec", id: s.id, spec, previousSpec: s.spec, previousSpecVersion: s.specVersion, updateStatus: null }]);
      return;
    }
    case "serviceRollback": {
      const leader = leaderOfLive(w, a.host);
      const s = service(w.get(leader).leader!.view, a.service);
      w.propose(leader, [{
        op: "service.spec", id: s.id, spec: s.previousSpec!, previousSpec: s.spec, previousSpecVersion: s.specVersion,
        keepSpecVersion: s.previousSpecVersion ?? undefined,
        updateStatus: { state: "rollback_started", startedAt: now, completedAt: null, message: "manually requested rollback" },
      }]);
      return;
    }
    case "serviceRm": {
      const leader = leaderOfLive(w, a.host);
      const s = service(w.get(leader).leader!.view, a.service);
      w.propose(leader, [{ op: "service.delete", id: s.id }]);
      return;
    }
    case "secretCreate": {
      const leader = leaderOfLive(w, a.host);
      const view = w.get(leader).leader!.view;
      const id = w.newId();
      w.propose(leader, [{
        op: "secret.create",
        secret: { id, version: 0, createdAt: now, updatedAt: now, spec: { name: a.name, labels: a.labels ?? {} }, data: sealSecret(view.cluster!.dataKey, w.keyBytes(NONCE_BYTES), a.data) },
      }]);
      return;
    }
    case "secretRm": {
      const leader = leaderOfLive(w, a.host);
      const s = findByIdOrName(w.get(leader).leader!.view.secrets, a.secret)!;
      w.propose(leader, [{ op: "secret.delete", id: s.id }]);
      return;
    }
    case "configCreate": {
      const leader = leaderOfLive(w, a.host);
      // Configs are not encrypted: the store keeps the data as given (docker config inspect shows it).
      w.propose(leader, [{
        op: "config.create",
        config: { id: w.newId(), version: 0, createdAt: now, updatedAt: now, spec: { name: a.name, labels: a.labels ?? {} }, data: a.data },
      }]);
      return;
    }
    case "configRm": {
      const leader = leaderOfLive(w, a.host);
      const c = findByIdOrName(w.get(leader).leader!.view.configs, a.config)!;
      w.propose(leader, [{ op: "config.delete", id: c.id }]);
      return;
    }
    case "networkCreate": {
      const leader = leaderOfLive(w, a.host);
      const view = w.get(leader).leader!.view;
      const subnet = nextSubnet(view);
      const network: Network = {
        id: w.newId(), version: 0, createdAt: now, updatedAt: now,
        spec: {
          name: a.name, driver: "overlay", ingress: false, attachable: a.attachable ?? false, internal: a.internal ?? false, labels: a.labels ?? {}, subnet, gateway: subnet.replace(/0\/24$/, "1"),
          ...(a.options && Object.keys(a.options).length > 0 ? { options: { ...a.options } } : {}),
        },
      };
      w.propose(leader, [{ op: "network.create", network }]);
      return;
    }
    case "networkRm": {
      const leader = leaderOfLive(w, a.host);
      const n = findByIdOrName(w.get(leader).leader!.view.networks, a.network)!;
      w.propose(leader, [{ op: "network.delete", id: n.id }]);
      return;
    }
  }
}

/** The serving leader during apply (validate has checked it exists). */
function leaderOfLive(w: Work, host: string): string {
  const h = w.get(host);
  return h.raft!.role === "leader" ? host : h.raft!.leader!;
}
