// DESIGN.md "Errors": a failed command leaves the world exactly as it was. Here for the volume,
// plugin and system commands of issue #10, typed from their own grammar.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createPlayground, type Playground } from "../playground.js";

const WORDS = [
  "volume", "plugin", "system", "image", "builder", "create", "ls", "inspect", "rm", "prune", "install", "enable", "disable", "df", "info",
  "events", "-f", "-a", "-q", "-d", "-o", "-v", "--force", "--all", "--volumes", "--filter", "--format", "--label", "--since", "--until",
  "--grant-all-permissions", "--disable", "--alias", "data", "named", "nosuch", "vieux/sshfs", "vieux/sshfs:latest", "someone/nothing",
  "local", "sshcmd=a@b:/c", "password=pw", "foo=bar", "type=nfs", "dangling=true", "label=x", "until=1h", "until=yesterday", "all=1",
  "colour=red", "enabled=true", "{{.Name}}", "{{.Nope}}", "json", "1h", "0s", "DEBUG=1", "constructor", "__proto__",
];

/** A host with something of every kind: an image, volumes (one of the plugin's driver), the plugin. */
function seeded(): Playground {
  const pg = createPlayground({ seed: 5 });
  pg.exec("docker pull alpine:3.5");
  pg.exec("docker volume create named && docker volume create && docker plugin install --grant-all-permissions vieux/sshfs");
  pg.exec("docker volume create -d vieux/sshfs -o sshcmd=a@b:/c remote");
  return pg;
}

describe("volume, plugin and system commands: a failed one changes nothing", () => {
  it("the world hash covers volumes and plugins (so the property below can fail)", () => {
    const pg = createPlayground({ seed: 5 });
    const h0 = pg.worldHash();
    pg.exec("docker volume create data");
    const h1 = pg.worldHash();
    expect(h1).not.toBe(h0);
    pg.exec("docker plugin install --grant-all-permissions vieux/sshfs");
    expect(pg.worldHash()).not.toBe(h1);
  });

  it("for any line of their words, a non-zero exit leaves the world hash as it was (rm of several keeps what it removed)", () => {
    fc.assert(
      fc.property(fc.constantFrom("volume", "plugin", "system", "image", "builder"), fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 6 }), (family, ws) => {
        const pg = seeded();
        const before = pg.worldHash();
        const line = ["docker", family, ...ws].join(" ");
        const r = pg.exec(line);
        if (pg.busy()) pg.interrupt();
        expect(Number.isInteger(r.exitCode)).toBe(true);
        // docker volume rm a b / plugin rm a b: each name is its own API call, and the ones removed stay removed.
        const partial = (ws.includes("rm") || ws.includes("remove")) && r.stdout !== "";
        if (r.exitCode !== 0 && !partial) expect(pg.worldHash(), line).toBe(before);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
