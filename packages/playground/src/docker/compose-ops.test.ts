import { describe, expect, it } from "vitest";
import { COMPOSE_VERSION } from "@drydock/compose";
import { createPlayground, type Playground } from "../playground.js";

const APP = `services:
  web:
    image: nginx:alpine
    ports: ["8080:80"]
    depends_on: [cache]
  cache:
    image: redis:alpine
`;

function up(): Playground {
  const pg = createPlayground({ seed: 9 });
  pg.writeFile("node1", "/root/app/compose.yaml", APP);
  pg.exec("cd /root/app && docker compose up -d 2>/dev/null");
  return pg;
}

describe("the rest of compose's commands, with Compose v2.40's texts (docker/compose cmd/compose, pkg/compose)", () => {
  it("kill: SIGKILL by default (-s another), 'Killing' progress; nothing running says so", () => {
    const pg = up();
    expect(pg.exec("docker compose kill web").stderr).toBe("[+] Killing 1/1\n ✔ Container app-web-1  Killed\n");
    expect(pg.exec("docker inspect -f '{{.State.ExitCode}}' app-web-1").stdout).toBe("137\n");
    expect(pg.exec("docker compose kill -s SIGTERM").stderr).toBe("[+] Killing 1/1\n ✔ Container app-cache-1  Killed\n");
    pg.exec("sleep 1");
    const none = pg.exec("docker compose kill");
    expect(none).toMatchObject({ exitCode: 0, stderr: "no container to kill" });
    expect(pg.exec("docker compose kill nosuch").stderr).toBe("no such service: nosuch\n");
  });

  it("rm: only stopped containers; -f says what it removes, without it the prompt decides; -s stops first", () => {
    const pg = up();
    expect(pg.exec("docker compose rm -f").stderr).toBe("No stopped containers\n");
    pg.exec("docker compose stop web 2>/dev/null");
    const no = pg.exec("echo n | docker compose rm");
    expect(no.stdout).toBe("Going to remove app-web-1 [y/N] ");
    expect(pg.exec("docker ps -aq | wc -l").stdout.trim()).toBe("2");
    const yes = pg.exec("echo y | docker compose rm");
    expect(yes.stderr).toBe("[+] Removing 1/1\n ✔ Container app-web-1  Removed\n");
    const s = pg.exec("docker compose rm -s -f");
    expect(s.stdout).toBe("Going to remove app-cache-1\n");
    expect(s.stderr).toBe("[+] Stopping 1/1\n ✔ Container app-cache-1  Stopped\n[+] Removing 1/1\n ✔ Container app-cache-1  Removed\n");
    expect(pg.exec("docker ps -aq").stdout).toBe("");
  });

  it("pause and unpause: the freezer per container ('Pausing', then the default title)", () => {
    const pg = up();
    expect(pg.exec("docker compose pause").stderr).toBe("[+] Pausing 2/2\n ✔ Container app-cache-1  Paused\n ✔ Container app-web-1  Paused\n");
    expect(pg.exec("docker compose ps --format '{{.Name}} {{.State}}'").stdout).toBe("app-cache-1 paused\napp-web-1 paused\n");
    expect(pg.exec("docker compose unpause web").stderr).toBe("[+] Running 1/1\n ✔ Container app-web-1  Unpaused\n");
  });

  it("port: the first binding of a private port as IP:PORT; compose's errors otherwise", () => {
    const pg = up();
    expect(pg.exec("docker compose port web 80").stdout).toBe("0.0.0.0:8080\n");
    expect(pg.exec("docker compose port web 81")).toMatchObject({ exitCode: 1, stderr: "no port 81/tcp for container app-web-1: 8080/tcp, 8080/tcp\n" });
    expect(pg.exec("docker compose port --index 2 web 80").stderr).toBe("service \"web\" is not running container #2\n");
    expect(pg.exec("docker compose port web").stderr).toBe("\"port\" requires exactly 2 arguments.\n");
  });

  it("images: one row per container (CONTAINER REPOSITORY TAG PLATFORM IMAGE ID SIZE CREATED), -q the IDs", () => {
    const pg = up();
    const out = pg.exec("docker compose images").stdout.split("\n");
    expect(out[0]).toMatch(/^CONTAINER\s+REPOSITORY\s+TAG\s+PLATFORM\s+IMAGE ID\s+SIZE\s+CREATED$/);
    expect(out[1]).toMatch(/^app-cache-1\s+redis\s+alpine\s+linux\/amd64\s+[0-9a-f]{12}\s+\S+\s+\d+ days ago$/);
    expect(out[2]).toMatch(/^app-web-1\s+nginx\s+alpine\s+linux\/amd64\s+[0-9a-f]{12}\s+/);
    expect(pg.exec("docker compose images -q").stdout).toMatch(/^([0-9a-f]{64}\n){2}$/);
  });

  it("ls: projects from their containers' labels, running unless -a, with combined states", () => {
    const pg = up();
    expect(pg.exec("docker compose ls").stdout).toBe("NAME      STATUS       CONFIG FILES\napp       running(2)   /root/app/compose.yaml\n");
    pg.exec("docker compose stop web 2>/dev/null");
    expect(pg.exec("docker compose ls -a").stdout).toBe("NAME      STATUS                  CONFIG FILES\napp       exited(1), running(1)   /root/app/compose.yaml\n");
    expect(pg.exec("docker compose ls -q --filter name=ap").stdout).toBe("app\n");
    expect(pg.exec("docker compose ls -q --filter name=zz").stdout).toBe("");
  });

  it("create: the containers without starting them ('Creating')", () => {
    const pg = createPlayground({ seed: 9 });
    pg.writeFile("node1", "/root/app/compose.yaml", APP);
    pg.exec("cd /root/app && docker compose pull -q");
    expect(pg.exec("docker compose create").stderr).toBe("[+] Creating 3/3\n ✔ Network app_default  Created\n ✔ Container app-cache-1  Created\n ✔ Container app-web-1  Created\n");
    expect(pg.exec("docker compose ps -a --format '{{.Name}} {{.State}}'").stdout).toBe("app-cache-1 created\napp-web-1 created\n");
  });

  it("run: a one-off container <project>-<service>-run-<12 hex> with the service's settings, its dependencies started first", () => {
    const pg = up();
    pg.exec("docker compose stop 2>/dev/null");
    const r = pg.exec("docker compose run --rm -e GREETING=hi web sh -c 'echo $GREETING from $(hostname)'");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^hi from [0-9a-f]{12}\n$/);
    expect(r.stderr).toBe("[+] Running 1/1\n ✔ Container app-cache-1  Started\n");
    // --rm: gone; without it the one-off stays, labelled, and `ps -a` shows it (and `down` removes it).
    expect(pg.exec("docker ps -a --format '{{.Names}}'").stdout).not.toMatch(/run/);
    const d = pg.exec("docker compose run -d --no-deps --entrypoint sleep web 100");
    expect(d.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    const name = pg.exec("docker ps --format '{{.Names}}' --filter label=com.docker.compose.oneoff=True").stdout.trim();
    expect(name).toMatch(/^app-web-run-[0-9a-f]{12}$/);
    expect(pg.exec(`docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}} {{json .Config.Entrypoint}} {{json .Config.Cmd}}' ${name}`).stdout).toBe('web ["sleep"] ["100"]\n');
    expect(pg.exec("docker compose ps -a --format '{{.Name}}'").stdout).toContain(name);
    expect(pg.exec("docker compose ps --format '{{.Name}}'").stdout).not.toContain(name);
    pg.exec("docker compose down 2>/dev/null");
    expect(pg.exec("docker ps -aq").stdout).toBe("");
    expect(pg.exec("docker compose run").stderr).toBe("\"run\" requires at least 1 argument.\n");
  });

  it("push: the images of services that build and name one; the others are skipped; a registry that is down fails it", () => {
    const pg = createPlayground({ seed: 9 });
    pg.writeFile("node1", "/root/app/compose.yaml", "services:\n  web:\n    build: .\n    image: localhost:5000/web:v1\n  cache:\n    image: redis:alpine\n");
    pg.writeFile("node1", "/root/app/Dockerfile", "FROM alpine\nCMD [\"sleep\", \"100\"]\n");
    pg.exec("cd /root/app && docker compose build -q");
    expect(pg.exec("docker compose push")).toMatchObject({
      exitCode: 1, stderr: '[+] Pushing 1/1\n ✔ cache Skipped\nGet "http://localhost:5000/v2/": dial tcp [::1]:5000: connect: connection refused\n',
    });
    pg.exec("docker run -d -p 5000:5000 registry:2 >/dev/null 2>&1");
    expect(pg.exec("docker compose push").stderr).toMatch(/^\[\+\] Pushing 2\/2\n ✔ cache Skipped\n ✔ Pushing localhost:5000\/web:v1: [0-9a-f]{12} Pushed\n$/);
    expect(pg.exec("curl -s localhost:5000/v2/_catalog").stdout).toBe('{"repositories":["web"]}\n');
  });

  it("one version everywhere: compose version, the labels, docker version's and info's plugin list", () => {
    const pg = up();
    expect(pg.exec("docker compose version").stdout).toBe(`Docker Compose version v${COMPOSE_VERSION}\n`);
    expect(pg.exec("docker inspect -f '{{index .Config.Labels \"com.docker.compose.version\"}}' app-web-1").stdout).toBe(`${COMPOSE_VERSION}\n`);
    expect(pg.exec("docker info").stdout).toContain(`  compose: Docker Compose (Docker Inc.)\n    Version:  v${COMPOSE_VERSION}\n`);
  });
});
