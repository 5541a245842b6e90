// docker volume and plugin commands (issue #10).
import type { DockerCommand } from "./command.js";

export const VOLUME_COMMANDS: readonly DockerCommand[] = [];
export const PLUGIN_COMMANDS: readonly DockerCommand[] = [];
