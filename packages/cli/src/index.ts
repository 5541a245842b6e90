export { runCli } from "./main.js";
export { raftCommand } from "./raft.js";
export { swimCommand } from "./swim.js";
export { parseFlags, flag, usage, type FlagSpec, type FlagKind, type FlagValue, type Parsed } from "./flags.js";
export { table, type CliResult } from "./output.js";
