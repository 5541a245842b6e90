// What `docker network inspect` and `docker network ls` read: moby's network.Inspect (field
// order as the API's JSON has it) and the list filters (moby daemon/network/filter.go).
import type { Micros } from "@drydock/kernel";
import { rfc3339Nano } from "../util/det.js";
import { FilterArgs } from "../volumes/filters.js";
import { untilFilter } from "../volumes/system.js";
import { naturalLess } from "../volumes/volumes.js";
import { networkError } from "./errors.js";
import { formatIp4, formatPrefix4 } from "./ip.js";
import { endpointsOn } from "./table.js";
import { isPredefined, type Network, type NetworkTable } from "./types.js";

/** GET /networks/{id}: the JSON object `docker network inspect` prints (moby network.Inspect). */
export function inspectNetwork(table: NetworkTable, n: Network): Record<string, unknown> {
  // buildIPAMResources: the user's configuration when a subnet was given, else what IPAM allocated.
  const config = n.ipamConfig.some((c) => c.subnet !== "")
    ? n.ipamConfig.map((c) => ({
      Subnet: c.subnet, ...(c.ipRange !== "" ? { IPRange: c.ipRange } : {}), ...(c.gateway !== "" ? { Gateway: c.gateway } : {}),
      ...(Object.keys(c.auxAddresses).length > 0 ? { AuxiliaryAddresses: { ...c.auxAddresses } } : {}),
    }))
    : n.subnet !== null
      ? [{ Subnet: formatPrefix4(n.subnet), ...(n.gateway !== null ? { Gateway: formatIp4(n.gateway) } : {}) }]
      : null;
  const containers: Record<string, unknown> = {};
  for (const e of endpointsOn(table, n.id)) {
    containers[e.containerId] = {
      Name: e.name, EndpointID: e.id, MacAddress: e.mac,
      IPv4Address: e.ip !== null && n.subnet !== null ? `${formatIp4(e.ip)}/${n.subnet.bits}` : "", IPv6Address: "",
    };
  }
  return {
    Name: n.name, Id: n.id, Created: rfc3339Nano(n.created), Scope: n.scope, Driver: n.driver, EnableIPv4: n.enableIPv4,
    EnableIPv6: n.enableIPv6, IPAM: { Driver: n.ipamDriver, Options: n.ipamOptions === null ? null : { ...n.ipamOptions }, Config: config },
    Internal: n.internal, Attachable: n.attachable, Ingress: n.ingress, ConfigFrom: { Network: n.configFrom }, ConfigOnly: n.configOnly,
    Containers: containers, Options: { ...n.options }, Labels: { ...n.labels },
  };
}

/** The networks in `docker network ls` order (docker/cli sorts names with sortorder.NaturalLess). */
export function listNetworks(table: NetworkTable): Network[] {
  return [...table.networks.values()].sort((a, b) => naturalLess(a.name, b.name));
}

export const NETWORK_LIST_FILTERS: readonly string[] = ["dangling", "driver", "id", "label", "name", "scope", "type"];

/** moby FilterNetworks over the table: `--filter driver=bridge`, `name=`, `id=`, `label=`, `scope=`, `type=custom`, `dangling=true`. */
export function filterNetworks(table: NetworkTable, filterValues: readonly string[]): Network[] {
  const f = FilterArgs.parse(filterValues);
  f.validate(NETWORK_LIST_FILTERS);
  let out = listNetworks(table).filter((n) => {
    if (f.has("driver") && !f.exactMatch("driver", n.driver)) return false;
    if (f.has("name") && !f.match("name", n.name)) return false;
    if (f.has("id") && !f.match("id", n.id)) return false;
    if (f.has("label") && !f.matchKVList("label", n.labels)) return false;
    if (f.has("scope") && !f.exactMatch("scope", n.scope)) return false;
    return true;
  });
  const dangling = f.get("dangling");
  if (dangling.length > 0) {
    if (dangling.length > 1) throw networkError("EFILTER", `got more than one value for filter key "dangling"`);
    const v = dangling[0]!;
    if (!["0", "false", "1", "true"].includes(v)) throw networkError("EFILTER", `invalid value for filter 'dangling', must be "true" (or "1"), or "false" (or "0")`);
    const only = v === "1" || v === "true";
    out = out.filter((n) => {
      const used = isPredefined(n.name) || endpointsOn(table, n.id).length > 0;
      return only ? !used : used;
    });
  }
  if (f.has("type")) {
    const typed: Network[] = [];
    for (const v of f.get("type")) {
      if (v === "builtin") typed.push(...out.filter((n) => isPredefined(n.name)));
      else if (v === "custom") typed.push(...out.filter((n) => !isPredefined(n.name)));
      else throw networkError("EFILTER", `invalid filter: 'type'='${v}'`);
    }
    out = typed;
  }
  return out;
}

/** docker/cli's FilterOpt check: a value without "=" is the client's error (code EFILTERFORMAT), before any call. */
export function checkFilterFormat(values: readonly string[]): void {
  FilterArgs.parse(values);
}

/**
 * POST /networks/prune's filters (`until`, `label`, `label!`): the predicate of networks to keep.
 * An unknown filter is moby's "invalid filter 'x'".
 */
export function networkPruneKeep(values: readonly string[], now: Micros): (n: Network) => boolean {
  const f = FilterArgs.parse(values);
  f.validate(["until", "label", "label!"]);
  const until = untilFilter(f, now);
  return (n) => (until !== undefined && n.created >= until) || !f.matchKVList("label", n.labels) || (f.has("label!") && f.matchKVList("label!", n.labels));
}
