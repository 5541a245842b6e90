// The builder hands each RUN step to an executor (BuildKit runs it as a container: runc over the
// step's rootfs snapshot, with the image config's env, user and workdir, `/bin/sh -c` for the shell
// form; dockerfile2llb's dispatchRun builds that argv). The default is this package's interpreter.
import { describe, expect, it } from "vitest";
import { ImageStore } from "../image/store.js";
import { RegistryHub } from "../registry/registry.js";
import { build } from "./builder.js";
import { interpretRunStep, type RunStepRequest } from "./run-step.js";
import { BuildError } from "./types.js";

const hub = new RegistryHub();
const fresh = () => {
  const store = new ImageStore();
  hub.pull(store, "alpine:3.20");
  return store;
};

describe("BuildOptions.runStep: the RUN step's executor", () => {
  it("the default is the RUN interpreter: the same image, byte for byte, as passing interpretRunStep", () => {
    const dockerfile = "FROM alpine:3.20\nRUN mkdir /app && echo hi > /app/f\nRUN apk add --no-cache curl\n";
    const a = build({ dockerfile, tag: "a" }, fresh(), hub);
    const b = build({ dockerfile, tag: "a", runStep: interpretRunStep }, fresh(), hub);
    expect(b.image.id).toBe(a.image.id);
    expect(b.output).toBe(a.output);
  });

  it("gets the process as runc would start it: shell form under SHELL, exec form as written, the config's env, user and workdir", () => {
    const seen: RunStepRequest[] = [];
    const dockerfile = [
      "FROM alpine:3.20", "ENV A=1", "ARG B=2", "WORKDIR /w", "RUN echo $A", 'RUN ["echo", "$A"]', "USER nobody", "RUN id",
      'SHELL ["/bin/ash", "-eo", "pipefail", "-c"]', "RUN true",
    ].join("\n");
    build({ dockerfile, runStep: (req) => (seen.push(req), { exitCode: 0, durationUs: 1000, output: [] }) }, fresh(), hub);
    expect(seen.map((s) => [s.form, s.argv])).toEqual([
      ["shell", ["/bin/sh", "-c", "echo $A"]],
      ["exec", ["echo", "$A"]],
      ["shell", ["/bin/sh", "-c", "id"]],
      ["shell", ["/bin/ash", "-eo", "pipefail", "-c", "true"]],
    ]);
    expect(seen[0]!.env.get("A")).toBe("1");
    expect(seen[0]!.env.get("B")).toBe("2");
    expect(seen[0]!.cwd).toBe("/w");
    expect([seen[0]!.user, seen[0]!.uid]).toEqual(["", 0]);
    expect([seen[2]!.user, seen[2]!.uid]).toEqual(["nobody", 65534]);
  });

  it("a heredoc after a command reaches the shell reconstituted (dockerfile2llb's \"more complex heredoc\")", () => {
    const seen: RunStepRequest[] = [];
    build({ dockerfile: "FROM alpine:3.20\nENV W=world\nRUN cat <<EOF > /f\nhello $W\nEOF\n", runStep: (req) => (seen.push(req), { exitCode: 0, durationUs: 0, output: [] }) }, fresh(), hub);
    expect(seen[0]!.argv).toEqual(["/bin/sh", "-c", "cat <<EOF > /f\nhello $W\nEOF"]);
    expect(seen[0]!.heredoc).toEqual({ command: "cat  > /f", stdin: "hello world\n" });
  });

  it("what the executor writes to the snapshot is the step's layer; its lines are the step's log; its time is the step's", () => {
    const r = build({
      dockerfile: "FROM alpine:3.20\nRUN anything\n",
      runStep: (req) => {
        req.fs.writeText("/made", "by the executor\n");
        return { exitCode: 0, durationUs: 2_500_000, output: [{ atUs: 1_000_000, line: "working" }] };
      },
    }, fresh(), hub);
    const step = r.steps.find((s) => s.kind === "run")!;
    expect(step.layer).not.toBeNull();
    expect(step.durationUs).toBe(2_500_000);
    expect(r.output).toContain("#5 1.000 working\n#5 DONE 2.5s\n");
  });

  it("its exit code fails the build with BuildKit's words and its last lines (solver/llbsolver/ops/exec.go)", () => {
    let err: unknown;
    try {
      build({ dockerfile: "FROM alpine:3.20\nRUN foo\n", runStep: () => ({ exitCode: 3, durationUs: 0, output: [{ atUs: 0, line: "boom" }] }) }, fresh(), hub);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BuildError);
    expect((err as BuildError).message).toBe('process "/bin/sh -c foo" did not complete successfully: exit code: 3');
    expect((err as BuildError).errorLogs).toContain("boom");
  });
});
