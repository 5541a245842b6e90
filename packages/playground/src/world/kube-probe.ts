import { listenerOf, serveHttp, type Container } from "@drydock/engine";
import type { Prober } from "@drydock/kube";
import type { WorldState } from "./state.js";
import { POD_UID_LABEL } from "./kube-containers.js";

/**
 * The kubelet's httpGet and tcpSocket probes against the host's engine (pkg/probe/http, tcp): the
 * pod's containers share its network namespace, so a port is open when a process in any of them
 * listens on it; an HTTP answer from 200 to 399 passes, any other is "HTTP probe failed with
 * statuscode: N"; a closed port is Go's dial error. exec probes are left to the kubelet's fake
 * runtime (its script reading), as is anything on a host the world does not have.
 */
export function worldProber(s: WorldState, node: string, now: number): Prober | undefined {
  const h = s.hosts.get(node);
  if (!h) return undefined;
  return (c, p, probe) => {
    const action = probe.httpGet ?? probe.tcpSocket;
    if (!action) return undefined;
    const port = typeof action.port === "number" ? action.port : (c.ports ?? []).find((x) => x.name === action.port)?.containerPort ?? Number(action.port);
    const running: Container[] = [];
    for (const x of h.engine.containers.values()) if (x.config.labels[POD_UID_LABEL] === p.uid && x.state.running) running.push(x);
    let server: { container: Container; program: string } | undefined;
    for (const x of running) {
      const program = Number.isFinite(port) ? listenerOf(x, port) : null;
      if (program !== null) { server = { container: x, program }; break; }
    }
    const dial = `dial tcp ${p.podIP}:${Number.isFinite(port) ? port : action.port}: connect: connection refused`;
    if (!probe.httpGet) return server ? { ok: true, output: "" } : { ok: false, output: dial };
    const path = probe.httpGet.path ?? "/";
    if (!server) return { ok: false, output: `Get "http://${p.podIP}:${port}${path}": ${dial}` };
    const res = serveHttp({ engine: h.engine, hostFs: h.fs, container: server.container, program: server.program, port }, { method: "GET", path, host: `${p.podIP}:${port}`, body: "" }, now);
    return res.status >= 200 && res.status < 400 ? { ok: true, output: "" } : { ok: false, output: `HTTP probe failed with statuscode: ${res.status}` };
  };
}
