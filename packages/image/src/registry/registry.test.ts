import { describe, expect, it } from "vitest";
import { ImageStore } from "../image/store.js";
import { RegistryHub } from "./registry.js";
import { build } from "../build/builder.js";
import { catalogue } from "./catalogue.js";
import { humanSize } from "../image/format.js";

describe("registry push and pull by layer (docker push / docker pull)", () => {
  it("pull downloads only missing layers: a second image on the same base says Already exists", () => {
    const hub = new RegistryHub();
    const store = new ImageStore();
    const first = hub.pull(store, "debian:bookworm-slim");
    expect(first.lines[0]).toBe("bookworm-slim: Pulling from library/debian");
    expect(first.lines.at(-2)).toBe("Status: Downloaded newer image for debian:bookworm-slim");
    expect(first.lines.at(-1)).toBe("docker.io/library/debian:bookworm-slim");
    const second = hub.pull(store, "nginx:1.27");
    expect(second.skipped).toHaveLength(1);
    expect(second.lines).toContain(`${second.skipped[0]!.slice(7, 19)}: Already exists`);
    const again = hub.pull(store, "nginx:1.27");
    expect(again.lines).toContain("Status: Image is up to date for nginx:1.27");
    expect(again.transferred).toHaveLength(0);
    expect(hub.pull(store, "redis").lines[0]).toBe("Using default tag: latest");
    // RepoDigests: the manifest digest names the image locally too.
    const digest = first.digest;
    expect(store.repoDigestsOf(first.image.id)).toEqual([`debian@${digest}`]);
    expect(store.require(`debian@${digest}`).id).toBe(first.image.id);
    const byDigest = hub.pull(store, `debian@${digest}`);
    expect(byDigest.lines[0]).toBe(`${digest}: Pulling from library/debian`);
  });

  it("pull errors use Docker's words", () => {
    const hub = new RegistryHub();
    const store = new ImageStore();
    expect(() => hub.pull(store, "alpine:nope")).toThrow("manifest for alpine:nope not found: manifest unknown: manifest unknown");
    expect(() => hub.pull(store, "nosuch/thing")).toThrow("pull access denied for nosuch/thing, repository does not exist or may require 'docker login'");
    expect(() => hub.pull(store, "registry.example.com/app")).toThrow('Get "https://registry.example.com/v2/": dial tcp: lookup registry.example.com: no such host');
  });

  it("push sends only layers the registry lacks: base layers say Layer already exists", () => {
    const hub = new RegistryHub();
    hub.addRegistry("localhost:5000");
    const store = new ImageStore();
    build({ dockerfile: "FROM alpine:3.20\nRUN echo v1 > /v\n", tag: "localhost:5000/app:1.0" }, store, hub);
    const p1 = hub.push(store, "localhost:5000/app:1.0");
    expect(p1.lines[0]).toBe("The push refers to repository [localhost:5000/app]");
    expect(p1.transferred).toHaveLength(2);
    expect(p1.lines.at(-1)).toMatch(/^1\.0: digest: sha256:[0-9a-f]{64} size: \d+$/);
    build({ dockerfile: "FROM alpine:3.20\nRUN echo v2 > /v\n", tag: "localhost:5000/app:2.0" }, store, hub);
    const p2 = hub.push(store, "localhost:5000/app:2.0");
    expect(p2.transferred).toHaveLength(1);
    expect(p2.lines.filter((l) => l.endsWith("Layer already exists"))).toHaveLength(1);
    expect(hub.get("localhost:5000").tags("app")).toEqual(["1.0", "2.0"]);
    // Another host pulls 2.0 by digest and by tag.
    const other = new ImageStore();
    const pulled = hub.pull(other, "localhost:5000/app:2.0");
    expect(pulled.image.id).toBe(store.require("localhost:5000/app:2.0").id);
    expect(hub.pull(other, `localhost:5000/app@${p1.digest}`).image.id).toBe(store.require("localhost:5000/app:1.0").id);
  });

  it("Docker Hub namespaces: library/ is official-only, user/ needs login as that user", () => {
    const hub = new RegistryHub();
    const store = new ImageStore();
    build({ dockerfile: "FROM alpine:3.20\n", tags: ["app:1", "alice/app:1"] }, store, hub);
    expect(() => hub.push(store, "app:1")).toThrow("denied: requested access to the resource is denied");
    expect(() => hub.push(store, "alice/app:1")).toThrow("denied: requested access to the resource is denied");
    hub.login("alice");
    expect(hub.push(store, "alice/app:1").lines[0]).toBe("The push refers to repository [docker.io/alice/app]");
    expect(() => hub.push(store, "alice/missing:1")).toThrow("An image does not exist locally with the tag: alice/missing");
  });
});

describe("base-image catalogue", () => {
  it("has the course's images with realistic sizes and shared base layers", () => {
    const hub = new RegistryHub();
    const store = new ImageStore();
    const sizes: Record<string, string> = {
      "alpine:3.20": "7.8MB", "ubuntu:22.04": "77.9MB", "debian:bookworm": "117MB", "busybox:1.36": "4.26MB",
      "python:3.12": "1.02GB", "python:3.12-slim": "130MB", "node:20": "1.1GB", "node:20-alpine": "135MB", "golang:1.22": "814MB",
      "openjdk:17": "471MB", "nginx:1.27": "188MB", "redis:7.4": "117MB", "postgres:16": "432MB", "mysql:8.0": "577MB",
      "mongo:7.0": "757MB", "mcr.microsoft.com/windows/nanoserver:ltsc2022": "296MB",
    };
    for (const [ref, size] of Object.entries(sizes)) {
      const img = hub.pull(store, ref).image;
      expect(humanSize(store.imageSize(img)), ref).toBe(size);
    }
    expect(store.require("mcr.microsoft.com/windows/nanoserver:ltsc2022").os).toBe("windows");
    const py = store.require("python:3.12");
    const node = store.require("node:20");
    expect(py.layers.slice(0, 4)).toEqual(node.layers.slice(0, 4));
    expect(catalogue().length).toBeGreaterThan(20);
  });
});
