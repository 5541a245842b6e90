// Every lab, typed as written into a fresh world: each step's expectation and checks must hold.
// This is `drydock lab --all --check`, which CI runs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadLabs } from "../node/index.js";
import { LabSession, runLab } from "./runner.js";
import { labView, type LabViewKind } from "./summary.js";

const labs = loadLabs();

describe("every lab passes in auto mode", () => {
  it("has a lab for each exercise of the course", () => {
    // Issue #17's list.
    expect(labs.map((l) => l.title)).toEqual(expect.arrayContaining([
      "Process Isolation", "Running and Inspecting a Container", "Interactive Containers", "Detached Containers and Logging",
      "Starting, Stopping, Inspecting and Deleting Containers", "Interactive Image Creation", "Creating Images with Dockerfiles (1/2)",
      "Creating Images with Dockerfiles (2/2)", "Multi-Stage Builds", "Managing Images", "Basic Volume Usage", "Database Volumes",
      "Single Host Networks", "Introduction to Container Networking", "Container Port Mapping", "Docker Compose", "Starting a Compose App",
      "Scaling a Compose App", "Self-Healing Swarm", "Creating a Swarm", "Starting a Service", "Node Failure Recovery",
      "Routing Traffic to Docker Services", "Dockercoins On Swarm", "Scaling and Scheduling Services", "Updating a Service",
      "Application Deployment", "Kubernetes Basics", "Kubernetes Orchestration", "Kubernetes Networking", "Orchestrating Secrets",
      "Containerizing an Application", "Cleaning up Docker Resources", "Inspection Commands", "Docker Plugins",
    ]));
  });

  it("every step has a caption and every lab checks the world at least once", () => {
    for (const lab of labs) {
      for (const s of lab.steps) expect(s.caption, `${lab.slug} line ${s.line}`).not.toBe("");
      expect(lab.steps.some((s) => s.checks.length > 0), lab.slug).toBe(true);
    }
  });

  it("every step has speaker notes for instructor mode (issue #17), not its caption again", () => {
    const missing = labs.flatMap((lab) => lab.steps.filter((s) => s.notes === undefined || s.notes === s.caption).map((s) => `${lab.file}:${s.line}`));
    expect(missing).toEqual([]);
  });

  for (const lab of labs) {
    it(`${lab.slug}: ${lab.title}`, () => {
      const run = runLab(lab, { mode: "auto" });
      const failures = run.results.flatMap((r) => [
        ...(r.expectOk === false ? [`step ${r.index + 1} (${r.line}): output does not match expect; it was:\n${r.output}`] : []),
        ...r.checks.filter((c) => !c.ok).map((c) => `step ${r.index + 1} (${r.line ?? r.step.action.kind}): ✗ ${c.message}`),
      ]);
      expect(failures).toEqual([]);
      expect(run.results.length).toBe(lab.steps.length);
    });
  }
});

describe("every lab can go back to a step's start and go on from there", () => {
  for (const lab of labs) {
    it(lab.slug, () => {
      const s = new LabSession(lab);
      while (!s.done) s.auto();
      // The middle step: the world has containers, images and files by then.
      const mid = Math.floor(lab.steps.length / 2);
      const start = s.start(mid)!;
      s.restartStep(mid);
      expect(s.pg.now).toBe(start.at);
      expect(s.pg.worldHash()).toBe(start.worldHash);
      const again: boolean[] = [];
      while (!s.done) again.push(s.auto().passed);
      expect(again).toEqual(lab.steps.slice(mid).map(() => true));
    });
  }
});

describe("the README's example", () => {
  it("is labs/system-inspection-commands.yaml as it is", () => {
    const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
    const block = /```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    expect(block).toBe(readFileSync(join(import.meta.dirname, "..", "labs", "system-inspection-commands.yaml"), "utf8"));
  });
});

describe("the repository's README", () => {
  it("lists every lab, in the course's order, with its title, module and the view it opens in (labView)", () => {
    const readme = readFileSync(join(import.meta.dirname, "..", "..", "..", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Guided labs"), readme.indexOf("\n## ", readme.indexOf("## Guided labs") + 1));
    const rows = [...section.matchAll(/^\| `([a-z0-9-]+)` \| (.+) \| (.+) \| (.+) \|$/gm)].map((m) => [m[1], m[2], m[3], m[4]]);
    const VIEW_NAMES: Record<LabViewKind, string> = {
      swarm: "swarm", build: "images and builds", containers: "containers", bridge: "single-host networks",
      "kube-rollout": "Kubernetes rollout", "kube-services": "Kubernetes services", summary: "host summary",
    };
    expect(rows).toEqual(labs.map((l) => [l.slug, l.title, l.module, VIEW_NAMES[labView(l)]]));
  });
});
