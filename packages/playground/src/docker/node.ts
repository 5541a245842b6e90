import { rfc3339Nano } from "@drydock/engine";
import { connected } from "@drydock/kernel";
import {
  clusterTlsInfo, findNode, nodeRows, nodeTlsInfo, serviceTasks, swarmFail, type Availability, type Cluster, type Node, type Store, type TaskRow,
} from "@drydock/swarm";
import { fail } from "../errors.js";
import { formatInspect, formatRows, goMap, renderTemplate } from "../format/index.js";
import { bytesSize } from "@drydock/image";
import type { DockerCommand, DockerEnv } from "./command.js";
import { eachArgument } from "./each.js";
import { flag } from "./flags.js";
import { act, hostIp, managerStore, memberOf, portOf, since } from "./swarm-common.js";
import { TASK_LIST_FLAGS, filterTasks, taskTable } from "./service.js";

/**
 * docker node ls / inspect / update / promote / demote / rm / ps, with docker/cli's columns and
 * texts (cli/command/node). They read the leader's store through the manager the CLI talks to.
 */

function nodeOf(env: DockerEnv, view: Store, ref: string): Node {
  // "self" is the node the CLI's daemon is (docker/cli node/cmd.go Reference).
  const r = ref === "self" ? memberOf(env).nodeId : ref;
  const n = findNode(view, r);
  if (!n) swarmFail("NO_SUCH_NODE", ref);
  return n;
}

/** node/formatter.go TLSStatus: Ready when the node's TLSInfo is the cluster's, "Needs Rotation" when not, Unknown without either. */
function tlsStatus(view: Store, nodeId: string): string {
  const n = view.nodes.get(nodeId);
  const c = view.cluster ? clusterTlsInfo(view.cluster) : null;
  const t = n && view.cluster ? nodeTlsInfo(view.cluster, n) : null;
  if (!c || !t) return "Unknown";
  return c.TrustRoot === t.TrustRoot && c.CertIssuerPublicKey === t.CertIssuerPublicKey && c.CertIssuerSubject === t.CertIssuerSubject ? "Ready" : "Needs Rotation";
}

export const nodeLsCommand: DockerCommand = {
  path: "docker node ls",
  use: "docker node ls [OPTIONS]",
  summary: "List nodes in the swarm",
  aliases: ["docker node list"],
  args: 0,
  specs: [
    { name: "format", kind: "string", help: "Format output using a custom template" },
    { name: "quiet", short: "q", kind: "bool", help: "Only display IDs" },
  ],
  run(p, env) {
    // A manager that is not the leader forwards the request to it (SwarmKit's raft proxy): the leader's store answers.
    const { leader, view } = managerStore(env);
    const port = portOf(env);
    const net = port.net;
    const rows = nodeRows(port.state(), leader, (a, b) => !!net.up[a] && !!net.up[b] && connected(net, a, b));
    if (flag.bool(p, "quiet")) return rows.map((r) => `${r.id}\n`).join("");
    const self = memberOf(env).nodeId;
    // docker/cli formatter/node.go defaultNodeTableFormat: the ID and the star of the node the CLI talks to share a column.
    return formatRows({
      format: flag.str(p, "format"), typeName: "*formatter.nodeContext",
      headers: { ID: "ID", Self: "", Hostname: "HOSTNAME", Status: "STATUS", Availability: "AVAILABILITY", ManagerStatus: "MANAGER STATUS", EngineVersion: "ENGINE VERSION", TLSStatus: "TLS STATUS" },
      defaultFormat: "table {{.ID}} {{if .Self}}*{{else}} {{ end }}\t{{.Hostname}}\t{{.Status}}\t{{.Availability}}\t{{.ManagerStatus}}\t{{.EngineVersion}}",
      rows: rows.map((r) => ({
        ID: r.id, Self: r.id === self, Hostname: r.hostname, Status: r.status, Availability: r.availability, ManagerStatus: r.managerStatus,
        EngineVersion: r.engineVersion, TLSStatus: tlsStatus(view, r.id),
      })),
    });
  },
};

/** GET /nodes/{id}, in the Engine API's shape. */
function nodeJson(n: Node, leaderHost: string | null, reachable: boolean, cluster: Cluster | null): unknown {
  const d = n.description;
  const tls = cluster ? nodeTlsInfo(cluster, n) : null;
  return {
    ID: n.id, Version: { Index: n.version }, CreatedAt: rfc3339Nano(n.createdAt), UpdatedAt: rfc3339Nano(n.updatedAt),
    Spec: { Labels: goMap({ ...n.spec.labels }), Role: n.spec.desiredRole, Availability: n.spec.availability },
    Description: {
      Hostname: d.hostname, Platform: { Architecture: d.platform.architecture, OS: d.platform.os },
      Resources: { NanoCPUs: d.resources.nanoCPUs, MemoryBytes: d.resources.memoryBytes },
      Engine: { EngineVersion: d.engineVersion, ...(Object.keys(d.engineLabels).length > 0 ? { Labels: goMap({ ...d.engineLabels }) } : {}) },
      ...(tls ? { TLSInfo: tls } : {}),
    },
    Status: { State: n.status.state, ...(n.status.message ? { Message: n.status.message } : {}), Addr: n.status.addr },
    ...(n.role === "manager" && n.manager ? {
      ManagerStatus: { ...(n.manager.raftId === leaderHost ? { Leader: true } : {}), Reachability: reachable ? "reachable" : "unreachable", Addr: n.manager.addr },
    } : {}),
  };
}

