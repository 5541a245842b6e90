// Golden transcripts (STYLE.md, after etcd raft's interaction tests): each file under testdata/
// is a terminal session: `$ line` as typed at the prompt (`> ` before the lines of a heredoc or
// a continuation), then what the terminal showed, then `[exit N]` when its status was not 0.
// Inside a container (`docker run -it centos:7 bash`) a typed line starts with the container
// shell's own prompt instead (`[root@3f2a1b4c5d6e /]# `, `root@3f2a1b4c5d6e:/# `, `/ # `). Keys
// pressed while a line runs are lines of their own right after it: `[Ctrl-C]`, `[3s later: Ctrl-C]`,
// `[Ctrl-P Ctrl-Q]` (Docker's detach keys). The test types every line into one fresh playground
// (seed 1, host node1) and compares the whole transcript. `drydock raft|swim` lines are headless
// runs and go through runCli, as the terminal does.
// A world of several hosts (the swarm's exercises) says so in its header, `# hosts: node1 node2`;
// a line typed at another host's terminal starts with that host's name, `node2$ `; a fault between
// lines is a line of its own, `[crash node3]` or `[restart node3]` (the playground's fault actions).
// A Kubernetes world names its nodes instead, `# kubernetes: control-plane node-1 node-2`; the first
// runs the control plane and lines without a host name are typed there; `# control-planes: 3` makes
// the first three control-plane hosts, each with an etcd member (createPlayground's controlPlanes).
// Regenerate on purpose with UPDATE_TRANSCRIPTS=1 and review the diff.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDuration } from "@drydock/kernel";
import { createPlayground, isComplete, type Playground } from "@drydock/playground";
import { runCli } from "./main.js";
import { headlessArgv } from "./shell.js";

const dir = join(import.meta.dirname, "..", "testdata");

/** A container shell's prompt at the start of a line: RHEL bash, Debian bash, BusyBox ash / dash. */
const CONTAINER_PROMPT = /^(\[[a-z_][\w-]*@[0-9a-f]{12} [^\]]+\][#$] |[a-z_][\w-]*@[0-9a-f]{12}:[^\s#$]*[#$] |[/~]\S* [#$] )/;

/** A key pressed while the line above runs: `[Ctrl-C]`, `[2s later: Ctrl-C]`, `[Ctrl-P Ctrl-Q]`. */
const KEY = /^\[(?:(\d+(?:\.\d+)?(?:ms|s|m|h)) later: )?(Ctrl-C|Ctrl-P Ctrl-Q)\]$/;

interface Typed {
  readonly cmd: string;
  readonly keys: readonly { readonly after: string | undefined; readonly key: string }[];
  /** The host whose terminal it is typed at (undefined: the first host). */
  readonly host?: string;
  /** A fault between lines instead of a typed line. */
  readonly fault?: { readonly kind: "crash" | "restart"; readonly host: string };
}

/** Another host's prompt: `node2$ `. */
const HOST_PROMPT = /^([a-z0-9][a-z0-9-]*)\$ /;
/** A fault between lines: `[crash node3]`, `[restart node3]`. */
const FAULT = /^\[(crash|restart) ([a-z0-9][a-z0-9-]*)\]$/;

/** The hosts a transcript's header names (`# hosts: node1 node2`), or the one default host. */
function hostsOf(text: string): string[] {
  const m = /^# hosts: (.+)$/m.exec(text);
  return m ? m[1]!.trim().split(/\s+/) : ["node1"];
}

/**
 * A Kubernetes world's nodes (`# kubernetes: control-plane node-1 node-2`): its hosts, the first
 * running the control plane (createPlayground's `kubernetes` option), or null.
 */
function kubernetesOf(text: string): string[] | null {
  const m = /^# kubernetes: (.+)$/m.exec(text);
  return m ? m[1]!.trim().split(/\s+/) : null;
}

/** The typed part of a line (after `$ ` or a container's prompt), or null for output. */
function typedText(line: string): string | null {
  if (line.startsWith("$ ")) return line.slice(2);
  const m = CONTAINER_PROMPT.exec(line);
  return m ? line.slice(m[0].length) : null;
}

/** The command lines of a transcript, joined with their `> ` lines while incomplete, and the keys pressed during each. */
export function transcriptLines(text: string): Typed[] {
  const lines = text.split("\n");
  const out: Typed[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.startsWith("#") && out.length === 0) continue;
    const fault = FAULT.exec(lines[i]!);
    if (fault) {
      out.push({ cmd: "", keys: [], fault: { kind: fault[1] as "crash" | "restart", host: fault[2]! } });
      continue;
    }
    const at = HOST_PROMPT.exec(lines[i]!);
    let cmd = at ? lines[i]!.slice(at[0].length) : typedText(lines[i]!);
    if (cmd === null) continue;
    while (!isComplete(cmd) && i + 1 < lines.length && lines[i + 1]!.startsWith(">")) cmd += "\n" + lines[++i]!.replace(/^> ?/, "");
    const keys: Typed["keys"][number][] = [];
    for (let m = KEY.exec(lines[i + 1] ?? ""); m !== null; m = KEY.exec(lines[i + 1] ?? "")) {
      keys.push({ after: m[1], key: m[2]! });
      i++;
    }
    out.push({ cmd, keys, ...(at ? { host: at[1]! } : {}) });
  }
  return out;
}

