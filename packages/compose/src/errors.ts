import { DrydockError, type SourceLocation } from "@drydock/kernel";

/**
 * A compose file that cannot be loaded: the message in Docker Compose's words (what `docker
 * compose` prints), and where it is: the file, the line and column, and the path of the value in
 * drydock's notation (`services.web.ports[0]`).
 */
export class ComposeError extends DrydockError {
  constructor(code: string, message: string, readonly file: string = "", readonly path: string = "", location?: SourceLocation) {
    super(code, message, location);
  }
}

/** compose-go's errdefs.ErrInvalid, appended to consistency errors. */
export const INVALID_PROJECT = "invalid compose project";
