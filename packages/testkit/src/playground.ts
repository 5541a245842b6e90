import fc from "fast-check";
import type { ExecResult, Playground } from "@drydock/playground";

// Model-based tests of the playground (fast-check's fc.commands): each command is typed at the
// prompt with pg.exec and checked against a small model of what the world must hold (files,
// image tags, volumes); every command that fails must leave the world exactly as it was
// (DESIGN.md: "a failed command leaves the world exactly as it was").

/** What the world must hold, as far as the commands below can see it. */
export interface PlaygroundModel {
  /** Files under FILES_DIR, by name. */
  readonly files: Map<string, string>;
  /** Image tags as `docker images` prints them (repository:tag). */
  readonly tags: Set<string>;
  readonly volumes: Set<string>;
}

export type PlaygroundCommand = fc.Command<PlaygroundModel, Playground>;

/** Where the file commands work. */
export const FILES_DIR = "/root/files";

/** A fresh model for a fresh playground (run `setupPlayground` on it first). */
export const emptyPlaygroundModel = (): PlaygroundModel => ({ files: new Map(), tags: new Set(), volumes: new Set() });

/** Makes the directories the commands use. */
export function setupPlayground(pg: Playground): void {
  const r = pg.exec(`mkdir -p ${FILES_DIR} /root/ctx`);
  if (r.exitCode !== 0) throw new Error(`setup failed: ${r.stderr}`);
}

/** Images the catalogue has, and the tag each gets locally. */
const PULLABLE: Readonly<Record<string, string>> = { "alpine:3.5": "alpine:3.5", busybox: "busybox:latest", "nginx:latest": "nginx:latest", redis: "redis:latest" };
const TAGS = ["myapp:v1", "myapp:v2", "localhost:5000/myapp:1", "web:latest", "alpine:3.5", "busybox:latest"];
const FILES = ["a.txt", "b.txt", "notes", ".hidden", "x y"];
const VOLUMES = ["data", "cache", "db-data"];

/** Runs a line and, when it fails, checks that the world did not change. */
function run(pg: Playground, line: string): ExecResult {
  const before = pg.worldHash();
  const r = pg.exec(line);
  if (r.exitCode !== 0 && pg.worldHash() !== before) throw new Error(`"${line}" failed (exit ${r.exitCode}: ${r.stderr.trim()}) yet changed the world`);
  if (/\n\s+at .*:\d+:\d+/.test(r.stderr)) throw new Error(`"${line}" printed a stack trace: ${r.stderr}`);
  return r;
}

