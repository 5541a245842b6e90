// Pod spec fidelity in the kubelet: restartPolicy (kuberuntime_manager.go computePodActions and
// pkg/kubelet/container ShouldContainerBeRestarted), the pod's phase (kubelet_pods.go getPhase),
// and liveness and readiness probes as the prober's workers run them (pkg/kubelet/prober/worker.go
// doProbe: a run of equal results must reach successThreshold or failureThreshold before it counts;
// readiness starts at Failure, liveness at Success; a liveness failure kills the container, which
// restartPolicy then restarts), with SetDefaults_Probe's defaults (pkg/apis/core/v1/defaults.go:
// periodSeconds 10, successThreshold 1, failureThreshold 3) and the handlers' failure texts
// (pkg/probe/http, pkg/probe/tcp: Go's net dial errors).
import { describe, expect, it } from "vitest";
import type { Pod, Probe, Service } from "../api/types.js";
import { isPodReady } from "../controllers/writes.js";
import { podRow } from "../views.js";
import { createKubeCluster } from "./cluster.js";
import { fakeProbe, probeDefaults } from "./kubelet.js";

const pod = (name: string, spec: Partial<Pod["spec"]> & { image?: string; liveness?: Probe; readiness?: Probe; args?: string[] }): Pod => ({
  apiVersion: "v1", kind: "Pod", metadata: { name, labels: { app: name } },
  spec: {
    ...(spec.restartPolicy ? { restartPolicy: spec.restartPolicy } : {}),
    containers: [{
      name: "app", image: spec.image ?? "nginx:1.25", ports: [{ containerPort: 80, name: "http" }],
      ...(spec.args ? { command: ["sh", "-c"], args: spec.args } : {}),
      ...(spec.liveness ? { livenessProbe: spec.liveness } : {}),
      ...(spec.readiness ? { readinessProbe: spec.readiness } : {}),
    }],
  },
});
const get = (c: ReturnType<typeof createKubeCluster>, name: string) => c.store.get("Pod", "default", name)!;

describe("probe defaults and the fake runtime's handlers", () => {
  it("SetDefaults_Probe: period 10 s, success 1, failure 3, no initial delay; zero means the default", () => {
    expect(probeDefaults({ httpGet: { port: 80 } })).toEqual({ initialDelayUs: 0, periodUs: 10_000_000, successThreshold: 1, failureThreshold: 3 });
    expect(probeDefaults({ tcpSocket: { port: 80 }, periodSeconds: 0, initialDelaySeconds: 5, failureThreshold: 1 })).toEqual({ initialDelayUs: 5_000_000, periodUs: 10_000_000, successThreshold: 1, failureThreshold: 1 });
  });

  it("httpGet and tcpSocket: a port the container does not listen on is refused, with Go's dial error; an unhealthy image answers 500", () => {
    const c = { image: "nginx:1.25", ports: [{ containerPort: 80, name: "http" }] };
    expect(fakeProbe(c, "10.244.1.2", { httpGet: { path: "/healthz", port: 8080 } }, 0)).toEqual({ ok: false, output: 'Get "http://10.244.1.2:8080/healthz": dial tcp 10.244.1.2:8080: connect: connection refused' });
    expect(fakeProbe(c, "10.244.1.2", { httpGet: { path: "/", port: "http" } }, 0).ok).toBe(true);
    expect(fakeProbe(c, "10.244.1.2", { tcpSocket: { port: 81 } }, 0)).toEqual({ ok: false, output: "dial tcp 10.244.1.2:81: connect: connection refused" });
    expect(fakeProbe({ image: "example/unhealthy-app:1" }, "10.244.1.2", { httpGet: { path: "/", port: 80 } }, 0)).toEqual({ ok: false, output: "HTTP probe failed with statuscode: 500" });
  });

  it("exec: the docs' exec-liveness pod has /tmp/healthy for its first 30 s, then busybox's cat fails", () => {
    const c = { image: "busybox", script: "sh -c touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600" };
    const probe: Probe = { exec: { command: ["cat", "/tmp/healthy"] } };
    expect(fakeProbe(c, "10.244.1.2", probe, 29_000_000).ok).toBe(true);
    expect(fakeProbe(c, "10.244.1.2", probe, 31_000_000)).toEqual({ ok: false, output: "cat: can't open '/tmp/healthy': No such file or directory" });
  });
});

