// The container commands at the prompt, each with the texts Docker prints and where they come
// from (docker/cli v28.5.1 cli/command/container, moby v28.5.1 daemon). One world per test; the
// images are pulled first so the outputs below are the commands' own.
import { describe, expect, it } from "vitest";
import { createPlayground, type Playground } from "../playground.js";

const ID = /^[0-9a-f]{64}\n$/;

function world(...images: string[]): Playground {
  const pg = createPlayground({ seed: 3 });
  for (const i of images.length > 0 ? images : ["alpine"]) expect(pg.exec(`docker pull ${i}`).exitCode).toBe(0);
  return pg;
}

const HELP_RUN = "\n\nRun 'docker run --help' for more information\n";

describe("docker run and create (docker/cli container/run.go, create.go; moby daemon/create.go)", () => {
  it("runs a command in the foreground: its output, its exit code", () => {
    const pg = world();
    expect(pg.exec("docker run alpine echo hello world")).toEqual({ exitCode: 0, stdout: "hello world\n", stderr: "" });
    expect(pg.exec("docker run alpine sh -c 'echo out; echo err >&2; exit 3'")).toEqual({ exitCode: 3, stdout: "out\n", stderr: "err\n" });
  });

  it("a missing image is pulled first: 'Unable to find image … locally', the pull on stderr, then the run", () => {
    const pg = createPlayground({ seed: 3 });
    const r = pg.exec("docker run hello-world");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("Hello from Docker!");
    expect(r.stderr.split("\n")[0]).toBe("Unable to find image 'hello-world:latest' locally");
    expect(r.stderr).toContain("latest: Pulling from library/hello-world\n");
    expect(r.stderr).toContain("Status: Downloaded newer image for hello-world:latest\n");
    // jsonstream.Display shows no "Using default tag" and no final reference line (docker pull prints those).
    expect(r.stderr).not.toContain("Using default tag");
    expect(r.stderr).not.toContain("docker.io/library/hello-world:latest");
    // On the terminal the pull comes first.
    expect(pg.output().indexOf("Unable to find image")).toBe(0);
  });

  it("an unknown image: the pull's refusal as the run's error (exit 125)", () => {
    const pg = createPlayground({ seed: 3 });
    const r = pg.exec("docker run nosuchimage");
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/^Unable to find image 'nosuchimage:latest' locally\ndocker: Error response from daemon: pull access denied for nosuchimage, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n\nRun 'docker run --help' for more information\n/);
  });

  it("-d prints the 64-hex ID at once; the container runs between lines", () => {
    const pg = world();
    const r = pg.exec("docker run -d --name pinger alpine ping 8.8.8.8");
    expect(r.stdout).toMatch(ID);
    pg.exec("sleep 5");
    const logs = pg.exec("docker logs pinger").stdout.split("\n").filter((l) => l.startsWith("64 bytes"));
    expect(logs.length).toBeGreaterThanOrEqual(4);
    expect(logs.length).toBeLessThanOrEqual(6);
  });

  it("a name in use (moby daemon/names.go nameConflictError): docker run's 'docker: …' and 125, docker create's plain error and 1", () => {
    const pg = world();
    const id = pg.exec("docker create --name web alpine true").stdout.trim();
    const conflict = `Conflict. The container name "/web" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.`;
    expect(pg.exec("docker run --name web alpine true")).toEqual({ exitCode: 125, stdout: "", stderr: `docker: Error response from daemon: ${conflict}${HELP_RUN}` });
    expect(pg.exec("docker create --name web alpine true")).toEqual({ exitCode: 1, stdout: "", stderr: `Error response from daemon: ${conflict}\n` });
  });

  it("a bad restart policy (moby ValidateRestartPolicy) and --rm with --restart (docker/cli opts.go parse) are refused before any pull", () => {
    const pg = createPlayground({ seed: 3 });
    expect(pg.exec("docker run --restart sometimes alpine true")).toEqual({
      exitCode: 125, stdout: "",
      stderr: `docker: Error response from daemon: invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'${HELP_RUN}`,
    });
    expect(pg.exec("docker run --rm --restart always alpine true")).toEqual({
      exitCode: 125, stdout: "", stderr: `docker: conflicting options: cannot specify both --restart and --rm${HELP_RUN}`,
    });
    expect(pg.exec("docker run --restart always:3 alpine true").stderr).toBe(
      `docker: Error response from daemon: invalid restart policy: maximum retry count can only be used with 'on-failure'${HELP_RUN}`,
    );
    expect(pg.exec("docker images -q").stdout).toBe("");
  });

  it("a command not in the image: runc's error, exit 127, and the container stays Created (run.go toStatusError)", () => {
    const pg = world();
    const r = pg.exec("docker run -d --name broken alpine nosuch");
    expect(r.stdout).toMatch(ID);
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toBe(`docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "nosuch": executable file not found in $PATH: unknown${HELP_RUN}`);
    expect(pg.exec("docker ps -a --format '{{.Names}} {{.Status}}'").stdout).toBe("broken Created\n");
    expect(pg.exec("docker inspect -f '{{.State.ExitCode}}' broken").stdout).toBe("127\n");
  });

  it("-t needs a terminal on stdin (cli/streams In.CheckTty)", () => {
    const pg = world();
    expect(pg.exec("echo | docker run -it alpine sh")).toEqual({ exitCode: 1, stdout: "", stderr: "the input device is not a TTY\n" });
  });

  it("flags after the image are the command's (cobra SetInterspersed(false))", () => {
    const pg = world();
    expect(pg.exec("docker run alpine echo -l -n x").stdout).toBe("-l -n x\n");
  });

  it("-p: go-connections' parse errors; the published port in PORTS, inspect and docker port; a bound port is refused at start", () => {
    const pg = world("nginx");
    expect(pg.exec("docker run -p 80:80/xyz nginx")).toEqual({ exitCode: 125, stdout: "", stderr: `docker: invalid proto: xyz${HELP_RUN}` });
    pg.exec("docker run -d --name web -p 8080:80 nginx");
    expect(pg.exec("docker ps --format '{{.Ports}}'").stdout).toBe("0.0.0.0:8080->80/tcp, [::]:8080->80/tcp\n");
    expect(pg.exec("docker port web").stdout).toBe("80/tcp -> 0.0.0.0:8080\n80/tcp -> [::]:8080\n");
    expect(pg.exec("docker port web 80").stdout).toBe("0.0.0.0:8080\n[::]:8080\n");
    expect(pg.exec("docker port web 443")).toEqual({ exitCode: 1, stdout: "", stderr: "Error: No public port '443' published for web\n" });
    expect(pg.exec("docker inspect -f '{{json .HostConfig.PortBindings}}' web").stdout).toBe('{"80/tcp":[{"HostIp":"","HostPort":"8080"}]}\n');
    expect(pg.exec("docker inspect -f '{{json .NetworkSettings.Ports}}' web").stdout).toBe('{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"},{"HostIp":"::","HostPort":"8080"}]}\n');
    // libnetwork endpoint.go and the port allocator: the second container is created, its start fails.
    const r = pg.exec("docker run -d --name web2 -p 8080:80 nginx");
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/^docker: Error response from daemon: failed to set up container networking: driver failed programming external connectivity on endpoint web2 \([0-9a-f]{64}\): Bind for 0\.0\.0\.0:8080 failed: port is already allocated\n/);
    expect(pg.exec("docker ps -a --filter name=web2 --format '{{.Status}}'").stdout).toBe("Created\n");
  });

  it("-p 5000:5000 registry:2 serves localhost:5000 to push and pull, as drydock registry start does", () => {
    const pg = world("registry:2", "alpine");
    expect(pg.exec("docker run -d -p 5000:5000 --name registry registry:2").exitCode).toBe(0);
    pg.exec("docker tag alpine localhost:5000/alpine");
    const push = pg.exec("docker push localhost:5000/alpine");
    expect(push.exitCode).toBe(0);
    pg.exec("docker rmi localhost:5000/alpine");
    expect(pg.exec("docker pull localhost:5000/alpine").exitCode).toBe(0);
    expect(pg.exec("drydock registry ls").stdout).toBe("localhost:5000\tnode1\n");
  });

  it("-v name:/path makes a volume that outlives the container; a -v bind of a host directory sees the host's files", () => {
    const pg = world();
    pg.exec("docker run --rm -v data:/data alpine sh -c 'echo kept > /data/f'");
    expect(pg.exec("docker run --rm -v data:/data alpine cat /data/f").stdout).toBe("kept\n");
    pg.exec("mkdir -p /root/site && echo hi > /root/site/index.html");
    expect(pg.exec("docker run --rm -v /root/site:/usr/share/site:ro alpine cat /usr/share/site/index.html").stdout).toBe("hi\n");
    const ro = pg.exec("docker run --rm -v /root/site:/site:ro alpine touch /site/x");
    expect(ro.exitCode).toBe(1);
    expect(ro.stderr).toContain("Read-only file system");
  });
});