/** docker/cli cli/command/node/formatter.go nodeInspectPrettyTemplate, its "TLS Info" section included. */
const NODE_PRETTY = `ID:\t\t\t{{.ID}}
{{- if .Name }}
Name:\t\t\t{{.Name}}
{{- end }}
{{- if .Labels }}
Labels:
{{- range $k, $v := .Labels }}
 - {{ $k }}{{if $v }}={{ $v }}{{ end }}
{{- end }}{{ end }}
Hostname:              \t{{.Hostname}}
Joined at:             \t{{.CreatedAt}}
Status:
 State:\t\t\t{{.StatusState}}
 {{- if .HasStatusMessage}}
 Message:              \t{{.StatusMessage}}
 {{- end}}
 Availability:         \t{{.SpecAvailability}}
 {{- if .StatusAddr}}
 Address:\t\t{{.StatusAddr}}
 {{- end}}
{{- if .HasManagerStatus}}
Manager Status:
 Address:\t\t{{.ManagerStatusAddr}}
 Raft Status:\t\t{{.ManagerStatusReachability}}
 {{- if .IsManagerStatusLeader}}
 Leader:\t\tYes
 {{- else}}
 Leader:\t\tNo
 {{- end}}
{{- end}}
Platform:
 Operating System:\t{{.PlatformOS}}
 Architecture:\t\t{{.PlatformArchitecture}}
Resources:
 CPUs:\t\t\t{{.ResourceNanoCPUs}}
 Memory:\t\t{{.ResourceMemory}}
Engine Version:\t\t{{.EngineVersion}}
{{- if .EngineLabels}}
Engine Labels:
{{- range $k, $v := .EngineLabels }}
 - {{ $k }}{{if $v }}={{ $v }}{{ end }}
{{- end }}{{- end }}
{{- if .HasTLSInfo}}
TLS Info:
 TrustRoot:
{{.TLSInfoTrustRoot}}
 Issuer Subject:\t{{.TLSInfoCertIssuerSubject}}
 Issuer Public Key:\t{{.TLSInfoCertIssuerPublicKey}}
{{- end}}
`;

function nodePretty(n: Node, leaderHost: string, reachable: boolean, now: number, ip: (a: string) => string, cluster: Cluster | null): string {
  const d = n.description;
  const tls = cluster ? nodeTlsInfo(cluster, n) : null;
  return renderTemplate(NODE_PRETTY, {
    ID: n.id, Name: "", Labels: goMap({ ...n.spec.labels }), Hostname: d.hostname, CreatedAt: since(n.createdAt, now),
    StatusState: n.status.state, HasStatusMessage: n.status.message !== "", StatusMessage: n.status.message,
    SpecAvailability: n.spec.availability, StatusAddr: ip(n.status.addr),
    HasManagerStatus: n.role === "manager" && n.manager !== null, ManagerStatusAddr: n.manager?.addr ?? "",
    ManagerStatusReachability: reachable ? "reachable" : "unreachable", IsManagerStatusLeader: n.manager?.raftId === leaderHost,
    PlatformOS: d.platform.os, PlatformArchitecture: d.platform.architecture,
    ResourceNanoCPUs: Math.floor(d.resources.nanoCPUs / 1e9), ResourceMemory: bytesSize(d.resources.memoryBytes),
    EngineVersion: d.engineVersion, EngineLabels: goMap({ ...d.engineLabels }),
    HasTLSInfo: tls !== null, TLSInfoTrustRoot: tls?.TrustRoot ?? "", TLSInfoCertIssuerSubject: tls?.CertIssuerSubject ?? "", TLSInfoCertIssuerPublicKey: tls?.CertIssuerPublicKey ?? "",
  });
}

export const nodeInspectCommand: DockerCommand = {
  path: "docker node inspect",
  use: "docker node inspect [OPTIONS] self|NODE [NODE...]",
  summary: "Display detailed information on one or more nodes",
  args: [1, Infinity],
  specs: [
    { name: "format", short: "f", kind: "string", help: "Format output using a custom template" },
    { name: "pretty", kind: "bool", help: "Print the information in a human friendly format" },
  ],
  run(p, env) {
    const { leader, view } = managerStore(env);
    const net = portOf(env).net;
    const nodes = p.args.map((a) => nodeOf(env, view, a));
    const reach = (n: Node) => !!net.up[n.description.hostname] && connected(net, leader, n.description.hostname);
    // The dispatcher records the address a node registered from: the world's hosts are on one LAN.
    const ip = (a: string) => (env.hosts.includes(a) ? hostIp(env, a) : a);
    if (flag.bool(p, "pretty")) return nodes.map((n) => nodePretty(n, leader, reach(n), env.now, ip, view.cluster)).join("\n\n") + "\n";
    return formatInspect(flag.str(p, "format"), nodes.map((n) => {
      const host = n.description.hostname;
      return nodeJson({ ...n, status: { ...n.status, addr: ip(n.status.addr) } }, leader, !!net.up[host] && connected(net, leader, host), view.cluster);
    }));
  },
};