describe("restartPolicy and the pod's phase", () => {
  it("Always (the default): a container that exits is restarted, counted in RESTARTS, CrashLoopBackOff between", () => {
    const c = createKubeCluster({ seed: 3 });
    c.apply(pod("crash", { image: "badapp:1" }));
    c.runFor("15s");
    const p = get(c, "crash");
    expect(p.status!.phase).toBe("Running");
    expect(p.status!.containerStatuses![0]!.restartCount).toBeGreaterThanOrEqual(1);
  });

  it("Never: the container that exits 1 stays exited; the pod is Failed and kubectl shows Error, 0 restarts", () => {
    const c = createKubeCluster({ seed: 3 });
    c.apply(pod("once", { image: "badapp:1", restartPolicy: "Never" }));
    c.runFor("30s");
    const p = get(c, "once");
    expect(p.status!.phase).toBe("Failed");
    expect(p.status!.containerStatuses![0]!.state.terminated).toEqual({ exitCode: 1, reason: "Error" });
    expect(podRow(p, c.now).slice(1, 4)).toEqual(["0/1", "Error", "0"]);
  });

  it("OnFailure: a non-zero exit is restarted (restarts counted), as under Always", () => {
    const c = createKubeCluster({ seed: 3 });
    c.apply(pod("retry", { image: "badapp:1", restartPolicy: "OnFailure" }));
    c.runFor("15s");
    const p = get(c, "retry");
    expect(p.status!.phase).toBe("Running");
    expect(p.status!.containerStatuses![0]!.restartCount).toBeGreaterThanOrEqual(1);
  });
});

describe("liveness probes", () => {
  it("three failures in a row (failureThreshold) kill the container; it restarts, RESTARTS counts it, and the events say why", () => {
    const c = createKubeCluster({ seed: 5 });
    const liveness: Probe = { exec: { command: ["cat", "/tmp/healthy"] }, initialDelaySeconds: 5, periodSeconds: 5 };
    c.apply(pod("liveness-exec", { image: "busybox", args: ["touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"], liveness }));
    c.runFor("30s");
    expect(get(c, "liveness-exec").status!.containerStatuses![0]!.restartCount).toBe(0);
    // Probes at 5, 10, … after start: fail from 35 s; the third failure (45 s) kills it.
    c.runFor("20s");
    const p = get(c, "liveness-exec");
    expect(p.status!.containerStatuses![0]!.restartCount).toBe(1);
    expect(podRow(p, c.now)[3]).toBe("1");
  });

  it("a container passing its liveness probe is never restarted", () => {
    const c = createKubeCluster({ seed: 5 });
    c.apply(pod("fine", { liveness: { httpGet: { path: "/", port: 80 }, periodSeconds: 1 } }));
    c.runFor("2m");
    expect(get(c, "fine").status!.containerStatuses![0]!.restartCount).toBe(0);
  });
});

describe("readiness probes", () => {
  const svc: Service = { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { selector: { app: "sick" }, ports: [{ port: 80, targetPort: 80 }] } };

  it("a pod failing readiness is Running 0/1 and not in its Service's EndpointSlice; never restarted", () => {
    const c = createKubeCluster({ seed: 7 });
    c.apply(pod("sick", { image: "unhealthy-web:1", readiness: { httpGet: { path: "/ready", port: 80 }, periodSeconds: 2 } }), svc);
    c.runFor("1m");
    const p = get(c, "sick");
    expect(podRow(p, c.now).slice(1, 4)).toEqual(["0/1", "Running", "0"]);
    expect(isPodReady(p)).toBe(false);
    const slice = c.store.list("EndpointSlice").find((s) => s.metadata.labels?.["kubernetes.io/service-name"] === "web")!;
    expect(slice.endpoints.filter((e) => e.conditions.ready)).toEqual([]);
  });

  it("readiness waits for the probe (initialDelaySeconds), not the runtime's 0.5 s: Ready after successThreshold passes", () => {
    const c = createKubeCluster({ seed: 7 });
    c.apply(pod("slow", { readiness: { tcpSocket: { port: 80 }, initialDelaySeconds: 10, periodSeconds: 3, successThreshold: 2 } }));
    c.runFor("8s");
    expect(isPodReady(get(c, "slow"))).toBe(false);
    // First probe 10 s after start, second 3 s later: ready then.
    c.runFor("10s");
    expect(isPodReady(get(c, "slow"))).toBe(true);
  });
});
