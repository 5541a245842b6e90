import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createPlayground, Playground } from "./playground.js";

// Words a learner types, from the grammar of the commands drydock offers (and some it does not).
const WORDS = [
  "docker", "images", "image", "ls", "build", "pull", "push", "tag", "rmi", "history", "inspect", "system", "df", "login", "logout",
  "version", "info", "help", "run", "ps", "exec", "-t", "-q", "-a", "-f", "--format", "--filter", "--no-trunc", "--digests", "-v",
  "--help", "alpine:3.5", "busybox", "nosuch", "hello", "localhost:5000/hello", ".", "/nonexistent", "Dockerfile", "{{.ID}}",
  "{{json .}}", "{{.Nope}}", "table", "dangling=true", "reference=al*", "constructor", "__proto__", "toString", "echo", "cat", "cd",
  "mkdir", "-p", "rm", "-rf", "ls", "pwd", "x", "$(docker images -q)", "|", "&&", "||", ";", ">", "out.txt", "'", "\"", "\\", "$?",
  "drydock", "registry", "start", "wc", "-l", "grep", "FROM",
];

const PLAIN = WORDS.filter((w) => !/[|&;<>$`'"\\]/.test(w));

const line = fc.oneof(
  fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 7 }).map((ws) => ws.join(" ")),
  fc.string({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 30 }).map((b) => String.fromCharCode(...b)),
);

/** A host with something on it: an image, a tag, a project directory with a Dockerfile. */
function seeded(): Playground {
  const pg = createPlayground({ seed: 11 });
  pg.exec("docker pull alpine:3.5");
  pg.exec("mkdir -p /root/hello && printf 'FROM alpine:3.5\\nRUN echo hi\\n' > /root/hello/Dockerfile");
  return pg;
}

describe("the command line never throws, and a failed command changes nothing", () => {
  it("any line (from the grammar, any string, random bytes) gives an exit code and text, never an exception", () => {
    const pg = seeded();
    fc.assert(
      fc.property(line, (l) => {
        const r = pg.exec(l);
        expect(Number.isInteger(r.exitCode)).toBe(true);
        expect(typeof r.stdout + typeof r.stderr).toBe("stringstring");
        expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/); // no stack trace
        // A failed docker command says why (the shell's own silent failures, `false`, `test`, a
        // blank line keeping $?, are bash's behaviour, so only plain docker lines are held to it).
        if (r.exitCode !== 0 && /^docker( [^|&;<>$`'"\\()]*)?$/.test(l)) expect(r.stdout + r.stderr).not.toBe("");
        if (pg.busy()) pg.interrupt();
      }),
      { numRuns: 300 },
    );
  });

  it("a failed docker command leaves the world hash unchanged (a failed build may keep its cache, as BuildKit does)", () => {
    fc.assert(
      // Plain words only: a redirection creates its file before the command runs, as in bash.
      fc.property(fc.array(fc.constantFrom(...PLAIN), { minLength: 0, maxLength: 6 }), (ws) => {
        const pg = seeded();
        const before = pg.worldHash();
        const r = pg.exec(["docker", ...ws].join(" "));
        const buildish = ws.includes("build");
        // `docker rmi a b` removes each image on its own: when one fails the others stay removed,
        // and the command exits 1 (docker/cli image/remove.go), so a partial removal is kept.
        const partial = r.stdout.includes("Untagged:") || r.stdout.includes("Deleted:");
        // `docker run` is pull, create, start: an image pulled or a container created before the
        // start failed stays (`docker run alpine docker` leaves a Created container, exit 127).
        // A foreground run that never ends is interrupted after 24 h of virtual time (124): what it did stays, as with Ctrl-C.
        const started = r.stderr.includes("Downloaded newer image") || r.stderr.includes("failed to create task for container") || r.exitCode === 124;
        if (r.exitCode !== 0 && !buildish && !partial && !started) expect(pg.worldHash()).toBe(before);
      }),
      { numRuns: 120 },
    );
  });
});

describe("a session is (seed, action log)", () => {
  it("replaying it gives the same trace hash and world, whatever was typed", () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 1000 }), (lines, seed) => {
        const pg = createPlayground({ seed, nodes: ["node1", "node2"] });
        lines.forEach((l, i) => pg.exec(l, { on: i % 2 === 0 ? "node1" : "node2" }));
        const again = Playground.fromSession(JSON.parse(pg.exportSession()));
        expect(again.traceHash()).toBe(pg.traceHash());
        expect(again.worldHash()).toBe(pg.worldHash());
      }),
      { numRuns: 40 },
    );
  });
});
