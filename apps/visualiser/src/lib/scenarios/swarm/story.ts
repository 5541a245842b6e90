import type { AppAction } from "../../scenario.js";
import type { StoryRules, StoryStep } from "../../components/story-mode.js";
import type { SwarmViewModel } from "./model.js";
import { SCALE_LINE } from "./driver.js";

// Node failure in story mode (?scenario=node-failure&story=1): a worker dies and its tasks move,
// the leader dies and Raft elects another, a second manager dies and quorum is lost, then all
// come back. The rules are SwarmKit's: a node is marked Down after its heartbeat grace
// (manager/dispatcher: 3 missed periods of 5 s), the orchestrator replaces the tasks of a Down
// node (orchestrator/taskreaper, replicated), managers keep their state in Raft and need a
// majority to elect a leader and commit a change (Docker's "Raft consensus in swarm mode" page:
// "tolerates (N-1)/2 failures"). The points are read from the view model on the screen.

export const SWARM_STORY: readonly StoryStep[] = [
  { id: "steady", title: "A swarm of 3 managers and 4 workers", at: null, highlight: "managers",
    caption: "The managers (thick boxes) keep the swarm's state in Raft; ★ marks the leader. The service web runs six nginx tasks spread over the nodes. Press Next (↓)." },
  { id: "worker-dies", title: "A worker dies", act: "crash-worker", at: { point: "worker-down" }, highlight: "crashed",
    caption: "It stops sending heartbeats. The leader still lists it Ready and its tasks running: a dead node looks like a slow one until the grace runs out." },
  { id: "moved", title: "Its tasks move", at: { point: "moved" }, highlight: "crashed",
    caption: "After 3 missed 5 s heartbeats the leader marks the node Down, and the orchestrator starts its tasks on the nodes that are up." },
  { id: "leader-dies", title: "The leader dies", act: "crash-leader", at: { point: "no-leader" }, highlight: "managers",
    caption: "No leader: nothing can change now. The tasks keep running, since the workers need no leader to run them." },
  { id: "new-leader", title: "A new leader", at: { point: "leader" }, highlight: "leader",
    caption: "A manager's election timer ran out; with 2 of 3 managers up it won a majority of the votes and leads in a new term." },
  { id: "quorum-lost", title: "Quorum lost", act: "lose-quorum", at: { point: "refused" }, highlight: "managers",
    caption: `A second manager dies: 1 of 3 is left, no majority. ${SCALE_LINE} typed on it fails: "The swarm does not have a leader". The running tasks go on.` },
  { id: "recovered", title: "Recovered", act: "restart-all", at: { point: "recovered" }, highlight: "leader",
    caption: "The crashed nodes restart. With a majority of managers back they elect a leader and changes apply again; the worker rejoins empty." },
  { id: "free", title: "Free play", at: null,
    caption: "Click a node for its menu: crash, drain or pause it. Cut off the leader partitions the managers. Next ends the story." },
];

const managers = (v: SwarmViewModel) => v.nodes.filter((n) => n.role === "manager");
const crashedWorkers = (v: SwarmViewModel) => v.nodes.filter((n) => n.role === "worker" && !n.up);
const web = (v: SwarmViewModel) => v.services[0];

export const SWARM_STORY_RULES: StoryRules<SwarmViewModel> = {
  reached(point, v) {
    switch (point) {
      case "worker-down": return crashedWorkers(v).length > 0;
      // The crashed worker is marked Down and every task runs again elsewhere.
      case "moved": {
        const s = web(v);
        return crashedWorkers(v).some((n) => n.status === "Down") && s !== undefined && s.running === s.desired;
      }
      case "no-leader": return v.leader === null;
      case "leader": return v.leader !== null;
      case "refused": return v.tries.some((t) => t.done && !t.ok);
      case "recovered": return v.leader !== null && v.nodes.every((n) => n.up) && managers(v).every((n) => n.status === "Ready");
      default: return true;
    }
  },
  actions(name, v): AppAction[] {
    if (name === "crash-worker") {
      // The worker running most tasks (the first of them on a tie).
      const w = v.nodes.filter((n) => n.role === "worker" && n.up).sort((a, b) => b.tasks.length - a.tasks.length)[0];
      return w ? [{ type: "crash", node: w.host }] : [];
    }
    if (name === "crash-leader") return v.leader ? [{ type: "crash", node: v.leader }] : [];
    if (name === "lose-quorum") {
      // The leader dies too; the change is typed on the manager left.
      const up = managers(v).filter((n) => n.up);
      const victim = up.find((n) => n.host === v.leader) ?? up[0];
      const left = up.find((n) => n !== victim);
      if (!victim || !left) return [];
      return [{ type: "crash", node: victim.host }, { type: "exec", host: left.host, line: SCALE_LINE }];
    }
    if (name === "restart-all") return v.nodes.filter((n) => !n.up).map((n): AppAction => ({ type: "restart", node: n.host }));
    return [];
  },
  highlight(name, v) {
    if (name === "managers") return managers(v).map((n) => n.host);
    if (name === "crashed") return crashedWorkers(v).map((n) => n.host);
    if (name === "leader") return v.leader ? [v.leader] : [];
    return [];
  },
};
