// QA walkthrough 2026-11-30 defect #13: centos:7 has no `which` (it is its own RPM, not in the base
// image), so `bash -c 'which ls'` fails as bash does until `yum install -y which`, which adds it
// (`docker diff`: A /usr/bin/which, not C).
import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

describe("which on centos:7 (real centos:7: 'bash: which: command not found' until yum installs it)", () => {
  it("is not in the image: run directly it is runc's not-found; in bash it is bash's 'command not found' (127)", () => {
    const pg = createPlayground({ seed: 3 });
    pg.exec("docker pull -q centos:7");
    const direct = pg.exec("docker run --rm centos:7 which ls");
    expect(direct.exitCode).toBe(127);
    expect(direct.stderr).toContain('exec: "which": executable file not found in $PATH');
    expect(pg.exec("docker run --rm centos:7 bash -c 'which ls'")).toMatchObject({ exitCode: 127, stdout: "", stderr: "bash: which: command not found\n" });
    expect(pg.exec("docker run --rm centos:7 ls /usr/bin/which")).toMatchObject({ exitCode: 2 });
  });

  it("yum install -y which adds /usr/bin/which (docker diff: A), and then which finds ls", () => {
    const pg = createPlayground({ seed: 3 });
    pg.exec("docker pull -q centos:7");
    expect(pg.exec("docker run --name c7 centos:7 yum install -y which").exitCode).toBe(0);
    expect(pg.exec("docker diff c7").stdout.split("\n")).toContain("A /usr/bin/which");
    pg.exec("docker commit c7 c7-which");
    expect(pg.exec("docker run --rm c7-which bash -c 'which ls'")).toMatchObject({ exitCode: 0, stdout: "/usr/bin/ls\n" });
    expect(pg.exec("docker run --rm c7-which which ls")).toMatchObject({ exitCode: 0, stdout: "/usr/bin/ls\n" });
  });

  it("alpine's busybox which is still there, in a script and run directly", () => {
    const pg = createPlayground({ seed: 3 });
    pg.exec("docker pull -q alpine");
    expect(pg.exec("docker run --rm alpine which ls")).toMatchObject({ exitCode: 0, stdout: "/bin/ls\n" });
    expect(pg.exec("docker run --rm alpine sh -c 'which ls'")).toMatchObject({ exitCode: 0, stdout: "/bin/ls\n" });
  });
});