describe("docker ps (docker/cli container/list.go, formatter/container.go; moby daemon/list.go, container/state.go)", () => {
  it("the default columns, Docker's relative times and states", () => {
    const pg = world();
    pg.exec("docker run -d --name up alpine sleep 1000");
    pg.exec("docker create --name fresh alpine true");
    pg.exec("docker run --name done alpine true");
    pg.exec("docker run -d --name frozen alpine sleep 1000");
    pg.exec("docker pause frozen");
    pg.exec("sleep 3");
    const ps = pg.exec("docker ps -a").stdout.split("\n");
    expect(ps[0]).toBe("CONTAINER ID   IMAGE     COMMAND        CREATED         STATUS                     PORTS     NAMES");
    const status = (name: string) => pg.exec(`docker ps -a --filter name=^${name}$ --format '{{.Status}}'`).stdout;
    expect(status("up")).toBe("Up 3 seconds\n");
    expect(status("fresh")).toBe("Created\n");
    expect(status("done")).toBe("Exited (0) 3 seconds ago\n");
    expect(status("frozen")).toBe("Up 3 seconds (Paused)\n");
    expect(pg.exec("docker ps --format '{{.Names}}'").stdout).toBe("frozen\nup\n");
    expect(pg.exec("docker ps -a --format '{{.Names}}'").stdout).toBe("frozen\ndone\nfresh\nup\n");
  });

  it("-q, -n, -l, --no-trunc, --format with a header, --filter", () => {
    const pg = world();
    const a = pg.exec("docker run -d alpine sleep 1000").stdout.trim();
    const b = pg.exec("docker run -d alpine sleep 1000").stdout.trim();
    expect(pg.exec("docker ps -q").stdout).toBe(`${b.slice(0, 12)}\n${a.slice(0, 12)}\n`);
    expect(pg.exec("docker ps -q --no-trunc -l").stdout).toBe(`${b}\n`);
    expect(pg.exec("docker ps -n 1 -q").stdout).toBe(`${b.slice(0, 12)}\n`);
    expect(pg.exec("docker ps --format 'table {{.ID}}\\t{{.Command}}' -l").stdout).toBe(`CONTAINER ID   COMMAND\n${b.slice(0, 12)}   "sleep 1000"\n`);
    expect(pg.exec("docker ps --filter foo=bar")).toEqual({ exitCode: 1, stdout: "", stderr: "Error response from daemon: invalid filter 'foo'\n" });
    expect(pg.exec("docker ps --filter status=nope").stderr).toBe(
      "Error response from daemon: invalid filter 'status=nope': invalid value for state (nope): must be one of created, running, paused, restarting, removing, exited, dead\n",
    );
    expect(pg.exec("docker ps -q --format '{{.ID}}'").stderr).toBe("WARNING: Ignoring custom format, because both --format and --quiet are set.\n");
  });

  it("the command column is quoted and cut at 20 characters (formatter.Ellipsis)", () => {
    const pg = world("nginx");
    pg.exec("docker run -d nginx");
    expect(pg.exec("docker ps --format '{{.Command}}'").stdout).toBe('"/docker-entrypoint.…"\n');
    expect(pg.exec("docker ps --no-trunc --format '{{.Command}}'").stdout).toBe('"/docker-entrypoint.sh nginx -g \'daemon off;\'"\n');
  });
});

