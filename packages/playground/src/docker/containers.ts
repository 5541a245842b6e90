// docker container commands (issue #10): run, create, start, stop, ps, logs, exec, ...
import type { DockerCommand } from "./command.js";

export const CONTAINER_COMMANDS: readonly DockerCommand[] = [];
