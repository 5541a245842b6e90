// `docker container inspect`: the API's ContainerJSON, field for field in moby's order (Docker
// 28: api/types/container InspectResponse, HostConfig, Config, NetworkSettings), with Go's
// zero values where Docker prints them (null for an unset slice or map, "0001-01-01T00:00:00Z"
// for a time never set).
import { GO_ZERO_TIME } from "@drydock/image";
import type { Micros } from "@drydock/kernel";
import { hash32 } from "../util/det.js";
import { rfc3339Nano } from "../util/det.js";
import { stateString } from "./status.js";
import { inspectHealth, inspectHealthcheck } from "./health.js";
import type { Container } from "./types.js";
import { containerNetworkSettings } from "../network/settings.js";
import type { NetworkTable } from "../network/types.js";

const time = (t: Micros | null): string => (t === null ? GO_ZERO_TIME : rfc3339Nano(t));
const hex = (seed: string, n = 64): string => {
  let out = "";
  for (let i = 0; out.length < n; i++) out += hash32(`${seed}/${i}`).toString(16).padStart(8, "0");
  return out.slice(0, n);
};

/** The ID of a run's endpoint on its network (a run is one start of the container). */
export function endpointId(containerId: string, runSeq: number): string {
  return hex(`endpoint/${containerId}/${runSeq}`);
}

/** moby's default masked and read-only paths (oci.DefaultSpec). */
const MASKED_PATHS = [
  "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
  "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
];
const READONLY_PATHS = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

const ports = (list: readonly string[]): Record<string, Record<string, never>> | undefined =>
  list.length === 0 ? undefined : Object.fromEntries(list.map((p) => [p.includes("/") ? p : `${p}/tcp`, {}]));

export function macOf(ip: string): string {
  return ip === "" ? "" : ["02", "42", ...ip.split(".").map((n) => Number(n).toString(16).padStart(2, "0"))].join(":");
}

