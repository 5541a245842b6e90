import { describe, expect, it } from "vitest";
import {
  ComposeError, containerName, DOCKERCOINS_COMPOSE, DOCKERCOINS_FILES, formatConfig, loadProject, normalizeProjectName, startOrder, type LoadOptions,
} from "./index.js";

const load = (content: string, extra: Partial<LoadOptions> = {}) =>
  loadProject({ files: [{ path: "/root/app/compose.yaml", content }], workingDir: "/root/app", ...extra });

const errorOf = (content: string, extra: Partial<LoadOptions> = {}): ComposeError => {
  try {
    load(content, extra);
  } catch (e) {
    if (e instanceof ComposeError) return e;
    throw e;
  }
  throw new Error("no error");
};

describe("docker compose config: DockerCoins", () => {
  it("the course's project resolves to compose's canonical document", () => {
    const { project, warnings } = loadProject({ files: [{ path: "/root/dockercoins/compose.yml", content: DOCKERCOINS_COMPOSE }], workingDir: "/root/dockercoins" });
    expect(warnings).toEqual([]);
    expect(project.name).toBe("dockercoins");
    expect(formatConfig(project)).toBe(`name: dockercoins
services:
  hasher:
    build:
      context: /root/dockercoins/hasher
      dockerfile: Dockerfile
    networks:
      default: null
    ports:
      - mode: ingress
        target: 80
        published: "8002"
        protocol: tcp
  redis:
    image: redis
    networks:
      default: null
  rng:
    build:
      context: /root/dockercoins/rng
      dockerfile: Dockerfile
    networks:
      default: null
    ports:
      - mode: ingress
        target: 80
        published: "8001"
        protocol: tcp
  webui:
    build:
      context: /root/dockercoins/webui
      dockerfile: Dockerfile
    networks:
      default: null
    ports:
      - mode: ingress
        target: 80
        published: "8000"
        protocol: tcp
    volumes:
      - type: bind
        source: /root/dockercoins/webui/files
        target: /files
        bind:
          create_host_path: true
  worker:
    build:
      context: /root/dockercoins/worker
      dockerfile: Dockerfile
    networks:
      default: null
networks:
  default:
    name: dockercoins_default
`);
    expect(startOrder(project.services)).toEqual(["hasher", "redis", "rng", "webui", "worker"]);
    expect(containerName(project.name, project.services.get("worker")!, 3)).toBe("dockercoins-worker-3");
    expect([...DOCKERCOINS_FILES.keys()]).toContain("worker/worker.py");
  });
});

