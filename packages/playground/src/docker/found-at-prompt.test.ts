import { describe, expect, it } from "vitest";
// Defects found by using drydock as a learner does (the terminal, the labs), pinned.
import { createPlayground } from "../index.js";

// A terminal interrupts at the instant of the last event it stepped, which is usually the
// instant a container printed a line. Found at `drydock shell`: ping's statistics were lost
// after Ctrl-C, and its last reply vanished from `docker logs`.
describe("Ctrl-C at the instant a container printed", () => {
  const run = () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker pull alpine");
    pg.begin("docker run --name pinger alpine ping 8.8.8.8");
    const t0 = pg.now;
    while (pg.sim.nextEventTime <= t0 + 3_000_000) pg.sim.step();
    pg.interrupt();
    while (pg.busy()) pg.sim.step();
    return pg;
  };

  it("the terminal shows the last reply once, ^C, then ping's statistics (BusyBox ping's SIGINT handler)", () => {
    const shown = run().output();
    expect(shown.match(/seq=2 /g)).toHaveLength(1);
    expect(shown).toMatch(/seq=2 ttl=118 time=[\d.]+ ms\n\^C\n--- 8\.8\.8\.8 ping statistics ---\n3 packets transmitted, 3 packets received, 0% packet loss\nround-trip min\/avg\/max = /);
  });

  it("docker logs keeps the reply printed at the instant of the signal, before the statistics", () => {
    const logs = run().exec("docker logs pinger").stdout;
    expect(logs).toMatch(/seq=2 ttl=118 time=[\d.]+ ms\n\n--- 8\.8\.8\.8 ping statistics ---\n3 packets transmitted, 3 packets received/);
  });
});

// Found by the labs: `docker exec db env` said drydock does not simulate env.
describe("env run directly in a container (no shell)", () => {
  it("prints the container's environment, with HOME added as the runtime adds it", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker run -d --name web -e FOO=bar nginx");
    expect(pg.exec("docker exec web env").stdout).toMatch(/^PATH=\/usr\/local\/sbin:[^\n]*\nHOSTNAME=[0-9a-f]{12}\n(?:.*\n)*FOO=bar\nHOME=\/root\n$/);
    expect(pg.exec("docker run --rm -e A=1 alpine env").stdout).toMatch(/\nA=1\nHOME=\/root\n$/);
  });
});

// Found by the routing-mesh work: scaling to 0 waited 24 virtual hours (docker/cli's replicated
// progress updater converges when running == replicas, 0 included).
describe("docker service scale web=0", () => {
  it("converges at once, as docker/cli prints it", () => {
    const pg = createPlayground({ seed: 1, nodes: ["node1", "node2"] });
    pg.exec("docker swarm init");
    pg.exec("docker service create --replicas 2 --name web nginx");
    const r = pg.exec("docker service scale web=0");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("web scaled to 0\noverall progress: 0 out of 0 tasks \nverify: Service converged \n");
  });
});
