import { bytesSize, humanDuration } from "@drydock/image";
import { logLines, rfc3339Nano } from "@drydock/engine";
import { findByIdOrName, shortId, type Service, type ServiceMode, type Store, type UpdateConfig } from "@drydock/swarm";
import { fail } from "../errors.js";
import { formatInspect, goFloat, goMap, renderTemplate } from "../format/index.js";
import { CATALOGUE } from "../world/programs.js";
import type { DockerCommand, DockerEnv } from "./command.js";
import { flag } from "./flags.js";
import { managerStore, portOf } from "./swarm-common.js";

/** Go's time.Duration String(): "5s", "1m30s", "500ms", "0s". */
export function goDuration(us: number): string {
  if (us === 0) return "0s";
  if (us < 1_000_000) return us % 1000 === 0 ? `${us / 1000}ms` : `${us}µs`;
  let s = us / 1_000_000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const sec = `${Number(s.toFixed(6))}s`;
  return h > 0 ? `${h}h${m}m${sec}` : m > 0 ? `${m}m${sec}` : sec;
}

/** docker/cli cli/command/formatter/service.go serviceInspectPrettyTemplate, as it is. */
const PRETTY = `
ID:\t\t{{.ID}}
Name:\t\t{{.Name}}
{{- if .Labels }}
Labels:
{{- range $k, $v := .Labels }}
 {{ $k }}{{if $v }}={{ $v }}{{ end }}
{{- end }}{{ end }}
Service Mode:
{{- if .IsModeGlobal }}\tGlobal
{{- else if .IsModeReplicated }}\tReplicated
{{- if .ModeReplicatedReplicas }}
 Replicas:\t{{ .ModeReplicatedReplicas }}
{{- end }}{{ end }}
{{- if .HasUpdateStatus }}
UpdateStatus:
 State:\t\t{{ .UpdateStatusState }}
{{- if .HasUpdateStatusStarted }}
 Started:\t{{ .UpdateStatusStarted }}
{{- end }}
{{- if .UpdateIsCompleted }}
 Completed:\t{{ .UpdateStatusCompleted }}
{{- end }}
 Message:\t{{ .UpdateStatusMessage }}
{{- end }}
Placement:
{{- if .TaskPlacementConstraints }}
 Constraints:\t{{ .TaskPlacementConstraints }}
{{- end }}
{{- if .TaskPlacementPreferences }}
 Preferences:   {{ .TaskPlacementPreferences }}
{{- end }}
{{- if .HasUpdateConfig }}
UpdateConfig:
 Parallelism:\t{{ .UpdateParallelism }}
{{- if .HasUpdateDelay}}
 Delay:\t\t{{ .UpdateDelay }}
{{- end }}
 On failure:\t{{ .UpdateOnFailure }}
{{- if .HasUpdateMonitor}}
 Monitoring Period: {{ .UpdateMonitor }}
{{- end }}
 Max failure ratio: {{ .UpdateMaxFailureRatio }}
 Update order:      {{ .UpdateOrder }}
{{- end }}
{{- if .HasRollbackConfig }}
RollbackConfig:
 Parallelism:\t{{ .RollbackParallelism }}
{{- if .HasRollbackDelay}}
 Delay:\t\t{{ .RollbackDelay }}
{{- end }}
 On failure:\t{{ .RollbackOnFailure }}
{{- if .HasRollbackMonitor}}
 Monitoring Period: {{ .RollbackMonitor }}
{{- end }}
 Max failure ratio: {{ .RollbackMaxFailureRatio }}
 Rollback order:    {{ .RollbackOrder }}
{{- end }}
ContainerSpec:
 Image:\t\t{{ .ContainerImage }}
{{- if .ContainerArgs }}
 Args:\t\t{{ range $arg := .ContainerArgs }}{{ $arg }} {{ end }}
{{- end -}}
{{- if .ContainerEnv }}
 Env:\t\t{{ range $env := .ContainerEnv }}{{ $env }} {{ end }}
{{- end -}}
{{- if .HasResources }}
Resources:
{{- if .HasResourceReservations }}
 Reservations:
{{- if gt .ResourceReservationNanoCPUs 0.0 }}
  CPU:\t\t{{ .ResourceReservationNanoCPUs }}
{{- end }}
{{- if .ResourceReservationMemory }}
  Memory:\t{{ .ResourceReservationMemory }}
{{- end }}{{ end }}
{{- if .HasResourceLimits }}
 Limits:
{{- if gt .ResourceLimitsNanoCPUs 0.0 }}
  CPU:\t\t{{ .ResourceLimitsNanoCPUs }}
{{- end }}
{{- if .ResourceLimitMemory }}
  Memory:\t{{ .ResourceLimitMemory }}
{{- end }}{{ end }}{{ end }}
{{- if .Networks }}
Networks:
{{- range $network := .Networks }} {{ $network }}{{ end }} {{ end }}
Endpoint Mode:\t{{ .EndpointMode }}
{{- if .Ports }}
Ports:
{{- range $port := .Ports }}
 PublishedPort = {{ $port.PublishedPort }}
  Protocol = {{ $port.Protocol }}
  TargetPort = {{ $port.TargetPort }}
  PublishMode = {{ $port.PublishMode }}
{{- end }} {{ end -}}
`;

