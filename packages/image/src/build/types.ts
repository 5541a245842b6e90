import { DrydockError, type Micros } from "@drydock/kernel";
import type { ParsedDockerfile } from "../dockerfile/parser.js";
import type { Image } from "../image/image.js";
import type { BuildContext, ContextInput } from "./context.js";
import type { RunStepExecutor } from "./run-step.js";

/** `docker build` options. */
export interface BuildOptions {
  /** Dockerfile text (or an already parsed Dockerfile). */
  readonly dockerfile: string | ParsedDockerfile;
  /** The build context: an in-memory file tree, or one made by createContext / @drydock/image/node. */
  readonly context?: ContextInput | BuildContext;
  /** `--build-arg NAME=value`. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** `--target`: build up to this stage. */
  readonly target?: string;
  /** `--no-cache`: run every step (results are still recorded in the cache). */
  readonly noCache?: boolean;
  /** `-t`: one or more names. */
  readonly tags?: readonly string[];
  readonly tag?: string;
  /** `--pull`: fetch base images even when present locally. */
  readonly pull?: boolean;
  /** `--squash`: collapse the new layers into one. */
  readonly squash?: boolean;
  /** Virtual time at which the build starts. */
  readonly now?: Micros;
  /** Simulated web for ADD <url>, curl and wget: URL → body. */
  readonly urls?: Readonly<Record<string, string>>;
  readonly dockerfileName?: string;
  /**
   * Keep the cache records of the steps that completed when a later step fails, as BuildKit does
   * (default true). With false, a failed build leaves the store exactly as it was.
   */
  readonly keepCacheOnError?: boolean;
  /**
   * The legacy builder (`DOCKER_BUILDKIT=0 docker build`): the same build, with the classic
   * transcript as output ("Sending build context to Docker daemon", "Step 1/3 : FROM alpine",
   * " ---> Running in …", "Successfully built …") and its failure text.
   */
  readonly classic?: boolean;
  /**
   * What runs a RUN step's process (BuildKit runs it as a container: runc over the step's rootfs
   * snapshot, with the image config's env, user and workdir). Default: this package's RUN
   * interpreter (`interpretRunStep`); the playground gives the world's program catalogue, so a
   * RUN line does what the same line does in `docker run IMAGE /bin/sh -c '…'`.
   */
  readonly runStep?: RunStepExecutor;
}

/** One step of the build, as the progress output reports it. */
export interface BuildStep {
  /** BuildKit's vertex number (#n). */
  readonly vertex: number;
  /** e.g. "[build 2/4] RUN go build -o /app ." */
  readonly name: string;
  readonly stage: string;
  readonly kind: "from" | "run" | "copy" | "add" | "workdir" | "onbuild";
  readonly cached: boolean;
  readonly durationUs: Micros;
  readonly cacheKey: string;
  /** The layer the step added, or null. */
  readonly layer: string | null;
  readonly output: readonly string[];
}

export interface BuildResult {
  readonly image: Image;
  readonly steps: readonly BuildStep[];
  /** Plain progress output, as `docker build --progress=plain` prints it. */
  readonly output: string;
  readonly durationUs: Micros;
  readonly warnings: readonly string[];
  /** Stages built, in order (stages the target does not need are skipped). */
  readonly stagesBuilt: readonly string[];
  /** Canonical names the image was tagged with. */
  readonly tagged: readonly string[];
}

/** What a failed build adds to its message: buildx's error block, the builder, the exit status. */
export interface BuildFailureDetail {
  /** buildx's block after the progress: "------\n > [2/2] RUN …:\n<last log lines>\n------\n" ("" if none). */
  readonly errorLogs?: string;
  /** The legacy builder failed (its message is the whole error text). */
  readonly classic?: boolean;
  /** The exit status `docker build` ends with: 1 with BuildKit; the command's own code with the legacy builder. */
  readonly exitCode?: number;
}

/**
 * A failed build: the message is what follows "ERROR: failed to build: failed to solve: " (BuildKit)
 * or the legacy builder's whole error line; `output` is the progress (or transcript) so far.
 */
export class BuildError extends DrydockError {
  readonly errorLogs: string;
  readonly classic: boolean;
  readonly exitCode: number;

  constructor(
    code: string,
    message: string,
    location: { line: number; column: number } | undefined,
    readonly output: string,
    readonly steps: readonly BuildStep[],
    detail: BuildFailureDetail = {},
  ) {
    super(code, message, location);
    this.errorLogs = detail.errorLogs ?? "";
    this.classic = detail.classic ?? false;
    this.exitCode = detail.exitCode ?? 1;
  }
}

