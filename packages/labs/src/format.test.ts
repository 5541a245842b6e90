// The lab format's errors: each names the file, the line and column, and the path of the value.
import { describe, expect, it } from "vitest";
import { LabError, parseLab } from "./format.js";

const FILE = "labs/demo.yaml";

function errorOf(text: string, file = FILE): LabError {
  try {
    parseLab(text, file);
  } catch (e) {
    if (e instanceof LabError) return e;
    throw e;
  }
  throw new Error("parsed without an error");
}

const GOOD = `title: Demo
module: Containers
steps:
  - run: docker run -d --name web nginx
    caption: Start a web server.
    expect: { regex: "^[0-9a-f]{64}$", shows: "the container's ID" }
    checks:
      - container: { name: web, state: running }
        hint: Use --name web.
  - advance: 10s
    caption: Time passes.
`;

describe("parseLab", () => {
  it("reads a lab: defaults for hosts and seed, steps with their lines", () => {
    const lab = parseLab(GOOD, FILE);
    expect(lab).toMatchObject({ slug: "demo", title: "Demo", module: "Containers", hosts: ["node1"], seed: 1, setup: [] });
    expect(lab.steps[0]).toMatchObject({
      action: { kind: "run", line: "docker run -d --name web nginx", on: undefined, keys: [] },
      caption: "Start a web server.",
      expect: { regex: "^[0-9a-f]{64}$", shows: "the container's ID" },
      checks: [{ kind: "container", name: "web", state: "running", image: undefined, exists: true, hint: "Use --name web.", on: undefined }],
      line: 4,
    });
    expect(lab.steps[1]).toMatchObject({ action: { kind: "advance", duration: "10s" }, checks: [], expect: undefined, line: 10 });
  });

  it("a heredoc in a block scalar is one command, without the block's final newline", () => {
    const lab = parseLab("title: T\nmodule: M\nsteps:\n  - run: |\n      cat > f <<EOF\n      hi\n      EOF\n    caption: c\n", FILE);
    expect(lab.steps[0]!.action).toMatchObject({ kind: "run", line: "cat > f <<EOF\nhi\nEOF" });
  });

  it("reads keys as the transcripts write them", () => {
    const lab = parseLab(`title: T\nmodule: M\nsteps:\n  - run: ping 8.8.8.8\n    keys: ["3.5s later: Ctrl-C", "Ctrl-P Ctrl-Q"]\n    caption: c\n`, FILE);
    expect(lab.steps[0]!.action).toEqual({ kind: "run", line: "ping 8.8.8.8", on: undefined, keys: [{ after: "3.5s", key: "Ctrl-C" }, { after: undefined, key: "Ctrl-P Ctrl-Q" }] });
  });

  it.each([
    ["a missing field", "module: M\nsteps: []\n", "labs/demo.yaml:1:1: missing \"title\""],
    ["an unknown top-level key", "title: T\nmodule: M\nstep: []\n", "labs/demo.yaml:3:1: step: unknown key \"step\" (expected one of: title, module, topology, seed, setup, steps)"],
    ["no steps", "title: T\nmodule: M\nsteps: []\n", "labs/demo.yaml:3:8: steps: a lab needs at least one step"],
    ["a step that does two things", "title: T\nmodule: M\nsteps:\n  - run: ls\n    advance: 1s\n    caption: c\n",
      "labs/demo.yaml:4:5: steps[0]: a step does one thing: give exactly one of run, crash, restart, advance (found run, advance)"],
    ["a step without a caption", "title: T\nmodule: M\nsteps:\n  - run: ls\n", "labs/demo.yaml:4:5: steps[0]: missing \"caption\""],
    ["a misspelt container state", GOOD.replace("state: running", "state: runing"),
      "labs/demo.yaml:8:40: steps[0].checks[0].container.state: \"runing\" is not a container state (created, running, paused, restarting, removing, exited, dead)"],
    ["a check without a hint", GOOD.replace("        hint: Use --name web.\n", ""), "labs/demo.yaml:8:9: steps[0].checks[0]: missing \"hint\""],
    ["an unknown check", GOOD.replace("container: {", "kontainer: {"),
      "labs/demo.yaml:8:9: steps[0].checks[0].kontainer: unknown key \"kontainer\" (expected one of: container, containers, image, volume, network, plugin, file, exec, exit, typed, service, node, tasks, secret, stack, pods, deployment, k8sService, hint)"],
    ["an unknown field of a check", GOOD.replace("state: running", "status: running"),
      "labs/demo.yaml:8:33: steps[0].checks[0].container.status: unknown key \"status\" (expected one of: name, state, image, exists, on)"],
    ["a bad regular expression", GOOD.replace("^[0-9a-f]{64}$", "([0-9a-f]"),
      "labs/demo.yaml:6:22: steps[0].expect.regex: not a regular expression: Invalid regular expression: /([0-9a-f]/m: Unterminated group"],
    ["a regex without what it shows", GOOD.replace(', shows: "the container\'s ID"', ""), "labs/demo.yaml:6:13: steps[0].expect: missing \"shows\""],
    ["a bad duration", GOOD.replace("advance: 10s", "advance: ten seconds"), "labs/demo.yaml:10:14: steps[1].advance: \"ten seconds\" is not a duration (as 10s, 500ms, 2m)"],
    ["a host not in the topology", "title: T\nmodule: M\ntopology: { hosts: [node1, node2] }\nsteps:\n  - crash: node3\n    caption: c\n",
      "labs/demo.yaml:5:12: steps[0].crash: no host \"node3\" in the topology (hosts: node1, node2)"],
    ["a bad key", "title: T\nmodule: M\nsteps:\n  - run: ping x\n    keys: [Ctrl-D]\n    caption: c\n",
      "labs/demo.yaml:5:12: steps[0].keys[0]: a key is \"Ctrl-C\", \"Ctrl-P Ctrl-Q\" or \"<duration> later: <key>\" (as \"3.5s later: Ctrl-C\"), not \"Ctrl-D\""],
    ["keys on a fault", "title: T\nmodule: M\nsteps:\n  - advance: 1s\n    keys: [Ctrl-C]\n    caption: c\n", "labs/demo.yaml:5:11: steps[0].keys: only a run step takes keys"],
    ["a count that is not a number", GOOD.replace("container: { name: web, state: running }", "containers: { count: two }"),
      "labs/demo.yaml:8:30: steps[0].checks[0].containers.count: must be a whole number (0 or more)"],
    ["a host name that is no hostname", "title: T\nmodule: M\ntopology: { hosts: [Node_1] }\nsteps: []\n",
      "labs/demo.yaml:3:21: topology.hosts[0]: invalid host name \"Node_1\": use lowercase letters, digits and '-' (as a hostname)"],
    ["a host listed twice", "title: T\nmodule: M\ntopology: { hosts: [node1, node1] }\nsteps: []\n", "labs/demo.yaml:3:28: topology.hosts[1]: node1 is listed twice"],
    ["a relative setup path", "title: T\nmodule: M\nsetup:\n  files:\n    - { path: app/f, content: x }\nsteps: []\n",
      "labs/demo.yaml:5:15: setup.files[0].path: must be an absolute path (as /root/app/Dockerfile), not \"app/f\""],
    ["a YAML syntax error", "title: T\nmodule: [M\nsteps: []\n", "labs/demo.yaml:"],
    ["a duplicate key", "title: T\ntitle: U\nmodule: M\nsteps: []\n", "labs/demo.yaml:2:1: Map keys must be unique"],
    ["a document that is not a mapping", "- a\n", "labs/demo.yaml:1:1: must be a mapping (a lab file has title, module and steps)"],
    ["two topologies", "title: T\nmodule: M\ntopology: { hosts: [a], kubernetes: { nodes: [b] } }\nsteps: []\n",
      "labs/demo.yaml:3:11: topology: give exactly one of hosts, swarm, kubernetes (found hosts, kubernetes)"],
    ["a swarm without managers", "title: T\nmodule: M\ntopology:\n  swarm: { workers: [node-1] }\nsteps: []\n", "labs/demo.yaml:4:10: topology.swarm: missing \"managers\""],
    ["a host both manager and worker", "title: T\nmodule: M\ntopology:\n  swarm: { managers: [node-0], workers: [node-0] }\nsteps: []\n",
      "labs/demo.yaml:4:42: topology.swarm.workers[0]: node-0 is listed twice"],
    ["a swarm set up with no swarm topology", "title: T\nmodule: M\nsetup: { swarm: true }\nsteps: []\n",
      "labs/demo.yaml:3:17: setup.swarm: a swarm set up before the first step needs topology.swarm (its managers and workers)"],
    ["a node check on a host not in the swarm", "title: T\nmodule: M\ntopology:\n  swarm: { managers: [node-0], workers: [node-1] }\nsteps:\n  - run: ls\n    caption: c\n    checks:\n      - node: { name: node-9, status: ready }\n        hint: h\n",
      "labs/demo.yaml:9:23: steps[0].checks[0].node.name: no host \"node-9\" in the topology (hosts: node-0, node-1)"],
    ["a misspelt node availability", "title: T\nmodule: M\ntopology:\n  swarm: { managers: [node-0], workers: [node-1] }\nsteps:\n  - run: ls\n    caption: c\n    checks:\n      - node: { name: node-1, availability: drained }\n        hint: h\n",
      "labs/demo.yaml:9:45: steps[0].checks[0].node.availability: \"drained\" is not a node availability (active, pause, drain)"],
    ["tasks on a host not in the swarm", "title: T\nmodule: M\ntopology:\n  swarm: { managers: [node-0], workers: [node-1] }\nsteps:\n  - run: ls\n    caption: c\n    checks:\n      - tasks: { service: web, onNodes: [node-0, node-7] }\n        hint: h\n",
      "labs/demo.yaml:9:50: steps[0].checks[0].tasks.onNodes[1]: no host \"node-7\" in the topology (hosts: node-0, node-1)"],
    ["a service that must not exist, with replicas", "title: T\nmodule: M\ntopology:\n  swarm: { managers: [node-0], workers: [node-1] }\nsteps:\n  - run: ls\n    caption: c\n    checks:\n      - service: { name: web, exists: false, replicas: 2 }\n        hint: h\n",
      "labs/demo.yaml:9:18: steps[0].checks[0].service: a service that must not exist has no replicas to check"],
    ["a misspelt pod phase", "title: T\nmodule: M\ntopology:\n  kubernetes: { nodes: [control-plane, node-1] }\nsteps:\n  - run: ls\n    caption: c\n    checks:\n      - pods: { selector: app=web, phase: running }\n        hint: h\n",
      "labs/demo.yaml:9:43: steps[0].checks[0].pods.phase: \"running\" is not a pod phase (Pending, Running, Succeeded, Failed, Unknown)"],
    ["pods by selector and owner at once", "title: T\nmodule: M\ntopology:\n  kubernetes: { nodes: [control-plane, node-1] }\nsteps:\n  - run: ls\n    caption: c\n    checks:\n      - pods: { selector: app=web, ownedBy: web }\n        hint: h\n",
      "labs/demo.yaml:9:15: steps[0].checks[0].pods: give selector or ownedBy, not both"],
    ["a selector that is no selector", "title: T\nmodule: M\ntopology:\n  kubernetes: { nodes: [control-plane, node-1] }\nsteps:\n  - run: ls\n    caption: c\n    checks:\n      - pods: { selector: \"app=web; rm -rf /\" }\n        hint: h\n",
      "labs/demo.yaml:9:27: steps[0].checks[0].pods.selector: \"app=web; rm -rf /\" is not a label selector (as app=web,tier!=db)"],
    ["a deployment name with a space", "title: T\nmodule: M\ntopology:\n  kubernetes: { nodes: [control-plane, node-1] }\nsteps:\n  - run: ls\n    caption: c\n    checks:\n      - deployment: { name: \"my web\" }\n        hint: h\n",
      "labs/demo.yaml:9:29: steps[0].checks[0].deployment.name: \"my web\" is not an object name (letters, digits, '_', '.' and '-')"],
    ["an unknown service type", "title: T\nmodule: M\ntopology:\n  kubernetes: { nodes: [control-plane, node-1] }\nsteps:\n  - run: ls\n    caption: c\n    checks:\n      - k8sService: { name: web, type: nodeport }\n        hint: h\n",
      "labs/demo.yaml:9:40: steps[0].checks[0].k8sService.type: \"nodeport\" is not a service type (ClusterIP, NodePort, LoadBalancer, ExternalName)"],
  ])("%s is a located error", (_what, text, message) => {
    const e = errorOf(text);
    expect(e.code).toBe("ELAB");
    if (message === "labs/demo.yaml:") expect(e.message.startsWith(message)).toBe(true);
    else expect(e.message).toBe(message);
  });

  it("reads a swarm topology: its hosts are the managers then the workers", () => {
    const lab = parseLab(`title: T\nmodule: M\ntopology:\n  swarm: { managers: [node-0, node-1], workers: [node-2] }\nsetup: { swarm: true }\nsteps:
  - run: docker service ls\n    caption: c\n    checks:
      - service: { name: web, replicas: 3, running: 3 }\n        hint: h
      - node: { name: node-2, status: down, availability: active, role: worker }\n        hint: h
      - tasks: { service: web, running: 3, notOn: [node-2] }\n        hint: h
      - secret: { name: s, exists: false }\n        hint: h
      - stack: { name: demo, services: 2 }\n        hint: h\n`, FILE);
    expect(lab.hosts).toEqual(["node-0", "node-1", "node-2"]);
    expect(lab.swarm).toEqual({ managers: ["node-0", "node-1"], workers: ["node-2"], ready: true });
    expect(lab.kubernetes).toBeUndefined();
    expect(lab.steps[0]!.checks).toMatchObject([
      { kind: "service", name: "web", replicas: 3, running: 3, exists: true },
      { kind: "node", name: "node-2", status: "down", availability: "active", role: "worker" },
      { kind: "tasks", service: "web", running: 3, onNodes: undefined, notOn: ["node-2"] },
      { kind: "secret", name: "s", exists: false },
      { kind: "stack", name: "demo", services: 2, exists: true },
    ]);
  });

  it("reads a Kubernetes topology and its checks", () => {
    const lab = parseLab(`title: T\nmodule: M\ntopology:\n  kubernetes: { nodes: [control-plane, node-1] }\nsteps:
  - run: kubectl get pods\n    caption: c\n    checks:
      - pods: { ownedBy: web, count: 3, ready: 3, phase: Running }\n        hint: h
      - deployment: { name: web, ready: 3, image: nginx:1.27 }\n        hint: h
      - k8sService: { name: web, type: NodePort }\n        hint: h\n`, FILE);
    expect(lab.hosts).toEqual(["control-plane", "node-1"]);
    expect(lab.kubernetes).toEqual({ nodes: ["control-plane", "node-1"] });
    expect(lab.swarm).toBeUndefined();
    expect(lab.steps[0]!.checks).toMatchObject([
      { kind: "pods", selector: undefined, ownedBy: "web", count: 3, ready: 3, phase: "Running" },
      { kind: "deployment", name: "web", ready: 3, image: "nginx:1.27", exists: true },
      { kind: "k8sService", name: "web", type: "NodePort", exists: true },
    ]);
  });

  it("the file's name must be a slug", () => {
    expect(errorOf(GOOD, "labs/My Lab.yaml").message).toBe("labs/My Lab.yaml:1:1: the file's name must be a slug (lowercase words joined by '-'), not \"My Lab\"");
  });

  it("reads a step's speaker notes (instructor mode), trimmed; an empty or non-text note is an error at its line", () => {
    const lab = parseLab(GOOD.replace("    caption: Time passes.", "    caption: Time passes.\n    notes: |\n      Ask the room what the engine does meanwhile.\n"), FILE);
    expect(lab.steps.map((s) => s.notes)).toEqual([undefined, "Ask the room what the engine does meanwhile."]);
    expect(errorOf(GOOD.replace("    caption: Time passes.", "    caption: Time passes.\n    notes: \"\"")).message)
      .toBe("labs/demo.yaml:12:12: steps[1].notes: must be a non-empty string");
    expect(errorOf(GOOD.replace("    caption: Time passes.", "    caption: Time passes.\n    notes: [a, b]")).message)
      .toBe("labs/demo.yaml:12:12: steps[1].notes: must be a single value");
  });
});