/** The pretty template's context (serviceInspectContext's methods). */
function prettyContext(s: Service, now: number) {
  const t = s.spec.task;
  const u = s.spec.update;
  const r = s.spec.rollback;
  const res = t.resources;
  const st = s.updateStatus;
  return {
    ID: s.id, Name: s.spec.name, Labels: goMap({ ...s.spec.labels }),
    IsModeGlobal: s.spec.mode.kind === "global", IsModeReplicated: s.spec.mode.kind === "replicated",
    ModeReplicatedReplicas: s.spec.mode.kind === "replicated" ? s.spec.mode.replicas : 0,
    HasUpdateStatus: st !== null, UpdateStatusState: st?.state ?? "", HasUpdateStatusStarted: st !== null,
    UpdateStatusStarted: st ? humanDuration(Math.max(0, now - st.startedAt)) : "",
    UpdateIsCompleted: st?.state === "completed" && st.completedAt !== null,
    UpdateStatusCompleted: st?.completedAt != null ? humanDuration(Math.max(0, now - st.completedAt)) : "", UpdateStatusMessage: st?.message ?? "",
    TaskPlacementConstraints: [...t.placement.constraints],
    TaskPlacementPreferences: t.placement.preferences.map((p) => `spread=${(p as { spread: string }).spread}`),
    HasUpdateConfig: true, UpdateParallelism: u.parallelism, HasUpdateDelay: u.delayUs > 0, UpdateDelay: goDuration(u.delayUs),
    UpdateOnFailure: u.failureAction, HasUpdateMonitor: u.monitorUs > 0, UpdateMonitor: goDuration(u.monitorUs),
    UpdateMaxFailureRatio: goFloat(u.maxFailureRatio), UpdateOrder: u.order,
    HasRollbackConfig: true, RollbackParallelism: r.parallelism, HasRollbackDelay: r.delayUs > 0, RollbackDelay: goDuration(r.delayUs),
    RollbackOnFailure: r.failureAction, HasRollbackMonitor: r.monitorUs > 0, RollbackMonitor: goDuration(r.monitorUs),
    RollbackMaxFailureRatio: goFloat(r.maxFailureRatio), RollbackOrder: r.order,
    ContainerImage: t.container.image, ContainerArgs: [...t.container.args], ContainerEnv: [...t.container.env],
    // The CLI always sends Resources (an empty one when no flag is given).
    HasResources: true,
    HasResourceReservations: res.reservations.nanoCPUs > 0 || res.reservations.memoryBytes > 0,
    ResourceReservationNanoCPUs: goFloat(res.reservations.nanoCPUs / 1e9),
    ResourceReservationMemory: res.reservations.memoryBytes > 0 ? bytesSize(res.reservations.memoryBytes) : "",
    HasResourceLimits: res.limits.nanoCPUs > 0 || res.limits.memoryBytes > 0,
    ResourceLimitsNanoCPUs: goFloat(res.limits.nanoCPUs / 1e9),
    ResourceLimitMemory: res.limits.memoryBytes > 0 ? bytesSize(res.limits.memoryBytes) : "",
    Networks: t.networks.map((n) => n.target),
    EndpointMode: s.spec.endpoint.mode,
    Ports: (s.endpoint?.ports ?? []).map((p) => ({ PublishedPort: p.publishedPort, Protocol: p.protocol, TargetPort: p.targetPort, PublishMode: p.publishMode })),
  };
}

const nanos = (us: number) => us * 1000;

