import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";

const CONTAINER_PROMPT = "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ";

describe("a program reads a line from the terminal (QA 2026-11-30 #7)", () => {
  it("docker container prune waits at its [y/N] prompt; `y` typed next deletes (docker/cli internal/prompt.Confirm)", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker create --name old alpine true");
    const id = pg.exec("docker ps -aq --no-trunc").stdout.trim();
    // Defect #7: the prompt read "no" and drydock said "answering a prompt mid-command is not simulated".
    const asked = pg.exec("docker container prune");
    expect(asked).toEqual({ exitCode: -1, stdout: CONTAINER_PROMPT, stderr: "", reading: { prompt: "Are you sure you want to continue? [y/N] ", echo: true } });
    expect(pg.reading()).toEqual({ prompt: "Are you sure you want to continue? [y/N] ", echo: true });
    expect(pg.exec("y")).toEqual({ exitCode: 0, stdout: `${CONTAINER_PROMPT}y\nDeleted Containers:\n${id}\n\nTotal reclaimed space: 0B\n`, stderr: "" });
    expect(pg.reading()).toBeNull();
    expect(pg.exec("docker ps -aq").stdout).toBe("");
  });

  it("anything but y aborts: the prompt is all that is printed and docker exits 0 (errdefs.Cancelled); nothing changes", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker create --name old alpine true");
    const before = pg.worldHash();
    expect(pg.exec("docker container prune").reading).toBeDefined();
    expect(pg.exec("no")).toEqual({ exitCode: 0, stdout: `${CONTAINER_PROMPT}no\n`, stderr: "" });
    expect(pg.worldHash()).toBe(before);
    expect(pg.exec("docker ps -aq").stdout).not.toBe("");
  });

  it("the answer is a logged action: a replayed session answers the same", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker create --name old alpine true");
    pg.exec("docker container prune");
    pg.exec("y");
    const again = createPlayground({ seed: 1 });
    again.exec("docker create --name old alpine true");
    again.exec("docker container prune");
    again.exec("y");
    expect(again.traceHash()).toBe(pg.traceHash());
    expect(again.worldHash()).toBe(pg.worldHash());
  });

  it("Ctrl-C at the prompt ends the line (130) and applies nothing", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker create --name old alpine true");
    pg.exec("docker container prune");
    pg.interrupt();
    expect(pg.busy()).toBe(false);
    expect(pg.exec("echo $?").stdout).toBe("130\n");
    expect(pg.exec("docker ps -aq").stdout).not.toBe("");
  });

  it("a piped answer still answers without the terminal (echo y | docker …)", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker create --name old alpine true");
    expect(pg.exec("echo y | docker container prune")).toMatchObject({ exitCode: 0, stdout: expect.stringContaining("Deleted Containers:") });
  });

  it("docker plugin install: the privileges, the prompt, `y` installs (plugin/install.go acceptPrivileges); no -f hint", () => {
    const pg = createPlayground({ seed: 1 });
    const asked = pg.exec("docker plugin install vieux/sshfs");
    expect(asked.reading).toEqual({ prompt: "Do you grant the above permissions? [y/N] ", echo: true });
    expect(asked.stdout).toMatch(/^Plugin "vieux\/sshfs" is requesting the following privileges:\n - network: \[host\]\n[^]*Do you grant the above permissions\? \[y\/N\] $/);
    const done = pg.exec("y");
    expect(done.exitCode).toBe(0);
    expect(done.stdout.startsWith(`${asked.stdout}y\nlatest: Pulling from vieux/sshfs\n`)).toBe(true);
    expect(done.stdout).toMatch(/Installed plugin vieux\/sshfs\n$/);
    expect(done.stderr).not.toContain("-f");
    expect(pg.exec("docker plugin ls --format '{{.Name}}'").stdout).toBe("vieux/sshfs:latest\n");
  });

  it("docker plugin install answered `n` is refused as the client refuses it (client/plugin_install.go)", () => {
    const pg = createPlayground({ seed: 1 });
    const before = pg.worldHash();
    const asked = pg.exec("docker plugin install vieux/sshfs");
    expect(pg.exec("n")).toEqual({ exitCode: 1, stdout: `${asked.stdout}n\n`, stderr: "permission denied while installing plugin docker.io/vieux/sshfs\n" });
    expect(pg.worldHash()).toBe(before);
  });
});

