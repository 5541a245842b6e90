import { canonicalJson } from "@drydock/kernel";
import { DYNAMIC_PORTS } from "../defaults.js";
import type { StoreOp } from "../store/store.js";
import { TaskState, type Endpoint, type NetworkAttachment, type PortConfig, type Service, type VirtualIP } from "../types.js";
import { taskStatus, type Pass } from "./pass.js";

/**
 * The allocator (swarmkit manager/allocator): a service gets its published ports (ingress ports
 * left at 0 get one from 30000-32767, portallocator.go) and a virtual IP on each of its networks
 * (the ingress network too when it publishes in ingress mode, VIP endpoint mode only); a task
 * gets an address on each network and moves NEW → PENDING, "pending task scheduling"
 * (network.go allocatedStatusMessage). Addresses are the lowest free in the network's /24 after
 * the gateway.
 */

function parseSubnet(cidr: string): { base: number[]; bits: number } {
  const [ip, bits] = cidr.split("/");
  return { base: ip!.split(".").map(Number), bits: Number(bits ?? 24) };
}

class Addresses {
  private readonly used = new Map<string, Set<number>>();
  constructor(private readonly pass: Pass) {
    for (const n of pass.store.networks.values()) {
      const set = new Set<number>([0, 255]);
      const gw = n.spec.gateway.split(".").map(Number)[3];
      if (gw !== undefined) set.add(gw);
      this.used.set(n.id, set);
    }
    for (const s of pass.store.services.values()) for (const v of s.endpoint?.virtualIPs ?? []) this.mark(v.networkId, v.addr);
    for (const t of pass.store.tasks.values()) {
      if (t.status.state > TaskState.RUNNING) continue;
      for (const a of t.networks) for (const addr of a.addresses) this.mark(a.networkId, addr);
    }
  }
  private mark(networkId: string, addr: string): void {
    const host = Number(addr.split("/")[0]!.split(".")[3]);
    this.used.get(networkId)?.add(host);
  }
  /** The lowest free address of the network, "10.0.1.5/24"; null if full. */
  take(networkId: string): string | null {
    const n = this.pass.store.networks.get(networkId);
    const used = this.used.get(networkId);
    if (!n || !used) return null;
    const { base, bits } = parseSubnet(n.spec.subnet);
    for (let h = 1; h < 255; h++) {
      if (used.has(h)) continue;
      used.add(h);
      return `${base[0]}.${base[1]}.${base[2]}.${h}/${bits}`;
    }
    return null;
  }
}

/** The networks a service's tasks attach to: ingress first when it publishes in ingress mode. */
export function serviceNetworks(pass: Pass, s: Service): string[] {
  const out: string[] = [];
  const ingress = [...pass.store.networks.values()].find((n) => n.spec.ingress);
  if (ingress && s.spec.endpoint.mode === "vip" && s.spec.endpoint.ports.some((p) => p.publishMode === "ingress")) out.push(ingress.id);
  for (const n of s.spec.task.networks) if (!out.includes(n.target) && pass.store.networks.has(n.target)) out.push(n.target);
  return out;
}

function needsAllocation(pass: Pass, s: Service, networks: readonly string[]): boolean {
  const e = s.endpoint;
  if (!e) return true;
  if (e.spec !== s.spec.endpoint && canonicalJson(e.spec) !== canonicalJson(s.spec.endpoint)) return true;
  const have = s.spec.endpoint.mode === "vip" ? networks : [];
  return e.virtualIPs.length !== have.length || e.virtualIPs.some((v, i) => v.networkId !== have[i]);
}

export function allocate(pass: Pass): void {
  let addrs: Addresses | null = null;
  const addresses = () => (addrs ??= new Addresses(pass));
  const ops: StoreOp[] = [];

  // Services.
  const usedPorts = new Set<string>();
  for (const s of pass.store.services.values()) for (const p of s.endpoint?.ports ?? []) if (p.publishedPort !== 0) usedPorts.add(`${p.protocol}/${p.publishedPort}`);
  const services = [...pass.store.services.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const s of services) {
    const networks = serviceNetworks(pass, s);
    if (!needsAllocation(pass, s, networks)) continue;
    const ports: PortConfig[] = s.spec.endpoint.ports.map((p) => {
      if (p.publishedPort !== 0 || p.publishMode !== "ingress") return p;
      const prev = s.endpoint?.ports.find((q) => q.targetPort === p.targetPort && q.protocol === p.protocol && q.publishMode === "ingress");
      if (prev && prev.publishedPort !== 0) return { ...p, publishedPort: prev.publishedPort };
      for (let port = DYNAMIC_PORTS.start; port <= DYNAMIC_PORTS.end; port++) {
        const key = `${p.protocol}/${port}`;
        if (usedPorts.has(key)) continue;
        usedPorts.add(key);
        return { ...p, publishedPort: port };
      }
      return p;
    });
    const virtualIPs: VirtualIP[] = [];
    if (s.spec.endpoint.mode === "vip") {
      for (const networkId of networks) {
        const prev = s.endpoint?.virtualIPs.find((v) => v.networkId === networkId);
        const addr = prev?.addr ?? addresses().take(networkId);
        if (addr) virtualIPs.push({ networkId, addr });
      }
    }
    const endpoint: Endpoint = { spec: s.spec.endpoint, ports, virtualIPs };
    ops.push({ op: "service.endpoint", id: s.id, endpoint });
  }
  pass.apply(ops);

  // Tasks.
  const tops: StoreOp[] = [];
  const networksOf = new Map<string, string[]>();
  for (const t of pass.store.tasks.values()) {
    // A job's tasks are desired COMPLETE.
    if (t.status.state !== TaskState.NEW || t.desiredState > TaskState.COMPLETE) continue;
    const s = pass.store.services.get(t.serviceId);
    if (!s || !s.endpoint) continue;
    let ids = networksOf.get(s.id);
    if (!ids) networksOf.set(s.id, (ids = serviceNetworks(pass, s)));
    const networks: NetworkAttachment[] = [];
    for (const networkId of ids) {
      const addr = addresses().take(networkId);
      networks.push({ networkId, addresses: addr ? [addr] : [] });
    }
    tops.push({
      op: "task.alloc", id: t.id, networks, endpoint: s.endpoint,
      status: taskStatus(TaskState.PENDING, "pending task scheduling", pass.now),
    });
  }
  pass.apply(tops);
}
