import { describe, expect, it } from "vitest";
import type { Driver } from "../../scenario.js";
import { CREATE_LINE, PASSWORD, REMOVE_LINE, SECRET, SERVICE_LINE, createSecretsDriver } from "./driver.js";
import type { SecretsViewModel } from "./model.js";

// Where a swarm secret is (docs: "Manage sensitive data with Docker secrets", How Docker manages
// secrets): encrypted at rest in the managers' Raft log (swarmkit manager/encryption/nacl.go,
// NaCl secretbox), sent over mutual TLS only to the nodes running a service granted it
// (swarmkit dispatcher Assignments), mounted in an in-memory filesystem at /run/secrets/<name>
// (moby setupSecretDir: tmpfs), and removed from the node when the task stops or the grant goes.

function type(d: Driver<SecretsViewModel>, line: string, seconds: number): SecretsViewModel {
  d.timeline.act({ type: "exec", host: "manager1", line });
  d.timeline.runUntil(d.sim.now + seconds * 1_000_000);
  return d.view([], { selected: null });
}

describe("secrets scene (?scenario=secrets)", () => {
  it("sealed in every manager's store, in memory only where a granted task runs, gone with the grant", () => {
    const d = createSecretsDriver("1", {});
    expect(d.view([], { selected: null }).caption.step).toBe("start");

    let v = type(d, CREATE_LINE, 2);
    expect(v.caption.step).toBe("created");
    expect(v.secrets.map((s) => s.name)).toEqual([SECRET]);
    // A reader of the store sees the secretbox record, never the password.
    expect(v.secrets[0]!.sealed).toMatch(/^secretbox /);
    const stored = [...d.sim.state.swarm.hosts.get("manager1")!.store!.secrets.values()][0]!.data;
    expect(stored).toMatch(/^NACLSecretboxSalsa20Poly1305:/);
    expect(stored).not.toContain(PASSWORD);
    expect(v.nodes.filter((n) => n.sealed.includes(SECRET)).map((n) => n.host)).toEqual(["manager1", "manager2", "manager3"]);
    expect(v.nodes.every((n) => n.held.length === 0)).toBe(true);

    v = type(d, SERVICE_LINE, 20);
    expect(v.caption.step).toBe("granted");
    const running = v.nodes.filter((n) => n.tasks.some((t) => t.state === "running"));
    expect(running).toHaveLength(2);
    expect(running.every((n) => n.role === "worker")).toBe(true);
    // Exactly the nodes running a granted task hold it, and only their running tasks mount it.
    expect(v.nodes.filter((n) => n.held.includes(SECRET)).map((n) => n.host)).toEqual(running.map((n) => n.host));
    for (const n of running) expect(n.tasks.find((t) => t.state === "running")!.files).toEqual([`/run/secrets/${SECRET}`]);

    v = type(d, REMOVE_LINE, 30);
    expect(v.caption.step).toBe("removed");
    expect(v.secrets[0]!.services).toEqual([]);
    expect(v.nodes.every((n) => n.held.length === 0)).toBe(true);
    expect(v.nodes.flatMap((n) => n.tasks).every((t) => t.files.length === 0)).toBe(true);
    // The replaced tasks' containers exited; their replacements run without the secret.
    expect(v.nodes.flatMap((n) => n.tasks).filter((t) => t.state === "running")).toHaveLength(2);
    expect(v.nodes.filter((n) => n.sealed.includes(SECRET))).toHaveLength(3);
  });

  it("a second secret of the same name is refused with docker's text and changes nothing", () => {
    const d = createSecretsDriver("1", {});
    type(d, CREATE_LINE, 2);
    const before = d.view([], { selected: null });
    const r = d.playground!.exec(CREATE_LINE, { on: "manager1" });
    expect(r.exitCode).toBe(1);
    // SwarmKit controlapi CreateSecret: codes.AlreadyExists "secret %s already exists".
    expect(r.stderr).toContain(`secret ${SECRET} already exists`);
    expect(d.view([], { selected: null }).secrets).toEqual(before.secrets);
  });
});
