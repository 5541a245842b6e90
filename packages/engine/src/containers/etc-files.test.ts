// The managed files over a container's view are forks of the image's /etc and root, not copies
// (every container start makes them): each container must see its own files, the view must be
// left as it was, and the directories must list what a copy listed, in the same order.
import { describe, expect, it } from "vitest";
import { emptyDir, fileNode, nodeAt, type FsDir, type FsNode } from "../fs/index.js";
import { hostsFile, withManagedFiles, withoutManagedFiles } from "./etc-files.js";

const dir = (entries: [string, FsNode][]): FsDir => ({ ...emptyDir(0), entries: new Map(entries) });
const text = (fs: FsDir, path: string) => {
  const n = nodeAt(fs, path);
  return n?.kind === "file" ? n.text : undefined;
};

describe("withManagedFiles (moby's /etc/hostname, /etc/hosts and /etc/resolv.conf)", () => {
  const etc = dir([["passwd", fileNode("root:x:0:0\n", 0)], ["hosts", fileNode("image's hosts\n", 0)], ["os-release", fileNode("alpine\n", 0)]]);
  const view = dir([["bin", dir([])], ["etc", etc], ["usr", dir([])]]);

  it("gives each container its own files and leaves the image's directories as they were", () => {
    const a = withManagedFiles(view, { hostname: "aaa", ip: "172.17.0.2", since: 5 }, 5);
    const b = withManagedFiles(view, { hostname: "bbb", ip: "172.17.0.3", since: 6 }, 6);
    expect(text(a, "/etc/hostname")).toBe("aaa\n");
    expect(text(b, "/etc/hostname")).toBe("bbb\n");
    expect(text(a, "/etc/hosts")).toBe(hostsFile("aaa", "172.17.0.2"));
    expect(text(b, "/etc/hosts")).toBe(hostsFile("bbb", "172.17.0.3"));
    expect(text(a, "/etc/passwd")).toBe("root:x:0:0\n");
    expect(text(view, "/etc/hosts")).toBe("image's hosts\n");
    expect(nodeAt(view, "/etc/hostname")).toBeUndefined();
    expect([...view.entries.keys()]).toEqual(["bin", "etc", "usr"]);
    expect([...etc.entries.keys()]).toEqual(["passwd", "hosts", "os-release"]);
  });

  it("lists /etc and the root as a copy with the files set over it lists them (a replaced name keeps its place)", () => {
    const a = withManagedFiles(view, { hostname: "aaa", ip: "", since: 5 }, 5);
    const etcA = a.entries.get("etc") as FsDir;
    expect([...a.entries.keys()]).toEqual(["bin", "etc", "usr"]);
    expect([...etcA.entries.keys()]).toEqual(["passwd", "hosts", "os-release", "hostname", "resolv.conf"]);
    expect(etcA.entries.size).toBe(5);
    expect(a.entries.get("bin")).toBe(view.entries.get("bin"));
    // Grafted twice (an exec over a running container's view): the second fork sees the first's files.
    const again = withManagedFiles(a, { hostname: "ccc", ip: "", since: 7 }, 7);
    expect(text(again, "/etc/hostname")).toBe("ccc\n");
    expect(text(a, "/etc/hostname")).toBe("aaa\n");
  });

  it("takes the managed files back off a view nothing changed: the original comes back", () => {
    const a = withManagedFiles(view, { hostname: "aaa", ip: "", since: 5 }, 5);
    expect(withoutManagedFiles(a, a, view, 9)).toBe(view);
  });
});
