import { describe, expect, it } from "vitest";
import { DOCKERCOINS_COMPOSE } from "@drydock/compose";
import { createPlayground, type Playground } from "../playground.js";

function project(yaml: string, dir = "/root/app"): Playground {
  const pg = createPlayground({ seed: 9 });
  pg.writeFile("node1", `${dir}/compose.yaml`, yaml);
  pg.exec(`cd ${dir}`);
  return pg;
}

const WEB = "services:\n  web:\n    image: nginx:alpine\n    ports: [\"8080:80\"]\n    depends_on: [cache]\n  cache:\n    image: redis:alpine\n";

function coins(): Playground {
  const pg = createPlayground({ seed: 9 });
  pg.exec("drydock dockercoins && cd dockercoins");
  pg.exec("docker compose build -q && docker compose up -d");
  return pg;
}

/** Hashes the webui's counter gains in `seconds` (from the middle of a second, as the counter moves once a second). */
function rate(pg: Playground, seconds = 10): number {
  pg.exec("sleep 0.5");
  const read = () => JSON.parse(pg.exec("curl -s localhost:8000/json").stdout).hashes as number;
  const a = read();
  pg.exec(`sleep ${seconds}`);
  return (read() - a) / seconds;
}

describe("docker compose up, ps, down", () => {
  it("pulls what is missing, creates the project's network and containers in depends_on order, and says so as Compose v2 does", () => {
    const pg = project(WEB);
    const r = pg.exec("docker compose up -d");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("[+] Pulling 2/2\n ✔ cache Pulled\n ✔ web Pulled\n[+] Running 3/3\n ✔ Network app_default  Created\n ✔ Container app-cache-1  Started\n ✔ Container app-web-1  Started\n");
    expect(pg.exec("docker compose ps --format '{{.Name}} {{.Service}} {{.State}}'").stdout).toBe("app-cache-1 cache running\napp-web-1 web running\n");
    // Again: nothing changed, so nothing is recreated.
    expect(pg.exec("docker compose up -d").stderr).toBe("[+] Running 2/2\n ✔ Container app-cache-1  Running\n ✔ Container app-web-1  Running\n");
    const down = pg.exec("docker compose down");
    expect(down.stderr).toBe("[+] Running 3/3\n ✔ Container app-web-1  Removed\n ✔ Container app-cache-1  Removed\n ✔ Network app_default  Removed\n");
    expect(pg.exec("docker ps -aq").stdout).toBe("");
  });

  it("labels each container as compose does, and names it <project>-<service>-<n>; -p names the project", () => {
    const pg = project(WEB);
    pg.exec("docker compose -p shop up -d");
    const labels = JSON.parse(pg.exec("docker inspect -f '{{json .Config.Labels}}' shop-web-1").stdout) as Record<string, string>;
    expect(labels).toMatchObject({
      "com.docker.compose.project": "shop", "com.docker.compose.service": "web", "com.docker.compose.container-number": "1",
      "com.docker.compose.oneoff": "False", "com.docker.compose.version": "2.40.3", "com.docker.compose.depends_on": "cache:service_started:false",
      "com.docker.compose.project.working_dir": "/root/app", "com.docker.compose.project.config_files": "/root/app/compose.yaml",
    });
    expect(labels["com.docker.compose.config-hash"]).toMatch(/^[0-9a-f]{64}$/);
    expect(labels["com.docker.compose.image"]).toMatch(/^sha256:[0-9a-f]{64}$/);
    const nets = JSON.parse(pg.exec("docker inspect -f '{{json .NetworkSettings.Networks}}' shop-web-1").stdout) as Record<string, { Aliases: string[]; DNSNames: string[] }>;
    expect(Object.keys(nets)).toEqual(["shop_default"]);
    expect(nets["shop_default"]!.Aliases).toEqual(["shop-web-1", "web"]);
    expect(pg.exec("docker network inspect -f '{{json .Labels}}' shop_default").stdout).toBe('{"com.docker.compose.network":"default","com.docker.compose.project":"shop","com.docker.compose.version":"2.40.3"}\n');
  });

  it("a changed service is recreated; --scale adds and removes the highest numbers; the others keep running", () => {
    const pg = project(WEB);
    pg.exec("docker compose up -d");
    pg.writeFile("node1", "/root/app/compose.yaml", WEB.replace("8080:80", "8081:80"));
    expect(pg.exec("docker compose up -d").stderr).toBe("[+] Running 2/2\n ✔ Container app-cache-1  Running\n ✔ Container app-web-1  Started\n");
    expect(pg.exec("docker port app-web-1 80/tcp").stdout).toBe("0.0.0.0:8081\n[::]:8081\n");
    expect(pg.exec("docker compose up -d --scale cache=3").stderr).toContain(" ✔ Container app-cache-3  Started\n");
    expect(pg.exec("docker compose scale cache=1").stderr).toBe("[+] Running 3/3\n ✔ Container app-cache-3  Removed\n ✔ Container app-cache-2  Removed\n ✔ Container app-cache-1  Running\n");
  });

  it("down -v removes the project's named volumes; --rmi all its images; an external network must exist", () => {
    const pg = project("services:\n  db:\n    image: redis:alpine\n    volumes: [data:/data]\nvolumes:\n  data: {}\n");
    pg.exec("docker compose up -d");
    expect(pg.exec("docker volume ls -q").stdout).toBe("app_data\n");
    expect(pg.exec("docker compose down -v --rmi all").stderr).toBe("[+] Running 4/4\n ✔ Container app-db-1  Removed\n ✔ Network app_default  Removed\n ✔ Volume app_data  Removed\n ✔ Image redis:alpine  Removed\n");
    expect(pg.exec("docker volume ls -q").stdout).toBe("");
    const ext = project("services:\n  web:\n    image: nginx:alpine\n    networks: [shared]\nnetworks:\n  shared:\n    external: true\n");
    expect(ext.exec("docker compose up -d")).toMatchObject({ exitCode: 1, stderr: expect.stringContaining("network shared declared as external, but could not be found\n") });
    ext.exec("docker network create shared");
    expect(ext.exec("docker compose up -d").stderr).toContain(" ✔ Container app-web-1  Started\n");
  });

  it("a scaled service answers its name with every container's address (DNS round robin)", () => {
    const pg = project("services:\n  api:\n    image: nginx:alpine\n    deploy: {replicas: 3}\n  probe:\n    image: alpine\n    command: sleep 1d\n");
    pg.exec("docker compose up -d");
    const r = pg.exec("docker compose exec probe nslookup api");
    expect(r.stdout).toContain("Name:\tapi\nAddress: 172.18.0.2\nName:\tapi\nAddress: 172.18.0.3\nName:\tapi\nAddress: 172.18.0.4\n");
    expect(pg.exec("docker compose exec probe wget -qO- api").stdout).toContain("<title>Welcome to nginx!</title>");
  });

  it("logs prefix each container's lines with its service and number; stop, start and restart say what they did", () => {
    const pg = project(WEB);
    pg.exec("docker compose up -d && sleep 1");
    const logs = pg.exec("docker compose logs cache").stdout.split("\n");
    expect(logs[0]).toMatch(/^cache-1  \| 1:C 01 Jan 2026 00:00:0\d\.\d{3} \* oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo$/);
    expect(pg.exec("docker compose stop").stderr).toBe("[+] Stopping 2/2\n ✔ Container app-cache-1  Stopped\n ✔ Container app-web-1  Stopped\n");
    expect(pg.exec("docker compose ps -q").stdout).toBe("");
    expect(pg.exec("docker compose start").stderr).toBe("[+] Running 2/2\n ✔ Container app-cache-1  Started\n ✔ Container app-web-1  Started\n");
    expect(pg.exec("docker compose restart web").stderr).toBe("[+] Restarting 1/1\n ✔ Container app-web-1  Started\n");
    expect(pg.exec("docker compose top web").stdout).toMatch(/^app-web-1\nUID +PID +PPID/);
  });

  it("up without -d follows the containers' logs; Ctrl-C stops them as compose does", () => {
    const pg = project(WEB);
    pg.begin("docker compose up");
    pg.advance("2s");
    const shown = pg.output("node1");
    expect(shown).toContain("Attaching to cache-1, web-1\n");
    expect(shown).toMatch(/cache-1  \| 1:C .* Redis is starting/);
    pg.interrupt("node1");
    pg.advance("1s");
    const r = pg.wait("node1");
    expect(r.stderr).toContain("Gracefully stopping... (press Ctrl+C again to force)\n");
    expect(r.stderr).toContain("[+] Stopping 2/2\n");
    expect(pg.exec("docker compose ps -q").stdout).toBe("");
  });

  it("docker-compose (the course's command) is the same compose", () => {
    const pg = project(WEB);
    expect(pg.exec("docker-compose up -d").exitCode).toBe(0);
    expect(pg.exec("docker-compose ps --services").stdout).toBe("cache\nweb\n");
  });
});

