import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

// docker swarm join-token --rotate: docker/cli swarm/join_token.go (SwarmUpdate with
// RotateWorkerToken / RotateManagerToken, "Successfully rotated %s join token.\n\n", then the
// join command, or with -q the token alone); swarmkit controlapi UpdateCluster makes a new token
// with the same CA digest; ca/server.go refuses a join with any other token.
describe("docker swarm join-token --rotate", () => {
  it("a new worker token: the old one is refused with SwarmKit's text, the new one joins; -q prints the token alone", () => {
    const pg = createPlayground({ nodes: ["n1", "n2", "n3"] });
    pg.exec("docker swarm init", { on: "n1" });
    const old = pg.exec("docker swarm join-token -q worker", { on: "n1" }).stdout.trim();
    const manager = pg.exec("docker swarm join-token -q manager", { on: "n1" }).stdout.trim();
    const r = pg.exec("docker swarm join-token --rotate worker", { on: "n1" });
    expect(r.exitCode).toBe(0);
    const fresh = pg.exec("docker swarm join-token -q worker", { on: "n1" }).stdout.trim();
    expect(fresh).not.toBe(old);
    // The CA digest part stays; the secret changes.
    expect(fresh.split("-").slice(0, 3)).toEqual(old.split("-").slice(0, 3));
    expect(r.stdout).toBe(
      "Successfully rotated worker join token.\n\nTo add a worker to this swarm, run the following command:\n\n" +
      `    docker swarm join --token ${fresh} 10.0.0.11:2377\n\n`);
    // The manager token is untouched.
    expect(pg.exec("docker swarm join-token -q manager", { on: "n1" }).stdout.trim()).toBe(manager);
    const refused = pg.exec(`docker swarm join --token ${old} 10.0.0.11:2377`, { on: "n2" });
    expect(refused.stderr).toBe("Error response from daemon: rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster\n");
    expect(pg.exec(`docker swarm join --token ${fresh} 10.0.0.11:2377`, { on: "n2" }).stdout).toBe("This node joined a swarm as a worker.\n");
    const q = pg.exec("docker swarm join-token --rotate -q manager", { on: "n1" }).stdout;
    expect(q).toMatch(/^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}\n$/);
    expect(q.trim()).not.toBe(manager);
    expect(pg.exec(`docker swarm join --token ${manager} 10.0.0.11:2377`, { on: "n3" }).exitCode).toBe(1);
  });
});
