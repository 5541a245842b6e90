import { describe, expect, it } from "vitest";
import { createPlayground, type Playground } from "../playground.js";

// Job services: docker/cli service/opts.go ToServiceMode, service/progress/progress.go's job
// updaters, formatter/service.go Mode and Replicas; swarmkit manager/orchestrator/jobs.
function twoNodes(): Playground {
  const pg = createPlayground({ nodes: ["n1", "n2"] });
  pg.exec("docker swarm init", { on: "n1" });
  const token = pg.exec("docker swarm join-token -q worker", { on: "n1" }).stdout.trim();
  pg.exec(`docker swarm join --token ${token} 10.0.0.11:2377`, { on: "n2" });
  return pg;
}
const run = (pg: Playground, line: string, on = "n1") => pg.exec(line, { on });
const BAR = "[==================================================>] ";

describe("job services (docker service create --mode replicated-job | global-job)", () => {
  it("a replicated job: the job progress screen, then service ls's 'replicated job' and its completions", () => {
    const pg = twoNodes();
    const r = run(pg, "docker service create --name batch --mode replicated-job --replicas 3 --max-concurrent 2 alpine echo done");
    const [id, ...screen] = r.stdout.split("\n");
    expect(id).toMatch(/^[0-9a-z]{25}$/);
    expect(screen.join("\n")).toBe([
      `job progress: 3 out of 3 complete ${BAR}`,
      "active tasks: 0 out of 0 tasks ",
      `1/3: complete  ${BAR}`, `2/3: complete  ${BAR}`, `3/3: complete  ${BAR}`,
      "job complete", "",
    ].join("\n"));
    expect(run(pg, "docker service ls --format '{{.Name}}|{{.Mode}}|{{.Replicas}}'").stdout).toBe("batch|replicated job|0/0 (3/3 completed)\n");
    expect(run(pg, "docker service inspect --format '{{json .Spec.Mode}}' batch").stdout).toBe('{"ReplicatedJob":{"MaxConcurrent":2,"TotalCompletions":3}}\n');
    // Completed tasks are not restarted.
    pg.advance("30s");
    expect(run(pg, "docker service ps -q batch").stdout.trim().split("\n")).toHaveLength(3);
    expect(run(pg, "docker service ps --format '{{.DesiredState}} {{.CurrentState}}' batch").stdout).toMatch(/^(Complete Complete [^\n]+\n){3}$/);
  });

  it("a global job runs once on every node; --max-concurrent defaults to --replicas", () => {
    const pg = twoNodes();
    const r = run(pg, "docker service create -q --name setup --mode global-job alpine echo done");
    expect(r.exitCode).toBe(0);
    expect(run(pg, "docker service ls --format '{{.Mode}}|{{.Replicas}}'").stdout).toBe("global job|0/0 (2/2 completed)\n");
    run(pg, "docker service create -d --name many --mode replicated-job --replicas 4 alpine echo done");
    expect(run(pg, "docker service inspect --format '{{json .Spec.Mode}}' many").stdout).toBe('{"ReplicatedJob":{"MaxConcurrent":4,"TotalCompletions":4}}\n');
  });

  it("QA D4: a replicated job's slots count from 0, so its first task is named by its node, as SwarmKit and docker/cli do", () => {
    // swarmkit manager/orchestrator/jobs/replicated/reconciler.go fills slots 0..TotalCompletions-1;
    // docker/cli task/print.go names a task `<service>.<slot>` only when the slot is not 0, else
    // `<service>.<node ID>`; moby's executor names the container the same way (container.go name()).
    const pg = twoNodes();
    run(pg, "docker service create -d --name job1 --mode replicated-job --replicas 3 alpine echo done");
    pg.advance("10s");
    const names = run(pg, "docker service ps --format '{{.Name}}' job1").stdout.trim().split("\n").sort();
    const nodeIds = run(pg, "docker node ls -q").stdout.trim().split("\n");
    expect(names.filter((n) => n === "job1.1" || n === "job1.2")).toEqual(["job1.1", "job1.2"]);
    const first = names.filter((n) => n !== "job1.1" && n !== "job1.2");
    expect(first).toHaveLength(1);
    expect(nodeIds).toContain(first[0]!.slice("job1.".length));
  });

  it("the CLI's refusals (ToServiceMode), changing nothing", () => {
    const pg = twoNodes();
    const before = pg.worldHash();
    expect(run(pg, "docker service create --mode global-job --replicas 2 alpine true").stderr).toBe("replicas can only be used with replicated or replicated-job mode\n");
    expect(run(pg, "docker service create --max-concurrent 2 alpine true").stderr).toBe("max-concurrent can only be used with replicated-job mode\n");
    expect(pg.worldHash()).toBe(before);
  });
});
