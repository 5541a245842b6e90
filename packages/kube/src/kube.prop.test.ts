// The Kubernetes properties of issue #15 under drawn schedules of faults and kubectl commands,
// checked after every event (testkit's runChecked):
// - during a rollout the pods of a Deployment never exceed replicas + maxSurge (under faults too,
//   and when the Deployment is scaled in the middle of one);
// - without faults, available pods never fall below replicas - maxUnavailable once the
//   Deployment has been available;
// - a Service's EndpointSlice lists exactly the pods its selector matches that have an IP, and
//   marks ready only those that are Ready and not terminating;
// - once the faults stop, every ReplicaSet of a working image has its desired ready pods within
//   BOUND_US.
import fc from "fast-check";
import { describe, it } from "vitest";
import { assertProperty, faultSchedule, runChecked, simSeed, type Invariant, type Liveness, type Step } from "@drydock/testkit";
import type { IntOrString } from "./apps/fenceposts.js";
import type { Deployment, Service } from "./api/types.js";
import { createKubeCluster, type KubeCluster } from "./cluster/cluster.js";
import type { KubeCommand } from "./cluster/commands.js";
import { maxSurge, maxUnavailable, replicaSetsOf } from "./controllers/deployment.js";
import { desiredEndpoints } from "./controllers/endpointslice.js";
import { canonical, controllerOf, isPodReady, isTerminating } from "./controllers/writes.js";

const S = 1_000_000;
const WORKERS = ["node-1", "node-2", "node-3"];
const HOSTS = ["control-plane", ...WORKERS];
const HORIZON_US = 90 * S;
const RUNS = Number(process.env["KUBE_PROP_RUNS"] ?? 10);
let slowestUs = 0;

/**
 * The convergence bound once every host is up and the network whole:
 * - a kubelet posts its node's status within one period (10 s) and gets its pod list in answer
 *   (a push lost during the faults is repaired so): ≤ 10 s plus a LAN round trip;
 * - the control plane has marked the node Ready and lifted the unreachable taints on that post, and
 *   reschedules pending pods at its next tick (1 s);
 * - a pod starts and turns ready in 1.5 s; its status is posted at once (no loss any more).
 * 10 + 1 + 1.5 + a few ms < 13 s: the bound is 20 s.
 */
const BOUND_US = 20 * S;

const deployment = (replicas: number, surge: IntOrString, unavailable: IntOrString): Deployment => ({
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", labels: { app: "web" } },
  spec: {
    replicas, selector: { matchLabels: { app: "web" } },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.0" }] } },
  },
});
const service: Service = { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 80 }] } };

const fencepost = fc.constantFrom<IntOrString>(0, 1, 2, "25%", "50%", "34%");
const rollout = fc.record({ replicas: fc.integer({ min: 1, max: 6 }), surge: fencepost, unavailable: fencepost })
  .filter((r) => !(r.surge === 0 && r.unavailable === 0) && r.surge !== "0%");

/** kubectl commands mixed into the schedule: new images (some broken), undo, pause and resume. */
function workload(o: { scale: boolean }): fc.Arbitrary<Step<KubeCommand>> {
  const one = (a: KubeCommand): Step<KubeCommand> => [[0, a]];
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom("nginx:1.1", "nginx:1.2", "nginx:1.3", "bad/nginx:4").map((image) => one({ type: "kube/setImage", name: "web", container: "nginx", image })) },
    { weight: 1, arbitrary: fc.constant(one({ type: "kube/rolloutUndo", name: "web" })) },
    { weight: 1, arbitrary: fc.constantFrom<KubeCommand["type"]>("kube/rolloutPause", "kube/rolloutResume").map((type) => one({ type, name: "web" } as KubeCommand)) },
    ...(o.scale ? [{ weight: 1, arbitrary: fc.integer({ min: 0, max: 6 }).map((replicas) => one({ type: "kube/scale", name: "web", replicas })) }] : []),
  );
}

function setup(seed: string, r: { replicas: number; surge: IntOrString; unavailable: IntOrString }): KubeCluster {
  const c = createKubeCluster({ seed, nodes: HOSTS, records: false });
  c.apply(deployment(r.replicas, r.surge, r.unavailable), service);
  c.runFor("10s");
  return c;
}

/** The Deployment's pods that count: not terminating, owned by one of its ReplicaSets. */
function podsOf(c: KubeCluster, d: Deployment) {
  const owners = new Set(replicaSetsOf(c.store, d).map((rs) => rs.metadata.uid));
  return c.store.list("Pod", { namespace: "default" }).filter((p) => !isTerminating(p) && owners.has(controllerOf(p)?.uid ?? ""));
}