/** The command lines of a transcript. */
export function transcriptCommands(text: string): string[] {
  return transcriptLines(text).map((t) => t.cmd);
}

/** Types one line (and its keys) and returns what the terminal showed and the status. */
function typeLine(pg: Playground, t: Typed): { shown: string; status: number } {
  const on = t.host ?? pg.nodes[0]!;
  // Background jobs print into their own stream (and their Done notices after the line), as the terminal shows them.
  const jobs = () => pg.host(on).jobOutput ?? "";
  const before = jobs().length;
  const early = pg.begin(t.cmd, { on });
  if (early) return { shown: early.stdout + early.stderr + jobs().slice(before), status: early.exitCode };
  for (const k of t.keys) {
    if (k.after !== undefined) pg.advance(parseDuration(k.after));
    if (k.key === "Ctrl-C") pg.interrupt(on);
    else pg.detach(on);
  }
  const r = pg.wait(on);
  return { shown: pg.output(on) + jobs().slice(before), status: r.exitCode };
}

/** Replays a transcript's commands and returns the transcript as it should read. */
export function replay(text: string): string {
  const kube = kubernetesOf(text);
  const cps = /^# control-planes: (\d+)$/m.exec(text);
  const pg = createPlayground({ seed: 1, nodes: kube ?? hostsOf(text), ...(kube ? { kubernetes: { nodes: kube, ...(cps ? { controlPlanes: Number(cps[1]) } : {}) } } : {}) });
  const out: string[] = [];
  const lines = text.split("\n");
  for (const l of lines) {
    if (!l.startsWith("#")) break;
    out.push(l);
  }
  for (const t of transcriptLines(text)) {
    if (t.fault) {
      out.push(`[${t.fault.kind} ${t.fault.host}]`);
      if (t.fault.kind === "crash") pg.crash(t.fault.host);
      else pg.restart(t.fault.host);
      continue;
    }
    const [first, ...rest] = t.cmd.split("\n");
    const prompt = t.host !== undefined ? `${t.host}$ ` : pg.prompt().text ?? "$ ";
    out.push(`${prompt}${first}`, ...rest.map((l) => (l === "" ? ">" : `> ${l}`)));
    out.push(...t.keys.map((k) => `[${k.after !== undefined ? `${k.after} later: ` : ""}${k.key}]`));
    const argv = pg.attached(t.host) === null ? headlessArgv(t.cmd) : null;
    const r = argv ? (({ stdout, stderr, code }) => ({ shown: stdout + stderr, status: code }))(runCli(argv)) : typeLine(pg, t);
    if (r.shown !== "") out.push(...r.shown.replace(/\n$/, "").split("\n"));
    if (r.status !== 0) out.push(`[exit ${r.status}]`);
  }
  return out.join("\n") + "\n";
}

