// Issue #10's ":ro mount is never written" for named volumes (containers.prop.test.ts has bind
// mounts): whatever a container writes through `-v vol:/ro:ro` fails with EROFS and the volume's
// files stay as they were, for the next container to read. Expected text: the kernel's EROFS
// message as busybox prints it ("Read-only file system").
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

describe("a named volume mounted :ro is never written", () => {
  it("any write through the :ro mount fails, and a later read-write mount sees the old content", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("touch /ro/x", "sh -c 'echo a > /ro/keep'", "sh -c 'echo a >> /ro/keep'", "mkdir /ro/d", "rm /ro/keep", "rm -rf /ro/sub", "cp /etc/hostname /ro/", "mv /ro/keep /ro/moved"),
        fc.constantFrom("", "--read-only "),
        (cmd, extra) => {
          const pg = createPlayground({ seed: 8 });
          pg.exec("docker pull alpine");
          expect(pg.exec("docker run --rm -v vol:/d alpine sh -c 'echo keep > /d/keep && mkdir /d/sub && echo s > /d/sub/f'").exitCode).toBe(0);
          const listing = "docker run --rm -v vol:/d alpine sh -c 'ls -R /d && cat /d/keep /d/sub/f'";
          const before = pg.exec(listing).stdout;
          const r = pg.exec(`docker run --rm ${extra}-v vol:/ro:ro alpine ${cmd}`);
          expect(r.exitCode).not.toBe(0);
          expect(r.stderr).toContain("Read-only file system");
          expect(pg.exec(listing).stdout).toBe(before);
        },
      ),
      { numRuns: 12 },
    );
  });
});
