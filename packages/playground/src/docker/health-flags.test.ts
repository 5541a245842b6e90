import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

describe("docker run --health-* and the image's HEALTHCHECK (docker/cli opts.go, moby daemon/commit.go merge)", () => {
  it("--health-cmd is CMD-SHELL with the given settings; inspect shows them in nanoseconds", () => {
    const pg = createPlayground({ seed: 3 });
    pg.exec("docker pull -q alpine");
    pg.exec("docker run -d --name hc --health-cmd 'echo ok' --health-interval 2s --health-timeout 1s --health-retries 4 --health-start-period 3s --health-start-interval 500ms alpine sleep 100");
    expect(pg.exec("docker inspect -f '{{json .Config.Healthcheck}}' hc").stdout).toBe(
      '{"Test":["CMD-SHELL","echo ok"],"Interval":2000000000,"Timeout":1000000000,"StartPeriod":3000000000,"StartInterval":500000000,"Retries":4}\n',
    );
    pg.exec("sleep 1");
    expect(pg.exec("docker ps --format '{{.Status}}'").stdout).toBe("Up 1 second (healthy)\n");
  });

  it("--no-healthcheck conflicts with --health-*; alone it is NONE; a bad value is the daemon's error and creates nothing", () => {
    const pg = createPlayground({ seed: 3 });
    pg.exec("docker pull -q alpine");
    expect(pg.exec("docker run --no-healthcheck --health-retries 2 alpine")).toMatchObject({
      exitCode: 125, stderr: "docker: --no-healthcheck conflicts with --health-* options\n\nRun 'docker run --help' for more information\n",
    });
    pg.exec("docker create --name nohc --no-healthcheck alpine");
    expect(pg.exec("docker inspect -f '{{json .Config.Healthcheck}}' nohc").stdout).toBe('{"Test":["NONE"]}\n');
    const bad = pg.exec("docker create --health-cmd true --health-interval 100us alpine");
    expect(bad).toMatchObject({ exitCode: 1, stderr: "Error response from daemon: Interval in Healthcheck cannot be less than 1ms\n" });
    expect(pg.exec("docker ps -aq | wc -l").stdout.trim()).toBe("1");
  });

  it("a built image's HEALTHCHECK is in its config and runs; --health-* on the command line override its fields", () => {
    const pg = createPlayground({ seed: 3 });
    pg.writeFile("node1", "/root/img/Dockerfile", "FROM alpine\nHEALTHCHECK --interval=1s --retries=2 CMD [\"false\"]\nCMD [\"sleep\", \"100\"]\n");
    pg.exec("cd /root/img && docker build -q -t checked . >/dev/null");
    expect(pg.exec("docker image inspect -f '{{json .Config.Healthcheck}}' checked").stdout).toBe('{"Test":["CMD","false"],"Interval":1000000000,"Retries":2}\n');
    pg.exec("docker run -d --name aa checked && docker run -d --name bb --health-cmd true checked");
    pg.exec("sleep 2");
    expect(pg.exec("docker ps --format '{{.Names}} {{.Status}}'").stdout).toBe("bb Up 2 seconds (healthy)\naa Up 2 seconds (unhealthy)\n");
    expect(pg.exec("docker inspect -f '{{json .Config.Healthcheck}}' bb").stdout).toBe('{"Test":["CMD-SHELL","true"],"Interval":1000000000,"Retries":2}\n');
    expect(pg.exec("docker ps --filter health=unhealthy --format '{{.Names}}'").stdout).toBe("aa\n");
    expect(pg.exec("docker ps --filter health=none --format '{{.Names}}'").stdout).toBe("");
  });

  it("the course's probes: pg_isready and redis-cli ping answer once their server in the container is ready (PostgreSQL 16's and redis 7.4's texts)", () => {
    const pg = createPlayground({ seed: 3 });
    pg.exec("docker pull -q postgres:16-alpine && docker pull -q redis:alpine && docker pull -q alpine");
    pg.exec("docker run -d --name db -e POSTGRES_PASSWORD=x postgres:16-alpine");
    expect(pg.exec("docker exec db pg_isready")).toMatchObject({ exitCode: 2, stdout: "/var/run/postgresql:5432 - no response\n" });
    pg.exec("sleep 5");
    expect(pg.exec("docker exec db pg_isready -U postgres")).toMatchObject({ exitCode: 0, stdout: "/var/run/postgresql:5432 - accepting connections\n" });
    expect(pg.exec("docker exec db pg_isready -h localhost -q")).toMatchObject({ exitCode: 0, stdout: "" });
    pg.exec("docker run -d --name cache redis:alpine");
    expect(pg.exec("docker exec cache redis-cli ping")).toMatchObject({ exitCode: 0, stdout: "PONG\n" });
    pg.exec("docker run -d --name other redis:alpine sleep 100");
    expect(pg.exec("docker exec other redis-cli ping")).toMatchObject({ exitCode: 1, stderr: "Could not connect to Redis at 127.0.0.1:6379: Connection refused\n" });
  });
});
