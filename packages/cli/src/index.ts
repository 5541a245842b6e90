export { runCli } from "./main.js";
export { raftCommand } from "./raft.js";
export { swimCommand } from "./swim.js";
export { dockerCommand, dockerHelp, createDockerHost, type DockerHost, type CliIO } from "./docker.js";
export { ShellSession, SHELL_HELP } from "./session.js";
export { shellWords } from "./words.js";
export { parseFlags, flag, usage, type FlagSpec, type FlagKind, type FlagValue, type Parsed } from "./flags.js";
export { table, type CliResult } from "./output.js";