describe("the lifecycle (moby daemon/stop.go, kill.go, pause.go, delete.go, rename.go)", () => {
  it("docker stop waits out the grace period for a PID 1 that ignores SIGTERM, then SIGKILL (137)", () => {
    const pg = world();
    pg.exec("docker run -d --name s1 alpine sleep 1000");
    const t0 = pg.now;
    expect(pg.exec("docker stop s1")).toEqual({ exitCode: 0, stdout: "s1\n", stderr: "" });
    expect(pg.now - t0).toBe(10_000_000);
    expect(pg.exec("docker ps -a --format '{{.Status}}'").stdout).toBe("Exited (137) Less than a second ago\n");
    pg.exec("docker start s1");
    const t1 = pg.now;
    pg.exec("docker stop -t 2 s1");
    expect(pg.now - t1).toBe(2_000_000);
  });

  it("docker stop a nosuch: the name, then the error, exit 1; a stopped container's stop prints its name at once", () => {
    const pg = world();
    pg.exec("docker create --name idle alpine true");
    expect(pg.exec("docker stop idle nosuch")).toEqual({ exitCode: 1, stdout: "idle\n", stderr: "Error response from daemon: No such container: nosuch\n" });
  });

  it("docker kill sends SIGKILL (exit 137); kill of a stopped container is refused", () => {
    const pg = world();
    const id = pg.exec("docker run -d --name k1 alpine sleep 1000").stdout.trim();
    expect(pg.exec("docker kill k1").stdout).toBe("k1\n");
    expect(pg.exec("docker inspect -f '{{.State.ExitCode}}' k1").stdout).toBe("137\n");
    expect(pg.exec("docker kill k1")).toEqual({ exitCode: 1, stdout: "", stderr: `Error response from daemon: cannot kill container: k1: container ${id} is not running\n` });
  });

  it("docker rm of a running container is refused; -f kills it; a missing one is an error (with -f only said)", () => {
    const pg = world();
    pg.exec("docker run -d --name r1 alpine sleep 1000");
    expect(pg.exec("docker rm r1")).toEqual({
      exitCode: 1, stdout: "",
      stderr: 'Error response from daemon: cannot remove container "r1": container is running: stop the container before removing or force remove\n',
    });
    expect(pg.exec("docker rm -f r1")).toEqual({ exitCode: 0, stdout: "r1\n", stderr: "" });
    expect(pg.exec("docker rm r1")).toEqual({ exitCode: 1, stdout: "", stderr: "Error response from daemon: No such container: r1\n" });
    expect(pg.exec("docker rm -f r1")).toEqual({ exitCode: 0, stdout: "", stderr: "Error response from daemon: No such container: r1\n" });
  });

  it("pause freezes a container (its log stops growing), unpause resumes it; exec into a paused container is refused", () => {
    const pg = world();
    pg.exec("docker run -d --name p1 alpine ping 8.8.8.8");
    pg.exec("sleep 2");
    pg.exec("docker pause p1");
    const before = pg.exec("docker logs p1").stdout;
    pg.exec("sleep 5");
    expect(pg.exec("docker logs p1").stdout).toBe(before);
    expect(pg.exec("docker exec p1 ls").stderr).toBe("Error response from daemon: Container p1 is paused, unpause the container before exec\n");
    pg.exec("docker unpause p1");
    pg.exec("sleep 2");
    expect(pg.exec("docker logs p1").stdout.length).toBeGreaterThan(before.length);
  });

  it("docker rename: the new name, and docker/cli's wrapping of the daemon's refusals", () => {
    const pg = world();
    pg.exec("docker create --name a1 alpine true");
    pg.exec("docker create --name b1 alpine true");
    expect(pg.exec("docker rename a1 c1")).toEqual({ exitCode: 0, stdout: "", stderr: "" });
    expect(pg.exec("docker rename c1 c1").stderr).toBe("Error response from daemon: Renaming a container with the same name as its current name\nError: failed to rename container named c1\n");
    expect(pg.exec("docker rename nosuch x").stderr).toBe("Error response from daemon: No such container: nosuch\nError: failed to rename container named nosuch\n");
  });

  it("docker restart stops (grace period) and starts again; a restart policy brings a crashed PID 1 back", () => {
    const pg = world();
    pg.exec("docker run -d --name rs --restart always alpine sh -c 'sleep 2; exit 1'");
    pg.exec("sleep 3");
    expect(pg.exec("docker inspect -f '{{.RestartCount}} {{.State.Status}}' rs").stdout).toMatch(/^[1-9]\d* (running|restarting)\n$/);
    pg.exec("docker run -d --name r2 alpine sleep 1000");
    expect(pg.exec("docker restart r2").stdout).toBe("r2\n");
    expect(pg.exec("docker ps --filter name=r2 --format '{{.Status}}'").stdout).toBe("Up Less than a second\n");
  });

  it("docker wait blocks until the container ends and prints its exit code", () => {
    const pg = world();
    pg.exec("docker run -d --name w1 alpine sh -c 'sleep 3; exit 4'");
    const t0 = pg.now;
    expect(pg.exec("docker wait w1").stdout).toBe("4\n");
    expect(pg.now - t0).toBe(3_000_000);
  });

  it("docker container prune removes the stopped ones (answering y) and says what it reclaimed", () => {
    const pg = world();
    const id = pg.exec("docker create alpine true").stdout.trim();
    pg.exec("docker run -d alpine sleep 1000");
    const r = pg.exec("docker container prune -f");
    expect(r.stdout).toBe(`Deleted Containers:\n${id}\n\nTotal reclaimed space: 0B\n`);
    expect(pg.exec("docker ps -aq").stdout.split("\n").filter((x) => x !== "").length).toBe(1);
    // A "no" is a cancelled error: docker prints nothing more and exits 0 (cmd/docker/docker.go).
    expect(pg.exec("echo n | docker container prune")).toEqual({ exitCode: 0, stdout: "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ", stderr: "" });
    // --filter until keeps the containers created after it (moby daemon/prune.go); the daemon logs "container prune".
    pg.exec("sleep 2");
    const late = pg.exec("docker create alpine true").stdout.trim();
    expect(pg.exec("docker container prune -f --filter until=1s").stdout).toBe("Total reclaimed space: 0B\n");
    expect(pg.exec("docker ps -aq --no-trunc").stdout).toContain(late);
    pg.exec("sleep 1");
    expect(pg.exec("docker events --since 0 --until 0s --filter event=prune --format '{{.Type}} {{.Action}}'").stdout).toBe("container prune\ncontainer prune\n");
  });
});

