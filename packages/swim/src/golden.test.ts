// Golden traces (DESIGN.md: "the trace hash pins golden scenarios; a change to it is a decision,
// recorded in the commit message"). A changed hash means the protocol's behaviour changed.
import { describe, expect, it } from "vitest";
import { createSwimCluster } from "./cluster.js";

describe("golden traces", () => {
  it("SWIM: 20 members, a payload at 1 s, m5 crashes at 3 s, run to 30 s", () => {
    const c = createSwimCluster({ size: 20, seed: "golden" });
    c.run("1s");
    c.publish("m1", "svc/web", "10.0.0.5");
    c.run("3s");
    c.crash("m5");
    c.run("30s");
    expect(c.members("m1").find((m) => m.member === "m5")?.status).toBe("dead");
    expect(c.sim.traceHash()).toMatchInlineSnapshot(`"521d2d218812eb3f6ccf5593d640534208ad9f53d138c15181ae8b1aeea9b739"`);
  });

  it("heartbeat baseline: 10 members, m3 crashes at 2 s, run to 15 s", () => {
    const c = createSwimCluster({ size: 10, seed: "golden", protocol: "heartbeat" });
    c.run("2s");
    c.crash("m3");
    c.run("15s");
    expect(c.members("m1").find((m) => m.member === "m3")?.status).toBe("dead");
    expect(c.sim.traceHash()).toMatchInlineSnapshot(`"25e398bdc15d7ca766c6261abcb32bada3ef40b5f8e741d2867d3c706b246f6b"`);
  });
});
