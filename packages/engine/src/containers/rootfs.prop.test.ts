// A layer stack's tree merged incrementally (a build step's parent tree and its newest layers)
// must be the tree merged from scratch (flatten's rules: the top layer decides, whiteouts hide,
// an opaque directory hides what is below it, a path under a non-directory does not show).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WHITEOUT, createLayer, dirEntry, symlinkEntry, textFile, type FsEntry, type Layer } from "@drydock/image";
import { addBaseExtras } from "./base-extras.js";
import { buildStepTree, stackTree, stackTreeFromScratch } from "./rootfs.js";

const NAMES = ["a", "b", "bin", "a-b", "é", "etc", "busybox", "alpine-release", "ping"];
const path = fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }).map((parts) => `/${parts.join("/")}`);
const entry: fc.Arbitrary<FsEntry> = fc.oneof(
  fc.constant(WHITEOUT),
  fc.record({ mode: fc.constantFrom(0o755, 0o700), uid: fc.constantFrom(0, 65534), opaque: fc.boolean() })
    .map(({ mode, uid, opaque }) => dirEntry({ mode, uid, gid: uid }, opaque)),
  fc.record({ text: fc.constantFrom("x", "y\n"), mode: fc.constantFrom(0o644, 0o755), uid: fc.constantFrom(0, 1000) })
    .map(({ text, mode, uid }) => textFile(text, { mode, uid, gid: uid })),
  fc.constantFrom("/bin/busybox", "../a").map((t) => symlinkEntry(t)),
);
/** A layer; rooted ones name each change's parent directories too, as the layers a build makes do. */
const layer = fc.tuple(fc.array(fc.tuple(path, entry), { maxLength: 8 }), fc.boolean()).map(([es, rooted]) => {
  const changes = new Map(es);
  if (rooted) {
    for (const p of [...changes.keys()]) {
      for (let at = p.lastIndexOf("/"); at > 0; at = p.lastIndexOf("/", at - 1)) {
        if (changes.get(p.slice(0, at))?.type !== "dir") changes.set(p.slice(0, at), dirEntry());
      }
    }
  }
  return createLayer(changes);
});
/** A base layer that names every directory, so later layers have somewhere to land. */
const base = createLayer(new Map<string, FsEntry>([
  ["/a", dirEntry()], ["/a/b", dirEntry()], ["/b", dirEntry({ mode: 0o700 })], ["/bin", dirEntry()],
  ["/bin/busybox", textFile("elf", { mode: 0o755 })], ["/a/a", textFile("x")],
]));

describe("stackTree", () => {
  it("equals the tree merged from scratch, whatever prefix of the stack was merged before", () => {
    fc.assert(fc.property(fc.array(layer, { minLength: 1, maxLength: 5 }), fc.nat(), (upper, cut) => {
      const layers: Layer[] = [base, ...upper];
      // Merge a prefix first (a build's earlier step), then the whole stack from it.
      stackTree(layers.slice(0, 1 + (cut % layers.length)));
      expect(stackTree(layers)).toEqual(stackTreeFromScratch(layers));
      // Entry order is part of the tree (ls -f, find and readdir show it): names sorted.
      const order = (d: ReturnType<typeof stackTree>): unknown => [...d.entries].map(([n, c]) => [n, c.kind === "dir" ? order(c) : c.kind]);
      expect(order(stackTree(layers))).toEqual(order(stackTreeFromScratch(layers)));
    }), { numRuns: 300 });
  });

  it("a build step's tree is the stack's with the base extras, whatever prefix had them before", () => {
    fc.assert(fc.property(fc.array(layer, { minLength: 1, maxLength: 5 }), fc.nat(), (upper, cut) => {
      const layers: Layer[] = [base, ...upper];
      buildStepTree(layers.slice(0, 1 + (cut % layers.length)));
      expect(buildStepTree(layers)).toEqual(addBaseExtras(stackTreeFromScratch(layers)));
    }), { numRuns: 300 });
  });

  it("returns the same tree for the same stack, and shares what a layer above leaves alone", () => {
    const top = createLayer(new Map<string, FsEntry>([["/a", dirEntry()], ["/a/new", textFile("n")]]));
    const below = stackTree([base]);
    expect(stackTree([base, top])).toBe(stackTree([base, top]));
    // Built from its parent stack's tree: the directories the layer does not touch are the same values.
    expect(stackTree([base, top]).entries.get("bin")).toBe(below.entries.get("bin"));
    expect(stackTree([base, top]).entries.get("a")).not.toBe(below.entries.get("a"));
  });
});
