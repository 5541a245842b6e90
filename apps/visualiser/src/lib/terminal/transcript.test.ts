import { describe, expect, it } from "vitest";
import { scenario } from "../scenarios/swarm/index.js";
import { TerminalBinding } from "./binding.js";
import { Transcript } from "./transcript.js";
import { playgroundOf } from "./world.js";

// The terminal's transcript is read from the run's action log: a line typed is the playground's
// `exec` action, and a fresh page that opens the link reads what it printed from a scratch replay.
// Both must show the same screen, or a shared link would show a different terminal.

function open() {
  const driver = scenario.create("1", {});
  const pg = playgroundOf(driver)!;
  return { driver, pg, binding: new TerminalBinding(pg, new Transcript(driver.sim.eventCount)) };
}

describe("terminal transcript", () => {
  it("logs a typed line as an exec action on the prompt's host, with its output", () => {
    const { pg, binding } = open();
    expect(binding.run("docker service ls")).toBeNull();
    const last = pg.sim.actionLog[pg.sim.actionLog.length - 1]!;
    expect(last.action).toEqual({ type: "exec", host: "manager1", line: "docker service ls" });
    const shown = binding.shown();
    expect(shown).toHaveLength(1);
    expect(shown[0]!.prompt).toBe("root@manager1:~# ");
    // docker service ls's columns (docker/cli cli/command/service/formatter.go).
    expect(shown[0]!.output).toMatch(/^ID\s+NAME\s+MODE\s+REPLICAS\s+IMAGE\s+PORTS\n\S+\s+web\s+replicated\s+6\/6\s+nginx:latest/);
  });

  it("reads the same screen from a scratch replay of the log as the live run showed", () => {
    const live = open();
    live.binding.run("docker service scale web=3");
    live.binding.answerLocally("ssh worker1");
    live.binding.run("docker node ls");
    live.binding.run("docker service ls");
    const fresh = open();
    const session = live.pg.sim.session();
    fresh.driver.timeline.loadActions(session.actions);
    fresh.driver.timeline.seekEvent(live.pg.sim.eventCount);
    fresh.binding.transcript.fill(session, fresh.pg.nodes);
    expect(fresh.binding.shown()).toEqual(live.binding.shown());
    // A worker cannot run manager commands: Docker's own error (moby daemon/cluster/errors.go).
    expect(live.binding.shown()[1]!.output).toContain("This node is not a swarm manager");
  });

  it("shows, after stepping back, only the lines typed before that instant", () => {
    const { pg, driver, binding } = open();
    binding.run("docker service ls");
    const between = pg.sim.eventCount;
    binding.run("docker node ls");
    driver.timeline.seekEvent(between);
    expect(binding.shown().map((s) => s.line)).toEqual(["docker service ls"]);
  });

  it("never shows a password typed at `docker login`'s Password: prompt, live or replayed, nor keeps it in the history", () => {
    // docker/cli's PromptUserForCredentials reads the password with golang.org/x/term ReadPassword: no echo, a newline once read.
    const live = open();
    expect(live.binding.run("docker login -u alice")).toBeNull();
    expect(live.binding.asking()).toMatchObject({ prompt: "Password: ", echo: false });
    live.binding.editor.remember(["s3cret-pass"]);   // the editor remembers a line on Enter
    live.binding.run("s3cret-pass");
    const screen = (b: TerminalBinding): string => b.shown().map((s) => `${s.prompt}${s.line}\n${s.output}`).join("");
    const text = screen(live.binding);
    expect(text).not.toContain("s3cret-pass");
    expect(text).toMatch(/Password: \n(.|\n)*Login Succeeded/);
    expect(live.binding.editor.lines).not.toContain("s3cret-pass");
    const fresh = open();
    const session = live.pg.sim.session();
    fresh.driver.timeline.loadActions(session.actions);
    fresh.driver.timeline.seekEvent(live.pg.sim.eventCount);
    fresh.binding.transcript.fill(session, fresh.pg.nodes);
    expect(screen(fresh.binding)).toBe(text);
  });
});
