import { describe, expect, it } from "vitest";
import { LAN_DEFAULTS } from "@drydock/swim";
import { createSwarmCluster, type SwarmCluster } from "../cluster.js";
import { CIPHER_LABEL } from "../store/cipher.js";
import { TaskState } from "../types.js";

const S = 1_000_000;

/** Runs in 100 ms steps until `done` holds (or `maxS` virtual seconds pass); returns the seconds taken. */
function until(c: SwarmCluster, done: () => boolean, maxS = 120): number {
  const t0 = c.now;
  while (!done()) {
    if (c.now - t0 > maxS * S) throw new Error(`not reached within ${maxS} s`);
    c.runFor("100ms");
  }
  return (c.now - t0) / S;
}

describe("creating a swarm (docker swarm init / join)", () => {
  it("init makes a one-manager swarm that leads at once; join tokens look like SwarmKit's", () => {
    const c = createSwarmCluster({ managers: 1, workers: 0, seed: 3 });
    expect(c.leader()).toBe("manager1");
    expect(c.nodes()).toMatchObject([{ hostname: "manager1", status: "Ready", availability: "Active", managerStatus: "Leader" }]);
    expect(c.joinToken("worker")).toMatch(/^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$/);
    expect(c.joinToken("manager")).not.toBe(c.joinToken("worker"));
    expect(c.nodes()[0]!.id).toMatch(/^[0-9a-z]{25}$/);
  });

  it("managers join raft, workers do not; node ls shows Leader and Reachable", () => {
    const c = createSwarmCluster({ managers: 3, workers: 2, seed: 1 });
    const rows = c.nodes();
    expect(rows.map((r) => [r.hostname, r.status, r.managerStatus])).toEqual([
      ["manager1", "Ready", "Leader"], ["manager2", "Ready", "Reachable"], ["manager3", "Ready", "Reachable"],
      ["worker1", "Ready", ""], ["worker2", "Ready", ""],
    ]);
    expect([...c.state.hosts.get("manager1")!.raft!.config].sort()).toEqual(["manager1", "manager2", "manager3"]);
    expect(c.state.hosts.get("worker1")!.raft).toBeNull();
    // Every manager replicates the same store.
    expect(c.store("manager2").nodes.size).toBe(5);
  });

  it("Docker's errors: init twice, join with a bad token, a worker asked for cluster state", () => {
    const c = createSwarmCluster({ managers: 1, workers: 1, seed: 2 });
    expect(() => c.init("manager1")).toThrow('This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.');
    const d = createSwarmCluster({ managers: 1, workers: 1, seed: 2, bootstrap: false });
    d.init();
    expect(() => d.act({ type: "join", host: "worker1", token: "SWMTKN-1-nope", remote: "manager1" }))
      .toThrow("rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster");
    expect(() => c.act({ type: "serviceCreate", host: "worker1", service: { name: "web", image: "nginx" } }))
      .toThrow("This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.");
    expect(() => d.act({ type: "serviceCreate", host: "worker1", service: { name: "web", image: "nginx" } }))
      .toThrow('This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.');
    expect(() => c.leave("manager1")).toThrow("You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.");
  });

  it("a service name is unique (store.ErrNameConflict through controlapi)", () => {
    const c = createSwarmCluster({ managers: 1, workers: 0, seed: 2 });
    c.serviceCreate({ name: "web", image: "nginx" });
    expect(() => c.serviceCreate({ name: "web", image: "nginx" }))
      .toThrow("rpc error: code = AlreadyExists desc = name conflicts with an existing object: service web already exists");
  });
});

