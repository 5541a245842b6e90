import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DrydockError } from "@drydock/kernel";
import { createLayer, encodeChanges } from "./layer.js";
import { dirEntry, textFile, type FsEntry } from "./entry.js";
import { UnionFS, flatten } from "./union.js";

const names = fc.constantFrom("a", "b", "c");
const path = fc.array(names, { minLength: 1, maxLength: 3 }).map((p) => `/${p.join("/")}`);
const op = fc.oneof(
  fc.record({ k: fc.constant("write" as const), path, text: fc.string({ maxLength: 4 }) }),
  fc.record({ k: fc.constant("append" as const), path, text: fc.string({ maxLength: 4 }) }),
  fc.record({ k: fc.constant("rm" as const), path }),
  fc.record({ k: fc.constant("mkdir" as const), path }),
  fc.record({ k: fc.constant("chmod" as const), path, mode: fc.integer({ min: 0, max: 0o777 }) }),
  fc.record({ k: fc.constant("mv" as const), path, to: path }),
);

function apply(fs: UnionFS, o: fc.Arbitrary<unknown> extends never ? never : any): void {
  try {
    if (o.k === "write") fs.writeText(o.path, o.text);
    else if (o.k === "append") fs.appendText(o.path, o.text);
    else if (o.k === "rm") fs.remove(o.path, { recursive: true, force: true });
    else if (o.k === "mkdir") fs.mkdir(o.path, { parents: true });
    else if (o.k === "chmod") fs.chmod(o.path, o.mode);
    else if (o.to !== o.path && !o.to.startsWith(`${o.path}/`)) fs.rename(o.path, o.to);
  } catch (e) {
    if (!(e instanceof DrydockError)) throw e;
  }
}

function imageFrom(ops: any[]) {
  const fs = new UnionFS([]);
  for (const o of ops) apply(fs, o);
  return fs.toLayer();
}

describe("union FS properties", () => {
  it("container writes never alter image layers (issue 5)", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), fc.array(op, { maxLength: 12 }), fc.array(op, { maxLength: 20 }), (l1, l2, ops) => {
        const bottom = imageFrom(l1);
        const fs1 = new UnionFS([bottom]);
        for (const o of l2) apply(fs1, o);
        const top = fs1.toLayer();
        const layers = [bottom, top];
        const before = layers.map((l) => [l.digest, encodeChanges(l.changes)]);
        const view = [...flatten(layers).entries()];
        const container = new UnionFS(layers);
        for (const o of ops) apply(container, o);
        expect(layers.map((l) => [createLayer(l.changes).digest, encodeChanges(l.changes)])).toEqual(before);
        expect([...flatten(layers).entries()]).toEqual(view);
      }),
      { numRuns: 300 },
    );
  });

  it("committing the writable layer reproduces the container's view (whiteouts and opaque dirs are exact)", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), fc.array(op, { maxLength: 20 }), (l1, ops) => {
        const bottom = imageFrom(l1);
        const container = new UnionFS([bottom]);
        for (const o of ops) apply(container, o);
        const committed = flatten([bottom, container.toLayer()]);
        const live = new Map(container.walk("/").map((p) => [p, container.stat(p)!] as [string, FsEntry]));
        const strip = (m: Map<string, FsEntry>) => [...m.entries()].map(([p, e]) => [p, e.type === "dir" ? dirEntry({ mode: e.mode, uid: e.uid, gid: e.gid }) : e]);
        expect(strip(committed)).toEqual(strip(live));
      }),
      { numRuns: 300 },
    );
  });

  it("same content, same layer: identical change sets hash identically (stored once)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(path, fc.string({ maxLength: 3 })), { maxLength: 8 }), (files) => {
        const m = new Map<string, FsEntry>(files.map(([p, t]) => [p, textFile(t)]));
        const shuffled = new Map([...m.entries()].reverse());
        expect(createLayer(m).digest).toBe(createLayer(shuffled).digest);
      }),
    );
  });
});