describe("golden transcripts", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".txt")).sort();

  it("finds the transcripts, and each types at least one command", () => {
    expect(files).toEqual(expect.arrayContaining([
      "images.txt", "images-course.txt", "raft.txt", "swim.txt",
      // The course's exercises of issue #10, one transcript each.
      "containers-process-isolation.txt", "containers-running-and-inspecting.txt", "containers-interactive.txt", "containers-detached-and-logging.txt",
      "containers-start-stop-inspect-delete.txt", "images-interactive-creation.txt", "system-inspection-commands.txt", "volumes-database.txt",
      "volumes-basic-usage.txt", "system-cleaning-up.txt", "plugins-sshfs.txt",
      // Swarm mode's exercises (issue #12).
      "swarm-creating-a-swarm.txt", "swarm-starting-a-service.txt", "swarm-self-healing.txt", "swarm-node-failure-recovery.txt",
      "swarm-scaling-and-scheduling.txt", "swarm-updating-a-service.txt", "swarm-orchestrating-secrets.txt", "swarm-application-deployment.txt",
      // Kubernetes' exercises (issue #15), in a `# kubernetes:` world.
      "kube-basics.txt", "kube-orchestration.txt", "kube-networking.txt", "kube-etcd-quorum.txt",
    ]));
    for (const f of files) expect(transcriptCommands(readFileSync(join(dir, f), "utf8")).length, f).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(file, () => {
      const path = join(dir, file);
      const text = readFileSync(path, "utf8");
      const want = replay(text);
      if (process.env.UPDATE_TRANSCRIPTS === "1") writeFileSync(path, want);
      else expect(text).toBe(want);
    });
  }

  it("a transcript whose output was edited fails (the comparison can fail)", () => {
    const text = "# t\n$ echo hello\nhello\n";
    expect(replay(text)).toBe(text);
    expect(replay("# t\n$ echo hello\nhullo\n")).not.toBe("# t\n$ echo hello\nhullo\n");
  });

  it("a line typed inside a container starts with the container's prompt; keys pressed during a line follow it", () => {
    const text = [
      "# t", "$ docker run -it centos:7 bash", "Unable to find image 'centos:7' locally", "[root@65c9bba1de94 /]# cd /tmp",
      "[root@65c9bba1de94 tmp]# exit", "$ docker run -it alpine sh", "/ # exit", "$ ping 8.8.8.8", "[2.5s later: Ctrl-C]", "PING 8.8.8.8",
      "$ docker attach web", "[Ctrl-P Ctrl-Q]", "read escape sequence",
    ].join("\n");
    expect(transcriptLines(text)).toEqual([
      { cmd: "docker run -it centos:7 bash", keys: [] }, { cmd: "cd /tmp", keys: [] }, { cmd: "exit", keys: [] },
      { cmd: "docker run -it alpine sh", keys: [] }, { cmd: "exit", keys: [] },
      { cmd: "ping 8.8.8.8", keys: [{ after: "2.5s", key: "Ctrl-C" }] }, { cmd: "docker attach web", keys: [{ after: undefined, key: "Ctrl-P Ctrl-Q" }] },
    ]);
  });

  it("a transcript of several hosts types lines at each host's terminal; faults are lines of their own", () => {
    const text = "# t\n# hosts: node1 node2\n$ hostname\nnode1\nnode2$ hostname\nnode2\n[crash node2]\nnode2$ hostname\ndrydock: node2 is down (crashed); restart it first\n[exit 255]\n[restart node2]\nnode2$ hostname\nnode2\n";
    expect(transcriptLines(text).map((t) => [t.host, t.cmd, t.fault?.kind])).toEqual([
      [undefined, "hostname", undefined], ["node2", "hostname", undefined], [undefined, "", "crash"], ["node2", "hostname", undefined],
      [undefined, "", "restart"], ["node2", "hostname", undefined],
    ]);
    expect(replay(text)).toBe(text);
  });

  it("a heredoc typed at the prompt is one command, its body on > lines", () => {
    const text = "# t\n$ cat > f <<EOF\n> a\n> EOF\n$ cat f\na\n";
    expect(transcriptCommands(text)).toEqual(["cat > f <<EOF\na\nEOF", "cat f"]);
    expect(replay(text)).toBe(text);
  });
});
