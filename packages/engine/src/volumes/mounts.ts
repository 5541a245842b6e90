import { DrydockError, type Micros } from "@drydock/kernel";
import { recordEvent } from "../events.js";
import { ReadOnlyError } from "./fs.js";
import { parseGoBool, type VolumeEngine } from "./volumes.js";

// What `docker run` mounts, parsed as Docker parses it: first the CLI (docker/cli
// internal/volumespec for -v, opts.MountOpt for --mount, a cut at ":" for --tmpfs), then the
// daemon (moby volume/mounts linux_parser: ParseMountRaw for -v, validateMountConfig for --mount;
// daemon registerMountPoints for duplicates). The result is the containers side's MountSpec
// (containers/mounts.ts: type, source, target, readOnly) with what Docker carries beyond it.

/** One mount a container asks for. */
export interface MountSpec {
  readonly type: "volume" | "bind" | "tmpfs";
  /** The volume's name ("" for an anonymous volume), the host path (absolute, clean), or "" for tmpfs. */
  readonly source: string;
  /** Where it appears in the container (absolute, clean). */
  readonly target: string;
  readonly readOnly: boolean;
  /** A -v's mode text as `docker inspect` shows it ("ro", "z", "ro,nocopy", …); "" when none. */
  readonly mode?: string;
  /** Do not copy the image's content into an empty volume (-v …:nocopy, --mount volume-nocopy). */
  readonly noCopy?: boolean;
  /** --mount volume-driver=…, or --volume-driver for a -v volume. */
  readonly volumeDriver?: string;
  /** --mount volume-opt=k=v: the driver options a volume is created with. */
  readonly volumeOptions?: Readonly<Record<string, string>>;
  /** --mount volume-label=k=v. */
  readonly volumeLabels?: Readonly<Record<string, string>>;
  /** --mount volume-subpath=…: mount a directory inside the volume. */
  readonly volumeSubpath?: string;
  /** A bind's propagation ("rprivate" unless given). */
  readonly propagation?: string;
  /** tmpfs mount options ("size=65536k,mode=1777"). */
  readonly tmpfsOptions?: string;
  /**
   * Files a tmpfs holds when the process starts, by path inside it: the daemon writes them at every
   * start, before the process runs (moby's setupSecretDir: a swarm task's /run/secrets).
   */
  readonly files?: Readonly<Record<string, string>>;
  /**
   * A -v bind whose host path is missing is created by the daemon as a directory; a --mount bind
   * must exist (checkBindSource). True for -v binds.
   */
  readonly createHostPath?: boolean;
}

/** A client-side error of `docker run`'s flags (the CLI prints it as it is; exit 125). */
export class MountSpecError extends DrydockError {
  constructor(message: string) {
    super("EMOUNTSPEC", message);
  }
}

/** A daemon-side error (the CLI prints "Error response from daemon: " before it). */
export class MountError extends DrydockError {
  constructor(message: string) {
    super("EMOUNT", message);
  }
}

// ---- -v ----

const PROPAGATIONS = ["private", "rprivate", "shared", "rshared", "slave", "rslave"];

/** What docker/cli's volumespec.Parse makes of a -v value. */
interface VolumeFlag {
  readonly type: "bind" | "volume";
  /** "" for an anonymous volume (`-v /data`): the CLI puts it in Config.Volumes, not Binds. */
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
}

/**
 * docker/cli internal/volumespec.Parse: splits SOURCE:TARGET[:OPTIONS] at the colons (a Windows
 * drive letter excepted), "invalid empty volume spec", "invalid spec: X: empty section between
 * colons", "invalid spec: X: too many colons"; the source is a path (bind) when it starts with
 * ".", "/" or "~", else a volume name.
 */