/** swarm.ServiceMode as the Engine API writes it (ReplicatedJob and GlobalJob for jobs). */
function modeJson(m: ServiceMode): unknown {
  switch (m.kind) {
    case "replicated": return { Replicated: { Replicas: m.replicas } };
    case "global": return { Global: {} };
    case "replicated-job": return { ReplicatedJob: { MaxConcurrent: m.maxConcurrent, TotalCompletions: m.totalCompletions } };
    case "global-job": return { GlobalJob: {} };
  }
}

function updateJson(u: UpdateConfig) {
  return { Parallelism: u.parallelism, ...(u.delayUs > 0 ? { Delay: nanos(u.delayUs) } : {}), FailureAction: u.failureAction, Monitor: nanos(u.monitorUs), MaxFailureRatio: u.maxFailureRatio, Order: u.order };
}

/** The Engine API's Service object (GET /services/{id}), in its field order. */
export function serviceJson(s: Service, store: Store): unknown {
  const t = s.spec.task;
  const res = (r: { nanoCPUs: number; memoryBytes: number }) => ({ ...(r.nanoCPUs > 0 ? { NanoCPUs: r.nanoCPUs } : {}), ...(r.memoryBytes > 0 ? { MemoryBytes: r.memoryBytes } : {}) });
  const ports = (s.spec.endpoint.ports ?? []).map((p) => ({ Protocol: p.protocol, TargetPort: p.targetPort, PublishedPort: p.publishedPort, PublishMode: p.publishMode }));
  const netName = (id: string) => store.networks.get(id)?.spec.name ?? id;
  return {
    ID: s.id, Version: { Index: s.version }, CreatedAt: rfc3339Nano(s.createdAt), UpdatedAt: rfc3339Nano(s.updatedAt),
    Spec: {
      Name: s.spec.name, Labels: goMap({ ...s.spec.labels }),
      TaskTemplate: {
        ContainerSpec: {
          Image: t.container.image, ...(t.container.args.length > 0 ? { Args: t.container.args } : {}), ...(t.container.env.length > 0 ? { Env: t.container.env } : {}),
          Init: false, StopGracePeriod: nanos(t.container.stopGracePeriodUs), DNSConfig: {}, Isolation: "default",
          ...(t.secrets.length > 0 ? { Secrets: t.secrets.map((x) => ({ File: { Name: x.target, UID: x.uid, GID: x.gid, Mode: x.mode }, SecretID: x.secretId, SecretName: x.secretName })) } : {}),
          ...(t.configs.length > 0 ? { Configs: t.configs.map((x) => ({ File: { Name: x.target, UID: x.uid, GID: x.gid, Mode: x.mode }, ConfigID: x.configId, ConfigName: x.configName })) } : {}),
        },
        Resources: { Limits: res(t.resources.limits), Reservations: res(t.resources.reservations) },
        RestartPolicy: { Condition: t.restart.condition, Delay: nanos(t.restart.delayUs), MaxAttempts: t.restart.maxAttempts },
        Placement: { ...(t.placement.constraints.length > 0 ? { Constraints: t.placement.constraints } : {}), ...(t.placement.maxReplicas > 0 ? { MaxReplicas: t.placement.maxReplicas } : {}) },
        ...(t.networks.length > 0 ? { Networks: t.networks.map((n) => ({ Target: n.target })) } : {}),
        ForceUpdate: t.forceUpdate, Runtime: "container",
      },
      Mode: modeJson(s.spec.mode),
      UpdateConfig: updateJson(s.spec.update), RollbackConfig: updateJson(s.spec.rollback),
      EndpointSpec: { Mode: s.spec.endpoint.mode, ...(ports.length > 0 ? { Ports: ports } : {}) },
    },
    ...(s.previousSpec ? { PreviousSpec: { Name: s.previousSpec.name, TaskTemplate: { ContainerSpec: { Image: s.previousSpec.task.container.image } } } } : {}),
    Endpoint: {
      Spec: { Mode: s.spec.endpoint.mode, ...(ports.length > 0 ? { Ports: ports } : {}) },
      ...(s.endpoint && s.endpoint.ports.length > 0 ? { Ports: s.endpoint.ports.map((p) => ({ Protocol: p.protocol, TargetPort: p.targetPort, PublishedPort: p.publishedPort, PublishMode: p.publishMode })) } : {}),
      ...(s.endpoint && s.endpoint.virtualIPs.length > 0 ? { VirtualIPs: s.endpoint.virtualIPs.map((v) => ({ NetworkID: v.networkId, Addr: v.addr })) } : {}),
    },
    ...(s.updateStatus ? {
      UpdateStatus: {
        State: s.updateStatus.state, StartedAt: rfc3339Nano(s.updateStatus.startedAt),
        ...(s.updateStatus.completedAt !== null ? { CompletedAt: rfc3339Nano(s.updateStatus.completedAt) } : {}), Message: s.updateStatus.message,
      },
    } : {}),
    // Not the API's: drydock names the networks the VIPs are on for readers (never shown by docker).
    ...(false ? { netName } : {}),
  };
}

