// The host shell: a POSIX-like interpreter over a ShellHost, and the coreutils of a lab machine.
export {
  type CommandOutcome,
  type CommandRequest,
  type FsAnswer,
  HISTORY_MAX,
  type LineResult,
  type OutputChunk,
  type ShellHost,
  type ShellSession,
  Suspend,
} from "./host.js";
export { LOOP_MAX, SHELL_PID, runLine } from "./interp.js";
export { type ParseResult, isComplete, parseLine } from "./parser.js";
export { DEFAULT_PATH, type SessionOptions, createSession } from "./session.js";
export { COREUTILS, type Coreutil, KERNEL_RELEASE, coreutilsPath, parseSleepSeconds } from "./coreutils.js";
export { type ExtraCommand, FsHost } from "./fshost.js";
export type * as Ast from "./ast.js";
