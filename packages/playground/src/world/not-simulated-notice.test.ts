// An installed program drydock does not simulate runs as the RUN interpreter's generic effect (it
// exits 0 and changes nothing modelled). At an interactive terminal in a container the learner is
// told so on stderr; a script, a `docker run` without a terminal and a RUN step stay silent.
import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

describe("a program in the container that drydock does not simulate", () => {
  it("at `docker run -it` the shell's terminal says so on stderr and the program still exits 0", () => {
    const pg = createPlayground({ seed: 3 });
    pg.exec("docker pull -q centos:7");
    pg.exec("docker run -it --name box centos:7 bash");
    expect(pg.exec("gpg --list-keys")).toMatchObject({ exitCode: 0, stdout: "", stderr: "drydock: gpg is in this container but drydock does not simulate it\n" });
    expect(pg.exec("gpg --list-keys; echo status=$?").stdout).toBe("status=0\n");
    expect(pg.exec("ls /usr/bin/gpg")).toMatchObject({ exitCode: 0, stderr: "" });
    pg.exec("exit");
  });

  it("no terminal (docker run, docker exec without -t, a RUN step): silent, exit 0", () => {
    const pg = createPlayground({ seed: 3 });
    pg.exec("docker pull -q centos:7");
    expect(pg.exec("docker run --rm centos:7 gpg --list-keys")).toMatchObject({ exitCode: 0, stderr: "" });
    expect(pg.exec("docker run --rm centos:7 bash -c 'gpg --list-keys'")).toMatchObject({ exitCode: 0, stderr: "" });
    pg.writeFile("node1", "/root/g/Dockerfile", "FROM centos:7\nRUN gpg --list-keys\n");
    const b = pg.exec("docker build --progress=plain -t g /root/g");
    expect(b.exitCode).toBe(0);
    expect(b.stderr).not.toContain("does not simulate");
  });
});