function invariants(c: KubeCluster, o: { availability: boolean }): Invariant[] {
  let wasAvailable = false;
  const fail = (m: string) => { throw new Error(m); };
  const list: Invariant[] = [
    {
      name: "pods <= replicas + maxSurge",
      check: () => {
        const d = c.deployment("web");
        if (!d) return;
        const n = podsOf(c, d).length;
        const bound = (d.spec.replicas ?? 1) + maxSurge(d);
        if (n > bound) fail(`${n} pods, replicas ${d.spec.replicas} + surge ${maxSurge(d)} = ${bound}`);
      },
    },
    {
      name: "a Service's endpoints are the pods its selector matches, ready only when the pod is",
      check: () => {
        for (const svc of c.store.list("Service")) {
          const slices = c.store.list("EndpointSlice", { namespace: "default" }).filter((s) => controllerOf(s)?.uid === svc.metadata.uid);
          const listed = slices.flatMap((s) => s.endpoints);
          for (const e of listed) {
            const pod = c.store.byUid(e.targetRef!.uid);
            if (!pod || pod.kind !== "Pod") fail(`endpoint ${e.addresses[0]} names a pod that is gone`);
            else {
              if (!Object.entries(svc.spec.selector ?? {}).every(([k, v]) => pod.metadata.labels?.[k] === v)) fail(`endpoint ${pod.metadata.name} does not match the selector`);
              if (e.conditions.ready && (!isPodReady(pod) || isTerminating(pod))) fail(`endpoint ${pod.metadata.name} ready, pod not`);
              if (e.addresses[0] !== pod.status?.podIP) fail(`endpoint ${e.addresses[0]} is not ${pod.metadata.name}'s IP`);
            }
          }
          if (canonical(listed) !== canonical(desiredEndpoints(c.store, svc))) fail("the slice is not the selected pods");
        }
      },
    },
  ];
  if (o.availability) {
    list.push({
      name: "available >= replicas - maxUnavailable (once available)",
      check: () => {
        const d = c.deployment("web");
        if (!d) return;
        const available = podsOf(c, d).filter(isPodReady).length;
        const floor = (d.spec.replicas ?? 1) - maxUnavailable(d);
        if (available >= (d.spec.replicas ?? 1)) wasAvailable = true;
        if (wasAvailable && available < floor) fail(`${available} available, replicas ${d.spec.replicas} - unavailable ${maxUnavailable(d)} = ${floor}`);
      },
    });
  }
  return list;
}

/** Every ReplicaSet of a working image has spec.replicas ready pods (and no more). */
function unconverged(c: KubeCluster): string | null {
  for (const rs of c.store.list("ReplicaSet")) {
    if (/(^|\/)bad/.test(rs.spec.template.spec.containers[0]!.image ?? "")) continue;
    const pods = c.store.list("Pod").filter((p) => controllerOf(p)?.uid === rs.metadata.uid && !isTerminating(p));
    const ready = pods.filter(isPodReady).length;
    if (ready !== rs.spec.replicas || pods.length !== rs.spec.replicas) return `${rs.metadata.name}: ${ready} ready of ${pods.length}, wants ${rs.spec.replicas}`;
  }
  return null;
}

describe("Kubernetes properties", () => {
  it("under faults: surge bound and endpoints after every event; ReplicaSets converge within 20 s of the faults stopping", () => {
    assertProperty(
      fc.property(
        simSeed(), rollout,
        faultSchedule<KubeCommand>({
          nodes: HOSTS, horizonUs: HORIZON_US, stepsMax: 10, workload: workload({ scale: false }),
          kinds: ["crash", "restart", "bounce", "partition", "isolate", "cut", "heal", "loss", "delay"],
          bounceMaxUs: 20 * S, healWithinUs: 60 * S, probabilityMax: 0.2, latencyMaxUs: 50_000,
        }),
        (seed, r, schedule) => {
          const c = setup(seed, r);
          const t0 = c.now;
          const liveness: Liveness[] = [{ name: "every ReplicaSet of a working image is ready", boundUs: BOUND_US, reached: () => unconverged(c) === null, explain: () => unconverged(c) ?? "" }];
          const run = runChecked(c.sim, { schedule: schedule.map((s) => ({ at: t0 + s.at, action: s.action })), until: t0 + HORIZON_US, invariants: invariants(c, { availability: false }), liveness });
          slowestUs = Math.max(slowestUs, run.livenessUs["every ReplicaSet of a working image is ready"] ?? 0);
        },
      ),
      { numRuns: RUNS },
    );
    if (process.env["KUBE_PROP_RUNS"]) console.log(`slowest convergence over ${RUNS} runs: ${slowestUs / S} s`);
  }, 3_600_000);

  it("without faults: rollouts, undo, pause keep availability at replicas - maxUnavailable after every event", () => {
    assertProperty(
      fc.property(
        simSeed(), rollout,
        fc.array(fc.record({ at: fc.integer({ min: 0, max: HORIZON_US - 1 }), step: workload({ scale: false }) }), { maxLength: 8 }),
        (seed, r, steps) => {
          const c = setup(seed, r);
          const t0 = c.now;
          const schedule = steps.flatMap(({ at, step }) => step.map(([d, action]) => ({ at: t0 + at + d, action }))).sort((a, b) => a.at - b.at);
          runChecked(c.sim, { schedule, until: t0 + HORIZON_US, invariants: invariants(c, { availability: true }) });
        },
      ),
      { numRuns: RUNS * 2 },
    );
  }, 3_600_000);

  it("with scaling too: invariants after every event; the ReplicaSets converge after the last command", () => {
    assertProperty(
      fc.property(
        simSeed(), rollout,
        fc.array(fc.record({ at: fc.integer({ min: 0, max: HORIZON_US - 1 }), step: workload({ scale: true }) }), { maxLength: 8 }),
        (seed, r, steps) => {
          const c = setup(seed, r);
          const t0 = c.now;
          const schedule = steps.flatMap(({ at, step }) => step.map(([d, action]) => ({ at: t0 + at + d, action }))).sort((a, b) => a.at - b.at);
          const liveness: Liveness[] = [{ name: "every ReplicaSet of a working image is ready", boundUs: BOUND_US, reached: () => unconverged(c) === null, explain: () => unconverged(c) ?? "" }];
          runChecked(c.sim, { schedule, until: t0 + HORIZON_US, invariants: invariants(c, { availability: false }), liveness });
        },
      ),
      { numRuns: RUNS },
    );
  }, 3_600_000);
});
