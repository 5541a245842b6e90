import { describe, expect, it } from "vitest";
import { DrydockError } from "@drydock/kernel";
import {
  MountError, MountSpecError, assertWritable, checkBindSource, checkDuplicateMounts, parseMountFlag, parseMountRaw, parseTmpfsFlag,
  parseVolumeFlag, parseVolumesFrom, ramInBytes,
} from "./mounts.js";

const errorOf = (fn: () => unknown): DrydockError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DrydockError) return e;
    throw e;
  }
  throw new Error("expected an error");
};

describe("the daemon's reading of a -v (moby volume/mounts linux_parser_test.go TestLinuxParseMountRaw)", () => {
  const valid = [
    "/home", "/home:/home", "/home:/something/else", "/with space", "/home:/with space", "relative:/absolute-path",
    "hostPath:/containerPath:ro", "/hostPath:/containerPath:rw", "/rw:/ro", "/hostPath:/containerPath:shared",
    "/hostPath:/containerPath:rshared", "/hostPath:/containerPath:slave", "/hostPath:/containerPath:rslave",
    "/hostPath:/containerPath:private", "/hostPath:/containerPath:rprivate", "/hostPath:/containerPath:ro,shared",
    "/hostPath:/containerPath:ro,slave", "/hostPath:/containerPath:ro,private", "/hostPath:/containerPath:ro,z,shared",
    "/hostPath:/containerPath:ro,Z,slave", "/hostPath:/containerPath:Z,ro,slave", "/hostPath:/containerPath:slave,Z,ro",
    "/hostPath:/containerPath:Z,slave,ro", "/hostPath:/containerPath:slave,ro,Z", "/hostPath:/containerPath:rslave,ro,Z",
    "/hostPath:/containerPath:ro,rshared,Z", "/hostPath:/containerPath:ro,Z,rprivate",
  ];
  it.each(valid)("accepts %j", (raw) => {
    expect(() => parseMountRaw(raw)).not.toThrow();
  });

  const invalid: [string, string][] = [
    ["", "invalid volume specification"], ["./", "mount path must be absolute"], ["../", "mount path must be absolute"],
    ["/:../", "mount path must be absolute"], ["/:path", "mount path must be absolute"], [":", "invalid volume specification"],
    ["/tmp:", "invalid volume specification"], [":test", "invalid volume specification"], [":/test", "invalid volume specification"],
    ["tmp:", "invalid volume specification"], [":test:", "invalid volume specification"], ["::", "invalid volume specification"],
    [":::", "invalid volume specification"], ["/tmp:::", "invalid volume specification"], [":/tmp::", "invalid volume specification"],
    ["/path:rw", "invalid volume specification"], ["/path:ro", "invalid volume specification"], ["/rw:rw", "invalid volume specification"],
    ["path:ro", "invalid volume specification"], ["/path:/path:sw", "invalid mode"], ["/path:/path:rwz", "invalid mode"],
    ["/path:/path:ro,rshared,rslave", "invalid mode"], ["/path:/path:ro,z,rshared,rslave", "invalid mode"],
    ["/path:shared", "invalid volume specification"], ["/path:slave", "invalid volume specification"], ["/path:private", "invalid volume specification"],
    ["name:/absolute-path:shared", "invalid volume specification"], ["name:/absolute-path:rshared", "invalid volume specification"],
    ["name:/absolute-path:slave", "invalid volume specification"], ["name:/absolute-path:rslave", "invalid volume specification"],
    ["name:/absolute-path:private", "invalid volume specification"], ["name:/absolute-path:rprivate", "invalid volume specification"],
  ];
  it.each(invalid)("rejects %j with %j", (raw, text) => {
    const e = errorOf(() => parseMountRaw(raw));
    expect(e).toBeInstanceOf(MountError);
    expect(e.message).toContain(text);
  });

  it("gives the exact texts: the spec quoted, the mode bare, config errors after the spec", () => {
    expect(errorOf(() => parseMountRaw("/path:ro")).message).toBe("invalid volume specification: '/path:ro'");
    expect(errorOf(() => parseMountRaw("/path:/path:sw")).message).toBe("invalid mode: sw");
    expect(errorOf(() => parseMountRaw("data:rel")).message)
      .toBe(`invalid volume specification: 'data:rel': invalid mount config for type "volume": invalid mount path: 'rel' mount path must be absolute`);
  });

  it("splits like moby's TestLinuxParseMountRawSplit: a bind is rprivate, a named volume's mode is z", () => {
    expect(parseMountRaw("/tmp:/tmp2:ro")).toEqual({ type: "bind", source: "/tmp", target: "/tmp2", readOnly: true, mode: "ro", propagation: "rprivate", createHostPath: true });
    expect(parseMountRaw("name:/named1")).toEqual({ type: "volume", source: "name", target: "/named1", readOnly: false, mode: "z" });
    expect(parseMountRaw("name:/named2:ro,nocopy")).toEqual({ type: "volume", source: "name", target: "/named2", readOnly: true, mode: "ro,nocopy", noCopy: true });
  });
});

