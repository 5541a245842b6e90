import { describe, expect, it } from "vitest";
import { DOCKERCOINS_FILES } from "@drydock/compose";
import { createPlayground } from "../playground.js";

function withDockerCoins() {
  const pg = createPlayground({ seed: 5 });
  for (const [path, text] of DOCKERCOINS_FILES) pg.writeFile("node1", `/root/dockercoins/${path}`, text);
  pg.exec("cd ~/dockercoins");
  return pg;
}

describe("docker compose config at the prompt", () => {
  it("resolves DockerCoins from the current directory; docker-compose is the same", () => {
    const pg = withDockerCoins();
    const r = pg.exec("docker compose config");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^name: dockercoins\nservices:\n  hasher:\n    build:\n      context: \/root\/dockercoins\/hasher\n/);
    expect(r.stdout).toContain("networks:\n  default:\n    name: dockercoins_default\n");
    expect(pg.exec("docker-compose config").stdout).toBe(r.stdout);
    expect(pg.exec("docker compose config --services").stdout).toBe("hasher\nredis\nrng\nwebui\nworker\n");
    expect(pg.exec("docker compose -p coins config --format json").stdout).toMatch(/^\{\n {2}"name": "coins",\n {2}"services": \{/);
  });

  it("no compose file is compose's error; -f names one; a parent directory's file is found", () => {
    const pg = createPlayground({ seed: 5 });
    expect(pg.exec("docker compose config")).toMatchObject({ exitCode: 1, stderr: "no configuration file provided: not found\n" });
    pg.writeFile("node1", "/root/app/stack.yml", "services:\n  web:\n    image: nginx\n");
    expect(pg.exec("docker compose -f app/stack.yml config --services").stdout).toBe("web\n");
    expect(pg.exec("docker compose -f nope.yml config").stderr).toBe("open /root/nope.yml: no such file or directory\n");
    pg.writeFile("node1", "/root/app/compose.yaml", "services:\n  web:\n    image: nginx\n");
    pg.exec("mkdir -p /root/app/sub && cd /root/app/sub");
    expect(pg.exec("docker compose config").stdout).toMatch(/^name: app\n/);
  });

  it(".env and the shell feed interpolation; a required variable's error is compose's", () => {
    const pg = createPlayground({ seed: 5 });
    pg.writeFile("node1", "/root/app/compose.yaml", "services:\n  web:\n    image: nginx:${TAG:?set TAG}\n    ports: [\"${PORT:-80}:80\"]\n");
    pg.exec("cd /root/app");
    // Compose's words, then drydock's line saying where (the file, line and column, the path of the value).
    expect(pg.exec("docker compose config").stderr).toBe("error while interpolating services.web.image: required variable TAG is missing a value: set TAG\ndrydock: at /root/app/compose.yaml:3:12 (services.web.image)\n");
    pg.writeFile("node1", "/root/app/.env", "TAG=1.27\n");
    expect(pg.exec("docker compose config").stdout).toContain("    image: nginx:1.27\n");
    expect(pg.exec("PORT=8080 docker compose config").stdout).toContain('        published: "8080"\n');
  });

  it("an unset variable warns on stderr, and the output still comes", () => {
    const pg = createPlayground({ seed: 5 });
    pg.writeFile("node1", "/root/app/compose.yaml", "services:\n  web:\n    image: nginx:${TAG}\n");
    pg.exec("cd /root/app");
    const r = pg.exec("docker compose config");
    expect(r.stderr).toMatch(/The \\?"TAG\\?" variable is not set\. Defaulting to a blank string\./);
    expect(r.stdout).toContain('    image: "nginx:"\n');
  });

  it("the commands drydock does not run say so; version and unknown commands are compose's", () => {
    const pg = withDockerCoins();
    expect(pg.exec("docker compose watch")).toMatchObject({ exitCode: 1, stderr: "drydock does not simulate `docker compose watch` yet\n" });
    expect(pg.exec("docker-compose events").stderr).toBe("drydock does not simulate `docker-compose events` yet\n");
    expect(pg.exec("docker compose version").stdout).toMatch(/^Docker Compose version v2\.\d+\.\d+\n$/);
    expect(pg.exec("docker compose bogus").stderr).toBe('unknown docker command: "compose bogus"\n');
  });

  it("a schema error names the file and the path", () => {
    const pg = createPlayground({ seed: 5 });
    pg.writeFile("node1", "/root/app/compose.yaml", "services:\n  web:\n    image: nginx\n    ports: 80\n");
    pg.exec("cd /root/app");
    expect(pg.exec("docker compose config").stderr).toBe("validating /root/app/compose.yaml: services.web.ports must be a array\n");
  });
});
