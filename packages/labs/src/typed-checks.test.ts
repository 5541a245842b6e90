// D12 (docs/qa/2026-12-01-session5-walk.md): a step judged by its output must not pass when the
// learner types another command of the same lab. For every step with an `expect`, each other
// command the lab lists is typed at that step (the world put back after each) and must not pass.
import { describe, expect, it } from "vitest";
import { loadLabs } from "../node/index.js";
import { commandWords, parseLab, typedAs } from "./format.js";
import { LabSession } from "./runner.js";

const labs = loadLabs();

/** Docker's management commands: `docker service ps` is one command, `docker ps` another. */
const MANAGEMENT = new Set([
  "builder", "buildx", "compose", "config", "container", "context", "image", "manifest", "network", "node",
  "plugin", "secret", "service", "stack", "swarm", "system", "trust", "volume",
]);

/** What makes two lines different commands: `docker service ps`, `docker ps`, `kubectl get pods`, `curl`. */
function commandKey(line: string): string {
  const w = commandWords(line);
  if (w[0] === "docker") return w.slice(0, w[1] !== undefined && MANAGEMENT.has(w[1]) ? 3 : 2).join(" ");
  if (w[0] === "kubectl") return w.slice(0, 3).join(" ");
  return w.slice(0, 1).join(" ");
}

describe("typed checks", () => {
  it("match the command's words, flags and quotes left out, in any command of a pipeline", () => {
    expect(commandWords("docker service ps -f desired-state=running pinger")).toEqual(["docker", "service", "ps", "desired-state=running", "pinger"]);
    expect(typedAs("docker service ps pinger", "docker service ps")).toBe(true);
    expect(typedAs("docker node ls", "docker service ps")).toBe(false);
    expect(typedAs("docker --debug service ps x", "docker service ps")).toBe(true);
    expect(typedAs("echo 'docker service ps'", "docker service ps")).toBe(false);
    expect(typedAs("sleep 1 && docker service ps x | head", "docker service ps")).toBe(true);
  });

  it("a typed check is a command's words, without flags", () => {
    const lab = (typed: string) => `title: T\nmodule: M\nsteps:\n  - run: docker ps\n    caption: c\n    checks:\n      - typed: ${typed}\n        hint: h\n`;
    expect(parseLab(lab("[docker ps, docker container ls]"), "labs/t.yaml").steps[0]!.checks[0]).toMatchObject({ kind: "typed", commands: ["docker ps", "docker container ls"] });
    expect(() => parseLab(lab("docker ps -a"), "labs/t.yaml")).toThrow(/steps\[0\]\.checks\[0\]\.typed: a command's words without flags/);
  });

  it("swarm-node-failure-recovery step 3 (D12): docker node ls does not pass for docker service ps pinger", () => {
    const lab = labs.find((l) => l.slug === "swarm-node-failure-recovery")!;
    const s = new LabSession(lab);
    s.auto();
    s.auto();
    const wrong = s.type("docker node ls");
    expect(wrong.passed).toBe(false);
    expect(wrong.checks.find((c) => !c.ok)?.message).toBe("the command typed is `docker service ps`");
    expect(s.current).toBe(2);
    expect(s.type("docker service ps pinger").passed).toBe(true);
  });

  for (const lab of labs) {
    it(`${lab.slug}: no step judged by its output passes with another of the lab's commands`, () => {
      // Each with the keys its own step presses (a foreground ping ends with Ctrl-C, as the learner ends it).
      const lines = lab.steps.flatMap((st) => (st.action.kind === "run" ? [{ line: st.action.line, keys: st.action.keys }] : []));
      const s = new LabSession(lab);
      const wrong: string[] = [];
      while (!s.done) {
        const step = s.step!;
        const a = step.action;
        if (a.kind === "run" && step.expect !== undefined) {
          const key = commandKey(a.line);
          const typed = step.checks.flatMap((c) => (c.kind === "typed" ? c.commands : []));
          const tried = new Set<string>();
          for (const { line: other, keys } of lines) {
            const k = commandKey(other);
            if (k === key || tried.has(k) || typed.some((t) => typedAs(other, t))) continue;
            tried.add(k);
            const i = s.current;
            const r = s.type(other, keys);
            if (r.passed) wrong.push(`${lab.slug} step ${i + 1} (${a.line}) passes with: ${other}`);
            s.restartStep(i);
          }
        }
        s.auto();
      }
      expect(wrong).toEqual([]);
    });
  }
});