describe("services and tasks", () => {
  it("a replicated service's tasks run on the nodes, spread; docker service ls counts them", () => {
    const c = createSwarmCluster({ managers: 1, workers: 3, seed: 5 });
    c.serviceCreate({ name: "web", image: "nginx", replicas: 4 });
    c.runFor("5s");
    expect(c.running("web")).toHaveLength(4);
    expect(c.services()).toMatchObject([{ name: "web", mode: "replicated", replicas: "4/4", image: "nginx" }]);
    const perNode = new Set(c.running("web").map((t) => t.nodeId));
    expect(perNode.size).toBe(4);
    // The agents really run them (the fake executor's containers).
    let containers = 0;
    for (const h of c.state.hosts.values()) containers += (h.exec as { containers: Map<string, unknown> }).containers.size;
    expect(containers).toBe(4);
  });

  it("the task lifecycle in the store: pending, assigned, then what the agent reports, up to running", () => {
    const c = createSwarmCluster({ managers: 1, workers: 1, seed: 5 });
    c.serviceCreate({ name: "web", image: "nginx", constraints: ["node.role==worker"] });
    c.runFor("5s");
    // The leader's trace records each committed state change of a task.
    const states = c.sim.trace.flatMap((r) => {
      const d = (r as { data?: { daemon?: string; data?: { event?: string; service?: string; state?: string } } }).data;
      return r.type === "state" && d?.data?.event === "task" && d.data.service === "web" ? [d.data.state!] : [];
    });
    expect(states[0]).toBe("pending");
    expect(states[1]).toBe("assigned");
    expect(states[states.length - 1]).toBe("running");
    // The agent batches what happens in one instant (accepted, preparing): the dispatcher gets the latest.
    expect(states).toContain("preparing");
    expect(c.running("web")[0]!.status.message).toBe("started");
    expect(c.running("web")[0]!.status.containerId).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a bad image fails, is restarted after the delay, and service ps shows the history", () => {
    const c = createSwarmCluster({ managers: 1, workers: 1, seed: 7 });
    c.serviceCreate({ name: "crash", image: "badimage", constraints: ["node.role==worker"] });
    c.runFor("30s");
    const rows = c.ps("crash");
    expect(rows[0]!.name).toBe("crash.1");
    expect(rows.slice(1).every((r) => r.name === " \\_ crash.1")).toBe(true);
    const failed = rows.filter((r) => r.currentState === "Failed");
    expect(failed.length).toBeGreaterThan(1);
    expect(failed[0]!.error).toBe("task: non-zero exit (1)");
    expect(failed[0]!.desiredState).toBe("Shutdown");
  });

  it("an image that does not exist is rejected", () => {
    const c = createSwarmCluster({ managers: 1, workers: 0, seed: 7 });
    c.serviceCreate({ name: "x", image: "nope" });
    c.runFor("3s");
    const r = c.ps("x").find((row) => row.currentState === "Rejected")!;
    expect(r.error).toBe("No such image: nope:latest");
  });

  it("a task that fits nowhere stays Pending with the scheduler's reason", () => {
    const c = createSwarmCluster({ managers: 1, workers: 2, seed: 7 });
    c.serviceCreate({ name: "x", image: "nginx", constraints: ["node.labels.zone==mars"] });
    c.runFor("3s");
    expect(c.ps("x")[0]).toMatchObject({ currentState: "Pending", error: "no suitable node (scheduling constraints not satisfied on 3 nodes)" });
    c.label("worker2", { zone: "mars" });
    c.runFor("3s");
    expect(c.running("x")[0]!.nodeId).toBe(c.nodes().find((r) => r.hostname === "worker2")!.id);
  });

  it("global: one task per node, and one for a node that joins later", () => {
    const c = createSwarmCluster({ managers: 1, workers: 2, seed: 8, bootstrap: false });
    c.init();
    c.runFor("1s");
    c.join("worker1", "worker");
    c.runFor("5s");
    c.serviceCreate({ name: "mon", image: "node-exporter", mode: "global" });
    c.runFor("5s");
    expect(c.running("mon")).toHaveLength(2);
    c.join("worker2", "worker");
    c.runFor("10s");
    expect(c.running("mon")).toHaveLength(3);
    expect(c.services()[0]).toMatchObject({ mode: "global", replicas: "3/3" });
  });
});