function expectExit(line: string, r: ExecResult, ok: boolean): void {
  if ((r.exitCode === 0) !== ok) throw new Error(`"${line}": want ${ok ? "success" : "failure"}, got exit ${r.exitCode} (${(r.stderr || r.stdout).trim()})`);
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const lines = (s: string) => s.split("\n").filter((l) => l !== "").sort();
const same = (got: readonly string[], want: Iterable<string>, what: string) => {
  const w = [...want].sort();
  if (JSON.stringify(got) !== JSON.stringify(w)) throw new Error(`${what}: got ${JSON.stringify(got)}, the model has ${JSON.stringify(w)}`);
};

class WriteFile implements PlaygroundCommand {
  constructor(readonly name: string, readonly text: string) {}
  check = () => true;
  run(m: PlaygroundModel, pg: Playground): void {
    const line = `printf '%s' ${quote(this.text)} > ${quote(`${FILES_DIR}/${this.name}`)}`;
    expectExit(line, run(pg, line), true);
    m.files.set(this.name, this.text);
  }
  toString = () => `write ${this.name} ${JSON.stringify(this.text)}`;
}

class ReadFile implements PlaygroundCommand {
  constructor(readonly name: string) {}
  check = () => true;
  run(m: PlaygroundModel, pg: Playground): void {
    const line = `cat ${quote(`${FILES_DIR}/${this.name}`)}`;
    const r = run(pg, line);
    const want = m.files.get(this.name);
    expectExit(line, r, want !== undefined);
    if (want !== undefined && r.stdout !== want) throw new Error(`${line}: got ${JSON.stringify(r.stdout)}, want ${JSON.stringify(want)}`);
  }
  toString = () => `cat ${this.name}`;
}

class RemoveFile implements PlaygroundCommand {
  constructor(readonly name: string) {}
  check = () => true;
  run(m: PlaygroundModel, pg: Playground): void {
    const line = `rm ${quote(`${FILES_DIR}/${this.name}`)}`;
    expectExit(line, run(pg, line), m.files.has(this.name));
    m.files.delete(this.name);
  }
  toString = () => `rm ${this.name}`;
}

class ListFiles implements PlaygroundCommand {
  check = () => true;
  run(m: PlaygroundModel, pg: Playground): void {
    const r = run(pg, `ls -A ${FILES_DIR}`);
    expectExit("ls", r, true);
    same(lines(r.stdout), m.files.keys(), "ls -A");
  }
  toString = () => "ls";
}

class Pull implements PlaygroundCommand {
  constructor(readonly image: string) {}
  check = () => true;
  run(m: PlaygroundModel, pg: Playground): void {
    const line = `docker pull ${this.image}`;
    expectExit(line, run(pg, line), true);
    m.tags.add(PULLABLE[this.image]!);
  }
  toString = () => `pull ${this.image}`;
}

class Tag implements PlaygroundCommand {
  constructor(readonly source: string, readonly target: string) {}
  check = () => true;
  run(m: PlaygroundModel, pg: Playground): void {
    const line = `docker tag ${this.source} ${this.target}`;
    const ok = m.tags.has(this.source);
    expectExit(line, run(pg, line), ok);
    if (ok) m.tags.add(this.target);
  }
  toString = () => `tag ${this.source} ${this.target}`;
}

class RemoveImage implements PlaygroundCommand {
  constructor(readonly tag: string) {}
  check = () => true;
  run(m: PlaygroundModel, pg: Playground): void {
    const line = `docker rmi ${this.tag}`;
    expectExit(line, run(pg, line), m.tags.has(this.tag));
    m.tags.delete(this.tag);
  }
  toString = () => `rmi ${this.tag}`;
}

class Build implements PlaygroundCommand {
  constructor(readonly base: string, readonly tag: string, readonly echo: string) {}
  check = () => true;
  run(m: PlaygroundModel, pg: Playground): void {
    const write = `printf 'FROM %s\\nRUN echo %s\\n' ${this.base} ${quote(this.echo)} > /root/ctx/Dockerfile`;
    expectExit(write, run(pg, write), true);
    const line = `docker build -q -t ${this.tag} /root/ctx`;
    expectExit(line, run(pg, line), true);
    // BuildKit pulls a missing base into its cache, not the image store: `docker images` does not list it.
    m.tags.add(this.tag);
  }
  toString = () => `build ${this.tag} from ${this.base}`;
}

class Images implements PlaygroundCommand {
  check = () => true;
  run(m: PlaygroundModel, pg: Playground): void {
    const r = run(pg, `docker images --filter dangling=false --format '{{.Repository}}:{{.Tag}}'`);
    expectExit("docker images", r, true);
    same(lines(r.stdout), m.tags, "docker images");
  }
  toString = () => "images";
}

class VolumeCreate implements PlaygroundCommand {
  constructor(readonly name: string) {}
  check = () => true;
  run(m: PlaygroundModel, pg: Playground): void {
    const line = `docker volume create ${this.name}`;
    const r = run(pg, line);
    expectExit(line, r, true);
    if (r.stdout !== `${this.name}\n`) throw new Error(`${line}: printed ${JSON.stringify(r.stdout)}`);
    m.volumes.add(this.name);
  }
  toString = () => `volume create ${this.name}`;
}

class VolumeRemove implements PlaygroundCommand {
  constructor(readonly name: string) {}
  check = () => true;
  run(m: PlaygroundModel, pg: Playground): void {
    const line = `docker volume rm ${this.name}`;
    expectExit(line, run(pg, line), m.volumes.has(this.name));
    m.volumes.delete(this.name);
  }
  toString = () => `volume rm ${this.name}`;
}

class VolumeList implements PlaygroundCommand {
  check = () => true;
  run(m: PlaygroundModel, pg: Playground): void {
    const r = run(pg, "docker volume ls -q");
    expectExit("docker volume ls", r, true);
    same(lines(r.stdout), m.volumes, "docker volume ls -q");
  }
  toString = () => "volume ls";
}

class Garbage implements PlaygroundCommand {
  constructor(readonly line: string) {}
  check = () => true;
  run(_m: PlaygroundModel, pg: Playground): void {
    // Whatever it does, it must not throw; when it fails, the world must be as it was (run checks).
    const r = run(pg, this.line);
    if (!Number.isInteger(r.exitCode)) throw new Error(`${this.line}: exit ${r.exitCode}`);
    if (pg.busy()) pg.interrupt();
  }
  toString = () => `garbage ${JSON.stringify(this.line)}`;
}

/** Lines a learner mistypes: commands that must fail cleanly and change nothing. */
const garbage = fc.oneof(
  fc.constantFrom(
    "docker rmi nosuch:tag", "docker tag nosuch x", "docker volume rm nosuch", "docker pull nosuch/image:0", "docker build /nonexistent",
    "docker images --format '{{.Nope}}'", "docker images --filter bogus=1", "docker run --rm --restart=always alpine:3.5",
    "docker frobnicate", "docker volume create 'bad name'", "cat /nonexistent", "rm /nonexistent", "docker tag alpine:3.5 'Bad:Tag'",
    "docker constructor", "docker __proto__", "docker images --format '{{'", "docker inspect nosuch",
  ),
  fc.array(fc.constantFrom("docker", "images", "rmi", "tag", "volume", "rm", "-f", "--format", "'{{.ID}}'", "nosuch", "--filter", "x=y", "-q"), { minLength: 1, maxLength: 5 })
    .map((ws) => ["docker", ...ws.filter((w) => w !== "docker")].join(" ")),
);

/**
 * The commands, as fast-check arbitraries: files (write, cat, rm, ls), images (pull, tag, rmi,
 * build, images), volumes (create, rm, ls) and mistyped lines. Run them with
 * `fc.modelRun(() => ({ model, real }), cmds)`; `checkPlaygroundCommands` does it.
 */
export function playgroundCommands(): fc.Arbitrary<PlaygroundCommand>[] {
  const file = fc.constantFrom(...FILES);
  const text = fc.oneof(fc.constantFrom("", "hello", "a b\nc", "x%sy", "it's", "tab\there"), fc.string({ maxLength: 12 }).filter((s) => !s.includes("\0")));
  const tag = fc.constantFrom(...TAGS);
  const volume = fc.constantFrom(...VOLUMES);
  return [
    fc.tuple(file, text).map(([f, t]) => new WriteFile(f, t)),
    file.map((f) => new ReadFile(f)),
    file.map((f) => new RemoveFile(f)),
    fc.constant(new ListFiles()),
    fc.constantFrom(...Object.keys(PULLABLE)).map((i) => new Pull(i)),
    fc.tuple(tag, tag).map(([a, b]) => new Tag(a, b)),
    tag.map((t) => new RemoveImage(t)),
    fc.tuple(fc.constantFrom("alpine:3.5", "busybox"), fc.constantFrom("myapp:v1", "myapp:v2", "web:latest"), fc.constantFrom("one", "two")).map(([b, t, e]) => new Build(b, t, e)),
    fc.constant(new Images()),
    volume.map((v) => new VolumeCreate(v)),
    volume.map((v) => new VolumeRemove(v)),
    fc.constant(new VolumeList()),
    garbage.map((l) => new Garbage(l)),
  ];
}

/** Runs a drawn command sequence on a fresh playground (seed 1) against a fresh model. */
export function checkPlaygroundCommands(create: () => Playground, cmds: Iterable<PlaygroundCommand>): void {
  const real = create();
  setupPlayground(real);
  fc.modelRun(() => ({ model: emptyPlaygroundModel(), real }), cmds);
}
