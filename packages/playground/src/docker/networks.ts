// docker network commands (issue #11).
import type { DockerCommand } from "./command.js";

export const NETWORK_COMMANDS: readonly DockerCommand[] = [];