describe("node failure recovery (dispatcher heartbeats, orchestrator restarts)", () => {
  it("a crashed worker is marked down after its heartbeats stop, its tasks rescheduled", () => {
    const c = createSwarmCluster({ managers: 1, workers: 3, seed: 11 });
    c.serviceCreate({ name: "web", image: "nginx", replicas: 3, constraints: ["node.role==worker"] });
    c.runFor("5s");
    const victim = c.hostOf(c.running("web")[0]!.nodeId)!;
    c.crash(victim);
    const down = until(c, () => c.nodes().find((r) => r.hostname === victim)!.status === "Down");
    // dispatcher.go: down once period × 3 passes without a heartbeat (period 5 s ± 0.5 s); the
    // last heartbeat came at most one period before the crash.
    expect(down).toBeGreaterThanOrEqual(9);
    expect(down).toBeLessThanOrEqual(16.6);
    expect(c.nodes().find((r) => r.hostname === victim)).toMatchObject({ status: "Down" });
    const back = until(c, () => c.running("web").length === 3);
    // Replacements start after the restart delay (5 s) and the image start (fake: pull 1 s, start 0.5 s).
    expect(back).toBeGreaterThan(5);
    expect(back).toBeLessThan(9);
    expect(c.running("web").some((t) => c.hostOf(t.nodeId) === victim)).toBe(false);
  });

  it("a drained node's tasks move off; a paused node keeps its tasks but gets no new ones", () => {
    const c = createSwarmCluster({ managers: 1, workers: 2, seed: 12 });
    c.serviceCreate({ name: "web", image: "nginx", replicas: 4 });
    c.runFor("5s");
    c.availability("worker1", "drain");
    c.runFor("5s");
    const w1 = c.nodes().find((r) => r.hostname === "worker1")!;
    expect(w1.availability).toBe("Drain");
    expect(c.running("web").some((t) => t.nodeId === w1.id)).toBe(false);
    expect(c.running("web")).toHaveLength(4);
  });

  it("losing quorum freezes changes with Docker's error; running tasks keep running; a restarted majority recovers", () => {
    const c = createSwarmCluster({ managers: 3, workers: 1, seed: 13 });
    c.serviceCreate({ name: "web", image: "nginx", replicas: 2, constraints: ["node.role==worker"] });
    c.runFor("5s");
    const leader = c.leader()!;
    const others = c.managers.filter((m) => m !== leader);
    for (const m of others) c.crash(m);
    c.runFor("25s"); // CheckQuorum: the leader steps down within an election timeout
    expect(c.leader()).toBeNull();
    expect(() => c.serviceCreate({ name: "db", image: "redis" }, leader))
      .toThrow("rpc error: code = Unknown desc = The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.");
    const worker = c.state.hosts.get("worker1")!;
    expect(worker.agent!.tasks.size).toBe(2); // the worker still runs its tasks
    c.restart(others[0]!);
    until(c, () => c.leader() !== null, 60);
    c.serviceCreate({ name: "db", image: "redis", constraints: ["node.role==worker"] });
    until(c, () => c.running("db").length === 1, 30);
  });

  it("the leader crashes: another manager is elected and takes over (nodes go unknown, then ready)", () => {
    const c = createSwarmCluster({ managers: 3, workers: 2, seed: 14 });
    c.serviceCreate({ name: "web", image: "nginx", replicas: 3, constraints: ["node.role==worker"] });
    c.runFor("5s");
    const old = c.leader()!;
    c.crash(old);
    const elected = until(c, () => c.leader() !== null, 60);
    // SwarmKit's raft: election timeout 10-20 ticks of 1 s (CheckQuorum makes followers wait out the lease).
    expect(elected).toBeGreaterThan(9);
    expect(elected).toBeLessThan(41);
    until(c, () => c.nodes().filter((r) => r.hostname.startsWith("worker")).every((r) => r.status === "Ready"), 30);
    expect(c.nodes().find((r) => r.hostname === old)!.managerStatus).toBe("Unreachable");
    c.serviceUpdate("web", { image: "nginx:2" });
    until(c, () => c.running("web").filter((t) => t.spec.container.image === "nginx:2").length === 3, 60);
  });
});

describe("rolling updates through the daemon", () => {
  it("stop-first update completes, service inspect's UpdateStatus says so; rollback brings the old image back", () => {
    const c = createSwarmCluster({ managers: 1, workers: 2, seed: 21 });
    c.serviceCreate({ name: "web", image: "nginx:1", replicas: 3 });
    c.runFor("5s");
    c.serviceUpdate("web", { image: "nginx:2" });
    c.runFor("1s");
    expect(c.service("web")!.updateStatus).toMatchObject({ state: "updating", message: "update in progress" });
    until(c, () => c.service("web")!.updateStatus?.state === "completed", 60);
    expect(c.running("web").map((t) => t.spec.container.image)).toEqual(["nginx:2", "nginx:2", "nginx:2"]);
    c.rollback("web");
    until(c, () => c.service("web")!.updateStatus?.state === "rollback_completed", 60);
    expect(c.service("web")!.updateStatus!.message).toBe("rollback completed");
    expect(c.running("web").map((t) => t.spec.container.image)).toEqual(["nginx:1", "nginx:1", "nginx:1"]);
  });

  it("a bad image pauses the update with SwarmKit's message", () => {
    const c = createSwarmCluster({ managers: 1, workers: 2, seed: 22 });
    c.serviceCreate({ name: "web", image: "nginx:1", replicas: 3 });
    c.runFor("5s");
    c.serviceUpdate("web", { image: "badimage:2" });
    until(c, () => c.service("web")!.updateStatus?.state === "paused", 60);
    expect(c.service("web")!.updateStatus!.message).toMatch(/^update paused due to failure or early termination of task [0-9a-z]{25}$/);
  });

  it("--update-failure-action rollback rolls back automatically", () => {
    const c = createSwarmCluster({ managers: 1, workers: 2, seed: 23 });
    c.serviceCreate({ name: "web", image: "nginx:1", replicas: 3, update: { failureAction: "rollback" } });
    c.runFor("5s");
    c.serviceUpdate("web", { image: "badimage:2" });
    until(c, () => c.service("web")!.updateStatus?.state === "rollback_completed", 120);
    expect(c.service("web")!.spec.task.container.image).toBe("nginx:1");
  });
});

