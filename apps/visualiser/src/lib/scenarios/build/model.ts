// What the images-and-builds view draws, read from one host's world: the Dockerfile of the
// latest build with each line as the builder reported it (the trace's build.step records: CACHED
// or run), the layer stacks of the tagged images with the layers they share drawn once, and a
// container's writable layer (docker diff over the engine's copy-on-write root filesystem).

/** How the latest build treated a Dockerfile line. */
export type LineStatus =
  /** The builder reused the cache record: the step did not run (`CACHED` in BuildKit's progress). */
  | "cached"
  /** The step ran and made its layer (a cache miss). */
  | "run"
  /** A step of the build in progress that has not finished yet. */
  | "pending"
  /** ENV, CMD, EXPOSE, ...: a change to the image's config, no layer and no step of its own. */
  | "metadata"
  /** A comment or an empty line, or a line the build did not reach. */
  | "none";

export interface DockerfileLine {
  /** 1-based, as the builder's errors number them. */
  readonly n: number;
  readonly text: string;
  /** The stage's index (0 first), or -1 before the first FROM. */
  readonly stage: number;
  readonly status: LineStatus;
}

export interface StageView {
  readonly index: number;
  /** `AS build`, or BuildKit's name for an unnamed stage ("stage-1"). */
  readonly name: string;
  readonly base: string;
  /** Not the built stage: its layers are not in the image (only what a `COPY --from` takes). */
  readonly dropped: boolean;
}

export interface BuildView {
  /** When the build started (null: no build yet). */
  readonly startedAt: number | null;
  /** The Dockerfile's path on the host. */
  readonly file: string;
  readonly lines: readonly DockerfileLine[];
  readonly stages: readonly StageView[];
  readonly building: boolean;
  /** Steps the builder reported so far, and how many were cache hits. */
  readonly steps: number;
  readonly cached: number;
  /** "app:2", once done (null while building or if it failed). */
  readonly tag: string | null;
}

/** One layer of the graph: a layer at one place in a stack (its chain), drawn once however many images hold it. */
export interface LayerNode {
  /** The chain of diff IDs from the base up to this layer: unique in the graph. */
  readonly key: string;
  readonly digest: string;
  /** 0: the base layer. */
  readonly depth: number;
  /** The columns it spans (images side by side, first to last inclusive). */
  readonly col0: number;
  readonly col1: number;
  /** The instruction that made it, as `docker history` shows it. */
  readonly createdBy: string;
  readonly size: number;
  /** Every tag whose image holds this layer. */
  readonly images: readonly string[];
}

export interface ImageColumn {
  readonly col: number;
  readonly tag: string;
  readonly id: string;
  readonly layers: number;
}

/** A file of a container's writable layer. */
export interface UpperEntry {
  readonly path: string;
  /** copied-up: a lower layer's file, copied into the writable layer to be changed; whiteout: a lower file deleted (`.wh.` name); added: new. */
  readonly kind: "copied-up" | "whiteout" | "added";
  /** The lower layer the path came from (its depth and instruction), for copied-up and whiteout. */
  readonly fromDepth: number | null;
  readonly fromLayer: string | null;
}

export interface ContainerLayer {
  readonly name: string;
  readonly image: string;
  /** The column of its image in the graph (-1 when its image is not tagged). */
  readonly col: number;
  readonly running: boolean;
  readonly entries: readonly UpperEntry[];
}

export interface StepInfo {
  readonly id: string;
  readonly label: string;
  readonly line: string;
  readonly done: boolean;
  /** When it was typed (null: not yet). */
  readonly at: number | null;
}

export interface Caption {
  readonly step: string;
  readonly title: string;
  readonly text: string;
}

export interface BuildViewModel {
  readonly host: string;
  readonly build: BuildView | null;
  readonly layers: readonly LayerNode[];
  readonly columns: readonly ImageColumn[];
  /** The tallest stack (layers). */
  readonly height: number;
  readonly container: ContainerLayer | null;
  readonly steps: readonly StepInfo[];
  /** The next step's line, or null when every step was typed. */
  readonly next: StepInfo | null;
  /** A line is still running at the host's prompt: the next step waits for it. */
  readonly busy: boolean;
  readonly caption: Caption;
}
