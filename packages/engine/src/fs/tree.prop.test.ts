// nodeAt walks a path component by component without splitting it (a process start looks its
// program up in every PATH directory): it must find what the split-based walk found, for any
// path — doubled and trailing slashes, ".", "..", names that look like Object members.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyDir, fileNode, nodeAt, type FsDir, type FsNode } from "./tree.js";

/** The walk as it was written before (path.split("/"), "" and "." skipped). */
function nodeAtBySplit(root: FsDir, path: string): FsNode | undefined {
  let node: FsNode = root;
  for (const name of path.split("/")) {
    if (name === "" || name === ".") continue;
    if (node.kind !== "dir") return undefined;
    const next = node.entries.get(name);
    if (next === undefined) return undefined;
    node = next;
  }
  return node;
}

const NAMES = ["a", "b", "bin", "..", ".", "", "constructor", "sleep", ".x", "é"];
const dir = (entries: [string, FsNode][]): FsDir => ({ ...emptyDir(0), entries: new Map(entries) });
const TREE = dir([
  ["a", dir([["b", fileNode("ab", 0)], ["bin", dir([["sleep", fileNode("#!", 0)]])], ["..", fileNode("dots", 0)]])],
  ["bin", dir([["sleep", fileNode("", 0)], ["constructor", dir([])]])],
  [".x", fileNode("hidden", 0)],
  ["é", dir([["a", fileNode("accent", 0)]])],
]);

describe("nodeAt", () => {
  it("finds what a walk over path.split('/') finds, for any path", () => {
    const path = fc.array(fc.constantFrom(...NAMES), { maxLength: 6 }).chain((parts) =>
      fc.tuple(fc.boolean(), fc.boolean()).map(([lead, trail]) => `${lead ? "/" : ""}${parts.join("/")}${trail ? "/" : ""}`));
    fc.assert(fc.property(path, (p) => {
      expect(nodeAt(TREE, p)).toBe(nodeAtBySplit(TREE, p));
    }), { numRuns: 2000 });
  });

  it("reads a path under a file as missing, and the root for '', '/' and '/./'", () => {
    expect(nodeAt(TREE, "/a/b/c")).toBeUndefined();
    expect(nodeAt(TREE, "")).toBe(TREE);
    expect(nodeAt(TREE, "/")).toBe(TREE);
    expect(nodeAt(TREE, "/./")).toBe(TREE);
    expect(nodeAt(TREE, "//bin//sleep")).toBe((TREE.entries.get("bin") as FsDir).entries.get("sleep"));
  });
});
