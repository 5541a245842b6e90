// The lab scene through the app: a link names a lab and its step and reopens there; a learner's
// line at the terminal is judged by the lab (a wrong one leaves it waiting); "do it for me" runs
// the step as written; going back to a step restores the world there (LabSession.restartStep).
import { describe, expect, it } from "vitest";
import { AppState } from "../../state.svelte.js";
import { SCENARIOS } from "../../scenarios.js";
import { parseLink } from "../../url.js";
import type { LabViewModel } from "./model.js";

const open = (search: string): AppState => new AppState(SCENARIOS, search);
const view = (app: AppState): LabViewModel => app.frame.view as LabViewModel;
const containers = (app: AppState): string[] => view(app).hosts.flatMap((h) => h.containers.map((c) => `${c.name} ${c.state}`));

describe("the lab scene", () => {
  it("?lab=<slug> alone opens the lab scene at step 1; step=N opens it with the steps before done", () => {
    expect(parseLink("?lab=port-mapping", SCENARIOS, SCENARIOS[0]!)).toMatchObject({ ok: true, link: { scenario: "lab", options: { lab: "port-mapping", step: 1 } } });
    const app = open("?lab=port-mapping&step=2");
    expect(app.linkError).toBeNull();
    expect(view(app).controller.current).toBe(1);
    expect(containers(app)).toEqual(["web running"]);
    // The step-1 line is on the terminal's screen, and the link is the lab and its step, no action log.
    expect(app.terminal!.shown().map((s) => s.line)).toEqual(["docker container run -d -p 5000:80 --name web nginx"]);
    expect(app.linkSearch()).toBe("?v=1&view=lab&scenario=lab&seed=1&lab=port-mapping&step=2");
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
    expect(containers(app)).toEqual(["web running"]);
    app.external(() => ctl.back(0));
    expect(ctl.pg.worldHash()).toBe(hash0);
    expect(containers(app)).toEqual([]);
    expect(app.terminal!.shown()).toEqual([]);
    app.external(() => ctl.doStep(app.terminal));
    expect(ctl.results[0]!.passed).toBe(true);
    expect(containers(app)).toEqual(["web running"]);
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
});