describe("the normalised project", () => {
  it("project name: -p, then name:, then COMPOSE_PROJECT_NAME, then the directory (normalised)", () => {
    expect(load("services: {web: {image: nginx}}").project.name).toBe("app");
    expect(load("name: shop\nservices: {web: {image: nginx}}").project.name).toBe("shop");
    expect(load("name: shop\nservices: {web: {image: nginx}}", { projectName: "other" }).project.name).toBe("other");
    expect(load("services: {web: {image: nginx}}", { env: new Map([["COMPOSE_PROJECT_NAME", "Env_Name"]]) }).project.name).toBe("env_name");
    expect(loadProject({ files: [{ path: "/root/My App!/compose.yaml", content: "services: {web: {image: nginx}}" }], workingDir: "/root/My App!" }).project.name).toBe("myapp");
    expect(normalizeProjectName("--Docker.Coins")).toBe("dockercoins");
    expect(errorOf("services: {web: {image: nginx}}", { projectName: "Bad" }).message).toBe(
      'invalid project name "Bad": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number');
  });

  it("short syntax becomes long: command, environment, ports (ranges, addresses), volumes, depends_on, networks", () => {
    const { project } = load(`
services:
  web:
    image: nginx:1.27
    command: nginx -g "daemon off;"
    environment:
      - MODE=prod
      - FROM_SHELL
    ports:
      - "127.0.0.1:8080:80"
      - "9000-9001:90-91/udp"
      - 443
    volumes:
      - data:/var/lib/data:ro
      - ./site:/usr/share/nginx/html
      - /tmp/cache
    depends_on: [db]
    networks: [front, back]
    labels: [tier=web]
  db:
    image: postgres
    networks:
      back:
        aliases: [database]
volumes:
  data: {}
networks:
  front:
  back:
    internal: true
`, { env: new Map([["FROM_SHELL", "yes"]]) });
    const web = project.services.get("web")!;
    expect(web.command).toEqual(["nginx", "-g", "daemon off;"]);
    expect([...web.environment]).toEqual([["MODE", "prod"], ["FROM_SHELL", "yes"]]);
    expect(web.ports).toEqual([
      { mode: "ingress", hostIp: "127.0.0.1", target: 80, published: "8080", protocol: "tcp" },
      { mode: "ingress", hostIp: "", target: 90, published: "9000", protocol: "udp" },
      { mode: "ingress", hostIp: "", target: 91, published: "9001", protocol: "udp" },
      { mode: "ingress", hostIp: "", target: 443, published: "", protocol: "tcp" },
    ]);
    expect(web.volumes).toEqual([
      { type: "volume", source: "data", target: "/var/lib/data", readOnly: true },
      { type: "bind", source: "/root/app/site", target: "/usr/share/nginx/html", readOnly: false },
      { type: "volume", source: "", target: "/tmp/cache", readOnly: false },
    ]);
    expect([...web.dependsOn]).toEqual([["db", { condition: "service_started", required: true, restart: false }]]);
    expect([...web.networks.keys()]).toEqual(["front", "back"]);
    expect(project.services.get("db")!.networks.get("back")!.aliases).toEqual(["database"]);
    expect([...project.networks].map(([k, n]) => [k, n.name, n.internal])).toEqual([["back", "app_back", true], ["front", "app_front", false]]);
    expect(project.volumes.get("data")!.name).toBe("app_data");
    expect(startOrder(project.services)).toEqual(["db", "web"]);
    const out = formatConfig(project);
    expect(out).toContain("    depends_on:\n      db:\n        condition: service_started\n        required: true\n");
    expect(out).toContain("    command:\n      - nginx\n      - -g\n      - daemon off;\n");
    expect(out).toContain("      - type: volume\n        source: data\n        target: /var/lib/data\n        read_only: true\n        volume: {}\n");
  });

  it("deploy.replicas, scale, healthcheck, restart, profiles", () => {
    const { project } = load(`
services:
  worker:
    image: busybox
    deploy: {replicas: 5, resources: {limits: {cpus: "0.5", memory: 64M}}}
    restart: always
    healthcheck:
      test: wget -q localhost
      interval: 5s
  debug:
    image: busybox
    profiles: [debug]
`);
    const w = project.services.get("worker")!;
    expect([w.replicas, w.restart, w.resources]).toEqual([5, "always", { cpus: "0.5", memory: "64M" }]);
    expect(w.healthcheck?.test).toEqual(["CMD-SHELL", "wget -q localhost"]);
    expect([...project.services.keys()]).toEqual(["worker"]);
    expect([...project.disabledServices.keys()]).toEqual(["debug"]);
    expect([...load("services: {a: {image: x, profiles: [debug]}}", { profiles: ["debug"] }).project.services.keys()]).toEqual(["a"]);
  });

  it(".env feeds interpolation; the shell wins; unset variables warn", () => {
    const r = load("services:\n  web:\n    image: nginx:${TAG}\n    ports: [\"${PORT:-80}:80\"]\n    environment: [\"X=${NOPE}\"]\n", {
      dotenv: "TAG=1.25\nPORT=8080\n", env: new Map([["PORT", "9090"]]),
    });
    const web = r.project.services.get("web")!;
    expect(web.image).toBe("nginx:1.25");
    expect(web.ports[0]!.published).toBe("9090");
    expect(r.warnings).toEqual(['The "NOPE" variable is not set. Defaulting to a blank string.']);
  });

  it("env_file values under environment's", () => {
    const files = new Map([["/root/app/web.env", "A=from-file\nB=from-file\n"]]);
    const { project } = load("services:\n  web:\n    image: nginx\n    env_file: web.env\n    environment: {B: mine}\n", { readFile: (p) => files.get(p) });
    expect([...project.services.get("web")!.environment]).toEqual([["A", "from-file"], ["B", "mine"]]);
    expect(errorOf("services:\n  web:\n    image: nginx\n    env_file: missing.env\n", { readFile: () => undefined }).message)
      .toBe("env file /root/app/missing.env not found: stat /root/app/missing.env: no such file or directory");
  });
});

