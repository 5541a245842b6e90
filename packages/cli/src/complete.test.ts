// QA #18: Tab did nothing at the prompt. bash (with Debian's bash-completion, and docker-ce's
// completion script) completes command names, docker's subcommands and flags, and file names.
import { describe, expect, it } from "vitest";
import { createPlayground } from "@drydock/playground";
import { complete, currentCommand, playgroundCompletion } from "./complete.js";

const world = () => {
  const pg = createPlayground();
  pg.exec("mkdir -p dockercoins/webui && cd dockercoins && printf 'services: {}\\n' > compose.yml && touch .env README.md");
  return pg;
};
const tab = (pg: ReturnType<typeof createPlayground>, text: string) => complete(text, playgroundCompletion(pg, "node1")!);

describe("Tab completion at the prompt (QA #18)", () => {
  it("QA #18: `cat compo` + Tab completes `compose.yml ` in ~/dockercoins, as bash does", () => {
    const pg = world();
    expect(tab(pg, "cat compo")).toEqual([["compose.yml "], "compo"]);
  });

  it("QA #18: `docker ima` + Tab offers image and images, `docker contai` completes `container ` (docker-ce's bash completion); `docker image l` offers ls and load", () => {
    const pg = world();
    expect(tab(pg, "docker ima")).toEqual([["image", "images"], "ima"]);
    expect(tab(pg, "docker image l")[0]).toEqual(["list", "load", "ls"]);
    expect(tab(pg, "docker contai")).toEqual([["container "], "contai"]);
    expect(tab(pg, "sudo x; docker run --rm --na")).toEqual([["--name "], "--na"]);
    expect(tab(pg, "docker compose u")).toEqual([["unpause", "up"], "u"]);
    expect(tab(pg, "docker compose up --deta")).toEqual([["--detach "], "--deta"]);
  });

  it("command names come from PATH and the builtins; a directory completes with '/', hidden files only after a dot", () => {
    const pg = world();
    expect(tab(pg, "dock")).toEqual([["docker", "docker-compose"], "dock"]);
    expect(tab(pg, "ls | hist")).toEqual([["history "], "hist"]);
    expect(tab(pg, "cd web")).toEqual([["webui/"], "web"]);
    expect(tab(pg, "ls ")[0]).toEqual(["README.md", "compose.yml", "webui/"]);
    expect(tab(pg, "ls .e")).toEqual([[".env "], ".e"]);
    expect(tab(pg, "cat ~/dockercoins/co")).toEqual([["~/dockercoins/compose.yml "], "~/dockercoins/co"]);
    expect(tab(pg, "cat /etc/hostn")).toEqual([["/etc/hostname "], "/etc/hostn"]);
    expect(tab(pg, "cat nosuch/x")).toEqual([[], "nosuch/x"]);
  });

  it("inside quotes, and at a container's shell, Tab offers nothing", () => {
    expect(currentCommand("echo 'a b")).toBeNull();
    expect(currentCommand("ls a && X=1 ca")).toEqual(["X=1", "ca"]);
    const pg = world();
    pg.exec("docker run -it alpine sh");
    expect(playgroundCompletion(pg, "node1")).toBeNull();
  });
});