describe("secrets", () => {
  it("the store holds ciphertext; only nodes running a task granted the secret receive it, mounted at /run/secrets", () => {
    const c = createSwarmCluster({ managers: 1, workers: 3, seed: 31 });
    c.secretCreate("db_pass", "hunter2");
    c.runFor("1s");
    const stored = [...c.store().secrets.values()][0]!;
    expect(stored.data.startsWith(`${CIPHER_LABEL}:`)).toBe(true);
    expect(stored.data).not.toContain("hunter2");
    c.serviceCreate({ name: "db", image: "postgres", secrets: ["db_pass"], constraints: ["node.hostname==worker2"] });
    c.runFor("5s");
    for (const [name, h] of c.state.hosts) {
      const has = [...(h.agent?.secrets.values() ?? [])].some((s) => s.name === "db_pass");
      expect([name, has]).toEqual([name, name === "worker2"]);
    }
    const worker2 = c.state.hosts.get("worker2")!;
    const mounts = [...(worker2.exec as { containers: Map<string, { secrets: Map<string, string> }> }).containers.values()][0]!.secrets;
    expect([...mounts]).toEqual([["/run/secrets/db_pass", "db_pass"]]);
    expect(() => c.secretRm("db_pass")).toThrow("rpc error: code = InvalidArgument desc = secret 'db_pass' is in use by the following service: db");
    expect([...worker2.agent!.secrets.keys()]).toEqual([stored.id]);
    c.serviceRm("db");
    c.runFor("5s");
    // The task is gone from the node's assignments: so is its secret (agent and container).
    expect(c.state.hosts.get("worker2")!.agent!.secrets.size).toBe(0);
    expect(c.state.hosts.get("worker2")!.agent!.tasks.size).toBe(0);
    c.secretRm("db_pass");
    c.runFor("1s");
    expect(c.store().secrets.size).toBe(0);
  });

  it("a service naming a secret that does not exist is refused", () => {
    const c = createSwarmCluster({ managers: 1, workers: 0, seed: 32 });
    expect(() => c.serviceCreate({ name: "db", image: "postgres", secrets: ["nope"] })).toThrow("rpc error: code = InvalidArgument desc = secret not found: nope");
  });
});

describe("docker swarm update and autolock (moby daemon/cluster, swarmkit manager/encryption)", () => {
  it("autolock: a restarted manager is locked, serves nothing, and starts once given the key; workers are not locked", () => {
    const c = createSwarmCluster({ managers: 3, workers: 1, seed: 38 });
    until(c, () => c.nodes().every((r) => r.status === "Ready"), 60);
    c.swarmUpdate({ autolock: true });
    c.runFor("2s");
    const key = c.store().cluster!.unlockKey!;
    // encryption.HumanReadableKey: SWMKEY-1- and 32 bytes of unpadded base64.
    expect(key).toMatch(/^SWMKEY-1-[A-Za-z0-9+/]{43}$/);
    c.crash("manager3");
    c.crash("worker1");
    c.runFor("1s");
    c.restart("manager3");
    c.restart("worker1");
    c.runFor("30s");
    const m3 = c.state.hosts.get("manager3")!;
    expect(m3.locked).toBe(true);
    expect(c.state.hosts.get("worker1")!.locked).toBeFalsy();
    expect(() => c.serviceCreate({ name: "web", image: "nginx" }, "manager3")).toThrow('Swarm is encrypted and needs to be unlocked before it can be used. Please use "docker swarm unlock" to unlock it.');
    // The others see it down: its raft does not run, its node misses its heartbeats.
    expect(c.nodes().find((r) => r.hostname === "manager3")!.managerStatus).toBe("Unreachable");
    expect(() => c.unlock("manager3", "SWMKEY-1-nope")).toThrow("swarm could not be unlocked: invalid key provided");
    expect(() => c.unlock("manager3", "nope")).toThrow("invalid key format");
    expect(() => c.unlock("manager1", key)).toThrow("swarm is not locked");
    c.unlock("manager3", key);
    until(c, () => c.nodes().find((r) => r.hostname === "manager3")!.managerStatus === "Reachable", 60);
    expect(c.state.hosts.get("manager3")!.locked).toBe(false);
  });

  it("update changes only what is given; turning autolock off drops the key; a rotated key replaces the old one", () => {
    const c = createSwarmCluster({ managers: 1, workers: 0, seed: 39 });
    c.swarmUpdate({ taskHistoryLimit: 2, heartbeatPeriodUs: 10 * S, nodeCertExpiryUs: 48 * 3600 * S });
    c.runFor("1s");
    expect(c.store().cluster!.spec).toMatchObject({ taskHistoryRetentionLimit: 2, heartbeatPeriodUs: 10 * S, nodeCertExpiryUs: 48 * 3600 * S, autoLockManagers: false });
    expect(() => c.swarmUpdate({ nodeCertExpiryUs: 60 * S })).toThrow("rpc error: code = InvalidArgument desc = minimum certificate expiry time is: 1h0m0s");
    c.swarmUpdate({ autolock: true });
    c.runFor("1s");
    const first = c.store().cluster!.unlockKey!;
    c.swarmUpdate({ rotateUnlockKey: true });
    c.runFor("1s");
    const second = c.store().cluster!.unlockKey!;
    expect(second).not.toBe(first);
    expect(c.state.hosts.get("manager1")!.member!.unlockKey).toBe(second);
    c.swarmUpdate({ autolock: false });
    c.runFor("1s");
    expect(c.store().cluster!.unlockKey).toBe("");
    c.crash("manager1");
    c.restart("manager1");
    c.runFor("30s");
    expect(c.state.hosts.get("manager1")!.locked).toBeFalsy();
    expect(c.leader()).toBe("manager1");
  });
});

