import type { SwarmViewModel } from "../swarm/model.js";

// What the routing-mesh view draws beyond the swarm: the client's requests to the published port,
// each with the hops the world's data path took (the trace's net.decide record: ingress DNAT, the
// ingress sandbox, IPVS's pick, the VXLAN hop to the task's node), and how many each task served.

export interface MeshRequest {
  /** The request's number since the scene opened (1, 2, ...): a key that restarts its animation. */
  readonly n: number;
  readonly t: number;
  /** The node whose published port the client asked. */
  readonly entry: string;
  /** The task that answered ("web.2"), and its node; null when nothing answered. */
  readonly task: string | null;
  readonly taskHost: string | null;
  /** "connected", "refused", ... (the world's outcome). */
  readonly outcome: string;
  /** Through the routing mesh: IPVS picked the task (else the node's own port, host mode). */
  readonly ipvs: boolean;
  /** The request crossed the overlay to another node (VXLAN). */
  readonly overlay: boolean;
  /** The hops as the world's trace names them, shortened for the screen. */
  readonly hops: readonly string[];
}

export interface RoutingViewModel extends SwarmViewModel {
  /** "vip": the routing mesh (ingress, IPVS on the VIP); "dnsrr": DNS round robin and host-mode ports. */
  readonly mode: "vip" | "dnsrr";
  readonly port: number;
  /** The latest requests, oldest first (at most a handful). */
  readonly requests: readonly MeshRequest[];
  /** Requests each task answered since the scene opened, by task name. */
  readonly served: Readonly<Record<string, number>>;
}
