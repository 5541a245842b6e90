// `drydock shell --kubernetes --control-planes N` (issue #15, QA session 5 D4): kubeadm's stacked HA
// at the prompt, the hosts named as kind names an HA cluster's nodes (kind-control-plane,
// kind-control-plane2, kind-control-plane3, then the workers; without the cluster-name prefix).
import { describe, expect, it } from "vitest";
import { createPlayground } from "@drydock/playground";
import { parseShellArgs, RunningLine, shellUsage } from "./shell.js";

describe("drydock shell --control-planes", () => {
  it("names the control-plane hosts as kind does; default 1", () => {
    expect(parseShellArgs(["--kubernetes"])).toMatchObject({ nodes: ["control-plane", "node-1", "node-2"] });
    expect(parseShellArgs(["--kubernetes", "--control-planes", "1"]).controlPlanes).toBeUndefined();
    expect(parseShellArgs(["--kubernetes", "--control-planes", "3"])).toMatchObject({ nodes: ["control-plane", "control-plane2", "control-plane3", "node-1", "node-2"], controlPlanes: 3 });
    expect(parseShellArgs(["--kubernetes", "--control-planes=2", "--nodes", "a,b,c"])).toMatchObject({ nodes: ["a", "b", "c"], controlPlanes: 2 });
    expect(parseShellArgs([]).controlPlanes).toBeUndefined();
    expect(shellUsage()).toMatch(/--control-planes/);
  });

  it("refuses a number that is not one, below 1, more than the hosts, or without --kubernetes", () => {
    expect(() => parseShellArgs(["--kubernetes", "--control-planes", "0"])).toThrow('invalid argument "0" for "--control-planes" flag: want a number of hosts, 1 or more (3 for an etcd quorum that survives one loss)');
    expect(() => parseShellArgs(["--kubernetes", "--control-planes", "two"])).toThrow(/invalid argument "two" for "--control-planes" flag/);
    expect(() => parseShellArgs(["--kubernetes", "--control-planes", "3", "--nodes", "a,b"])).toThrow('invalid argument "3" for "--control-planes" flag: there are only 2 hosts (--nodes a,b)');
    expect(() => parseShellArgs(["--control-planes", "3"])).toThrow('"--control-planes" needs "--kubernetes"');
  });
});

describe("kubectl port-forward at the terminal (QA session 5 D7)", () => {
  it("the line is paced at the wall clock's speed (realTime) at every event, as a sleep is", () => {
    const pg = createPlayground({ seed: 1, kubernetes: { nodes: ["control-plane", "node-1", "node-2"] } });
    pg.exec("kubectl create deployment web --image=nginx:1.27 --port=80", { on: "control-plane" });
    pg.exec("kubectl expose deployment web --port=80", { on: "control-plane" });
    pg.exec("sleep 5", { on: "control-plane" });
    const line = new RunningLine(pg, "control-plane", "date; kubectl port-forward svc/web 8080:80");
    const start = line.now;
    while (line.now < start + 20_000_000) {
      expect(line.realTime, `at ${line.now}`).toBe(true);
      expect(line.step(line.nextEventTime, 1)).toBe(1);
    }
    line.interrupt();
    expect(line.finish().display).toMatch(/^Forwarding from 127\.0\.0\.1:8080 -> 80\n/m);
  });
});
