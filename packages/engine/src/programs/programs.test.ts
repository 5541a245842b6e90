import { describe, expect, it } from "vitest";
import { Host, S, engineWith } from "../containers/testing.test-util.js";
import { logLines } from "../containers/logs.js";
import { allProcesses } from "../host/procs.js";
import { volumeData } from "../volumes/index.js";
import { nodeAtPath } from "../containers/mounts.js";

const text = (h: Host, ref: string) => logLines(h.get(ref).logs, h.env.programs, h.now).map((l) => l.text).join("");

describe("the images' programs, started through their entrypoints as Docker starts them", () => {
  it("hello-world prints Docker's text and exits 0", () => {
    const h = new Host(engineWith("hello-world"));
    h.do((d) => d.create({ image: "hello-world", name: "hi" }));
    h.do((d) => d.start("hi"));
    h.advance(S);
    expect(text(h, "hi")).toContain("\nHello from Docker!\nThis message shows that your installation appears to be working correctly.\n");
    expect(h.status("hi")).toBe("exited");
  });

  it("nginx: the entrypoint's lines, its notices, workers under the master, and a graceful exit on its SIGQUIT stop signal", () => {
    const h = new Host(engineWith("nginx:1.27"));
    h.do((d) => d.create({ image: "nginx:1.27", name: "web" }));
    h.do((d) => d.start("web"));
    h.advance(S);
    const out = text(h, "web");
    expect(out).toMatch(/^\/docker-entrypoint\.sh: \/docker-entrypoint\.d\/ is not empty, will attempt to perform configuration\n/);
    expect(out).toContain("/docker-entrypoint.sh: Configuration complete; ready for start up\n");
    expect(out).toContain("[notice] 1#1: nginx/1.27.2\n");
    expect(out).toContain("[notice] 1#1: start worker process 29\n");
    const procs = allProcesses(h.engine.kernel).filter((p) => p.container === h.get("web").id);
    expect(procs.map((p) => p.argv.join(" "))).toEqual(["nginx: master process nginx -g daemon off;", "nginx: worker process", "nginx: worker process"]);
    h.do((d) => d.stop("web"));
    h.advance(S);
    expect(h.status("web")).toBe("exited");
    expect(h.get("web").state.exitCode).toBe(0);
    expect(text(h, "web")).toContain("[notice] 1#1: signal 3 (SIGQUIT) received, shutting down\n");
  });

  it("redis: saves its RDB in the /data volume on SIGTERM; the next container on that volume loads it", () => {
    const h = new Host(engineWith("redis:7.4"));
    h.do((d) => d.create({ image: "redis:7.4", name: "r1", mounts: [{ type: "volume", source: "rdata", target: "/data", readOnly: false }] }));
    h.do((d) => d.start("r1"));
    h.advance(S);
    expect(text(h, "r1")).toContain("* Ready to accept connections tcp\n");
    h.do((d) => d.stop("r1"));
    h.advance(S);
    expect(h.get("r1").state.exitCode).toBe(0);
    expect(text(h, "r1")).toContain("* DB saved on disk\n");
    expect(nodeAtPath(volumeData(h.engine, "rdata")!, "/dump.rdb")).toBeDefined();
    h.do((d) => d.create({ image: "redis:7.4", name: "r2", mounts: [{ type: "volume", source: "rdata", target: "/data", readOnly: false }] }));
    h.do((d) => d.start("r2"));
    h.advance(S);
    expect(text(h, "r2")).toContain("* DB loaded from disk: 0.000 seconds\n");
  });

  it("postgres: refuses to initialise without a password; initialises PGDATA once, and a second container on the volume skips it", () => {
    const h = new Host(engineWith("postgres:16"));
    h.do((d) => d.create({ image: "postgres:16", name: "nopw" }));
    h.do((d) => d.start("nopw"));
    h.advance(S);
    expect(h.get("nopw").state.exitCode).toBe(1);
    expect(text(h, "nopw")).toMatch(/^Error: Database is uninitialized and superuser password is not specified\.\n/);
    const vol = [{ type: "volume" as const, source: "pgdata", target: "/var/lib/postgresql/data", readOnly: false }];
    h.do((d) => d.create({ image: "postgres:16", name: "db1", env: ["POSTGRES_PASSWORD=secret"], mounts: vol }));
    h.do((d) => d.start("db1"));
    h.advance(5 * S);
    const first = text(h, "db1");
    expect(first).toContain("PostgreSQL init process complete; ready for start up.\n");
    expect(first.trimEnd().split("\n").at(-1)).toMatch(/ \[1\] LOG: {2}database system is ready to accept connections$/);
    h.do((d) => d.stop("db1"));
    h.advance(S);
    expect(h.get("db1").state.exitCode).toBe(0);
    h.do((d) => d.create({ image: "postgres:16", name: "db2", env: ["POSTGRES_PASSWORD=secret"], mounts: vol }));
    h.do((d) => d.start("db2"));
    h.advance(5 * S);
    expect(text(h, "db2")).toContain("PostgreSQL Database directory appears to contain a database; Skipping initialization");
  });

  it("registry:2 serves its config through the entrypoint and listens on 5000", () => {
    const h = new Host(engineWith("registry:2"));
    h.do((d) => d.create({ image: "registry:2", name: "reg" }));
    h.do((d) => d.start("reg"));
    h.advance(S);
    expect(h.status("reg")).toBe("running");
    expect(h.get("reg").run?.plan.ports).toEqual([5000]);
    expect(text(h, "reg")).toContain('level=info msg="listening on [::]:5000"');
  });

  it("an entrypoint wrapper is followed: redis-server runs as the image's ENTRYPOINT hands it over", () => {
    const h = new Host(engineWith("redis:7.4"));
    h.do((d) => d.create({ image: "redis:7.4", name: "cache" }));
    expect(h.get("cache").path).toBe("docker-entrypoint.sh");
    h.do((d) => d.start("cache"));
    expect(h.get("cache").run?.plan.program).toBe("redis-server");
  });
});
