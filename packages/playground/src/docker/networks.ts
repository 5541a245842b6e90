// docker network commands (issue #11): create, ls, inspect, rm, prune, connect and disconnect over
// the engine's network table (@drydock/engine's network model); connect and disconnect go through
// the container daemon, which joins a running container's sandbox to the network at once.
import { confirm } from "./volumes.js";
import { isDrydockError } from "@drydock/kernel";
import { formatGoTime } from "@drydock/image";
import {
  Daemon, checkFilterFormat, createNetwork, filterNetworks, findNetwork, inspectNetwork, isIpLiteral, networkPruneKeep,
  parseIp4, parsePrefix4, prefixContains, pruneNetworks, removeNetwork, tryFindNetwork, type Network, type NetworkTable,
} from "@drydock/engine";
import { fail } from "../errors.js";
import { formatInspect, formatRows } from "../format/index.js";
import { flag, type FlagSpec } from "./flags.js";
import type { DockerCommand, DockerEnv } from "./command.js";
import { daemonCall } from "./daemon.js";
import { attachSwarmNetwork, createOverlay, removeSwarmNetwork } from "./swarm-network.js";
import { networksSeen } from "./swarm-network-view.js";

/** The engine's network table (EngineState.networks): the one place networks, endpoints and host ports live. */
export function networksOf(env: DockerEnv): NetworkTable {
  return env.engine.networks;
}

function setNetworks(env: DockerEnv, table: NetworkTable): void {
  env.engine = { ...env.engine, networks: table };
}

/** The container daemon over this command's engine (connect and disconnect change containers too). */
function withContainers(env: DockerEnv, op: (d: Daemon) => void): void {
  const rt = env.runtime;
  if (rt === undefined) return fail("NOT_SIMULATED", "containers outside a world");
  const d = new Daemon(env.engine, env.fs, { now: env.now, random: rt.random, names: rt.names, programs: rt.programs, hostName: rt.hostName });
  daemonCall(() => op(d));
  env.engine = d.engine;
  env.fs = d.hostFs;
}

export const networkConnectCommand: DockerCommand = {
  path: "docker network connect",
  use: "docker network connect [OPTIONS] NETWORK CONTAINER",
  summary: "Connect a container to a network",
  args: 2,
  specs: [
    { name: "alias", kind: "list", help: "Add network-scoped alias for the container" },
    { name: "driver-opt", kind: "list", help: "driver options for the network" },
    { name: "gw-priority", kind: "int", help: "Highest gw-priority provides the default gateway. Accepts positive and negative values." },
    { name: "ip", kind: "string", help: "IPv4 address (e.g., \"172.30.100.104\")" },
    { name: "ip6", kind: "string", help: "IPv6 address (e.g., \"2001:db8::33\")" },
    { name: "link", kind: "list", help: "Add link to another container" },
    { name: "link-local-ip", kind: "list", help: "Add a link-local address for the container" },
  ],
  run(p, env) {
    const [network, container] = p.args as [string, string];
    const ip = flag.str(p, "ip");
    // A swarm network the engine does not hold: the cluster decides, and gives the attachment its address (docker/swarm-network.ts).
    const attached = attachSwarmNetwork(env, network);
    const address = ip ?? attached?.ip;
    withContainers(env, (d) => d.connectNetwork(container, network, { aliases: flag.list(p, "alias"), ...(address ? { ipv4Address: address } : {}) }));
    return "";
  },
};

export const networkDisconnectCommand: DockerCommand = {
  path: "docker network disconnect",
  use: "docker network disconnect [OPTIONS] NETWORK CONTAINER",
  summary: "Disconnect a container from a network",
  args: 2,
  specs: [{ name: "force", short: "f", kind: "bool", help: "Force the container to disconnect from a network" }],
  run(p, env) {
    const [network, container] = p.args as [string, string];
    withContainers(env, (d) => d.disconnectNetwork(container, network));
    return "";
  },
};

