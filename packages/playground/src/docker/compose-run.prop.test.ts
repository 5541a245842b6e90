// Properties of compose and of traffic at the prompt (issue #11): `compose up` then `down` leaves
// no container, network or (with -v) volume of the project; two containers exchange a request
// through the kernel iff they share a network (or one reaches the other's published port through
// the host); a host port is bound by at most one container; and random or mutated compose files
// and project names give compose's located error, never an exception.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DOCKERCOINS_COMPOSE } from "@drydock/compose";
import { createPlayground, type Playground } from "../playground.js";

/** A fresh host with the images the properties use pulled. */
function fresh(): Playground {
  const pg = createPlayground({ seed: 31 });
  pg.exec("docker pull nginx:alpine && docker pull alpine && docker pull redis:alpine");
  return pg;
}

interface Svc { image: "nginx:alpine" | "alpine" | "redis:alpine"; port: boolean; nets: number[]; volume: boolean; dep: boolean; scale: number }

const svc = fc.record({
  image: fc.constantFrom("nginx:alpine" as const, "alpine" as const, "redis:alpine" as const), port: fc.boolean(),
  nets: fc.uniqueArray(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }), volume: fc.boolean(), dep: fc.boolean(), scale: fc.integer({ min: 0, max: 3 }),
});

function composeFile(services: readonly Svc[]): string {
  let y = "services:\n";
  services.forEach((s, i) => {
    y += `  s${i}:\n    image: ${s.image}\n`;
    if (s.image === "alpine") y += "    command: sleep 1d\n";
    if (s.port && s.scale <= 1) y += `    ports: ["${9000 + i}:80"]\n`;
    if (s.nets.length > 0) y += `    networks: [${s.nets.map((n) => `n${n}`).join(", ")}]\n`;
    if (s.volume) y += `    volumes: ["v${i}:/data"]\n`;
    if (s.dep && i > 0) y += `    depends_on: [s${i - 1}]\n`;
    if (s.scale !== 1) y += `    deploy: {replicas: ${s.scale}}\n`;
  });
  y += "networks: {n0: {}, n1: {internal: true}, n2: {}}\n";
  const vols = services.map((s, i) => (s.volume ? `v${i}: {}` : "")).filter((v) => v !== "");
  if (vols.length > 0) y += `volumes: {${vols.join(", ")}}\n`;
  return y;
}

describe("compose up then down leaves nothing of the project behind", () => {
  it("no container, no project network, and with -v no project volume; the default networks stay", () => {
    fc.assert(
      fc.property(fc.array(svc, { minLength: 1, maxLength: 4 }), (services) => {
        const pg = fresh();
        pg.writeFile("node1", "/root/p/compose.yaml", composeFile(services));
        pg.exec("cd /root/p");
        const up = pg.exec("docker compose up -d");
        expect(up.exitCode, up.stderr).toBe(0);
        const want = services.reduce((n, s) => n + s.scale, 0);
        expect(pg.exec("docker ps -q | wc -l").stdout.trim()).toBe(String(want));
        // Every service container is on the project's networks, named <project>-<service>-<n>.
        for (const line of pg.exec("docker ps --format '{{.Names}}'").stdout.trim().split("\n").filter((x) => x !== "")) expect(line).toMatch(/^p-s\d-\d$/);
        const down = pg.exec("docker compose down -v");
        expect(down.exitCode, down.stderr).toBe(0);
        expect(pg.exec("docker ps -aq").stdout).toBe("");
        expect(pg.exec("docker network ls --format '{{.Name}}'").stdout).toBe("bridge\nhost\nnone\n");
        expect(pg.exec("docker volume ls -q").stdout).toBe("");
        expect([...pg.sim.net.endpoints.keys()]).toEqual([]);
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});

describe("traffic through the kernel follows the networks (issue #11's property)", () => {
  it("a request from one container to another's address is answered iff they share a network, or through a published port on the host", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ nets: fc.uniqueArray(fc.integer({ min: -1, max: 1 }), { minLength: 1, maxLength: 2 }), publish: fc.boolean() }), { minLength: 2, maxLength: 3 }), (boxes) => {
        const pg = fresh();
        pg.exec("docker network create n0 >/dev/null && docker network create n1 >/dev/null");
        boxes.forEach((b, i) => {
          const [first, ...rest] = b.nets.map((n) => (n < 0 ? "bridge" : `n${n}`));
          pg.exec(`docker run -d --name c${i} --network ${first} ${b.publish ? `-p ${7000 + i}:80` : ""} nginx:alpine`);
          for (const n of rest) pg.exec(`docker network connect ${n} c${i}`);
        });
        const nets = (i: number) => new Set(boxes[i]!.nets.map((n) => (n < 0 ? "bridge" : `n${n}`)));
        for (let i = 0; i < boxes.length; i++) {
          for (let j = 0; j < boxes.length; j++) {
            if (i === j) continue;
            const ips = pg.exec(`docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' c${j}`).stdout.trim().split(" ");
            const share = [...nets(i)].some((n) => nets(j).has(n));
            const answered = ips.some((ip) => pg.exec(`docker exec c${i} wget -q -T 5 -O /dev/null http://${ip}/`).exitCode === 0);
            expect(answered, `c${i} → c${j} ${ips.join(",")}`).toBe(share);
            if (boxes[j]!.publish) {
              const viaHost = pg.exec(`docker exec c${i} wget -q -T 5 -O /dev/null http://10.0.0.11:${7000 + j}/`).exitCode === 0;
              expect(viaHost).toBe(true);
            }
          }
        }
      }),
      { numRuns: 8 },
    );
  }, 180_000);

  it("a host port is bound by at most one running container, whatever is asked", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("8080:80", "80", "127.0.0.1:8080:80", "8080-8081:80", "53:53/udp", "8081:80"), { minLength: 1, maxLength: 6 }), (specs) => {
        const pg = fresh();
        specs.forEach((spec, i) => pg.exec(`docker run -d --name c${i} -p ${spec} nginx:alpine`));
        const seen = new Set<string>();
        for (const c of pg.world.hosts.get("node1")!.engine.containers.values()) {
          for (const p of c.run?.ports ?? []) {
            const k = `${p.hostIp === "::" ? "v6" : "v4"} ${p.hostPort}/${p.protocol}`;
            expect(seen.has(k), k).toBe(false);
            seen.add(k);
          }
        }
      }),
      { numRuns: 10 },
    );
  }, 120_000);
});

