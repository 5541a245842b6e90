import { describe, expect, it } from "vitest";
import { baseStore, makeService, nodes } from "../fixtures.test-util.js";
import { newTask, taskStatus } from "../orchestrator/pass.js";
import { TaskState } from "../types.js";
import { CIPHER_LABEL, base64Decode, base64Encode, openSecret, sealSecret } from "./cipher.js";
import { applyOps, type StoreOp } from "./store.js";

function withTask() {
  const store = applyOps(baseStore(nodes(1)), [{ op: "service.create", service: makeService("svc", { name: "web", image: "nginx" }) }], 2, 10);
  const task = newTask(store.services.get("svc")!, 1, "", "task0000000000000000000001", 10);
  return applyOps(store, [{ op: "task.create", task }], 3, 10);
}

describe("the store (a replicated state machine of field-level operations)", () => {
  it("stamps versions with the raft index and times with the leader's clock in the entry", () => {
    const s = withTask();
    const t = s.tasks.get("task0000000000000000000001")!;
    expect(t.version).toBe(3);
    expect(t.createdAt).toBe(10);
    expect(s.services.get("svc")!.specVersion).toBe(2);
  });

  it("types.proto: a task's status is a lamport clock; an older state is ignored", () => {
    let s = withTask();
    const id = "task0000000000000000000001";
    s = applyOps(s, [{ op: "task.status", id, status: taskStatus(TaskState.RUNNING, "started", 20) }], 4, 20);
    s = applyOps(s, [{ op: "task.status", id, status: taskStatus(TaskState.PREPARING, "preparing", 21) }], 5, 21);
    expect(s.tasks.get(id)!.status.state).toBe(TaskState.RUNNING);
  });

  it("services.go: desired state never moves back ('time travel is not allowed')", () => {
    let s = withTask();
    const id = "task0000000000000000000001";
    s = applyOps(s, [{ op: "task.desired", id, state: TaskState.SHUTDOWN }], 4, 20);
    s = applyOps(s, [{ op: "task.desired", id, state: TaskState.RUNNING }], 5, 21);
    expect(s.tasks.get(id)!.desiredState).toBe(TaskState.SHUTDOWN);
  });

  it("a task is assigned once, out of PENDING only", () => {
    let s = withTask();
    const id = "task0000000000000000000001";
    const assign = (node: string, i: number): StoreOp => ({ op: "task.assign", id, nodeId: node, status: taskStatus(TaskState.ASSIGNED, "scheduler assigned task to node", i) });
    s = applyOps(s, [assign("n1", 4)], 4, 4);
    expect(s.tasks.get(id)!.nodeId).toBe(""); // still NEW
    s = applyOps(s, [{ op: "task.alloc", id, networks: [], endpoint: null, status: taskStatus(TaskState.PENDING, "pending task scheduling", 5) }], 5, 5);
    s = applyOps(s, [assign("n1", 6)], 6, 6);
    s = applyOps(s, [assign("n2", 7)], 7, 7);
    expect(s.tasks.get(id)!.nodeId).toBe("n1");
  });

  it("values are shared, not copied: an untouched table is the same Map", () => {
    const s = withTask();
    const s2 = applyOps(s, [{ op: "task.desired", id: "task0000000000000000000001", state: TaskState.SHUTDOWN }], 4, 4);
    expect(s2.nodes).toBe(s.nodes);
    expect(s2.tasks).not.toBe(s.tasks);
    expect(s.tasks.get("task0000000000000000000001")!.desiredState).toBe(TaskState.RUNNING); // the old value is unchanged
  });
});

describe("secrets at rest: drydock's toy cipher (a simulation, not encryption)", () => {
  it("the store holds labelled ciphertext; the key opens it", () => {
    const sealed = sealSecret("key-1", "secretid", "s3cr3t password");
    expect(sealed.startsWith(`${CIPHER_LABEL}:secretid:`)).toBe(true);
    expect(sealed).not.toContain("s3cr3t");
    expect(openSecret("key-1", sealed)).toBe("s3cr3t password");
    expect(openSecret("key-2", sealed)).not.toBe("s3cr3t password");
  });

  it("base64 round trip", () => {
    for (const text of ["", "a", "ab", "abc", "abcd", "héllo wörld"]) {
      const bytes = new TextEncoder().encode(text);
      expect(new TextDecoder().decode(base64Decode(base64Encode(bytes)))).toBe(text);
    }
    expect(base64Encode(new TextEncoder().encode("Man"))).toBe("TWFu");
  });
});