describe("DockerCoins: the workers' speed is limited by rng and hasher (Scaling a Compose App)", () => {
  it("builds from its Dockerfiles (ruby:alpine, node:4-slim, python:alpine) and every service says it is up", () => {
    const pg = coins();
    pg.exec("sleep 2");
    expect(pg.exec("docker compose ps --format '{{.Service}} {{.State}}'").stdout).toBe("hasher running\nredis running\nrng running\nwebui running\nworker running\n");
    expect(pg.exec("curl -s localhost:8001").stdout).toMatch(/^RNG running on [0-9a-f]{12}\n$/);
    expect(pg.exec("curl -s localhost:8002").stdout).toMatch(/^HASHER running on [0-9a-f]{12}\n$/);
    expect(pg.exec("docker compose logs hasher").stdout).toContain("== Sinatra (v4.0.0) has taken the stage on 80 for development with backup from Thin");
    expect(pg.exec("docker compose logs webui").stdout).toBe("webui-1  | WEBUI running on port 80\n");
    expect(pg.exec("curl -s -X POST -d hello localhost:8002/").stdout).toBe("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  });

  it("hashes per second rise with the workers, then flatten at rng's ten requests a second; rng is the bottleneck", () => {
    const pg = coins();
    const speeds: number[] = [];
    for (const n of [1, 2, 3, 5, 10]) {
      pg.exec(`docker compose up -d --scale worker=${n}`);
      speeds.push(rate(pg));
    }
    expect(speeds).toEqual([3.3, 6.7, 10, 10, 10]);
    // The queue is at rng (latency grows with the workers); hasher answers in its own time.
    const t = (url: string, extra = "") => Number(pg.exec(`curl -s -o /dev/null -w '%{time_total}' ${extra} ${url}`).stdout);
    expect(t("localhost:8001/32")).toBeCloseTo(0.8, 1);
    expect(t("localhost:8002/", "-X POST -d x")).toBeCloseTo(0.1, 1);
    expect(pg.exec("drydock load").stdout).toMatch(/^rng +1 +100ms +800ms +10\.0\/s \(host-bound\) +10\.0\/s +<- bottleneck/m);
    expect(pg.exec("docker compose logs --tail 1 worker").stdout.split("\n")[0]).toBe("worker-1   | INFO:worker:1 units of work done, updating hash counter");
  });

  it("more rng containers on one host add nothing (host-bound, and its published port is taken); more hashers do nothing either", () => {
    const pg = coins();
    // A published port would stop a second rng or hasher (port is already allocated): this file leaves them out.
    const unpublished = DOCKERCOINS_COMPOSE.replace('    build: rng\n    ports:\n      - "8001:80"\n', "    build: rng\n").replace('    build: hasher\n    ports:\n      - "8002:80"\n', "    build: hasher\n");
    pg.writeFile("node1", "/root/dockercoins/compose.yml", unpublished);
    pg.exec("docker compose up -d --scale worker=10 --scale rng=3 --scale hasher=2");
    expect(pg.exec("docker compose ps --services --status running").stdout).toBe("hasher\nredis\nrng\nwebui\nworker\n");
    expect(rate(pg)).toBe(10);
  });
});