// ---- fuzzing: compose files and project names at the prompt ----

const PIECES = [
  "\n", "  ", "    ", "- ", ": ", "{", "}", "[", "]", ",", "${", "$$", "${X:?no}", "'", '"', "#", "ports:", "- \"99999:80\"", "- \"8001:80\"",
  "networks:", "- nope", "depends_on: [nope]", "volumes:", "- nope:/x", "deploy: {replicas: -1}", "scale: x", "image: nosuchimage", "build: nosuchdir",
  "network_mode: host", "container_name: x", "command: [", "restart: sometimes", "constructor", "__proto__",
];

function mutate(text: string, edits: readonly { at: number; kind: number; piece: string }[]): string {
  let t = text;
  for (const e of edits) {
    const at = t.length === 0 ? 0 : e.at % (t.length + 1);
    if (e.kind === 0) t = t.slice(0, at) + t.slice(at + 1);
    else t = t.slice(0, at) + e.piece + t.slice(at);
  }
  return t;
}

const SIMPLE = "services:\n  web:\n    image: nginx:alpine\n    ports: [\"8080:80\"]\n    depends_on: [cache]\n  cache:\n    image: redis:alpine\n";

describe("random and mutated compose files and project names, at the prompt", () => {
  it("`docker compose up -d` and `down` give a result or compose's error (file, line, path when it is about a value), never an exception", () => {
    const edit = fc.record({ at: fc.nat(10_000), kind: fc.integer({ min: 0, max: 1 }), piece: fc.constantFrom(...PIECES) });
    const file = fc.tuple(fc.constantFrom(SIMPLE, DOCKERCOINS_COMPOSE), fc.array(edit, { minLength: 1, maxLength: 5 })).map(([t, e]) => mutate(t, e));
    const name = fc.oneof(fc.constantFrom("", "p", "My App", "-x", "a_b-1", "constructor", "UPPER", "9lives", "ünï"), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(file, name, (content, project) => {
        const pg = fresh();
        pg.writeFile("node1", "/root/f/compose.yaml", content);
        pg.exec("cd /root/f");
        const p = project === "" ? "" : `-p '${project.replace(/'/g, "")}' `;
        let up: ReturnType<Playground["exec"]> | undefined;
        expect(() => { up = pg.exec(`docker compose ${p}up -d`); }).not.toThrow();
        if (up!.exitCode !== 0) {
          expect(up!.stderr.trim().length).toBeGreaterThan(0);
          if (/yaml|validating|interpolat/.test(up!.stderr)) expect(up!.stderr).toMatch(/\/root\/f\/compose\.yaml|services\.|line \d+/);
        }
        expect(() => pg.exec(`docker compose ${p}down -v`)).not.toThrow();
      }),
      { numRuns: 60 },
    );
  }, 180_000);
});

describe("random -p specs at the prompt and in compose files", () => {
  const spec = fc.oneof(
    fc.stringMatching(/^[0-9a-z.:\[\]\/-]{0,16}$/),
    fc.tuple(fc.constantFrom("", "127.0.0.1:", "[::1]:", "localhost:", "0.0.0.0:"), fc.constantFrom("", "8080", "80-81", "99999", "0", "x"), fc.constantFrom(":80", ":80-81", "", ":"), fc.constantFrom("", "/tcp", "/udp", "/xyz", "/"))
      .map(([h, hp, cp, pr]) => `${h}${hp}${cp}${pr}`),
  );
  it("docker run -p gives a container or docker's error (exit 125, \"docker: …\"); a compose file's port error says where it is", () => {
    const pg = fresh();
    pg.exec("mkdir -p /root/p && cd /root/p");
    fc.assert(
      fc.property(spec, (s) => {
        const safe = s.replace(/'/g, "");
        let r: ReturnType<Playground["exec"]> | undefined;
        expect(() => { r = pg.exec(`docker run -d -p '${safe}' nginx:alpine`); }).not.toThrow();
        if (r!.exitCode !== 0) expect(r!.stderr).toMatch(/^docker: /);
        pg.writeFile("node1", "/root/p/compose.yaml", `services:\n  web:\n    image: nginx:alpine\n    ports:\n      - "${safe}"\n`);
        const c = pg.exec("docker compose config -q");
        if (c.exitCode !== 0 && !/validating/.test(c.stderr)) expect(c.stderr).toMatch(/drydock: at \/root\/p\/compose\.yaml:5:\d+ \(services\.web\.ports\[0\]\)\n$/);
        pg.exec("docker rm -f $(docker ps -aq) >/dev/null 2>&1");
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