describe("docker run -v, the CLI first (docker/cli internal/volumespec)", () => {
  it("an empty spec and empty sections are the CLI's errors", () => {
    expect(errorOf(() => parseVolumeFlag(""))).toBeInstanceOf(MountSpecError);
    expect(errorOf(() => parseVolumeFlag("")).message).toBe("invalid empty volume spec");
    expect(errorOf(() => parseVolumeFlag("data::/x")).message).toBe("invalid spec: data::/x: empty section between colons");
    expect(errorOf(() => parseVolumeFlag("/tmp:")).message).toBe("invalid spec: /tmp:: empty section between colons");
    expect(errorOf(() => parseVolumeFlag("ab:/b:ro:x")).message).toBe("invalid spec: ab:/b:ro:x: too many colons");
  });

  it("a path alone is an anonymous volume; a name a named volume; a path a bind; ./ relative to the working directory", () => {
    expect(parseVolumeFlag("/data")).toEqual({ type: "volume", source: "", target: "/data", readOnly: false, mode: "" });
    expect(parseVolumeFlag("pgdata:/var/lib/postgresql/data")).toMatchObject({ type: "volume", source: "pgdata", readOnly: false, mode: "z" });
    expect(parseVolumeFlag("/srv/www:/usr/share/nginx/html:ro")).toMatchObject({ type: "bind", source: "/srv/www", readOnly: true });
    expect(parseVolumeFlag("./site:/www", "/home/ada")).toMatchObject({ type: "bind", source: "/home/ada/site", target: "/www" });
  });

  it("anonymous volumes need an absolute path", () => {
    expect(errorOf(() => parseVolumeFlag("data")).message)
      .toBe(`invalid volume specification: 'data': invalid mount config for type "volume": invalid mount path: 'data' mount path must be absolute`);
  });
});

