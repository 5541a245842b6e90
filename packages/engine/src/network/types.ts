// The container network model (libnetwork's CNM), as data the engine keeps and the visualiser
// draws: a *sandbox* is a container's network namespace, an *endpoint* joins a sandbox to a
// *network* through a veth pair (one end in the sandbox as eth0, eth1…, the other on the
// network's bridge), and a *network* is a bridge (docker0 or br-<id>), the host's own stack, or
// none. Every value is immutable: operations return a new NetworkTable.
import type { Micros } from "@drydock/kernel";
import type { Ip4, Prefix4 } from "./ip.js";
import type { BoundPort, PortCursors } from "./ports.js";

/** libnetwork driver names: `docker network ls` DRIVER column ("null" is the none network's). */
export type NetworkDriver = "bridge" | "host" | "null" | "overlay";

/** IPAM.Config as the user asked for it (`--subnet`, `--ip-range`, `--gateway`); empty strings when not given. */
export interface IpamConfigEntry {
  readonly subnet: string;
  readonly ipRange: string;
  readonly gateway: string;
  readonly auxAddresses: Readonly<Record<string, string>>;
}

export interface Network {
  /** 64 hex. */
  readonly id: string;
  readonly name: string;
  readonly driver: NetworkDriver;
  readonly scope: "local" | "swarm";
  readonly created: Micros;
  /** `--internal`: no route out (no MASQUERADE, isolation rules drop what leaves the subnet). */
  readonly internal: boolean;
  readonly attachable: boolean;
  readonly ingress: boolean;
  readonly enableIPv4: boolean;
  readonly enableIPv6: boolean;
  readonly configOnly: boolean;
  readonly configFrom: string;
  readonly ipamDriver: string;
  /** `--ipam-opt`s; null for the predefined networks (inspect prints `"Options": null`). */
  readonly ipamOptions: Readonly<Record<string, string>> | null;
  /** What the user configured (inspect shows it when a subnet was given). */
  readonly ipamConfig: readonly IpamConfigEntry[];
  /** The IPv4 pool in use (bridge networks), null for host and none. */
  readonly subnet: Prefix4 | null;
  /** `--ip-range`: where container addresses come from (null: the whole subnet). */
  readonly ipRange: Prefix4 | null;
  /** The bridge's own address, the containers' default gateway. */
  readonly gateway: Ip4 | null;
  /** Addresses kept out of allocation (`--aux-address`). */
  readonly auxAddresses: readonly Ip4[];
  /** The Linux bridge: "docker0" or "br-" + the ID's first 12 hex; "" for host and none. */
  readonly bridge: string;
  /** Driver options (`-o`), and the default bridge's settings. */
  readonly options: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

/** One end of a veth pair in a sandbox, the other on a network's bridge. */
export interface Endpoint {
  /** 64 hex (inspect's EndpointID). */
  readonly id: string;
  readonly networkId: string;
  readonly containerId: string;
  /** The container's name (network inspect's Containers[id].Name). */
  readonly name: string;
  /** Its address on the network; null on host and none. */
  readonly ip: Ip4 | null;
  /** "02:42:ac:11:00:02"; "" on host and none. */
  readonly mac: string;
  /** `--network-alias`es. */
  readonly aliases: readonly string[];
  /** Names the embedded DNS server answers with this address (user-defined networks only). */
  readonly dnsNames: readonly string[];
  /** The interface in the sandbox: "eth0", "eth1", …; "" on host and none. */
  readonly ifName: string;
  /** The host end of the veth pair, on the bridge: "veth" + 7 hex. */
  readonly vethHost: string;
}

/** A container's network namespace (libnetwork's Sandbox) and the host ports it holds. */
export interface Sandbox {
  readonly containerId: string;
  /** 64 hex (inspect's NetworkSettings.SandboxID). */
  readonly id: string;
  /** "/var/run/docker/netns/" + the sandbox ID's first 12 hex; "default" for --network host. */
  readonly key: string;
  readonly hostname: string;
  /** Endpoint IDs in the order they were joined (the first bridge is the default gateway). */
  readonly endpoints: readonly string[];
  /** Published ports bound on the host while the container runs. */
  readonly ports: readonly BoundPort[];
}

/** Every network, endpoint and sandbox of one engine. */
export interface NetworkTable {
  /** ID → network, in creation order. */
  readonly networks: ReadonlyMap<string, Network>;
  readonly endpoints: ReadonlyMap<string, Endpoint>;
  /** Container ID → sandbox. */
  readonly sandboxes: ReadonlyMap<string, Sandbox>;
  /** The port allocator's cursors (where it goes on from). */
  readonly portCursors: PortCursors;
  /** How many objects were ever created: IDs are derived from it, so a replay draws the same IDs. */
  readonly seq: number;
  /** Mixed into IDs so two hosts' default networks differ. */
  readonly salt: string;
}

/** The names of the networks every engine has and that cannot be removed (moby network.IsPredefined). */
export const PREDEFINED_NETWORKS: readonly string[] = ["bridge", "host", "none", "default"];

export function isPredefined(name: string): boolean {
  return PREDEFINED_NETWORKS.includes(name);
}

/** The embedded DNS server's address in every container on a user-defined network. */
export const EMBEDDED_DNS = "127.0.0.11";
