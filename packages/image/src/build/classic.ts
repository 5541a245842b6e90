import { humanSize } from "../image/format.js";
import { sha256Digest, shortId } from "../util/hash.js";
import type { BuildContext } from "./context.js";

/**
 * What the CLI prints before a legacy build since Docker 23 (cli/command/image/build.go
 * `DefaultBuilder` notice). Not part of the transcript: a CLI prints it to stderr when it wants it.
 */
export const LEGACY_BUILDER_NOTICE =
  "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n" +
  "            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0\n" +
  "            environment-variable.\n";

/**
 * The build context as the CLI sends it to the classic builder: a tar stream (Go archive/tar), one
 * 512-byte header per file and directory, contents padded to 512 bytes, two zero blocks at the end.
 * A context holding only a short Dockerfile is 2048 bytes: "2.048kB".
 */
export function contextTarSize(ctx: BuildContext, dockerfile?: { readonly name: string; readonly size: number }): number {
  const dirs = new Set<string>();
  let size = 1024;
  // The CLI sends the Dockerfile inside the context even when it was given on stdin or with -f.
  if (dockerfile && !ctx.files.has(dockerfile.name)) size += 512 + Math.ceil(dockerfile.size / 512) * 512;
  for (const [path, f] of ctx.files) {
    size += 512 + Math.ceil(f.entry.size / 512) * 512;
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  }
  return size + dirs.size * 512;
}

/** A 12-hex ID derived from text: the legacy builder's intermediate container and image IDs, deterministically. */
export function derivedId(text: string): string {
  return shortId(sha256Digest(text));
}

/**
 * The legacy builder's transcript (moby builder/dockerfile): "Step n/N : <instruction>", then
 * " ---> Using cache" or " ---> Running in <container>", the step's output, "Removing intermediate
 * container <container>", and " ---> <image>" after each step; "Successfully built" and
 * "Successfully tagged" at the end.
 */
export class ClassicTranscript {
  private readonly lines: string[] = [];

  constructor(ctx: BuildContext, dockerfile?: { readonly name: string; readonly size: number }) {
    // jsonmessage prints the progress as "%8v" of go-units HumanSize (4 significant digits).
    this.lines.push(`Sending build context to Docker daemon ${humanSize(contextTarSize(ctx, dockerfile), 4).padStart(8)}`);
  }

  step(n: number, total: number, text: string): void {
    this.lines.push(`Step ${n}/${total} : ${text}`);
  }

  say(line: string): void {
    this.lines.push(line);
  }

  image(id: string): void {
    this.lines.push(` ---> ${shortId(id)}`);
  }

  usingCache(): void {
    this.lines.push(" ---> Using cache");
  }

  runningIn(container: string): void {
    this.lines.push(` ---> Running in ${container}`);
  }

  removing(container: string): void {
    this.lines.push(`Removing intermediate container ${container}`);
  }

  /** Rewrites the last " ---> <image>" line (the final step's image is the build's image). */
  replaceLastImage(id: string): void {
    for (let i = this.lines.length - 1; i >= 0; i--) {
      if (/^ ---> [0-9a-f]{12}$/.test(this.lines[i]!)) {
        this.lines[i] = ` ---> ${shortId(id)}`;
        return;
      }
    }
  }

  text(): string {
    return this.lines.length ? `${this.lines.join("\n")}\n` : "";
  }
}
