// Probes in the world: the kubelet's httpGet and tcpSocket reach the pod's own containers on its
// host's engine (pkg/probe/http: 200-399 passes; pkg/probe/tcp: a connect), so nginx answers `/`
// with 200 and `/healthz` with its 404 page.
import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

const pod = (name: string, probe: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 80
    readinessProbe:
${probe}
      periodSeconds: 2
`;

describe("probes against the engine", () => {
  it("httpGet / on nginx passes (1/1); /healthz is nginx's 404, so the pod stays 0/1 with Unhealthy events; tcpSocket 80 passes", () => {
    const pg = createPlayground({ seed: 4, kubernetes: { nodes: ["control-plane", "node-1", "node-2"] } });
    pg.sim.act({ type: "writeFile", host: "control-plane", path: "/root/pods.yaml", text: [
      pod("good", "      httpGet:\n        path: /\n        port: 80"),
      pod("bad", "      httpGet:\n        path: /healthz\n        port: 80"),
      pod("tcp", "      tcpSocket:\n        port: 80"),
    ].join("---\n") });
    const k = (line: string) => pg.exec(line, { on: "control-plane" });
    k("kubectl apply -f pods.yaml");
    k("sleep 10");
    const rows = k("kubectl get pods").stdout;
    expect(rows).toMatch(/\ngood\s+1\/1\s+Running\s+0\s/);
    expect(rows).toMatch(/\nbad\s+0\/1\s+Running\s+0\s/);
    expect(rows).toMatch(/\ntcp\s+1\/1\s+Running\s+0\s/);
    expect(k("kubectl get events").stdout).toMatch(/Warning\s+Unhealthy\s+pod\/bad\s+Readiness probe failed: HTTP probe failed with statuscode: 404\n/);
  });
});
