import { humanDuration } from "@drydock/image";
import { DISPATCHER, type Store } from "@drydock/swarm";
import type { DockerEnv } from "./command.js";
import { hostIp } from "./swarm-common.js";

/**
 * `docker info`'s swarm lines (docker/cli cli/command/system/info.go printSwarmInfo): "Swarm:
 * inactive" outside a swarm; on a manager the cluster's settings (SwarmKit's defaults: task history
 * 5, raft snapshot interval 10000, heartbeat tick 1, election tick 10, dispatcher period 5 s,
 * certificates for 90 days) and the managers' addresses.
 */
export function swarmInfo(env: DockerEnv): string {
  const st = env.swarm?.state();
  const h = st?.hosts.get(env.host);
  const m = h?.member;
  if (!st || !m) return " Swarm: inactive\n";
  // info.go printSwarmInfo: a locked node says so and nothing more.
  if (h.locked) return " Swarm: locked\n";
  const addr = (a: string) => (env.hosts.includes(a) ? hostIp(env, a) : a);
  let out = ` Swarm: active\n  NodeID: ${m.nodeId}\n  Is Manager: ${m.role === "manager"}\n`;
  const leaderHost = m.managers.find((x) => st.hosts.get(x)?.raft?.role === "leader");
  // The leader's view, as a manager's info request is answered (what it has proposed included).
  const lh = leaderHost !== undefined ? st.hosts.get(leaderHost)! : undefined;
  const view = lh ? lh.leader?.view ?? lh.store : h.store;
  const cluster = view.cluster;
  if (m.role === "manager" && cluster) {
    out += `  ClusterID: ${cluster.id}\n  Managers: ${[...view.nodes.values()].filter((n) => n.role === "manager").length}\n  Nodes: ${view.nodes.size}\n`;
    out += "  Default Address Pool: 10.0.0.0/8  \n  SubnetSize: 24\n  Data Path Port: 4789\n";
    out += `  Orchestration:\n   Task History Retention Limit: ${cluster.spec.taskHistoryRetentionLimit}\n`;
    out += "  Raft:\n   Snapshot Interval: 10000\n   Number of Old Snapshots to Retain: 0\n   Heartbeat Tick: 1\n   Election Tick: 10\n";
    out += `  Dispatcher:\n   Heartbeat Period: ${humanDuration(cluster.spec.heartbeatPeriodUs ?? DISPATCHER.heartbeatPeriodUs)}\n`;
    out += `  CA Configuration:\n   Expiry Duration: ${humanDuration(cluster.spec.nodeCertExpiryUs)}\n   Force Rotate: ${cluster.spec.caForceRotate ?? 0}\n`;
    out += `  Autolock Managers: ${cluster.spec.autoLockManagers}\n  Root Rotation In Progress: ${!!cluster.rootCA.rotation}\n`;
  }
  out += `  Node Address: ${addr(m.advertiseAddr)}\n`;
  const managers = managerAddrs(env, view, m.managers).sort();
  if (managers.length > 0) out += `  Manager Addresses:\n${managers.map((x) => `   ${x}\n`).join("")}`;
  return out;
}

/** The managers' addresses: from the store when this node reads one, else the managers it knows (Info.Swarm.RemoteManagers). */
function managerAddrs(env: DockerEnv, view: Store | null, known: readonly string[]): string[] {
  const addr = (a: string) => {
    const [h, port] = a.includes(":") ? [a.slice(0, a.lastIndexOf(":")), a.slice(a.lastIndexOf(":") + 1)] : [a, "2377"];
    return `${env.hosts.includes(h) ? hostIp(env, h) : h}:${port}`;
  };
  if (view) return [...view.nodes.values()].filter((n) => n.role === "manager" && n.manager).map((n) => addr(n.manager!.addr));
  return known.map((x) => addr(x));
}

/** The Engine API's Info.Swarm (what `docker info --format '{{.Swarm.LocalNodeState}}'` reads). */
export function swarmInfoData(env: DockerEnv): Record<string, unknown> {
  const st = env.swarm?.state();
  const m = st?.hosts.get(env.host)?.member;
  if (!st || !m) return { NodeID: "", NodeAddr: "", LocalNodeState: "inactive", ControlAvailable: false, Error: "", RemoteManagers: null };
  const addr = (a: string) => (env.hosts.includes(a) ? hostIp(env, a) : a);
  const leaderHost = m.managers.find((x) => st.hosts.get(x)?.raft?.role === "leader");
  const view = leaderHost !== undefined ? st.hosts.get(leaderHost)!.store : null;
  return {
    NodeID: m.nodeId, NodeAddr: addr(m.advertiseAddr), LocalNodeState: st.hosts.get(env.host)?.locked ? "locked" : "active", ControlAvailable: m.role === "manager", Error: "",
    RemoteManagers: managerAddrs(env, view, m.managers).sort().map((Addr) => ({ Addr })),
    ...(m.role === "manager" && view ? { Nodes: view.nodes.size, Managers: [...view.nodes.values()].filter((n) => n.role === "manager").length } : {}),
  };
}
