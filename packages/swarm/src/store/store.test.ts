import { describe, expect, it } from "vitest";
import { baseStore, makeService, nodes } from "../fixtures.test-util.js";
import { newTask, taskStatus } from "../orchestrator/pass.js";
import { TaskState } from "../types.js";
import { CIPHER_LABEL, base64Decode, base64Encode, bytesToHex, openSecret, randomBytes, sealBytes, sealSecret } from "./cipher.js";
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

describe("secrets at rest: NaCl secretbox under the cluster's data key (swarmkit manager/encryption/nacl.go)", () => {
  const key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
  const nonce = Uint8Array.from({ length: 24 }, (_, i) => i);

  it("the store holds a NACLSecretboxSalsa20Poly1305 record: nonce and sealed bytes, never the plaintext", () => {
    const sealed = sealSecret(key, nonce, "s3cr3t password");
    const [alg, n, data] = sealed.split(":");
    expect(alg).toBe(CIPHER_LABEL);
    expect(base64Decode(n!)).toEqual(nonce);
    // secretbox.Seal appends a 16-byte Poly1305 tag to the XSalsa20 ciphertext.
    expect(base64Decode(data!).length).toBe("s3cr3t password".length + 16);
    expect(sealed).not.toContain("s3cr3t");
    expect(openSecret(key, sealed)).toBe("s3cr3t password");
  });

  it("is NaCl's crypto_secretbox: Bernstein's tests/secretbox.c vector (the one x/crypto/nacl/secretbox passes)", () => {
    const hex = (h: string) => Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16));
    const m = hex("be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f937763848645e0705");
    const sealed = sealBytes("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389", hex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37"), m);
    expect(bytesToHex(sealed)).toBe("f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74e355a5");
  });

  it("a wrong key or a tampered record fails as nacl.go's Decrypt does", () => {
    const sealed = sealSecret(key, nonce, "hunter2");
    const other = "ff" + key.slice(2);
    expect(() => openSecret(other, sealed)).toThrow("no decryption key for record encrypted with NACLSecretboxSalsa20Poly1305");
    const [alg, n, data] = sealed.split(":");
    const bytes = base64Decode(data!);
    bytes[0] = bytes[0]! ^ 1;
    expect(() => openSecret(key, `${alg}:${n}:${base64Encode(bytes)}`)).toThrow("no decryption key for record");
    expect(() => openSecret(key, `${alg}:${base64Encode(new Uint8Array(12))}:${data}`)).toThrow("invalid nonce size for NACL secretbox: require 24, got 12");
    expect(() => openSecret(key, "drydock-toy-v1:x:y")).toThrow("not a NACL secretbox record");
  });

  it("key and nonce come from a seeded stream: the same seed seals to the same record", () => {
    const rng = (seed: number) => { let x = seed; return { next: () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648) }; };
    const a = sealSecret(bytesToHex(randomBytes(rng(7), 32)), randomBytes(rng(8), 24), "x");
    const b = sealSecret(bytesToHex(randomBytes(rng(7), 32)), randomBytes(rng(8), 24), "x");
    expect(a).toBe(b);
    expect(a).not.toBe(sealSecret(bytesToHex(randomBytes(rng(9), 32)), randomBytes(rng(8), 24), "x"));
  });

  it("base64 round trip (RFC 4648 §10 vectors)", () => {
    for (const text of ["", "a", "ab", "abc", "abcd", "héllo wörld"]) {
      const bytes = new TextEncoder().encode(text);
      expect(new TextDecoder().decode(base64Decode(base64Encode(bytes)))).toBe(text);
    }
    const enc = (t: string) => base64Encode(new TextEncoder().encode(t));
    expect(["f", "fo", "foo", "foob", "fooba", "foobar"].map(enc)).toEqual(["Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"]);
    expect(() => base64Decode("Zm9v!")).toThrow("invalid base64");
  });
});
