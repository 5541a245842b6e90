import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

// docker/cli service/progress: with -q the progress (and what Ctrl-C makes it say) goes to
// io.Discard: the ID is printed once (QA session 4 D5).
describe("docker service create -q while it waits for convergence", () => {
  it("prints the ID once, and nothing of the progress when Ctrl-C stops the wait", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker swarm init >/dev/null");
    pg.begin("docker service create -q --name c1 --mode replicated-job alpine false");
    pg.advance(3_000_000);
    const id = pg.output();
    expect(id).toMatch(/^[a-z0-9]{25}\n$/);
    pg.interrupt();
    expect(pg.wait()).toEqual({ exitCode: 0, stdout: `${id}^C\n`, stderr: "" });
    pg.begin("docker service create --name c2 --mode replicated-job alpine false");
    pg.advance(3_000_000);
    pg.interrupt();
    expect(pg.wait().stdout).toContain("^COperation continuing in background.\nUse `docker service ps c2` to check progress.\n");
  });
});
