// What the course's container, volume and system exercises (issue #10) rely on beyond the single
// commands: their golden transcripts are packages/cli/testdata/*.txt; these pin the pieces, each
// with where Docker's behaviour comes from.
import { describe, expect, it } from "vitest";
import { createPlayground, type Playground } from "../playground.js";

function world(...images: string[]): Playground {
  const pg = createPlayground({ seed: 5 });
  for (const i of images.length > 0 ? images : ["alpine"]) expect(pg.exec(`docker pull ${i}`).exitCode).toBe(0);
  return pg;
}

describe("processes in containers", () => {
  it("what `docker exec` writes stays in the container's files (its plan's writes, as PID 1's)", () => {
    const pg = world();
    pg.exec("docker run -d --name box alpine sleep 1d");
    expect(pg.exec("docker exec box sh -c 'echo hi > /tmp/x; sleep 1; echo later > /tmp/y'").exitCode).toBe(0);
    expect(pg.exec("docker exec box cat /tmp/x /tmp/y").stdout).toBe("hi\nlater\n");
    expect(pg.exec("docker diff box").stdout).toContain("A /tmp/x\n");
  });

  it("a container that ends at once has ended before the next line (docker run -d alpine: Exited (0))", () => {
    const pg = world();
    pg.exec("docker run -d --name quick alpine");
    expect(pg.exec("docker ps -a --format '{{.Names}} {{.State}}'").stdout).toBe("quick exited\n");
  });

  it("ps aux / ps -aux in a container and on the host: procps's BSD columns (-aux reads as aux)", () => {
    const pg = world("centos:7");
    pg.exec("docker run -d --name pinger centos:7 ping 8.8.8.8");
    const inside = pg.exec("docker exec pinger ps -aux").stdout.split("\n");
    expect(inside[0]).toBe("USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND");
    expect(inside[1]).toMatch(/^root {9}1 {2}0\.0 {2}0\.0 +\d+ +\d+ \? +Ss +\d\d:\d\d +0:00 ping 8\.8\.8\.8$/);
    expect(inside[2]).toMatch(/ Rs +\d\d:\d\d +0:00 ps -aux$/);
    const host = pg.exec("ps aux").stdout.split("\n");
    expect(host[0]).toBe("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND");
    expect(pg.exec("ps -aux").stdout).toBe(pg.exec("ps aux").stdout.replace(/ ps aux$/m, " ps -aux"));
  });

  it("docker run and docker attach are 'attach' events, before the start (moby daemon/attach.go)", () => {
    const pg = world();
    pg.exec("docker run --rm alpine true");
    pg.exec("sleep 1");
    expect(pg.exec("docker events --since 0 --until 0s --filter type=container --format '{{.Action}}'").stdout).toBe("create\nattach\nstart\ndie\ndestroy\n");
  });
});

describe("terminals", () => {
  it("Ctrl-P Ctrl-Q detaches `docker attach` from a container with -it: 'read escape sequence', exit 1, the container goes on (cli hijack.go)", () => {
    const pg = world();
    pg.exec("docker run -d -it --name pinger alpine ping 127.0.0.1");
    pg.begin("docker attach pinger");
    pg.advance("1500ms");
    expect(pg.canDetach()).toBe(true);
    pg.detach();
    const r = pg.wait();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("read escape sequence\n");
    expect(pg.exec("docker ps --format '{{.Names}} {{.State}}'").stdout).toBe("pinger running\n");
    // Without a terminal (no -t) the keys are the container's input: no detaching there.
    pg.exec("docker run -d --name quiet alpine sleep 1d");
    pg.begin("docker attach quiet");
    expect(pg.canDetach()).toBe(false);
    pg.interrupt();
  });

  it("`docker run -it` after a pull shows the pull before the container's prompt", () => {
    const pg = createPlayground({ seed: 5 });
    const r = pg.exec("docker run -it alpine sh");
    expect(r.stdout).toContain("Unable to find image 'alpine:latest' locally\n");
    expect(pg.prompt().text).toBe("/ # ");
  });
});

