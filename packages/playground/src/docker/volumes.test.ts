// docker volume and docker plugin at the prompt (issue #10). Expected texts come from docker/cli
// v28.5.1 (cli/command/volume, cli/command/plugin, their formatters) and moby v28.5.1 (volume
// service, plugin manager); each test names the file. IDs and times are simulated (seed 1).
import { describe, expect, it } from "vitest";
import { createPlayground, type Playground } from "../playground.js";

const PRIVILEGES = `Plugin "vieux/sshfs" is requesting the following privileges:
 - network: [host]
 - mount: [/var/lib/docker/plugins/]
 - device: [/dev/fuse]
 - capabilities: [CAP_SYS_ADMIN]
Do you grant the above permissions? [y/N] `;

/** A host with vieux/sshfs installed (the course's "Docker Plugins" exercise). */
function withSshfs(): Playground {
  const pg = createPlayground({ seed: 1 });
  expect(pg.exec("docker plugin install --grant-all-permissions vieux/sshfs").exitCode).toBe(0);
  return pg;
}

describe("docker volume create, ls, inspect, rm (the course's 'Basic Volume Usage')", () => {
  it("create prints the name; ls is 'table {{.Driver}}\\t{{.Name}}' in natural order (formatter/volume.go, volume/list.go)", () => {
    const pg = createPlayground({ seed: 1 });
    expect(pg.exec("docker volume create test1")).toEqual({ exitCode: 0, stdout: "test1\n", stderr: "" });
    pg.exec("docker volume create volume-10 && docker volume create volume-2");
    expect(pg.exec("docker volume ls").stdout).toBe("DRIVER    VOLUME NAME\nlocal     test1\nlocal     volume-2\nlocal     volume-10\n");
    expect(pg.exec("docker volume ls -q").stdout).toBe("test1\nvolume-2\nvolume-10\n");
    expect(pg.exec("docker volume list --format '{{.Name}}:{{.Scope}}:{{.Mountpoint}}'").stdout.split("\n")[0]).toBe("test1:local:/var/lib/docker/volumes/test1/_data");
  });

  it("inspect shows moby's volume object; `docker volume create` sends empty labels and options, so they print as {}", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker volume create test1");
    // docs/reference/commandline/volume_inspect.md: "Labels": {}, "Options": {}.
    expect(pg.exec("docker volume inspect test1").stdout).toBe(`[
    {
        "CreatedAt": "2026-01-01T00:00:00Z",
        "Driver": "local",
        "Labels": {},
        "Mountpoint": "/var/lib/docker/volumes/test1/_data",
        "Name": "test1",
        "Options": {},
        "Scope": "local"
    }
]
`);
    expect(pg.exec("docker volume inspect -f '{{.Mountpoint}}' test1").stdout).toBe("/var/lib/docker/volumes/test1/_data\n");
    // inspect.Inspect: what was found, then each daemon error; exit 1.
    expect(pg.exec("docker volume inspect test1 nosuch --format '{{.Name}}'")).toEqual({
      exitCode: 1, stdout: "test1\n", stderr: "Error response from daemon: get nosuch: no such volume\n",
    });
  });

  it("a nameless volume gets 64 hex and the anonymous label (moby VolumesService.Create)", () => {
    const pg = createPlayground({ seed: 1 });
    const name = pg.exec("docker volume create").stdout.trim();
    expect(name).toMatch(/^[0-9a-f]{64}$/);
    expect(pg.exec(`docker volume inspect -f '{{json .Labels}}' ${name}`).stdout).toBe(`{"com.docker.volume.anonymous":""}\n`);
  });

  it("labels and driver options (-o, --label): the local driver refuses options it does not know (volume/local)", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker volume create --label tier=db --label scratch data");
    expect(pg.exec("docker volume ls --format '{{.Name}} {{.Labels}} [{{.Label \"tier\"}}]'").stdout).toBe("data scratch=,tier=db [db]\n");
    expect(pg.exec("docker volume create -o foo=bar v1")).toEqual({ exitCode: 1, stdout: "", stderr: `Error response from daemon: create v1: invalid option: "foo"\n` });
    expect(pg.exec("docker volume create -o type=nfs v1").stderr).toBe(`Error response from daemon: create v1: missing required option: "device"\n`);
    // volume/local validateName, and opts.ValidateLabel as a pflag error (exit 125).
    expect(pg.exec("docker volume create a").stderr).toBe("Error response from daemon: create a: volume name is too short, names should be at least two alphanumeric characters\n");
    expect(pg.exec("docker volume create --label =x v1")).toEqual({
      exitCode: 125, stdout: "", stderr: `invalid argument "=x" for "--label" flag: invalid label '=x': empty name\nSee 'docker volume create --help'.\n`,
    });
    expect(pg.exec("docker volume create --name a1 b1").stderr).toBe("conflicting options: cannot specify a volume-name through both --name and as a positional arg\n");
    // Keys are only keys (STYLE.md: never obj[userText]).
    expect(pg.exec("docker volume create -o __proto__=x v1").stderr).toBe(`Error response from daemon: create v1: invalid option: "__proto__"\n`);
    pg.exec("docker volume create --label constructor=1 --label __proto__=2 v2");
    expect(pg.exec("docker volume inspect -f '{{json .Labels}}' v2").stdout).toBe(`{"__proto__":"2","constructor":"1"}\n`);
  });

  it("ls filters: dangling, name (a regular expression), label, driver (exact); an unknown filter is the daemon's error", () => {
    const pg = withSshfs();
    pg.exec("docker volume create --label tier=db db1 && docker volume create web1");
    pg.exec("docker volume create -d vieux/sshfs -o sshcmd=ada@files:/srv -o password=secret sshvolume");
    const names = (f: string) => pg.exec(`docker volume ls -q ${f}`).stdout.trim().split("\n").filter((x) => x !== "");
    expect(names("--filter dangling=true")).toEqual(["db1", "sshvolume", "web1"]);
    expect(names("-f name=^d")).toEqual(["db1"]);
    expect(names("-f label=tier=db")).toEqual(["db1"]);
    expect(names("-f driver=local")).toEqual(["db1", "web1"]);
    // The plugin's volumes carry its full name; moby's ByDriver compares exactly.
    expect(names("-f driver=vieux/sshfs:latest")).toEqual(["sshvolume"]);
    expect(names("-f driver=vieux/sshfs")).toEqual([]);
    expect(pg.exec("docker volume ls -f colour=red").stderr).toBe("Error response from daemon: invalid filter 'colour'\n");
    expect(pg.exec("docker volume ls -f dangling=maybe").stderr).toBe("Error response from daemon: invalid filter 'dangling=[maybe]'\n");
    // opts.FilterOpt refuses a value without "=" while the flags are parsed.
    expect(pg.exec("docker volume ls -f dangling")).toEqual({
      exitCode: 125, stdout: "", stderr: `invalid argument "dangling" for "-f, --filter" flag: bad format of filter (expected name=value)\nSee 'docker volume ls --help'.\n`,
    });
  });

  it("--format json prints each volume's fields as formatter.MarshalJSON does (sorted keys, Links and Size N/A)", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker volume create data");
    expect(pg.exec("docker volume ls --format json").stdout).toBe(
      `{"Availability":"N/A","Driver":"local","Group":"N/A","Labels":"","Links":"N/A","Mountpoint":"/var/lib/docker/volumes/data/_data","Name":"data","Scope":"local","Size":"N/A","Status":"N/A"}\n`,
    );
  });

  it("a volume a container uses cannot be removed, even with -f; ls's dangling filter sees the user (moby VolumeStore.Remove)", () => {
    const pg = createPlayground({ seed: 1 });
    const id = pg.exec("docker run -d -v data:/data nginx").stdout.trim();
    expect(pg.exec("docker volume rm -f data")).toEqual({ exitCode: 1, stdout: "", stderr: `Error response from daemon: remove data: volume is in use - [${id}]\n` });
    expect(pg.exec("docker volume ls -q -f dangling=false").stdout).toBe("data\n");
    // `docker run -v data:/x` creates the volume with no labels or options: inspect prints null.
    expect(pg.exec("docker volume inspect -f '{{json .Labels}} {{json .Options}}' data").stdout).toBe("null null\n");
  });

  it("rm prints each name it removed; errors are joined and exit 1; -f on a missing name prints it (volume/remove.go)", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker volume create a1 && docker volume create a2");
    expect(pg.exec("docker volume rm a1 nosuch a2")).toEqual({ exitCode: 1, stdout: "a1\na2\n", stderr: "Error response from daemon: get nosuch: no such volume\n" });
    expect(pg.exec("docker volume ls -q").stdout).toBe("");
    expect(pg.exec("docker volume rm -f nosuch")).toEqual({ exitCode: 0, stdout: "nosuch\n", stderr: "" });
    expect(pg.exec("docker volume remove")).toMatchObject({ exitCode: 1, stderr: expect.stringContaining(`"docker volume remove" requires at least 1 argument.`) });
  });
});

