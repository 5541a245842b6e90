import { describe, expect, it } from "vitest";
import type { TraceRecord } from "@drydock/kernel";
import { Playground, createPlayground } from "../playground.js";

function world(nodes = ["node1"]): Playground {
  const pg = createPlayground({ seed: 4, nodes });
  for (const n of nodes) pg.exec("docker pull nginx && docker pull alpine", { on: n });
  return pg;
}

const states = (pg: Playground, event: string) =>
  pg.trace.filter((t): t is Extract<TraceRecord, { type: "state" }> => t.type === "state" && (t.data as { event?: string }).event === event).map((t) => t.data as Record<string, unknown>);

describe("requests travel through the kernel's endpoints in virtual time", () => {
  it("a container's interfaces are endpoints below its host while it runs; a request's path is recorded hop by hop", () => {
    const pg = world();
    pg.exec("docker network create app && docker run -d --name web --network app nginx && docker run -d --name client --network app alpine sleep 1d");
    expect([...pg.sim.net.endpoints.keys()].sort()).toEqual(["client:eth0@node1", "web:eth0@node1"]);
    expect(pg.sim.net.endpoints.get("web:eth0@node1")).toMatchObject({ host: "node1", up: true });
    const t0 = pg.now;
    const r = pg.exec("docker exec client wget -qO- web");
    expect(r.stdout).toContain("<h1>Welcome to nginx!</h1>");
    expect(pg.now).toBeGreaterThan(t0);
    const sends = pg.trace.filter((t): t is Extract<TraceRecord, { type: "send" }> => t.type === "send" && t.t >= t0);
    // The DNS query to the embedded server on the host, then the request and its answer.
    expect(sends.map((s) => `${s.from} > ${s.to}`)).toEqual([
      "client:eth0@node1 > node1", "node1 > client:eth0@node1", "client:eth0@node1 > web:eth0@node1", "web:eth0@node1 > client:eth0@node1",
    ]);
    expect(sends[2]!.path).toEqual(["client:eth0", expect.stringMatching(/^veth[0-9a-f]{7}$/), expect.stringMatching(/^br-/), "node1", expect.stringMatching(/^br-/), expect.stringMatching(/^veth/), "web:eth0"]);
    const decided = states(pg, "net.decide");
    expect(decided.map((d) => d["outcome"])).toEqual(["resolved", "connected"]);
    expect(decided[1]).toMatchObject({ hop: "web:80", at: "web:eth0@node1" });
    pg.exec("docker stop -t 0 web");
    expect([...pg.sim.net.endpoints.keys()]).toEqual(["client:eth0@node1"]);
    expect(states(pg, "endpoint").map((d) => (d["action"] as { type: string }).type)).toEqual(["attach", "attach", "detach"]);
  });

  it("a packet a rule drops is traced where it died, and the client waits for its timeout", () => {
    const pg = world();
    pg.exec("docker network create a && docker network create b");
    pg.exec("docker run -d --name web --network b nginx && docker run -d --name client --network a alpine sleep 1d");
    const ip = pg.exec("docker inspect -f '{{.NetworkSettings.Networks.b.IPAddress}}' web").stdout.trim();
    const t0 = pg.now;
    const r = pg.exec(`docker exec client wget -T 3 -qO- ${ip}`);
    expect(r).toMatchObject({ exitCode: 1, stderr: `wget: can't connect to remote host (${ip}): Connection timed out\n` });
    expect(pg.now - t0).toBeGreaterThanOrEqual(3_000_000);
    const drop = states(pg, "net.decide").pop()!;
    expect(drop).toMatchObject({ outcome: "timeout", at: "node1", rule: expect.stringMatching(/^-t raw -A PREROUTING -d 172\.19\.0\.2\/32 ! -i br-[0-9a-f]{12} -j DROP$/) });
  });

  it("curl at the host: the published port, the errors curl prints, -o, -w, and the refusal when nothing listens", () => {
    const pg = world();
    pg.exec("docker run -d --name web -p 8080:80 nginx");
    expect(pg.exec("curl -s localhost:8080 | wc -c").stdout.trim()).toBe("615");
    expect(pg.exec("curl -sI localhost:8080 | head -1").stdout).toBe("HTTP/1.1 200 OK\n");
    expect(pg.exec("curl -s -o page.html -w '%{http_code} %{size_download}\\n' localhost:8080")).toMatchObject({ exitCode: 0, stdout: "200 615\n" });
    expect(pg.exec("head -4 page.html | tail -1").stdout).toBe("<title>Welcome to nginx!</title>\n");
    expect(pg.exec("curl localhost:8080/nope -f")).toMatchObject({ exitCode: 22, stderr: "curl: (22) The requested URL returned error: 404\n" });
    expect(pg.exec("curl localhost:9999")).toMatchObject({ exitCode: 7, stderr: "curl: (7) Failed to connect to localhost port 9999 after 0 ms: Couldn't connect to server\n" });
    expect(pg.exec("curl nosuchhost")).toMatchObject({ exitCode: 6, stderr: "curl: (6) Could not resolve host: nosuchhost\n" });
    const piped = pg.exec("curl localhost:8080 | wc -l");
    expect(piped.stderr).toMatch(/^ {2}% Total {4}% Received % Xferd {2}Average Speed/);
  });

  it("ping at the host prints a line per reply, with the kernel's round trip, and its statistics on Ctrl-C", () => {
    const pg = world();
    pg.exec("docker run -d --name web nginx");
    pg.begin("ping 172.17.0.2");
    pg.advance("2500ms");
    pg.interrupt("node1");
    const r = pg.wait("node1");
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("PING 172.17.0.2 (172.17.0.2) 56(84) bytes of data.");
    expect(lines.slice(1, 4).every((l) => /^64 bytes from 172\.17\.0\.2: icmp_seq=\d ttl=64 time=0\.\d{3} ms$/.test(l))).toBe(true);
    expect(r.stdout).toMatch(/\n--- 172\.17\.0\.2 ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss, time 2000ms\nrtt min\/avg\/max\/mdev = /);
    expect(r.exitCode).toBe(0);
  });

  it("from another host: a published port answers through DNAT across the wire; the container's own address does not", () => {
    const pg = world(["node1", "node2"]);
    pg.exec("docker run -d --name web -p 8080:80 nginx");
    const r = pg.exec("curl -s node1:8080 | head -4 | tail -1", { on: "node2" });
    expect(r.stdout).toBe("<title>Welcome to nginx!</title>\n");
    const wire = pg.trace.filter((t): t is Extract<TraceRecord, { type: "send" }> => t.type === "send" && (t.path ?? []).includes("wire"));
    expect(wire[0]!.path).toEqual(["node2", "wire", "node1", "docker0", expect.stringMatching(/^veth/), "web:eth0"]);
    expect(pg.exec("curl -s -m 2 172.17.0.2", { on: "node2" }).exitCode).not.toBe(0);
  });

  it("a shell in a container: its curl, nslookup and ping go through the kernel; a script's run at once on its clock", () => {
    const pg = world();
    pg.exec("docker network create app && docker run -d --name web --network app nginx && docker pull alpine");
    pg.exec("docker run -it --network app --name box alpine sh");
    expect(pg.exec("nslookup web").stdout).toContain("Name:\tweb\nAddress: 172.18.0.2\n");
    expect(pg.exec("wget -qO- web | grep title").stdout).toBe("<title>Welcome to nginx!</title>\n");
    expect(pg.exec("ping -c 1 web").stdout).toMatch(/^PING web \(172\.18\.0\.2\): 56 data bytes\n64 bytes from 172\.18\.0\.2: seq=0 ttl=64 time=0\.\d{3} ms\n/);
    expect(pg.exec("hostname -i").stdout).toBe("172.18.0.3\n");
    pg.exec("exit");
    const r = pg.exec("docker run --rm --network app alpine sh -c 'wget -qO- web | grep title; ping -c 2 web | tail -1'");
    expect(r.stdout).toMatch(/^<title>Welcome to nginx!<\/title>\nround-trip min\/avg\/max = [\d.]+\/[\d.]+\/[\d.]+ ms\n$/);
    expect(pg.exec("docker run --rm --network none alpine wget -qO- web")).toMatchObject({ exitCode: 1, stderr: "wget: bad address 'web'\n" });
  });

  it("a host that crashes takes its containers' endpoints with it", () => {
    const pg = world();
    pg.exec("docker run -d --name web nginx");
    expect([...pg.sim.net.endpoints.keys()]).toEqual(["web:eth0@node1"]);
    pg.crash("node1");
    expect([...pg.sim.net.endpoints.keys()]).toEqual([]);
    pg.restart("node1");
    pg.exec("docker start web");
    expect([...pg.sim.net.endpoints.keys()]).toEqual(["web:eth0@node1"]);
  });

  it("the same session replays to the same trace", () => {
    const pg = world();
    pg.exec("docker network create app && docker run -d --name web --network app nginx");
    pg.exec("docker run --rm --network app alpine wget -qO- web >/dev/null && curl -s 172.18.0.2 >/dev/null");
    pg.exec("docker exec web true; ping -c 2 172.18.0.2 >/dev/null");
    const replay = Playground.fromSession(pg.exportSession());
    expect(replay.traceHash()).toBe(pg.traceHash());
  });
});
