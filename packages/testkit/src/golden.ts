import { createSimulation, pinger, PINGER_NODES } from "@drydock/kernel";
import { createKubeCluster } from "@drydock/kube";
import { createRaftCluster } from "@drydock/raft";
import { createSwimCluster } from "@drydock/swim";

// The golden scenarios of the kernel, Raft, SWIM and Kubernetes' control plane, defined once so that the same runs can be
// made in Node and in a browser (apps/visualiser/tests/golden.browser.test.ts): the same seed
// and actions must give the same trace hash in every JavaScript engine. Each package's own test
// pins the hash; `GOLDEN_HASHES` repeats the pins, and testkit's test checks they agree.

export interface GoldenRun {
  readonly traceHash: string;
  readonly events: number;
}

export const GOLDEN_SCENARIOS: Readonly<Record<string, () => GoldenRun>> = {
  /** packages/kernel/src/simulation.test.ts: the pinger, a partition at 2 s healed at 3 s. */
  "kernel pinger": () => {
    const sim = createSimulation({ seed: "golden", nodes: PINGER_NODES, model: pinger, network: { latency: ["1ms", "10ms"] } });
    sim.runUntil("2s");
    sim.act({ type: "partition", groups: [["n1", "n2"]] });
    sim.runUntil("3s");
    sim.act({ type: "heal" });
    sim.runUntil("4s");
    return { traceHash: sim.traceHash(), events: sim.eventCount };
  },
  /** packages/raft/src/cluster/scenarios.test.ts: PreVote, CheckQuorum, fast backtracking, compaction; a crash and a partition. */
  "raft": () => {
    const c = createRaftCluster({ seed: "golden", preVote: true, checkQuorum: true, fastBacktrack: true, snapshotCount: 4 });
    c.run("1s");
    for (let i = 0; i < 6; i++) { c.propose(`v${i}`); c.runFor("30ms"); }
    const l = c.leader()!;
    c.crash(l);
    c.runFor("1s");
    c.partition([["s1", "s2"], ["s3", "s4", "s5"]]);
    c.propose("after");
    c.runFor("500ms");
    c.heal();
    c.restart(l);
    c.runFor("1s");
    return { traceHash: c.traceHash(), events: c.sim.eventCount };
  },
  /** packages/swim/src/golden.test.ts: 20 members, a payload at 1 s, m5 crashes at 3 s, run to 30 s. */
  "swim": () => {
    const c = createSwimCluster({ size: 20, seed: "golden" });
    c.run("1s");
    c.publish("m1", "svc/web", "10.0.0.5");
    c.run("3s");
    c.crash("m5");
    c.run("30s");
    return { traceHash: c.sim.traceHash(), events: c.sim.eventCount };
  },
  /** packages/swim/src/golden.test.ts: the heartbeat baseline, 10 members, m3 crashes at 2 s, run to 15 s. */
  "heartbeat": () => {
    const c = createSwimCluster({ size: 10, seed: "golden", protocol: "heartbeat" });
    c.run("2s");
    c.crash("m3");
    c.run("15s");
    return { traceHash: c.sim.traceHash(), events: c.sim.eventCount };
  },
  /** packages/kube/src/cluster/cluster.test.ts: the course's Deployment, a rolling update to nginx:1.9.1, node-1 crashes. */
  "kube": () => {
    const c = createKubeCluster({ seed: 1 });
    c.applyYaml(KUBE_MANIFEST, "nginx.yaml");
    c.runFor("10s");
    c.setImage("nginx-deployment", "nginx", "nginx:1.9.1");
    c.runFor("20s");
    c.crash("node-1");
    c.runFor("60s");
    return { traceHash: c.sim.traceHash(), events: c.sim.eventCount };
  },
};

/** The course's manifests (the Kubernetes module's label selectors slide), as kube's golden test applies them. */
const KUBE_MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
        - name: nginx
          image: nginx:1.7.9
---
apiVersion: v1
kind: Service
metadata:
  name: my-service
spec:
  selector:
    app: nginx
  ports:
    - port: 8000
      targetPort: 80
`;

/** The pins of each package's golden test. */
export const GOLDEN_HASHES: Readonly<Record<string, string>> = {
  "kernel pinger": "7d094c4bd1f0e85cb5f27a26a69b1190cd1f83e5fd0a8e0d522e3daaa0c8595c",
  "raft": "9604711708d232d8ab464e09af9d4a1339792cb5b69b77e20ec63555ed3a5d8f",
  "swim": "521d2d218812eb3f6ccf5593d640534208ad9f53d138c15181ae8b1aeea9b739",
  "heartbeat": "25e398bdc15d7ca766c6261abcb32bada3ef40b5f8e741d2867d3c706b246f6b",
  "kube": "5b9abd95a2bcf7fba5f4076b9f1100b279d2589461058e611f48d2e15dc91cdf",
};
