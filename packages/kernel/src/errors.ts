/**
 * The one error type that drydock's packages throw on bad input. It carries a stable code,
 * a message in the real tool's words where it has one, and a source location when the input
 * was text (a Dockerfile, YAML, a command line, a duration).
 */
export interface SourceLocation {
  readonly line: number;
  readonly column: number;
}

export class DrydockError extends Error {
  override readonly name = "DrydockError";
  readonly code: string;
  readonly location: SourceLocation | undefined;

  constructor(code: string, message: string, location?: SourceLocation) {
    super(message);
    this.code = code;
    this.location = location;
  }
}

export function isDrydockError(value: unknown): value is DrydockError {
  return value instanceof DrydockError;
}
