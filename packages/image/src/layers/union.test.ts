import { describe, expect, it } from "vitest";
import { createLayer, layerTarNames } from "./layer.js";
import { dirEntry, opaqueFile, textFile, WHITEOUT, type FsEntry } from "./entry.js";
import { UnionFS, copyUpCostUs, flatten, lookup } from "./union.js";

const layer = (entries: [string, FsEntry][]) => createLayer(new Map(entries));
const base = layer([
  ["/etc", dirEntry()],
  ["/etc/os-release", textFile("ID=alpine\n")],
  ["/app", dirEntry()],
  ["/app/a.txt", textFile("a")],
  ["/app/b.txt", textFile("b")],
  ["/usr", dirEntry()],
  ["/usr/lib", dirEntry()],
  ["/usr/lib/big.so", opaqueFile("big", 8 * 1024 * 1024)],
]);

describe("union filesystem (Docker docs: storage drivers, overlayfs whiteouts and copy-up)", () => {
  it("lookup walks layers top-down: the top layer's version wins", () => {
    const top = layer([["/app/a.txt", textFile("A2")]]);
    expect(lookup([base, top], "/app/a.txt")).toMatchObject({ text: "A2" });
    expect(lookup([base, top], "/app/b.txt")).toMatchObject({ text: "b" });
  });

  it("a whiteout in an upper layer hides the lower file; a whiteout on a directory hides its subtree", () => {
    const top = layer([["/app/a.txt", WHITEOUT], ["/usr", WHITEOUT]]);
    expect(lookup([base, top], "/app/a.txt")).toBeUndefined();
    expect(lookup([base, top], "/usr/lib/big.so")).toBeUndefined();
    expect(layerTarNames(top)).toEqual(["/.wh.usr", "/app/.wh.a.txt"]);
  });

  it("an opaque directory hides everything below it in lower layers (.wh..wh..opq)", () => {
    const top = layer([["/app", dirEntry({}, true)], ["/app/c.txt", textFile("c")]]);
    const merged = flatten([base, top]);
    expect([...merged.keys()].filter((p) => p.startsWith("/app"))).toEqual(["/app", "/app/c.txt"]);
    expect(layerTarNames(top)).toContain("/app/.wh..wh..opq");
  });

  it("deleting a lower file in a container writes a whiteout; deleting an upper-only file leaves nothing", () => {
    const fs = new UnionFS([base]);
    fs.remove("/app/a.txt");
    fs.writeText("/tmp/x", "x");
    fs.remove("/tmp/x");
    expect(fs.changes().get("/app/a.txt")).toEqual(WHITEOUT);
    expect(fs.changes().has("/tmp/x")).toBe(false);
    expect(fs.diff()).toEqual([{ kind: "A", path: "/tmp" }, { kind: "D", path: "/app/a.txt" }].sort((a, b) => (a.path < b.path ? -1 : 1)));
  });

  it("replacing a lower directory (rm -rf then mkdir) writes an opaque directory", () => {
    const fs = new UnionFS([base]);
    fs.remove("/app", { recursive: true });
    fs.mkdir("/app");
    fs.writeText("/app/new.txt", "n");
    expect(fs.changes().get("/app")).toMatchObject({ type: "dir", opaque: true });
    expect(fs.listDir("/app")).toEqual(["new.txt"]);
  });

  it("the first write to a lower file copies it up, at a cost proportional to its size; later writes do not", () => {
    const fs = new UnionFS([base]);
    const first = fs.chmod("/usr/lib/big.so", 0o700);
    expect(first).toEqual({ copiedUp: true, costUs: copyUpCostUs(8 * 1024 * 1024) });
    expect(first.costUs).toBeGreaterThan(copyUpCostUs(1024));
    expect(fs.chmod("/usr/lib/big.so", 0o755).copiedUp).toBe(false);
    expect(fs.writeText("/fresh.txt", "new").copiedUp).toBe(false);
    expect(fs.copyUps).toBe(1);
  });

  it("a container's writes never touch the image layer", () => {
    const before = base.digest;
    const fs = new UnionFS([base]);
    fs.writeText("/app/a.txt", "changed");
    fs.remove("/etc", { recursive: true });
    expect(base.changes.get("/app/a.txt")).toMatchObject({ text: "a" });
    expect(createLayer(base.changes).digest).toBe(before);
    expect(lookup([base], "/etc/os-release")).toBeDefined();
  });

  it("content addressing: the same changes give the same digest, whatever the insertion order", () => {
    const a = layer([["/x", textFile("1")], ["/y", textFile("2")]]);
    const b = layer([["/y", textFile("2")], ["/x", textFile("1")]]);
    expect(a.digest).toBe(b.digest);
    expect(a.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(layer([["/x", textFile("1", { mode: 0o755 })], ["/y", textFile("2")]]).digest).not.toBe(a.digest);
  });
});