describe("errors name the file, the line and the path", () => {
  it("types, as compose-go words them", () => {
    const e = errorOf("services:\n  web:\n    image: nginx\n    ports: 8080\n");
    expect(e.message).toBe("validating /root/app/compose.yaml: services.web.ports must be a array");
    expect([e.file, e.path, e.location]).toEqual(["/root/app/compose.yaml", "services.web.ports", { line: 4, column: 12 }]);
    expect(errorOf("services:\n  web:\n    imag: nginx\n").message).toBe("validating /root/app/compose.yaml: services.web additional properties 'imag' not allowed");
    expect(errorOf("services:\n  web:\n    image: nginx\n    deploy: {replicas: 1.5}\n").message).toBe("validating /root/app/compose.yaml: services.web.deploy.replicas must be a integer or string");
    expect(errorOf("services:\n  web:\n").message).toBe("validating /root/app/compose.yaml: services.web must be a mapping");
    expect(errorOf("services: []\n").message).toBe("validating /root/app/compose.yaml: services must be a mapping");
  });

  it("a list item's path has its index", () => {
    const e = errorOf("services:\n  web:\n    image: nginx\n    ports:\n      - \"80\"\n      - true\n");
    expect(e.message).toBe("validating /root/app/compose.yaml: services.web.ports.1 must be a number");
    expect([e.path, e.location?.line]).toEqual(["services.web.ports[1]", 6]);
  });

  it("interpolation errors: compose-go's words, drydock's path", () => {
    const e = errorOf("services:\n  web:\n    image: nginx\n    ports:\n      - \"${PORT:?set PORT}:80\"\n");
    expect(e.message).toBe("error while interpolating services.web.ports.[]: required variable PORT is missing a value: set PORT");
    expect([e.path, e.location]).toEqual(["services.web.ports[0]", { line: 5, column: 9 }]);
    expect(errorOf("services:\n  web:\n    image: ${\n").message)
      .toBe('invalid interpolation format for services.web.image.\nYou may need to escape any $ with another $.\n${');
  });

  it("YAML syntax, empty files, consistency", () => {
    const syntax = errorOf("services:\n  web:\n    image: nginx\n    ports: [80\n");
    expect(syntax.message).toMatch(/^failed to parse \/root\/app\/compose.yaml: yaml: line \d+: /);
    expect(syntax.location!.line).toBeGreaterThan(3);
    expect(errorOf("").message).toBe("empty compose file");
    expect(errorOf("- a\n- b\n").message).toBe("top-level object must be a mapping");
    expect(errorOf("services:\n  web:\n    build: .\n    depends_on: [db]\n").message).toBe('service "web" depends on undefined service "db": invalid compose project');
    expect(errorOf("services:\n  web:\n    restart: always\n").message).toBe('service "web" has neither an image nor a build context specified: invalid compose project');
    expect(errorOf("services:\n  web:\n    image: x\n    networks: [nope]\n").message).toBe('service "web" refers to undefined network nope: invalid compose project');
    expect(errorOf("services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [a]}\n").message).toBe("dependency cycle detected: a -> b -> a");
    expect(errorOf("services:\n  web:\n    image: x\n    ports: [\"80/xyz\"]\n").message).toBe("invalid proto: xyz");
  });

  it("an obsolete version warns; a service called constructor or __proto__ is an ordinary name", () => {
    const r = load("version: '3'\nservices:\n  constructor: {image: x}\n  __proto__: {image: y}\n");
    expect(r.warnings).toEqual(["/root/app/compose.yaml: the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion"]);
    expect([...r.project.services.keys()]).toEqual(["__proto__", "constructor"]);
  });
});
