import { describe, expect, it } from "vitest";
import { createPlayground, type Playground } from "../playground.js";

function project(yaml: string, dir = "/root/app"): Playground {
  const pg = createPlayground({ seed: 9 });
  pg.writeFile("node1", `${dir}/compose.yaml`, yaml);
  pg.exec(`cd ${dir}`);
  return pg;
}

const HEALTHY_DB = `services:
  web:
    image: nginx:alpine
    ports: ["8080:80"]
    depends_on:
      db:
        condition: service_healthy
  db:
    image: redis:alpine
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      interval: 2s
      retries: 3
`;

const SICK_DB = `services:
  web:
    image: nginx:alpine
    depends_on:
      db:
        condition: service_healthy
  db:
    image: alpine
    command: sleep 1000
    healthcheck:
      test: exit 1
      interval: 1s
      retries: 2
`;

describe("compose healthcheck: and depends_on service_healthy (docker/compose pkg/compose/convergence.go)", () => {
  it("up waits for the dependency's first healthy probe (polling every 500ms), then starts the dependant; the frame says Healthy", () => {
    const pg = project(HEALTHY_DB);
    pg.exec("docker compose pull -q");
    const t0 = pg.now;
    const r = pg.exec("docker compose up -d");
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe("[+] Running 3/3\n ✔ Network app_default  Created\n ✔ Container app-db-1  Healthy\n ✔ Container app-web-1  Started\n");
    // The first probe runs an interval (2s) after db starts; compose sees it at its next 500ms tick.
    expect(pg.now - t0).toBe(2_500_000);
    const health = JSON.parse(pg.exec("docker inspect -f '{{json .State.Health}}' app-db-1").stdout) as { Status: string; Log: { ExitCode: number; Output: string }[] };
    expect(health.Status).toBe("healthy");
    expect(health.Log).toEqual([expect.objectContaining({ ExitCode: 0, Output: "PONG\n" })]);
    expect(pg.exec("docker compose ps --format '{{.Name}} {{.Health}} {{.Status}}'").stdout).toBe("app-db-1 healthy Up 2 seconds (healthy)\napp-web-1  Up Less than a second\n");
    // The healthcheck is the container's: .Config.Healthcheck in nanoseconds (compose convert.go ToMobyHealthCheck).
    expect(pg.exec("docker inspect -f '{{json .Config.Healthcheck}}' app-db-1").stdout).toBe('{"Test":["CMD","redis-cli","ping"],"Interval":2000000000,"Retries":3}\n');
  });

  it("an unhealthy dependency fails up with compose's text; the dependant stays created", () => {
    const pg = project(SICK_DB);
    pg.exec("docker compose pull -q");
    const r = pg.exec("docker compose up -d");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("[+] Running 2/3\n ✔ Network app_default  Created\n ✘ Container app-db-1  Error\n ✔ Container app-web-1  Created\ndependency failed to start: container app-db-1 is unhealthy\n");
    expect(pg.exec("docker compose ps -a --format '{{.Name}} {{.State}} {{.Health}}'").stdout).toBe("app-db-1 running unhealthy\napp-web-1 created \n");
  });

  it("a dependency without a healthcheck, or one that exited, fails service_healthy at once", () => {
    const none = project(SICK_DB.replace(/    healthcheck:\n(      .*\n)+/, ""));
    none.exec("docker compose pull -q");
    expect(none.exec("docker compose up -d").stderr).toMatch(/\ndependency failed to start: container app-db-1 has no healthcheck configured\n$/);
    const exited = project(SICK_DB.replace("command: sleep 1000", "command: \"true\""));
    exited.exec("docker compose pull -q && docker compose up -d db && sleep 1");
    expect(exited.exec("docker compose up -d").stderr).toMatch(/\ndependency failed to start: container app-db-1 exited \(0\)\n$/);
  });

  it("healthcheck: disable: true is NONE: no probes, and service_healthy fails", () => {
    const pg = project(SICK_DB.replace("      retries: 2\n", "      retries: 2\n      disable: true\n"));
    pg.exec("docker compose pull -q");
    expect(pg.exec("docker compose up -d").stderr).toMatch(/container app-db-1 has no healthcheck configured\n$/);
    expect(pg.exec("docker inspect -f '{{json .Config.Healthcheck}}' app-db-1").stdout).toBe('{"Test":["NONE"],"Interval":1000000000,"Retries":2}\n');
  });

  it("required: false makes a failed dependency a skipped one (compose's warning path): web starts", () => {
    const pg = project(SICK_DB.replace("        condition: service_healthy\n", "        condition: service_healthy\n        required: false\n"));
    pg.exec("docker compose pull -q");
    const r = pg.exec("docker compose up -d");
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(" ✔ Container app-web-1  Started\n");
  });

  it("service_completed_successfully waits for the dependency to exit 0", () => {
    const pg = project(`services:
  app:
    image: alpine
    command: sleep 100
    depends_on:
      migrate:
        condition: service_completed_successfully
  migrate:
    image: alpine
    command: sleep 1
`);
    pg.exec("docker compose pull -q");
    const r = pg.exec("docker compose up -d");
    expect(r.stderr).toBe("[+] Running 3/3\n ✔ Network app_default  Created\n ✔ Container app-migrate-1  Exited\n ✔ Container app-app-1  Started\n");
    const bad = project(`services:
  app:
    image: alpine
    depends_on:
      migrate:
        condition: service_completed_successfully
  migrate:
    image: alpine
    command: "false"
`);
    bad.exec("docker compose pull -q");
    const f = bad.exec("docker compose up -d");
    expect(f.exitCode).toBe(1);
    expect(f.stderr).toMatch(/\nservice "migrate" didn't complete successfully: exit 1\n$/);
  });

  it("up --wait waits for every service to run, or be healthy when it has a healthcheck (pkg/compose/start.go)", () => {
    const pg = project(HEALTHY_DB.replace("        condition: service_healthy\n", "        condition: service_started\n"));
    pg.exec("docker compose pull -q");
    const t0 = pg.now;
    const r = pg.exec("docker compose up --wait");
    expect(r.stderr).toBe("[+] Running 3/3\n ✔ Network app_default  Created\n ✔ Container app-db-1  Healthy\n ✔ Container app-web-1  Healthy\n");
    expect(pg.now - t0).toBe(2_500_000);
    const sick = project(SICK_DB.replace("        condition: service_healthy\n", "        condition: service_started\n"));
    sick.exec("docker compose pull -q");
    const f = sick.exec("docker compose up --wait");
    expect(f.exitCode).toBe(1);
    expect(f.stderr).toMatch(/\ncontainer app-db-1 is unhealthy\n$/);
    // --wait-timeout: compose gives up (a healthcheck that only answers after a minute).
    const slow = project(HEALTHY_DB.replace("interval: 2s", "interval: 60s").replace("        condition: service_healthy\n", "        condition: service_started\n"));
    slow.exec("docker compose pull -q");
    const t1 = slow.now;
    const w = slow.exec("docker compose up --wait --wait-timeout 3");
    expect(w.exitCode).toBe(1);
    expect(w.stderr).toMatch(/\napplication not healthy after 3s\n$/);
    expect(slow.now - t1).toBe(3_000_000);
  });

  it("start_interval without start_period is refused as compose does, and nothing is created", () => {
    const pg = project(HEALTHY_DB.replace("      retries: 3\n", "      retries: 3\n      start_interval: 1s\n"));
    pg.exec("docker compose pull -q");
    const r = pg.exec("docker compose up -d");
    expect(r).toMatchObject({ exitCode: 1, stderr: "healthcheck.start_interval requires healthcheck.start_period to be set\n" });
    expect(pg.exec("docker ps -aq").stdout).toBe("");
    expect(pg.exec("docker network ls --format '{{.Name}}'").stdout).not.toContain("app_default");
  });

  it("up without -d waits, then follows every container's logs from their start (db's start-up lines too)", () => {
    const pg = project(HEALTHY_DB);
    pg.exec("docker compose pull -q");
    expect(pg.begin("docker compose up")).toBeNull();
    pg.advance(4_000_000);
    pg.interrupt();
    pg.wait();
    const out = pg.output();
    expect(out).toContain(" ✔ Container app-db-1  Healthy\n ✔ Container app-web-1  Started\nAttaching to db-1, web-1\n");
    expect(out.indexOf("db-1   | 1:C")).toBeGreaterThan(out.indexOf("Attaching to"));
    expect(out.indexOf("db-1   | 1:C")).toBeLessThan(out.indexOf("web-1  | "));
  });

  it("compose start waits for the healthy dependency too", () => {
    const pg = project(HEALTHY_DB);
    pg.exec("docker compose create 2>/dev/null");
    expect(pg.exec("docker compose start").stderr).toBe("[+] Running 2/2\n ✔ Container app-db-1  Healthy\n ✔ Container app-web-1  Started\n");
  });
});
