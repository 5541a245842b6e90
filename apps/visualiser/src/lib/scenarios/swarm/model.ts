// What the swarm view draws: the swarm as its leader's store has it at one instant (docker node
// ls and docker service ps, as data), with each host's own side (up or down, its Raft role).

/** A task as a chip: `web.1 nginx:latest`, and the state SwarmKit reports for it. */
export interface SwarmTaskView {
  readonly id: string;
  /** "web.1": the service's name and the task's slot. */
  readonly name: string;
  readonly service: string;
  readonly slot: number;
  /** "nginx:latest". */
  readonly image: string;
  /** The Engine API's name of its current state: "pending", "assigned", ..., "running", "shutdown". */
  readonly state: string;
  /** The state the orchestrator wants: "running", or "shutdown" for a task it has replaced. */
  readonly desired: string;
  /**
   * The task is lost with its node: the node is down and the orchestrator has already started a
   * replacement elsewhere (or the leader still lists it as running on a host that is down).
   */
  readonly lost: boolean;
  /** Replaced and being stopped on a host that is up (an update shutting down the old version). */
  readonly stopping: boolean;
}

export interface SwarmNodeView {
  /** The host's name (its hostname in `docker node ls`). */
  readonly host: string;
  readonly role: "manager" | "worker";
  /** Is the host running (the kernel's view: a crash takes it down)? */
  readonly up: boolean;
  /** docker node ls STATUS as the leader has it: "Ready", "Down", "Unknown", "Disconnected". */
  readonly status: string;
  /** "Active", "Pause", "Drain". */
  readonly availability: string;
  /** docker node ls MANAGER STATUS: "Leader", "Reachable", "Unreachable", "Unknown", "" for a worker. */
  readonly managerStatus: string;
  /** The host's own Raft role (managers), or null: what it believes, even when the others moved on. */
  readonly raftRole: "leader" | "follower" | "candidate" | "precandidate" | null;
  readonly term: number | null;
  /** The tasks the leader places on this node, in slot order. */
  readonly tasks: readonly SwarmTaskView[];
}

export interface SwarmServiceView {
  readonly name: string;
  readonly image: string;
  readonly mode: string;
  readonly desired: number;
  readonly running: number;
}

/** The caption for the moment on the screen: a title and a sentence, chosen from the state. */
export interface SwarmCaption {
  /** Node failure's steps ("steady", "worker-down", "moved", ...); the other swarm scenes name their own. */
  readonly step: string;
  readonly title: string;
  readonly text: string;
}

/** The network split in two (the kernel's partition groups), told by which side holds a majority of the managers. */
export interface SwarmPartition {
  /** The side with more than half the managers (every host on it), or [] when neither has. */
  readonly majority: readonly string[];
  /** The other side(s), every host on them. */
  readonly minority: readonly string[];
}

/** A change tried on a manager (`docker service scale web=8` typed there) and its answer. */
export interface SwarmTry {
  readonly host: string;
  readonly line: string;
  /** Where the manager stands: with a majority of managers, without, or no partition. */
  readonly side: "majority" | "minority" | null;
  /** The line finished (else it still waits for its answer or for the service to converge). */
  readonly done: boolean;
  readonly ok: boolean;
  /** Its answer's last line (the quorum error, or "web scaled to 8"). */
  readonly text: string;
}

export interface SwarmViewModel {
  readonly nodes: readonly SwarmNodeView[];
  readonly services: readonly SwarmServiceView[];
  /** The Raft leader whose store the picture shows, or null while there is none. */
  readonly leader: string | null;
  /** The manager whose store the picture shows (the leader, else the up manager that knows most). */
  readonly source: string | null;
  readonly caption: SwarmCaption;
  /** The network split, or null when every link is up. */
  readonly partition: SwarmPartition | null;
  /** Changes typed on managers from the view (the scale line), newest answer per manager. */
  readonly tries: readonly SwarmTry[];
}
