// What the containers view draws, read from one host's engine: the process table in host PIDs
// beside the PIDs each process has in its container's PID namespace (`docker top` against `ps`
// inside), every container's namespaces against the host's (`ls -l /proc/PID/ns`), and its
// cgroup's memory: the limit, the usage now, and an OOM kill.

import type { Caption, StepInfo } from "../build/model.js";

export type { Caption, StepInfo };

export interface ProcRow {
  /** The host PID (what `docker top` shows). */
  readonly pid: number;
  readonly ppid: number;
  /** Its PID in its own PID namespace (what `ps` inside shows); null for the host's own processes and the shims. */
  readonly nsPid: number | null;
  /** The container it belongs to, by name (null: the host's). */
  readonly container: string | null;
  readonly command: string;
  /** Depth in the tree (0: init). */
  readonly depth: number;
  readonly kind: "host" | "shim" | "init" | "child" | "exec";
}

export type NsKind = "pid" | "net" | "ipc" | "mnt" | "uts" | "user" | "cgroup";

export interface NsCell {
  readonly kind: NsKind;
  readonly inode: number;
  /** The host's own namespace (`--pid host`, or the user namespace Docker does not remap by default). */
  readonly host: boolean;
}

export interface ContainerInfo {
  readonly name: string;
  readonly image: string;
  /** "running", "exited", ... */
  readonly status: string;
  readonly exitCode: number;
  readonly oomKilled: boolean;
  /** The host PID of its PID 1 (0 when not running). */
  readonly pid1: number;
  readonly namespaces: readonly NsCell[];
  /** The cgroup's memory now and its limit in bytes (the host's memory when no --memory). */
  readonly memory: number;
  readonly memoryLimit: number;
  readonly limited: boolean;
}

export interface ContainersViewModel {
  readonly host: string;
  readonly procs: readonly ProcRow[];
  /** The host's namespaces, by kind. */
  readonly hostNs: readonly NsCell[];
  readonly containers: readonly ContainerInfo[];
  readonly steps: readonly StepInfo[];
  readonly next: StepInfo | null;
  readonly busy: boolean;
  readonly caption: Caption;
}
