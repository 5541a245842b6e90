import { DrydockError, type Micros } from "@drydock/kernel";
import { sha256Digest } from "../util/hash.js";
import { GO_ZERO_TIME, formatCreatedRfc3339 } from "../util/time.js";
import type { HealthConfig, Image } from "./image.js";
import type { ImageStore } from "./store.js";

/** `Config` of `docker image inspect` (moby api/types/container.Config, field order and omitempty kept). */
export interface InspectConfig {
  readonly Hostname: string;
  readonly Domainname: string;
  readonly User: string;
  readonly AttachStdin: boolean;
  readonly AttachStdout: boolean;
  readonly AttachStderr: boolean;
  readonly ExposedPorts?: Readonly<Record<string, Record<string, never>>>;
  readonly Tty: boolean;
  readonly OpenStdin: boolean;
  readonly StdinOnce: boolean;
  readonly Env: readonly string[] | null;
  readonly Cmd: readonly string[] | null;
  readonly Healthcheck?: {
    readonly Test: readonly string[];
    readonly Interval?: number;
    readonly Timeout?: number;
    readonly StartPeriod?: number;
    readonly StartInterval?: number;
    readonly Retries?: number;
  };
  readonly ArgsEscaped?: boolean;
  readonly Image: string;
  readonly Volumes: Readonly<Record<string, Record<string, never>>> | null;
  readonly WorkingDir: string;
  readonly Entrypoint: readonly string[] | null;
  readonly OnBuild: readonly string[] | null;
  readonly Labels: Readonly<Record<string, string>> | null;
  readonly StopSignal?: string;
  readonly Shell?: readonly string[];
}

/** What `docker image inspect` prints for one image (Docker Engine 27, API 1.45+: moby api/types.ImageInspect). */
export interface ImageInspect {
  readonly Id: string;
  readonly RepoTags: readonly string[];
  readonly RepoDigests: readonly string[];
  readonly Parent: string;
  readonly Comment: string;
  readonly Created: string;
  readonly DockerVersion: string;
  readonly Author: string;
  readonly Config: InspectConfig;
  readonly Architecture: string;
  readonly Os: string;
  readonly Size: number;
  readonly GraphDriver: {
    readonly Data: Readonly<Record<string, string>>;
    readonly Name: "overlay2";
  };
  readonly RootFS: { readonly Type: "layers"; readonly Layers: readonly string[] };
  readonly Metadata: { readonly LastTagTime: string };
}

const OVERLAY2 = "/var/lib/docker/overlay2";
const NS_PER_US = 1000;

const set = (keys: readonly string[]): Record<string, Record<string, never>> => {
  const out: Record<string, Record<string, never>> = {};
  for (const k of keys) out[k] = {};
  return out;
};

function health(h: HealthConfig): NonNullable<InspectConfig["Healthcheck"]> {
  return {
    Test: h.test,
    ...(h.interval ? { Interval: h.interval * NS_PER_US } : {}),
    ...(h.timeout ? { Timeout: h.timeout * NS_PER_US } : {}),
    ...(h.startPeriod ? { StartPeriod: h.startPeriod * NS_PER_US } : {}),
    ...(h.startInterval ? { StartInterval: h.startInterval * NS_PER_US } : {}),
    ...(h.retries ? { Retries: h.retries } : {}),
  };
}

/**
 * The layers' overlay2 directories: each layer's cache directory is named by a digest of its chain
 * ID (Docker draws a random one; drydock derives it so output is reproducible). UpperDir, MergedDir
 * and WorkDir belong to the top layer; LowerDir lists the others, top first, joined by ":" (moby
 * daemon/graphdriver/overlay2 `GetMetadata`). Go marshals the map with sorted keys.
 */
function graphDriver(layers: readonly string[]): Record<string, string> {
  if (layers.length === 0) return {};
  const dirs: string[] = [];
  let chain = "";
  for (const d of layers) {
    chain = chain === "" ? d : sha256Digest(`${chain} ${d}`);
    dirs.push(sha256Digest(`overlay2-cache-id:${chain}`).slice(7));
  }
  const top = dirs[dirs.length - 1]!;
  const lower = dirs.slice(0, -1).reverse().map((id) => `${OVERLAY2}/${id}/diff`).join(":");
  return {
    ...(lower !== "" ? { LowerDir: lower } : {}),
    MergedDir: `${OVERLAY2}/${top}/merged`,
    UpperDir: `${OVERLAY2}/${top}/diff`,
    WorkDir: `${OVERLAY2}/${top}/work`,
  };
}

const BUILDKIT_COMMENT = "buildkit.dockerfile.v0";

/**
 * `docker image inspect` of one image, in Docker's field order (moby api/server/router/image
 * `toImageInspect`): RepoTags and RepoDigests in familiar form (empty arrays, not null); Comment
 * falls back to the last history entry's; Created is RFC 3339 with nanoseconds (virtual time 0 is
 * 2026-01-01T00:00:00Z); DockerVersion is "" as for BuildKit-built and pulled images; Parent is
 * set only for images the legacy way made (docker commit, the classic builder), not BuildKit's.
 * `now` is accepted for symmetry with other read commands; inspect does not depend on it.
 */
export function inspectImage(store: ImageStore, nameOrId: string, now?: Micros): ImageInspect {
  void now;
  const img: Image | undefined = store.resolve(nameOrId);
  if (!img) throw new DrydockError("ENOIMAGE", `No such image: ${nameOrId}`);
  const c = img.config;
  const last = img.history[img.history.length - 1];
  const comment = img.comment ?? last?.comment ?? "";
  const buildkit = img.history.some((h) => h.comment === BUILDKIT_COMMENT) && last?.comment === BUILDKIT_COMMENT;
  const tagTime = store.lastTagTime(img.id);
  const config: InspectConfig = {
    Hostname: "", Domainname: "", User: c.user, AttachStdin: false, AttachStdout: false, AttachStderr: false,
    ...(c.exposedPorts.length ? { ExposedPorts: set(c.exposedPorts) } : {}),
    Tty: false, OpenStdin: false, StdinOnce: false,
    Env: c.env.length ? c.env : null,
    Cmd: c.cmd,
    ...(c.healthcheck ? { Healthcheck: health(c.healthcheck) } : {}),
    ...(img.os === "windows" && c.cmd && c.shell ? { ArgsEscaped: true } : {}),
    Image: !buildkit && img.parent ? img.parent : "",
    Volumes: c.volumes.length ? set(c.volumes) : null,
    WorkingDir: c.workingDir,
    Entrypoint: c.entrypoint,
    OnBuild: c.onBuild.length ? c.onBuild : null,
    Labels: Object.keys(c.labels).length ? c.labels : null,
    ...(c.stopSignal ? { StopSignal: c.stopSignal } : {}),
    ...(c.shell ? { Shell: c.shell } : {}),
  };
  return {
    Id: img.id,
    RepoTags: store.tagsOf(img.id).map((t) => t.familiar),
    RepoDigests: store.repoDigestsOf(img.id),
    Parent: !buildkit && img.parent ? img.parent : "",
    Comment: comment,
    Created: formatCreatedRfc3339(img.created),
    DockerVersion: "",
    Author: "",
    Config: config,
    Architecture: img.architecture,
    Os: img.os,
    Size: store.imageSize(img),
    GraphDriver: { Data: graphDriver(img.layers), Name: "overlay2" },
    RootFS: { Type: "layers", Layers: img.layers },
    Metadata: { LastTagTime: tagTime === undefined ? GO_ZERO_TIME : formatCreatedRfc3339(tagTime) },
  };
}
