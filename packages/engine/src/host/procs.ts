// The host's kernel as the engine sees it: a process table of host PIDs, allocated the way Linux
// does (the next free number above the last one given, wrapping at pid_max), and the inode
// numbers of namespaces. Containers are processes here: a containerd-shim and the container's
// PID 1 below it, each with a host PID, while inside the container's PID namespace PID 1 is 1.
import type { Micros } from "@drydock/kernel";
import { CowMap } from "../util/cow-map.js";

/** /proc/sys/kernel/pid_max on 64-bit Linux. */
export const PID_MAX = 4_194_304;

/** The namespaces every host process starts in (`ls -l /proc/1/ns` on a fresh Debian). */
export const HOST_NAMESPACES: Readonly<Record<"cgroup" | "ipc" | "mnt" | "net" | "pid" | "user" | "uts", number>> = {
  cgroup: 4026531835, ipc: 4026531839, mnt: 4026531841, net: 4026531840, pid: 4026531836, user: 4026531837, uts: 4026531838,
};

/** The first inode a new namespace gets after boot. */
const FIRST_NS_INODE = 4026532160;

export interface Proc {
  /** The host PID. */
  readonly pid: number;
  readonly ppid: number;
  readonly user: string;
  readonly argv: readonly string[];
  /** The container this process belongs to (null for the shim, which lives on the host). */
  readonly container: string | null;
  /** Its PID inside its PID namespace (the host PID for processes in the host's namespace). */
  readonly nsPid: number;
  readonly startedAt: Micros;
  /** The shim, a container's PID 1, a child PID 1 started (nginx's workers), or a `docker exec`. */
  readonly kind: "shim" | "init" | "child" | "exec";
  /** A paused container's processes are frozen (ps STAT "D"/"T"). */
  readonly frozen: boolean;
}

/** The processes the host itself runs (not stored: they are always there). */
export interface HostProc {
  readonly pid: number;
  readonly ppid: number;
  readonly user: string;
  readonly argv: readonly string[];
  readonly kernelThread?: boolean;
}

/** The login shell's PID: the interactive shell's `$$` (playground shell SHELL_PID). */
export const LOGIN_SHELL_PID = 4242;

/** What `ps -ef` shows of a freshly booted lab machine (Debian 12 with Docker). */
export const HOST_PROCESSES: readonly HostProc[] = [
  { pid: 1, ppid: 0, user: "root", argv: ["/sbin/init"] },
  { pid: 2, ppid: 0, user: "root", argv: ["[kthreadd]"], kernelThread: true },
  { pid: 3, ppid: 2, user: "root", argv: ["[pool_workqueue_release]"], kernelThread: true },
  { pid: 4, ppid: 2, user: "root", argv: ["[kworker/R-rcu_g]"], kernelThread: true },
  { pid: 13, ppid: 2, user: "root", argv: ["[ksoftirqd/0]"], kernelThread: true },
  { pid: 14, ppid: 2, user: "root", argv: ["[rcu_preempt]"], kernelThread: true },
  { pid: 21, ppid: 2, user: "root", argv: ["[ksoftirqd/1]"], kernelThread: true },
  { pid: 312, ppid: 1, user: "root", argv: ["/lib/systemd/systemd-journald"] },
  { pid: 341, ppid: 1, user: "root", argv: ["/lib/systemd/systemd-udevd"] },
  { pid: 598, ppid: 1, user: "message+", argv: ["/usr/bin/dbus-daemon", "--system", "--address=systemd:", "--nofork", "--nopidfile", "--systemd-activation", "--syslog-only"] },
  { pid: 611, ppid: 1, user: "root", argv: ["/lib/systemd/systemd-logind"] },
  { pid: 655, ppid: 1, user: "root", argv: ["/usr/bin/containerd"] },
  { pid: 702, ppid: 1, user: "root", argv: ["sshd:", "/usr/sbin/sshd", "-D", "[listener]", "0", "of", "10-100", "startups"] },
  { pid: 731, ppid: 1, user: "root", argv: ["/usr/bin/dockerd", "-H", "fd://", "--containerd=/run/containerd/containerd.sock"] },
  { pid: 4230, ppid: 702, user: "root", argv: ["sshd:", "root@pts/0"] },
  { pid: LOGIN_SHELL_PID, ppid: 4230, user: "root", argv: ["-bash"] },
];

/** The PID the first process started after boot gets. */
export const FIRST_FREE_PID = 4301;

export interface HostKernel {
  readonly bootedAt: Micros;
  /** Where the search for the next PID starts (Linux's last_pid + 1). */
  readonly nextPid: number;
  /** Live processes the engine started (containers' shims and processes), by host PID. */
  readonly procs: ReadonlyMap<number, Proc>;
  readonly nextNsInode: number;
}

export function bootKernel(now: Micros): HostKernel {
  return { bootedAt: now, nextPid: FIRST_FREE_PID, procs: new CowMap(), nextNsInode: FIRST_NS_INODE };
}

const HOST_PIDS = new Set(HOST_PROCESSES.map((p) => p.pid));

/** A writable copy of the process table for one operation (copy-on-write: O(1) amortised). */
export function forkProcs(k: HostKernel): CowMap<number, Proc> {
  return k.procs instanceof CowMap ? k.procs.fork() : new CowMap(k.procs);
}

/**
 * Allocates the next free host PID after `k.nextPid` (wrapping at pid_max past the PIDs below
 * 300, as Linux's alloc_pid does), so no two live processes share a PID.
 */
export function allocPid(k: HostKernel, procs: ReadonlyMap<number, Proc>): { pid: number; kernel: HostKernel } {
  let pid = k.nextPid;
  for (let tries = 0; tries < PID_MAX; tries++) {
    if (pid >= PID_MAX) pid = 300;
    if (!procs.has(pid) && !HOST_PIDS.has(pid)) return { pid, kernel: { ...k, nextPid: pid + 1 } };
    pid++;
  }
  throw new RangeError("no free PID");
}

export function allocNamespace(k: HostKernel): { inode: number; kernel: HostKernel } {
  return { inode: k.nextNsInode, kernel: { ...k, nextNsInode: k.nextNsInode + 1 } };
}

/** Every live process: the host's own, then the engine's, by PID. */
export function allProcesses(k: HostKernel): Proc[] {
  const own: Proc[] = HOST_PROCESSES.map((p) => ({
    pid: p.pid, ppid: p.ppid, user: p.user, argv: p.argv, container: null, nsPid: p.pid, startedAt: k.bootedAt, kind: "exec", frozen: false,
  }));
  return [...own, ...k.procs.values()].sort((a, b) => a.pid - b.pid);
}
