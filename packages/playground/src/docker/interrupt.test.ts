import { describe, expect, it } from "vitest";
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
