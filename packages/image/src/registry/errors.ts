import { DrydockError } from "@drydock/kernel";

/**
 * Codes of a base image that cannot be had. Which one applies (see README, "Images drydock does
 * not have"):
 * - `ENOTFOUND`: the registry has no such repository or tag. The message is Docker's text
 *   ("pull access denied for x, repository does not exist or may require 'docker login'…" or
 *   "manifest for x:t not found: manifest unknown…"); for a Docker Hub official-style name a second
 *   line says what drydock's catalogue has.
 * - `ENOTINCATALOGUE`: a real Docker Hub official image (tomcat, wordpress…) that drydock does not
 *   simulate. Docker would pull it, so no Docker text fits: the message is drydock's own.
 */
export const IMAGE_NOT_FOUND = "ENOTFOUND";
export const NOT_IN_CATALOGUE = "ENOTINCATALOGUE";

export type MissingReason = "repository" | "tag" | "catalogue";

/** An image reference that no registry serves, with Docker's words and drydock's hint apart. */
export class ImageNotFoundError extends DrydockError {
  constructor(
    code: typeof IMAGE_NOT_FOUND | typeof NOT_IN_CATALOGUE,
    /** What Docker (or BuildKit) prints; "" when no Docker text applies. */
    readonly dockerMessage: string,
    /** drydock's explanation ("drydock: 'x' is not in drydock's catalogue (it has: …)"), or "". */
    readonly hint: string,
    readonly reason: MissingReason,
    /** The canonical reference, e.g. "docker.io/library/nosuchimage:latest". */
    readonly reference: string,
  ) {
    super(code, [dockerMessage, hint].filter((s) => s !== "").join("\n"));
  }
}
