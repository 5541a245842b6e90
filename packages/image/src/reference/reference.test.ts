import { describe, expect, it } from "vitest";
import { DrydockError } from "@drydock/kernel";
import { parseAnyReference, parseDockerRef, parseReference, withDefaultTag, withTag } from "./reference.js";
import { validateDigest } from "./digest.js";

const HEX = "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";

function errorOf(text: string): string {
  try {
    parseReference(text);
  } catch (e) {
    expect(e).toBeInstanceOf(DrydockError);
    return (e as Error).message;
  }
  throw new Error(`expected ${text} to be rejected`);
}

describe("parseReference (distribution/reference normalize_test.go)", () => {
  it("TestValidateReferenceName: accepts the valid repository names", () => {
    for (const name of [
      "docker/docker", "library/debian", "debian", "docker.io/docker/docker", "docker.io/library/debian",
      "docker.io/debian", "index.docker.io/docker/docker", "index.docker.io/library/debian", "index.docker.io/debian",
      "127.0.0.1:5000/docker/docker", "127.0.0.1:5000/library/debian", "127.0.0.1:5000/debian", "192.168.0.1",
      "192.168.0.1:80", "192.168.0.1:8/debian", "192.168.0.2:25000/debian",
      "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", "[fc00::1]:5000/docker",
      "[fc00::1]:5000/docker/docker", "[fc00:1:2:3:4:5:6:7]:5000/library/debian",
      "docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", "Docker/docker", "DOCKER/docker",
    ]) {
      expect(() => parseReference(name), name).not.toThrow();
    }
  });

  it("TestValidateReferenceName: rejects the invalid repository names with a typed error", () => {
    for (const name of [
      "https://github.com/docker/docker", "docker/Docker", "-docker", "-docker/docker", "-docker.io/docker/docker",
      "docker///docker", "docker.io/docker/Docker", "docker.io/docker///docker", "[fc00::1]", "[fc00::1]:5000",
      "fc00::1:5000/debian", "[fe80::1%eth0]:5000/debian", "[2001:db8:3:4::192.0.2.33]:5000/debian",
      "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
    ]) {
      expect(() => parseReference(name), name).toThrow(DrydockError);
    }
  });

  it("TestValidateRemoteName: hyphens, single characters and double underscores are allowed", () => {
    for (const name of ["docker-rules/docker", "docker---rules/docker", "doc/docker", "d/docker", "jess/t", "dock__er/docker"]) {
      expect(() => parseReference(name), name).not.toThrow();
    }
  });

  it("TestValidateRemoteName: leading/trailing separators, doubled periods, empty names and >255 chars are rejected", () => {
    const long = `${"this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_".repeat(4)}/docker`;
    for (const name of ["docker-/docker", "-docker-/docker", "____/____", "_docker/_docker", "dock..er/docker",
      "dock_.er/docker", "dock-.er/docker", "docker/", long]) {
      expect(() => parseReference(name), name).toThrow(DrydockError);
    }
  });

  it("TestParseRepositoryInfo: familiar, full name, domain and remote name", () => {
    const cases: [string[], string, string, string, string][] = [
      // [inputs], familiar, full, domain, path
      [["fooo/bar", "docker.io/fooo/bar", "index.docker.io/fooo/bar"], "fooo/bar", "docker.io/fooo/bar", "docker.io", "fooo/bar"],
      [["ubuntu", "docker.io/library/ubuntu", "library/ubuntu"], "ubuntu", "docker.io/library/ubuntu", "docker.io", "library/ubuntu"],
      [["other/library"], "other/library", "docker.io/other/library", "docker.io", "other/library"],
      [["127.0.0.1:8000/private/moonbase"], "127.0.0.1:8000/private/moonbase", "127.0.0.1:8000/private/moonbase", "127.0.0.1:8000", "private/moonbase"],
      [["example.com:8000/privatebasee"], "example.com:8000/privatebasee", "example.com:8000/privatebasee", "example.com:8000", "privatebasee"],
      [["ubuntu-12.04-base", "index.docker.io/library/ubuntu-12.04-base"], "ubuntu-12.04-base", "docker.io/library/ubuntu-12.04-base", "docker.io", "library/ubuntu-12.04-base"],
      [["foo", "docker.io/foo"], "foo", "docker.io/library/foo", "docker.io", "library/foo"],
      [["library/foo/bar"], "library/foo/bar", "docker.io/library/foo/bar", "docker.io", "library/foo/bar"],
      [["store/foo/bar"], "store/foo/bar", "docker.io/store/foo/bar", "docker.io", "store/foo/bar"],
      [["Foo/bar"], "Foo/bar", "Foo/bar", "Foo", "bar"],
    ];
    for (const [inputs, familiar, full, domain, path] of cases) {
      for (const input of inputs) {
        const ref = parseReference(input);
        expect(ref.familiar, input).toBe(familiar);
        expect(ref.toString(), input).toBe(full);
        expect(ref.domain, input).toBe(domain);
        expect(ref.path, input).toBe(path);
      }
    }
  });

  it("TestNormalizedSplitHostname: test_com is a namespace, test-com:8080 and xn--n3h.com are hosts", () => {
    expect(parseReference("test_com/foo").domain).toBe("docker.io");
    expect(parseReference("test_com/foo").path).toBe("test_com/foo");
    expect(parseReference("test-com:8080/foo").domain).toBe("test-com:8080");
    expect(parseReference("xn--n3h.com:18080/foo").domain).toBe("xn--n3h.com:18080");
    expect(parseReference("docker.io/library/foo/bar").path).toBe("library/foo/bar");
  });

  it("TestParseReferenceWithTagAndDigest: both kept, familiar drops docker.io/library/", () => {
    const short = "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";
    const ref = parseReference(short);
    expect(ref.toString()).toBe(`docker.io/library/${short}`);
    expect(ref.familiar).toBe(short);
    expect(ref.tag).toBe("latest");
    expect(ref.digest).toMatch(/^sha256:/);
  });

  it("issue 5: ubuntu is docker.io/library/ubuntu, localhost:5000 keeps its registry, index.docker.io is docker.io", () => {
    expect(parseReference("ubuntu").toString()).toBe("docker.io/library/ubuntu");
    expect(parseReference("ubuntu:14.04").familiar).toBe("ubuntu:14.04");
    const local = parseReference("localhost:5000/app:1.0");
    expect([local.domain, local.path, local.tag, local.familiar]).toEqual(["localhost:5000", "app", "1.0", "localhost:5000/app:1.0"]);
    expect(parseReference("localhost/app").domain).toBe("localhost");
    expect(parseReference("index.docker.io/library/nginx:1.25").toString()).toBe("docker.io/library/nginx:1.25");
  });

  it("Docker's messages: uppercase repository names and 64-hex names", () => {
    expect(errorOf("Ubuntu")).toBe("invalid reference format: repository name (library/Ubuntu) must be lowercase");
    expect(errorOf("docker.io/docker/Docker")).toBe("invalid reference format: repository name (docker/Docker) must be lowercase");
    expect(errorOf(HEX)).toBe(`invalid repository name (${HEX}), cannot specify 64-byte hexadecimal strings`);
  });

  it("tag grammar [\\w][\\w.-]{0,127}: bad tags are 'invalid reference format'", () => {
    expect(errorOf("ubuntu:-bad")).toBe("invalid reference format");
    expect(errorOf("ubuntu:has space")).toBe("invalid reference format");
    expect(errorOf(`ubuntu:${"a".repeat(129)}`)).toBe("invalid reference format");
    expect(parseReference(`ubuntu:${"a".repeat(128)}`).tag).toHaveLength(128);
    expect(parseReference("ubuntu:UPPER_ok.1-2").tag).toBe("UPPER_ok.1-2");
    expect(errorOf("ubuntu:")).toBe("invalid reference format");
  });

  it("go-digest: sha256 needs exactly 64 lowercase hex, unknown algorithms are unsupported", () => {
    expect(parseReference(`redis@sha256:${HEX}`).digest).toBe(`sha256:${HEX}`);
    expect(errorOf(`redis@sha256:${HEX.slice(0, 40)}`)).toBe("invalid checksum digest length");
    expect(errorOf(`redis@sha256:${HEX.toUpperCase()}`)).toBe("invalid checksum digest format");
    expect(errorOf(`redis@md5:${HEX}`)).toBe("unsupported digest algorithm");
    // An algorithm named like an Object.prototype member is just unknown to go-digest.
    expect(errorOf(`redis@constructor:${HEX}`)).toBe("unsupported digest algorithm");
    // Digest.Validate checks against go-digest's own pattern: short or non-hex encodings of an
    // unknown algorithm are unsupported, an uppercase algorithm is malformed.
    expect(() => validateDigest("sha1:abc")).toThrow("unsupported digest algorithm");
    expect(() => validateDigest("SHA1:abc")).toThrow("invalid checksum digest format");
    expect(() => validateDigest("sha256:")).toThrow("invalid checksum digest format");
    expect(errorOf("redis@sha256:xyz")).toBe("invalid reference format");
  });

  it("familiar form is not always re-parseable: docker.io/0.a/b prints as 0.a/b, which names host 0.a", () => {
    const ref = parseReference("docker.io/0.a/b");
    expect(ref.familiar).toBe("0.a/b");
    expect(parseReference(ref.familiar).domain).toBe("0.a");
  });

  it("empty input is an invalid reference", () => {
    expect(errorOf("")).toBe("invalid reference format");
  });
});

