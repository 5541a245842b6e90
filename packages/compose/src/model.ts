// The normalised project: what `docker compose` works from after loading, interpolating,
// validating and canonicalising the files (compose-go's types.Project, in drydock's shapes).
// User-named things (services, networks, volumes, variables) are Maps, never object keys.
import type { Raw, RawMap } from "./yaml.js";

export interface ServicePort {
  readonly mode: string;
  readonly hostIp: string;
  readonly target: number;
  /** "" (an ephemeral host port), "8080" or a range "8000-8010". */
  readonly published: string;
  readonly protocol: string;
}

export interface ServiceVolume {
  readonly type: "bind" | "volume" | "tmpfs";
  /** A host path (bind), a volume key of the project (volume), "" (anonymous volume, tmpfs). */
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
}

export interface ServiceNetwork {
  readonly aliases: readonly string[];
  readonly ipv4Address: string;
}

export interface ServiceDependency {
  /** service_started, service_healthy or service_completed_successfully. */
  readonly condition: string;
  readonly required: boolean;
  readonly restart: boolean;
}

export interface Healthcheck {
  /** ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]. */
  readonly test: readonly string[];
  readonly interval: string;
  readonly timeout: string;
  readonly retries: number | null;
  readonly startPeriod: string;
  readonly startInterval: string;
  readonly disable: boolean;
}

export interface Service {
  readonly name: string;
  readonly image: string | null;
  readonly build: { readonly context: string; readonly dockerfile: string; readonly args: ReadonlyMap<string, string | null>; readonly target: string } | null;
  readonly command: readonly string[] | null;
  readonly entrypoint: readonly string[] | null;
  /** Resolved: env_file values overridden by `environment`; null for a name without a value. */
  readonly environment: ReadonlyMap<string, string | null>;
  readonly ports: readonly ServicePort[];
  readonly expose: readonly string[];
  readonly volumes: readonly ServiceVolume[];
  /** Project network key → this service's settings on it. */
  readonly networks: ReadonlyMap<string, ServiceNetwork>;
  readonly networkMode: string | null;
  readonly dependsOn: ReadonlyMap<string, ServiceDependency>;
  readonly healthcheck: Healthcheck | null;
  readonly restart: string;
  /** deploy.replicas or scale; 1 by default. */
  readonly replicas: number;
  readonly resources: { readonly cpus: string; readonly memory: string };
  readonly labels: ReadonlyMap<string, string>;
  readonly profiles: readonly string[];
  readonly containerName: string | null;
  readonly hostname: string;
  readonly workingDir: string;
  readonly user: string;
  readonly stopSignal: string;
  /** The service as `docker compose config` prints it (canonical keys, compose's order applied on output). */
  readonly raw: RawMap;
}

export interface ProjectNetwork {
  /** The Docker network's name: "<project>_<key>" unless `name:` or external. */
  readonly name: string;
  readonly driver: string;
  readonly external: boolean;
  readonly internal: boolean;
  readonly attachable: boolean;
  readonly subnets: readonly string[];
  readonly labels: ReadonlyMap<string, string>;
  readonly raw: RawMap;
}

export interface ProjectVolume {
  readonly name: string;
  readonly driver: string;
  readonly external: boolean;
  readonly labels: ReadonlyMap<string, string>;
  readonly raw: RawMap;
}

export interface Project {
  readonly name: string;
  /** The project directory (absolute). */
  readonly workingDir: string;
  /** The compose files read, absolute, in order. */
  readonly files: readonly string[];
  /** Enabled services, sorted by name. */
  readonly services: ReadonlyMap<string, Service>;
  /** Services left out by their profiles. */
  readonly disabledServices: ReadonlyMap<string, Service>;
  readonly networks: ReadonlyMap<string, ProjectNetwork>;
  readonly volumes: ReadonlyMap<string, ProjectVolume>;
  readonly secrets: ReadonlyMap<string, RawMap>;
  readonly configs: ReadonlyMap<string, RawMap>;
  /** The variables interpolation saw (the shell's, then .env's). */
  readonly environment: ReadonlyMap<string, string>;
  /** Top-level `x-` extensions, as written. */
  readonly extensions: ReadonlyMap<string, Raw>;
}

/** A container of a service: `<project>-<service>-<n>` (compose v2's separator), or container_name. */
export function containerName(project: string, service: Service | string, n: number): string {
  if (typeof service !== "string" && service.containerName !== null) return service.containerName;
  return `${project}-${typeof service === "string" ? service : service.name}-${n}`;
}
