import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// `drydock shell` with a script on stdin (bin/shell.ts piped): `ssh HOST` moves the script to
// another host and `exit` comes back, as at a terminal (OpenSSH's "logout" and "Connection to
// HOST closed."), so a script can go on after the host it started on crashed.

const BIN = fileURLToPath(new URL("../bin/drydock.js", import.meta.url));

function shell(args: readonly string[], script: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [BIN, "shell", ...args], { input: script, encoding: "utf8", env: { ...process.env, DRYDOCK_SOURCE: "1" }, timeout: 120_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe("drydock shell with a script on stdin", () => {
  it("ssh HOST moves the script there and exit comes back; ssh HOST COMMAND runs one line there", () => {
    const r = shell(["--nodes", "node1,node2,node3"], "hostname\nssh node2\nhostname\nexit\nhostname\nssh node3 hostname\nssh nosuch\n");
    expect(r.stdout).toBe("node1\nnode2\nlogout\nConnection to node2 closed.\nnode1\nnode3\n");
    expect(r.stderr).toBe("ssh: Could not resolve hostname nosuch: Name or service not known\n");
    expect(r.status).toBe(255);
  }, 150_000);

  it("after the first control plane crashes, kubectl on the second still answers", () => {
    const r = shell(["--kubernetes", "--control-planes", "3"], "drydock crash control-plane\nssh control-plane2\nsleep 5\nkubectl get nodes -o name\n");
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("node/control-plane2\n");
    expect(r.status).toBe(0);
  }, 150_000);
});
