import { describe, expect, it } from "vitest";
// Defects from docs/qa/2026-11-30-course-walkthrough.md, each pinned with the real behaviour.
import { createPlayground } from "../index.js";

const idOf = (pg: ReturnType<typeof createPlayground>, what: string, format: string) => pg.exec(`docker inspect --format '${format}' ${what}`).stdout.trim();

// QA #5: `docker rmi nginx` deleted an image a container (running or stopped) used.
// moby daemon/images/image_delete.go: ImageDelete, imageDeleteHelper, checkImageDeleteConflict.
describe("QA #5: docker rmi of an image a container uses", () => {
  const setup = (stopped: boolean) => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker run -d --name n1 nginx");
    if (stopped) pg.exec("docker stop n1");
    const cid = idOf(pg, "n1", "{{.Id}}").slice(0, 12);
    const iid = idOf(pg, "nginx", "{{.Id}}").slice(7, 19);
    return { pg, cid, iid };
  };

  for (const stopped of [false, true]) {
    it(`by reference, no force, ${stopped ? "stopped" : "running"} container: moby's "must force" conflict, world unchanged`, () => {
      const { pg, cid, iid } = setup(stopped);
      const before = pg.exec("docker images").stdout;
      const r = pg.exec("docker rmi nginx");
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toBe(`Error response from daemon: conflict: unable to remove repository reference "nginx" (must force) - container ${cid} is using its referenced image ${iid}\n`);
      expect(r.stdout).toBe("");
      expect(pg.exec("docker images").stdout).toBe(before);
    });
  }

  it("by reference with -f, running container: Untagged only; the image stays as <none> (the hard conflict is ignored quietly)", () => {
    const { pg, iid } = setup(false);
    const r = pg.exec("docker rmi -f nginx");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Untagged: nginx:latest\nUntagged: nginx@sha256:[0-9a-f]{64}\n$/);
    expect(pg.exec("docker images --format '{{.Repository}}:{{.Tag}} {{.ID}}'").stdout).toContain(`<none>:<none> ${iid}`);
    // moby list.go refreshImage: the name no longer resolves, so docker ps shows the image ID.
    expect(pg.exec("docker ps --format '{{.Names}} {{.Image}}'").stdout).toBe(`n1 ${iid}\n`);
  });

  it("by reference with -f, stopped container: the image is deleted (a stopped container is a soft conflict)", () => {
    const { pg } = setup(true);
    const r = pg.exec("docker rmi -f nginx");
    expect(r.stdout).toMatch(/^Untagged: nginx:latest\nUntagged: nginx@sha256:[0-9a-f]{64}\nDeleted: sha256:[0-9a-f]{64}\n$/);
    expect(pg.exec("docker ps -a -q").stdout.trim()).not.toBe("");
  });

  it("by ID, running container: (cannot be forced), with or without -f", () => {
    const { pg, cid, iid } = setup(false);
    for (const cmd of [`docker rmi ${iid}`, `docker rmi -f ${iid}`]) {
      const r = pg.exec(cmd);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toBe(`Error response from daemon: conflict: unable to delete ${iid} (cannot be forced) - image is being used by running container ${cid}\n`);
    }
    expect(pg.exec("docker images --format '{{.Repository}}:{{.Tag}}'").stdout).toContain("nginx:latest");
  });

  it("by ID, stopped container: (must be forced) without -f; deleted with -f", () => {
    const { pg, cid, iid } = setup(true);
    const r = pg.exec(`docker rmi ${iid}`);
    expect(r.stderr).toBe(`Error response from daemon: conflict: unable to delete ${iid} (must be forced) - image is being used by stopped container ${cid}\n`);
    expect(pg.exec(`docker rmi -f ${iid}`).stdout).toMatch(/^Untagged: nginx:latest\nUntagged: nginx@sha256:[0-9a-f]{64}\nDeleted: sha256:/);
  });

  it("an image with two tags: untagging one is allowed while a container uses it", () => {
    const { pg } = setup(false);
    pg.exec("docker tag nginx web:1");
    // No nginx tag is left, so nginx's digest reference goes too; web:1 keeps the image.
    expect(pg.exec("docker rmi nginx").stdout).toMatch(/^Untagged: nginx:latest\nUntagged: nginx@sha256:[0-9a-f]{64}\n$/);
    expect(pg.exec("docker rmi web:1").exitCode).toBe(1);
  });

  it("an unused image is removed at once; its repository's digest reference is untagged too, as moby prints it", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker pull alpine");
    const digest = pg.exec("docker inspect --format '{{index .RepoDigests 0}}' alpine").stdout.trim();
    expect(digest).toMatch(/^alpine@sha256:[0-9a-f]{64}$/);
    expect(pg.exec("docker rmi alpine").stdout).toMatch(new RegExp(`^Untagged: alpine:latest\nUntagged: ${digest}\nDeleted: sha256:[0-9a-f]{64}\n$`));
  });
});