function parseVolumeSpec(spec: string): VolumeFlag {
  if (spec.length === 0) throw new MountSpecError("invalid empty volume spec");
  if (spec.length <= 2) return { type: "volume", source: "", target: spec, readOnly: false };
  let source = "";
  let target = "";
  let readOnly = false;
  let buffer = "";
  const chars = [...spec, "\0"];
  for (const ch of chars) {
    if (ch === ":" && buffer.length === 1 && /\p{L}/u.test(buffer)) {
      buffer += ch;
      continue;
    }
    if (ch !== ":" && ch !== "\0") {
      buffer += ch;
      continue;
    }
    const end = ch === "\0";
    if (buffer.length === 0) throw new MountSpecError(`invalid spec: ${spec}: empty section between colons`);
    if (source === "" && end) target = buffer;
    else if (source === "") source = buffer;
    else if (target === "") target = buffer;
    else if (!end) throw new MountSpecError(`invalid spec: ${spec}: too many colons`);
    else for (const o of buffer.split(",")) if (o === "ro") readOnly = true; else if (o === "rw") readOnly = false;
    buffer = "";
  }
  const isPath = source !== "" && (/^[./~]/.test(source) || source.startsWith("\\\\") || /^\p{L}:/u.test(source));
  return { type: source === "" || !isPath ? "volume" : "bind", source, target, readOnly };
}

/**
 * `docker run -v SPEC`: `/path` (an anonymous volume), `name:/path`, `/host:/path`, `./rel:/path`
 * (made absolute against `cwd`, as the CLI does), each with a mode (`ro`, `rw`, `z`, `nocopy`,
 * propagation). Throws MountSpecError for what the CLI rejects ("invalid spec: X: empty section
 * between colons") and MountError for what the daemon rejects ("invalid volume specification:
 * 'X'", "invalid mode: M", "…: invalid mount path: 'p' mount path must be absolute").
 */
export function parseVolumeFlag(spec: string, cwd = "/"): MountSpec {
  const parsed = parseVolumeSpec(spec);
  if (parsed.source === "") {
    // Config.Volumes: an anonymous volume at the target.
    if (!isAbs(parsed.target)) {
      throw new MountError(`invalid volume specification: '${spec}': invalid mount config for type "volume": invalid mount path: '${parsed.target}' mount path must be absolute`);
    }
    if (isRoot(parsed.target)) throw new MountError(`invalid volume specification: '${spec}': invalid mount config for type "volume": invalid specification: destination can't be '/'`);
    return { type: "volume", source: "", target: cleanPath(parsed.target), readOnly: false, mode: "" };
  }
  let raw = spec;
  if (parsed.type === "bind") {
    const colon = spec.indexOf(":");
    const host = spec.slice(0, colon);
    if (!host.startsWith("/") && host.startsWith(".")) raw = joinClean(cwd, host) + spec.slice(colon);
  }
  return parseMountRaw(raw);
}

function joinClean(cwd: string, rel: string): string {
  const out: string[] = [];
  for (const part of `${cwd}/${rel}`.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}

const isAbs = (p: string) => p.replaceAll("\\", "/").startsWith("/");
const cleanPath = (p: string) => joinClean("/", p.replaceAll("\\", "/"));

/** Go's path.Clean: a relative path stays relative ("./" is ".", "../" is ".."). */
function goClean(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
    } else out.push(part);
  }
  const s = out.join("/");
  return rooted ? `/${s}` : s === "" ? "." : s;
}

/** moby linuxValidateNotRoot: the target, cleaned, is "/". */
const isRoot = (p: string) => goClean(p.replaceAll("\\", "/")) === "/";

const validMode = (mode: string): boolean => {
  if (mode === "") return true;
  const count = { rw: 0, label: 0, prop: 0, copy: 0, consistency: 0 };
  for (const o of mode.split(",")) {
    if (o === "rw" || o === "ro") count.rw++;
    else if (o === "z" || o === "Z") count.label++;
    else if (PROPAGATIONS.includes(o)) count.prop++;
    else if (o === "nocopy") count.copy++;
    else if (o === "consistent" || o === "cached" || o === "delegated") count.consistency++;
    else return false;
  }
  return Object.values(count).every((c) => c <= 1);
};

/**
 * moby linuxParser.ParseMountRaw (the daemon's reading of HostConfig.Binds): [SOURCE:]TARGET[:MODE];
 * an absolute source is a bind, anything else a volume name (none: an anonymous volume). Named
 * volumes get mode "z" when none is given (setBindModeIfNull), as `docker inspect` shows.
 */