/** opts.ConvertKVStringsToMap: "k=v" → k: v, "k" → k: "". Built with Map, returned as an own-keys record. */
function kvMap(values: readonly string[]): Record<string, string> {
  const m = new Map<string, string>();
  for (const v of values) {
    const eq = v.indexOf("=");
    m.set(eq < 0 ? v : v.slice(0, eq), eq < 0 ? "" : v.slice(eq + 1));
  }
  return Object.fromEntries(m);
}

/** net.ParseCIDR's acceptance, for the CLI's own checks (IPv4 and IPv6). */
function cidrContains(subnet: string, data: string): boolean {
  const s = parsePrefix4(subnet);
  if (!s) {
    if (subnet.includes(":") && subnet.includes("/")) return false;
    fail("CLIENT", `invalid subnet: invalid CIDR address: ${subnet}`);
  }
  const text = data.includes("/") ? data.slice(0, data.lastIndexOf("/")) : data;
  if (data.includes("/") && parsePrefix4(data) === null) fail("CLIENT", `invalid CIDR address: ${data}`);
  const ip = isIpLiteral(text) ? parseIp4(text) : null;
  return ip !== null && prefixContains(s!, ip);
}

/** docker/cli network create's consolidateIpam: the checks the CLI makes before it calls the daemon. */
function consolidateIpam(subnets: string[], ranges: string[], gateways: string[]): { subnets: string[]; ranges: string[]; gateways: string[] } {
  if (subnets.length < ranges.length || subnets.length < gateways.length) fail("CLIENT", "every ip-range or gateway must have a corresponding subnet");
  const seen: string[] = [];
  for (const s of subnets) {
    for (const k of seen) {
      if (cidrContains(s, k) || cidrContains(k, s)) fail("CLIENT", "multiple overlapping subnet configuration is not supported");
    }
    seen.push(s);
  }
  const range = new Map<string, string>();
  for (const r of ranges) {
    let match = false;
    for (const s of subnets) {
      if (!cidrContains(s, r)) continue;
      if (range.has(s)) fail("CLIENT", `cannot configure multiple ranges (${r}, ${range.get(s)}) on the same subnet (${s})`);
      range.set(s, r);
      match = true;
    }
    if (!match) fail("CLIENT", `no matching subnet for range ${r}`);
  }
  const gw = new Map<string, string>();
  for (const g of gateways) {
    let match = false;
    for (const s of subnets) {
      if (!cidrContains(s, g)) continue;
      if (gw.has(s)) fail("CLIENT", `cannot configure multiple gateways (${g}, ${gw.get(s)}) for the same subnet (${s})`);
      gw.set(s, g);
      match = true;
    }
    if (!match) fail("CLIENT", `no matching subnet for gateway ${g}`);
  }
  return { subnets, ranges: subnets.map((s) => range.get(s) ?? ""), gateways: subnets.map((s) => gw.get(s) ?? "") };
}

