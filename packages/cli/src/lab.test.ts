// `drydock lab`: listing, checking headless (exit 1 on a failing check), and walking a lab at the
// terminal, where Enter types the step's command and a learner's wrong line leaves the lab waiting.
import { describe, expect, it } from "vitest";
import { parseLab } from "@drydock/labs";
import { LabWalk, checkLabs, labCommand, listLabs, parseLabArgs } from "./lab.js";
import { runCli } from "./main.js";

const WEB = parseLab(`title: Web Server
module: Containers
steps:
  - run: docker run -d --name web nginx
    caption: Start nginx in the background, named web.
    checks:
      - container: { name: web, state: running }
        hint: Use -d and --name web.
  - run: docker rm -f web
    caption: Remove it.
    checks:
      - container: { name: web, exists: false }
        hint: docker rm -f web.
`, "labs/web.yaml");

const BROKEN = parseLab(`title: Broken
module: Containers
steps:
  - run: docker run -d --name web alpine
    caption: alpine's shell exits at once without a terminal.
    checks:
      - container: { name: web, state: running }
        hint: It will not be running.
`, "labs/broken.yaml");

describe("drydock lab", () => {
  it("lists the labs: name, title, module, steps", () => {
    expect(listLabs([WEB, BROKEN])).toBe(
      "LAB      TITLE        MODULE       STEPS\n"
      + "web      Web Server   Containers   2\n"
      + "broken   Broken       Containers   1\n",
    );
    expect(labCommand([], [WEB])).toMatchObject({ code: 0, stdout: "LAB   TITLE        MODULE       STEPS\nweb   Web Server   Containers   2\n" });
  });

  it("--all --check passes when every check holds", () => {
    const r = labCommand(["--all", "--check"], [WEB]);
    expect(r).toEqual({ stdout: "✓ web: Web Server (2 steps, 2 checks)\n1 labs, every check passed\n", stderr: "", code: 0 });
  });

  it("--all --check exits 1 and names the failing check when one does not hold", () => {
    const r = checkLabs([WEB, BROKEN]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe([
      "✓ web: Web Server (2 steps, 2 checks)",
      "✗ broken: Broken (1 steps, 1 checks)",
      "    step 1: docker run -d --name web alpine",
      "      ✗ container web is running (it is exited)",
      "1 of 2 labs failed",
      "",
    ].join("\n"));
  });

  it("a failing expect shows what the output was instead", () => {
    const lab = parseLab("title: E\nmodule: M\nsteps:\n  - run: echo hello\n    caption: c\n    expect: goodbye\n", "labs/e.yaml");
    expect(checkLabs([lab]).stdout).toBe([
      "✗ e: E (1 steps, 1 checks)",
      "    step 1: echo hello",
      "      ✗ the output does not match \"goodbye\"; it was:",
      "        | hello",
      "1 of 1 labs failed",
      "",
    ].join("\n"));
  });

  it("--check LAB checks one lab; an unknown lab is a usage error", () => {
    expect(labCommand(["--check", "web"], [WEB, BROKEN]).code).toBe(0);
    expect(() => labCommand(["--check", "nosuch"], [WEB])).toThrow('invalid argument "nosuch": no such lab (drydock lab lists them)');
  });

  it.each([
    [["--frob"], 'invalid argument "--frob": unknown flag'],
    [["a", "b"], 'invalid argument "b": one lab at a time (or --all)'],
    [["--all"], 'invalid argument "--all": only with --check (a walk is one lab at a time)'],
    [["--all", "--check", "web"], 'invalid argument "web": --all takes no lab name'],
  ])("rejects %j", (argv, message) => {
    expect(() => parseLabArgs(argv)).toThrow(message);
  });

  it("runCli answers --help and says a walk needs the terminal; both list in drydock --help", () => {
    expect(runCli(["lab", "--help"])).toMatchObject({ code: 0, stdout: expect.stringContaining("Usage:  drydock lab [LAB] [OPTIONS]") });
    expect(runCli(["lab"])).toMatchObject({ code: 2, stderr: expect.stringContaining("drydock lab: runs only from the drydock command (bin)") });
    expect(runCli(["lab", "--frob"])).toMatchObject({ code: 2, stderr: 'drydock lab: invalid argument "--frob": unknown flag\nSee \'drydock lab --help\'.\n' });
    expect(runCli([]).stdout).toMatch(/^  lab {8}/m);
  });
});

describe("walking a lab", () => {
  it("shows the step; Enter types its command, prints the output and the checks, and moves on", () => {
    const w = new LabWalk(WEB);
    expect(w.intro()).toBe(
      "Web Server (Containers): 2 steps.\nPress Enter to have each command typed for you, or type your own. Ctrl-D leaves.\n\n"
      + "Step 1/2: Start nginx in the background, named web.\n  $ docker run -d --name web nginx\n",
    );
    expect(w.prompt()).toBe("root@node1:~# ");
    const out = w.enter("");
    expect(out).toMatch(/^docker run -d --name web nginx\nUnable to find image 'nginx:latest' locally\n/);
    expect(out).toContain("\n  ✓ container web is running\n\nStep 2/2: Remove it.\n  $ docker rm -f web\n");
  });

  it("a wrong line is answered as Docker answers it, with the hint, and the lab waits; the right one moves on", () => {
    const w = new LabWalk(WEB);
    expect(w.enter("docker run -d --nmae web nginx")).toBe(
      "unknown flag: --nmae\nSee 'docker run --help'.\n"
      + "  ✗ the command failed (exit status 125)\n"
      + "  ✗ a container named web (there is none)\n    hint: Use -d and --name web.\n"
      + "  Not yet: try again, or press Enter to have the command typed for you.\n",
    );
    expect(w.session.current).toBe(0);
    expect(w.enter("docker run --detach --name web nginx")).toContain("  ✓ container web is running\n\nStep 2/2: Remove it.\n");
    expect(w.enter("docker rm -f web")).toBe("web\n  ✓ there is no container named web\n\nLab complete: Web Server.\n");
    expect(w.done).toBe(true);
  });

  it("D12: at swarm-node-failure-recovery step 3, docker node ls is not docker service ps; D11: the learner reads words, not a regex, and the topology's host names", () => {
    const lab = parseLab(`title: Nodes
module: Swarm
topology:
  swarm: { managers: [node-0], workers: [node-1] }
setup: { swarm: true }
steps:
  - run: docker service ps nope
    on: node-0
    caption: The service's tasks and their nodes.
    expect: node-1
    checks:
      - typed: docker service ps
        hint: This step asks for docker service ps; docker node ls shows something else.
  - run: docker node ls
    caption: The nodes.
    expect: { regex: "node-1 +Down", shows: "node-1 Down" }
`, "labs/nodes.yaml");
    const w = new LabWalk(lab);
    expect(w.intro()).toContain("Step 1/2: The service's tasks and their nodes.\n  node-0 $ docker service ps nope\n");
    const out = w.enter("docker node ls");
    expect(out).toContain("  ✓ the output is as expected\n  ✗ the command typed is `docker service ps`\n    hint: This step asks for docker service ps; docker node ls shows something else.\n");
    expect(w.session.current).toBe(0);
    // Step 2 as if reached: its regex is described by its shows.
    w.session.auto();
    const two = w.enter("docker node ls");
    expect(two).toContain("  ✗ the output does not show node-1 Down\n");
    expect(two).not.toContain("/node-1");
  });

  it("gathers a heredoc's lines into one command, with the > prompt between them", () => {
    const lab = parseLab(`title: T
module: M
steps:
  - run: |
      cat > f <<EOF
      hello
      EOF
    caption: Write a file.
    checks:
      - file: { path: /root/f, contains: hello }
        hint: Write hello into ~/f.
`, "labs/t.yaml");
    expect(new LabWalk(lab).enter("")).toBe("cat > f <<EOF\n> hello\n> EOF\n  ✓ a file /root/f containing \"hello\"\n\nLab complete: T.\n");
    const w = new LabWalk(lab);
    expect(w.enter("cat > f <<EOF")).toBe("");
    expect(w.prompt()).toBe("> ");
    expect(w.enter("hello")).toBe("");
    expect(w.enter("EOF")).toBe("  ✓ a file /root/f containing \"hello\"\n\nLab complete: T.\n");

    const c = new LabWalk(lab);
    c.enter("cat > f <<EOF");
    c.cancelLine();   // Ctrl-C
    expect(c.prompt()).toBe("root@node1:~# ");
  });

  it("a step whose command fails shows ✗ with its exit status, never a bare ✓, walked or checked (no expect, no checks)", () => {
    // `docker image rm` of an image that is not there: "Error response from daemon: No such image: nosuch:latest", exit 1.
    const lab = parseLab("title: Fails\nmodule: Images\nsteps:\n  - run: docker image rm nosuch\n    caption: Remove an image that is not there.\n", "labs/fails.yaml");
    const walk = new LabWalk(lab);
    walk.intro();
    const shown = walk.enter("");
    expect(shown).toContain("No such image");
    expect(shown).toContain("  ✗ the command failed (exit status 1)");
    expect(shown).not.toContain("✓");
    const checked = checkLabs([lab]);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain("✗ fails: Fails (1 steps, 0 checks)\n    step 1: docker image rm nosuch\n      ✗ the command failed (exit status 1)");
  });
});
