import { describe, expect, it } from "vitest";
import { ImageStore } from "../image/store.js";
import { humanSize } from "../image/format.js";
import { RegistryHub } from "./registry.js";
import { ImageNotFoundError } from "./errors.js";
import { catalogueRepositories } from "./catalogue.js";

const hub = new RegistryHub();

describe("the course-era catalogue (Docker Hub official images)", () => {
  it("has the bases the Docker Fundamentals course names, with sizes close to `docker image ls`", () => {
    const store = new ImageStore();
    const sizes: Record<string, string> = {};
    for (const ref of ["ubuntu:16.04", "ubuntu:18.04", "centos:7", "python:3", "python:3-alpine", "python:3.5-alpine", "node", "node:20", "openjdk:8", "openjdk:11", "postgres", "redis", "nginx", "httpd", "mysql", "mysql:5.7", "registry:2", "hello-world"]) {
      const r = hub.pull(store, ref);
      sizes[ref] = humanSize(store.imageSize(r.image));
    }
    expect(sizes["ubuntu:16.04"]).toBe("135MB");
    expect(sizes["ubuntu:18.04"]).toBe("63.1MB");
    expect(sizes["centos:7"]).toBe("204MB");
    expect(sizes["openjdk:8"]).toBe("526MB");
    expect(sizes["openjdk:11"]).toBe("654MB");
    expect(sizes["registry:2"]).toBe("25.4MB");
    expect(sizes["hello-world"]).toBe("13.3kB");
    expect(sizes["mysql:5.7"]).toBe("501MB");
  });

  it("lists the repositories it has", () => {
    expect(catalogueRepositories()).toEqual(expect.arrayContaining(["alpine", "centos", "httpd", "registry", "ubuntu", "openjdk"]));
  });
});

describe("docker pull of an image drydock does not have", () => {
  it("an unknown name: Docker Hub's text, then drydock's catalogue line (docker/buildx#1611 shows the text)", () => {
    const store = new ImageStore();
    let e: ImageNotFoundError | undefined;
    try {
      hub.pull(store, "nosuchimage");
    } catch (err) {
      e = err as ImageNotFoundError;
    }
    expect(e).toBeInstanceOf(ImageNotFoundError);
    expect(e!.code).toBe("ENOTFOUND");
    expect(e!.dockerMessage).toBe("pull access denied for nosuchimage, repository does not exist or may require 'docker login': denied: requested access to the resource is denied");
    expect(e!.hint).toMatch(/^drydock: 'nosuchimage' is not in drydock's catalogue \(it has: alpine, busybox, centos/);
    expect(e!.message).toBe(`${e!.dockerMessage}\n${e!.hint}`);
    expect(store.allImages()).toEqual([]);
  });

  it("a user repository nobody pushed: Docker Hub's text only", () => {
    expect(() => hub.pull(new ImageStore(), "someone/thing")).toThrow(/^pull access denied for someone\/thing, repository does not exist or may require 'docker login': denied: requested access to the resource is denied$/);
  });

  it("a real official image drydock does not simulate: ENOTINCATALOGUE", () => {
    let e: ImageNotFoundError | undefined;
    try {
      hub.pull(new ImageStore(), "wordpress");
    } catch (err) {
      e = err as ImageNotFoundError;
    }
    expect([e!.code, e!.reason, e!.dockerMessage]).toEqual(["ENOTINCATALOGUE", "catalogue", ""]);
    expect(e!.message).toMatch(/^drydock: 'wordpress' is not in drydock's catalogue \(it has: /);
  });

  it("a missing tag: Docker's 'manifest unknown' text and the tags drydock has", () => {
    expect(() => hub.pull(new ImageStore(), "ubuntu:12.04")).toThrow(/^manifest for ubuntu:12\.04 not found: manifest unknown: manifest unknown\ndrydock: the catalogue has ubuntu:14\.04, 16\.04/);
  });
});
