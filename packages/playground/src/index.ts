// @drydock/playground: the world of hosts and the one scripting surface over it.
export { createPlayground, Playground, type PlaygroundOptions, type PlaygroundSession, type ExecResult } from "./playground.js";
export { worldModel, describeWorld, type WorldOptions } from "./world/model.js";
export type { WorldState, HostState, WorldAction, Running, RunningJob, FollowRun } from "./world/state.js";
export { promptOf, type Attachment } from "./world/attach.js";
export type { FollowJob, FollowSpec } from "./docker/follow.js";
export type { AttachRequest, ContainerRuntime, DockerEnv, Pending } from "./docker/command.js";
export { runDocker, dockerHelp, dockerCompletions } from "./docker/cli.js";
export { parseFlags, flag, usage, type FlagSpec, type FlagKind, type FlagValue, type Parsed } from "./docker/flags.js";
export { CliError, exitCodeOf, isCliError, type ErrorCode } from "./errors.js";
export { isComplete } from "./shell/parser.js";
export { BUILTINS as SHELL_BUILTINS } from "./shell/builtins.js";
export { TEACHING_LIFECYCLE, type KubernetesOptions, type WorldKube } from "./world/kube.js";
export { runKubectl, type KubectlEnv } from "./kubectl/index.js";
export type { ShellSession, LineResult } from "./shell/host.js";