export const nodeUpdateCommand: DockerCommand = {
  path: "docker node update",
  use: "docker node update [OPTIONS] NODE",
  summary: "Update a node",
  args: 1,
  specs: [
    { name: "availability", kind: "string", help: 'Availability of the node ("active", "pause", "drain")' },
    { name: "label-add", kind: "list", help: "Add or update a node label (key=value)" },
    { name: "label-rm", kind: "list", help: "Remove a node label if exists" },
    { name: "role", kind: "string", help: 'Role of the node ("worker", "manager")' },
  ],
  run(p, env) {
    const ref = p.args[0]!;
    const availability = flag.str(p, "availability");
    const role = flag.str(p, "role");
    // docker/cli opts: the values are checked by the CLI before any request.
    if (availability !== undefined && !["active", "pause", "drain"].includes(availability.toLowerCase())) {
      fail("FLAG", `invalid argument "${availability}" for "--availability" flag: invalid availability: ${availability}`, "docker node update");
    }
    if (role !== undefined && role !== "worker" && role !== "manager") {
      fail("FLAG", `invalid argument "${role}" for "--role" flag: invalid role: ${role}`, "docker node update");
    }
    const { view } = managerStore(env);
    const n = nodeOf(env, view, ref);
    const labelAdd: Record<string, string> = {};
    for (const l of flag.list(p, "label-add")) {
      const i = l.indexOf("=");
      labelAdd[i < 0 ? l : l.slice(0, i)] = i < 0 ? "" : l.slice(i + 1);
    }
    act(env, {
      type: "nodeUpdate", host: env.host, node: n.id,
      ...(availability !== undefined ? { availability: availability.toLowerCase() as Availability } : {}),
      ...(role !== undefined ? { role: role as "worker" | "manager" } : {}),
      labelAdd, labelRm: flag.list(p, "label-rm"),
    });
    return `${ref}\n`;
  },
};

function roleChange(role: "manager" | "worker"): DockerCommand {
  const promote = role === "manager";
  return {
    path: promote ? "docker node promote" : "docker node demote",
    use: `docker node ${promote ? "promote" : "demote"} NODE [NODE...]`,
    summary: promote ? "Promote one or more nodes to manager in the swarm" : "Demote one or more nodes from manager in the swarm",
    args: [1, Infinity],
    specs: [],
    run(p, env) {
      let out = "";
      for (const ref of p.args) {
        const { view } = managerStore(env);
        const n = nodeOf(env, view, ref);
        // docker/cli node/promote.go, demote.go.
        if (n.spec.desiredRole === role) {
          out += promote ? `Node ${ref} is already a manager.\n` : `Node ${ref} is already a worker.\n`;
          continue;
        }
        act(env, { type: "nodeUpdate", host: env.host, node: n.id, role });
        out += promote ? `Node ${ref} promoted to a manager in the swarm.\n` : `Manager ${ref} demoted in the swarm.\n`;
      }
      return out;
    },
  };
}

export const nodeRmCommand: DockerCommand = {
  path: "docker node rm",
  use: "docker node rm [OPTIONS] NODE [NODE...]",
  summary: "Remove one or more nodes from the swarm",
  aliases: ["docker node remove"],
  args: [1, Infinity],
  specs: [{ name: "force", short: "f", kind: "bool", help: "Force remove a node from the swarm" }],
  run(p, env) {
    return eachArgument(env, p.args, (ref) => {
      const n = nodeOf(env, managerStore(env).view, ref);
      act(env, { type: "nodeRm", host: env.host, node: n.id, force: flag.bool(p, "force") });
      return ref;
    });
  },
};

export const nodePsCommand: DockerCommand = {
  path: "docker node ps",
  use: "docker node ps [OPTIONS] [NODE...]",
  summary: "List tasks running on one or more nodes, defaults to current node",
  args: [0, Infinity],
  specs: TASK_LIST_FLAGS,
  run(p, env) {
    const { view } = managerStore(env);
    const refs = p.args.length > 0 ? p.args : ["self"];
    const rows: TaskRow[] = [];
    for (const ref of refs) {
      const n = nodeOf(env, view, ref);
      for (const s of view.services.values()) rows.push(...serviceTasks(view, s.id).filter((r) => r.task.nodeId === n.id).map((r) => ({ ...r, name: r.name.replace(/^ \\_ /, "") })));
    }
    const shown = filterTasks(rows, flag.list(p, "filter"));
    if (flag.bool(p, "quiet")) return shown.map((r) => `${r.id}\n`).join("");
    return taskTable(shown, env.now, flag.bool(p, "no-trunc"), flag.str(p, "format"));
  },
};

export const NODE_COMMANDS: readonly DockerCommand[] = [
  nodeLsCommand, nodeInspectCommand, nodeUpdateCommand, roleChange("manager"), roleChange("worker"), nodeRmCommand, nodePsCommand,
];