describe("certificates as data (swarmkit ca/)", () => {
  it("every node holds a certificate of the root CA: CN node ID, OU its role, O the cluster; renewed before it expires", () => {
    const c = createSwarmCluster({ managers: 1, workers: 2, seed: 40 });
    until(c, () => c.nodes().every((r) => r.status === "Ready"), 60);
    c.runFor("1s");
    const store = c.store();
    const root = store.cluster!.rootCA.cert!;
    expect(root.subject).toBe("CN=swarm-ca");
    expect(root.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE-----\n$/);
    // ca/certificates.go RootCAExpiration: 20 years.
    expect(root.notAfter - root.notBefore).toBe(630_720_000 * S);
    for (const n of store.nodes.values()) {
      const cert = n.certificate!;
      expect([cert.cn, cert.ou, cert.o, cert.issuer]).toEqual([n.id, n.role === "manager" ? "swarm-manager" : "swarm-worker", store.cluster!.id, root.serial]);
      // DefaultNodeCertExpiration 90 days; renewal 50-80% into it (calculateRandomExpiry).
      expect(cert.notAfter - cert.notBefore).toBe(90 * 24 * 3600 * S);
      expect((cert.renewAt - cert.notBefore) / (cert.notAfter - cert.notBefore)).toBeGreaterThanOrEqual(0.5);
      expect((cert.renewAt - cert.notBefore) / (cert.notAfter - cert.notBefore)).toBeLessThan(0.8);
    }
    // --cert-expiry applies to certificates issued from then on (a certificate keeps its validity).
    c.swarmUpdate({ nodeCertExpiryUs: 2 * 3600 * S });
    c.runFor("1s");
    expect(c.store().nodes.get(c.nodes().find((r) => r.hostname === "worker2")!.id)!.certificate!.notAfter - c.now).toBeGreaterThan(80 * 24 * 3600 * S);
    // A promoted worker's certificate is reissued with OU swarm-manager, for 2 hours.
    c.promote("worker1");
    until(c, () => c.certificates().find((r) => r.hostname === "worker1")!.subject.includes("OU=swarm-manager"), 30);
    const promoted = c.certificates().find((r) => r.hostname === "worker1")!;
    expect(promoted.notAfter - c.now).toBeLessThanOrEqual(2 * 3600 * S);
    // It is renewed 60-96 minutes in, before it expires.
    c.runFor("100m");
    const after = c.certificates().find((r) => r.hostname === "worker1")!;
    expect(after.serial).not.toBe(promoted.serial);
    expect(after.notAfter).toBeGreaterThan(c.now);
  });

  it("a root rotation reissues every node's certificate from the new root, then the nodes trust it", () => {
    const c = createSwarmCluster({ managers: 1, workers: 2, seed: 41 });
    until(c, () => c.nodes().every((r) => r.status === "Ready"), 60);
    c.runFor("1s");
    const old = c.store().cluster!.rootCA.cert!;
    c.swarmUpdate({ rotateCA: true });
    c.runFor("2s");
    const cluster = c.store().cluster!;
    expect(cluster.rootCA.cert!.serial).not.toBe(old.serial);
    expect(cluster.rootCA.rotation).toBeNull();
    expect(cluster.spec.caForceRotate).toBe(1);
    expect(c.certificates().every((r) => r.issuerIsRoot && r.trustRoot === cluster.rootCA.cert!.serial)).toBe(true);
  });
});