describe("docker plugin (the course's 'Docker Plugins')", () => {
  it("install asks for the privileges; an empty answer at the terminal is refused as the client refuses it (client/plugin_install.go)", () => {
    const pg = createPlayground({ seed: 1 });
    const before = pg.worldHash();
    // plugin/install.go acceptPrivileges prints " - name: [values]"; prompt.Confirm reads a line
    // from the terminal (QA #7: it used to read "no" at once, with a hint naming a -f install lacks).
    expect(pg.exec("docker plugin install vieux/sshfs")).toMatchObject({ exitCode: -1, stdout: PRIVILEGES });
    expect(pg.exec("")).toEqual({ exitCode: 1, stdout: `${PRIVILEGES}\n`, stderr: "permission denied while installing plugin docker.io/vieux/sshfs\n" });
    expect(pg.worldHash()).toBe(before);
    expect(pg.exec("echo n | docker plugin install vieux/sshfs").exitCode).toBe(1);
    expect(pg.exec("docker plugin ls -q").stdout).toBe("");
  });

  it("`echo y |` grants them: the pull's lines, then 'Installed plugin', in the plugin's pull time (moby plugin/fetch_linux.go)", () => {
    const pg = createPlayground({ seed: 1 });
    const t0 = pg.now;
    const r = pg.exec("echo y | docker plugin install vieux/sshfs");
    expect(r).toEqual({
      exitCode: 0, stderr: "",
      stdout: `${PRIVILEGES}latest: Pulling from vieux/sshfs
Digest: sha256:d33ffa08df2a4fa87f83fded4ac3ac2e3a96d296c55aa1a0afce33fb2cc7b9b0
a23658ccfda2: Complete
Installed plugin vieux/sshfs
`,
    });
    expect(pg.now - t0).toBeGreaterThanOrEqual(1_800_000);
    // The course's slide: docker plugin ls (formatter: ID truncated to 12, ENABLED true).
    expect(pg.exec("docker plugin ls").stdout).toMatch(/^ID {13}NAME {17}DESCRIPTION {15}ENABLED\n[0-9a-f]{12} {3}vieux\/sshfs:latest {3}sshFS plugin for Docker {3}true\n$/);
  });

  it("--grant-all-permissions skips the prompt; a second install is the daemon's 'already exists' (plugin/store.go validateName)", () => {
    const pg = withSshfs();
    expect(pg.exec("docker plugin install --grant-all-permissions vieux/sshfs")).toEqual({
      exitCode: 1, stdout: "", stderr: "Error response from daemon: plugin vieux/sshfs:latest already exists\n",
    });
    // Without the flag the privileges are asked for first (GET /plugins/privileges), then the pull fails.
    expect(pg.exec("echo y | docker plugin install vieux/sshfs")).toEqual({
      exitCode: 1, stdout: PRIVILEGES, stderr: "Error response from daemon: plugin vieux/sshfs:latest already exists\n",
    });
  });

  it("a plugin drydock's catalogue lacks fails as the daemon's resolver does; a bad name is the CLI's reference error", () => {
    const pg = createPlayground({ seed: 1 });
    expect(pg.exec("docker plugin install someone/nothing").stderr).toBe(
      "Error response from daemon: error resolving plugin reference: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed\n",
    );
    expect(pg.exec("docker plugin install vieux/SSHFS").stderr).toBe("invalid reference format: repository name (vieux/SSHFS) must be lowercase\n");
  });

  it("install with KEY=VALUE sets the plugin's env; --disable leaves it disabled; --alias names it (plugin/v2 Plugin.Set)", () => {
    const pg = createPlayground({ seed: 1 });
    pg.exec("docker plugin install --grant-all-permissions --disable --alias mysshfs vieux/sshfs DEBUG=1");
    expect(pg.exec("docker plugin ls --format '{{.Name}} {{.Enabled}}'").stdout).toBe("mysshfs:latest false\n");
    expect(pg.exec("docker plugin inspect -f '{{.Settings.Env}}' mysshfs").stdout).toBe("[DEBUG=1]\n");
    const bad = pg.exec("docker plugin install --grant-all-permissions vieux/sshfs COLOUR=red");
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toBe(`Error response from daemon: setting "COLOUR" not found in the plugin configuration\n`);
  });

  it("a volume of the plugin's driver (-d vieux/sshfs -o sshcmd=… -o password=…); without sshcmd the plugin's own error", () => {
    const pg = withSshfs();
    expect(pg.exec("docker volume create -d vieux/sshfs -o sshcmd=ada@files:/srv -o password=secret sshvolume").stdout).toBe("sshvolume\n");
    expect(pg.exec("docker volume ls").stdout).toBe("DRIVER               VOLUME NAME\nvieux/sshfs:latest   sshvolume\n");
    expect(pg.exec("docker volume inspect -f '{{.Driver}} {{.Options.sshcmd}}' sshvolume").stdout).toBe("vieux/sshfs:latest ada@files:/srv\n");
    // vieux/docker-volume-sshfs main.go, printf bug and all (its issue #52 quotes it).
    expect(pg.exec("docker volume create -d vieux/sshfs other").stderr).toBe(
      "Error response from daemon: create other: VolumeDriver.Create: 'sshcmd' option required%!(EXTRA []interface {}=[])\n",
    );
    expect(pg.exec("docker volume create -d nope/driver v2").stderr).toBe(`Error response from daemon: create v2: error looking up volume plugin nope/driver: plugin "nope/driver" not found\n`);
  });

  it("the course's exercise end to end: install, a volume of the plugin, containers writing and reading it, then clean up", () => {
    const pg = createPlayground({ seed: 1 });
    expect(pg.exec("echo y | docker plugin install vieux/sshfs").exitCode).toBe(0);
    expect(pg.exec("docker volume create -d vieux/sshfs -o sshcmd=ada@files.example.com:/srv -o password=secret sshvolume").stdout).toBe("sshvolume\n");
    expect(pg.exec("docker container run --rm -v sshvolume:/demo centos:7 sh -c 'echo hello > /demo/hello.txt'").exitCode).toBe(0);
    // The data lives with the volume (the remote directory), so the next container sees it.
    expect(pg.exec("docker container run --rm -v sshvolume:/demo alpine cat /demo/hello.txt").stdout).toBe("hello\n");
    expect(pg.exec("docker volume inspect -f '{{.Mountpoint}}' sshvolume").stdout).toMatch(/^\/var\/lib\/docker\/plugins\/[0-9a-f]{64}\/propagated-mount\/[0-9a-f]{32}\n$/);
    expect(pg.exec("docker volume rm sshvolume && docker plugin disable vieux/sshfs && docker plugin rm vieux/sshfs").stdout).toBe("sshvolume\nvieux/sshfs\nvieux/sshfs\n");
  });

  it("disable, enable and rm: in use while a volume needs it, enabled needs -f (moby plugin/errors.go)", () => {
    const pg = withSshfs();
    pg.exec("docker volume create -d vieux/sshfs -o sshcmd=ada@files:/srv sshvolume");
    expect(pg.exec("docker plugin disable vieux/sshfs").stderr).toBe("Error response from daemon: plugin vieux/sshfs:latest is in use\n");
    expect(pg.exec("docker plugin rm vieux/sshfs").stderr).toBe("Error response from daemon: plugin vieux/sshfs:latest is in use\n");
    pg.exec("docker volume rm sshvolume");
    expect(pg.exec("docker plugin rm vieux/sshfs").stderr).toBe("Error response from daemon: plugin vieux/sshfs:latest is enabled\n");
    expect(pg.exec("docker plugin disable vieux/sshfs")).toEqual({ exitCode: 0, stdout: "vieux/sshfs\n", stderr: "" });
    expect(pg.exec("docker volume create -d vieux/sshfs -o sshcmd=a@b:/c v3").stderr).toBe(
      "Error response from daemon: create v3: error looking up volume plugin vieux/sshfs: plugin vieux/sshfs found but disabled\n",
    );
    expect(pg.exec("docker plugin ls -f enabled=false -q").stdout.trim()).toMatch(/^[0-9a-f]{12}$/);
    expect(pg.exec("docker plugin ls -f enabled=true -q").stdout).toBe("");
    expect(pg.exec("docker plugin enable vieux/sshfs").stdout).toBe("vieux/sshfs\n");
    expect(pg.exec("docker plugin enable vieux/sshfs").stderr).toBe("Error response from daemon: plugin already enabled: plugin vieux/sshfs:latest is enabled\n");
    expect(pg.exec("docker plugin rm -f vieux/sshfs nosuch")).toEqual({ exitCode: 1, stdout: "vieux/sshfs\n", stderr: `Error response from daemon: plugin "nosuch" not found\n` });
  });

  it("inspect has moby's Plugin fields; ls filters capability and enabled, refuses others (acceptedPluginFilterTags)", () => {
    const pg = withSshfs();
    expect(pg.exec("docker plugin inspect -f '{{.Name}} {{.Enabled}} {{.Config.Interface.Socket}} {{.Config.Network.Type}}' vieux/sshfs").stdout)
      .toBe("vieux/sshfs:latest true sshfs.sock host\n");
    expect(pg.exec("docker plugin ls -f capability=volumedriver --format '{{.Name}}'").stdout).toBe("vieux/sshfs:latest\n");
    expect(pg.exec("docker plugin ls -f capability=networkdriver --format '{{.Name}}'").stdout).toBe("");
    expect(pg.exec("docker plugin ls -f colour=red").stderr).toBe("Error response from daemon: invalid filter 'colour'\n");
    const id = pg.exec("docker plugin ls -q --no-trunc").stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(pg.exec(`docker plugin inspect -f '{{.Id}}' ${id.slice(0, 5)}`).stdout).toBe(`${id}\n`);
  });
});
