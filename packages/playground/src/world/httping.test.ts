import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

// httping 2.9 (Debian 12's; Folkert van Heusden's main.c): "PING host:port (path):", one line per
// request ("connected to IP:PORT (N bytes), seq=N time=T ms "), then the statistics. The
// DockerCoins exercise ("Scaling a Compose App") times rng and hasher with it to find the bottleneck.
describe("httping at the host's prompt", () => {
  const dockercoins = () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("drydock dockercoins >/dev/null && cd dockercoins && docker compose up -d 2>/dev/null");
    pg.exec("sleep 20");
    return pg;
  };
  const times = (out: string) => [...out.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1]));

  it("times HEAD requests to a published port, one a second, and prints httping's statistics", () => {
    const pg = dockercoins();
    const r = pg.exec("httping -c 3 localhost:8002");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^PING localhost:8002 \(\/\):\nconnected to 127\.0\.0\.1:8002 \(\d+ bytes\), seq=0 time=\d+\.\d\d ms \n/);
    expect(r.stdout.match(/^connected to /gm)).toHaveLength(3);
    expect(r.stdout).toMatch(/--- http:\/\/localhost:8002\/ ping statistics ---\n3 connects, 3 ok, 0\.00% failed, time \d+ms\nround-trip min\/avg\/max = [\d.]+\/[\d.]+\/[\d.]+ ms\n$/);
  });

  it("shows rng as the bottleneck once the workers are scaled: its queue delays every request (rng.py runs threaded=False)", () => {
    const pg = dockercoins();
    const idle = times(pg.exec("httping -c 3 localhost:8001").stdout);
    pg.exec("docker compose up -d --scale worker=10 2>/dev/null");
    pg.exec("sleep 30");
    const busy = times(pg.exec("httping -c 3 localhost:8001").stdout);
    const hasher = times(pg.exec("httping -c 3 localhost:8002").stdout);
    expect(Math.min(...busy)).toBeGreaterThan(10 * Math.max(...idle));
    expect(Math.min(...busy)).toBeGreaterThan(10 * Math.max(...hasher));
  });

  it("a refused connection, a name that does not resolve, no target: httping's messages and exit statuses", () => {
    const pg = createPlayground({ seed: 1 });
    const refused = pg.exec("httping -c 2 localhost:9999");
    expect(refused.exitCode).toBe(127);
    expect(refused.stderr).toBe("error connecting to host: Connection refused\nerror connecting to host: Connection refused\n");
    expect(refused.stdout).toMatch(/2 connects, 0 ok, 100\.00% failed, time \d+ms\n$/);
    expect(pg.exec("httping -c 1 nosuch:80")).toMatchObject({ exitCode: 127, stderr: "No valid IPv4 or IPv6 address found for nosuch\n" });
    expect(pg.exec("httping")).toMatchObject({ exitCode: 1, stderr: "No hostname/getrequest given\n" });
  });

  it("without -c it runs until Ctrl-C, then prints the statistics", () => {
    const pg = dockercoins();
    pg.begin("httping localhost:8002");
    pg.advance(3_500_000);
    pg.interrupt();
    const r = pg.wait();
    expect(r.stdout).toMatch(/^connected to /m);
    expect(r.stdout).toMatch(/\d+ connects, \d+ ok, 0\.00% failed/);
  });
});