export function parseMountRaw(raw: string): MountSpec {
  const parts = raw.split(":");
  const arr = parts.length <= 4 ? parts : [...parts.slice(0, 3), parts.slice(3).join(":")];
  if (arr[0] === "") throw new MountError(`invalid volume specification: '${raw}'`);
  let source = "";
  let target: string;
  let mode = "";
  switch (arr.length) {
    case 1: target = arr[0]!; break;
    case 2:
      if (validMode(arr[1]!)) throw new MountError(`invalid volume specification: '${raw}'`);
      [source, target] = [arr[0]!, arr[1]!];
      break;
    case 3: [source, target, mode] = [arr[0]!, arr[1]!, arr[2]!]; break;
    default: throw new MountError(`invalid volume specification: '${raw}'`);
  }
  if (!validMode(mode)) throw new MountError(`invalid mode: ${mode}`);
  const type = source.startsWith("/") ? "bind" : "volume";
  const opts = mode.split(",");
  const fail = (msg: string): never => {
    throw new MountError(`invalid volume specification: '${raw}': invalid mount config for type "${type}": ${msg}`);
  };
  if (target === "") fail("field Target must not be empty");
  if (isRoot(target)) fail("invalid specification: destination can't be '/'");
  if (!isAbs(target)) fail(`invalid mount path: '${target}' mount path must be absolute`);
  const propagation = opts.find((o) => PROPAGATIONS.includes(o));
  if (type === "volume" && propagation) fail("field BindOptions must not be specified");
  const base = { source: type === "bind" ? cleanPath(source) : source, target: cleanPath(target), readOnly: opts.includes("ro") };
  if (type === "bind") return { type, ...base, mode, propagation: propagation ?? "rprivate", createHostPath: true };
  if (source === "" && base.readOnly) fail("must not set ReadOnly mode when using anonymous volumes");
  return { type, ...base, mode: mode === "" && source !== "" ? "z" : mode, ...(opts.includes("nocopy") ? { noCopy: true } : {}) };
}

// ---- --mount ----

