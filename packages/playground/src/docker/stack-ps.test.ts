import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

// docker/cli cli/command/stack/swarm/ps.go: `docker stack ps` takes the same --filter, --format,
// --no-trunc and --quiet as `docker service ps` (QA session 4 #2: the closing lab types it).
describe("docker stack ps --filter and --quiet", () => {
  it("filters the stack's tasks by desired state; -q prints their IDs", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker swarm init >/dev/null");
    pg.writeFile("node1", "/root/stack.yml", "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      replicas: 2\n");
    pg.exec("docker stack deploy -c stack.yml app >/dev/null");
    pg.exec("sleep 10");
    pg.exec("docker service update -q --force app_web >/dev/null");
    pg.exec("sleep 30");
    const running = pg.exec("docker stack ps app --filter desired-state=running --format '{{.Name}} {{.DesiredState}}'");
    expect(running).toMatchObject({ exitCode: 0, stdout: "app_web.1 Running\napp_web.2 Running\n" });
    expect(pg.exec("docker stack ps -f desired-state=shutdown --format '{{.Name}}' app").stdout).toBe(" \\_ app_web.1\n \\_ app_web.2\n");
    expect(pg.exec("docker stack ps -q -f name=app_web.1 app").stdout).toMatch(/^([a-z0-9]{12}\n){2}$/);
    expect(pg.exec("docker stack ps --filter bogus=1 app").stderr).toContain("bogus");
  });
});