describe("jobs (swarmkit manager/orchestrator/jobs)", () => {
  it("a replicated job runs its total completions, at most max-concurrent at once, and restarts nothing that completed", () => {
    const c = createSwarmCluster({ managers: 1, workers: 2, seed: 35 });
    c.serviceCreate({ name: "batch", image: "jobrunner", mode: "replicated-job", replicas: 5, maxConcurrent: 2 });
    let most = 0;
    until(c, () => {
      most = Math.max(most, [...c.store().tasks.values()].filter((t) => t.serviceName === "batch" && t.status.state === TaskState.RUNNING).length);
      return c.services().find((r) => r.name === "batch")!.replicas === "0/0 (5/5 completed)";
    }, 120);
    expect(most).toBe(2);
    const tasks = [...c.store().tasks.values()].filter((t) => t.serviceName === "batch");
    // reconciler.go: one task per slot 0..TotalCompletions-1, desired and ended COMPLETE.
    expect(tasks.map((t) => t.slot).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(tasks.every((t) => t.desiredState === TaskState.COMPLETE && t.status.state === TaskState.COMPLETE)).toBe(true);
    // formatter/service.go Mode: "replicated job".
    expect(c.services().find((r) => r.name === "batch")!.mode).toBe("replicated job");
    c.runFor("30s");
    expect([...c.store().tasks.values()].filter((t) => t.serviceName === "batch").length).toBe(5);
  });

  it("a failing job task is restarted on failure (the jobs' default condition); a global job runs once per node", () => {
    const c = createSwarmCluster({ managers: 1, workers: 2, seed: 36 });
    c.serviceCreate({ name: "flaky", image: "badjob", mode: "replicated-job", replicas: 1, restartMaxAttempts: 2 });
    c.serviceCreate({ name: "setup", image: "jobsetup", mode: "global-job" });
    until(c, () => c.services().find((r) => r.name === "setup")!.replicas === "0/0 (3/3 completed)", 60);
    expect(c.services().find((r) => r.name === "setup")!.mode).toBe("global job");
    until(c, () => [...c.store().tasks.values()].filter((t) => t.serviceName === "flaky").length === 3, 120);
    c.runFor("60s");
    const flaky = [...c.store().tasks.values()].filter((t) => t.serviceName === "flaky");
    // MaxAttempts 2: the first try and two restarts, all failed; the job stays at 0 completed.
    expect(flaky.length).toBe(3);
    expect(flaky.every((t) => t.status.state === TaskState.FAILED)).toBe(true);
    expect(c.services().find((r) => r.name === "flaky")!.replicas).toBe("0/0 (0/1 completed)");
  });

  it("scale sets a replicated job's total completions; a global service still cannot be scaled", () => {
    const c = createSwarmCluster({ managers: 1, workers: 1, seed: 37 });
    c.serviceCreate({ name: "batch", image: "jobrunner", mode: "replicated-job", replicas: 1 });
    until(c, () => c.services().find((r) => r.name === "batch")!.replicas === "0/0 (1/1 completed)", 60);
    c.scale("batch", 3);
    // A spec change is a new job iteration: three more completions.
    until(c, () => c.services().find((r) => r.name === "batch")!.replicas === "0/0 (3/3 completed)", 60);
  });
});

describe("configs (swarmkit controlapi/config.go; configs are not encrypted)", () => {
  it("the store keeps a config plain; only nodes running a task that references it receive it", () => {
    const c = createSwarmCluster({ managers: 1, workers: 2, seed: 33 });
    c.configCreate("nginx_conf", "server { listen 80; }");
    c.runFor("1s");
    const stored = [...c.store().configs.values()][0]!;
    expect(stored.data).toBe("server { listen 80; }");
    c.serviceCreate({ name: "web", image: "nginx", configs: [{ source: "nginx_conf", target: "/etc/nginx/conf.d/site.conf" }], constraints: ["node.hostname==worker1"] });
    c.runFor("5s");
    const svc = c.service("web")!;
    expect(svc.spec.task.configs).toEqual([{ configId: stored.id, configName: "nginx_conf", target: "/etc/nginx/conf.d/site.conf", uid: "0", gid: "0", mode: 0o444 }]);
    for (const [name, h] of c.state.hosts) expect([name, h.agent?.configs?.has(stored.id) ?? false]).toEqual([name, name === "worker1"]);
    expect(() => c.configRm("nginx_conf")).toThrow("rpc error: code = InvalidArgument desc = config 'nginx_conf' is in use by the following service: web");
    c.serviceRm("web");
    c.runFor("5s");
    expect(c.state.hosts.get("worker1")!.agent!.configs!.size).toBe(0);
    c.configRm("nginx_conf");
    c.runFor("1s");
    expect(c.store().configs.size).toBe(0);
  });

  it("refuses what controlapi refuses, with its texts", () => {
    const c = createSwarmCluster({ managers: 1, workers: 0, seed: 34 });
    expect(() => c.configCreate("empty", "")).toThrow("rpc error: code = InvalidArgument desc = config data must be larger than 0 and less than 1024000 bytes");
    c.configCreate("a", "x");
    c.runFor("1s");
    expect(() => c.configCreate("a", "y")).toThrow("rpc error: code = AlreadyExists desc = config a already exists");
    expect(() => c.configRm("nope")).toThrow("config nope not found");
    expect(() => c.serviceCreate({ name: "w", image: "nginx", configs: ["nope", "nope2"] })).toThrow("rpc error: code = InvalidArgument desc = configs not found: nope, nope2");
    expect(() => c.serviceCreate({ name: "w", image: "nginx", configs: ["a", { source: "a" }] })).toThrow("config references 'a' and 'a' have a conflicting target: 'a'");
  });
});

describe("roles", () => {
  it("promote makes a worker a raft member; demote takes it out", () => {
    const c = createSwarmCluster({ managers: 1, workers: 2, seed: 41 });
    c.promote("worker1");
    until(c, () => c.state.hosts.get("manager1")!.raft!.config.includes("worker1"), 30);
    until(c, () => c.nodes().find((r) => r.hostname === "worker1")!.managerStatus === "Reachable", 30);
    expect(c.state.hosts.get("worker1")!.raft).not.toBeNull();
    c.demote("worker1");
    until(c, () => !c.state.hosts.get("manager1")!.raft!.config.includes("worker1") && c.state.hosts.get("worker1")!.raft === null, 30);
    expect(c.nodes().find((r) => r.hostname === "worker1")!.managerStatus).toBe("");
    expect(() => c.demote("manager1")).toThrow("rpc error: code = FailedPrecondition desc = attempting to demote the last manager of the swarm");
  });
});

describe("the gossip control plane (networkdb over SWIM)", () => {
  it("every node learns every task's endpoint from the gossip, and forgets a stopped one", () => {
    const c = createSwarmCluster({ managers: 1, workers: 3, seed: 51 });
    c.networkCreate("backend");
    c.serviceCreate({ name: "api", image: "node", replicas: 3, networks: ["backend"] });
    c.runFor("10s");
    for (const h of ["manager1", "worker1", "worker2", "worker3"]) {
      expect(c.endpoints(h).map((e) => e.task)).toEqual(["api.1", "api.2", "api.3"]);
    }
    const e = c.endpoints("worker1")[0]!;
    expect(e.ip).toMatch(/^10\.0\.1\.\d+$/);
    expect(e.vip).toBe("10.0.1.2");
    c.scale("api", 2);
    c.runFor("10s");
    expect(c.endpoints("worker3").map((x) => x.task)).toEqual(["api.1", "api.2"]);
  });
});

describe("the endpoint table follows SWIM's membership (networkdb nodemgmt.go)", () => {
  const tasksOn = (c: SwarmCluster, h: string) => c.endpoints(h).map((e) => `${e.task}@${e.node}`);
  const crashed = () => {
    const c = createSwarmCluster({ managers: 1, workers: 3, seed: 52 });
    c.networkCreate("backend");
    c.serviceCreate({ name: "api", image: "node", replicas: 3, networks: ["backend"] });
    c.runFor("10s");
    const victim = c.endpoints("manager1").find((e) => e.node !== "manager1")!.node;
    c.crash(victim);
    return { c, victim };
  };

  it("a crashed node's entries stay until SWIM declares it dead, then leave every table (NotifyLeave: node failed)", () => {
    const { c, victim } = crashed();
    c.runFor("500ms");
    expect(c.endpoints("manager1").some((e) => e.node === victim)).toBe(true);
    // memberlist LAN: a failed probe within 1 s rounds, suspicion 4-24 s (suspicionMult 4, max ×6) before "dead".
    c.runFor("30s");
    for (const h of ["manager1", "worker1", "worker2", "worker3"].filter((x) => x !== victim)) {
      expect(c.endpoints(h).some((e) => e.node === victim)).toBe(false);
    }
  });

  it("a node back from a crash withdraws what it published before (its containers died with it)", () => {
    const { c, victim } = crashed();
    c.runFor("2s");
    c.restart(victim);
    c.runFor("10s");
    for (const h of ["manager1", "worker1", "worker2", "worker3"]) {
      const names = tasksOn(c, h);
      expect(names.filter((n) => n.endsWith(`@${victim}`)).every((n) => c.running("api").some((t) => n.startsWith(`api.${t.slot}@`)))).toBe(true);
      expect(new Set(c.endpoints(h).map((e) => e.task)).size).toBe(c.endpoints(h).length);
    }
  });

  it("a partitioned node keeps its stale view until the partition heals", () => {
    const c = createSwarmCluster({ managers: 1, workers: 3, seed: 53 });
    c.networkCreate("backend");
    c.serviceCreate({ name: "api", image: "node", replicas: 2, networks: ["backend"], constraints: ["node.hostname!=worker3"] });
    c.runFor("10s");
    c.partition([["manager1", "worker1", "worker2"], ["worker3"]]);
    c.runFor("1s");
    c.scale("api", 3);
    c.runFor("10s");
    expect(tasksOn(c, "manager1")).toHaveLength(3);
    // The gossip cannot reach it: the new task is not in its table (and the others' entries go
    // once it believes them dead), until the partition heals.
    expect(tasksOn(c, "worker3").some((n) => n.startsWith("api.3@"))).toBe(false);
    c.heal();
    c.runFor("40s");
    expect(tasksOn(c, "worker3")).toEqual(tasksOn(c, "manager1"));
  });
});

describe("regressions found by the properties (seeds pinned)", () => {
  function property(seed: string): SwarmCluster {
    // The schedules were found with plain memberlist's gossip (no networkdb reconnect timer, whose
    // draws move the later ones): pinned to it so the fault times still hit the same moments.
    const c = createSwarmCluster({ managers: 3, workers: 3, seed, records: false, gossip: LAN_DEFAULTS });
    c.secretCreate("db_pass", "hunter2");
    c.runFor("1s");
    c.serviceCreate({ name: "web", image: "nginx:1.1", replicas: 3, update: { order: "start-first", parallelism: 2 } });
    c.serviceCreate({ name: "db", image: "postgres", replicas: 2, secrets: ["db_pass"], constraints: ["node.role==worker"] });
    c.serviceCreate({ name: "mon", image: "exporter:1", mode: "global" });
    c.runFor("10s");
    return c;
  }
  const slots = (c: SwarmCluster) => new Set(c.running("web").map((t) => t.slot)).size;

  it("an Assignments message dropped by a partition is sent again (the heartbeat says which version the agent has)", () => {
    const c = property("seed-0");
    c.scale("web", 6, "manager1");
    c.run(58_170_098);
    c.partition([["manager1", "manager2", "manager3"], ["worker1", "worker2", "worker3"]]);
    c.run(72_180_249);
    c.partition([["manager1", "manager3", "worker1", "worker2", "worker3"], ["manager2"]]);
    c.run(75_830_093);
    c.heal();
    until(c, () => slots(c) === 6, 150);
  });

  it("a start-first worker shuts down only the tasks its slot had when the update began, not the restart supervisor's replacement", () => {
    const c = property("seed-0");
    c.run(33_325_612);
    c.serviceUpdate("web", { image: "nginx:1.2" }, "manager1");
    c.run(34_877_230);
    c.partition([["manager1", "manager2", "manager3", "worker2", "worker3"], ["worker1"]]);
    c.run(40_382_997);
    c.heal();
    until(c, () => slots(c) === 3 && c.service("web")!.updateStatus?.state === "paused", 150);
  });
});

describe("determinism", () => {
  it("same seed and commands, same trace; the session replays", () => {
    const run = () => {
      const c = createSwarmCluster({ managers: 3, workers: 2, seed: 99 });
      c.serviceCreate({ name: "web", image: "nginx", replicas: 3 });
      c.runFor("10s");
      c.crash("worker1");
      c.runFor("30s");
      return c;
    };
    const a = run();
    const b = run();
    expect(a.sim.traceHash()).toBe(b.sim.traceHash());
    expect(a.running("web")).toHaveLength(3);
  });

  it("seeking back gives the state a fresh run had then", () => {
    const c = createSwarmCluster({ managers: 1, workers: 2, seed: 98 });
    c.serviceCreate({ name: "web", image: "nginx", replicas: 2 });
    c.runFor("20s");
    const t = c.now;
    const hash = c.sim.stateHash();
    c.runFor("1s");
    c.crash("worker1");
    c.runFor("20s");
    c.sim.seek(t);
    expect(c.sim.stateHash()).toBe(hash);
    expect(TaskState.RUNNING).toBe(512);
  });
});