const UNENCRYPTED = "\nWARNING! Your credentials are stored unencrypted in '/root/.docker/config.json'.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\n";
const PAT_NOTE = "\ni Info → A Personal Access Token (PAT) can be used instead.\n         To create a PAT, visit https://app.docker.com/settings\n         \n         \n";

describe("docker login at a terminal (QA 2026-11-30 #8; docker/cli cli/command/registry.go PromptUserForCredentials)", () => {
  it("docker login -u NAME: Docker Hub's PAT note, `Password: ` not echoed, the unencrypted-store warning, Login Succeeded", () => {
    const pg = createPlayground({ seed: 1 });
    // Defect #8: "Error: Cannot perform an interactive login from a non TTY device".
    const asked = pg.exec("docker login -u jdoe");
    expect(asked).toEqual({ exitCode: -1, stdout: `${PAT_NOTE}Password: `, stderr: "", reading: { prompt: "Password: ", echo: false } });
    const done = pg.exec("s3cret");
    // The password is not echoed: the terminal shows only the newline login.go prints after it.
    expect(done).toMatchObject({ exitCode: 0, stdout: "Password: \nLogin Succeeded\n", stderr: PAT_NOTE + UNENCRYPTED });
    expect(pg.output()).toBe(`${PAT_NOTE}Password: \n${UNENCRYPTED}Login Succeeded\n`);
    expect(pg.output()).not.toContain("s3cret");
    expect(pg.exec("docker logout").stdout).toBe("Removing login credentials for https://index.docker.io/v1/\n");
  });

  it("docker login with no -u asks `Username: ` (echoed) then `Password: `; the login is recorded for the registry", () => {
    const pg = createPlayground({ seed: 1 });
    expect(pg.exec("docker login localhost:5000")).toMatchObject({ exitCode: -1, stdout: "Username: ", reading: { prompt: "Username: ", echo: true } });
    expect(pg.exec("jdoe")).toMatchObject({ exitCode: -1, stdout: "Username: jdoe\nPassword: ", reading: { prompt: "Password: ", echo: false } });
    expect(pg.exec("pw")).toEqual({ exitCode: 0, stdout: "Username: jdoe\nPassword: \nLogin Succeeded\n", stderr: UNENCRYPTED });
    expect(pg.exec("docker logout localhost:5000").stdout).toBe("Removing login credentials for localhost:5000\n");
  });

  it("an empty username or password is refused as docker refuses it, and nothing is logged in", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker login localhost:5000");
    expect(pg.exec("")).toEqual({ exitCode: 1, stdout: "Username: \n", stderr: "Error: Non-null Username Required\n" });
    pg.exec("docker login -u jdoe localhost:5000");
    expect(pg.exec("")).toEqual({ exitCode: 1, stdout: "Password: \n", stderr: "Error: Password Required\n" });
    expect(pg.exec("docker logout localhost:5000").stdout).toBe("Not logged in to localhost:5000\n");
  });

  it("--password-stdin prints the unencrypted-store warning too (missing before), and needs --username", () => {
    const pg = createPlayground({ seed: 1 });
    expect(pg.exec("echo secret | docker login -u jdoe --password-stdin")).toEqual({ exitCode: 0, stdout: "Login Succeeded\n", stderr: UNENCRYPTED });
    expect(pg.exec("echo secret | docker login --password-stdin")).toEqual({ exitCode: 1, stdout: "", stderr: "Must provide --username with --password-stdin\n" });
    expect(pg.exec("docker login -u jdoe < /dev/null")).toMatchObject({ exitCode: 1, stderr: "Error: Cannot perform an interactive login from a non TTY device\n" });
  });
});