describe("docker ps", () => {
  it("the default table (computed directly) is what its template gives, whatever the containers", () => {
    const pg = world("nginx", "centos:7");
    pg.exec("docker run -d -p 8080:80 --name web nginx && docker run -d centos:7 ping 8.8.8.8 && docker create --name made alpine echo a b c d e f g h i j");
    pg.exec("docker run --name gone alpine sh -c 'exit 3' ; docker run -d -P nginx; sleep 2");
    const template = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    for (const flags of ["-a", "-a --no-trunc", ""]) {
      expect(pg.exec(`docker ps ${flags}`).stdout).toBe(pg.exec(`docker ps ${flags} --format '${template}'`).stdout);
    }
  });
});

describe("docker stats, export", () => {
  it("docker stats streams a frame every 500 ms until Ctrl-C, each drawn over the last (cli stats.go)", () => {
    const pg = world();
    pg.exec("docker run -d --name web alpine sleep 1d");
    pg.begin("docker stats");
    pg.advance("1200ms");
    pg.interrupt();
    const shown = pg.output();
    expect(shown.split("\x1b[H").length - 1).toBe(4);
    expect(shown).toContain("CONTAINER ID   NAME      CPU %");
    expect(shown).toContain(" web ");
    expect(shown.endsWith("\x1b[J^C\n")).toBe(true);
  });

  it("docker stats ends by itself when no container is left to show", () => {
    const pg = world();
    pg.exec("docker run -d --name brief alpine sleep 2");
    const r = pg.exec("docker stats");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(" brief ");
  });

  it("docker export to a pipe writes drydock's text archive (refused at a terminal); -o writes its size", () => {
    const pg = world();
    pg.exec("docker run -d --name web alpine sleep 1d");
    expect(pg.exec("docker export web")).toEqual({ exitCode: 1, stdout: "", stderr: "cowardly refusing to save to a terminal. Use the -o flag or redirect\n" });
    expect(pg.exec("docker export web > web.tar").exitCode).toBe(0);
    const tar = pg.readFile("node1", "/root/web.tar")!;
    expect(tar.split("\n")[0]).toBe("drydock simulated tar archive of container web: the entries as `tar tv` lists them (no file data)");
    expect(tar).toMatch(/^lrwxrwxrwx root\/root +0 \d{4}-\d\d-\d\d \d\d:\d\d bin\/sh -> \/bin\/busybox$/m);
  });
});

describe("volumes on the host and registries that are containers", () => {
  it("a volume's content is at its Mountpoint on the host: read there, and written there for the containers", () => {
    const pg = world();
    pg.exec("docker volume create demovol");
    pg.exec("docker run --rm -v demovol:/demo alpine sh -c 'echo dummy > /demo/mydata.dat'");
    expect(pg.exec("ls /var/lib/docker/volumes/demovol/_data").stdout).toBe("mydata.dat\n");
    expect(pg.exec("cat /var/lib/docker/volumes/demovol/_data/mydata.dat").stdout).toBe("dummy\n");
    pg.exec("echo from-host > /var/lib/docker/volumes/demovol/_data/host.txt");
    expect(pg.exec("docker run --rm -v demovol:/demo alpine cat /demo/host.txt").stdout).toBe("from-host\n");
    expect(pg.exec("ls /var/lib/docker/volumes").stdout).toBe("demovol\n");
    // The host's own files are as they were: the volume's content is the engine's, not a copy on the disk.
    expect(pg.readFile("node1", "/var/lib/docker/volumes/demovol/_data/host.txt")).toBeUndefined();
  });

  it("localhost:5000 is served only while its registry container runs; started again it has what it stored", () => {
    const pg = world("registry:2", "alpine");
    pg.exec("docker run -d -p 5000:5000 --name registry registry:2");
    pg.exec("docker tag alpine localhost:5000/alpine");
    expect(pg.exec("docker push localhost:5000/alpine").exitCode).toBe(0);
    pg.exec("docker stop registry");
    const refused = pg.exec("docker pull localhost:5000/alpine");
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('Get "http://localhost:5000/v2/": dial tcp [::1]:5000: connect: connection refused');
    pg.exec("docker start registry");
    expect(pg.exec("docker pull localhost:5000/alpine").exitCode).toBe(0);
    pg.exec("docker rm -f registry");
    expect(pg.exec("docker pull localhost:5000/alpine").exitCode).toBe(1);
  });

  it("docker plugin set: refused on an enabled plugin (moby plugin/v2 Plugin.Set), then the env changed", () => {
    const pg = createPlayground({ seed: 5 });
    pg.exec("docker plugin install --grant-all-permissions vieux/sshfs");
    expect(pg.exec("docker plugin set vieux/sshfs DEBUG=1")).toEqual({
      exitCode: 1, stdout: "", stderr: "Error response from daemon: cannot set on an active plugin, disable plugin before setting\n",
    });
    pg.exec("docker plugin disable vieux/sshfs");
    expect(pg.exec("docker plugin set vieux/sshfs DEBUG=1").exitCode).toBe(0);
    expect(pg.exec("docker plugin inspect -f '{{.Settings.Env}}' vieux/sshfs").stdout).toBe("[DEBUG=1]\n");
    expect(pg.exec("docker plugin set vieux/sshfs NOPE=1").stderr).toBe('Error response from daemon: setting "NOPE" not found in the plugin configuration\n');
  });
});