/** Go's encoding/csv for one record: fields split at commas, "quoted, fields" with "" for a quote. */
function csvFields(value: string): string[] {
  const fields: string[] = [];
  let i = 0;
  const n = value.length;
  while (true) {
    let field = "";
    if (value[i] === '"') {
      i++;
      while (true) {
        if (i >= n) throw new MountSpecError(`parse error on line 1, column ${n + 1}: extraneous or missing " in quoted-field`);
        if (value[i] === '"') {
          if (value[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += value[i++];
      }
      if (i < n && value[i] !== ",") throw new MountSpecError(`parse error on line 1, column ${i + 1}: extraneous or missing " in quoted-field`);
    } else {
      while (i < n && value[i] !== ",") {
        if (value[i] === '"') throw new MountSpecError(`parse error on line 1, column ${i + 1}: bare " in non-quoted-field`);
        field += value[i++];
      }
    }
    fields.push(field);
    if (i >= n) return fields;
    i++; // the comma
  }
}

/** go-units RAMInBytes: "64m", "1g", "512k", "1024" (binary multiples, case-insensitive, optional "b"/"ib"). */
export function ramInBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const mult = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g" | "t" | "p"];
  return Math.floor(Number(m[1]) * mult);
}

/** moby api/types/mount.Mount, as docker/cli opts.MountOpt.Set builds it. */
interface DockerMount {
  readonly type: string;
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
  readonly consistency?: string;
  readonly bindOptions?: { propagation?: string; nonRecursive?: boolean; readOnlyNonRecursive?: boolean; readOnlyForceRecursive?: boolean; createMountpoint?: boolean };
  readonly volumeOptions?: { noCopy?: boolean; labels: Record<string, string>; subpath?: string; driver: { name: string; options?: Record<string, string> } };
  readonly tmpfsOptions?: { sizeBytes?: number; mode?: number };
  readonly imageOptions?: { subpath?: string };
}

/** docker/cli opts.MountOpt.Set, with the CLI's error texts. */
function mountOptSet(value: string): DockerMount {
  const fields = csvFields(value);
  let type = "volume";
  let source = "";
  let target = "";
  let readOnly = false;
  let consistency: string | undefined;
  let bind: Record<string, unknown> | undefined;
  let vol: { noCopy?: boolean; labels: Record<string, string>; subpath?: string; driver: { name: string; options?: Record<string, string> } } | undefined;
  let tmpfs: { sizeBytes?: number; mode?: number } | undefined;
  let image: { subpath?: string } | undefined;
  const volOpts = () => (vol ??= { labels: {}, driver: { name: "" } });
  const bindOpts = () => (bind ??= {});
  const tmpfsOpts = () => (tmpfs ??= {});
  const setKV = (target: Record<string, string>, v: string) => {
    const eq = v.indexOf("=");
    const k = eq < 0 ? v : v.slice(0, eq);
    if (k !== "") target[k] = eq < 0 ? "" : v.slice(eq + 1);
  };
  const bool = (key: string, v: string, text = `invalid value for ${key}: ${v}`): boolean => {
    const b = parseGoBool(v);
    if (b === undefined) throw new MountSpecError(text);
    return b;
  };
  for (const field of fields) {
    const eq = field.indexOf("=");
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const val = eq < 0 ? "" : field.slice(eq + 1);
    if (eq < 0) {
      if (key === "readonly" || key === "ro") readOnly = true;
      else if (key === "volume-nocopy") volOpts().noCopy = true;
      else if (key === "bind-nonrecursive") bindOpts()["nonRecursive"] = true;
      else throw new MountSpecError(`invalid field '${field}' must be a key=value pair`);
      continue;
    }
    switch (key) {
      case "type": type = val.toLowerCase(); break;
      case "source": case "src": source = val; break;
      case "target": case "dst": case "destination": target = val; break;
      case "readonly": case "ro": readOnly = bool(key, val); break;
      case "consistency": consistency = val.toLowerCase(); break;
      case "bind-propagation": bindOpts()["propagation"] = val.toLowerCase(); break;
      case "bind-nonrecursive": bindOpts()["nonRecursive"] = bool(key, val); break;
      case "bind-recursive":
        if (val === "disabled") bindOpts()["nonRecursive"] = true;
        else if (val === "writable") bindOpts()["readOnlyNonRecursive"] = true;
        else if (val === "readonly") bindOpts()["readOnlyForceRecursive"] = true;
        else if (val !== "enabled") throw new MountSpecError(`invalid value for ${key}: ${val} (must be "enabled", "disabled", "writable", or "readonly")`);
        break;
      case "volume-subpath": volOpts().subpath = val; break;
      case "volume-nocopy": volOpts().noCopy = bool(key, val, `invalid value for volume-nocopy: ${val}`); break;
      case "volume-label": setKV(volOpts().labels, val); break;
      case "volume-driver": volOpts().driver.name = val; break;
      case "volume-opt": setKV((volOpts().driver.options ??= {}), val); break;
      case "image-subpath": (image ??= {}).subpath = val; break;
      case "tmpfs-size": {
        const n = ramInBytes(val);
        if (n === undefined) throw new MountSpecError(`invalid value for ${key}: ${val}`);
        tmpfsOpts().sizeBytes = n;
        break;
      }
      case "tmpfs-mode": {
        if (!/^[0-7]+$/.test(val)) throw new MountSpecError(`invalid value for ${key}: ${val}`);
        tmpfsOpts().mode = parseInt(val, 8);
        break;
      }
      default: throw new MountSpecError(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (type === "") throw new MountSpecError("type is required");
  if (target === "") throw new MountSpecError("target is required");
  if (vol && type !== "volume") throw new MountSpecError(`cannot mix 'volume-*' options with mount type '${type}'`);
  if (image && type !== "image") throw new MountSpecError(`cannot mix 'image-*' options with mount type '${type}'`);
  if (bind && type !== "bind") throw new MountSpecError(`cannot mix 'bind-*' options with mount type '${type}'`);
  if (tmpfs && type !== "tmpfs") throw new MountSpecError(`cannot mix 'tmpfs-*' options with mount type '${type}'`);
  if (bind?.["readOnlyNonRecursive"] && !readOnly) throw new MountSpecError("option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction");
  if (bind?.["readOnlyForceRecursive"]) {
    if (!readOnly) throw new MountSpecError("option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction");
    if (bind["propagation"] !== "rprivate") throw new MountSpecError("option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified in conjunction");
  }
  return {
    type, source, target, readOnly,
    ...(consistency !== undefined ? { consistency } : {}),
    ...(bind ? { bindOptions: bind as DockerMount["bindOptions"] } : {}),
    ...(vol ? { volumeOptions: vol } : {}),
    ...(tmpfs ? { tmpfsOptions: tmpfs } : {}),
    ...(image ? { imageOptions: image } : {}),
  };
}

/** moby validateMountConfigImpl (without the bind source check: checkBindSource), with its errMountConfig wording. */
function validateMount(m: DockerMount): void {
  const fail = (msg: string): never => {
    throw new MountError(`invalid mount config for type "${m.type}": ${msg}`);
  };
  if (m.target === "") fail("field Target must not be empty");
  if (isRoot(m.target)) fail("invalid specification: destination can't be '/'");
  if (!isAbs(m.target)) fail(`invalid mount path: '${m.target.replaceAll("\\", "/")}' mount path must be absolute`);
  switch (m.type) {
    case "bind":
      if (m.source === "") fail("field Source must not be empty");
      if (m.bindOptions?.propagation && !PROPAGATIONS.includes(m.bindOptions.propagation)) fail(`invalid propagation mode: ${m.bindOptions.propagation}`);
      if (m.volumeOptions) fail("field VolumeOptions must not be specified");
      if (m.imageOptions) fail("field ImageOptions must not be specified");
      if (!isAbs(m.source)) fail(`invalid mount path: '${m.source.replaceAll("\\", "/")}' mount path must be absolute`);
      return;
    case "volume":
      if (m.bindOptions) fail("field BindOptions must not be specified");
      if (m.imageOptions) fail("field ImageOptions must not be specified");
      if (m.volumeOptions?.subpath) {
        if (m.source === "") fail("must not set Subpath when using anonymous volumes");
        if (m.volumeOptions.subpath.startsWith("/") || m.volumeOptions.subpath.split("/").includes("..")) fail("subpath must be a relative path within the volume");
      }
      if (m.readOnly && m.source === "") fail("must not set ReadOnly mode when using anonymous volumes");
      return;
    case "tmpfs":
      if (m.bindOptions) fail("field BindOptions must not be specified");
      if (m.imageOptions) fail("field ImageOptions must not be specified");
      if (m.source !== "") fail("field Source must not be specified");
      return;
    case "image":
      throw new MountError("drydock does not simulate image mounts (--mount type=image) yet");
    default:
      fail("mount type unknown");
  }
}

/**
 * `docker run --mount VALUE`: the CLI's parse (a relative `source=./x` made absolute against
 * `cwd`), then the daemon's checks. Throws MountSpecError with pflag's words for what the CLI
 * rejects (`invalid argument "VALUE" for "--mount" flag: target is required`) and MountError for
 * what the daemon rejects (`invalid mount config for type "volume": must not set ReadOnly mode
 * when using anonymous volumes`). A bind's source must also exist: checkBindSource.
 */
export function parseMountFlag(value: string, cwd = "/"): MountSpec {
  let m: DockerMount;
  try {
    m = mountOptSet(value);
  } catch (e) {
    if (e instanceof MountSpecError) throw new MountSpecError(`invalid argument "${value}" for "--mount" flag: ${e.message}`);
    throw e;
  }
  if (m.source.startsWith(".")) m = { ...m, source: joinClean(cwd, m.source) };
  validateMount(m);
  const target = cleanPath(m.target);
  if (m.type === "bind") {
    return {
      type: "bind", source: cleanPath(m.source), target, readOnly: m.readOnly, mode: "", propagation: m.bindOptions?.propagation ?? "rprivate",
      createHostPath: m.bindOptions?.createMountpoint === true,
    };
  }
  if (m.type === "tmpfs") {
    const o = m.tmpfsOptions;
    const opts = [...(m.readOnly ? ["ro"] : []), ...(o?.mode ? [`mode=${o.mode.toString(8)}`] : []), ...(o?.sizeBytes ? [`size=${tmpfsSize(o.sizeBytes)}`] : [])];
    return { type: "tmpfs", source: "", target, readOnly: m.readOnly, tmpfsOptions: opts.join(",") };
  }
  const v = m.volumeOptions;
  return {
    type: "volume", source: m.source, target, readOnly: m.readOnly, mode: "z",
    ...(v?.noCopy ? { noCopy: true } : {}),
    ...(v?.driver.name ? { volumeDriver: v.driver.name } : {}),
    ...(v?.driver.options ? { volumeOptions: v.driver.options } : {}),
    ...(v && Object.keys(v.labels).length > 0 ? { volumeLabels: v.labels } : {}),
    ...(v?.subpath ? { volumeSubpath: v.subpath } : {}),
  };
}

/** moby ConvertTmpfsOptions: the size with the largest unit that divides it ("64m"). */
function tmpfsSize(bytes: number): string {
  for (const [suffix, div] of [["g", 1024 ** 3], ["m", 1024 ** 2], ["k", 1024]] as const) if (bytes % div === 0) return `${bytes / div}${suffix}`;
  return String(bytes);
}

/** The daemon's check of a --mount bind: its host path must exist ("bind source path does not exist: /nope"). */
export function checkBindSource(spec: MountSpec, hostPathExists: (path: string) => boolean): void {
  if (spec.type !== "bind" || spec.createHostPath || hostPathExists(spec.source)) return;
  throw new MountError(`invalid mount config for type "bind": bind source path does not exist: ${spec.source}`);
}

// ---- --tmpfs, --volumes-from, duplicates ----

/** `--tmpfs /run[:OPTIONS]`: the CLI cuts at the first ":"; the daemon wants an absolute path other than "/". */
export function parseTmpfsFlag(value: string): MountSpec {
  const colon = value.indexOf(":");
  const target = colon < 0 ? value : value.slice(0, colon);
  const options = colon < 0 ? "" : value.slice(colon + 1);
  if (isRoot(target)) throw new MountError("invalid specification: destination can't be '/'");
  if (!isAbs(target)) throw new MountError(`invalid mount path: '${target}' mount path must be absolute`);
  return { type: "tmpfs", source: "", target: cleanPath(target), readOnly: options.split(",").includes("ro"), tmpfsOptions: options };
}

/** moby ParseVolumesFrom: "CONTAINER[:ro|rw]"; the mode may not carry propagation or nocopy. */
export function parseVolumesFrom(spec: string): { container: string; mode: "ro" | "rw" } {
  if (spec === "") throw new MountError("volumes-from specification cannot be an empty string");
  const colon = spec.indexOf(":");
  const container = colon < 0 ? spec : spec.slice(0, colon);
  const mode = colon < 0 ? "" : spec.slice(colon + 1);
  if (mode === "") return { container, mode: "rw" };
  const opts = mode.split(",");
  if (!validMode(mode) || opts.some((o) => PROPAGATIONS.includes(o) || o === "nocopy")) throw new MountError(`invalid mode: ${mode}`);
  return { container, mode: opts.includes("ro") ? "ro" : "rw" };
}

/**
 * moby registerMountPoints' duplicate check: two -v or --mount on one target, or a -v on a --tmpfs
 * target, fail with "Duplicate mount point: /x" (a later --mount over a -v too).
 */
export function checkDuplicateMounts(specs: readonly MountSpec[]): void {
  const seen = new Set<string>();
  for (const s of specs) {
    if (s.type === "volume" && s.source === "") continue; // anonymous: skipped when the path is taken
    if (seen.has(s.target)) throw new MountError(`Duplicate mount point: ${s.target}`);
    seen.add(s.target);
  }
}

// ---- what the container's filesystem and the event log need ----

/** A mount as the containers side keeps it (containers/types.ts MountPoint). */
export interface MountedPath {
  readonly type: string;
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
  readonly driver?: string;
}

/** Throws EROFS ("PATH: Read-only file system") when a path is at or under a read-only mount: the check a write makes first. */
export function assertWritable(mounts: readonly MountedPath[], path: string): void {
  const p = cleanPath(path);
  let best: MountedPath | undefined;
  for (const m of mounts) {
    if ((p === m.target || p.startsWith(m.target === "/" ? "/" : `${m.target}/`)) && (!best || m.target.length > best.target.length)) best = m;
  }
  if (best && best.readOnly) throw new ReadOnlyError(p);
}

/** "volume mount" events when a container starts (moby daemon setupMounts: driver, container, destination, read/write, propagation). */
export function recordMounts<E extends VolumeEngine>(engine: E, containerId: string, mounts: readonly MountedPath[], now: Micros): E {
  let e = engine;
  for (const m of mounts) {
    if (m.type !== "volume") continue;
    e = recordEvent(e, now, "volume", "mount", m.source, {
      container: containerId, destination: m.target, driver: m.driver ?? "local", propagation: "", "read/write": String(!m.readOnly),
    });
  }
  return e;
}

/** "volume unmount" events when a container stops (moby container.UnmountVolumes). */
export function recordUnmounts<E extends VolumeEngine>(engine: E, containerId: string, mounts: readonly MountedPath[], now: Micros): E {
  let e = engine;
  for (const m of mounts) if (m.type === "volume") e = recordEvent(e, now, "volume", "unmount", m.source, { container: containerId, driver: m.driver ?? "local" });
  return e;
}
