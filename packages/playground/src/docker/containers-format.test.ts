// --format errors of docker ps and docker stats, found by trying them at the prompt as a learner
// (issue #10's audit). Expected texts: docker/cli v28.5.1 cli/command/container/list.go
// buildContainerListOptions (the template is parsed as given and run once on an empty
// formatter.ContainerContext before the daemon is asked, errors wrapped "failed to parse
// template: " / "failed to execute template: "), and formatter_stats.go (the rows are
// *container.statsContext; formatter.Context wraps an execution error "template parsing error: "),
// and system/info.go formatInfo (a parse error is StatusError 64; an execution error is Go's own,
// after what the template wrote and a newline; the data is a system.dockerInfo).
import { describe, expect, it } from "vitest";
import { createPlayground } from "../playground.js";
import { statsContainers } from "./stats.js";

describe("docker ps --format is checked before the listing (container/list.go)", () => {
  it("a field ContainerContext lacks fails even with no container to list, exit 1", () => {
    const pg = createPlayground({ seed: 3 });
    expect(pg.exec("docker ps --format '{{.Bogus}}'")).toEqual({
      exitCode: 1, stdout: "",
      stderr: 'failed to execute template: template: :1:2: executing "" at <.Bogus>: can\'t evaluate field Bogus in type *formatter.ContainerContext\n',
    });
  });

  it("a template that does not parse: 'failed to parse template: ' and Go's text/template message", () => {
    const pg = createPlayground({ seed: 3 });
    expect(pg.exec("docker ps -a --format '{{.Names'")).toEqual({ exitCode: 1, stdout: "", stderr: "failed to parse template: template: :1: unclosed action\n" });
  });

  it("-q with a bad --format: the warning, then the template's error (validated whenever --format is given)", () => {
    const pg = createPlayground({ seed: 3 });
    const r = pg.exec("docker ps -q --format '{{.Nope}}'");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      "WARNING: Ignoring custom format, because both --format and --quiet are set.\n"
        + 'failed to execute template: template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type *formatter.ContainerContext\n',
    );
  });

  it("valid templates still list: fields, the Label method, table headers, json", () => {
    const pg = createPlayground({ seed: 3 });
    pg.exec("docker pull alpine");
    pg.exec("docker run -d --name w1 --label tier=web alpine sleep 1d");
    expect(pg.exec("docker ps --format '{{.Names}} {{.Label \"tier\"}}'").stdout).toBe("w1 web\n");
    expect(pg.exec("docker ps --format 'table {{.Names}}\\t{{.State}}'").stdout).toBe("NAMES     STATE\nw1        running\n");
    expect(JSON.parse(pg.exec("docker ps --format json").stdout).Names).toBe("w1");
  });

  it("the world is unchanged by a refused format", () => {
    const pg = createPlayground({ seed: 3 });
    pg.exec("docker pull alpine");
    pg.exec("docker run -d --name w1 alpine sleep 1d");
    const before = pg.worldHash();
    expect(pg.exec("docker ps --format '{{.Bogus}}'").exitCode).toBe(1);
    expect(pg.worldHash()).toBe(before);
  });
});

describe("docker stats --format (formatter_stats.go)", () => {
  it("an unknown field names the Go type *container.statsContext", () => {
    const pg = createPlayground({ seed: 3 });
    pg.exec("docker pull alpine");
    pg.exec("docker run -d --name w1 alpine sleep 1d");
    const r = pg.exec("docker stats --no-stream --format '{{.Bogus}}'");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('template parsing error: template: :1:2: executing "" at <.Bogus>: can\'t evaluate field Bogus in type *container.statsContext\n');
    expect(pg.exec("docker stats --no-stream --format '{{.Name}} {{.PIDs}}'").stdout).toBe("w1 1\n");
  });
});

describe("docker info --format (system/info.go formatInfo)", () => {
  it("an execution error: what was written, a newline, Go's error unprefixed, exit 1", () => {
    const pg = createPlayground({ seed: 3 });
    expect(pg.exec("docker info --format '{{.Containers}} {{.Bogus}}'")).toEqual({
      exitCode: 1, stdout: "0 \n",
      stderr: 'template: :1:18: executing "" at <.Bogus>: can\'t evaluate field Bogus in type system.dockerInfo\n',
    });
  });

  it("a parse error: 'template parsing error: ', exit 64 (cli.StatusError)", () => {
    const pg = createPlayground({ seed: 3 });
    expect(pg.exec("docker info --format '{{.Containers'")).toEqual({ exitCode: 64, stdout: "", stderr: "template parsing error: template: :1: unclosed action\n" });
  });

  it("fields and nested fields print as before", () => {
    const pg = createPlayground({ seed: 3 });
    expect(pg.exec("docker info -f '{{.Driver}}/{{.Swarm.LocalNodeState}}'")).toEqual({ exitCode: 0, stdout: "overlay2/inactive\n", stderr: "" });
  });
});

describe("docker stats order (stats.go getContainerList, then the create/start event handlers)", () => {
  it("--no-stream lists newest first, as ContainerList (and docker ps) gives them", () => {
    const pg = createPlayground({ seed: 3 });
    pg.exec("docker pull alpine");
    pg.exec("docker run --name done alpine true");
    pg.exec("docker run -d --name up1 alpine sleep 1d");
    pg.exec("docker run -d --name up2 alpine sleep 1d");
    expect(pg.exec("docker stats --no-stream --format '{{.Name}}'").stdout).toBe("up2\nup1\n");
    expect(pg.exec("docker stats --no-stream -a --format '{{.Name}}'").stdout).toBe("up2\nup1\ndone\n");
    expect(pg.exec("docker ps -a --format '{{.Names}}'").stdout).toBe("up2\nup1\ndone\n");
  });

  it("a stream lists those it found first, newest first, then those created since, in their order", () => {
    const pg = createPlayground({ seed: 3 });
    pg.exec("docker pull alpine");
    pg.exec("docker run -d --name a1 alpine sleep 1d");
    pg.exec("docker run -d --name a2 alpine sleep 1d");
    const listedAt = pg.now;
    pg.advance("1s");
    pg.exec("docker run -d --name b1 alpine sleep 1d");
    pg.exec("docker run -d --name b2 alpine sleep 1d");
    const names = statsContainers(pg.host().engine, { named: null, all: false, format: null, noTrunc: false, listedAt }).map(({ c }) => c.name);
    expect(names).toEqual(["a2", "a1", "b1", "b2"]);
  });
});