describe("docker run --mount (docker/cli opts/mount.go, then moby validateMountConfig)", () => {
  it("reads type, source, target, readonly and the volume options", () => {
    expect(parseMountFlag("type=volume,source=data,target=/data,readonly")).toEqual({ type: "volume", source: "data", target: "/data", readOnly: true, mode: "z" });
    expect(parseMountFlag("type=volume,src=ssh,dst=/demo,volume-driver=vieux/sshfs,volume-opt=sshcmd=u@h:/p,volume-nocopy")).toEqual({
      type: "volume", source: "ssh", target: "/demo", readOnly: false, mode: "z", noCopy: true, volumeDriver: "vieux/sshfs", volumeOptions: { sshcmd: "u@h:/p" },
    });
    expect(parseMountFlag("type=bind,source=./site,target=/www", "/home/ada")).toMatchObject({ type: "bind", source: "/home/ada/site", propagation: "rprivate", createHostPath: false });
    expect(parseMountFlag("type=tmpfs,target=/run,tmpfs-size=64m,tmpfs-mode=1770")).toEqual({ type: "tmpfs", source: "", target: "/run", readOnly: false, tmpfsOptions: "mode=1770,size=64m" });
    // encoding/csv: a quoted field keeps its commas.
    expect(parseMountFlag('type=volume,target=/d,"volume-opt=o=addr=1.2.3.4,rw"').volumeOptions).toEqual({ o: "addr=1.2.3.4,rw" });
  });

  it("the CLI's errors come in pflag's words", () => {
    expect(errorOf(() => parseMountFlag("type=volume,source=data")).message).toBe(`invalid argument "type=volume,source=data" for "--mount" flag: target is required`);
    expect(errorOf(() => parseMountFlag("type=bind,target=/x,volume-nocopy")).message)
      .toBe(`invalid argument "type=bind,target=/x,volume-nocopy" for "--mount" flag: cannot mix 'volume-*' options with mount type 'bind'`);
    expect(errorOf(() => parseMountFlag("target=/x,foo=bar")).message).toBe(`invalid argument "target=/x,foo=bar" for "--mount" flag: unexpected key 'foo' in 'foo=bar'`);
    expect(errorOf(() => parseMountFlag("target=/x,nope")).message).toBe(`invalid argument "target=/x,nope" for "--mount" flag: invalid field 'nope' must be a key=value pair`);
    expect(errorOf(() => parseMountFlag("target=/x,readonly=maybe")).message).toBe(`invalid argument "target=/x,readonly=maybe" for "--mount" flag: invalid value for readonly: maybe`);
  });

  it("the daemon's errors: a read-only anonymous volume, an unknown type, a relative target, a bind source that does not exist", () => {
    expect(errorOf(() => parseMountFlag("type=volume,target=/x,readonly")).message).toBe(`invalid mount config for type "volume": must not set ReadOnly mode when using anonymous volumes`);
    expect(errorOf(() => parseMountFlag("type=nfs,target=/x")).message).toBe(`invalid mount config for type "nfs": mount type unknown`);
    expect(errorOf(() => parseMountFlag("type=bind,source=/a,target=x")).message).toBe(`invalid mount config for type "bind": invalid mount path: 'x' mount path must be absolute`);
    const spec = parseMountFlag("type=bind,source=/nope,target=/x");
    expect(errorOf(() => checkBindSource(spec, () => false)).message).toBe(`invalid mount config for type "bind": bind source path does not exist: /nope`);
    expect(() => checkBindSource(spec, (p) => p === "/nope")).not.toThrow();
    // A -v bind's missing host path is made by the daemon instead.
    expect(() => checkBindSource(parseVolumeFlag("/nope:/x"), () => false)).not.toThrow();
  });
});

describe("--tmpfs, --volumes-from, duplicates and :ro", () => {
  it("--tmpfs cuts at the first colon", () => {
    expect(parseTmpfsFlag("/run:rw,noexec,size=65536k")).toEqual({ type: "tmpfs", source: "", target: "/run", readOnly: false, tmpfsOptions: "rw,noexec,size=65536k" });
    expect(errorOf(() => parseTmpfsFlag("run")).message).toBe("invalid mount path: 'run' mount path must be absolute");
  });

  it("--volumes-from takes ro or rw, not propagation or nocopy (moby ParseVolumesFrom)", () => {
    expect(parseVolumesFrom("web")).toEqual({ container: "web", mode: "rw" });
    expect(parseVolumesFrom("web:ro")).toEqual({ container: "web", mode: "ro" });
    expect(errorOf(() => parseVolumesFrom("web:nocopy")).message).toBe("invalid mode: nocopy");
    expect(errorOf(() => parseVolumesFrom("")).message).toBe("volumes-from specification cannot be an empty string");
  });

  it("two mounts on one path: moby's duplicateMountPointError", () => {
    expect(errorOf(() => checkDuplicateMounts([parseVolumeFlag("ab:/data"), parseVolumeFlag("/srv:/data")])).message).toBe("Duplicate mount point: /data");
    expect(() => checkDuplicateMounts([parseVolumeFlag("ab:/data"), parseVolumeFlag("/data")])).not.toThrow();
  });

  it("a write at or under a read-only mount is EROFS; elsewhere it is not", () => {
    const mounts = [{ type: "volume", source: "data", target: "/data", readOnly: true }, { type: "volume", source: "w", target: "/data/w", readOnly: false }];
    const e = errorOf(() => assertWritable(mounts, "/data/x.txt"));
    expect(e.code).toBe("EROFS");
    expect(e.message).toBe("/data/x.txt: Read-only file system");
    expect(() => assertWritable(mounts, "/data/w/x.txt")).not.toThrow();
    expect(() => assertWritable(mounts, "/datax")).not.toThrow();
  });

  it("go-units RAMInBytes", () => {
    expect(ramInBytes("64m")).toBe(64 * 1024 * 1024);
    expect(ramInBytes("1g")).toBe(1024 ** 3);
    expect(ramInBytes("512")).toBe(512);
    expect(ramInBytes("lots")).toBeUndefined();
  });
});
