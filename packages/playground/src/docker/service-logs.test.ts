import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

// docker service logs prefixes every line (QA session 4 D2b): the daemon's log driver stores one
// message per line, and docker/cli service/logs.go writes its context before each message.
describe("docker service logs", () => {
  it("a write of several lines gets the task's prefix on each line", () => {
    const pg = createPlayground({ nodes: ["n1"] });
    pg.exec("docker swarm init", { on: "n1" });
    pg.exec("docker service create -d --name two alpine nslookup nosuch.invalid", { on: "n1" });
    pg.advance("3s");
    const out = pg.exec("docker service logs --no-task-ids two", { on: "n1" }).stdout;
    const lines = out.split("\n").filter((l) => l !== "");
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(l).toMatch(/^two\.1@n1 {4}\| /);
  });
});
