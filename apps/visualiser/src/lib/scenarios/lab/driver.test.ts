// The lab scene through the app: a link names a lab and its step and reopens there; a learner's
// line at the terminal is judged by the lab (a wrong one leaves it waiting); "do it for me" runs
// the step as written; going back to a step restores the world there (LabSession.restartStep).
import { describe, expect, it } from "vitest";
import { AppState } from "../../state.svelte.js";
import { SCENARIOS } from "../../scenarios.js";
import { parseLink } from "../../url.js";
import type { LabViewModel } from "./model.js";
import { pauseHolds } from "@drydock/labs";

const open = (search: string): AppState => new AppState(SCENARIOS, search);
const view = (app: AppState): LabViewModel => app.frame.view as LabViewModel;
// port-mapping is a network lab: the bridge view draws its containers with their published ports.
const containers = (app: AppState): string[] => view(app).bridge!.networks.flatMap((n) => n.attachments.map((a) => `${a.container} ${a.ports.join(" ")}`));

describe("the lab scene", () => {
  it("?lab=<slug> alone opens the lab scene at step 1; step=N opens it with the steps before done", () => {
    expect(parseLink("?lab=port-mapping", SCENARIOS, SCENARIOS[0]!)).toMatchObject({ ok: true, link: { scenario: "lab", options: { lab: "port-mapping", step: 1 } } });
    const app = open("?lab=port-mapping&step=2");
    expect(app.linkError).toBeNull();
    expect(view(app).controller.current).toBe(1);
    expect(containers(app)).toEqual(["web 5000→80/tcp"]);
    // The step-1 line is on the terminal's screen, and the link is the lab and its step, no action log.
    expect(app.terminal!.shown().map((s) => s.line)).toEqual(["docker container run -d -p 5000:80 --name web nginx"]);
    expect(app.linkSearch()).toBe("?v=1&view=lab&scenario=lab&seed=1&lab=port-mapping&step=2");
  });

  it("the timeline has a mark at each step's start, at the time going back to the step seeks to", () => {
    const app = open("?lab=port-mapping&step=3");
    const ctl = view(app).controller;
    const steps = app.marks.filter((m) => m.label.startsWith("Step "));
    expect(steps.map((m) => m.label)).toEqual([1, 2, 3].map((n) => `Step ${n}: ${ctl.lab.steps[n - 1]!.caption}`));
    expect(steps.map((m) => m.t)).toEqual([0, 1, 2].map((i) => ctl.session.start(i)!.at));
  });

  it("judges the learner's line: a wrong one is answered as Docker answers it and the lab waits; the right one moves on", () => {
    const app = open("?lab=port-mapping");
    const ctl = view(app).controller;
    app.type("docker container run -d -p 5000:80 --nmae web nginx");
    // docker/cli: "unknown flag: --nmae" (cobra's flag error), exit 125.
    expect(ctl.last).toMatchObject({ exitCode: 125, passed: false, commandOk: false });
    expect(ctl.last!.output).toContain("unknown flag: --nmae");
    expect(ctl.current).toBe(0);
    app.type("docker container run -d -p 5000:80 --name web nginx");
    expect(ctl.last).toMatchObject({ passed: true });
    expect(ctl.current).toBe(1);
    expect(app.linkSearch()).toContain("step=2");
  });

  it("do it for me, then back to step 1: the world as it was there, and the step can be done again", () => {
    const app = open("?lab=port-mapping");
    const ctl = view(app).controller;
    const hash0 = ctl.pg.worldHash();
    app.external(() => ctl.doStep(app.terminal));
    expect(containers(app)).toEqual(["web 5000→80/tcp"]);
    app.external(() => ctl.back(0));
    expect(ctl.pg.worldHash()).toBe(hash0);
    expect(containers(app)).toEqual([]);
    expect(app.terminal!.shown()).toEqual([]);
    app.external(() => ctl.doStep(app.terminal));
    expect(ctl.results[0]!.passed).toBe(true);
    expect(containers(app)).toEqual(["web 5000→80/tcp"]);
  });

  it("instructor mode keeps the run paused after a learner's line (a pause at each step)", () => {
    const app = open("?lab=port-mapping&instructor=1");
    app.type("docker container run -d -p 5000:80 --name web nginx");
    expect(app.playing).toBe(false);
    const free = open("?lab=port-mapping");
    free.type("docker container run -d -p 5000:80 --name web nginx");
    expect(free.playing).toBe(true);
  });

  it("a swarm lab is drawn by the swarm view, its caption the lab's step", () => {
    const app = open("?lab=swarm-creating-a-swarm&step=3");
    const v = view(app);
    expect(v.kind).toBe("swarm");
    expect(v.swarm!.caption).toMatchObject({ title: "Step 3", text: v.lab.steps[2]!.caption });
    expect(v.swarm!.nodes.find((n) => n.host === "node-0")).toMatchObject({ role: "manager", status: "Ready" });
  });

  // Each lab in the view that fits it (labs' labView), read from the lab's own playground.
  it("an images lab is drawn by the build view: after the first build each stepped line ran, after the second each is CACHED", () => {
    const app = open("?lab=images-dockerfiles-1&step=4");
    const b = view(app).build!;
    expect(view(app).kind).toBe("build");
    expect(b.host).toBe("node1");
    expect(b.build!.file).toBe("/root/myimage/Dockerfile");
    // BuildKit: a step that ran is not CACHED ("#5 [2/2] RUN apt-get ..." then its output); FROM is pulled.
    expect(b.build!.lines.map((l) => [l.text, l.status])).toEqual([["FROM ubuntu", "run"], ["RUN apt-get update && apt-get install -y figlet", "run"]]);
    expect(b.columns.map((c) => c.tag)).toContain("figlet:latest");
    expect(b.steps).toEqual([]);
    expect(b.caption).toMatchObject({ title: "Step 4", text: view(app).lab.steps[3]!.caption });
    app.external(() => view(app).controller.doStep(app.terminal));
    expect(view(app).build!.build!.lines.map((l) => l.status)).toEqual(["cached", "cached"]);
  });

  it("a network lab is drawn by the bridge view of the host its lines run on: docker0 with c1 and c2, then a user bridge with c3", () => {
    const app = open("?lab=networks-single-host&step=11");
    const v = view(app);
    expect(v.kind).toBe("bridge");
    expect(v.bridge!.networks.map((n) => [n.name, n.bridge, n.attachments.map((a) => a.container)])).toEqual([
      ["bridge", "docker0", ["c1", "c2"]], ["demo", expect.stringMatching(/^br-[0-9a-f]{12}$/), ["c3"]],
    ]);
  });

  it("a containers lab is drawn by the containers view: the lab's container is a process tree on its host", () => {
    const v = view(open("?lab=containers-process-isolation&step=3"));
    expect(v.kind).toBe("containers");
    expect(v.containers!.containers.map((c) => [c.name, c.status])).toEqual([["pinger", "running"]]);
    expect(v.containers!.procs.filter((p) => p.container === "pinger").map((p) => p.nsPid)).toContain(1);
  });

  it("a Kubernetes lab is drawn by the Deployment tree (its own deployment's name), a networking one by its newest Service", () => {
    const k = view(open("?lab=kube-orchestration&step=4"));
    expect(k.kind).toBe("kube-rollout");
    expect(k.rollout!.deployment).toMatchObject({ name: "nginx-deployment", replicas: 3, readyPods: 3 });
    expect(k.rollout!.replicaSets[0]!.pods).toHaveLength(3);
    expect(k.rollout!.buttons).toBe(false);
    const n = view(open("?lab=kube-networking&step=6"));
    expect(n.kind).toBe("kube-services");
    expect(n.services!.service).toMatchObject({ name: "my-service", port: 8000 });
    expect(n.services!.nodes.flatMap((x) => x.pods).filter((p) => p.role === "web")).toHaveLength(3);
    // The control plane's NoSchedule taint (kubeadm's node-role.kubernetes.io/control-plane) keeps it empty; the workers have none.
    expect(n.services!.nodes.map((x) => [x.name, x.noSchedule, x.pods.length > 0])).toEqual([["control-plane", true, false], ["node-1", false, true], ["node-2", false, true]]);
  });

  // Issue #17's pause points: "Do it for me" on a step with `pauses:` in instructor mode plays the
  // step from its line and stops at each pause (the app's auto-pause at their marks), then at the step's end.
  it("instructor mode plays a step with pause points and stops at each: its trigger true there, false at the instant before", () => {
    const app = open("?lab=swarm-node-failure-recovery&step=6&instructor=1");
    const v = view(app);
    const ctl = v.controller;
    const step = ctl.lab.steps[5]!;
    expect(step.pauses.length).toBeGreaterThan(1);
    app.external(() => ctl.doStep(app.terminal));
    const end = { hash: ctl.pg.worldHash(), now: app.sim.now };
    const span = ctl.session.playedSpan(5)!;
    // What LabView does once the step is done (its $effect).
    expect(v.playback!.due()).toBe(true);
    expect(app.external(() => v.playback!.rewind())).toBe(true);
    expect(app.sim.now).toBe(span.typedAt);
    app.play();
    const playOn = (): void => {
      for (let i = 0; i < 2000 && app.playing; i++) app.tick(100);
      expect(app.playing).toBe(false);
    };
    for (const pause of step.pauses) {
      playOn();
      expect(app.notice).toBe(`Paused: ${pause.caption}`);
      expect(view(app).playing).toEqual({ step: 5, caption: pause.caption });
      const at = app.sim.now;
      expect(pauseHolds(ctl.pg, pause, span.typedAt)).toBe(true);
      // The instant before it: the trigger did not hold yet.
      while (app.sim.now === at) app.stepBack();
      expect(pauseHolds(ctl.pg, pause, span.typedAt)).toBe(false);
      while (app.sim.now < at) app.stepForward();
      expect(app.sim.now).toBe(at);
      app.play();
    }
    // Then on to the step's end, where it pauses as a step done at once does: the same world.
    playOn();
    expect(app.notice).toBe(`Paused: Step 7: ${ctl.lab.steps[6]!.caption}`);
    expect(app.sim.now).toBe(end.now);
    expect(view(app).playing).toBeNull();
    expect(ctl.pg.worldHash()).toBe(end.hash);
    expect(v.playback!.due()).toBe(false);
  });

  it("outside instructor mode a step with pause points is done at once, as any step", () => {
    const app = open("?lab=swarm-node-failure-recovery&step=6");
    expect(view(app).playback).toBeNull();
    app.external(() => view(app).controller.doStep(app.terminal));
    expect(view(app).playing).toBeNull();
    expect(app.playing).toBe(false);
  });
});
