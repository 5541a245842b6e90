export { runCli, errorResult, shellQuote, COMMANDS, HELP, EXIT_USAGE } from "./main.js";
export { raftCommand } from "./raft.js";
export { swimCommand } from "./swim.js";
export { runCommand, nodesFlag } from "./run.js";
export { replayCommand, load as loadSession } from "./replay.js";
export { parseScript, runScript, transcript, echoLine, type ScriptCommand, type Expectation, type CommandResult, type ExpectationResult } from "./script.js";
export {
  parseShellArgs, shellUsage, headlessArgv, promptText, mountRequest, mountTarget, LineBuffer, InputQueue, RunningLine, Logins, remoteLine, type RemoteCommand, CONTINUATION_PROMPT, DetachKeys, declineEdit, worldFault,
  type ShellOptions, type MountRequest, type Finished,
} from "./shell.js";
export { ReverseSearch, type SearchView } from "./history-search.js";
export { progressOf, PROGRESS_SLICE_US, type Progress } from "./progress.js";
export type { CliIO, ProgressSink } from "./io.js";
export { table, type CliResult } from "./output.js";
export { complete, currentCommand, playgroundCompletion, type CompletionSource } from "./complete.js";