export const networkCreateCommand: DockerCommand = {
  path: "docker network create",
  use: "docker network create [OPTIONS] NETWORK",
  summary: "Create a network",
  args: 1,
  specs: [
    { name: "attachable", kind: "bool", help: "Enable manual container attachment" },
    { name: "aux-address", kind: "list", help: "Auxiliary IPv4 or IPv6 addresses used by Network driver" },
    { name: "config-from", kind: "string", help: "The network from which to copy the configuration" },
    { name: "config-only", kind: "bool", help: "Create a configuration only network" },
    { name: "driver", short: "d", kind: "string", help: "Driver to manage the Network", default: "bridge" },
    { name: "gateway", kind: "list", help: "IPv4 or IPv6 Gateway for the master subnet" },
    { name: "ingress", kind: "bool", help: "Create swarm routing-mesh network" },
    { name: "internal", kind: "bool", help: "Restrict external access to the network" },
    { name: "ip-range", kind: "list", help: "Allocate container ip from a sub-range" },
    { name: "ipam-driver", kind: "string", help: "IP Address Management Driver", default: "default" },
    { name: "ipam-opt", kind: "list", help: "Set IPAM driver specific options" },
    { name: "ipv4", kind: "bool", help: "Enable or disable IPv4 address assignment", default: true },
    { name: "ipv6", kind: "bool", help: "Enable or disable IPv6 address assignment" },
    { name: "label", kind: "list", help: "Set metadata on a network" },
    { name: "opt", short: "o", kind: "list", help: "Set driver specific options" },
    { name: "scope", kind: "string", help: "Control the network's scope" },
    { name: "subnet", kind: "list", help: "Subnet in CIDR format that represents a network segment" },
  ],
  run(p, env) {
    const ipam = consolidateIpam(flag.list(p, "subnet"), flag.list(p, "ip-range"), flag.list(p, "gateway"));
    const ipamDriver = flag.str(p, "ipam-driver") ?? "default";
    if (ipamDriver !== "default") fail("DAEMON", `plugin "${ipamDriver}" not found`);
    if (flag.str(p, "config-from") !== undefined || flag.bool(p, "config-only")) fail("NOT_SIMULATED", "docker network create --config-only/--config-from");
    if (flag.str(p, "driver") === "overlay") {
      // A swarm manager makes it the swarm's (docker/swarm-network.ts).
      const made = createOverlay(env, p.args[0]!, {
        attachable: flag.bool(p, "attachable"), internal: flag.bool(p, "internal"), labels: kvMap(flag.list(p, "label")), options: kvMap(flag.list(p, "opt")),
      });
      if (made !== null) return made;
    }
    const { table, network } = daemonCall(() => createNetwork(networksOf(env), {
      name: p.args[0]!, driver: flag.str(p, "driver") ?? "bridge", subnets: ipam.subnets, ipRanges: ipam.ranges, gateways: ipam.gateways,
      auxAddresses: kvMap(flag.list(p, "aux-address")), internal: flag.bool(p, "internal"), attachable: flag.bool(p, "attachable"),
      ingress: flag.bool(p, "ingress"), enableIPv6: flag.bool(p, "ipv6"), ipamOptions: kvMap(flag.list(p, "ipam-opt")),
      options: kvMap(flag.list(p, "opt")), labels: kvMap(flag.list(p, "label")), created: env.now,
    }));
    setNetworks(env, table);
    return `${network.id}\n`;
  },
};

const FORMAT: FlagSpec = { name: "format", kind: "string", help: "Format output using a custom template" };

/** docker/cli's network formatter: the columns and what `--format` can name. */
const NETWORK_HEADERS = {
  ID: "NETWORK ID", Name: "NAME", Driver: "DRIVER", Scope: "SCOPE", IPv6: "IPV6", Internal: "INTERNAL", Labels: "LABELS", CreatedAt: "CREATED AT",
};

function networkRow(n: Network, noTrunc: boolean): Record<string, unknown> {
  const labels = Object.entries(n.labels).map(([k, v]) => `${k}=${v}`).join(",");
  return {
    ID: noTrunc ? n.id : n.id.slice(0, 12), Name: n.name, Driver: n.driver, Scope: n.scope, IPv6: String(n.enableIPv6),
    Internal: String(n.internal), Labels: labels, CreatedAt: formatGoTime(n.created),
    Label: (name: string) => (Object.hasOwn(n.labels, name) ? n.labels[name] : ""),
  };
}

/** Filters as docker/cli reads them: a value without "=" is the client's error, a bad name the daemon's. */
function filtered(env: DockerEnv, values: readonly string[]): Network[] {
  try {
    checkFilterFormat(values);
  } catch (e) {
    if (isDrydockError(e)) fail("CLIENT", e.message);
    throw e;
  }
  return daemonCall(() => filterNetworks(networksSeen(env, networksOf(env)), values));
}

export const networkLsCommand: DockerCommand = {
  path: "docker network ls",
  use: "docker network ls [OPTIONS]",
  summary: "List networks",
  aliases: ["docker network list"],
  args: 0,
  specs: [
    { name: "filter", short: "f", kind: "list", help: "Provide filter values (e.g. \"driver=bridge\")" },
    FORMAT,
    { name: "no-trunc", kind: "bool", help: "Do not truncate the output" },
    { name: "quiet", short: "q", kind: "bool", help: "Only display network IDs" },
  ],
  run(p, env) {
    const noTrunc = flag.bool(p, "no-trunc");
    const rows = filtered(env, flag.list(p, "filter")).map((n) => networkRow(n, noTrunc));
    if (flag.bool(p, "quiet")) return rows.map((r) => `${r.ID as string}\n`).join("");
    return formatRows({
      format: flag.str(p, "format"), rows, headers: NETWORK_HEADERS, typeName: "*formatter.networkContext",
      defaultFormat: "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}",
    });
  },
};

