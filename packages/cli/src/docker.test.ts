import { describe, expect, it } from "vitest";
import { createContext } from "@drydock/image";
import { ShellSession } from "./session.js";
import type { CliIO } from "./docker.js";

const DOCKERFILE = `FROM alpine:3.20
RUN apk add --no-cache curl
COPY app.sh /app.sh
CMD ["/app.sh"]
`;

function io(files: Record<string, string>): CliIO {
  return {
    readContext: (_path, name) => ({ context: createContext(files), dockerfile: files[name] }),
  };
}

describe("docker commands in a shell session (one simulated host)", () => {
  it("pull, build, images: the world persists between command lines", () => {
    const sh = new ShellSession(io({ Dockerfile: DOCKERFILE, "app.sh": "echo hi" }));
    expect(sh.run("docker pull alpine:3.20").stdout).toContain("Status: Downloaded newer image for alpine:3.20");
    const b = sh.run("docker build -t web:1 .");
    expect(b.code).toBe(0);
    expect(b.stdout).toContain("naming to docker.io/library/web:1");
    const images = sh.run("docker images").stdout;
    expect(images).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE/);
    expect(images).toMatch(/\nweb\s+1\s+[0-9a-f]{12}\s/);
    expect(images).toMatch(/\nalpine\s+3\.20\s/);
  });

  it("a rebuild with unchanged inputs is CACHED at every step (BuildKit cache)", () => {
    const sh = new ShellSession(io({ Dockerfile: DOCKERFILE, "app.sh": "echo hi" }));
    sh.run("docker build -t web:1 .");
    const again = sh.run("docker build -t web:2 .").stdout;
    expect(again.match(/CACHED/g)?.length).toBe(3);
  });

  it("docker images -q lists each image ID once", () => {
    const sh = new ShellSession(io({ Dockerfile: DOCKERFILE, "app.sh": "x" }));
    sh.run("docker build -t a .");
    sh.run("docker tag a b");
    expect(sh.run("docker images -q").stdout.trim().split("\n")).toHaveLength(1);
  });

  it("a broken Dockerfile fails with BuildKit's message and its line, and changes nothing", () => {
    const sh = new ShellSession(io({ Dockerfile: "FROM alpine\nFOO bar\n" }));
    const before = sh.run("docker images").stdout;
    const r = sh.run("docker build -t broken .");
    expect(r.code).toBe(1);
    // buildx quotes the Dockerfile around the failing line, then the error.
    expect(r.stderr).toMatch(/^Dockerfile:2\n-{20}\n {3}1 \| {5}FROM alpine\n {3}2 \| >>> FOO bar\n/);
    expect(r.stderr).toMatch(/\nERROR: failed to build: failed to solve: dockerfile parse error on line 2: unknown instruction: FOO/);
    expect(sh.run("docker images").stdout).toBe(before);
  });

  it("after a failed build, fixing the line reuses the steps before it (BuildKit keeps their cache)", () => {
    const files: Record<string, string> = { Dockerfile: "FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN exit 3\n" };
    const sh = new ShellSession(io(files));
    const bad = sh.run("docker build -t app .");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('process "/bin/sh -c exit 3" did not complete successfully: exit code: 3');
    expect(sh.run("docker images -q").stdout).toBe("");
    files.Dockerfile = "FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN true\n";
    const good = sh.run("docker build -t app .").stdout;
    expect(good).toMatch(/\[2\/3\] RUN apk add --no-cache curl\n#\d+ CACHED/);
  });

  it("a build whose base image does not exist fails at its FROM line, not as a parse error", () => {
    const sh = new ShellSession(io({ Dockerfile: "FROM nosuchbase:9\nRUN true\n" }));
    const r = sh.run("docker build -q .");
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(">>> FROM nosuchbase:9");
    expect(r.stderr).toMatch(/ERROR: failed to build: failed to solve: failed to resolve source metadata for docker.io\/library\/nosuchbase:9/);
    expect(r.stderr).not.toContain("dockerfile parse error");
  });

  it("daemon errors carry Docker's prefix and words", () => {
    const sh = new ShellSession();
    expect(sh.run("docker rmi nosuch").stderr).toBe("Error response from daemon: No such image: nosuch\n");
    expect(sh.run("docker pull nosuchthing/really").stderr).toMatch(/^Error response from daemon: pull access denied for nosuchthing\/really, repository does not exist/);
  });

  it("reference errors are the CLI's own (distribution/reference)", () => {
    const r = new ShellSession().run("docker pull Ubuntu");
    expect(r.stderr).toBe("invalid reference format: repository name (library/Ubuntu) must be lowercase\n");
  });

  it("usage errors: unknown flags exit 125, wrong argument counts print cobra's usage", () => {
    const sh = new ShellSession();
    expect(sh.run("docker images --bogus")).toMatchObject({ code: 125, stderr: "unknown flag: --bogus\nSee 'docker images --help'.\n" });
    const r = sh.run("docker tag onlyone");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^"docker tag" requires exactly 2 arguments\.\nSee 'docker tag --help'\.\n\nUsage:  docker tag SOURCE_IMAGE\[:TAG\] TARGET_IMAGE\[:TAG\]/);
    expect(sh.run("docker frob").stderr).toBe("docker: 'frob' is not a docker command.\nSee 'docker --help'\n");
  });

  it("management-command forms reach the same commands (docker image ls, docker system df)", () => {
    const sh = new ShellSession();
    sh.run("docker pull busybox");
    expect(sh.run("docker image ls").stdout).toBe(sh.run("docker images").stdout);
    expect(sh.run("docker system df").stdout).toMatch(/^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE\nImages\s+1\s/);
  });

  it("pushing to Docker Hub needs a login to your own namespace", () => {
    const sh = new ShellSession(io({ Dockerfile: DOCKERFILE, "app.sh": "x" }));
    sh.run("docker build -t alice/web:1 .");
    expect(sh.run("docker push alice/web:1").stderr).toContain("denied: requested access to the resource is denied");
    expect(sh.run("docker login -u alice").stdout).toBe("Login Succeeded\n");
    expect(sh.run("docker push alice/web:1").code).toBe(0);
  });

  it("shell words: quotes and escapes as a POSIX shell splits them", () => {
    const sh = new ShellSession();
    expect(sh.run('docker pull "busybox"').code).toBe(0);
    expect(sh.run("docker pull 'unterminated").stderr).toMatch(/unexpected EOF while looking for matching/);
    expect(sh.run("kubectl get pods")).toMatchObject({ code: 127 });
  });
});
