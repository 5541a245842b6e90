import { describe, expect, it } from "vitest";
import { isCliError } from "../errors.js";
import { formatInspect, formatRows, goMap, inspectObjects, templateText } from "./index.js";

// docker/cli cli/command/formatter/image.go: the default table and the header map.
const IMAGE_TABLE = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}";
const IMAGE_HEADERS = { ID: "IMAGE ID", Repository: "REPOSITORY", Tag: "TAG", Digest: "DIGEST", CreatedSince: "CREATED", CreatedAt: "CREATED AT", Size: "SIZE" };
const ROWS = [
  { Repository: "nginx", Tag: "latest", ID: "a8758716bb6a", Digest: "<none>", CreatedSince: "2 weeks ago", CreatedAt: "2024-10-01 10:00:00 +0000 UTC", Size: "192MB" },
  { Repository: "alpine", Tag: "3.20", ID: "91ef0af61f39", Digest: "<none>", CreatedSince: "", CreatedAt: "2024-09-06 22:20:07 +0000 UTC", Size: "7.8MB" },
];
const images = (format?: string) => formatRows({ format, rows: ROWS, defaultFormat: IMAGE_TABLE, headers: IMAGE_HEADERS, typeName: "*formatter.imageContext" });

const cliMessage = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(isCliError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error("no error");
};

describe("docker images --format (formatter.go Context.Write)", () => {
  it("no format, '' and 'table' give the default table", () => {
    const expected =
      "REPOSITORY   TAG       IMAGE ID       CREATED       SIZE\n" +
      "nginx        latest    a8758716bb6a   2 weeks ago   192MB\n" +
      "alpine       3.20      91ef0af61f39   N/A           7.8MB\n";
    expect(images()).toBe(expected);
    expect(images("")).toBe(expected);
    expect(images("table")).toBe(expected);
  });

  it('docker images --format "{{.Repository}}:{{.Tag}}": one line per row, no header, no tabwriter', () => {
    expect(images("{{.Repository}}:{{.Tag}}")).toBe("nginx:latest\nalpine:3.20\n");
  });

  it('docker images --format "table {{.Repository}}\\t{{.Size}}": the header comes from the header map', () => {
    // The shell passes backslash-t as two characters; preFormat turns them into a tab.
    expect(images("table {{.Repository}}\\t{{.Size}}")).toBe("REPOSITORY   SIZE\nnginx        192MB\nalpine       7.8MB\n");
  });

  it("a plain format gets \\t and \\n replaced too, but is not aligned", () => {
    expect(images("{{.Repository}}\\t{{.ID}}")).toBe("nginx\ta8758716bb6a\nalpine\t91ef0af61f39\n");
    expect(templateText("table  {{.ID}}\\n ")).toBe("{{.ID}}\n");
    // IsTable is strings.HasPrefix(format, "table"): leading spaces make it a plain template.
    expect(templateText("  table {{.ID}}")).toBe("table {{.ID}}");
  });

  it("header functions leave the header as it is; pad still applies", () => {
    expect(images("table {{.Repository | upper}}\\t{{lower .Tag}}")).toBe("REPOSITORY   TAG\nNGINX        latest\nALPINE       3.20\n");
    expect(images("table {{pad .Tag 1 1}}|")).toBe(" TAG |\n latest |\n 3.20 |\n");
  });

  it("a field missing from the header map heads its column with <no value>", () => {
    const out = formatRows({ format: "table {{.Repository}}\t{{.Extra}}", rows: [{ Repository: "x", Extra: "y" }], defaultFormat: IMAGE_TABLE, headers: { Repository: "REPOSITORY" } });
    expect(out).toBe("REPOSITORY   <no value>\nx            y\n");
  });

  it("a header that fails keeps what it wrote: {{json .}} gives an empty header line", () => {
    expect(images("table {{json .Repository}}")).toBe("REPOSITORY\n\"nginx\"\n\"alpine\"\n");
    expect(images("table {{json .}}").split("\n")[0]).toBe("");
  });

  it("--format json: one object per line, keys sorted (formatter.MarshalJSON builds a map)", () => {
    const out = formatRows({ format: "json", rows: [{ Tag: "latest", Repository: "nginx", Digest: "<none>" }], defaultFormat: IMAGE_TABLE, headers: IMAGE_HEADERS });
    expect(out).toBe('{"Digest":"<none>","Repository":"nginx","Tag":"latest"}\n');
  });

  it("a field the row lacks is docker's error", () => {
    expect(cliMessage(() => images("{{.Foo}}"))).toBe(
      'template parsing error: template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo in type *formatter.imageContext',
    );
    expect(cliMessage(() => images("{{.ID"))).toBe("template parsing error: template: :1: unclosed action");
  });
});

