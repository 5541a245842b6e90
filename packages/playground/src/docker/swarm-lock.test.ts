import { describe, expect, it } from "vitest";
import { createPlayground, type Playground } from "../playground.js";

// docker swarm init --autolock / update / unlock / unlock-key: docker/cli cli/command/swarm
// (init.go, update.go, unlock.go, unlock_key.go printUnlockCommand), moby daemon/cluster
// (errSwarmLocked, notLockedError, invalidUnlockKey), swarmkit manager/encryption (SWMKEY-1-).
const LOCKED = 'Error response from daemon: Swarm is encrypted and needs to be unlocked before it can be used. Please use "docker swarm unlock" to unlock it.\n';
const unlockText = (key: string) => "To unlock a swarm manager after it restarts, run the `docker swarm unlock`\ncommand and provide the following key:\n\n" +
  `    ${key}\n\nRemember to store this key in a password manager, since without it you\nwill not be able to restart the manager.\n`;

function threeManagers(autolock: boolean): Playground {
  const pg = createPlayground({ nodes: ["m1", "m2", "m3"] });
  pg.exec(`docker swarm init${autolock ? " --autolock" : ""}`, { on: "m1" });
  const token = pg.exec("docker swarm join-token -q manager", { on: "m1" }).stdout.trim();
  for (const h of ["m2", "m3"]) pg.exec(`docker swarm join --token ${token} 10.0.0.11:2377`, { on: h });
  pg.advance("20s");
  return pg;
}
const run = (pg: Playground, line: string, on = "m1") => pg.exec(line, { on });

describe("autolock", () => {
  it("init --autolock prints the unlock key after the join instructions; unlock-key shows it again, -q alone", () => {
    const pg = createPlayground({ nodes: ["m1"] });
    const out = run(pg, "docker swarm init --autolock").stdout;
    const key = run(pg, "docker swarm unlock-key -q").stdout.trim();
    expect(key).toMatch(/^SWMKEY-1-[A-Za-z0-9+/]{43}$/);
    expect(out.endsWith("To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.\n\n" + unlockText(key))).toBe(true);
    expect(run(pg, "docker swarm unlock-key").stdout).toBe(unlockText(key));
    const rotated = run(pg, "docker swarm unlock-key --rotate").stdout;
    const key2 = run(pg, "docker swarm unlock-key -q").stdout.trim();
    expect(key2).not.toBe(key);
    expect(rotated).toBe("Successfully rotated manager unlock key.\n" + unlockText(key2));
  });

  it("a restarted manager is locked until `docker swarm unlock` (Enter unlock key:, not echoed)", () => {
    const pg = threeManagers(true);
    const key = run(pg, "docker swarm unlock-key -q").stdout.trim();
    pg.crash("m3");
    pg.restart("m3");
    pg.advance("5s");
    expect(run(pg, "docker node ls", "m3").stderr).toBe(LOCKED);
    expect(run(pg, "docker info --format '{{.Swarm.LocalNodeState}}'", "m3").stdout).toBe("locked\n");
    expect(run(pg, "docker info", "m3").stdout).toContain(" Swarm: locked\n");
    expect(run(pg, "docker swarm unlock", "m1").stderr).toBe("Error: swarm is not locked\n");
    // A wrong key: moby invalidUnlockKey; the node stays locked.
    expect(run(pg, "docker swarm unlock", "m3")).toMatchObject({ exitCode: -1, stdout: "Enter unlock key: ", reading: { prompt: "Enter unlock key: ", echo: false } });
    expect(run(pg, "SWMKEY-1-wrongwrongwrong", "m3")).toMatchObject({ exitCode: 1, stderr: "Error response from daemon: swarm could not be unlocked: invalid key provided\n" });
    expect(run(pg, "docker node ls", "m3").stderr).toBe(LOCKED);
    run(pg, "docker swarm unlock", "m3");
    const done = run(pg, key, "m3");
    expect(done.exitCode).toBe(0);
    expect(done.stdout).not.toContain(key);
    pg.advance("20s");
    expect(run(pg, "docker node ls --format '{{.Hostname}} {{.ManagerStatus}}'", "m3").stdout).toMatch(/m3 (Reachable|Leader)/);
  });

  it("docker swarm update: Swarm updated.; --autolock=true prints the new key; info shows the settings", () => {
    const pg = threeManagers(false);
    expect(run(pg, "docker swarm unlock-key").stderr).toBe("no unlock key is set\n");
    expect(run(pg, "docker swarm unlock-key --rotate").stderr).toBe("cannot rotate because autolock is not turned on\n");
    expect(run(pg, "docker swarm update --task-history-limit 2 --dispatcher-heartbeat 10s --cert-expiry 720h").stdout).toBe("Swarm updated.\n");
    const info = run(pg, "docker info").stdout;
    expect(info).toContain("   Task History Retention Limit: 2\n");
    expect(info).toContain("   Heartbeat Period: 10 seconds\n");
    expect(info).toContain("   Expiry Duration: 4 weeks\n");
    const on = run(pg, "docker swarm update --autolock=true").stdout;
    const key = run(pg, "docker swarm unlock-key -q").stdout.trim();
    expect(on).toBe("Swarm updated.\n" + unlockText(key));
    expect(run(pg, "docker info").stdout).toContain("  Autolock Managers: true\n");
    expect(run(pg, "docker swarm update --cert-expiry 30m").stderr).toBe("Error response from daemon: rpc error: code = InvalidArgument desc = minimum certificate expiry time is: 1h0m0s\n");
    expect(run(pg, "docker swarm update --autolock=false").stdout).toBe("Swarm updated.\n");
    pg.crash("m2");
    pg.restart("m2");
    pg.advance("20s");
    expect(run(pg, "docker info --format '{{.Swarm.LocalNodeState}}'", "m2").stdout).toBe("active\n");
  });
});
