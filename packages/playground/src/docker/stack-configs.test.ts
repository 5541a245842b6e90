import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

// Compose `configs:` in a stack: docker/cli stack/swarm/deploy_composefile.go creates each config
// defined from a file as `<stack>_<name>` ("Creating config %s", after the secrets), and
// cli/compose/convert/service.go convertServiceConfigObjs gives each service reference a target
// (the key when none is given: moby mounts a bare name under /) and mode 0444; they are created in
// the project's order here, by name (docker/cli ranges over a Go map); remove.go removes
// services, secrets, configs, then networks ("Removing config %s").
describe("docker stack deploy with compose configs", () => {
  it("creates <stack>_<name> from the file, mounts it at the target in the tasks, and stack rm removes it", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker swarm init >/dev/null");
    pg.writeFile("node1", "/root/site.conf", "server { listen 8080; }\n");
    pg.writeFile("node1", "/root/motd", "hello\n");
    pg.writeFile("node1", "/root/stack.yml", [
      "services:", "  web:", "    image: nginx:1.27", "    configs:", "      - source: site", "        target: /etc/nginx/conf.d/site.conf", "      - motd",
      "configs:", "  site:", "    file: ./site.conf", "  motd:", "    file: ./motd", "",
    ].join("\n"));
    const r = pg.exec("docker stack deploy -c stack.yml app");
    expect(r.stdout).toBe("Creating network app_default\nCreating config app_motd\nCreating config app_site\nCreating service app_web\n");
    expect(pg.exec("docker config ls --format '{{.Name}}'").stdout).toBe("app_motd\napp_site\n");
    expect(pg.exec("docker service inspect -f '{{range .Spec.TaskTemplate.ContainerSpec.Configs}}{{.ConfigName}}:{{.File.Name}} {{end}}' app_web").stdout)
      .toBe("app_site:/etc/nginx/conf.d/site.conf app_motd:motd \n");
    pg.exec("sleep 10");
    const id = pg.exec("docker ps -q -f name=app_web").stdout.trim();
    expect(pg.exec(`docker exec ${id} cat /etc/nginx/conf.d/site.conf`).stdout).toBe("server { listen 8080; }\n");
    expect(pg.exec(`docker exec ${id} cat /motd`).stdout).toBe("hello\n");
    expect(pg.exec("docker stack rm app").stdout).toBe("Removing service app_web\nRemoving config app_motd\nRemoving config app_site\nRemoving network app_default\n");
    pg.exec("sleep 10");
    expect(pg.exec("docker config ls -q").stdout).toBe("");
  });
});
