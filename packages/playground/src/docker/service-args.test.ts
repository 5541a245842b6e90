import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

// docker/cli service/opts.go: --args is an opts.ShlexOpt, split as a shell would (google/shlex),
// so quoted words stay whole (found while building the rolling-update scene's bad image).
describe("docker service update --args", () => {
  it("splits its value with shell quoting", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker swarm init >/dev/null");
    pg.exec("docker service create -d -q --name s alpine sleep 1d >/dev/null");
    pg.exec(`docker service update -d -q --args "sh -c 'echo a  b; sleep 1d'" s`);
    expect(pg.exec("docker service inspect s --format '{{json .Spec.TaskTemplate.ContainerSpec.Args}}'").stdout).toBe('["sh","-c","echo a  b; sleep 1d"]\n');
  });
});