describe("inside containers: exec, logs, inspect, top, stats, diff, commit, cp", () => {
  it("docker exec runs in the container's namespaces: its files, its hostname, its processes from PID 1", () => {
    const pg = world("centos:7");
    const id = pg.exec("docker run -d --name pinger centos:7 ping 8.8.8.8").stdout.trim();
    expect(pg.exec("docker exec pinger hostname").stdout).toBe(`${id.slice(0, 12)}\n`);
    const ps = pg.exec("docker exec pinger ps -ef").stdout.split("\n");
    expect(ps[0]).toBe("UID        PID  PPID  C STIME TTY          TIME CMD");
    expect(ps[1]).toMatch(/^root\s+1\s+0 .* ping 8\.8\.8\.8$/);
    expect(ps[2]).toMatch(/^root\s+\d+\s+0 .* ps -ef$/);
    // On the host the same process has another PID, under a containerd shim (docker top shows host PIDs).
    const pid = pg.exec("docker inspect -f '{{.State.Pid}}' pinger").stdout.trim();
    expect(Number(pid)).toBeGreaterThan(1);
    expect(pg.exec("docker top pinger").stdout).toContain(` ${pid} `);
    expect(pg.exec("ps -ef").stdout).toMatch(new RegExp(`^root\\s+${pid}\\s+\\d+ .* ping 8\\.8\\.8\\.8$`, "m"));
  });

  it("docker exec: a missing program (runc's error, 127), a stopped container (moby getActiveContainer)", () => {
    const pg = world();
    const id = pg.exec("docker run -d --name e1 alpine sleep 1000").stdout.trim();
    expect(pg.exec("docker exec e1 nosuch")).toEqual({
      exitCode: 127, stdout: "", stderr: 'OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch": executable file not found in $PATH: unknown\n',
    });
    expect(pg.exec("docker exec e1 sh -c 'exit 5'").exitCode).toBe(5);
    pg.exec("docker kill e1");
    expect(pg.exec("docker exec e1 ls")).toEqual({ exitCode: 1, stdout: "", stderr: `Error response from daemon: container ${id} is not running\n` });
  });

  it("docker logs: --tail, -t, --since; stdout and stderr as written; No such container", () => {
    const pg = world();
    pg.exec("docker run --name l1 alpine sh -c 'echo one; echo two >&2; echo three'");
    expect(pg.exec("docker logs l1")).toEqual({ exitCode: 0, stdout: "one\nthree\n", stderr: "two\n" });
    expect(pg.output()).toBe("one\ntwo\nthree\n");
    expect(pg.exec("docker logs --tail 1 l1").stdout).toBe("three\n");
    expect(pg.exec("docker logs -t --tail 1 l1").stdout).toMatch(/^2026-01-01T00:00:\d\d\.\d{9}Z three\n$/);
    expect(pg.exec("docker logs nosuch")).toEqual({ exitCode: 1, stdout: "", stderr: "Error response from daemon: No such container: nosuch\n" });
  });

  it("docker logs -f follows the container until it ends; Ctrl-C leaves it running", () => {
    const pg = world();
    pg.exec("docker run -d --name f1 alpine sh -c 'for i in 1 2 3; do echo $i; sleep 1; done'");
    expect(pg.exec("docker logs -f f1").stdout).toBe("1\n2\n3\n");
    pg.exec("docker run -d --name g1 alpine ping 8.8.8.8");
    pg.begin("docker logs -f g1");
    pg.advance("2500ms");
    expect(pg.output().split("\n").filter((l) => l.startsWith("64 bytes")).length).toBe(3);
    pg.interrupt();
    expect(pg.busy()).toBe(false);
    expect(pg.exec("docker ps --format '{{.Names}}'").stdout).toBe("g1\n");
  });

  it("docker inspect: Docker 28's fields; a missing container is 'No such object' for docker inspect", () => {
    const pg = world();
    pg.exec("docker run -d --name i1 alpine sleep 1000");
    expect(pg.exec("docker inspect -f '{{.Name}} {{.State.Status}} {{.State.Running}} {{.Config.Image}} {{.HostConfig.RestartPolicy.Name}}' i1").stdout).toBe("/i1 running true alpine no\n");
    expect(pg.exec("docker container inspect nosuch")).toEqual({ exitCode: 1, stdout: "[]\n", stderr: "Error response from daemon: No such container: nosuch\n" });
    expect(pg.exec("docker inspect nosuch")).toEqual({ exitCode: 1, stdout: "[]\n", stderr: "Error: No such object: nosuch\n" });
    expect(pg.exec("docker inspect -f '{{.Id}}' alpine").stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
  });

  it("docker stats --no-stream: Docker's columns; the memory of a container under its limit", () => {
    const pg = world();
    pg.exec("docker run -d --name st -m 64m alpine sleep 1000");
    const lines = pg.exec("docker stats --no-stream").stdout.split("\n");
    expect(lines[0]).toBe("CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O   BLOCK I/O   PIDS");
    expect(lines[1]).toMatch(/^[0-9a-f]{12}   st        0\.00%     \S+ \/ 64MiB/);
  });

  it("docker diff and commit: the writable layer as a new image (Interactive Image Creation)", () => {
    const pg = world();
    pg.exec("docker run --name m1 alpine sh -c 'echo hi > /tmp/note; rm /etc/alpine-release'");
    expect(pg.exec("docker diff m1").stdout).toBe("C /etc\nD /etc/alpine-release\nC /tmp\nA /tmp/note\n");
    const img = pg.exec("docker commit m1 note:1.0");
    expect(img.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(pg.exec("docker run --rm note:1.0 cat /tmp/note").stdout).toBe("hi\n");
    expect(pg.exec("docker images --format '{{.Repository}}:{{.Tag}}' note").stdout).toBe("note:1.0\n");
    expect(pg.exec("docker commit nosuch").stderr).toBe("Error response from daemon: No such container: nosuch\n");
  });

  it("docker cp copies between the host and a container", () => {
    const pg = world();
    pg.exec("docker run -d --name c1 alpine sleep 1000");
    pg.exec("echo from-host > /root/f.txt");
    expect(pg.exec("docker cp /root/f.txt c1:/tmp/").exitCode).toBe(0);
    expect(pg.exec("docker exec c1 cat /tmp/f.txt").stdout).toBe("from-host\n");
    expect(pg.exec("docker cp c1:/etc/os-release /root/os").exitCode).toBe(0);
    expect(pg.exec("grep ID= /root/os").stdout).toBe("ID=alpine\nVERSION_ID=3.20.3\n");
  });
});

describe("following and interrupting (docker/cli run.go, signals.go, cmd/docker/docker.go)", () => {
  it("Ctrl-C at a foreground run is forwarded as SIGINT (sig-proxy): ping prints its statistics and exits", () => {
    const pg = world();
    pg.begin("docker run alpine ping 8.8.8.8");
    pg.advance("2500ms");
    pg.interrupt();
    const r = pg.wait();
    expect(r.exitCode).toBe(0);
    expect(pg.output()).toMatch(/seq=2 ttl=118 time=[\d.]+ ms\n\^C\n--- 8\.8\.8\.8 ping statistics ---\n3 packets transmitted, 3 packets received, 0% packet loss\n/);
  });

  it("sleep as PID 1 ignores SIGINT: the third Ctrl-C makes the CLI give up, leaving the container running", () => {
    const pg = world();
    pg.begin("docker run --name z1 alpine sleep 1000");
    pg.advance("1s");
    pg.interrupt();
    pg.interrupt();
    expect(pg.busy()).toBe(true);
    pg.interrupt();
    expect(pg.busy()).toBe(false);
    expect(pg.output()).toBe("^C^C^C\ngot 3 SIGTERM/SIGINTs, forcefully exiting\n");
    expect(pg.host().last?.status).toBe(1);
    expect(pg.exec("docker ps --format '{{.Names}} {{.Status}}'").stdout).toBe("z1 Up 1 second\n");
  });

  it("docker attach to a stopped container is refused (docker/cli attach.go)", () => {
    const pg = world();
    pg.exec("docker create --name a1 alpine true");
    expect(pg.exec("docker attach a1").stderr).toBe("You cannot attach to a stopped container, start it first\n");
  });
});

describe("a terminal inside a container (docker run -it, docker exec -it)", () => {
  it("docker run -it alpine sh: the prompt is ash's '/ # ', commands run in the container, exit ends it", () => {
    const pg = world();
    expect(pg.exec("docker run -it --name box alpine sh").exitCode).toBe(0);
    const id = pg.attached()!;
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(pg.prompt().text).toBe("/ # ");
    expect(pg.exec("hostname").stdout).toBe(`${id.slice(0, 12)}\n`);
    expect(pg.exec("ps").stdout).toBe("PID   USER     TIME  COMMAND\n    1 root      0:00 sh\n    7 root      0:00 ps\n");
    pg.exec("cd /tmp && echo hi > note");
    expect(pg.prompt().text).toBe("/tmp # ");
    expect(pg.exec("nosuch")).toEqual({ exitCode: 127, stdout: "", stderr: "sh: nosuch: not found\n" });
    expect(pg.exec("exit 0").exitCode).toBe(0);
    expect(pg.attached()).toBeNull();
    expect(pg.prompt().text).toBeNull();
    expect(pg.exec("docker ps -a --format '{{.Status}}'").stdout).toBe("Exited (0) Less than a second ago\n");
    expect(pg.exec("docker diff box").stdout).toBe("C /tmp\nA /tmp/note\n");
  });

  it("bash in ubuntu: root@<id>:/# ; in CentOS: [root@<id> /]# ; docker exec -it ends only the exec session", () => {
    const pg = world("ubuntu", "centos:7");
    pg.exec("docker run -it ubuntu bash");
    const id = pg.attached()!.slice(0, 12);
    expect(pg.prompt().text).toBe(`root@${id}:/# `);
    pg.exec("cd");
    expect(pg.prompt().text).toBe(`root@${id}:~# `);
    expect(pg.exec("ps").stderr).toBe("bash: ps: command not found\n");
    pg.exec("exit");
    pg.exec("docker run -d --name web centos:7 sleep 1000");
    pg.exec("docker exec -it web bash");
    const web = pg.attached()!.slice(0, 12);
    expect(pg.prompt().text).toBe(`[root@${web} /]# `);
    pg.exec("exit");
    expect(pg.attached()).toBeNull();
    expect(pg.exec("docker ps --format '{{.Names}}'").stdout).toBe("web\n");
  });

  it("Ctrl-P Ctrl-Q detaches and the container goes on; docker attach comes back to its shell", () => {
    const pg = world();
    pg.exec("docker run -it --name bg alpine sh");
    pg.detach();
    expect(pg.attached()).toBeNull();
    expect(pg.exec("docker ps --format '{{.Names}}'").stdout).toBe("bg\n");
    pg.exec("docker attach bg");
    expect(pg.prompt().text).toBe("/ # ");
    pg.detach();
    expect(pg.host().last?.stderr).toBe("read escape sequence\n");
  });
});