// QA #10 and #17: tags the course and its exercise book use were missing from the catalogue
// (Docker Hub still serves them: postgres 9.6.24 on alpine 3.15, python 3.4.10 on alpine 3.9, nginx 1.25.5).
describe("QA #10, #17: the course's image tags pull and run", () => {
  it("docker run -d postgres:9-alpine with a volume: PostgreSQL 9.6.24 on Alpine 3.15", () => {
    const pg = createPlayground({ seed: 1 });
    const r = pg.exec("docker run --name some-postgres -v db_backup:/var/lib/postgresql/data -e POSTGRES_PASSWORD=pw -d postgres:9-alpine");
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain("9-alpine: Pulling from library/postgres");
    expect(pg.exec("docker exec some-postgres postgres --version").stdout).toBe("postgres (PostgreSQL) 9.6.24\n");
    expect(pg.exec("docker exec some-postgres cat /etc/alpine-release").stdout).toBe("3.15.0\n");
    expect(pg.exec("docker inspect --format '{{range .Config.Env}}{{println .}}{{end}}' postgres:9-alpine").stdout).toContain("PG_MAJOR=9.6\n");
  });

  it("FROM python:3.4-alpine builds, and python is 3.4.10", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("mkdir /root/c && cd /root/c && printf 'FROM python:3.4-alpine\\nCMD [\"python\", \"--version\"]\\n' > Dockerfile");
    const b = pg.exec("cd /root/c && docker build -t c34 .");
    expect(b.exitCode).toBe(0);
    expect(pg.exec("docker run --rm c34").stdout + pg.exec("docker run --rm c34").stderr).toContain("Python 3.4.10");
    expect(pg.exec("docker run --rm python:3.4-alpine cat /etc/alpine-release").stdout).toBe("3.9.2\n");
  });

  it("docker pull nginx:1.25 and python:3.5-alpine: both on Docker Hub", () => {
    const pg = createPlayground({ seed: 1 });
    expect(pg.exec("docker pull nginx:1.25").exitCode).toBe(0);
    expect(pg.exec("docker run --rm nginx:1.25 nginx -v").stderr + pg.exec("docker run --rm nginx:1.25 env").stdout).toContain("NGINX_VERSION=1.25.5");
    expect(pg.exec("docker pull python:3.5-alpine").exitCode).toBe(0);
  });

  it("docker service create --replicas 4 -p 8000:80 nginx:1.25 converges on a swarm of two (no `No such image` rejections)", () => {
    const pg = createPlayground({ nodes: ["node1", "node2"] });
    pg.exec("docker swarm init", { on: "node1" });
    const token = pg.exec("docker swarm join-token -q worker", { on: "node1" }).stdout.trim();
    pg.exec(`docker swarm join --token ${token} 10.0.0.11:2377`, { on: "node2" });
    pg.exec("docker service create -d --name app --replicas 4 -p 8000:80 nginx:1.25", { on: "node1" });
    pg.advance("30s");
    const ps = pg.exec("docker service ps app --format '{{.Image}} {{.CurrentState}} {{.Error}}'", { on: "node1" }).stdout;
    expect(ps).not.toContain("No such image");
    expect(ps.trim().split("\n").filter((l) => l.startsWith("nginx:1.25 Running"))).toHaveLength(4);
  });
});