export const serviceInspectCommand: DockerCommand = {
  path: "docker service inspect",
  use: "docker service inspect [OPTIONS] SERVICE [SERVICE...]",
  summary: "Display detailed information on one or more services",
  args: [1, Infinity],
  specs: [
    { name: "format", short: "f", kind: "string", help: "Format output using a custom template" },
    { name: "pretty", kind: "bool", help: "Print the information in a human friendly format" },
  ],
  run(p, env) {
    const { view } = managerStore(env);
    const found: Service[] = [];
    for (const a of p.args) {
      const s = findByIdOrName(view.services, a);
      // docker/cli service/inspect.go getRef: "Error: no such service: x" (exit 1).
      if (!s) fail("CLIENT", `Error: no such service: ${a}`);
      found.push(s);
    }
    if (flag.bool(p, "pretty")) {
      if (flag.str(p, "format") !== undefined) fail("CLIENT", "--format is incompatible with human friendly format");
      return found.map((s) => renderTemplate(PRETTY, prettyContext(s, env.now))).join("\n") + "\n";
    }
    return formatInspect(flag.str(p, "format"), found.map((s) => serviceJson(s, view)));
  },
};

/** docker/cli service/logs.go getMaxLength: the digits of the replica count. */
const digits = (n: number) => String(Math.max(1, n)).length;

export const serviceLogsCommand: DockerCommand = {
  path: "docker service logs",
  use: "docker service logs [OPTIONS] SERVICE|TASK",
  summary: "Fetch the logs of a service or task",
  args: 1,
  specs: [
    { name: "no-task-ids", kind: "bool", help: "Do not include task IDs in output" },
    { name: "no-trunc", kind: "bool", help: "Do not truncate output" },
    { name: "raw", kind: "bool", help: "Do not neatly format logs" },
    { name: "tail", short: "n", kind: "string", help: 'Number of lines to show from the end of the logs (default "all")' },
  ],
  run(p, env) {
    const { view } = managerStore(env);
    const s = findByIdOrName(view.services, p.args[0]!);
    if (!s) fail("DAEMON", `service ${p.args[0]} not found`);
    const pad = s.spec.mode.kind === "replicated" ? digits(s.spec.mode.replicas) : 1;
    const lines: { at: number; key: string; n: number; text: string }[] = [];
    for (const t of view.tasks.values()) {
      if (t.serviceId !== s.id || t.nodeId === "") continue;
      const node = view.nodes.get(t.nodeId)?.description.hostname ?? t.nodeId;
      const engine = node === env.host ? env.engine : portOf(env).engineOf(node);
      const c = engine && t.status.containerId !== "" ? engine.containers.get(t.status.containerId) : undefined;
      if (!c) continue;
      let name = `${s.spec.name}.${t.slot > 0 ? t.slot : t.nodeId}`;
      if (!flag.bool(p, "no-task-ids")) name += `.${flag.bool(p, "no-trunc") ? t.id : shortId(t.id)}`;
      const prefix = flag.bool(p, "raw") ? "" : `${name}@${node}${" ".repeat(Math.max(0, pad - digits(t.slot)))}    | `;
      // --tail is per task: each container's log is read with it (the daemon's ServiceLogs asks each task).
      const tail = flag.str(p, "tail");
      const own = logLines(c.logs, CATALOGUE, env.now);
      const kept = tail !== undefined && tail !== "all" && /^\d+$/.test(tail) ? (Number(tail) === 0 ? [] : own.slice(-Number(tail))) : own;
      // The log driver keeps one message per line: each gets the prefix (a write of several lines too).
      for (const l of kept) {
        const parts = l.text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
        parts.forEach((part, n) => lines.push({ at: l.at, key: prefix + l.text, n, text: prefix + part }));
      }
    }
    lines.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : a.n - b.n));
    return lines.map((l) => l.text).join("");
  },
};