describe("psql in a postgres container (the course's 'Database Volumes')", () => {
  function db(): Playground {
    const pg = world("postgres:16-alpine");
    pg.exec("docker run -d --name db -v pgdata:/var/lib/postgresql/data -e POSTGRES_PASSWORD=pw postgres:16-alpine");
    pg.exec("sleep 3");
    return pg;
  }
  const psql = (pg: Playground, sql: string) => pg.exec(`docker exec db psql -U postgres -c "${sql}"`);

  it("prints psql's aligned table, command tags and (N rows); the rows outlive the container in the volume", () => {
    const pg = db();
    expect(psql(pg, "CREATE TABLE products(price FLOAT, name TEXT); INSERT INTO products VALUES (18.95, 'widget'), (1.45, 'sprocket');").stdout)
      .toBe("CREATE TABLE\nINSERT 0 2\n");
    expect(psql(pg, "SELECT * FROM products ORDER BY price;").stdout).toBe(" price |   name   \n-------+----------\n  1.45 | sprocket\n 18.95 | widget\n(2 rows)\n\n");
    pg.exec("docker rm -f db");
    pg.exec("docker run -d --name db -v pgdata:/var/lib/postgresql/data postgres:16-alpine");
    pg.exec("sleep 3");
    expect(psql(pg, "SELECT name FROM products WHERE price < 5;").stdout).toBe("   name   \n----------\n sprocket\n(1 row)\n\n");
    expect(psql(pg, "SELECT count(*) FROM products;").stdout).toBe(" count \n-------\n     2\n(1 row)\n\n");
  });

  it("errors as psql reports them: the LINE and a caret, exit 1; an error rolls back the whole -c string", () => {
    const pg = db();
    expect(psql(pg, "SELECT * FROM nope;")).toEqual({ exitCode: 1, stdout: "", stderr: 'ERROR:  relation "nope" does not exist\nLINE 1: SELECT * FROM nope;\n                      ^\n' });
    expect(psql(pg, "SELEC 1;").stderr).toBe('ERROR:  syntax error at or near "SELEC"\nLINE 1: SELEC 1;\n        ^\n');
    const r = psql(pg, "CREATE TABLE t(a int); INSERT INTO t VALUES ('x');");
    expect(r).toEqual({ exitCode: 1, stdout: "CREATE TABLE\n", stderr: `ERROR:  invalid input syntax for type integer: "x"\nLINE 1: CREATE TABLE t(a int); INSERT INTO t VALUES (\'x\');\n${" ".repeat(53)}^\n` });
    // The CREATE TABLE before the error was rolled back with the rest of the string.
    expect(psql(pg, "\\\\dt").stderr).toBe("Did not find any relations.\n");
  });

  it("connecting: the OS user is no role; a server not up yet has no socket", () => {
    const pg = world("postgres:16-alpine");
    pg.exec("docker run -d --name db -e POSTGRES_PASSWORD=pw postgres:16-alpine");
    expect(pg.exec("docker exec db psql -c 'SELECT 1'").stderr).toBe(
      'psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: No such file or directory\n\tIs the server running locally and accepting connections on that socket?\n',
    );
    pg.exec("sleep 3");
    expect(pg.exec("docker exec db psql -c 'SELECT 1'")).toEqual({
      exitCode: 2, stdout: "", stderr: 'psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  role "root" does not exist\n',
    });
    expect(pg.exec("docker exec db psql -U postgres -d shop -c 'SELECT 1'").stderr).toContain('FATAL:  database "shop" does not exist');
  });
});