// QA #12: a container's `curl -s http://example.com` printed nothing (exit 0), a name that does not
// resolve "worked", and the host answered a made-up page for any name. The simulated internet
// (engine network/internet.ts): well-known sites answer as they do; RFC 6761's .invalid never resolves.
describe("QA #12: the internet from a container and from the host", () => {
  const EXAMPLE = /^<!doctype html><html lang="en"><head><title>Example Domain<\/title>.*<h1>Example Domain<\/h1><p>This domain is for use in documentation examples without needing permission\. Avoid use in operations\.<p><a href="https:\/\/iana\.org\/domains\/example">Learn more<\/a><\/div><\/body><\/html>\n$/;

  it("curl -s http://example.com in centos:7 prints example.com's page, exit 0", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker pull centos:7");
    const r = pg.exec("docker run --rm centos:7 curl -s http://example.com");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(EXAMPLE);
  });

  it("BusyBox wget -qO- http://example.com in alpine prints the page", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker pull alpine");
    expect(pg.exec("docker run --rm alpine wget -qO- http://example.com").stdout).toMatch(EXAMPLE);
  });

  it("a name under .invalid: curl (6) Could not resolve host, exit 6; BusyBox wget: bad address, exit 1", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker pull centos:7");
    pg.exec("docker pull alpine");
    const c = pg.exec("docker run --rm centos:7 curl http://nosuch.invalid");
    expect(c.exitCode).toBe(6);
    expect(c.stderr).toContain("curl: (6) Could not resolve host: nosuch.invalid\n");
    const w = pg.exec("docker run --rm alpine wget -O- http://nosuch.invalid");
    expect(w.exitCode).toBe(1);
    expect(w.stderr).toContain("wget: bad address 'nosuch.invalid'\n");
  });

  it("on the host: curl of a .invalid name exits 6; example.com gives its page; google.com its real 301", () => {
    const pg = createPlayground({ seed: 1 });
    const bad = pg.exec("curl http://nosuchhost.invalid");
    expect(bad.exitCode).toBe(6);
    expect(bad.stderr).toBe("curl: (6) Could not resolve host: nosuchhost.invalid\n");
    expect(pg.exec("curl -s http://example.com").stdout).toMatch(EXAMPLE);
    const g = pg.exec("curl -sI http://google.com");
    expect(g.stdout).toMatch(/^HTTP\/1\.1 301 Moved Permanently\nLocation: http:\/\/www\.google\.com\/\n/);
    expect(pg.exec("curl -s -o /dev/null -w '%{http_code}' http://github.com").stdout).toBe("301");
  });
});

// QA #27: `docker cp lf:/etc/hostname .` copied the image's file ("localhost"), while processes see
// the container's managed one (moby bind-mounts it; the archive path copies from the mounts too).
describe("QA #27: docker cp of a container's managed /etc files", () => {
  it("copies the container's /etc/hostname (its short ID), as `docker exec cat` shows it", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker run -d --name lf alpine ping 127.0.0.1");
    const inside = pg.exec("docker exec lf cat /etc/hostname").stdout;
    expect(inside).toMatch(/^[0-9a-f]{12}\n$/);
    expect(pg.exec("cd /root && docker cp lf:/etc/hostname . && cat hostname").stdout).toBe(inside);
    expect(pg.exec("docker cp lf:/etc/resolv.conf /root/r && cat /root/r").stdout).toContain("# Generated by Docker Engine.");
  });

  it("a container never started still gives the image's file", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker create --name fresh alpine");
    expect(pg.exec("cd /root && docker cp fresh:/etc/hostname h && cat h").stdout).toBe("localhost\n");
  });
});

// QA #29: a lowercase `dockerfile` was rejected. docker/cli's ResolveDockerfilePath (and BuildKit's
// dockerui) fall back to `dockerfile` when there is no `Dockerfile` and no -f.
describe("QA #29: the lowercase dockerfile fallback", () => {
  it("builds from ./dockerfile when there is no Dockerfile", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("mkdir /root/b && cd /root/b && printf 'FROM alpine\\nCMD echo hi\\n' > dockerfile");
    const r = pg.exec("cd /root/b && docker build -t b .");
    expect(r.exitCode).toBe(0);
    expect(pg.exec("docker run --rm b").stdout).toBe("hi\n");
  });

  it("Dockerfile wins when both exist; with neither, BuildKit's error names Dockerfile", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("mkdir /root/b && cd /root/b && printf 'FROM alpine\\nCMD echo lower\\n' > dockerfile && printf 'FROM alpine\\nCMD echo upper\\n' > Dockerfile");
    pg.exec("cd /root/b && docker build -t b .");
    expect(pg.exec("docker run --rm b").stdout).toBe("upper\n");
    pg.exec("mkdir /root/e");
    expect(pg.exec("cd /root/e && docker build -t e .").stderr).toContain("failed to read dockerfile: open Dockerfile: no such file or directory");
  });
});
