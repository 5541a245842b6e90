import { describe, expect, it } from "vitest";
import { build } from "../build/builder.js";
import { RegistryHub } from "../registry/registry.js";
import { ImageStore } from "./store.js";
import { inspectImage } from "./inspect.js";
import { formatCreatedRfc3339, formatGoTime } from "../util/time.js";

const hub = new RegistryHub();

describe("docker image inspect (moby v27 api/types.ImageInspect, api/server/router/image toImageInspect)", () => {
  it("the fields in Docker's order, Config as container.Config with ExposedPorts as a set", () => {
    const store = new ImageStore();
    build({ dockerfile: "FROM alpine:3.20\nLABEL a=b\nEXPOSE 80\nVOLUME /data\nRUN echo hi > /hi\n", tag: "web:1", now: 5_500_000 }, store, hub);
    const i = inspectImage(store, "web:1");
    expect(Object.keys(i)).toEqual([
      "Id", "RepoTags", "RepoDigests", "Parent", "Comment", "Created", "DockerVersion", "Author", "Config", "Architecture", "Os",
      "Size", "GraphDriver", "RootFS", "Metadata",
    ]);
    expect(Object.keys(i.Config)).toEqual([
      "Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr", "ExposedPorts", "Tty", "OpenStdin", "StdinOnce",
      "Env", "Cmd", "Image", "Volumes", "WorkingDir", "Entrypoint", "OnBuild", "Labels",
    ]);
    expect(i.Config.ExposedPorts).toEqual({ "80/tcp": {} });
    expect(i.Config.Volumes).toEqual({ "/data": {} });
    expect(i.Config.Labels).toEqual({ a: "b" });
    expect([i.RepoTags, i.RepoDigests, i.Parent, i.DockerVersion, i.Architecture, i.Os]).toEqual([["web:1"], [], "", "", "amd64", "linux"]);
    // Comment falls back to the last history entry's comment (toImageInspect).
    expect(i.Comment).toBe("buildkit.dockerfile.v0");
    expect(i.RootFS).toEqual({ Type: "layers", Layers: store.resolve("web:1")!.layers });
    expect(i.GraphDriver.Name).toBe("overlay2");
    // Two layers: the lower one's diff dir in LowerDir; map keys sorted as Go marshals them.
    expect(Object.keys(i.GraphDriver.Data)).toEqual(["LowerDir", "MergedDir", "UpperDir", "WorkDir"]);
    expect(i.GraphDriver.Data.UpperDir).toMatch(/^\/var\/lib\/docker\/overlay2\/[0-9a-f]{64}\/diff$/);
    expect(i.Size).toBe(store.imageSize(store.resolve("web:1")!));
    expect(i.Metadata.LastTagTime).toMatch(/^2026-01-01T00:00:\d\d(\.\d+)?Z$/);
  });

  it("a pulled image: RepoDigests in familiar form, one layer (no LowerDir), LastTagTime Go's zero time", () => {
    const store = new ImageStore();
    hub.pull(store, "alpine:3.20");
    const i = inspectImage(store, "alpine:3.20");
    expect(i.RepoDigests).toHaveLength(1);
    expect(i.RepoDigests[0]).toMatch(/^alpine@sha256:[0-9a-f]{64}$/);
    expect(i.Config.Cmd).toEqual(["/bin/sh"]);
    expect(i.Config.Env).toEqual(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]);
    expect([i.Config.Entrypoint, i.Config.Volumes, i.Config.OnBuild, i.Config.Labels]).toEqual([null, null, null, null]);
    expect(Object.keys(i.GraphDriver.Data)).toEqual(["MergedDir", "UpperDir", "WorkDir"]);
    expect(i.Metadata.LastTagTime).toBe("0001-01-01T00:00:00Z");
  });

  it("the course's bases carry their real config: nginx's port and stop signal, centos:7's labels, registry:2's volume", () => {
    const store = new ImageStore();
    for (const r of ["nginx", "centos:7", "registry:2", "httpd"]) hub.pull(store, r);
    const n = inspectImage(store, "nginx").Config;
    expect([n.ExposedPorts, n.StopSignal, n.Entrypoint, n.Cmd]).toEqual([{ "80/tcp": {} }, "SIGQUIT", ["/docker-entrypoint.sh"], ["nginx", "-g", "daemon off;"]]);
    expect(inspectImage(store, "centos:7").Config.Labels?.["org.label-schema.name"]).toBe("CentOS Base Image");
    const reg = inspectImage(store, "registry:2").Config;
    expect([reg.Entrypoint, reg.Cmd, reg.Volumes, reg.ExposedPorts]).toEqual([["/entrypoint.sh"], ["/etc/docker/registry/config.yml"], { "/var/lib/registry": {} }, { "5000/tcp": {} }]);
    const h = inspectImage(store, "httpd").Config;
    expect([h.Cmd, h.WorkingDir, h.StopSignal]).toEqual([["httpd-foreground"], "/usr/local/apache2", "SIGWINCH"]);
  });

  it("an unknown name is Docker's 'No such image'", () => {
    expect(() => inspectImage(new ImageStore(), "nope")).toThrow(/^No such image: nope$/);
  });
});

describe("times from virtual µs (virtual 0 = 2026-01-01T00:00:00Z)", () => {
  it("RFC 3339 as Go's time.RFC3339Nano prints it: trailing zeros of the fraction dropped", () => {
    expect(formatCreatedRfc3339(0)).toBe("2026-01-01T00:00:00Z");
    expect(formatCreatedRfc3339(2_500_000)).toBe("2026-01-01T00:00:02.5Z");
    expect(formatCreatedRfc3339(1)).toBe("2026-01-01T00:00:00.000001Z");
    expect(formatCreatedRfc3339(-1)).toBe("2025-12-31T23:59:59.999999Z");
    expect(formatCreatedRfc3339(59 * 86_400_000_000)).toBe("2026-03-01T00:00:00Z");
    expect(formatCreatedRfc3339(-1_600 * 86_400_000_000)).toBe("2021-08-15T00:00:00Z");
  });

  it("CreatedAt as Go's time.Time.String() (docker/cli imageContext.CreatedAt)", () => {
    expect(formatGoTime(3_661_700_000)).toBe("2026-01-01 01:01:01 +0000 UTC");
  });
});