export const networkInspectCommand: DockerCommand = {
  path: "docker network inspect",
  use: "docker network inspect [OPTIONS] NETWORK [NETWORK...]",
  summary: "Display detailed information on one or more networks",
  args: [1, Infinity],
  specs: [{ ...FORMAT, short: "f" }, { name: "verbose", short: "v", kind: "bool", help: "Verbose output for diagnostics" }],
  run(p, env) {
    const table = networksSeen(env, networksOf(env));
    const found: unknown[] = [];
    const errors: string[] = [];
    for (const name of p.args) {
      try {
        found.push(inspectNetwork(table, findNetwork(table, name)));
      } catch (e) {
        if (!isDrydockError(e)) throw e;
        errors.push(`Error response from daemon: ${e.message}`);
      }
    }
    const out = formatInspect(flag.str(p, "format"), found);
    if (errors.length > 0) {
      env.stderr += errors.join("\n") + "\n";
      env.failedPartly = true;
    }
    return out;
  },
};

export const networkRmCommand: DockerCommand = {
  path: "docker network rm",
  use: "docker network rm NETWORK [NETWORK...]",
  summary: "Remove one or more networks",
  aliases: ["docker network remove"],
  args: [1, Infinity],
  specs: [{ name: "force", short: "f", kind: "bool", help: "Do not error if the network does not exist" }],
  run(p, env) {
    // Each network is its own API call: one that fails is reported and the others still go.
    let out = "";
    const errors: string[] = [];
    for (const name of p.args) {
      try {
        // A swarm network on a manager is the cluster's to remove (moby daemon/cluster/networks.go RemoveNetwork).
        if (removeSwarmNetwork(env, name)) {
          out += `${name}\n`;
          continue;
        }
        setNetworks(env, removeNetwork(networksOf(env), name));
        out += `${name}\n`;
      } catch (e) {
        if (!isDrydockError(e)) throw e;
        if (flag.bool(p, "force") && e.code === "ENETNOTFOUND") continue;
        errors.push(`Error response from daemon: ${e.message}`);
      }
    }
    if (errors.length > 0) {
      env.stderr += errors.join("\n") + "\n";
      env.failedPartly = true;
    }
    return out;
  },
};

const PRUNE_WARNING = "WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ";

export const networkPruneCommand: DockerCommand = {
  path: "docker network prune",
  use: "docker network prune [OPTIONS]",
  summary: "Remove all unused networks",
  args: 0,
  specs: [
    { name: "filter", kind: "list", help: "Provide filter values (e.g. \"until=<timestamp>\")" },
    { name: "force", short: "f", kind: "bool", help: "Do not prompt for confirmation" },
  ],
  run(p, env) {
    let prompt = "";
    if (!flag.bool(p, "force")) {
      // prompt.Confirm: a line from stdin, or typed at the terminal; anything but y cancels, silently.
      const answer = confirm(env, PRUNE_WARNING.slice(0, -" [y/N] ".length));
      prompt = answer.shown;
      if (!answer.yes) return prompt;
    }
    const values = flag.list(p, "filter");
    try {
      checkFilterFormat(values);
    } catch (e) {
      if (isDrydockError(e)) return fail("CLIENT", e.message);
      throw e;
    }
    const r = daemonCall(() => pruneNetworks(networksOf(env), networkPruneKeep(values, env.now)));
    setNetworks(env, r.table);
    return prompt + (r.removed.length > 0 ? `Deleted Networks:\n${r.removed.map((n) => `${n}\n`).join("")}\n` : "");
  },
};

export const NETWORK_COMMANDS: readonly DockerCommand[] = [
  networkConnectCommand, networkCreateCommand, networkDisconnectCommand, networkLsCommand, networkInspectCommand, networkRmCommand, networkPruneCommand,
];