// What `docker image inspect nginx` returns, trimmed.
const NGINX = {
  Id: "sha256:a8758716bb6aa4d90071160d27028fe4eaee7ce8166221a97d30440c8eac2be6",
  RepoTags: ["nginx:latest", "nginx:1.27"],
  Config: {
    ExposedPorts: { "80/tcp": {} },
    Env: ["PATH=/usr/local/sbin:/usr/local/bin", "NGINX_VERSION=1.27.2"],
    Labels: { maintainer: "NGINX Docker Maintainers <docker-maint@nginx.com>" },
  },
  Size: 191_670_000,
};

describe("docker inspect --format (inspector.go)", () => {
  it("docker inspect --format '{{json .Config.ExposedPorts}}' nginx", () => {
    expect(formatInspect("{{json .Config.ExposedPorts}}", [NGINX])).toBe('{"80/tcp":{}}\n');
  });

  it("docker inspect -f '{{range .RepoTags}}{{.}} {{end}}' nginx", () => {
    expect(formatInspect("{{range .RepoTags}}{{.}} {{end}}", [NGINX])).toBe("nginx:latest nginx:1.27 \n");
  });

  it("docker inspect -f '{{index .Config.Labels \"maintainer\"}}' nginx", () => {
    expect(formatInspect('{{index .Config.Labels "maintainer"}}', [NGINX])).toBe("NGINX Docker Maintainers <docker-maint@nginx.com>\n");
    expect(formatInspect("{{.Config.Labels.maintainer}}", [NGINX])).toBe("NGINX Docker Maintainers <docker-maint@nginx.com>\n");
  });

  it("one line per object; \\t is not replaced for inspect", () => {
    expect(formatInspect("{{.Size}}\\t{{len .RepoTags}}", [NGINX, { ...NGINX, RepoTags: [] }])).toBe("191670000\\t2\n191670000\\t0\n");
  });

  it("a failing template is retried on the raw JSON with missingkey=error", () => {
    const r = inspectObjects("{{.Foo}}", [NGINX]);
    expect(r).toEqual({ output: "\n", errors: ['template parsing error: template: :1:2: executing "" at <.Foo>: map has no entry for key "Foo"'], exitCode: 1 });
    expect(cliMessage(() => formatInspect("{{.Foo}}", [NGINX]))).toBe(r.errors[0]);
    // index works on the raw maps even where the typed value was a struct
    expect(formatInspect('{{index . "Size"}}', [NGINX])).toBe("191670000\n");
  });

  it("a template that does not parse is exit status 64", () => {
    expect(inspectObjects("{{.Id", [NGINX])).toEqual({ output: "", errors: ["template parsing error: template: :1: unclosed action"], exitCode: 64 });
  });

  it("no format prints the indented JSON array; json a compact one", () => {
    const small = { Id: "sha256:abc", RepoTags: ["a:1"], Config: { Labels: goMap({}) } };
    expect(formatInspect(undefined, [small])).toBe(
      '[\n    {\n        "Id": "sha256:abc",\n        "RepoTags": [\n            "a:1"\n        ],\n        "Config": {\n            "Labels": {}\n        }\n    }\n]\n',
    );
    expect(formatInspect("json", [small])).toBe('[{"Id":"sha256:abc","RepoTags":["a:1"],"Config":{"Labels":{}}}]\n');
    expect(formatInspect(undefined, [])).toBe("[]\n");
  });
});