/** The API's view of a container (what `docker inspect` prints as JSON); its NetworkSettings come from the engine's network table. */
export function inspectContainer(c: Container, networks?: NetworkTable): Record<string, unknown> {
  const dir = `/var/lib/docker/containers/${c.id}`;
  const s = c.state;
  const hc = c.hostConfig;
  const r = hc.resources;
  const layer = hex(`layer/${c.id}`);
  const exposed = ports(c.config.exposedPorts);
  const portMap: Record<string, unknown> = {};
  if (c.run && hc.networkMode !== "host" && hc.networkMode !== "none" && !hc.networkMode.startsWith("container:")) {
    // moby's NetworkSettings.Ports (a Go map: keys sorted): each exposed port, with the host bindings it got or null.
    const keys = [...new Set([...c.config.exposedPorts, ...c.run.ports.map((b) => `${b.containerPort}/${b.protocol}`)])].sort();
    for (const k of keys) {
      const bound = c.run.ports.filter((b) => `${b.containerPort}/${b.protocol}` === k);
      portMap[k] = bound.length === 0 ? null : bound.map((b) => ({ HostIp: b.hostIp, HostPort: String(b.hostPort) }));
    }
  }
  return {
    Id: c.id,
    Created: rfc3339Nano(c.created),
    Path: c.path,
    Args: c.args,
    State: {
      Status: stateString(c), Running: s.running, Paused: s.paused, Restarting: s.restarting, OOMKilled: s.oomKilled, Dead: s.dead, Pid: s.pid,
      ExitCode: s.exitCode, Error: s.error, StartedAt: time(s.startedAt), FinishedAt: time(s.finishedAt),
      ...(c.health ? { Health: inspectHealth(c.health) } : {}),
    },
    Image: c.imageId,
    ResolvConfPath: `${dir}/resolv.conf`,
    HostnamePath: `${dir}/hostname`,
    HostsPath: `${dir}/hosts`,
    LogPath: `${dir}/${c.id}-json.log`,
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    Driver: "overlay2",
    Platform: "linux",
    MountLabel: "",
    ProcessLabel: "",
    AppArmorProfile: hc.privileged ? "unconfined" : "docker-default",
    ExecIDs: c.execs.some((e) => e.running && !e.child) ? c.execs.filter((e) => e.running && !e.child).map((e) => e.id) : null,
    HostConfig: {
      Binds: hc.binds.length > 0 ? hc.binds : null, ContainerIDFile: "", LogConfig: { Type: "json-file", Config: {} }, NetworkMode: hc.networkMode,
      PortBindings: Object.fromEntries(Object.entries(hc.portBindings).map(([k, v]) => [k, v.map((b) => ({ HostIp: b.hostIp, HostPort: b.hostPort }))])),
      RestartPolicy: { Name: hc.restartPolicy.name, MaximumRetryCount: hc.restartPolicy.maximumRetryCount }, AutoRemove: hc.autoRemove,
      VolumeDriver: "", VolumesFrom: hc.volumesFrom.length > 0 ? hc.volumesFrom : null, ConsoleSize: [0, 0],
      CapAdd: hc.capAdd.length > 0 ? hc.capAdd : null, CapDrop: hc.capDrop.length > 0 ? hc.capDrop : null, CgroupnsMode: "private",
      Dns: [], DnsOptions: [], DnsSearch: [], ExtraHosts: null, GroupAdd: null, IpcMode: hc.ipcMode, Cgroup: "", Links: null, OomScoreAdj: 0,
      PidMode: hc.pidMode, Privileged: hc.privileged, PublishAllPorts: hc.publishAllPorts, ReadonlyRootfs: hc.readonlyRootfs, SecurityOpt: null,
      ...(Object.keys(hc.tmpfs).length > 0 ? { Tmpfs: hc.tmpfs } : {}),
      UTSMode: hc.utsMode, UsernsMode: hc.usernsMode, ShmSize: 67_108_864, Runtime: "runc", Isolation: "",
      CpuShares: r.cpuShares, Memory: r.memory, NanoCpus: r.nanoCpus, CgroupParent: "", BlkioWeight: 0, BlkioWeightDevice: [], BlkioDeviceReadBps: [],
      BlkioDeviceWriteBps: [], BlkioDeviceReadIOps: [], BlkioDeviceWriteIOps: [], CpuPeriod: r.cpuPeriod, CpuQuota: r.cpuQuota, CpuRealtimePeriod: 0,
      CpuRealtimeRuntime: 0, CpusetCpus: r.cpusetCpus, CpusetMems: "", Devices: [], DeviceCgroupRules: null, DeviceRequests: null,
      MemoryReservation: r.memoryReservation, MemorySwap: r.memorySwap !== 0 ? r.memorySwap : r.memory > 0 ? r.memory * 2 : 0, MemorySwappiness: null,
      OomKillDisable: r.oomKillDisable ? true : null, PidsLimit: r.pidsLimit, Ulimits: [], CpuCount: 0, CpuPercent: 0, IOMaximumIOps: 0,
      IOMaximumBandwidth: 0, ...(hc.init ? { Init: true } : {}),
      MaskedPaths: hc.privileged ? null : MASKED_PATHS, ReadonlyPaths: hc.privileged ? null : READONLY_PATHS,
    },
    GraphDriver: {
      Data: {
        ID: c.id,
        LowerDir: `/var/lib/docker/overlay2/${layer}-init/diff:/var/lib/docker/overlay2/${hex(`image/${c.imageId}`)}/diff`,
        MergedDir: `/var/lib/docker/overlay2/${layer}/merged`,
        UpperDir: `/var/lib/docker/overlay2/${layer}/diff`,
        WorkDir: `/var/lib/docker/overlay2/${layer}/work`,
      },
      Name: "overlay2",
    },
    Mounts: c.mounts.map((m) =>
      m.type === "volume"
        ? { Type: "volume", Name: m.source, Source: `/var/lib/docker/volumes/${m.source}/_data`, Destination: m.target, Driver: m.driver || "local", Mode: m.mode || "z", RW: !m.readOnly, Propagation: "" }
        : m.type === "bind"
          ? { Type: "bind", Source: m.source, Destination: m.target, Mode: m.mode, RW: !m.readOnly, Propagation: "rprivate" }
          : { Type: "tmpfs", Source: "", Destination: m.target, Mode: "", RW: !m.readOnly, Propagation: "" }),
    Config: {
      Hostname: c.config.hostname, Domainname: c.config.domainname, User: c.config.user, AttachStdin: c.config.attachStdin,
      AttachStdout: c.config.attachStdout, AttachStderr: c.config.attachStderr, ...(exposed ? { ExposedPorts: exposed } : {}), Tty: c.config.tty,
      OpenStdin: c.config.openStdin, StdinOnce: c.config.stdinOnce, Env: c.config.env, Cmd: c.config.cmd,
      ...(c.config.healthcheck ? { Healthcheck: inspectHealthcheck(c.config.healthcheck) } : {}), Image: c.config.image,
      Volumes: c.config.volumes.length > 0 ? Object.fromEntries(c.config.volumes.map((v) => [v, {}])) : null, WorkingDir: c.config.workingDir,
      Entrypoint: c.config.entrypoint, OnBuild: null, Labels: c.config.labels,
      ...(c.config.stopSignal !== null ? { StopSignal: c.config.stopSignal } : {}), ...(c.config.stopTimeout !== null ? { StopTimeout: c.config.stopTimeout } : {}),
    },
    NetworkSettings: containerNetworkSettings(networks, c, portMap),
  };
}