describe("ParseDockerRef, TagNameOnly, WithTag, ParseAnyReference", () => {
  it("ParseDockerRef: default tag latest; tag+digest keeps only the digest", () => {
    expect(parseDockerRef("redis").toString()).toBe("docker.io/library/redis:latest");
    expect(parseDockerRef(`busybox:latest@sha256:${HEX}`).toString()).toBe(`docker.io/library/busybox@sha256:${HEX}`);
    expect(withDefaultTag(parseReference("app")).familiar).toBe("app:latest");
  });

  it("WithTag: rejects '-foo' with 'invalid tag format'", () => {
    expect(() => withTag(parseReference("busybox"), "-foo")).toThrow("invalid tag format");
    expect(withTag(parseReference("busybox"), "1.36").familiar).toBe("busybox:1.36");
  });

  it("TestParseAnyReference: 64-hex is an ID, 63-hex is a name", () => {
    expect(parseAnyReference(HEX)).toEqual({ kind: "digest", digest: `sha256:${HEX}` });
    expect(parseAnyReference(`sha256:${HEX}`)).toEqual({ kind: "digest", digest: `sha256:${HEX}` });
    const named = parseAnyReference(HEX.slice(0, 63));
    expect(named.kind === "named" && named.ref.toString()).toBe(`docker.io/library/${HEX.slice(0, 63)}`);
    const dbcc = parseAnyReference("dbcc1");
    expect(dbcc.kind === "named" && dbcc.ref.toString()).toBe("docker.io/library/dbcc1");
  });
});
