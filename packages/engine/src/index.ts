// @drydock/engine: the Docker Engine on one host as an immutable state and the operations of its
// API. Files (the FsDir value) are exported under "@drydock/engine/fs".
export * from "./engine.js";
export * from "./events.js";
export * from "./volumes/index.js";
export * from "./network/index.js";

// The host's kernel: processes and namespaces.
export {
  HOST_PROCESSES, HOST_NAMESPACES, LOGIN_SHELL_PID, FIRST_FREE_PID, PID_MAX, bootKernel, allProcesses,
  type HostKernel, type Proc, type HostProc,
} from "./host/procs.js";

// Containers.
export type {
  Container, ContainerConfig, ContainerState, ContainerStatus, HostConfig, Resources, RestartPolicy, MountPoint, Namespace, NamespaceKind,
  LogLine, LogRun, LogPiece, ExecRecord, RunState, NetworkAttachment,
} from "./containers/types.js";
export { CONTAINER_STATUSES } from "./containers/types.js";
export { NO_CONTAINERS, type ContainerTable } from "./containers/state.js";
export {
  Daemon, withDaemon, randomId, randomName, validateRestartPolicy, mergeEnv, parseSignalName, memoryAt, oomAfter, NO_RESOURCES,
  HOST_CPUS, HOST_MEMORY, DEFAULT_STOP_TIMEOUT_S, RESTART_BACKOFF_FIRST_US, RESTART_BACKOFF_MAX_US, RESTART_RESET_AFTER_US,
  type RuntimeEnv, type RandomSource, type CreateRequest,
} from "./containers/daemon.js";
export { atTime, runUntil } from "./containers/runtime.js";
export { stateString, statusText, isRunning } from "./containers/status.js";
export { listContainers, displayImage, commandOf, containerUsage, findContainer, getContainer, PS_FILTERS, type ListOptions } from "./containers/list.js";
export { inspectContainer, macOf } from "./containers/inspect.js";
export { healthOf, healthSuffix, probeCommand, HEALTH_STATUSES, type Health, type HealthResult, type HealthStatus } from "./containers/health.js";
export { logLines, runLines, planLines, nextLineAt, nextRunLineAt, firstPlanLineAt, LOG_LINES_MAX, type LogQuery } from "./containers/logs.js";
export { cpuRates, cpuCap, cpuDemand, memoryUsage, memoryLimit, pidsOf } from "./containers/stats.js";
export { imageTree, buildStepTree, applyChanges, diffTrees, layerChanges, writableSize, nodeAt, type DiffEntry, type DiffKind } from "./containers/rootfs.js";
export { viewOf, splitView, graft, nodeAtPath, mountFor, containersUsingVolume, type MountSources } from "./containers/mounts.js";
export { NAME_ADJECTIVES, NAME_SURNAMES } from "./containers/names.js";

// Programs.
export type {
  Plan, PlanLine, Tick, MemoryCurve, TimedWrite, Reaction, ChildProcess, ProcessSpec, Stream,
} from "./programs/types.js";
export { basePlan, exitPlan, foreverPlan, linesAt, NO_MEMORY } from "./programs/types.js";
export {
  KERNEL_RELEASE, type Program, type StartContext, type ProgramResolver, type StartFailure, type TickGenerator, type ReactionFn,
} from "./programs/program.js";
export { createCatalogue, PROGRAMS, SHELLS, type ProgramFallback } from "./programs/catalogue.js";
export { interactiveSession, psqlLine, psqlPrompt, type PsqlInteractive } from "./programs/psql.js";
export { appSpec, appOf, routeMatch, roundsIn, type AppSpec, type Route, type RouteBody, type ClientCall } from "./programs/apps.js";
export { lookPath, follow, shebang, execWrapper, baseName, DEFAULT_PATH as CONTAINER_DEFAULT_PATH, type Resolved } from "./programs/resolve.js";
export { sleepSeconds, interactiveShell, miniScript, HELLO_TEXT } from "./programs/basic.js";
export { SIGNALS, signalName, parseSignal, SIGKILL, SIGTERM, SIGINT } from "./programs/signals.js";

// Deterministic helpers programs use for their log lines.
export { hash32, unit, dateParts, rfc3339Nano, rfc3339NanoFixed } from "./util/det.js";
export { CowMap } from "./util/cow-map.js";

// Docker's per-container /etc files (addresses and published ports live in the network table, ./network).
export { MANAGED_FILES, RESOLV_CONF, RESOLV_CONF_EMBEDDED, hostsFile, withManagedFiles, withoutManagedFiles } from "./containers/etc-files.js";
