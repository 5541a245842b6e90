// docker push of a name without a tag, found trying the course's `docker run -d -p 5000:5000
// registry:2` then a push as a learner (issue #10's audit). Expected texts: docker/cli v28.5.1
// cli/command/image/push.go RunPush ("Using default tag: latest" on stdout before the daemon is
// asked, unless -a or -q) and moby's
// distribution/push.go ("An image does not exist locally with the tag: NAME").
import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

function withRegistry() {
  const pg = createPlayground({ seed: 3 });
  pg.exec("docker pull alpine");
  expect(pg.exec("docker run -d -p 5000:5000 --name registry registry:2").exitCode).toBe(0);
  pg.exec("docker tag alpine localhost:5000/alp");
  return pg;
}

describe("docker push NAME (image/push.go RunPush)", () => {
  it("says it uses the default tag, then pushes :latest", () => {
    const pg = withRegistry();
    const r = pg.exec("docker push localhost:5000/alp");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Using default tag: latest\nThe push refers to repository \[localhost:5000\/alp\]\n[0-9a-f]{12}: Pushed\nlatest: digest: sha256:[0-9a-f]{64} size: \d+\n$/);
  });

  it("with a tag there is no such line", () => {
    const pg = withRegistry();
    expect(pg.exec("docker push localhost:5000/alp:latest").stdout).toMatch(/^The push refers to repository \[localhost:5000\/alp\]\n/);
  });

  it("the line comes before the daemon's refusal of an image it does not have", () => {
    const pg = withRegistry();
    expect(pg.exec("docker push localhost:5000/nosuch")).toEqual({
      exitCode: 1, stdout: "Using default tag: latest\n", stderr: "Error response from daemon: An image does not exist locally with the tag: localhost:5000/nosuch\n",
    });
  });

  it("with -q prints only the reference as the CLI normalised it: qualified, :latest added (push.go: fmt.Fprintln(out, ref.String()))", () => {
    const pg = withRegistry();
    expect(pg.exec("docker push -q localhost:5000/alp")).toEqual({ exitCode: 0, stdout: "localhost:5000/alp:latest\n", stderr: "" });
    expect(pg.exec("docker push -q localhost:5000/alp:latest").stdout).toBe("localhost:5000/alp:latest\n");
  });
});
